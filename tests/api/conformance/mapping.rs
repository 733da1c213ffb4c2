//! How requests map onto a document's operations, and Powens' OpenAPI 3.0 schemas read as
//! JSON Schema.

use serde_json::{json, Value};

/// The path of a URL, without its query.
pub fn url_path(url: &str) -> &str {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    path.split(['?', '#']).next().unwrap_or("")
}

pub fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The spec's method and path segments for a request to the sandbox, or None when it is not
/// under `/2.0`. `/users/{id}` is `/users/me`; resources reached through a parent are the
/// resource itself; `PUT` on an account or a transaction is the legacy spelling of `POST`.
pub fn spec_route(method: &str, url: &str) -> Option<(String, Vec<String>)> {
    let rest = url_path(url).strip_prefix("/2.0/")?;
    let mut s = segments(rest);
    if s.len() >= 2 && s[0] == "users" {
        s[1] = "me".into();
    }
    let tail: Vec<&str> = s.iter().map(String::as_str).collect();
    // Powens' spec has no `/banks/categories`, and its `/banks/{connectorId}` would claim it.
    if tail == ["banks", "categories"] {
        return None;
    }
    let mapped: Option<Vec<&str>> = match tail.as_slice() {
        ["users", "me", "connections", _, "accounts", _, "transactions"] => {
            Some(vec!["users", "me", "transactions"])
        }
        ["users", "me", "connections", _, "transactions"] => {
            Some(vec!["users", "me", "transactions"])
        }
        ["users", "me", "connections", _, "accounts", rest @ ..] if rest.len() <= 1 => {
            Some([&["users", "me", "accounts"][..], rest].concat())
        }
        ["users", "me", "accounts", _, "transactions", rest @ ..] if rest.len() <= 1 => {
            Some([&["users", "me", "transactions"][..], rest].concat())
        }
        _ => None,
    };
    let s: Vec<String> = match mapped {
        Some(m) => m.into_iter().map(str::to_string).collect(),
        None => s,
    };
    let legacy_put = method == "PUT"
        && s.len() == 4
        && s[0] == "users"
        && (s[2] == "accounts" || s[2] == "transactions");
    let method = if legacy_put { "POST" } else { method };
    Some((method.to_string(), s))
}

/// OpenAPI 3.0 schemas to JSON Schema 2020-12: `nullable: true` becomes a `null` type (or an
/// `anyOf` with one, where the schema has no `type` of its own); examples are dropped.
pub fn to_json_schema(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("example");
            m.remove("examples");
            for (_, x) in m.iter_mut() {
                to_json_schema(x);
            }
            if m.remove("nullable") == Some(Value::Bool(true)) {
                match m.get("type").cloned() {
                    Some(Value::String(t)) => {
                        m.insert("type".into(), json!([t, "null"]));
                        if let Some(Value::Array(e)) = m.get_mut("enum") {
                            e.push(Value::Null);
                        }
                    }
                    _ => {
                        let inner = Value::Object(std::mem::take(m));
                        m.insert("anyOf".into(), json!([{"type": "null"}, inner]));
                    }
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(to_json_schema),
        _ => {}
    }
}

#[test]
fn aliases_and_user_ids_map_onto_the_spec_paths() {
    let r = |m: &str, u: &str| spec_route(m, u).map(|(m, s)| format!("{m} /{}", s.join("/")));
    let base = "http://127.0.0.1:1/2.0";
    assert_eq!(
        r("GET", &format!("{base}/users/12/accounts?all")).unwrap(),
        "GET /users/me/accounts"
    );
    assert_eq!(
        r("GET", &format!("{base}/users/me/connections/3/accounts/4")).unwrap(),
        "GET /users/me/accounts/4"
    );
    assert_eq!(
        r(
            "GET",
            &format!("{base}/users/me/connections/3/accounts/4/transactions?limit=1")
        )
        .unwrap(),
        "GET /users/me/transactions"
    );
    assert_eq!(
        r("PUT", &format!("{base}/users/me/transactions/9")).unwrap(),
        "POST /users/me/transactions/9"
    );
    assert_eq!(
        r("PUT", &format!("{base}/users/me/connections/9")).unwrap(),
        "PUT /users/me/connections/9"
    );
    assert!(r("GET", "http://127.0.0.1:1/sandbox/clock").is_none());
}
