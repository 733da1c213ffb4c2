//! Redaction of what the journal records: secrets never leave the process through
//! `/sandbox/requests`. Pure text functions, so they work on bodies cut at 64 KiB.

use std::collections::HashSet;

pub const REDACTED: &str = "[redacted]";

/// The names whose values are secrets: tokens, codes, client secrets, passwords, OTPs and
/// every connector field of type `password` of the catalogue.
#[derive(Debug, Clone)]
pub struct Secrets {
    names: HashSet<String>,
}

const ALWAYS: [&str; 12] = [
    "access_token",
    "auth_token",
    "refresh_token",
    "token",
    "code",
    "client_secret",
    "secret",
    "password",
    "new_password",
    "otp",
    "openapisms",
    "sms",
];

impl Secrets {
    pub fn new(password_fields: impl IntoIterator<Item = String>) -> Secrets {
        let mut names: HashSet<String> = ALWAYS.iter().map(|s| s.to_string()).collect();
        names.extend(password_fields.into_iter().map(|n| n.to_ascii_lowercase()));
        Secrets { names }
    }

    /// Whether `name` holds a secret; `code` only where `codes` (a request, or the answer
    /// of an `/auth` route, where it is a temporary code rather than an error code).
    pub fn is_secret(&self, name: &str, codes: bool) -> bool {
        let name = name.to_ascii_lowercase();
        (codes || name != "code") && self.names.contains(&name)
    }

    /// `a=1&password=x` → `a=1&password=[redacted]`: a query string or a form body.
    pub fn pairs(&self, text: &str, codes: bool) -> String {
        text.split('&')
            .map(|pair| {
                let (key, _) = pair.split_once('=').unwrap_or((pair, ""));
                let name = percent_decode(key);
                if pair.contains('=') && self.is_secret(&name, codes) {
                    format!("{key}={REDACTED}")
                } else {
                    pair.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The query part of every URL in `text` redacted (`...?code=abc&state=1` →
    /// `...?code=[redacted]&state=1`): a parameter is a name after `?` or `&`.
    pub fn urls(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find(['?', '&']) {
            out.push_str(&rest[..=i]);
            rest = &rest[i + 1..];
            let name_end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            let name = &rest[..name_end];
            if rest[name_end..].starts_with('=') && self.is_secret(name, true) {
                out.push_str(name);
                out.push('=');
                rest = &rest[name_end + 1..];
                let value_end = rest
                    .find(['&', '#', '"', '\'', ' ', '<', '>', '\\', '\n'])
                    .unwrap_or(rest.len());
                out.push_str(REDACTED);
                rest = &rest[value_end..];
            }
        }
        out.push_str(rest);
        out
    }

    /// A JSON text, possibly cut anywhere: the value of every secret key is replaced by
    /// `"[redacted]"` (null stays null), and URLs in other strings lose their tokens. The
    /// text is scanned, not parsed, so its formatting is kept and a cut body still works.
    pub fn json(&self, text: &str, codes: bool) -> String {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        let mut secret_value = false;
        while i < bytes.len() {
            let c = bytes[i];
            if c == b'"' {
                let end = string_end(bytes, i);
                let literal = &text[i..end];
                let next = skip_ws(bytes, end);
                if next < bytes.len() && bytes[next] == b':' {
                    // A key.
                    secret_value = self.is_secret(unquote(literal), codes);
                    out.push_str(literal);
                } else if secret_value {
                    out.push('"');
                    out.push_str(REDACTED);
                    out.push('"');
                    secret_value = false;
                } else {
                    out.push_str(&self.urls(literal));
                }
                i = end;
            } else if secret_value && (c == b'-' || c.is_ascii_alphanumeric()) {
                let end = bytes[i..]
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace())
                    .map_or(bytes.len(), |p| i + p);
                if &text[i..end] == "null" {
                    out.push_str("null");
                } else {
                    out.push('"');
                    out.push_str(REDACTED);
                    out.push('"');
                }
                secret_value = false;
                i = end;
            } else {
                if c == b'{' || c == b'[' || c == b',' {
                    secret_value = false;
                }
                // Copy one character (a multibyte one whole).
                let len = utf8_len(c);
                out.push_str(&text[i..(i + len).min(text.len())]);
                i += len;
            }
        }
        out
    }
}

/// The index just past the string literal starting at `start` (or the end of a cut text).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn unquote(literal: &str) -> &str {
    let s = literal.strip_prefix('"').unwrap_or(literal);
    s.strip_suffix('"').unwrap_or(s)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn percent_decode(s: &str) -> String {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(&format!("{s}=")).unwrap_or_default();
    pairs.into_iter().next().map(|p| p.0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> Secrets {
        Secrets::new(["pin".to_string()])
    }

    #[test]
    fn json_secret_values_are_redacted_and_the_rest_is_kept() {
        let s = secrets();
        let text = r#"{"login": "me", "password": "1234", "pin":42, "otp": null, "nested": {"client_secret":"x\"y"}, "n": [1, 2]}"#;
        assert_eq!(
            s.json(text, true),
            r#"{"login": "me", "password": "[redacted]", "pin":"[redacted]", "otp": null, "nested": {"client_secret":"[redacted]"}, "n": [1, 2]}"#
        );
    }

    #[test]
    fn an_error_code_stays_unless_codes_are_secret_there() {
        let s = secrets();
        let text = r#"{"code":"invalidValue","description":"x"}"#;
        assert_eq!(s.json(text, false), text);
        assert_eq!(
            s.json(text, true),
            r#"{"code":"[redacted]","description":"x"}"#
        );
    }

    #[test]
    fn a_json_body_cut_inside_a_secret_leaks_nothing() {
        let s = secrets();
        assert_eq!(
            s.json(r#"{"a":"b","password":"12"#, true),
            r#"{"a":"b","password":"[redacted]""#
        );
        assert_eq!(s.json(r#"{"a":"b","passw"#, true), r#"{"a":"b","passw"#);
    }

    #[test]
    fn urls_in_strings_lose_their_tokens() {
        let s = secrets();
        assert_eq!(
            s.json(r#"{"url":"https://x/cb?code=abc&state=s1"}"#, false),
            r#"{"url":"https://x/cb?code=[redacted]&state=s1"}"#
        );
        assert_eq!(
            s.urls("/webview/connect?client_id=1&code=zz#frag"),
            "/webview/connect?client_id=1&code=[redacted]#frag"
        );
    }

    #[test]
    fn form_and_query_pairs_are_redacted_by_name() {
        let s = secrets();
        assert_eq!(
            s.pairs("login=me&password=1234&PIN=1&x", true),
            "login=me&password=[redacted]&PIN=[redacted]&x"
        );
        assert_eq!(s.pairs("code=1", false), "code=1");
    }
}
