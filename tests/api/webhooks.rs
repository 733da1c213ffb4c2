//! Webhooks (API notes §13, README): subscriptions from the configuration and the control
//! plane, HMAC auth providers, the documented events emitted by the real lifecycle, delivery
//! (the user's Bearer token or a signature, retries with backoff, the pause after ten
//! failures, order per connection, nothing lost across a restart), inspection, the built-in
//! sink and test events.
//!
//! Every test runs a real HTTP receiver on a loopback port that records each request's path,
//! headers and body and answers what the test tells it to.

use crate::common::*;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use base64::Engine;
use hmac::{Hmac, Mac};
use powens_sandbox::config::Config;
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const EVENTS: [&str; 10] = [
    "USER_CREATED",
    "USER_DELETED",
    "CONNECTION_SYNCED",
    "CONNECTION_DELETED",
    "ACCOUNTS_FETCHED",
    "ACCOUNT_SYNCED",
    "ACCOUNT_CATEGORIZED",
    "ACCOUNT_FOUND",
    "ACCOUNT_ENABLED",
    "ACCOUNT_DISABLED",
];

/// The first retry delay the servers of these tests use (the default is a second).
const RETRY_MS: u64 = 20;

/// How long a test waits for something that should happen before it gives up.
const PATIENCE: Duration = Duration::from_secs(20);

// The receiver.

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Hit {
    path: String,
    query: Option<String>,
    /// Header names in lower case.
    headers: BTreeMap<String, String>,
    body: String,
    json: Value,
    at: Instant,
    /// The status it answered; 0 when it stalled past the sender's timeout.
    answered: u16,
}

impl Hit {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The event name the sandbox puts in `X-Powens-Event`.
    fn event(&self) -> &str {
        self.header("x-powens-event").unwrap_or("")
    }

    fn id(&self) -> i64 {
        self.json["id_webhook_data"]
            .as_i64()
            .unwrap_or_else(|| panic!("id_webhook_data in {}", self.body))
    }

    fn delivered(&self) -> bool {
        (200..300).contains(&self.answered)
    }
}

type Rule = Box<dyn Fn(&Hit) -> u16 + Send + Sync>;

/// What the receiver records and how it answers: `status` (0 means 200), the first
/// `fail_first` requests with 500, the first `stall_first` requests after 3 s (past the
/// sender's timeout), or a `rule` deciding from the request.
#[derive(Default)]
struct Inbox {
    hits: Mutex<Vec<Hit>>,
    status: AtomicU16,
    fail_first: AtomicUsize,
    stall_first: AtomicUsize,
    rule: Mutex<Option<Rule>>,
}

