//! The query string of a transactions list: value filters (`12.5`, `a|b`, `±a`), amounts,
//! calendar bounds, `last_update`, flags. Refused or read, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use powens_sandbox::api::extract::Params;
use powens_sandbox::api::transactions::{filters, values};

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    // As the query extractor reads it.
    let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(q) else {
        return;
    };
    let params = Params(pairs.into_iter().collect());
    if let Ok(Some(v)) = values(&params) {
        assert!(v.len() <= 20);
        assert!(v.iter().all(|x| x.is_finite()));
    }
    let _ = filters(&params);
    // The value filter alone, as a client writes it.
    let single = Params([("value".to_string(), q.to_string())].into_iter().collect());
    let _ = values(&single);
});
