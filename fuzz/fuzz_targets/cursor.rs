//! The opaque `cursor=` of transaction pages: any string is decoded or refused, never a
//! panic; what the server encodes decodes back to the same position.
#![no_main]

use libfuzzer_sys::fuzz_target;
use powens_sandbox::api::transactions::{decode_cursor, encode_cursor};
use powens_sandbox::model::{calendar, format};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Some((pos, total)) = decode_cursor(s) {
        // The server only writes days: a cursor positions on one, written as the store
        // writes dates, or it is refused.
        let day = calendar::parse(&pos.date)
            .filter(|(a, b)| a == b)
            .map(|(a, _)| a);
        assert_eq!(
            day.map(format::date).as_deref(),
            Some(pos.date.as_str()),
            "{s:?}"
        );
        assert!(total >= 0, "{s:?}");
        let again = encode_cursor(&pos.date, pos.id, pos.dir, total);
        let (back, back_total) = decode_cursor(&again).expect("a re-encoded cursor decodes");
        assert_eq!(
            (back.date, back.id, back.dir, back_total),
            (pos.date, pos.id, pos.dir, total)
        );
    }
});