async fn receive(
    State(inbox): State<Arc<Inbox>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> axum::http::StatusCode {
    let text = String::from_utf8_lossy(&body).into_owned();
    let mut hit = Hit {
        path: uri.path().to_string(),
        query: uri.query().map(str::to_owned),
        headers: headers
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect(),
        json: serde_json::from_str(&text).unwrap_or(Value::Null),
        body: text,
        at: Instant::now(),
        answered: 0,
    };
    let status = {
        let mut hits = inbox.hits.lock().unwrap();
        let n = hits.len();
        let status = if n < inbox.stall_first.load(SeqCst) {
            0
        } else if n < inbox.fail_first.load(SeqCst) {
            500
        } else if let Some(rule) = inbox.rule.lock().unwrap().as_ref() {
            rule(&hit)
        } else {
            match inbox.status.load(SeqCst) {
                0 => 200,
                s => s,
            }
        };
        hit.answered = status;
        hits.push(hit);
        status
    };
    if status == 0 {
        tokio::time::sleep(Duration::from_secs(3)).await;
        return axum::http::StatusCode::OK;
    }
    axum::http::StatusCode::from_u16(status).expect("status")
}

struct Receiver {
    base: String,
    inbox: Arc<Inbox>,
}

impl Receiver {
    async fn start() -> Receiver {
        let inbox = Arc::new(Inbox::default());
        let app = axum::Router::new()
            .fallback(receive)
            .with_state(inbox.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { base, inbox }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn answer(&self, status: u16) {
        self.inbox.status.store(status, SeqCst);
    }

    fn fail_first(&self, n: usize) {
        self.inbox.fail_first.store(n, SeqCst);
    }

    fn stall_first(&self, n: usize) {
        self.inbox.stall_first.store(n, SeqCst);
    }

    fn rule(&self, rule: impl Fn(&Hit) -> u16 + Send + Sync + 'static) {
        *self.inbox.rule.lock().unwrap() = Some(Box::new(rule));
    }

    fn clear_rule(&self) {
        *self.inbox.rule.lock().unwrap() = None;
    }

    fn hits(&self) -> Vec<Hit> {
        self.inbox.hits.lock().unwrap().clone()
    }

    fn delivered(&self) -> Vec<Hit> {
        self.hits().into_iter().filter(Hit::delivered).collect()
    }

    /// Waits until `done` holds for the requests received so far.
    async fn wait_for(&self, what: &str, done: impl Fn(&[Hit]) -> bool) -> Vec<Hit> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let hits = self.hits();
            if done(&hits) {
                return hits;
            }
            assert!(
                Instant::now() < deadline,
                "the receiver never saw {what}; it saw {:?}",
                summary(&hits)
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    async fn wait_hits(&self, n: usize) -> Vec<Hit> {
        self.wait_for(&format!("{n} requests"), |h| h.len() >= n)
            .await
    }

    async fn wait_delivered(&self, n: usize) -> Vec<Hit> {
        self.wait_for(&format!("{n} delivered requests"), |h| {
            h.iter().filter(|x| x.delivered()).count() >= n
        })
        .await
        .into_iter()
        .filter(Hit::delivered)
        .collect()
    }
}

fn summary(hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .map(|h| {
            format!(
                "{} {} #{} -> {}",
                h.path,
                h.event(),
                h.json["id_webhook_data"],
                h.answered
            )
        })
        .collect()
}

/// The delivered requests of one event, in the order they came.
fn of_event(hits: &[Hit], event: &str) -> Vec<Hit> {
    hits.iter()
        .filter(|h| h.delivered() && h.event() == event)
        .cloned()
        .collect()
}

// Servers.

/// A server whose clock is frozen at [`CLOCK_START`], subscribed for every event at the
/// receiver's `/hooks`, retrying after [`RETRY_MS`].
async fn hooked(receiver: &Receiver) -> TestApp {
    hooked_with(receiver, |_| {}).await
}

async fn hooked_with(receiver: &Receiver, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let url = receiver.url("/hooks");
    spawn_with(move |c| {
        c.clock_start = Some(CLOCK_START.into());
        c.webhook_urls = vec![url];
        c.webhook_retry_ms = RETRY_MS;
        tweak(c);
    })
    .await
}

/// A server on a runtime of its own, on a thread of its own. `stop` shuts it down through
/// the shutdown future given to `powens_sandbox::run`, then drops its runtime, which ends
/// every task the server spawned (the delivery worker among them), as the end of the process
/// would.
struct OwnServer {
    app: TestApp,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl OwnServer {
    async fn start(config: Config) -> OwnServer {
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let state = powens_sandbox::build_state(config).await.expect("state");
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                let _ = ready_tx.send(listener.local_addr().expect("addr"));
                let shutdown = async {
                    let _ = stop_rx.await;
                };
                let _ = powens_sandbox::run(state, listener, shutdown).await;
            });
            runtime.shutdown_timeout(Duration::from_secs(5));
        });
        let addr = ready_rx.await.expect("the server started");
        OwnServer {
            app: TestApp {
                base: format!("http://{addr}"),
                client: reqwest::Client::new(),
            },
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        let thread = self.thread.take().expect("thread");
        tokio::task::spawn_blocking(move || thread.join())
            .await
            .expect("join")
            .expect("the server thread ended cleanly");
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

// Control-plane helpers.

async fn deliveries(app: &TestApp, query: &str) -> Value {
    app.sandbox_get(&format!("/sandbox/webhooks/deliveries{query}"))
        .await
        .ok()
}

async fn delivery(app: &TestApp, id: i64) -> Value {
    app.sandbox_get(&format!("/sandbox/webhooks/deliveries/{id}"))
        .await
        .ok()
}

/// Waits until no delivery is pending (so every delivery so far reached the receiver).
async fn settle(app: &TestApp) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let b = deliveries(app, "?status=pending&limit=1").await;
        if b["total"] == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "deliveries still pending: {}",
            b["deliveries"]
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `POST /sandbox/webhooks/test`.
async fn fire(app: &TestApp, body: Value) -> Value {
    app.sandbox_post("/sandbox/webhooks/test", body).await.ok()
}

async fn subscriptions(app: &TestApp) -> Vec<Value> {
    let b = app
        .sandbox_get("/sandbox/webhooks/subscriptions")
        .await
        .ok();
    b["subscriptions"]
        .as_array()
        .expect("subscriptions")
        .clone()
}

async fn subscribe(app: &TestApp, body: Value) -> Value {
    app.sandbox_post("/sandbox/webhooks/subscriptions", body)
        .await
        .ok()
}

async fn auth_provider(app: &TestApp, name: &str) -> Value {
    app.post(
        "/webhooks/auth",
        Some(CONFIG_TOKEN),
        json!({"type": "hmac_signature", "name": name}),
    )
    .await
    .ok()
}

fn hmac_base64(secret: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key size");
    mac.update(message.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

// The lifecycle of the issue.

fn par() -> Value {
    json!({
        "connector_uuid": TEST_CONNECTOR_UUID,
        "login": "a",
        "password": "1234",
        "openapiwebsite": "par",
    })
}

async fn transaction_ids_by_account(app: &TestApp, token: &str) -> BTreeMap<i64, Vec<i64>> {
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let r = app.get("/users/me/transactions?limit=1", Some(token)).await;
    if r.status == 409 {
        return out;
    }
    for t in app
        .walk_transactions(token, "/users/me/transactions?limit=1000")
        .await
    {
        out.entry(t["id_account"].as_i64().unwrap())
            .or_default()
            .push(t["id"].as_i64().unwrap());
    }
    out
}

/// What one run of the lifecycle did.
struct Lifecycle {
    id_user: i64,
    connection: i64,
    /// Every account found at the connection's creation.
    accounts: Vec<i64>,
    /// Transaction ids per account right after the accounts were enabled.
    history: BTreeMap<i64, Vec<i64>>,
    /// Transaction ids per account that the sync after the clock moved brought.
    new: BTreeMap<i64, Vec<i64>>,
    disabled: i64,
    /// `GET /users/me` with the Authorization of the first delivery, before the user went.
    me_with_webhook_token: Value,
}

/// Init a permanent user, create a connection on the test connector, enable its accounts,
/// advance the clock 10 days and sync, disable an account, delete the connection, delete the
/// user. Waits until every delivery is done.
async fn lifecycle(app: &TestApp, receiver: &Receiver) -> Lifecycle {
    let (id_user, token) = app.permanent_user().await;
    let c = app.create_connection(&token, par()).await;
    let connection = c["id"].as_i64().unwrap();
    let accounts: Vec<i64> = app
        .all_accounts(&token)
        .await
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert!(!accounts.is_empty(), "the test connector has accounts");
    app.enable_accounts(&token, &accounts).await;
    let history = transaction_ids_by_account(app, &token).await;
    app.advance_clock("10d").await;
    app.sync_connection(&token, connection).await;
    let after = transaction_ids_by_account(app, &token).await;
    let new = after
        .iter()
        .map(|(a, list)| {
            let before: BTreeSet<i64> = history.get(a).into_iter().flatten().copied().collect();
            let mut fresh: Vec<i64> = list
                .iter()
                .copied()
                .filter(|t| !before.contains(t))
                .collect();
            fresh.sort();
            (*a, fresh)
        })
        .collect();
    let disabled = accounts[0];
    app.post(
        &format!("/users/me/accounts/{disabled}?all"),
        Some(&token),
        json!({"disabled": true}),
    )
    .await
    .ok();
    // The token the webhooks carry works like any token of the user.
    settle(app).await;
    let first = receiver
        .delivered()
        .into_iter()
        .find(|h| h.json["id"] == id_user || h.json["id_user"] == id_user)
        .expect("a delivery for the user");
    let bearer = first
        .header("authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .expect("a Bearer authorization")
        .to_string();
    let me_with_webhook_token = app.get("/users/me", Some(&bearer)).await.ok();
    let r = app
        .delete(&format!("/users/me/connections/{connection}"), Some(&token))
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = app.delete("/users/me", Some(&token)).await;
    assert_eq!(r.status, 204, "{}", r.text);
    settle(app).await;
    Lifecycle {
        id_user,
        connection,
        accounts,
        history,
        new,
        disabled,
        me_with_webhook_token,
    }
}

// Subscriptions from the configuration.

#[tokio::test]
async fn a_configured_url_receives_every_event_and_an_event_scoped_one_only_its_event() {
    let receiver = Receiver::start().await;
    let scoped = format!("USER_DELETED={}", receiver.url("/deleted"));
    let all = receiver.url("/all");
    let app = spawn_with(move |c| {
        c.webhook_urls = vec![all, scoped];
        c.webhook_retry_ms = RETRY_MS;
    })
    .await;
    let (id_user, token) = app.permanent_user().await;
    assert_eq!(app.delete("/users/me", Some(&token)).await.status, 204);
    settle(&app).await;

    let hits = receiver.delivered();
    let at = |path: &str| -> Vec<String> {
        hits.iter()
            .filter(|h| h.path == path)
            .map(|h| h.event().to_string())
            .collect()
    };
    assert_eq!(at("/all"), ["USER_CREATED", "USER_DELETED"]);
    assert_eq!(at("/deleted"), ["USER_DELETED"]);
    assert!(hits.iter().all(|h| h.json["id"] == id_user));

    let subs = subscriptions(&app).await;
    assert_eq!(subs.len(), 2, "{subs:?}");
    assert!(subs.iter().all(|s| s["origin"] == "config"));
    let events: Vec<&Value> = subs.iter().map(|s| &s["event"]).collect();
    assert_eq!(events, [&Value::Null, &json!("USER_DELETED")]);
}

#[tokio::test]
async fn an_unknown_event_or_a_url_that_is_not_http_in_the_configuration_stops_the_start() {
    for spec in [
        "USER_EXPLODED=http://127.0.0.1:9/hooks",
        "ftp://127.0.0.1/hooks",
        "not a url",
    ] {
        let mut config = Config::for_tests();
        config.webhook_urls = vec![spec.to_string()];
        let started = powens_sandbox::build_state(config).await;
        assert!(started.is_err(), "{spec} was accepted");
    }
}

#[test]
fn the_webhook_url_flag_is_repeatable() {
    use clap::Parser;
    let cli = powens_sandbox::config::Cli::parse_from([
        "powens-sandbox",
        "--webhook-url",
        "http://127.0.0.1:9/all",
        "--webhook-url",
        "ACCOUNT_SYNCED=http://127.0.0.1:9/synced",
    ]);
    assert_eq!(
        cli.config.webhook_urls,
        [
            "http://127.0.0.1:9/all",
            "ACCOUNT_SYNCED=http://127.0.0.1:9/synced"
        ]
    );
}

/// Kills the child process (by its handle) when the test ends, even on a panic.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_webhook_urls_variable_takes_a_comma_separated_list() {
    use std::io::BufRead;
    let receiver = Receiver::start().await;
    let dir = TempDir::new("webhooks-env");
    let mut child = Child(
        std::process::Command::new(env!("CARGO_BIN_EXE_powens-sandbox"))
            .env(
                "POWENS_SANDBOX_WEBHOOK_URLS",
                format!(
                    "{},USER_DELETED={}",
                    receiver.url("/all"),
                    receiver.url("/deleted")
                ),
            )
            .env("POWENS_SANDBOX_WEBHOOK_RETRY_MS", "20")
            .env("POWENS_SANDBOX_LISTEN", "127.0.0.1:0")
            .env("POWENS_SANDBOX_DATABASE", dir.file("env.db"))
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the server binary"),
    );
    // Read the banner for the base URL, then keep draining the output.
    let stdout = child.0.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(url) = line.trim().strip_prefix("API base URL") {
                let _ = tx.send(url.trim().trim_end_matches("/2.0").to_string());
            }
        }
    });
    let base = tokio::task::spawn_blocking(move || rx.recv_timeout(PATIENCE))
        .await
        .unwrap()
        .expect("the server printed its base URL");
    let app = TestApp {
        base,
        client: reqwest::Client::new(),
    };
    let (_, token) = app.permanent_user().await;
    assert_eq!(app.delete("/users/me", Some(&token)).await.status, 204);
    let hits = receiver
        .wait_for("USER_DELETED at both URLs", |h| {
            h.iter()
                .filter(|x| x.delivered() && x.event() == "USER_DELETED")
                .count()
                == 2
        })
        .await;
    let at = |path: &str| -> Vec<String> {
        hits.iter()
            .filter(|h| h.path == path)
            .map(|h| h.event().to_string())
            .collect()
    };
    assert_eq!(at("/all"), ["USER_CREATED", "USER_DELETED"]);
    assert_eq!(at("/deleted"), ["USER_DELETED"]);
    drop(child);
}

// Subscriptions through the control plane.

#[tokio::test]
async fn subscriptions_are_created_listed_and_deleted_through_the_control_plane() {
    let receiver = Receiver::start().await;
    let app = spawn_app().await;
    assert!(subscriptions(&app).await.is_empty());

    let all = subscribe(&app, json!({"url": receiver.url("/all")})).await;
    assert_eq!(all["url"], receiver.url("/all"));
    assert_eq!(all["event"], Value::Null);
    assert_eq!(all["id_auth"], Value::Null);
    assert_eq!(all["origin"], "api");
    assert_eq!(all["active"], true);
    assert_eq!(all["paused"], false);
    let one = subscribe(
        &app,
        json!({"url": receiver.url("/enabled"), "event": "ACCOUNT_ENABLED"}),
    )
    .await;
    assert_eq!(one["event"], "ACCOUNT_ENABLED");
    let listed: Vec<i64> = subscriptions(&app)
        .await
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        listed,
        [all["id"].as_i64().unwrap(), one["id"].as_i64().unwrap()]
    );

    let path = format!("/sandbox/webhooks/subscriptions/{}", all["id"]);
    let r = app.control(Method::DELETE, &path, None).await;
    assert_eq!(r.status, 204, "{}", r.text);
    app.control(Method::DELETE, &path, None)
        .await
        .assert_error(404, "notFound");
    app.control(Method::DELETE, "/sandbox/webhooks/subscriptions/abc", None)
        .await
        .assert_error(404, "notFound");
    let left = subscriptions(&app).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["id"], one["id"]);
}

#[tokio::test]
async fn a_subscription_is_refused_without_the_config_token_or_with_bad_fields() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let body = json!({"url": "http://127.0.0.1:9/hooks"});
    app.post(
        "/sandbox/webhooks/subscriptions",
        Some(&token),
        body.clone(),
    )
    .await
    .assert_error(401, "unauthorized");
    app.post("/sandbox/webhooks/subscriptions", None, body)
        .await
        .assert_error(401, "unauthorized");
    app.get("/sandbox/webhooks/subscriptions", Some(&token))
        .await
        .assert_error(401, "unauthorized");
    for bad in [
        json!({}),
        json!({"url": "ftp://127.0.0.1/hooks"}),
        json!({"url": "nowhere"}),
        json!({"url": "http://127.0.0.1:9/hooks", "event": "USER_EXPLODED"}),
        json!({"url": "http://127.0.0.1:9/hooks", "id_auth": 999}),
    ] {
        let r = app
            .sandbox_post("/sandbox/webhooks/subscriptions", bad.clone())
            .await;
        assert_eq!(r.status, 400, "{bad} answered {} {}", r.status, r.text);
    }
    assert!(subscriptions(&app).await.is_empty());
}

