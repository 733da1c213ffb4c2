//! The receiver: a real HTTP server on a loopback port that records each request's path,
//! headers and body and answers what the test tells it to.

use super::*;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering::SeqCst};
use std::sync::Mutex;

/// One request the receiver got.
#[derive(Clone, Debug)]
pub(super) struct Hit {
    pub(super) path: String,
    pub(super) query: Option<String>,
    /// Header names in lower case.
    pub(super) headers: BTreeMap<String, String>,
    pub(super) body: String,
    pub(super) json: Value,
    pub(super) at: Instant,
    /// The status it answered; 0 when it stalled past the sender's timeout.
    pub(super) answered: u16,
}

impl Hit {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The event name the sandbox puts in `X-Powens-Event`.
    pub(super) fn event(&self) -> &str {
        self.header("x-powens-event").unwrap_or("")
    }

    pub(super) fn id(&self) -> i64 {
        self.json["id_webhook_data"]
            .as_i64()
            .unwrap_or_else(|| panic!("id_webhook_data in {}", self.body))
    }

    pub(super) fn delivered(&self) -> bool {
        (200..300).contains(&self.answered)
    }
}

pub(super) type Rule = Box<dyn Fn(&Hit) -> u16 + Send + Sync>;

/// What the receiver records and how it answers: `status` (0 means 200), the first
/// `fail_first` requests with 500, the first `stall_first` requests after 3 s (past the
/// sender's timeout), or a `rule` deciding from the request.
#[derive(Default)]
pub(super) struct Inbox {
    pub(super) hits: Mutex<Vec<Hit>>,
    pub(super) status: AtomicU16,
    pub(super) fail_first: AtomicUsize,
    pub(super) stall_first: AtomicUsize,
    pub(super) rule: Mutex<Option<Rule>>,
}

pub(super) async fn receive(
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

pub(super) struct Receiver {
    pub(super) base: String,
    pub(super) inbox: Arc<Inbox>,
}

impl Receiver {
    pub(super) async fn start() -> Receiver {
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

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(super) fn answer(&self, status: u16) {
        self.inbox.status.store(status, SeqCst);
    }

    pub(super) fn fail_first(&self, n: usize) {
        self.inbox.fail_first.store(n, SeqCst);
    }

    pub(super) fn stall_first(&self, n: usize) {
        self.inbox.stall_first.store(n, SeqCst);
    }

    pub(super) fn rule(&self, rule: impl Fn(&Hit) -> u16 + Send + Sync + 'static) {
        *self.inbox.rule.lock().unwrap() = Some(Box::new(rule));
    }

    pub(super) fn clear_rule(&self) {
        *self.inbox.rule.lock().unwrap() = None;
    }

    pub(super) fn hits(&self) -> Vec<Hit> {
        self.inbox.hits.lock().unwrap().clone()
    }

    pub(super) fn delivered(&self) -> Vec<Hit> {
        self.hits().into_iter().filter(Hit::delivered).collect()
    }

    /// Waits until `done` holds for the requests received so far.
    pub(super) async fn wait_for(&self, what: &str, done: impl Fn(&[Hit]) -> bool) -> Vec<Hit> {
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

    pub(super) async fn wait_hits(&self, n: usize) -> Vec<Hit> {
        self.wait_for(&format!("{n} requests"), |h| h.len() >= n)
            .await
    }

    pub(super) async fn wait_delivered(&self, n: usize) -> Vec<Hit> {
        self.wait_for(&format!("{n} delivered requests"), |h| {
            h.iter().filter(|x| x.delivered()).count() >= n
        })
        .await
        .into_iter()
        .filter(Hit::delivered)
        .collect()
    }
}

pub(super) fn summary(hits: &[Hit]) -> Vec<String> {
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
pub(super) fn of_event(hits: &[Hit], event: &str) -> Vec<Hit> {
    hits.iter()
        .filter(|h| h.delivered() && h.event() == event)
        .cloned()
        .collect()
}
