//! Request bodies as every handler reads them: JSON, a form, or nothing, under any content
//! type; then the typed getters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use powens_sandbox::api::extract::Fields;

fuzz_target!(|data: &[u8]| {
    let (ctype, body) = match data.split_first() {
        Some((b, rest)) if b.is_multiple_of(2) => ("application/x-www-form-urlencoded", rest),
        Some((_, rest)) => ("application/json", rest),
        None => return,
    };
    if let Ok(f) = Fields::parse(ctype, body) {
        for key in f.0.keys().cloned().collect::<Vec<_>>() {
            let _ = f.str(&key);
            let _ = f.int(&key);
            let _ = f.bool(&key);
        }
    }
});
