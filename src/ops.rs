//! Operational routes (`/health`) and the layers every response goes through. The OpenAPI
//! document serves itself (`crate::openapi::routes`), from the composed route tables.

// Re-exported for the binary, which prints it.
pub use crate::config::VERSION;
use crate::error::ApiError;
use crate::model::health::Health;
use crate::request_id;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

/// The server only binds once migrations and seed are applied, so answering at all means ready.
#[utoipa::path(get, path = "/health", tag = "ops",
    responses((status = 200, description = "Ready", body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: VERSION,
    })
}

/// A request that may have changed something (and queued events) wakes the webhook worker
/// once its transaction is committed, i.e. once the response exists.
async fn wake_webhooks(
    axum::extract::State(st): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> axum::response::Response {
    let mutating =
        req.method() != axum::http::Method::GET && req.method() != axum::http::Method::HEAD;
    let res = next.run(req).await;
    if mutating {
        st.webhooks.wake();
    }
    res
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("Route")
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// Turns an error response that is not already JSON (the plain-text rejections of axum's own
/// extractors, such as a path segment that is not UTF-8, or a bare status) into the Powens
/// error body, so that every error a client sees has the same shape. HTML pages are left
/// alone; the status and the other headers (`Allow`, `Retry-After`, ...) are kept.
async fn powens_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let ctype = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !(ctype.is_empty() || ctype.starts_with("text/plain")) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let described = |fallback: &str| {
        if text.is_empty() {
            fallback.to_string()
        } else {
            text.clone()
        }
    };
    let err = match status {
        StatusCode::UNAUTHORIZED => ApiError::Unauthorized,
        StatusCode::FORBIDDEN => ApiError::Forbidden(described("Access denied.")),
        StatusCode::NOT_FOUND => ApiError::not_found("Resource"),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        // Extractor rejections (bad path, query, JSON, content type) are 400 for Powens.
        StatusCode::BAD_REQUEST
        | StatusCode::LENGTH_REQUIRED
        | StatusCode::UNSUPPORTED_MEDIA_TYPE
        | StatusCode::UNPROCESSABLE_ENTITY => {
            ApiError::InvalidValue(described("The request is invalid."))
        }
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT => {
            ApiError::Unavailable(described("unavailable"))
        }
        s if s.is_client_error() => {
            ApiError::business(s, "invalidValue", described("The request is invalid."))
        }
        s => ApiError::business(s, "bug", "An internal error occurred."),
    };
    let mut out = err.into_response();
    for (name, value) in &parts.headers {
        if name != CONTENT_TYPE && name != CONTENT_LENGTH {
            out.headers_mut().append(name, value.clone());
        }
    }
    out
}

/// One access line per request, at info (debug for `/health`, which Docker polls): method,
/// matched route, status, latency and request id. Never headers or bodies, so neither
/// `Authorization` nor a secret or a password can reach the log.
async fn access_log(req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "(unmatched)".into());
    let id = req
        .headers()
        .get(request_id::HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let res = next.run(req).await;
    let status = res.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    if route == "/health" {
        tracing::debug!(target: "access", %method, route, status, latency_ms, request_id = id, "request");
    } else {
        tracing::info!(target: "access", %method, route, status, latency_ms, request_id = id, "request");
    }
    res
}

/// Outermost first: request id, access log, journal, faults and rate limit, sandbox header,
/// Powens error bodies, panic guard, trace span, timeout, time zone.
pub fn layers(router: Router, state: &AppState) -> Router {
    let timeout = Duration::from_secs(state.config.request_timeout.max(1));
    let zone = state.config.timezone;
    router
        // The DateTimes a request reads and writes (webhook payloads it queues included) are
        // in the configured zone.
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            crate::model::format::in_zone(zone, next.run(req))
        }))
        .layer(middleware::from_fn(
            move |req: Request, next: Next| async move {
                match tokio::time::timeout(timeout, next.run(req)).await {
                    Ok(res) => res,
                    Err(_) => ApiError::Unavailable("request timed out".into()).into_response(),
                }
            },
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map(|m| m.as_str().to_owned())
                .unwrap_or_else(|| "(unmatched)".into());
            let id = req
                .headers()
                .get(request_id::HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if route == "/health" {
                tracing::debug_span!("request", method = %req.method(), route, request_id = id)
            } else {
                tracing::info_span!("request", method = %req.method(), route, request_id = id)
            }
        }))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::Internal("handler panicked".into()).into_response()
        }))
        .layer(middleware::from_fn(powens_errors))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-powens-sandbox"),
            HeaderValue::from_static(VERSION),
        ))
        // The journal records what the client gets, faulted answers included; the faults
        // and the rate limit act before the handler.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::traffic::guard::layer,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::traffic::record::layer,
        ))
        .layer(middleware::from_fn(access_log))
        .layer(middleware::from_fn(request_id::middleware))
        .layer(middleware::from_fn_with_state(state.clone(), wake_webhooks))
}
