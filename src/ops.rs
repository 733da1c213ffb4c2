//! Operational routes (`/health`) and the layers every response goes through.

use crate::error::ApiError;
use crate::request_id;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn routes() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

/// The server only binds once migrations and seed are applied, so answering at all means ready.
async fn health() -> Json<Value> {
    Json(json!({"status": "ok", "version": VERSION}))
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("Route")
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// Outermost first: request id, sandbox header, panic guard, trace span, timeout.
pub fn layers(router: Router, state: &AppState) -> Router {
    let timeout = Duration::from_secs(state.config.request_timeout.max(1));
    router
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
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-powens-sandbox"),
            HeaderValue::from_static(VERSION),
        ))
        .layer(middleware::from_fn(request_id::middleware))
}
