//! Webhook delivery benchmark: 10,000 events delivered to a local receiver (an axum server on
//! a loopback port, in this process, answering 200 at once). Prints a Markdown table.
//!
//!     cargo bench --bench webhooks
//!
//! Two scenarios, each on a server of its own with a fresh SQLite file:
//!
//! - one ordered stream: `POST /sandbox/webhooks/test {"event": "USER_CREATED", "id_user": N,
//!   "count": 10000}`. The events share the user's ordering key, so each waits for the one
//!   before it to be delivered;
//! - 100 streams: 100 calls `{"event": "ACCOUNT_SYNCED", "id_user": N, "id_connection": k,
//!   "count": 100}`, k = 1..100: a hundred connections, each delivered in order, up to 32
//!   deliveries in flight.
//!
//! The rate is events / (last receipt at the receiver − the first `POST /sandbox/webhooks/test`
//! sent). The delay from the change to the delivery is reported two ways:
//!
//! - `latency_ms` of each delivery, as the server records it: from the real time the event
//!   was written to the outbox (inside the change's transaction) to the moment the worker
//!   records the 2xx answer. Read over HTTP with `GET /sandbox/webhooks/deliveries?limit=1000`
//!   pages, each `after` the last id of the one before;
//! - the receiver's own clock: when the request arrived, minus the time the event was written
//!   (`created_ms`, read from the database).
//!
//! `BENCH_EVENTS` shrinks the run for a quick look (default 10000).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use powens_sandbox::config::Config;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ADMIN: &str = "sandbox-config-token";

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// What the receiver got: (id_webhook_data, arrival in unix ms), in arrival order.
#[derive(Default)]
struct Received {
    list: Mutex<Vec<(i64, i64)>>,
}

async fn receive(State(r): State<Arc<Received>>, body: Bytes) -> StatusCode {
    let at = now_ms();
    let id = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["id_webhook_data"].as_i64())
        .unwrap_or(-1);
    r.list.lock().unwrap().push((id, at));
    StatusCode::OK
}

async fn start_receiver() -> (String, Arc<Received>) {
    let received = Arc::new(Received::default());
    let app = axum::Router::new()
        .fallback(receive)
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, received)
}

fn percentile(sorted: &[f64], p: usize) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

struct Outcome {
    name: &'static str,
    events: usize,
    queue_ms: f64,
    total_s: f64,
    duplicates: usize,
    latency: Vec<f64>,
    received: Vec<f64>,
}