#[tokio::test]
async fn an_event_scoped_subscription_receives_only_its_event() {
    let receiver = Receiver::start().await;
    let app = spawn_app().await;
    subscribe(
        &app,
        json!({"url": receiver.url("/enabled"), "event": "ACCOUNT_ENABLED"}),
    )
    .await;
    let bank = app.user_with_bank().await;
    settle(&app).await;
    let hits = receiver.delivered();
    assert_eq!(hits.len(), bank.accounts.len(), "{:?}", summary(&hits));
    assert!(hits.iter().all(|h| h.event() == "ACCOUNT_ENABLED"));
    let got: BTreeSet<i64> = hits
        .iter()
        .map(|h| h.json["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, bank.accounts.iter().copied().collect());
}

#[tokio::test]
async fn a_deleted_subscription_receives_nothing_more() {
    let receiver = Receiver::start().await;
    let app = spawn_app().await;
    let s = subscribe(&app, json!({"url": receiver.url("/gone")})).await;
    let (id_user, _) = app.permanent_user().await;
    settle(&app).await;
    assert_eq!(receiver.delivered().len(), 1);
    let r = app
        .control(
            Method::DELETE,
            &format!("/sandbox/webhooks/subscriptions/{}", s["id"]),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    let (later, _) = app.permanent_user().await;
    // Deliveries are written with the change: none exist for a change after the deletion.
    let b = deliveries(&app, &format!("?id_user={later}")).await;
    assert_eq!(b["total"], 0, "{b}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 1, "{:?}", summary(&hits));
    assert_eq!(hits[0].json["id"], id_user);
}

#[tokio::test]
async fn the_sink_url_delivers_to_the_built_in_sink_which_lists_and_clears() {
    let app = spawn_app().await;
    let s = subscribe(&app, json!({"url": "sink"})).await;
    assert_eq!(s["url"], format!("{}/sandbox/webhooks/sink", app.base));
    let (id_user, _) = app.permanent_user().await;
    let waited = app
        .sandbox_get(&format!(
            "/sandbox/webhooks/wait?event=USER_CREATED&id_user={id_user}&timeout=20"
        ))
        .await
        .ok();
    assert_eq!(waited["status"], "delivered");

    let list = app.sandbox_get("/sandbox/webhooks/sink").await.ok();
    assert_eq!(list["total"], 1, "{list}");
    let got = &list["received"][0];
    assert_eq!(got["body"]["id"], id_user);
    assert_eq!(got["body"]["id_webhook_data"], waited["id"]);
    assert!(got["headers"]["authorization"]
        .as_str()
        .is_some_and(|a| a.starts_with("Bearer ")));
    assert!(got["received"].is_string());

    // The sink takes anything without a token, like a real receiver; reading it needs one.
    let r = send_raw(
        &app,
        Method::POST,
        "/sandbox/webhooks/sink",
        None,
        Some("application/json"),
        r#"{"hello": "sink"}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    app.get("/sandbox/webhooks/sink", None)
        .await
        .assert_error(401, "unauthorized");
    let list = app.sandbox_get("/sandbox/webhooks/sink").await.ok();
    assert_eq!(list["total"], 2);
    assert_eq!(list["received"][0]["body"]["hello"], "sink", "newest first");
    let list = app.sandbox_get("/sandbox/webhooks/sink?limit=1").await.ok();
    assert_eq!(list["received"].as_array().unwrap().len(), 1);

    app.call(Method::DELETE, "/sandbox/webhooks/sink", None, None)
        .await
        .assert_error(401, "unauthorized");
    let r = app
        .control(Method::DELETE, "/sandbox/webhooks/sink", None)
        .await;
    assert_eq!(r.status, 204);
    let list = app.sandbox_get("/sandbox/webhooks/sink").await.ok();
    assert_eq!(list["total"], 0);
}

// HMAC auth providers and signatures.

#[tokio::test]
async fn an_auth_provider_shows_its_secret_once_and_is_listed_and_deleted() {
    let app = spawn_app().await;
    let made = auth_provider(&app, "my-listener").await;
    assert_eq!(made["type"], "hmac_signature");
    assert_eq!(made["name"], "my-listener");
    let secret = made["config"]["secret_key"].as_str().expect("secret_key");
    assert!(secret.len() >= 32, "{secret}");

    // As Formance sends it: type and name as query parameters.
    let by_query = app
        .call(
            Method::POST,
            "/webhooks/auth?type=hmac_signature&name=formance",
            Some(CONFIG_TOKEN),
            None,
        )
        .await
        .ok();
    assert_eq!(by_query["name"], "formance");
    assert_ne!(
        by_query["config"]["secret_key"],
        made["config"]["secret_key"]
    );

    let list = app.get("/webhooks/auth", Some(CONFIG_TOKEN)).await.ok();
    assert_eq!(list["total"], 2);
    assert_eq!(
        list["authproviders"][0],
        json!({"id": made["id"], "type": "hmac_signature", "name": "my-listener"}),
        "the secret is not shown again"
    );
    assert!(!list.to_string().contains(secret));

    let path = format!("/webhooks/auth/{}", made["id"]);
    assert_eq!(app.delete(&path, Some(CONFIG_TOKEN)).await.status, 204);
    app.delete(&path, Some(CONFIG_TOKEN))
        .await
        .assert_error(404, "notFound");
    let list = app.get("/webhooks/auth", Some(CONFIG_TOKEN)).await.ok();
    assert_eq!(list["total"], 1);
    assert_eq!(list["authproviders"][0]["id"], by_query["id"]);
}

#[tokio::test]
async fn auth_providers_need_the_config_token_and_a_supported_type_and_name() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let body = json!({"type": "hmac_signature", "name": "x"});
    app.post("/webhooks/auth", Some(&token), body.clone())
        .await
        .assert_error(401, "unauthorized");
    app.post("/webhooks/auth", None, body)
        .await
        .assert_error(401, "unauthorized");
    app.get("/webhooks/auth", Some(&token))
        .await
        .assert_error(401, "unauthorized");
    app.delete("/webhooks/auth/1", Some(&token))
        .await
        .assert_error(401, "unauthorized");
    for bad in [
        json!({"name": "x"}),
        json!({"type": "hmac_signature"}),
        json!({"type": "basic", "name": "x"}),
        json!({"type": "hmac_signature", "name": ""}),
        json!({"type": "hmac_signature", "name": "a/b"}),
        json!({"type": "hmac_signature", "name": "x".repeat(65)}),
    ] {
        let r = app
            .post("/webhooks/auth", Some(CONFIG_TOKEN), bad.clone())
            .await;
        assert_eq!(r.status, 400, "{bad} answered {} {}", r.status, r.text);
    }
    let list = app.get("/webhooks/auth", Some(CONFIG_TOKEN)).await.ok();
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn a_subscription_with_an_hmac_provider_signs_method_path_date_and_body() {
    let receiver = Receiver::start().await;
    receiver.fail_first(1);
    let app = spawn_clock_at(CLOCK_START).await;
    let provider = auth_provider(&app, "listener").await;
    let secret = provider["config"]["secret_key"]
        .as_str()
        .unwrap()
        .to_string();
    let url = receiver.url("/v1/webhook-listener?tenant=7");
    let s = subscribe(&app, json!({"url": url, "id_auth": provider["id"]})).await;
    assert_eq!(s["id_auth"], provider["id"]);

    let (id_user, _) = app.permanent_user().await;
    receiver.wait_delivered(1).await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 2, "a failure, then the retry");
    for h in &hits {
        assert_eq!(h.path, "/v1/webhook-listener");
        assert_eq!(h.query.as_deref(), Some("tenant=7"));
        assert_eq!(h.json["id"], id_user);
        assert!(
            h.header("authorization").is_none(),
            "no Bearer with a signature"
        );
        let date = h.header("bi-signature-date").expect("BI-Signature-Date");
        // UTC ISO-8601 with microseconds, on the sandbox clock.
        assert!(
            chrono::NaiveDateTime::parse_from_str(date, "%Y-%m-%dT%H:%M:%S%.fZ").is_ok(),
            "{date}"
        );
        assert_eq!(date.len(), "2022-06-27T11:08:52.577831Z".len(), "{date}");
        assert!(date.starts_with("2026-01-15T10:00:00."), "{date}");
        // The path only: no host, no query.
        let expected = hmac_base64(
            &secret,
            &format!("POST./v1/webhook-listener.{date}.{}", h.body),
        );
        assert_eq!(h.header("bi-signature"), Some(expected.as_str()));
        let with_query = hmac_base64(
            &secret,
            &format!("POST./v1/webhook-listener?tenant=7.{date}.{}", h.body),
        );
        assert_ne!(h.header("bi-signature"), Some(with_query.as_str()));
    }
    assert_eq!(hits[0].body, hits[1].body, "a retry sends the same body");

    // The delivery log shows the headers that were sent.
    let d = delivery(&app, hits[1].id()).await;
    assert_eq!(
        d["headers"]["BI-Signature"].as_str(),
        hits[1].header("bi-signature")
    );
}

// Headers of the default authorization.

#[tokio::test]
async fn the_default_authorization_is_a_bearer_token_of_the_user_with_json_and_a_user_agent() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, token) = app.permanent_user().await;
    app.create_connection(&token, par()).await;
    settle(&app).await;
    let hits = receiver.delivered();
    assert!(hits.len() > 2, "{:?}", summary(&hits));
    let bearer = hits[0].header("authorization").unwrap().to_string();
    for h in &hits {
        assert_eq!(h.path, "/hooks");
        assert_eq!(
            h.header("authorization"),
            Some(bearer.as_str()),
            "one token for all the user's events"
        );
        assert_eq!(
            h.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        assert!(
            h.header("user-agent")
                .is_some_and(|u| u.starts_with("Budgea API/2.0")),
            "{:?}",
            h.header("user-agent")
        );
        assert!(h.header("bi-signature").is_none());
    }
    let t = bearer.strip_prefix("Bearer ").expect("Bearer");
    let me = app.get("/users/me", Some(t)).await.ok();
    assert_eq!(me["id"], id_user);
    let connections = app.get("/users/me/connections", Some(t)).await.ok();
    assert_eq!(connections["connections"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn after_the_users_tokens_are_revoked_later_webhooks_carry_a_token_that_works() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, _) = app.permanent_user().await;
    let first = receiver.wait_delivered(1).await.remove(0);
    let old = first
        .header("authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .unwrap()
        .to_string();
    // A new token that revokes every other one, the webhooks' among them.
    let renewed = app
        .post(
            "/auth/renew",
            None,
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                   "id_user": id_user, "revoke_previous": true}),
        )
        .await
        .ok();
    let token = renewed["access_token"].as_str().unwrap();
    app.get("/users/me", Some(&old))
        .await
        .assert_error(401, "unauthorized");

    app.create_connection(token, par()).await;
    settle(&app).await;
    let later = receiver.delivered();
    assert!(later.len() > 1);
    for h in &later[1..] {
        let bearer = h
            .header("authorization")
            .and_then(|a| a.strip_prefix("Bearer "))
            .unwrap();
        let me = app.get("/users/me", Some(bearer)).await;
        assert_eq!(
            me.status,
            200,
            "{} carried a revoked token: {}",
            h.event(),
            me.text
        );
        assert_eq!(me.body["id"], id_user);
    }
}

// The events of the lifecycle and their payloads.

#[tokio::test]
async fn the_lifecycle_emits_every_documented_event_each_with_its_own_id_webhook_data() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let hits = receiver.hits();
    assert!(hits.iter().all(Hit::delivered), "{:?}", summary(&hits));

    let seen: BTreeSet<&str> = hits.iter().map(Hit::event).collect();
    let all: BTreeSet<&str> = EVENTS.into_iter().collect();
    assert_eq!(seen, all, "every event type");

    let got: Vec<i64> = hits.iter().map(Hit::id).collect();
    let unique: BTreeSet<i64> = got.iter().copied().collect();
    assert_eq!(unique.len(), got.len(), "id_webhook_data is unique");
    let b = deliveries(&app, "?limit=1000").await;
    let logged: BTreeSet<i64> = ids(&b["deliveries"]).into_iter().collect();
    assert_eq!(
        logged, unique,
        "one delivery per event, its id the id_webhook_data"
    );
    for d in b["deliveries"].as_array().unwrap() {
        assert_eq!(d["payload"]["id_webhook_data"], d["id"]);
        assert_eq!(d["id_user"], run.id_user);
        assert!(
            d["event"] == "USER_CREATED"
                || d["event"] == "USER_DELETED"
                || d["id_connection"] == run.connection,
            "{d}"
        );
    }

    // The connection's events, in the order of the lifecycle.
    let sequence: Vec<&str> = hits
        .iter()
        .map(Hit::event)
        .filter(|e| !e.starts_with("USER_"))
        .collect();
    let n = run.accounts.len();
    let enabled_after = sequence
        .iter()
        .position(|e| *e == "ACCOUNT_ENABLED")
        .unwrap();
    assert_eq!(&sequence[..n], vec!["ACCOUNT_FOUND"; n].as_slice());
    assert_eq!(sequence[n], "ACCOUNTS_FETCHED");
    assert_eq!(sequence[n + 1], "CONNECTION_SYNCED");
    assert!(enabled_after >= n + 2);
    assert_eq!(sequence.last(), Some(&"CONNECTION_DELETED"));
    assert_eq!(sequence[sequence.len() - 2], "ACCOUNT_DISABLED");
    let users: Vec<&str> = hits
        .iter()
        .map(Hit::event)
        .filter(|e| e.starts_with("USER_"))
        .collect();
    assert_eq!(users, ["USER_CREATED", "USER_DELETED"]);
    assert_eq!(run.me_with_webhook_token["id"], run.id_user);
}

#[tokio::test]
async fn user_created_and_user_deleted_carry_the_user() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let hits = receiver.hits();
    for event in ["USER_CREATED", "USER_DELETED"] {
        let got = of_event(&hits, event);
        assert_eq!(got.len(), 1, "{event}");
        let p = &got[0].json;
        assert_eq!(p["id"], run.id_user, "{event}: {p}");
        assert!(p["signin"].is_string(), "{event}: {p}");
        assert!(p["id_webhook_data"].is_i64(), "{event}: {p}");
    }
}

#[tokio::test]
async fn a_new_connection_sends_account_found_then_accounts_fetched_then_connection_synced() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let hits = receiver.hits();

    let found = of_event(&hits, "ACCOUNT_FOUND");
    let found_ids: Vec<i64> = found
        .iter()
        .map(|h| h.json["id"].as_i64().unwrap())
        .collect();
    assert_eq!(found_ids, run.accounts, "one per account, in id order");
    for h in &found {
        let p = &h.json;
        assert_eq!(p["id_user"], run.id_user);
        assert_eq!(p["id_connection"], run.connection);
        assert!(p["disabled"].is_string(), "found disabled: {p}");
        assert!(p["type"].is_string(), "{p}");
        assert!(p["name"].is_string(), "{p}");
    }

    let fetched = of_event(&hits, "ACCOUNTS_FETCHED");
    assert_eq!(fetched.len(), 2, "at creation and at the sync");
    let p = &fetched[0].json;
    assert_eq!(p["user"]["id"], run.id_user);
    let c = &p["connection"];
    assert_eq!(c["id"], run.connection);
    assert_eq!(c["id_user"], run.id_user);
    assert_eq!(c["connector"]["uuid"], TEST_CONNECTOR_UUID);
    assert_eq!(c["connector"]["id"], 40);
    assert!(!c["sources"].as_array().unwrap().is_empty(), "{c}");
    assert!(c["sources"][0]["name"].is_string(), "{c}");
    assert_eq!(ids(&c["accounts"]), run.accounts);
    assert!(
        c["accounts"][0].get("transactions").is_none(),
        "before transactions: {c}"
    );

    // The first CONNECTION_SYNCED, at creation: accounts found disabled bring nothing.
    let synced = of_event(&hits, "CONNECTION_SYNCED");
    assert_eq!(synced.len(), 2, "at creation and at the sync");
    let p = &synced[0].json;
    assert_eq!(p["user"]["id"], run.id_user);
    let c = &p["connection"];
    assert_eq!(c["id"], run.connection);
    assert_eq!(c["state"], Value::Null);
    assert_eq!(c["connector"]["uuid"], TEST_CONNECTOR_UUID);
    assert!(!c["sources"].as_array().unwrap().is_empty());
    assert_eq!(ids(&c["accounts"]), run.accounts);
    for a in c["accounts"].as_array().unwrap() {
        assert_eq!(a["transactions"], json!([]), "{a}");
    }
}

