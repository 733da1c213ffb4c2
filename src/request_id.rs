//! Request ids. Every response carries `X-Request-Id`, and error bodies repeat it as
//! `request_id`. The id is kept in a task-local so that `ApiError::into_response`, which has
//! no access to the request, can still put it in the body.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

tokio::task_local! {
    static REQUEST_ID: String;
}

pub const HEADER: &str = "x-request-id";

/// The id of the request being served, if any.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(|id| id.clone()).ok()
}

/// Takes a well-formed incoming `X-Request-Id` (so callers can correlate) or makes one.
pub async fn middleware(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let value = HeaderValue::from_str(&id).expect("request id is visible ascii");
    req.headers_mut().insert(HEADER, value.clone());
    let mut res = REQUEST_ID.scope(id, next.run(req)).await;
    res.headers_mut().insert(HEADER, value);
    res
}
