//! `POST /sandbox/reset`: every user and everything under them, and the clock, back to the
//! seed. Ids start again at 1, so a reset sandbox answers byte for byte like a new one.

use crate::api::principal::Principal;
use crate::clock::ClockSetting;
use crate::error::Result;
use crate::model::control::Reset;
use crate::model::format::{self, DateTime};
use crate::state::AppState;
use crate::store;
use axum::extract::State;
use axum::Json;

/// Every user and everything under them, and the clock, back to the seed.
#[utoipa::path(post, path = "/sandbox/reset", tag = "sandbox",
    responses((status = 200, description = "Reset", body = Reset)),
    security(("bearerAuth" = [])))]
pub async fn reset(State(st): State<AppState>, who: Principal) -> Result<Json<Reset>> {
    who.require_config()?;
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
