//! A webhook receiver in the test process: records every delivery (`id_webhook_data`) and
//! every user a USER_CREATED event names. While its gate is closed it holds requests
//! without answering, so deliveries stay pending at the server.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

#[derive(Default)]
pub struct Seen {
    pub deliveries: HashSet<i64>,
    pub users_created: HashSet<i64>,
}

#[derive(Clone)]
struct Shared {
    seen: Arc<Mutex<Seen>>,
    gate: watch::Receiver<bool>,
}

pub struct Receiver {
    pub port: u16,
    seen: Arc<Mutex<Seen>>,
    gate: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

async fn receive(State(sh): State<Shared>, headers: HeaderMap, body: Bytes) -> &'static str {
    let mut gate = sh.gate.clone();
    let _ = gate.wait_for(|open| *open).await;
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let mut seen = sh.seen.lock().unwrap();
    if let Some(id) = v["id_webhook_data"].as_i64() {
        seen.deliveries.insert(id);
    }
    let event = headers
        .get("x-powens-event")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if event == "USER_CREATED" {
        if let Some(id) = v["id"].as_i64() {
            seen.users_created.insert(id);
        }
    }
    "ok"
}

impl Receiver {
    /// Listens on `port` (0: any free port); `open` says whether it answers at once.
    pub async fn start(port: u16, open: bool) -> Receiver {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the receiver");
        let port = listener.local_addr().expect("addr").port();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let (gate, rx) = watch::channel(open);
        let app = Router::new()
            .route("/hook", post(receive))
            .route("/hook/{*rest}", post(receive))
            .with_state(Shared {
                seen: seen.clone(),
                gate: rx,
            });
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            port,
            seen,
            gate,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    pub fn open(&self) {
        let _ = self.gate.send(true);
    }

    pub fn seen<T>(&self, f: impl FnOnce(&Seen) -> T) -> T {
        f(&self.seen.lock().unwrap())
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}
