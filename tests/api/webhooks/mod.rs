//! Webhooks (API notes §13, README): subscriptions from the configuration and the control
//! plane, HMAC auth providers, the documented events emitted by the real lifecycle, delivery
//! (the user's Bearer token or a signature, retries with backoff, the pause after ten
//! failures, order per connection, nothing lost across a restart), inspection, the built-in
//! sink and test events.
//!
//! Every test runs a real HTTP receiver on a loopback port that records each request's path,
//! headers and body and answers what the test tells it to.

mod config;
mod delivery;
mod events;
mod inspection;
mod receiver;
mod signing;
mod subscriptions;
mod synced_lists;
mod test_events;

use crate::common::*;
use base64::Engine;
use hmac::{Hmac, Mac};
use powens_sandbox::config::Config;
use receiver::*;
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
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
