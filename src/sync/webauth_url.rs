//! A connection's own webauth URL, which its `error_message` gives in `webauthRequired`:
//! `{base}/bank/webauth/{id_connection}/{key}`, the base being the public URL or the listen
//! address (a background sync has no request to take a Host from).

use crate::state::AppState;
use crate::store::connections::Connection;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The key of a connection's webauth URL: derived from the sandbox's seed and config token
/// and from the connection, so the same seed and requests give the same URL, and nobody
/// without the connection (or the config token) can make one.
fn connection_mac(st: &AppState, c: &Connection) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(st.config.config_token.as_bytes())
        .expect("HMAC takes keys of any size");
    mac.update(
        format!(
            "webauth\n{}\n{}\n{}\n{}",
            st.config.seed, c.id_user, c.id, c.created
        )
        .as_bytes(),
    );
    mac
}

const KEY_BYTES: usize = 16;

/// The URL a PSU visits to renew a connection's access in the bank's pages, written into
/// `error_message` while the connection is in `webauthRequired`. It stays valid as long as
/// the connection waits: each visit opens a flow of its own.
pub fn url(st: &AppState, c: &Connection) -> String {
    let tag = connection_mac(st, c).finalize().into_bytes();
    format!(
        "{}/bank/webauth/{}/{}",
        st.public_base(),
        c.id,
        hex::encode(&tag[..KEY_BYTES])
    )
}

/// Whether `key` is the key of `c`'s URL (compared in constant time).
pub fn key_matches(st: &AppState, c: &Connection, key: &str) -> bool {
    hex::decode(key).is_ok_and(|k| {
        k.len() == KEY_BYTES && connection_mac(st, c).verify_truncated_left(&k).is_ok()
    })
}
