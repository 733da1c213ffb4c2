//! The journal's layer: records each journaled request and its answer without holding
//! either back. Both bodies flow through a tee that copies their first 64 KiB as they pass;
//! the entry is written once the answer's last byte has left the handler's body (before it
//! reaches the socket, so a client that reads its answer then asks the journal finds it).

use super::journal::BODY_LIMIT;
use super::{journaled, Traffic, ACTING_USER};
use crate::model::format::DateTime;
use crate::model::journal::{AppliedFault, JournalEntry, RecordedMessage};
use crate::request_id;
use crate::state::AppState;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use std::cell::Cell;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;

pub async fn layer(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let traffic = st.traffic.clone();
    if !traffic.journal.enabled() || !journaled(req.uri().path()) {
        return next.run(req).await;
    }
    let started = Instant::now();
    let time = DateTime(st.clock.now());
    let wall_time = chrono::Utc::now()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        .to_string();
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(|q| traffic.secrets.pairs(q, true));
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let request_id = req
        .headers()
        .get(request_id::HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let request_headers = req.headers().clone();
    let request_body = Arc::new(Mutex::new(Capture::default()));
    let (parts, body) = req.into_parts();
    let req = Request::from_parts(
        parts,
        Body::new(Tee {
            inner: body,
            capture: request_body.clone(),
            done: None,
        }),
    );
    let (res, acted) = ACTING_USER
        .scope(Cell::new(None), async {
            let res = next.run(req).await;
            (res, ACTING_USER.with(Cell::get))
        })
        .await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let status = res.status().as_u16();
    let entry = JournalEntry {
        id: 0,
        time,
        wall_time,
        method,
        id_user: acted.or_else(|| super::id_after(&path, "users")),
        path,
        query,
        route,
        status: Some(status),
        latency_ms: (latency_ms * 1000.0).round() / 1000.0,
        request_id,
        fault: res.extensions().get::<AppliedFault>().cloned(),
        request: RecordedMessage::default(),
        response: RecordedMessage::default(),
    };
    let (parts, body) = res.into_parts();
    let mut tee = Tee {
        inner: body,
        capture: Arc::new(Mutex::new(Capture::default())),
        done: Some(Pending {
            traffic,
            entry,
            request_headers,
            request_body,
            response_headers: parts.headers.clone(),
        }),
    };
    if tee.inner.is_end_stream() {
        tee.finish(true);
    }
    Response::from_parts(parts, Body::new(tee))
}

/// The first bytes of a body and its whole length.
#[derive(Default)]
struct Capture {
    bytes: Vec<u8>,
    size: u64,
}

impl Capture {
    fn take(&mut self, chunk: &Bytes) {
        self.size += chunk.len() as u64;
        let room = BODY_LIMIT.saturating_sub(self.bytes.len());
        self.bytes
            .extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
}

/// What the entry still needs once the answer's body is over.
struct Pending {
    traffic: Arc<Traffic>,
    entry: JournalEntry,
    request_headers: HeaderMap,
    request_body: Arc<Mutex<Capture>>,
    response_headers: HeaderMap,
}

/// A body passed through unchanged while its first bytes are copied.
struct Tee {
    inner: Body,
    capture: Arc<Mutex<Capture>>,
    /// Set on the answer's tee: the entry to write when the body ends.
    done: Option<Pending>,
}

impl Tee {
    /// Writes the entry (once); `answered` is false when the body failed, which drops the
    /// connection without an answer.
    fn finish(&mut self, answered: bool) {
        let Some(p) = self.done.take() else {
            return;
        };
        let secrets = &p.traffic.secrets;
        let mut entry = p.entry;
        let status = entry.status.unwrap_or(0);
        let codes_are_secret = (200..300).contains(&status)
            && entry
                .route
                .as_deref()
                .is_some_and(|r| r.starts_with("/2.0/auth"));
        let request = p.request_body.lock().expect("capture lock");
        entry.request = message(secrets, &p.request_headers, &request, true);
        let response = self.capture.lock().expect("capture lock");
        entry.response = message(secrets, &p.response_headers, &response, codes_are_secret);
        if !answered {
            entry.status = None;
            entry.response = RecordedMessage::default();
        }
        drop((request, response));
        p.traffic.journal.record(entry);
    }
}

impl HttpBody for Tee {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    self.capture.lock().expect("capture lock").take(data);
                }
                if self.inner.is_end_stream() {
                    self.finish(true);
                }
            }
            Poll::Ready(Some(Err(_))) => self.finish(false),
            Poll::Ready(None) => self.finish(true),
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for Tee {
    /// A client that went away before the end still gets its request recorded.
    fn drop(&mut self) {
        self.finish(true);
    }
}

/// Headers and body as the journal shows them, secrets redacted.
fn message(
    secrets: &super::redact::Secrets,
    headers: &HeaderMap,
    body: &Capture,
    codes: bool,
) -> RecordedMessage {
    let mut shown = std::collections::BTreeMap::new();
    for (name, value) in headers {
        let text = String::from_utf8_lossy(value.as_bytes());
        let text = match name.as_str() {
            "authorization" | "proxy-authorization" | "cookie" | "set-cookie" => {
                super::redact::REDACTED.to_string()
            }
            n if n == LOCATION.as_str() => secrets.urls(&text),
            _ => text.into_owned(),
        };
        shown
            .entry(name.as_str().to_string())
            .and_modify(|v: &mut String| {
                v.push_str(", ");
                v.push_str(&text);
            })
            .or_insert(text);
    }
    let ctype = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let text = match std::str::from_utf8(&body.bytes) {
        Ok(t) => Some(t),
        // Cut inside a character: keep the whole ones.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&body.bytes[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    };
    let body_text = text.filter(|t| !t.is_empty()).map(|t| {
        if ctype.starts_with("application/x-www-form-urlencoded") {
            secrets.pairs(t, codes)
        } else if ctype.starts_with("text/html") {
            secrets.urls(t)
        } else {
            secrets.json(t, codes)
        }
    });
    RecordedMessage {
        headers: shown,
        body: body_text,
        size: body.size,
        truncated: body.size > body.bytes.len() as u64,
    }
}
