//! The built-in webhook receiver (the sink), for setups with no receiver of their own.

use crate::api::extract::Params;
use crate::api::principal::Principal;
use crate::error::Result;
use crate::model::webhook::SinkList;
use crate::state::AppState;
use crate::store::sink;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};

/// As `/sandbox/webhooks/sink`, under any path (the receiver's path is part of signatures).
#[utoipa::path(post, path = "/sandbox/webhooks/sink/{rest}", tag = "sandbox",
    params(("rest" = String, Path, description = "Any path")),
    request_body(content = serde_json::Value, description = "Any body"),
    responses((status = 200, description = "Received")))]
pub async fn sink_receive(
    State(st): State<AppState>,
    Path(rest): Path<Vec<String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode> {
    let _ = rest;
    sink_store(&st, "/sandbox/webhooks/sink", &headers, &body).await
}

/// The built-in receiver: stores what it gets and answers 200. No token needed, like a
/// real receiver.
#[utoipa::path(post, path = "/sandbox/webhooks/sink", tag = "sandbox",
    request_body(content = serde_json::Value, description = "Any body"),
    responses((status = 200, description = "Received")))]
pub async fn sink_receive_root(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode> {
    sink_store(&st, "/sandbox/webhooks/sink", &headers, &body).await
}

async fn sink_store(
    st: &AppState,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<StatusCode> {
    let h: serde_json::Map<String, Value> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v.to_str().unwrap_or(""))))
        .collect();
    let mut tx = st.db.begin().await?;
    let body = String::from_utf8_lossy(body);
    sink::insert(
        &mut tx,
        path,
        &Value::Object(h).to_string(),
        &body,
        st.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::OK)
}

#[utoipa::path(get, path = "/sandbox/webhooks/sink", tag = "sandbox",
    params(("limit" = Option<i64>, Query, description = "At most 1000, default 100")),
    responses((status = 200, description = "What the sink received, newest first", body = SinkList)),
    security(("bearerAuth" = [])))]
pub async fn sink_list(
    State(st): State<AppState>,
    who: Principal,
    params: Params,
) -> Result<Json<SinkList>> {
    who.require_config()?;
    let limit = params.bounded("limit", 1000)?.unwrap_or(100);
    let mut conn = st.db.reader.acquire().await?;
    let received = sink::newest(&mut conn, limit).await?;
    let total = sink::count(&mut conn).await?;
    Ok(Json(SinkList { received, total }))
}

#[utoipa::path(delete, path = "/sandbox/webhooks/sink", tag = "sandbox",
    responses((status = 204, description = "Cleared")),
    security(("bearerAuth" = [])))]
pub async fn sink_clear(State(st): State<AppState>, who: Principal) -> Result<StatusCode> {
    who.require_config()?;
    let mut tx = st.db.begin().await?;
    sink::clear(&mut tx).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