#[tokio::test]
async fn account_enabled_and_account_disabled_carry_the_bank_account() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let hits = receiver.hits();

    let enabled = of_event(&hits, "ACCOUNT_ENABLED");
    let enabled_ids: Vec<i64> = enabled
        .iter()
        .map(|h| h.json["id"].as_i64().unwrap())
        .collect();
    assert_eq!(enabled_ids, run.accounts);
    for h in &enabled {
        assert_eq!(h.json["disabled"], Value::Null, "{}", h.body);
        assert_eq!(h.json["id_connection"], run.connection);
        assert_eq!(h.json["id_user"], run.id_user);
        assert!(h.json["balance"].is_number(), "{}", h.body);
    }

    let disabled = of_event(&hits, "ACCOUNT_DISABLED");
    assert_eq!(disabled.len(), 1);
    let p = &disabled[0].json;
    assert_eq!(p["id"], run.disabled);
    assert!(p["disabled"].is_string(), "disabled is a date: {p}");
    assert_eq!(p["id_connection"], run.connection);
}

#[tokio::test]
async fn a_sync_sends_the_new_transactions_on_account_synced_account_categorized_and_connection_synced(
) {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let hits = receiver.hits();
    assert!(
        run.new.values().any(|v| !v.is_empty()),
        "10 days bring transactions: {:?}",
        run.new
    );

    // Enabling the accounts sent their history first; the sync's events come last.
    let all_synced = of_event(&hits, "ACCOUNT_SYNCED");
    let synced = &all_synced[all_synced.len().saturating_sub(run.accounts.len())..];
    let synced_ids: Vec<i64> = synced
        .iter()
        .map(|h| h.json["id"].as_i64().unwrap())
        .collect();
    assert_eq!(synced_ids, run.accounts, "one per enabled account");
    for h in synced {
        let a = h.json["id"].as_i64().unwrap();
        let mut got = ids(&h.json["transactions"]);
        got.sort();
        let want = run.new.get(&a).cloned().unwrap_or_default();
        assert_eq!(got, want, "the new transactions of account {a}");
        assert!(h.json["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["id_account"] == a && t["value"].is_number() && t["date"].is_string()));
        assert_eq!(h.json["investments"], json!([]));
        assert_eq!(h.json["id_connection"], run.connection);
        assert_eq!(h.json["disabled"], Value::Null);
    }

    let all_categorized = of_event(&hits, "ACCOUNT_CATEGORIZED");
    let with_new: Vec<i64> = run
        .new
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(a, _)| *a)
        .collect();
    let categorized = &all_categorized[all_categorized.len().saturating_sub(with_new.len())..];
    assert_eq!(categorized.len(), with_new.len());
    for h in categorized {
        let a = h.json["id_account"].as_i64().expect("id_account");
        let mut got = ids(&h.json["transactions"]);
        got.sort();
        assert_eq!(got, run.new[&a]);
    }

    let connection_synced = of_event(&hits, "CONNECTION_SYNCED");
    let p = &connection_synced.last().unwrap().json;
    assert_eq!(p["user"]["id"], run.id_user);
    let c = &p["connection"];
    assert_eq!(c["id"], run.connection);
    assert_eq!(c["connector"]["uuid"], TEST_CONNECTOR_UUID);
    assert!(!c["sources"].as_array().unwrap().is_empty());
    assert_eq!(ids(&c["accounts"]), run.accounts);
    for a in c["accounts"].as_array().unwrap() {
        let id = a["id"].as_i64().unwrap();
        let mut got = ids(&a["transactions"]);
        got.sort();
        assert_eq!(
            got,
            run.new.get(&id).cloned().unwrap_or_default(),
            "account {id}"
        );
        assert_eq!(a["investments"], json!([]));
    }
    // The ACCOUNT_SYNCED of each account comes before the CONNECTION_SYNCED.
    let last_account = synced.last().unwrap().id();
    assert!(connection_synced.last().unwrap().id() > last_account);
}

#[tokio::test]
async fn enabling_an_account_sends_the_history_it_fetched_on_account_synced() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    assert!(
        run.history.values().any(|v| !v.is_empty()),
        "enabling fetches history"
    );
    let hits = receiver.hits();
    // Every transaction the API shows must reach a receiver that keeps what webhooks carry.
    let mut carried: BTreeSet<i64> = BTreeSet::new();
    for h in of_event(&hits, "ACCOUNT_SYNCED") {
        carried.extend(ids(&h.json["transactions"]));
    }
    let history: BTreeSet<i64> = run.history.values().flatten().copied().collect();
    let missing: Vec<&i64> = history.difference(&carried).collect();
    assert!(
        missing.is_empty(),
        "{} of the {} transactions fetched when the accounts were enabled reached no ACCOUNT_SYNCED",
        missing.len(),
        history.len()
    );
}

