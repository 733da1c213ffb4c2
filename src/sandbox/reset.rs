//! `POST /sandbox/reset`: every user and everything under them, and the clock, back to the
//! seed. Ids start again at 1, so a reset sandbox answers byte for byte like a new one.
//! An optional `{"clock": {"set", "advance", "freeze"}}` then pins the clock, in the same
//! transaction, so a CI job can pin time on a sandbox it did not start.

use crate::api::extract::Fields;
use crate::api::principal::Principal;
use crate::clock::{Clock, ClockSetting};
use crate::error::{ApiError, Result};
use crate::model::control::{Reset, ResetRequest};
use crate::model::format::{self, DateTime};
use crate::sandbox::clock::ClockChange;
use crate::state::AppState;
use crate::store;
use axum::extract::State;
use axum::Json;
use chrono::Utc;

/// The clock change a reset body asks for; unknown fields are refused, not dropped.
fn clock_change(body: &Fields) -> Result<Option<ClockChange>> {
    if let Some(key) = body.0.keys().find(|k| k.as_str() != "clock") {
        return Err(ApiError::invalid(key, "unknown field"));
    }
    let Some(clock) = body.get("clock") else {
        return Ok(None);
    };
    let serde_json::Value::Object(m) = clock else {
        return Err(ApiError::invalid(
            "clock",
            "expected an object with set, advance or freeze",
        ));
    };
    if let Some(key) = m
        .keys()
        .find(|k| !["set", "advance", "freeze"].contains(&k.as_str()))
    {
        return Err(ApiError::invalid(&format!("clock.{key}"), "unknown field"));
    }
    ClockChange::parse(&Fields(m.clone())).map(Some)
}

/// Every user and everything under them, and the clock, back to the seed; then the clock
/// as the body's `clock` says.
#[utoipa::path(post, path = "/sandbox/reset", tag = "sandbox",
    request_body(content = Option<ResetRequest>, description = "Optional."),
    responses((status = 200, description = "Reset", body = Reset)),
    security(("bearerAuth" = [])))]
pub async fn reset(
    State(st): State<AppState>,
    who: Principal,
    body: Fields,
) -> Result<Json<Reset>> {
    who.require_config()?;
    let change = clock_change(&body)?;
    let started = std::time::Instant::now();
    let mut setting = ClockSetting::default();
    if let Some(start) = st
        .config
        .clock_start
        .as_deref()
        .and_then(format::parse_local)
    {
        setting.frozen_at = Some(start);
    }
    if let Some(change) = change {
        // A reset sandbox has no users: any instant may be set.
        let now = Clock::new(setting).now();
        setting = change.apply_to(setting, now, Utc::now().naive_utc(), true)?;
    }
    let mut tx = st.db.begin().await?;
    store::sandbox::empty(&mut tx).await?;
    store::clock::save(&mut tx, &setting).await?;
    tx.commit().await?;
    st.clock.set(setting);
    Ok(Json(Reset {
        now: DateTime(st.clock.now()),
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
    }))
}
