//! What every response shares: the Powens error body, request ids, the sandbox header, and
//! JSON answers for unknown routes, wrong methods and unreadable bodies (§1, §3).

use crate::common::*;
use reqwest::Method;
use serde_json::json;

// ---- Health -------------------------------------------------------------------------------

#[tokio::test]
async fn health_answers_ok_with_the_version() {
    let app = spawn_app().await;
    let r = app.get("/health", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "ok");
    let version = r.body["version"].as_str().unwrap();
    assert!(!version.is_empty());
    assert!(r.headers.get("x-request-id").is_some());
    assert_eq!(r.headers["x-powens-sandbox"], version);
}

// ---- Headers on every response ------------------------------------------------------------

#[tokio::test]
async fn every_response_has_a_request_id_and_the_sandbox_header() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let replies = [
        app.get("/health", None).await,
        app.get("/connectors", None).await,
        app.get("/users/me", Some(&token)).await,
        app.delete("/auth/token", Some(&token)).await,
        app.get("/users/me", None).await,
        app.get("/no/such/route", None).await,
        app.get("/nowhere", None).await,
        app.call(Method::DELETE, "/connectors", None, None).await,
        send_raw(
            &app,
            Method::POST,
            "/auth/init",
            None,
            Some("application/json"),
            "{",
        )
        .await,
    ];
    let mut seen = std::collections::HashSet::new();
    for r in &replies {
        let id = r.headers["x-request-id"].to_str().unwrap().to_string();
        assert!(!id.is_empty());
        assert!(seen.insert(id), "request ids are unique");
        assert!(
            r.headers.get("x-powens-sandbox").is_some(),
            "{} {}",
            r.status,
            r.text
        );
    }
}

#[tokio::test]
async fn the_error_body_repeats_the_request_id_header() {
    let app = spawn_app().await;
    let r = app.get("/users/me", None).await;
    r.assert_error(401, "unauthorized");
    assert_eq!(
        r.body["request_id"],
        r.headers["x-request-id"].to_str().unwrap()
    );
}

#[tokio::test]
async fn an_incoming_request_id_is_echoed_in_the_header_and_the_error_body() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/users/me"))
        .header("X-Request-Id", "trace-42.abc")
        .send()
        .await
        .unwrap();
    let r = TestApp::reply(res).await;
    assert_eq!(r.headers["x-request-id"], "trace-42.abc");
    r.assert_error(401, "unauthorized");
    assert_eq!(r.body["request_id"], "trace-42.abc");

    let res = app
        .client
        .get(app.url("/health"))
        .header("X-Request-Id", "ok-123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "ok-123");
}

#[tokio::test]
async fn an_unusable_incoming_request_id_is_replaced() {
    let app = spawn_app().await;
    for bad in ["has spaces in it", &"x".repeat(200)] {
        let res = app
            .client
            .get(app.url("/health"))
            .header("X-Request-Id", bad)
            .send()
            .await
            .unwrap();
        let id = res.headers()["x-request-id"].to_str().unwrap();
        assert!(!id.is_empty());
        assert_ne!(id, bad);
    }
}

// ---- The error body -----------------------------------------------------------------------

#[tokio::test]
async fn an_error_body_has_exactly_code_description_and_request_id() {
    let app = spawn_app().await;
    let r = app.get("/connectors/999", None).await;
    r.assert_error(404, "notFound");
    let mut keys: Vec<&String> = r.body.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["code", "description", "request_id"], "{}", r.text);
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
}