#[tokio::test]
async fn connection_deleted_carries_the_connection() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let got = of_event(&receiver.hits(), "CONNECTION_DELETED");
    assert_eq!(got.len(), 1);
    let p = &got[0].json;
    assert_eq!(p["id"], run.connection);
    assert_eq!(p["id_user"], run.id_user);
    assert_eq!(p["connector_uuid"], TEST_CONNECTOR_UUID);
}

#[tokio::test]
async fn a_background_sync_by_the_scheduler_emits_connection_synced() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let bank = app.user_with_bank().await;
    settle(&app).await;
    let before = of_event(&receiver.hits(), "CONNECTION_SYNCED").len();
    app.advance_clock("25h").await;
    let ran = app.run_due_work().await;
    assert!(
        ran.iter()
            .any(|r| r["job"] == "sync" && r["id_connection"] == bank.connection),
        "{ran:?}"
    );
    let d = app
        .sandbox_get(&format!(
            "/sandbox/webhooks/wait?event=CONNECTION_SYNCED&id_connection={}&after={}&timeout=20",
            bank.connection,
            receiver.hits().last().unwrap().id()
        ))
        .await
        .ok();
    assert_eq!(d["payload"]["connection"]["id"], bank.connection);
    settle(&app).await;
    assert_eq!(
        of_event(&receiver.hits(), "CONNECTION_SYNCED").len(),
        before + 1
    );
}

#[tokio::test]
async fn a_temporary_user_gets_no_webhooks_until_it_becomes_permanent() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, token) = temporary_user(&app).await;
    app.create_connection(&token, par()).await;
    app.enable_all_accounts(&token).await;
    // Events are written with the change: none exist for the temporary user.
    let b = deliveries(&app, &format!("?id_user={id_user}&status=any")).await;
    assert_eq!(b["total"], 0, "{b}");

    // Exchanging a code makes the user permanent: USER_CREATED, then its changes are sent.
    let code = temporary_code(&app, &token, "singleAccess").await;
    let access = exchange_code(&app, &code).await.ok();
    let permanent = access["access_token"].as_str().unwrap();
    let d = app
        .sandbox_get(&format!(
            "/sandbox/webhooks/wait?event=USER_CREATED&id_user={id_user}&timeout=20"
        ))
        .await
        .ok();
    assert_eq!(d["payload"]["id"], id_user);
    let accounts = app.all_accounts(permanent).await;
    let first = accounts[0]["id"].as_i64().unwrap();
    app.post(
        &format!("/users/me/accounts/{first}?all"),
        Some(permanent),
        json!({"disabled": true}),
    )
    .await
    .ok();
    settle(&app).await;
    let events: Vec<String> = receiver
        .delivered()
        .iter()
        .map(|h| h.event().to_string())
        .collect();
    assert_eq!(events, ["USER_CREATED", "ACCOUNT_DISABLED"]);
}

