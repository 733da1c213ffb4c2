//! `min_date`/`max_date` calendar bounds and the DateTime format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use powens_sandbox::model::{calendar, format};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Some((first, last)) = calendar::parse(s) {
        assert!(first <= last, "{s:?}: {first} after {last}");
        // The days a year or a month covers are days a day bound accepts.
        for d in [first, last] {
            let day = format::date(d);
            assert_eq!(calendar::parse(&day), Some((d, d)), "{s:?} covers {day}");
        }
        // A day bound is its own range and prints back as itself.
        if first == last && s.trim().len() == 10 {
            assert_eq!(format::date(first), s.trim());
        }
    }
    if let Some(t) = format::parse_datetime(s) {
        let printed = format::datetime(t);
        assert_eq!(format::parse_datetime(&printed), Some(t));
    }
});
