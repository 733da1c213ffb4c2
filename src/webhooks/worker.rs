//! The delivery worker. Picks due deliveries (only the first pending one per subscription and
//! connection, so each connection's events arrive in order), POSTs them concurrently,
//! records every attempt, and retries failures with exponential backoff. Any 2xx counts.

use crate::config::VERSION;
use crate::error::Result;
use crate::state::AppState;
use crate::store::webhook_outbox::{self, AttemptRecord, Pending as Due};
use crate::webhooks::{now_ms, sign};
use futures::stream::{self, StreamExt};
use serde_json::{json, Map, Value};
use std::time::Duration;

/// Deliveries in flight at once.
const CONCURRENCY: usize = 32;
/// A subscription pauses after this many consecutive failures, until the next flush.
pub const MAX_FAILURES: i64 = 10;
const MAX_BACKOFF_MS: i64 = 5 * 60 * 1000;

struct Attempt {
    due: Due,
    status: Option<u16>,
    error: Option<String>,
    headers: Map<String, Value>,
    /// When the answer came (unix ms), for the change-to-delivery delay.
    done_ms: i64,
}

/// Pending deliveries read per pass.
const WINDOW: i64 = 2_000;

fn signature_date(st: &AppState) -> String {
    let micros = chrono::Utc::now().timestamp_subsec_micros();
    format!(
        "{}.{micros:06}Z",
        st.clock.now().format("%Y-%m-%dT%H:%M:%S")
    )
}

async fn send(st: &AppState, client: &reqwest::Client, due: Due) -> Attempt {
    let mut payload: Value = serde_json::from_str(&due.payload).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut payload {
        m.insert("id_webhook_data".into(), json!(due.id));
    }
    let body = payload.to_string();
    let mut headers = Map::new();
    headers.insert(
        "Content-Type".into(),
        json!("application/json; charset=utf-8"),
    );
    headers.insert(
        "User-Agent".into(),
        json!(format!("Budgea API/2.0 (powens-sandbox {})", VERSION)),
    );
    headers.insert("X-Powens-Sandbox".into(), json!(VERSION));
    headers.insert("X-Powens-Event".into(), json!(due.event));
    match (&due.secret, &due.bearer) {
        (Some(secret), _) => {
            let path = reqwest::Url::parse(&due.url)
                .map(|u| u.path().to_string())
                .unwrap_or_else(|_| "/".into());
            let date = signature_date(st);
            headers.insert(
                "BI-Signature".into(),
                json!(sign::signature(secret, &path, &date, &body)),
            );
            headers.insert("BI-Signature-Date".into(), json!(date));
        }
        (None, Some(b)) => {
            headers.insert("Authorization".into(), json!(b));
        }
        (None, None) => {}
    }
    let mut req = client.post(&due.url).body(body);
    for (k, v) in &headers {
        req = req.header(k.as_str(), v.as_str().unwrap_or(""));
    }
    let (status, error) = match req.send().await {
        Ok(r) => {
            let s = r.status();
            (
                Some(s.as_u16()),
                (!s.is_success()).then(|| format!("HTTP {}", s.as_u16())),
            )
        }
        Err(e) => (
            None,
            Some(if e.is_timeout() {
                "timeout".to_string()
            } else {
                e.to_string()
            }),
        ),
    };
    Attempt {
        due,
        status,
        error,
        headers,
        done_ms: now_ms(),
    }
}

async fn record(st: &AppState, attempts: Vec<Attempt>) -> Result<()> {
    let now = st.clock.now();
    let base = st.config.webhook_retry_ms.max(1) as i64;
    let mut tx = st.db.begin().await?;
    for a in attempts {
        let record = AttemptRecord {
            id: a.due.id,
            id_subscription: a.due.id_subscription,
            attempts: a.due.attempts + 1,
            status: a.status.map(i64::from),
            headers: &Value::Object(a.headers).to_string(),
        };
        match &a.error {
            None => {
                let latency = (a.done_ms - a.due.created_ms) as f64;
                webhook_outbox::record_delivered(&mut tx, &record, latency, now).await?;
            }
            Some(error) => {
                let backoff = (base << (record.attempts - 1).clamp(0, 20)).min(MAX_BACKOFF_MS);
                let retry_ms = now_ms() + backoff;
                webhook_outbox::record_failed(&mut tx, &record, error, retry_ms, MAX_FAILURES)
                    .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Sends one chain (a subscription's deliveries for one connection or user) in order,
/// stopping at the first failure: later events wait for it.
async fn send_chain(st: &AppState, client: &reqwest::Client, chain: Vec<Due>) -> Vec<Attempt> {
    let mut out = Vec::with_capacity(chain.len());
    for due in chain {
        let a = send(st, client, due).await;
        let failed = a.error.is_some();
        out.push(a);
        if failed {
            break;
        }
    }
    out
}

/// Delivers everything due now; returns how many attempts were made. Each pass reads a
/// window of pending deliveries once, groups it into chains, and sends the chains whose
/// head is due concurrently, each chain in order.
pub async fn deliver_due(st: &AppState, client: &reqwest::Client) -> Result<usize> {
    let mut total = 0;
    loop {
        let pending: Vec<Due> = {
            let mut conn = st.db.reader.acquire().await?;
            webhook_outbox::pending(&mut conn, WINDOW).await?
        };
        let now = now_ms();
        let mut chains: Vec<Vec<Due>> = Vec::new();
        let mut index: std::collections::HashMap<(i64, String), usize> =
            std::collections::HashMap::new();
        for d in pending {
            let key = (d.id_subscription, d.order_key.clone());
            match index.get(&key) {
                Some(&i) => chains[i].push(d),
                None => {
                    index.insert(key, chains.len());
                    chains.push(vec![d]);
                }
            }
        }
        chains.retain(|c| c[0].next_attempt_ms <= now);
        if chains.is_empty() {
            return Ok(total);
        }
        let attempts: Vec<Attempt> = stream::iter(chains)
            .map(|c| send_chain(st, client, c))
            .buffer_unordered(CONCURRENCY)
            .flat_map(stream::iter)
            .collect()
            .await;
        total += attempts.len();
        record(st, attempts).await?;
    }
}

/// Resumes paused subscriptions (the "flush" of Powens' delivery).
pub async fn flush(st: &AppState) -> Result<()> {
    let mut tx = st.db.begin().await?;
    webhook_outbox::resume_paused(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

pub fn spawn(st: AppState) -> tokio::task::JoinHandle<()> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(st.config.webhook_timeout.max(1)))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client");
    tokio::spawn(async move {
        let flush_every = Duration::from_secs(st.config.webhook_flush.max(1));
        let mut last_flush = std::time::Instant::now();
        loop {
            if let Err(e) = deliver_due(&st, &client).await {
                tracing::warn!(error = %e, "webhook delivery pass failed; retrying");
            }
            if last_flush.elapsed() >= flush_every {
                last_flush = std::time::Instant::now();
                if let Err(e) = flush(&st).await {
                    tracing::warn!(error = %e, "webhook flush failed");
                }
            }
            // Woken by a committed change, or at least every 100 ms for retries coming due.
            let _ = tokio::time::timeout(Duration::from_millis(100), st.webhooks.wait()).await;
        }
    })
}
