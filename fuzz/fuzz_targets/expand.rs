//! `expand=` lists with bracketed sub-lists.
#![no_main]

use libfuzzer_sys::fuzz_target;
use powens_sandbox::model::expand;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(items) = expand::parse(s) {
        assert!(items.len() <= 64);
        for i in &items {
            assert!(!i.is_empty());
            let base = expand::base(i);
            // A bare name, or a name and one bracketed list that ends the item: nothing may
            // follow the list and be silently dropped.
            assert!(i == base || i.ends_with(']'), "{s:?} gives the item {i:?}");
            let _ = expand::nested(&items, base);
        }
    }
});
