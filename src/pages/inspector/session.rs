//! Who may see the inspector: a person signed in with the config token, or a client sending
//! it as `Authorization: Bearer ...`.
//!
//! Signing in sets an HttpOnly, SameSite=Strict cookie holding a random nonce, an expiry
//! (real time: the sandbox clock jumps months) and an HMAC of both keyed by the config token;
//! the token itself is never stored in the browser nor put in a URL. Nothing is kept on the
//! server, so a new config token ends every session. Forms carry a second HMAC of the nonce
//! (`csrf`): a page of another site can neither send the cookie (SameSite) nor know it.

use crate::api::extract::Fields;
use crate::api::principal::bearer;
use crate::pages::html::see_other;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use axum::http::Method;
use axum::response::Response;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

pub const COOKIE_NAME: &str = "inspector_session";
pub const BASE: &str = "/sandbox/inspector";
/// How long a sign-in lasts, in real seconds.
pub const LIFETIME_SECS: i64 = 12 * 3600;

fn mac(token: &str, purpose: &str, data: &str) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(token.as_bytes()).expect("HMAC takes any key");
    m.update(purpose.as_bytes());
    m.update(b":");
    m.update(data.as_bytes());
    m
}

/// The cookie value for a new session: `nonce.expires.mac`.
pub fn issue(token: &str, nonce: &str, expires: i64) -> String {
    let data = format!("{nonce}.{expires}");
    let sig = hex::encode(mac(token, "session", &data).finalize().into_bytes());
    format!("{data}.{sig}")
}

/// The nonce of a cookie value signed with `token` and not expired at `now` (Unix seconds).
pub fn verify(token: &str, value: &str, now: i64) -> Option<String> {
    let (data, sig) = value.rsplit_once('.')?;
    let (nonce, expires) = data.split_once('.')?;
    let expires: i64 = expires.parse().ok()?;
    let sig = hex::decode(sig).ok()?;
    mac(token, "session", data).verify_slice(&sig).ok()?;
    (now < expires && !nonce.is_empty()).then(|| nonce.to_string())
}

/// The form token of a session.
pub fn csrf(token: &str, nonce: &str) -> String {
    hex::encode(mac(token, "csrf", nonce).finalize().into_bytes())
}

/// Compares a submitted token with the configured one without an early exit.
pub fn token_matches(given: &str, expected: &str) -> bool {
    let a = mac(expected, "compare", given).finalize().into_bytes();
    mac(expected, "compare", expected).verify_slice(&a).is_ok()
}

pub fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A signed-in visitor. `csrf` is the token its forms carry; None when it came with the
/// config token in `Authorization` (not a browser's ambient credential: no guard needed).
/// A form without a valid guard field: nothing is changed (the layout renders the page).
#[derive(Debug)]
pub struct Refused;

#[derive(Debug, Clone)]
pub struct Session {
    pub csrf: Option<String>,
}

fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Where to come back after signing in: an inspector path of this request, nothing else (no
/// open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if (n == BASE
                || n.starts_with("/sandbox/inspector/")
                || n.starts_with("/sandbox/inspector?"))
                && !n.contains("//")
                && !n.contains('\\')
                && !n.starts_with("/sandbox/inspector/sign-") =>
        {
            n.to_string()
        }
        _ => BASE.to_string(),
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Response> {
        let token = &st.config.config_token;
        if bearer(parts).is_some_and(|b| token_matches(b, token)) {
            return Ok(Session { csrf: None });
        }
        if let Some(nonce) = cookie(parts, COOKIE_NAME).and_then(|v| verify(token, v, unix_now())) {
            return Ok(Session {
                csrf: Some(csrf(token, &nonce)),
            });
        }
        // Never the page: the sign-in form, remembering a page that was asked for.
        let mut to = format!("{BASE}/sign-in");
        if parts.method == Method::GET {
            let next = safe_next(parts.uri.path_and_query().map(|p| p.as_str()));
            if next != BASE {
                to = crate::pages::html::with_query(&to, &[("next", next)]);
            }
        }
        Err(see_other(&to))
    }
}

impl Session {
    /// A form's fields without `csrf`, once the guard let it through.
    pub fn form(&self, mut body: Fields) -> Result<Fields, Refused> {
        let given = body.0.remove("csrf");
        if let Some(expected) = &self.csrf {
            let ok = given
                .as_ref()
                .and_then(|v| v.as_str())
                .is_some_and(|g| token_matches(g, expected));
            if !ok {
                return Err(Refused);
            }
        }
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use crate::pages::inspector::session::*;

    #[test]
    fn a_cookie_verifies_until_it_expires_and_only_with_its_token() {
        let v = issue("secret", "abc", 1000);
        assert_eq!(verify("secret", &v, 999).as_deref(), Some("abc"));
        assert_eq!(verify("secret", &v, 1000), None);
        assert_eq!(verify("other", &v, 999), None);
        assert!(!v.contains("secret"));
    }

    #[test]
    fn a_tampered_cookie_is_refused() {
        let v = issue("secret", "abc", 1000);
        let longer = v.replacen(".1000.", ".9999.", 1);
        assert_eq!(verify("secret", &longer, 999), None);
        assert_eq!(verify("secret", "abc.1000", 999), None);
        assert_eq!(verify("secret", "", 999), None);
    }

    #[test]
    fn the_form_token_depends_on_the_session() {
        assert_ne!(csrf("secret", "a"), csrf("secret", "b"));
        assert_eq!(csrf("secret", "a"), csrf("secret", "a"));
    }

    #[test]
    fn tokens_are_compared_whole() {
        assert!(token_matches(
            "sandbox-config-token",
            "sandbox-config-token"
        ));
        assert!(!token_matches(
            "sandbox-config-toke",
            "sandbox-config-token"
        ));
        assert!(!token_matches("", "sandbox-config-token"));
    }

    #[test]
    fn only_inspector_pages_are_returned_to() {
        assert_eq!(
            safe_next(Some("/sandbox/inspector/users?x=1")),
            "/sandbox/inspector/users?x=1"
        );
        assert_eq!(safe_next(Some("https://evil.example")), BASE);
        assert_eq!(safe_next(Some("/sandbox/inspector//evil.example")), BASE);
        assert_eq!(safe_next(Some("/sandbox/inspectorx")), BASE);
        assert_eq!(safe_next(Some("/sandbox/inspector/sign-in")), BASE);
        assert_eq!(safe_next(None), BASE);
    }
}