#[tokio::test]
async fn unknown_routes_are_not_found_in_json() {
    let app = spawn_app().await;
    for path in [
        "/nope",
        "/users/me/nothing/here",
        "/categories",
        "http://HOST/",
        "http://HOST/2.1/connectors",
    ] {
        let path = path.replace("http://HOST", &app.base);
        let r = app.get(&path, None).await;
        r.assert_error(404, "notFound");
        assert!(r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
    }
}

#[tokio::test]
async fn a_wrong_method_is_method_not_allowed_in_json() {
    let app = spawn_app().await;
    let cases = [
        (Method::DELETE, "/connectors"),
        (Method::POST, "/connectors"),
        (Method::GET, "/auth/init"),
        (Method::GET, "/auth/token/access"),
        (Method::PUT, "/auth/renew"),
        (Method::GET, "/auth/token"),
        (Method::PATCH, "/users/me"),
        (Method::DELETE, "/currencies"),
        (Method::POST, "/health"),
    ];
    for (method, path) in cases {
        let r = app.call(method.clone(), path, None, None).await;
        assert_eq!(r.status, 405, "{method} {path}: {}", r.text);
        r.assert_error(405, "methodNotAllowed");
        assert!(r.headers.get("x-powens-sandbox").is_some());
    }
}

// ---- Unreadable bodies --------------------------------------------------------------------

#[tokio::test]
async fn malformed_json_is_an_invalid_value() {
    let app = spawn_app().await;
    for body in ["{", "{\"client_id\": }", "not json at all", "{\"a\":1}x"] {
        let r = send_raw(
            &app,
            Method::POST,
            "/auth/init",
            None,
            Some("application/json"),
            body,
        )
        .await;
        r.assert_error(400, "invalidValue");
    }
}

#[tokio::test]
async fn malformed_json_without_a_content_type_is_an_invalid_value_too() {
    let app = spawn_app().await;
    let r = send_raw(&app, Method::POST, "/auth/renew", None, None, "{oops").await;
    r.assert_error(400, "invalidValue");
}

#[tokio::test]
async fn a_json_body_that_is_not_an_object_is_an_invalid_value() {
    let app = spawn_app().await;
    for body in [json!([]), json!(["client_id"]), json!("text"), json!(12)] {
        app.post("/auth/init", None, body)
            .await
            .assert_error(400, "invalidValue");
    }
}

#[tokio::test]
async fn json_with_a_charset_is_read_as_json() {
    let app = spawn_app().await;
    let body = json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}).to_string();
    let r = send_raw(
        &app,
        Method::POST,
        "/auth/init",
        None,
        Some("application/json; charset=utf-8"),
        body,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["type"], "permanent");
}

#[tokio::test]
async fn a_json_body_sent_without_a_content_type_is_read_as_json() {
    let app = spawn_app().await;
    let body = json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}).to_string();
    let r = send_raw(&app, Method::POST, "/auth/init", None, None, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["type"], "permanent");
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_a_powens_error() {
    let app = spawn_app().await;
    let big = format!("{{\"client_id\": \"{}\"}}", "1".repeat(3 * 1024 * 1024));
    let r = send_raw(
        &app,
        Method::POST,
        "/auth/init",
        None,
        Some("application/json"),
        big,
    )
    .await;
    r.assert_error(413, "invalidValue");
}

#[tokio::test]
async fn wrong_types_are_invalid_values_naming_the_parameter() {
    let app = spawn_app().await;
    let cases = [
        (
            "/auth/renew",
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "id_user": "abc"}),
            "id_user",
        ),
        (
            "/auth/renew",
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "id_user": 1.5}),
            "id_user",
        ),
        (
            "/auth/renew",
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                   "revoke_previous": "maybe"}),
            "revoke_previous",
        ),
        (
            "/auth/init",
            json!({"client_id": [CLIENT_ID], "client_secret": CLIENT_SECRET}),
            "client_id",
        ),
        (
            "/auth/token/access",
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": {"x": 1}}),
            "code",
        ),
        (
            "/auth/token/access",
            json!({"grant_type": 7, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                   "code": "c"}),
            "grant_type",
        ),
    ];
    for (path, body, param) in cases {
        let r = app.post(path, None, body.clone()).await;
        r.assert_error(400, "invalidValue");
        let d = r.body["description"].as_str().unwrap();
        assert!(d.contains(param), "{path} {body}: {d}");
    }
}

#[tokio::test]
async fn a_path_segment_that_is_not_utf8_is_an_invalid_value() {
    let app = spawn_app().await;
    for path in ["/connectors/%FF", "/users/%FF", "/account_types/%C3%28"] {
        let r = app.get(path, Some(CONFIG_TOKEN)).await;
        r.assert_error(400, "invalidValue");
        assert!(r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        assert!(r.headers.get("x-powens-sandbox").is_some());
    }
}
