//! The layer that misbehaves on purpose: `--rate-limit` first (on `/2.0`), then the fault
//! rules, both before the handler runs. Its own answers carry the same headers as the
//! others (`X-Powens-Sandbox`; the request id is added outside) and a Powens error body.

use super::{faultable, id_after};
use crate::error::ApiError;
use crate::model::fault::FaultAction;
use crate::model::journal::{AppliedFault, AppliedFaultKind};
use crate::state::AppState;
use crate::traffic::faults::Facts;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, RETRY_AFTER};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use std::pin::Pin;
use std::task::{Context, Poll};

pub async fn layer(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !faultable(path) {
        return next.run(req).await;
    }
    let traffic = &st.traffic;
    if let Some(limiter) = &traffic.limiter {
        if path == "/2.0" || path.starts_with("/2.0/") {
            if let Err(wait) = limiter.take(st.clock.now()) {
                let err = ApiError::business(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rateLimiting",
                    format!(
                        "The fair-usage limit of the sandbox ({} calls a minute, {} a day) is reached: retry in {wait} seconds.",
                        super::rate_limit::PER_MINUTE,
                        super::rate_limit::PER_DAY
                    ),
                );
                return answer(err, Some(wait), None, AppliedFaultKind::RateLimit);
            }
        }
    }
    if traffic.faults.is_empty() {
        return next.run(req).await;
    }
    let method = req.method().as_str().to_owned();
    let path = path.to_owned();
    let id_user = if traffic.faults.needs_user() {
        let token = bearer(req.headers());
        acting_user(&st, &path, token).await
    } else {
        None
    };
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let decision = traffic.faults.decide(&Facts {
        method: &method,
        path: &path,
        route: route.as_deref(),
        id_user,
        id_connection: id_after(&path, "connections"),
    });
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    match decision.outcome {
        Some((id, FaultAction::Drop, _, _)) => {
            let mut res = Response::new(Body::new(Dropped));
            res.extensions_mut().insert(AppliedFault {
                id_fault: Some(id),
                kind: AppliedFaultKind::Drop,
            });
            res
        }
        Some((id, _, status, retry_after)) => {
            let status = status
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let wait = matches!(status.as_u16(), 429 | 503).then(|| retry_after.unwrap_or(1));
            answer(error_of(status), wait, Some(id), AppliedFaultKind::Status)
        }
        None => {
            let mut res = next.run(req).await;
            if let Some(id) = decision.latency_rule {
                res.extensions_mut().insert(AppliedFault {
                    id_fault: Some(id),
                    kind: AppliedFaultKind::Latency,
                });
            }
            res
        }
    }
}

/// The Powens error body a status is answered with.
pub fn error_of(status: StatusCode) -> ApiError {
    match status.as_u16() {
        400 => ApiError::InvalidValue("The request is invalid.".into()),
        401 => ApiError::Unauthorized,
        403 => ApiError::Forbidden("Access denied.".into()),
        404 => ApiError::not_found("Resource"),
        405 => ApiError::MethodNotAllowed,
        429 => ApiError::business(
            status,
            "rateLimiting",
            "Too many requests: retry after the Retry-After delay.",
        ),
        502..=504 => ApiError::business(
            status,
            "websiteUnavailable",
            "The service is temporarily unavailable, retry later.",
        ),
        s if s >= 500 => ApiError::business(status, "bug", "An internal error occurred."),
        _ => ApiError::business(status, "invalidValue", "The request is invalid."),
    }
}

fn answer(
    err: ApiError,
    retry_after: Option<u64>,
    id_fault: Option<u64>,
    kind: AppliedFaultKind,
) -> Response {
    let mut res = err.into_response();
    let headers = res.headers_mut();
    if let Some(wait) = retry_after {
        headers.insert(RETRY_AFTER, HeaderValue::from(wait));
    }
    headers.insert(
        HeaderName::from_static("x-powens-sandbox"),
        HeaderValue::from_static(crate::config::VERSION),
    );
    res.extensions_mut().insert(AppliedFault { id_fault, kind });
    res
}

/// The user a request names (`/users/{id}`) or whose token it carries; only looked up when
/// a rule matches on the user.
async fn acting_user(st: &AppState, path: &str, token: Option<String>) -> Option<i64> {
    if let Some(id) = id_after(path, "users") {
        return Some(id);
    }
    let token = token?;
    if token == st.config.config_token || token == st.config.users_token {
        return None;
    }
    let mut conn = st.db.reader.acquire().await.ok()?;
    crate::store::tokens::resolve(&mut conn, &token, st.clock.now())
        .await
        .ok()
        .flatten()
        .map(|r| r.id_user)
}

fn bearer(headers: &axum::http::HeaderMap) -> Option<String> {
    let (scheme, token) = headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim()
        .split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// A body that fails at once: hyper then closes the connection before it has written the
/// answer's head, so the client sees the connection end without a response.
struct Dropped;

impl HttpBody for Dropped {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by a fault rule",
        ))))
    }
}
