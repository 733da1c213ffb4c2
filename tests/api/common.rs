//! The test harness: `spawn_app()` starts a real server on port 0 with a fresh in-memory
//! database and returns a client that knows its base URL.

#![allow(dead_code)]

use powens_sandbox::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub const CLIENT_ID: &str = "12345678";
pub const CLIENT_SECRET: &str = "sandbox-secret";
pub const CONFIG_TOKEN: &str = "sandbox-config-token";
pub const USERS_TOKEN: &str = "sandbox-users-token";
pub const TEST_CONNECTOR_UUID: &str = "338178e6-3d01-564f-9a7b-52ca442459bf";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
}

/// A response as the user sees it: status, headers and the JSON body (Null when empty).
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// Asserts a Powens error body with this status and code.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(
            self.status.as_u16(),
            status,
            "status for body {}",
            self.text
        );
        assert_eq!(self.body["code"], code, "code in {}", self.text);
        assert!(
            self.body["description"].is_string(),
            "description in {}",
            self.text
        );
        assert!(
            self.body["request_id"].is_string(),
            "request_id in {}",
            self.text
        );
    }

    pub fn ok(self) -> Value {
        assert!(
            self.status.is_success(),
            "expected success, got {} {}",
            self.status,
            self.text
        );
        self.body
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

/// Starts a server with a tweaked configuration.
pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_tests();
    tweak(&mut config);
    let state = powens_sandbox::build_state(config).await.expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(powens_sandbox::run(state, listener, std::future::pending()));
    TestApp {
        base: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else if path.starts_with("/sandbox")
            || path.starts_with("/health")
            || path.starts_with("/openapi")
            || path.starts_with("/webview")
        {
            format!("{}{}", self.base, path)
        } else {
            format!("{}/2.0{}", self.base, path)
        }
    }

    /// Sends a request; `token` is a bearer token, `body` JSON when Some.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let url = self.url(path);
        let mut req = self.client.request(method.clone(), &url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let reply = Self::reply(req.send().await.expect("request")).await;
        crate::conformance::check(&method, &url, &reply);
        reply
    }

    pub async fn reply(res: reqwest::Response) -> Reply {
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::Null)
        };
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        self.call(Method::PUT, path, token, body).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::DELETE, path, token, None).await
    }

    /// A new permanent user: (id, token).
    pub async fn permanent_user(&self) -> (i64, String) {
        let b = self
            .post(
                "/auth/init",
                None,
                json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
            )
            .await
            .ok();
        (
            b["id_user"].as_i64().unwrap(),
            b["auth_token"].as_str().unwrap().to_string(),
        )
    }
}

// Aggregation helpers: connections, accounts, transactions and the sandbox clock.

/// The instant aggregation tests freeze the sandbox clock at, so generated ledgers and every
/// timestamp are reproducible.
pub const CLOCK_START: &str = "2026-01-15 10:00:00";

/// A server whose sandbox clock starts frozen at [`CLOCK_START`].
pub async fn spawn_frozen() -> TestApp {
    spawn_with(|c| c.clock_start = Some(CLOCK_START.into())).await
}

/// Credentials the test connector accepts (its `par` scenario).
pub fn test_connector_credentials() -> Value {
    json!({
        "connector_uuid": TEST_CONNECTOR_UUID,
        "login": "Identifiant",
        "password": "1234",
        "openapiwebsite": "par",
    })
}

/// A user with one test-connector connection whose accounts are all enabled.
pub struct Bank {
    pub id_user: i64,
    pub token: String,
    pub connection: i64,
    /// Every account of the connection, in id order.
    pub accounts: Vec<i64>,
}