#[tokio::test]
async fn a_change_that_is_refused_queues_no_event() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, token) = app.permanent_user().await;
    let mut wrong = par();
    wrong["openapiwebsite"] = json!("wrongpass");
    wrong["password"] = json!("666666");
    let r = app.post("/users/me/connections", Some(&token), wrong).await;
    assert_eq!(r.status, 400, "{}", r.text);
    let b = deliveries(&app, &format!("?id_user={id_user}&status=any")).await;
    let events: Vec<&Value> = b["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["event"])
        .collect();
    assert_eq!(events, [&json!("USER_CREATED")], "{b}");
}

// Delivery: answers, retries, the pause, order, restarts.

#[tokio::test]
async fn a_failing_receiver_gets_retries_with_backoff_and_the_same_id_webhook_data() {
    let receiver = Receiver::start().await;
    receiver.answer(500);
    let app = hooked(&receiver).await;
    let (id_user, _) = app.permanent_user().await;
    let failed = receiver.wait_hits(4).await;
    let id = failed[0].id();

    let d = delivery(&app, id).await;
    assert_eq!(d["status"], "pending");
    assert!(d["attempts"].as_i64().unwrap() >= 3, "{d}");
    assert_eq!(d["last_status"], 500);
    assert_eq!(d["last_error"], "HTTP 500");
    let pending = deliveries(&app, &format!("?id_user={id_user}&status=pending")).await;
    assert_eq!(ids(&pending["deliveries"]), [id]);

    receiver.answer(200);
    let delivered = receiver.wait_delivered(1).await;
    let hits = receiver.hits();
    assert!(hits.iter().all(|h| h.id() == id), "{:?}", summary(&hits));
    assert!(hits.iter().all(|h| h.body == hits[0].body), "the same body");
    assert_eq!(delivered.len(), 1);
    // Exponential backoff: the gap before attempt k+1 is at least RETRY_MS * 2^(k-1).
    for (k, pair) in hits.windows(2).take(5).enumerate() {
        let gap = pair[1].at.duration_since(pair[0].at);
        let floor = Duration::from_millis(RETRY_MS << k);
        assert!(gap >= floor, "gap {k}: {gap:?} < {floor:?}");
    }

    let d = delivery(&app, id).await;
    assert_eq!(d["status"], "delivered");
    assert_eq!(d["attempts"], hits.len());
    assert_eq!(d["last_status"], 200);
    assert_eq!(d["last_error"], Value::Null);
    assert!(d["delivered_at"].is_string());
    let total_backoff: u64 = (0..3).map(|k| RETRY_MS << k).sum();
    assert!(
        d["latency_ms"].as_f64().unwrap() >= total_backoff as f64,
        "{d}"
    );
}

#[tokio::test]
async fn any_2xx_answer_is_a_delivery_and_a_redirect_is_not() {
    let receiver = Receiver::start().await;
    receiver.answer(302);
    let app = hooked(&receiver).await;
    app.permanent_user().await;
    let hits = receiver.wait_hits(2).await;
    let d = delivery(&app, hits[0].id()).await;
    assert_eq!(d["status"], "pending");
    assert_eq!(d["last_status"], 302);
    assert_eq!(d["last_error"], "HTTP 302");

    receiver.answer(202);
    receiver.wait_delivered(1).await;
    let d = delivery(&app, hits[0].id()).await;
    assert_eq!(d["status"], "delivered");
    assert_eq!(d["last_status"], 202);

    receiver.answer(204);
    let (id_user, _) = app.permanent_user().await;
    let d = app
        .sandbox_get(&format!(
            "/sandbox/webhooks/wait?event=USER_CREATED&id_user={id_user}&timeout=20"
        ))
        .await
        .ok();
    assert_eq!(d["attempts"], 1);
    assert_eq!(d["last_status"], 204);
}

#[tokio::test]
async fn a_receiver_that_does_not_answer_in_time_is_retried() {
    let receiver = Receiver::start().await;
    receiver.stall_first(1);
    let app = hooked_with(&receiver, |c| c.webhook_timeout = 1).await;
    app.permanent_user().await;
    let delivered = receiver.wait_delivered(1).await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 2, "{:?}", summary(&hits));
    assert_eq!(hits[0].id(), hits[1].id());
    let waited = hits[1].at.duration_since(hits[0].at);
    assert!(
        waited >= Duration::from_millis(900),
        "the first attempt was abandoned after the timeout, not before: {waited:?}"
    );
    assert!(waited < Duration::from_millis(2900), "{waited:?}");
    let d = delivery(&app, delivered[0].id()).await;
    assert_eq!(d["attempts"], 2);
    assert_eq!(d["status"], "delivered");
}

#[tokio::test]
async fn a_delivery_failing_ten_times_pauses_its_subscription_until_the_flush() {
    let receiver = Receiver::start().await;
    receiver.answer(500);
    let app = hooked_with(&receiver, |c| {
        c.webhook_retry_ms = 1;
        c.webhook_flush = 6;
    })
    .await;
    app.permanent_user().await;
    let hits = receiver.wait_hits(10).await;
    let id = hits[0].id();
    // Unpaused, the 11th attempt would come about 0.5 s after the 10th.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let hits = receiver.hits();
    let subs = subscriptions(&app).await;
    if subs[0]["paused"] == true {
        assert_eq!(hits.len(), 10, "{:?}", summary(&hits));
        assert_eq!(subs[0]["consecutive_failures"], 10);
    } else {
        panic!(
            "not paused after {} failures: {subs:?} {:?}",
            hits.len(),
            summary(&hits)
        );
    }
    let d = delivery(&app, id).await;
    assert_eq!(d["status"], "pending");
    assert_eq!(d["attempts"], 10);

    receiver.answer(200);
    receiver.wait_delivered(1).await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 11);
    assert!(hits.iter().all(|h| h.id() == id));
    let subs = subscriptions(&app).await;
    assert_eq!(subs[0]["paused"], false);
    assert_eq!(subs[0]["consecutive_failures"], 0);
}

#[tokio::test]
async fn ten_failures_across_connections_pause_the_subscription_and_the_flush_resumes_all() {
    let receiver = Receiver::start().await;
    receiver.answer(500);
    let app = hooked_with(&receiver, |c| c.webhook_flush = 4).await;
    let (id_user, _) = app.permanent_user().await;
    // Wait for USER_CREATED to fail once so the 10 below go out in one pass.
    receiver.wait_hits(1).await;
    receiver.answer(200);
    receiver.wait_delivered(1).await;
    receiver.answer(500);
    for c in 1..=10 {
        fire(
            &app,
            json!({"event": "ACCOUNT_SYNCED", "id_user": id_user, "id_connection": 1000 + c}),
        )
        .await;
    }
    let hits = receiver.wait_hits(12).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let subs = subscriptions(&app).await;
    let later = receiver.hits();
    assert_eq!(subs[0]["paused"], true, "{subs:?} {:?}", summary(&later));
    assert_eq!(later.len(), hits.len(), "nothing is sent while paused");
    assert!(subs[0]["consecutive_failures"].as_i64().unwrap() >= 10);

    receiver.answer(200);
    let delivered = receiver.wait_delivered(11).await;
    let connections: BTreeSet<i64> = delivered[1..]
        .iter()
        .map(|h| h.json["id_connection"].as_i64().unwrap())
        .collect();
    assert_eq!(connections, (1001..=1010).collect());
    assert_eq!(subscriptions(&app).await[0]["paused"], false);
}

/// Asserts that the requests for the deliveries `ids` came in order: none before every
/// earlier one was delivered.
fn assert_in_order(hits: &[Hit], ids: &BTreeSet<i64>) {
    let mut delivered: BTreeSet<i64> = BTreeSet::new();
    for h in hits.iter().filter(|h| ids.contains(&h.id())) {
        let id = h.id();
        let waiting: Vec<&i64> = ids.range(..id).filter(|e| !delivered.contains(e)).collect();
        assert!(
            waiting.is_empty(),
            "#{id} was sent before {waiting:?} were delivered: {:?}",
            summary(hits)
        );
        if h.delivered() {
            delivered.insert(id);
        }
    }
    assert_eq!(&delivered, ids, "every one delivered");
}

