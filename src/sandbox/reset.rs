//! `POST /sandbox/reset`: every user and everything under them, and the clock, back to the
//! seed. Ids start again at 1, so a reset sandbox answers byte for byte like a new one.

use crate::api::principal::Principal;
use crate::clock::ClockSetting;
use crate::error::Result;
use crate::model::format;
use crate::state::AppState;
use crate::store;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

pub async fn reset(State(st): State<AppState>, who: Principal) -> Result<Json<Value>> {
    who.require_config()?;
    let started = std::time::Instant::now();
    let mut setting = ClockSetting::default();
    if let Some(start) = st
        .config
        .clock_start
        .as_deref()
        .and_then(format::parse_datetime)
    {
        setting.frozen_at = Some(start);
    }
    let mut tx = st.db.begin().await?;
    // Users cascade to tokens, codes, connections, sources, accounts, transactions and logs.
    // The biggest table first, in one step (no triggers, no foreign keys point at it).
    sqlx::query("DELETE FROM transactions")
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM users").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM connector_settings")
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sqlite_sequence WHERE name <> 'client_apps'")
        .execute(&mut *tx)
        .await?;
    store::clock::save(&mut tx, &setting).await?;
    tx.commit().await?;
    st.clock.set(setting);
    Ok(Json(
        json!({"now": format::datetime(st.clock.now()), "took_ms": started.elapsed().as_secs_f64() * 1000.0}),
    ))
}