impl TestApp {
    /// Sends a request to the control plane with the config token.
    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.call(method, path, Some(CONFIG_TOKEN), body).await
    }

    /// Moves the sandbox clock forward through the control plane (`"36h"`, `"30d"`, `"90m"`)
    /// and returns the clock as it answers.
    pub async fn advance_clock(&self, by: &str) -> Value {
        self.control(
            Method::POST,
            "/sandbox/clock",
            Some(json!({ "advance": by })),
        )
        .await
        .ok()
    }

    /// Creates a connection for the user of `token` and returns it; panics unless it is 200.
    pub async fn create_connection(&self, token: &str, body: Value) -> Value {
        let r = self.post("/users/me/connections", Some(token), body).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "creating a connection: {}",
            r.text
        );
        r.body
    }

    /// Syncs a connection as a background refresh (`PUT ...?psu_requested=false`) and returns it.
    pub async fn sync_connection(&self, token: &str, id_connection: i64) -> Value {
        self.put(
            &format!("/users/me/connections/{id_connection}?psu_requested=false"),
            Some(token),
            None,
        )
        .await
        .ok()
    }

    /// Every account of the user (`?all`: disabled and deleted ones too).
    pub async fn all_accounts(&self, token: &str) -> Vec<Value> {
        let b = self.get("/users/me/accounts?all", Some(token)).await.ok();
        b["accounts"].as_array().cloned().unwrap_or_default()
    }

    /// Enables these accounts (the PSU's consent: their history is fetched at once).
    pub async fn enable_accounts(&self, token: &str, ids: &[i64]) -> Value {
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        self.post(
            &format!("/users/me/accounts/{}?all", list.join(",")),
            Some(token),
            json!({"disabled": false}),
        )
        .await
        .ok()
    }

    /// Enables every disabled account of the user and returns the ids of all its accounts.
    pub async fn enable_all_accounts(&self, token: &str) -> Vec<i64> {
        let all: Vec<Value> = self.all_accounts(token).await;
        let disabled: Vec<i64> = all
            .iter()
            .filter(|a| !a["disabled"].is_null())
            .map(|a| a["id"].as_i64().unwrap())
            .collect();
        if !disabled.is_empty() {
            self.enable_accounts(token, &disabled).await;
        }
        all.iter().map(|a| a["id"].as_i64().unwrap()).collect()
    }

    /// A new permanent user with one test-connector connection and every account enabled.
    pub async fn user_with_bank(&self) -> Bank {
        let (id_user, token) = self.permanent_user().await;
        let c = self
            .create_connection(&token, test_connector_credentials())
            .await;
        let accounts = self.enable_all_accounts(&token).await;
        Bank {
            id_user,
            token,
            connection: c["id"].as_i64().unwrap(),
            accounts,
        }
    }

    /// Follows `_links.next` from `path` until it is null and returns every page's
    /// transactions in the order they came.
    pub async fn walk_transactions(&self, token: &str, path: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut next = Some(path.to_string());
        let mut pages = 0;
        while let Some(url) = next {
            pages += 1;
            assert!(pages <= 10_000, "the walk does not end");
            let b = self.get(&url, Some(token)).await.ok();
            out.extend(b["transactions"].as_array().unwrap().iter().cloned());
            next = b["_links"]["next"]["href"].as_str().map(str::to_owned);
        }
        out
    }
}

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

// Connection states and the control plane: a clock of one's own, due work, temporary files.

/// A server whose sandbox clock starts frozen at `start` (`YYYY-MM-DD HH:MM:SS`); the
/// scheduler is off, so only `POST /sandbox/tick` runs due work.
pub async fn spawn_clock_at(start: &str) -> TestApp {
    let start = start.to_string();
    spawn_with(move |c| c.clock_start = Some(start)).await
}

/// Asserts a connection's `state` and its deprecated mirror `error`.
pub fn assert_connection_state(connection: &Value, state: Option<&str>) {
    let want = state.map_or(Value::Null, |s| Value::String(s.into()));
    assert_eq!(connection["state"], want, "state of {connection}");
    assert_eq!(
        connection["error"], want,
        "error mirrors state in {connection}"
    );
}

/// A directory of its own under the system temporary directory, removed when dropped.
pub struct TempDir {
    pub path: std::path::PathBuf,
}

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!(
            "powens-sandbox-{prefix}-{}-{nanos}-{n}",
            std::process::id()
        ));
        std::fs::create_dir_all(&path).expect("temporary directory");
        TempDir { path }
    }

    /// A path inside the directory, as a string (for `Config::database`).
    pub fn file(&self, name: &str) -> String {
        self.path.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

impl TestApp {
    /// `GET` on the control plane with the config token.
    pub async fn sandbox_get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, Some(CONFIG_TOKEN), None).await
    }

    /// `POST` on the control plane with the config token.
    pub async fn sandbox_post(&self, path: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(CONFIG_TOKEN), Some(body))
            .await
    }

    /// The sandbox clock's `now`.
    pub async fn sandbox_now(&self) -> String {
        let b = self.sandbox_get("/sandbox/clock").await.ok();
        b["now"].as_str().expect("now").to_string()
    }

    /// `POST /sandbox/tick`: runs the due work and returns the jobs that ran.
    pub async fn run_due_work(&self) -> Vec<Value> {
        let b = self.sandbox_post("/sandbox/tick", json!({})).await.ok();
        b["ran"].as_array().expect("ran").clone()
    }

    /// A connection as its user reads it (`GET /users/me/connections/{id}`).
    pub async fn connection_of(&self, token: &str, id: i64) -> Value {
        self.get(&format!("/users/me/connections/{id}"), Some(token))
            .await
            .ok()
    }

    /// A connection's sources (`?all`) keyed by name.
    pub async fn sources_by_name(
        &self,
        token: &str,
        id: i64,
    ) -> std::collections::BTreeMap<String, Value> {
        let b = self
            .get(
                &format!("/users/me/connections/{id}/sources?all"),
                Some(token),
            )
            .await
            .ok();
        b["sources"]
            .as_array()
            .expect("sources")
            .iter()
            .map(|s| (s["name"].as_str().expect("name").to_string(), s.clone()))
            .collect()
    }
}
