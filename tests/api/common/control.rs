//! Connection states and the control plane: a clock of one's own, due work, temporary files.

use super::{id_of, spawn_with, test_connector_credentials, Reply, TestApp, CONFIG_TOKEN};
use reqwest::Method;
use serde_json::{json, Value};

/// A server whose sandbox clock starts frozen at `start` (`YYYY-MM-DD HH:MM:SS`); the
/// scheduler is off, so only `POST /sandbox/tick` runs due work.
pub async fn spawn_clock_at(start: &str) -> TestApp {
    let start = start.to_string();
    spawn_with(move |c| c.clock_start = Some(start)).await
}

/// A user with one synced test-connector connection: (token, connection id).
pub async fn user_with_connection(app: &TestApp) -> (String, i64) {
    let (_, token) = app.permanent_user().await;
    let c = app
        .post(
            "/users/me/connections",
            Some(&token),
            test_connector_credentials(),
        )
        .await
        .ok();
    (token, id_of(&c))
}

/// A permanent user whose decoupled (`SCARequiredAndDecoupled`) connection the PSU
/// validated in the bank's app: (token, connection id, the answer to `resume`).
pub async fn validated_decoupled_connection(app: &TestApp) -> (String, i64, Reply) {
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            super::test_connector("SCARequiredAndDecoupled"),
        )
        .await;
    assert_eq!(r.status.as_u16(), 202, "creating: {}", r.text);
    let id = id_of(&r.body);
    let path = format!("/users/me/connections/{id}");
    app.post(&path, Some(&token), json!({})).await;
    app.sandbox_post(&format!("/sandbox/connections/{id}/validate"), json!({}))
        .await
        .ok();
    let resumed = app.post(&path, Some(&token), json!({"resume": true})).await;
    (token, id, resumed)
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

/// A server whose API speaks in `zone` (an IANA name) with its clock frozen at `start`, given
/// in that zone.
pub async fn spawn_in_zone(zone: &str, start: &str) -> TestApp {
    let zone: chrono_tz::Tz = zone.parse().expect("an IANA zone");
    let start = start.to_string();
    spawn_with(move |c| {
        c.timezone = zone;
        c.clock_start = Some(start);
    })
    .await
}

/// A query-string value, percent-encoded (`2026-01-15 10:00:00` has a space and colons).
pub fn query_value(s: &str) -> String {
    s.replace(' ', "%20").replace(':', "%3A")
}

/// A server on a database file in `dir` (separate reader and writer connections, as in
/// production), its clock frozen at [`super::CLOCK_START`].
pub async fn spawn_frozen_on_file(dir: &TempDir) -> TestApp {
    let database = dir.file("sandbox.db");
    spawn_with(move |c| {
        c.database = database;
        c.clock_start = Some(super::CLOCK_START.into());
    })
    .await
}

impl TestApp {
    /// Subscribes the built-in sink to every event, so each queued webhook is listed by
    /// `/sandbox/webhooks/deliveries` with its payload.
    pub async fn subscribe_sink(&self) {
        self.sandbox_post("/sandbox/webhooks/subscriptions", json!({"url": "sink"}))
            .await
            .ok();
    }

    /// The payloads of every `event` queued so far, oldest first.
    pub async fn queued(&self, event: &str) -> Vec<Value> {
        let b = self
            .sandbox_get("/sandbox/webhooks/deliveries?limit=1000")
            .await
            .ok();
        let mut out: Vec<(i64, Value)> = b["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["event"] == event)
            .map(|d| (d["id"].as_i64().unwrap(), d["payload"].clone()))
            .collect();
        out.sort_by_key(|(id, _)| *id);
        out.into_iter().map(|(_, p)| p).collect()
    }
}
