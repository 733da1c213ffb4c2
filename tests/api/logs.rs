//! What the running binary writes, as a CI job reads it: the start banner and one access line
//! per request, in text or (`--log-format json`) one JSON object a line, never a secret.

use crate::common::*;
use serde_json::{json, Value};
use std::time::Duration;

const SECRET: &str = "my-very-own-client-secret";
const CONFIG: &str = "my-very-own-config-token";
const PASSWORD: &str = "hunter2-password";

fn flags(format: &str) -> Vec<&str> {
    vec![
        "--log-format",
        format,
        "--client-id",
        "87654321",
        "--client-secret",
        SECRET,
        "--config-token",
        CONFIG,
    ]
}

/// Requests that carry secrets: client credentials, a bearer token, a password.
/// Returns the request id of the `GET /users/me` and the user's token.
async fn traffic(api: &str) -> (String, String) {
    let client = reqwest::Client::new();
    let b: Value = client
        .post(format!("{api}/auth/init"))
        .json(&json!({"client_id": "87654321", "client_secret": SECRET}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = b["auth_token"].as_str().expect("a token").to_string();
    let r = client
        .post(format!("{api}/users/me/connections"))
        .bearer_auth(&token)
        .json(&json!({"connector_uuid": TEST_CONNECTOR_UUID, "login": "a",
                      "password": PASSWORD, "openapiwebsite": "par"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let r = client
        .get(format!("{api}/users/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let r = client
        .get(format!("{api}/users/999"))
        .bearer_auth(CONFIG)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    (id, token)
}

fn assert_no_secret(lines: &[String], token: &str) {
    for l in lines {
        for s in [SECRET, CONFIG, PASSWORD, token] {
            assert!(!l.contains(s), "a secret in the log: {l}");
        }
        assert!(!l.to_ascii_lowercase().contains("authorization"), "{l}");
    }
}

#[tokio::test]
async fn with_log_format_json_every_line_is_json_the_banner_included() {
    let p = Process::start(&flags("json"));
    let banner = p.wait_line(|l| l.contains("powens-sandbox ready")).await;
    let banner: Value = serde_json::from_str(&banner).expect("the banner is JSON");
    let fields = &banner["fields"];
    let config = &fields["config"];
    assert_eq!(config["client_id"], "87654321", "{banner}");
    assert_eq!(config["log_format"], "json");
    assert_eq!(config["database"], ":memory:");
    assert!(
        config["client_app"]
            .as_str()
            .is_some_and(|r| r.contains("Strict redirect app")),
        "the banner says which catalogue application was replaced: {banner}"
    );
    let api = fields["api_base_url"]
        .as_str()
        .expect("api_base_url")
        .to_string();
    assert!(api.starts_with("http://127.0.0.1:"), "{api}");

    let (id, token) = traffic(&api).await;
    let line = p
        .wait_line(|l| l.contains(&id) && l.contains("\"route\""))
        .await;
    let access: Value = serde_json::from_str(&line).expect("the access line is JSON");
    let f = &access["fields"];
    assert_eq!(f["method"], "GET", "{access}");
    assert_eq!(
        f["route"], "/2.0/users/{user}",
        "the matched route: {access}"
    );
    assert_eq!(f["status"], 200, "{access}");
    assert!(f["latency_ms"].as_f64().is_some(), "{access}");
    assert_eq!(f["request_id"], id.as_str());
    assert_eq!(access["level"], "INFO");
    let not_found = p.wait_line(|l| l.contains("\"status\":404")).await;
    assert!(not_found.contains("/2.0/users/{user}"), "{not_found}");

    tokio::time::sleep(Duration::from_millis(200)).await;
    let lines = p.lines();
    for l in lines.iter().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
        assert!(v.is_object(), "{l}");
    }
    assert_no_secret(&lines, &token);
}

#[tokio::test]
async fn at_the_default_level_every_request_writes_one_access_line_without_secrets() {
    let p = Process::start(&flags("pretty"));
    let line = p.wait_line(|l| l.contains("API base URL")).await;
    let api = line.split_whitespace().last().unwrap().to_string();
    // The text banner says which catalogue application the configured pair replaced.
    let replaced = p.wait_line(|l| l.contains("replaces the catalogue")).await;
    assert!(replaced.contains("Strict redirect app"), "{replaced}");
    let (id, token) = traffic(&api).await;
    let line = p.wait_line(|l| l.contains(&id)).await;
    for part in ["GET", "/2.0/users/{user}", "status=200", "latency_ms="] {
        assert!(line.contains(part), "{part} in {line}");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let lines = p.lines();
    let access: Vec<&String> = lines.iter().filter(|l| l.contains("request_id=")).collect();
    assert_eq!(
        access.iter().filter(|l| l.contains(&id)).count(),
        1,
        "one line per request: {access:#?}"
    );
    assert!(
        access.len() >= 4,
        "a line for each of the four requests: {access:#?}"
    );
    assert_no_secret(&lines, &token);
}
