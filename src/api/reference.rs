//! Reference data: account types and currencies.

use crate::error::{ApiError, Result};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

pub async fn account_types(State(st): State<AppState>) -> Json<Value> {
    let list = &st.catalogue.account_types;
    Json(json!({"accounttypes": list, "total": list.len()}))
}

/// By numeric id, or by name (`checking`) for convenience.
pub async fn account_type(
    State(st): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<Value>> {
    let t = st
        .catalogue
        .account_types
        .iter()
        .find(|t| t.id.to_string() == key || t.name == key)
        .ok_or_else(|| ApiError::not_found("Account type"))?;
    Ok(Json(serde_json::to_value(t)?))
}

pub async fn currencies(State(st): State<AppState>) -> Json<Value> {
    let list = &st.catalogue.currencies;
    Json(json!({"currencies": list, "total": list.len()}))
}

pub async fn currency(State(st): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>> {
    let c = st
        .catalogue
        .currency(&id.to_ascii_uppercase())
        .ok_or_else(|| ApiError::not_found("Currency"))?;
    Ok(Json(serde_json::to_value(c)?))
}
