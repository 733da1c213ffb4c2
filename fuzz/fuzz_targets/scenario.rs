//! Scenario documents (`POST /sandbox/scenario`, `--scenario`): any JSON is a document or a
//! 400 naming what is wrong.
#![no_main]

use libfuzzer_sys::fuzz_target;
use powens_sandbox::sandbox::scenario;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Err(e) = scenario::parse(v) {
        assert_eq!(e.status().as_u16(), 400);
    }
});
