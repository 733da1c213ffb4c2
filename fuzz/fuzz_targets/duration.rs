//! Clock steps and outage durations: `180d`, `36h`, `1d12h`...
#![no_main]

use libfuzzer_sys::fuzz_target;
use powens_sandbox::model::duration;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(d) = duration::parse(s) {
        assert!(d.num_seconds() >= 0);
        assert!(d.num_seconds() <= 100 * 366 * 86_400);
    }
});