#[tokio::test]
async fn a_connections_events_arrive_in_order_when_every_other_request_fails() {
    let receiver = Receiver::start().await;
    let count = AtomicUsize::new(0);
    receiver.rule(move |_| {
        if count.fetch_add(1, SeqCst).is_multiple_of(2) {
            503
        } else {
            200
        }
    });
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let b = deliveries(
        &app,
        &format!("?id_connection={}&limit=1000", run.connection),
    )
    .await;
    let of_connection: BTreeSet<i64> = ids(&b["deliveries"]).into_iter().collect();
    assert!(of_connection.len() > 10, "{b}");
    let hits = receiver.hits();
    assert_in_order(&hits, &of_connection);
    assert!(hits.iter().any(|h| !h.delivered()), "the receiver did fail");
}

#[tokio::test]
async fn a_connection_that_keeps_failing_holds_back_only_its_own_later_events() {
    let receiver = Receiver::start().await;
    receiver.rule(|h| {
        if h.json["id_connection"] == 501 {
            500
        } else {
            200
        }
    });
    let app = hooked(&receiver).await;
    let (id_user, _) = app.permanent_user().await;
    settle(&app).await;
    for _ in 0..3 {
        for c in [501, 502] {
            fire(
                &app,
                json!({"event": "ACCOUNT_SYNCED", "id_user": id_user, "id_connection": c}),
            )
            .await;
        }
    }
    let of = |c: i64, hits: &[Hit]| -> Vec<Hit> {
        hits.iter()
            .filter(|h| h.json["id_connection"] == c)
            .cloned()
            .collect()
    };
    let hits = receiver
        .wait_for(
            "the three events of connection 502 and retries of 501",
            |h| of(502, h).iter().filter(|x| x.delivered()).count() == 3 && of(501, h).len() >= 3,
        )
        .await;
    let blocked = of(501, &hits);
    let first = blocked[0].id();
    assert!(
        blocked.iter().all(|h| h.id() == first),
        "only the first of 501 is tried: {:?}",
        summary(&blocked)
    );
    let b = deliveries(&app, "?id_connection=501&status=pending").await;
    assert_eq!(b["total"], 3);

    receiver.clear_rule();
    settle(&app).await;
    let hits = receiver.hits();
    let b = deliveries(&app, "?id_connection=501").await;
    assert_in_order(&hits, &ids(&b["deliveries"]).into_iter().collect());
    let b = deliveries(&app, "?id_connection=502").await;
    assert_in_order(&hits, &ids(&b["deliveries"]).into_iter().collect());
}

#[tokio::test]
async fn a_restart_during_retries_loses_nothing_and_keeps_each_id_webhook_data() {
    let receiver = Receiver::start().await;
    receiver.answer(500);
    let dir = TempDir::new("webhooks-restart");
    let config = || {
        let mut c = Config::for_tests();
        c.database = dir.file("sandbox.db");
        c.clock_start = Some(CLOCK_START.into());
        c.webhook_urls = vec![receiver.url("/hooks")];
        c.webhook_retry_ms = 50;
        // Three failing chains reach ten failures quickly; the flush resumes them.
        c.webhook_flush = 1;
        c
    };

    let first = OwnServer::start(config()).await;
    let app = &first.app;
    let (id_user, token) = app.permanent_user().await;
    let c = app.create_connection(&token, par()).await;
    let id_connection = c["id"].as_i64().unwrap();
    fire(
        app,
        json!({"event": "ACCOUNT_CATEGORIZED", "id_user": id_user, "id_connection": 77, "count": 5}),
    )
    .await;
    let queued = deliveries(app, "?limit=1000").await;
    let all: BTreeSet<i64> = ids(&queued["deliveries"]).into_iter().collect();
    assert!(all.len() > 8, "{queued}");
    let subscription = subscriptions(app).await[0]["id"].clone();
    // The heads of the three chains (the user's, the connection's, connection 77's) fail
    // more than once each.
    let failed = receiver.wait_hits(9).await;
    first.stop().await;
    let at_stop = receiver.hits().len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        receiver.hits().len(),
        at_stop,
        "nothing is sent once the server is gone"
    );
    let bodies: BTreeMap<i64, String> = failed.iter().map(|h| (h.id(), h.body.clone())).collect();
    let attempts_before: BTreeMap<i64, usize> = failed.iter().fold(BTreeMap::new(), |mut m, h| {
        *m.entry(h.id()).or_default() += 1;
        m
    });

    receiver.answer(200);
    let second = OwnServer::start(config()).await;
    let app = &second.app;
    assert_eq!(
        subscriptions(app).await[0]["id"],
        subscription,
        "the configured subscription keeps its id"
    );
    settle(app).await;
    let hits = receiver.hits();
    let delivered: BTreeSet<i64> = hits.iter().filter(|h| h.delivered()).map(Hit::id).collect();
    assert_eq!(delivered, all, "every event delivered, with the same ids");
    for (id, body) in &bodies {
        let after = hits
            .iter()
            .find(|h| h.delivered() && h.id() == *id)
            .expect("delivered");
        assert_eq!(&after.body, body, "#{id} is sent again unchanged");
    }
    for (id, n) in &attempts_before {
        let d = delivery(app, *id).await;
        assert!(
            d["attempts"].as_u64().unwrap() as usize > *n,
            "attempts are kept: {d}"
        );
    }
    let b = deliveries(app, &format!("?id_connection={id_connection}")).await;
    assert_in_order(&hits, &ids(&b["deliveries"]).into_iter().collect());
    let b = deliveries(app, "?id_connection=77").await;
    assert_in_order(&hits, &ids(&b["deliveries"]).into_iter().collect());
    // The Bearer token sent after the restart is still a token of the user.
    let bearer = hits.last().unwrap().header("authorization").unwrap();
    let me = app
        .get("/users/me", Some(bearer.strip_prefix("Bearer ").unwrap()))
        .await
        .ok();
    assert_eq!(me["id"], id_user);
    second.stop().await;
}

#[tokio::test]
async fn once_the_server_has_stopped_its_worker_sends_nothing() {
    let receiver = Receiver::start().await;
    receiver.answer(500);
    let mut config = Config::for_tests();
    config.webhook_urls = vec![receiver.url("/hooks")];
    config.webhook_retry_ms = RETRY_MS;
    let state = powens_sandbox::build_state(config).await.expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(powens_sandbox::run(state, listener, async {
        let _ = stopped.await;
    }));
    let app = TestApp {
        base,
        client: reqwest::Client::new(),
    };
    app.permanent_user().await;
    receiver.wait_hits(2).await;
    drop(app);
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    let at_stop = receiver.hits().len();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let hits = receiver.hits();
    assert_eq!(
        hits.len(),
        at_stop,
        "run() returned, yet its delivery worker kept sending: {:?}",
        summary(&hits[at_stop..])
    );
}

// Inspection.