/// Runs one scenario: `calls` test-event calls of `per_call` events each, the k-th on
/// `id_connection` k when `streams` is true.
async fn scenario(
    name: &'static str,
    dir: &std::path::Path,
    calls: usize,
    per_call: usize,
    streams: bool,
) -> Outcome {
    let (url, received) = start_receiver().await;
    let mut config = Config::for_tests();
    config.database = dir
        .join(format!("{}.db", name.replace(' ', "-")))
        .display()
        .to_string();
    config.clock_start = Some("2026-01-15 10:00:00".into());
    config.webhook_urls = vec![url];
    let state = powens_sandbox::build_state(config).await.unwrap();
    let db = state.db.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(powens_sandbox::run(state, listener, std::future::pending()));
    let client = reqwest::Client::new();

    let init: Value = client
        .post(format!("{base}/2.0/auth/init"))
        .json(&json!({"client_id": "12345678", "client_secret": "sandbox-secret"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id_user = init["id_user"].as_i64().unwrap();
    // The user's own USER_CREATED goes first and is not counted.
    while received.list.lock().unwrap().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let baseline = received.list.lock().unwrap().len();
    let first_id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM webhook_deliveries")
        .fetch_one(&db.reader)
        .await
        .unwrap();

    let events = calls * per_call;
    let started = Instant::now();
    let started_ms = now_ms();
    for k in 0..calls {
        let body = if streams {
            json!({"event": "ACCOUNT_SYNCED", "id_user": id_user, "id_connection": k + 1, "count": per_call})
        } else {
            json!({"event": "USER_CREATED", "id_user": id_user, "count": per_call})
        };
        let r: Value = client
            .post(format!("{base}/sandbox/webhooks/test"))
            .bearer_auth(ADMIN)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(r["queued"].as_u64(), Some(per_call as u64), "{r}");
    }
    let queue_ms = started.elapsed().as_secs_f64() * 1000.0;

    // Until every event reached the receiver (at least once).
    let deadline = Instant::now() + Duration::from_secs(3600);
    loop {
        let n = received.list.lock().unwrap().len() - baseline;
        if n >= events {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "only {n} of {events} after an hour"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let arrivals: Vec<(i64, i64)> = received.list.lock().unwrap()[baseline..].to_vec();
    let last_ms = arrivals.iter().map(|a| a.1).max().unwrap();
    let total_s = (last_ms - started_ms) as f64 / 1000.0;

    // The worker records a batch's answers after the batch: wait until none is pending.
    loop {
        let pending: Value = client
            .get(format!(
                "{base}/sandbox/webhooks/deliveries?status=pending&limit=1"
            ))
            .bearer_auth(ADMIN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if pending["total"] == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // latency_ms, page by page, as a client of the control plane reads it.
    let mut latency = Vec::with_capacity(events);
    let mut after = first_id;
    loop {
        let page: Value = client
            .get(format!(
                "{base}/sandbox/webhooks/deliveries?limit=1000&after={after}"
            ))
            .bearer_auth(ADMIN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let list = page["deliveries"].as_array().unwrap();
        let Some(last) = list.last() else { break };
        after = last["id"].as_i64().unwrap();
        latency.extend(list.iter().map(|d| d["latency_ms"].as_f64().unwrap()));
    }
    latency.sort_by(|a, b| a.partial_cmp(b).unwrap());

    // The receiver's clock against the time each event was written.
    let created: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT d.id, e.created_ms FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.id_event WHERE d.id > ?",
    )
    .bind(first_id)
    .fetch_all(&db.reader)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let mut first_arrival: HashMap<i64, i64> = HashMap::new();
    for (id, at) in &arrivals {
        first_arrival.entry(*id).or_insert(*at);
    }
    let duplicates = arrivals.len() - first_arrival.len();
    let mut received_delay: Vec<f64> = first_arrival
        .iter()
        .map(|(id, at)| (at - created[id]) as f64)
        .collect();
    received_delay.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(latency.len(), events, "every delivery recorded");
    assert_eq!(first_arrival.len(), events, "every event received");

    Outcome {
        name,
        events,
        queue_ms,
        total_s,
        duplicates,
        latency,
        received: received_delay,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let events: usize = std::env::var("BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = std::env::temp_dir().join(format!(
        "powens-sandbox-bench-webhooks-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let streams = 100.min(events);
    let outcomes = vec![
        scenario("one ordered stream", &dir, 1, events, false).await,
        scenario("100 streams", &dir, streams, events / streams, true).await,
    ];
    let _ = std::fs::remove_dir_all(&dir);

    println!("| scenario | events | queueing them (POST /sandbox/webhooks/test) | all delivered after | rate | delay p50 / p99 (`latency_ms`) | delay p50 / p99 (receiver clock) | duplicates |");
    println!("|---|---|---|---|---|---|---|---|");
    for o in &outcomes {
        println!(
            "| {} | {} | {:.0} ms | {:.2} s | {:.0} events/s | {:.0} / {:.0} ms | {:.0} / {:.0} ms | {} |",
            o.name,
            o.events,
            o.queue_ms,
            o.total_s,
            o.events as f64 / o.total_s,
            percentile(&o.latency, 50),
            percentile(&o.latency, 99),
            percentile(&o.received, 50),
            percentile(&o.received, 99),
            o.duplicates,
        );
    }
    println!();
    println!("Rate: events / (last arrival at the receiver − first test-event call sent). Delay: from the event's write to the outbox (inside the change's transaction) to the 2xx recorded by the worker (`latency_ms`, read with GET /sandbox/webhooks/deliveries?limit=1000&after=…), and to the arrival at the receiver (receiver clock − `created_ms`). One process, 2 tokio worker threads, SQLite file in WAL mode, receiver on loopback.");
}
