//! `/users`: the current user, any user by id, deletion, and the domain-wide list.

use crate::api::extract::Params;
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::store::users;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
) -> Result<Json<Value>> {
    let id = who.user(&st, &user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let u = users::get(&mut conn, id, st.clock.now())
        .await?
        .ok_or_else(|| ApiError::not_found("User"))?;
    Ok(Json(serde_json::to_value(u)?))
}

/// Hard delete of the user and, through foreign keys, everything under it.
pub async fn delete(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
) -> Result<StatusCode> {
    let id = who.user(&st, &user).await?;
    let mut tx = st.db.begin().await?;
    // Queued before the rows go, in the same transaction: USER_DELETED carries the user.
    crate::webhooks::payloads::user_event(&mut tx, "USER_DELETED", id, st.clock.now()).await?;
    if !users::delete(&mut tx, id).await? {
        return Err(ApiError::not_found("User"));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /users` with the users (or config) token. `users` is null when there are none, as
/// observed on the real API.
pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    params: Params,
) -> Result<Json<Value>> {
    if !matches!(who, Principal::Users | Principal::Config) {
        return Err(ApiError::Forbidden(
            "Listing users requires the users token.".into(),
        ));
    }
    let limit = params.bounded("limit", 1000)?.unwrap_or(1000);
    let offset = params.bounded("offset", i64::MAX)?.unwrap_or(0);
    let mut conn = st.db.reader.acquire().await?;
    let (list, total) = users::list(&mut conn, limit, offset, st.clock.now()).await?;
    let users = if list.is_empty() {
        Value::Null
    } else {
        serde_json::to_value(list)?
    };
    Ok(Json(json!({"users": users, "total": total})))
}
