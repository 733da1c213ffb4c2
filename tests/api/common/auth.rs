//! Authentication helpers: temporary users and codes, and bodies sent in other encodings.

use super::{Reply, TestApp, CLIENT_ID, CLIENT_SECRET};
use reqwest::Method;
use serde_json::json;

/// A new temporary (anonymous) user: (id, token).
pub async fn temporary_user(app: &TestApp) -> (i64, String) {
    let b = app.post("/auth/init", None, json!({})).await.ok();
    (
        b["id_user"].as_i64().unwrap(),
        b["auth_token"].as_str().unwrap().to_string(),
    )
}

/// A temporary code for the user of `token`; `kind` is `requestAccess` or `singleAccess`.
pub async fn temporary_code(app: &TestApp, token: &str, kind: &str) -> String {
    let b = app
        .get(&format!("/auth/token/code?type={kind}"), Some(token))
        .await
        .ok();
    b["code"].as_str().unwrap().to_string()
}

/// A temporary code of `kind` for a new permanent user.
pub async fn permanent_user_code(app: &TestApp, kind: &str) -> String {
    let (_, token) = app.permanent_user().await;
    temporary_code(app, &token, kind).await
}

/// `POST /auth/token/access` with this JSON body.
pub async fn token_access(app: &TestApp, body: serde_json::Value) -> Reply {
    app.post("/auth/token/access", None, body).await
}

/// Exchanges a code with the default client's credentials in a JSON body.
pub async fn exchange_code(app: &TestApp, code: &str) -> Reply {
    app.post(
        "/auth/token/access",
        None,
        json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code}),
    )
    .await
}

/// Sends a form-encoded body (`application/x-www-form-urlencoded`).
pub async fn post_form(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    form: &[(&str, &str)],
) -> Reply {
    let url = app.url(path);
    let mut req = app.client.post(&url).form(form);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let reply = TestApp::reply(req.send().await.expect("request")).await;
    crate::conformance::check(&Method::POST, &url, &reply);
    reply
}

/// Sends `body` verbatim with this method and content type (None: no Content-Type header).
pub async fn send_raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> Reply {
    let url = app.url(path);
    let mut req = app.client.request(method.clone(), &url).body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(ct) = content_type {
        req = req.header(reqwest::header::CONTENT_TYPE, ct);
    }
    let reply = TestApp::reply(req.send().await.expect("request")).await;
    crate::conformance::check(&method, &url, &reply);
    reply
}