#[tokio::test]
async fn deliveries_are_listed_with_what_was_sent_filtered_and_paged_with_after() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let alice = app.user_with_bank().await;
    let (bob, _) = app.permanent_user().await;
    settle(&app).await;

    let everything = deliveries(&app, "?limit=1000").await;
    let total = everything["total"].as_i64().unwrap();
    let list = everything["deliveries"].as_array().unwrap();
    assert_eq!(list.len() as i64, total);
    assert_eq!(total as usize, receiver.hits().len());
    let first = &list[0];
    assert_eq!(first["event"], "USER_CREATED");
    assert_eq!(first["id_user"], alice.id_user);
    assert_eq!(first["id_connection"], Value::Null);
    assert_eq!(first["url"], receiver.url("/hooks"));
    assert_eq!(first["status"], "delivered");
    assert_eq!(first["attempts"], 1);
    assert_eq!(first["last_status"], 200);
    assert_eq!(first["last_error"], Value::Null);
    assert!(
        first["latency_ms"].as_f64().is_some_and(|l| l >= 0.0),
        "{first}"
    );
    assert!(first["created"].is_string() && first["delivered_at"].is_string());
    assert_eq!(first["id_webhook_data"], first["id"]);
    assert_eq!(first["payload"]["id_webhook_data"], first["id"]);
    assert_eq!(first["payload"]["id"], alice.id_user);
    assert!(first["headers"]["Authorization"]
        .as_str()
        .is_some_and(|a| a.starts_with("Bearer ")));
    assert!(first["headers"]["User-Agent"].is_string());
    let hit = receiver
        .hits()
        .into_iter()
        .find(|h| h.id() == first["id"])
        .unwrap();
    assert_eq!(hit.json, first["payload"], "the payload is what was sent");

    let b = deliveries(&app, "?event=USER_CREATED").await;
    assert_eq!(b["total"], 2);
    assert!(b["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["event"] == "USER_CREATED"));
    let b = deliveries(&app, &format!("?id_user={bob}")).await;
    assert_eq!(b["total"], 1);
    assert_eq!(b["deliveries"][0]["payload"]["id"], bob);
    let b = deliveries(
        &app,
        &format!("?id_connection={}&limit=1000", alice.connection),
    )
    .await;
    assert_eq!(b["total"].as_i64().unwrap(), total - 2);
    assert!(b["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["id_connection"] == alice.connection));
    let b = deliveries(
        &app,
        &format!("?event=ACCOUNT_ENABLED&id_user={}", alice.id_user),
    )
    .await;
    assert_eq!(b["total"].as_i64().unwrap() as usize, alice.accounts.len());
    assert_eq!(deliveries(&app, "?status=delivered").await["total"], total);
    assert_eq!(deliveries(&app, "?status=pending").await["total"], 0);
    assert_eq!(deliveries(&app, "?status=any").await["total"], total);

    // Paging: 3 at a time, each page after the last id of the previous one.
    let mut paged = Vec::new();
    let mut after = 0;
    loop {
        let b = deliveries(&app, &format!("?limit=3&after={after}")).await;
        let page = ids(&b["deliveries"]);
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 3);
        after = *page.last().unwrap();
        paged.extend(page);
    }
    assert_eq!(paged, ids(&everything["deliveries"]));
    let default = deliveries(&app, "").await;
    assert!(default["deliveries"].as_array().unwrap().len() <= 100);

    // One delivery by id.
    let id = first["id"].as_i64().unwrap();
    assert_eq!(&delivery(&app, id).await, first);
    app.sandbox_get("/sandbox/webhooks/deliveries/999999")
        .await
        .assert_error(404, "notFound");
    app.sandbox_get("/sandbox/webhooks/deliveries/first")
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn the_delivery_log_refuses_bad_filters_and_other_tokens() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    for q in [
        "?status=lost",
        "?event=USER_EXPLODED",
        "?limit=1001",
        "?limit=-1",
        "?id_user=me",
        "?after=x",
    ] {
        let r = app
            .sandbox_get(&format!("/sandbox/webhooks/deliveries{q}"))
            .await;
        assert_eq!(r.status, 400, "{q} answered {} {}", r.status, r.text);
        assert!(r.body["code"].is_string(), "{}", r.text);
    }
    for path in [
        "/sandbox/webhooks/deliveries",
        "/sandbox/webhooks/deliveries/1",
        "/sandbox/webhooks/wait?timeout=0",
    ] {
        app.get(path, Some(&token))
            .await
            .assert_error(401, "unauthorized");
        app.get(path, None).await.assert_error(401, "unauthorized");
    }
    app.post(
        "/sandbox/webhooks/deliveries/1/redeliver",
        Some(&token),
        json!({}),
    )
    .await
    .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn a_redelivery_sends_the_same_id_webhook_data_again() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    app.permanent_user().await;
    let first = receiver.wait_delivered(1).await.remove(0);
    let id = first.id();
    let d = app
        .sandbox_post(
            &format!("/sandbox/webhooks/deliveries/{id}/redeliver"),
            json!({}),
        )
        .await
        .ok();
    assert_eq!(d["id"], id);
    let again = receiver.wait_delivered(2).await;
    assert_eq!(again[1].id(), id);
    assert_eq!(again[1].body, first.body);
    settle(&app).await;
    let d = delivery(&app, id).await;
    assert_eq!(d["attempts"], 2);
    assert_eq!(d["status"], "delivered");
    app.sandbox_post("/sandbox/webhooks/deliveries/999999/redeliver", json!({}))
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn the_wait_blocks_until_a_matching_delivery_and_answers_404_on_timeout() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, token) = app.permanent_user().await;
    settle(&app).await;

    let url = app.url(&format!(
        "/sandbox/webhooks/wait?event=USER_DELETED&id_user={id_user}&timeout=20"
    ));
    let client = app.client.clone();
    let waiting = tokio::spawn(async move {
        let r = client
            .get(url)
            .bearer_auth(CONFIG_TOKEN)
            .send()
            .await
            .unwrap();
        (r.status(), r.json::<Value>().await.unwrap(), Instant::now())
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "the wait blocks");
    let deleted_at = Instant::now();
    assert_eq!(app.delete("/users/me", Some(&token)).await.status, 204);
    let (status, d, answered) = waiting.await.unwrap();
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["event"], "USER_DELETED");
    assert_eq!(d["status"], "delivered", "by default, a delivered one");
    assert_eq!(d["payload"]["id"], id_user);
    assert!(answered.duration_since(deleted_at) < Duration::from_secs(5));

    // A pending one, with status=pending; the default times out while the receiver fails.
    receiver.answer(500);
    let (other, _) = app.permanent_user().await;
    let d = app
        .sandbox_get(&format!(
            "/sandbox/webhooks/wait?event=USER_CREATED&id_user={other}&status=pending&timeout=5"
        ))
        .await
        .ok();
    assert_eq!(d["status"], "pending");
    let started = Instant::now();
    app.sandbox_get(&format!(
        "/sandbox/webhooks/wait?event=USER_CREATED&id_user={other}&timeout=1"
    ))
    .await
    .assert_error(404, "notFound");
    assert!(started.elapsed() >= Duration::from_millis(950));
    let d = app
        .sandbox_get(&format!(
            "/sandbox/webhooks/wait?id_user={other}&status=any&timeout=1"
        ))
        .await
        .ok();
    assert_eq!(d["event"], "USER_CREATED");
    app.sandbox_get("/sandbox/webhooks/wait?timeout=61")
        .await
        .assert_error(400, "invalidValue");
}

// Test events.

#[tokio::test]
async fn a_test_event_of_every_type_is_delivered_count_times() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, _) = app.permanent_user().await;
    settle(&app).await;
    for event in EVENTS {
        let b = fire(
            &app,
            json!({"event": event, "id_user": id_user, "id_connection": 9}),
        )
        .await;
        assert_eq!(b["event"], event);
        assert_eq!(b["queued"], 1);
    }
    settle(&app).await;
    let b = fire(
        &app,
        json!({"event": "ACCOUNT_SYNCED", "id_user": id_user, "count": 3}),
    )
    .await;
    assert_eq!(b["queued"], 3);
    settle(&app).await;
    let hits = receiver.delivered();
    assert_eq!(hits.len(), 1 + EVENTS.len() + 3);
    let fired: Vec<&str> = hits[1..=EVENTS.len()].iter().map(Hit::event).collect();
    let mut sorted_fired = fired.clone();
    sorted_fired.sort();
    let mut sorted_all = EVENTS.to_vec();
    sorted_all.sort();
    assert_eq!(sorted_fired, sorted_all);
    for h in &hits {
        assert!(h.json["id_webhook_data"].is_i64(), "{}", h.body);
        assert!(h.header("authorization").is_some());
    }
    for h in &hits[1..=EVENTS.len()] {
        match h.event() {
            "USER_CREATED" | "USER_DELETED" => assert_eq!(h.json["id"], id_user),
            "CONNECTION_DELETED" => assert_eq!(h.json["id"], 9),
            "CONNECTION_SYNCED" | "ACCOUNTS_FETCHED" => {
                assert_eq!(h.json["user"]["id"], id_user);
                assert_eq!(h.json["connection"]["id"], 9);
            }
            "ACCOUNT_CATEGORIZED" => assert!(h.json["transactions"].is_array()),
            _ => assert_eq!(h.json["id_connection"], 9),
        }
    }
    let three: BTreeSet<i64> = hits[EVENTS.len() + 1..].iter().map(Hit::id).collect();
    assert_eq!(three.len(), 3, "each copy has its own id_webhook_data");
}

#[tokio::test]
async fn a_test_event_needs_a_known_event_a_permanent_user_and_a_sane_count() {
    let app = spawn_app().await;
    let (id_user, token) = app.permanent_user().await;
    let (temporary, _) = temporary_user(&app).await;
    for bad in [
        json!({"id_user": id_user}),
        json!({"event": "USER_EXPLODED", "id_user": id_user}),
        json!({"event": "USER_CREATED"}),
        json!({"event": "USER_CREATED", "id_user": temporary}),
        json!({"event": "USER_CREATED", "id_user": 999999}),
        json!({"event": "USER_CREATED", "id_user": id_user, "count": 0}),
        json!({"event": "USER_CREATED", "id_user": id_user, "count": 100001}),
    ] {
        let r = app
            .sandbox_post("/sandbox/webhooks/test", bad.clone())
            .await;
        assert_eq!(r.status, 400, "{bad} answered {} {}", r.status, r.text);
    }
    app.post(
        "/sandbox/webhooks/test",
        Some(&token),
        json!({"event": "USER_CREATED", "id_user": id_user}),
    )
    .await
    .assert_error(401, "unauthorized");
    // With no subscription, nothing is queued.
    let b = fire(&app, json!({"event": "USER_CREATED", "id_user": id_user})).await;
    assert_eq!(b["queued"], 0);
}
