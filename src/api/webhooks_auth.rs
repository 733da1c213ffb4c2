//! `/webhooks/auth` (config token): HMAC auth providers for webhook signatures. The secret
//! is returned once, at creation.

use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::format;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rand::RngCore;
use serde_json::{json, Value};

/// `{type: "hmac_signature", name}` as JSON, form or query parameters.
pub async fn create(
    State(st): State<AppState>,
    who: Principal,
    params: Params,
    body: Fields,
) -> Result<Json<Value>> {
    who.require_config()?;
    let kind = body
        .str("type")?
        .or(params.text("type").map(str::to_owned))
        .ok_or_else(|| ApiError::missing("type"))?;
    let name = body
        .str("name")?
        .or(params.text("name").map(str::to_owned))
        .ok_or_else(|| ApiError::missing("name"))?;
    if kind != "hmac_signature" {
        return Err(ApiError::invalid(
            "type",
            "the sandbox supports hmac_signature providers",
        ));
    }
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || " _-.".contains(c))
    {
        return Err(ApiError::invalid(
            "name",
            "1 to 64 letters, digits, spaces, '_', '-' or '.'",
        ));
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    let mut tx = st.db.begin().await?;
    let id = sqlx::query(
        "INSERT INTO webhook_auth (type, name, secret_key, created) VALUES (?, ?, ?, ?)",
    )
    .bind(&kind)
    .bind(&name)
    .bind(&secret)
    .bind(format::datetime(st.clock.now()))
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    tx.commit().await?;
    Ok(Json(
        json!({"id": id, "type": kind, "name": name, "config": {"secret_key": secret}}),
    ))
}

pub async fn list(State(st): State<AppState>, who: Principal) -> Result<Json<Value>> {
    who.require_config()?;
    let mut conn = st.db.reader.acquire().await?;
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, type, name FROM webhook_auth ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    let list: Vec<Value> = rows
        .into_iter()
        .map(|(id, t, n)| json!({"id": id, "type": t, "name": n}))
        .collect();
    Ok(Json(json!({"authproviders": list, "total": list.len()})))
}

pub async fn delete(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    who.require_config()?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found("Auth provider"))?;
    let mut tx = st.db.begin().await?;
    let r = sqlx::query("DELETE FROM webhook_auth WHERE id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(ApiError::not_found("Auth provider"));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
