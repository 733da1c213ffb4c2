//! The built-in webhook receiver (the sink), for setups with no receiver of their own.

use crate::api::extract::Params;
use crate::api::principal::Principal;
use crate::error::Result;
use crate::model::format;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};

/// The built-in receiver: stores what it gets and answers 200. No token needed, like a
/// real receiver.
pub async fn sink_receive(
    State(st): State<AppState>,
    Path(rest): Path<Vec<String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode> {
    let _ = rest;
    sink_store(&st, "/sandbox/webhooks/sink", &headers, &body).await
}

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
    sqlx::query("INSERT INTO webhook_sink (path, headers, body, received) VALUES (?, ?, ?, ?)")
        .bind(path)
        .bind(Value::Object(h).to_string())
        .bind(String::from_utf8_lossy(body).to_string())
        .bind(format::datetime(st.clock.now()))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::OK)
}

pub async fn sink_list(
    State(st): State<AppState>,
    who: Principal,
    params: Params,
) -> Result<Json<Value>> {
    who.require_config()?;
    let limit = params.bounded("limit", 1000)?.unwrap_or(100);
    let mut conn = st.db.reader.acquire().await?;
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, headers, body, received FROM webhook_sink ORDER BY id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_sink")
        .fetch_one(&mut *conn)
        .await?;
    let list: Vec<Value> = rows
        .into_iter()
        .map(|(id, h, b, r)| {
            json!({"id": id, "headers": serde_json::from_str::<Value>(&h).unwrap_or(Value::Null),
                   "body": serde_json::from_str::<Value>(&b).unwrap_or(Value::String(b)), "received": r})
        })
        .collect();
    Ok(Json(json!({"received": list, "total": total})))
}

pub async fn sink_clear(State(st): State<AppState>, who: Principal) -> Result<StatusCode> {
    who.require_config()?;
    let mut tx = st.db.begin().await?;
    sqlx::query("DELETE FROM webhook_sink")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
