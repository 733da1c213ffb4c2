//! `/sandbox/clock` and `/sandbox/tick`: move time, then run what became due.

use crate::api::extract::Fields;
use crate::api::principal::Principal;
use crate::clock::ClockSetting;
use crate::error::{ApiError, Result};
use crate::model::{duration, format};
use crate::state::AppState;
use crate::store;
use axum::extract::State;
use axum::Json;
use chrono::{TimeDelta, Utc};
use serde_json::{json, Value};

fn describe(st: &AppState) -> Value {
    let s = st.clock.setting();
    json!({
        "now": format::datetime(st.clock.now()),
        "frozen": s.frozen_at.is_some(),
        "offset_seconds": s.offset.num_seconds(),
        "real_now": format::datetime(Utc::now().naive_utc()),
    })
}

pub async fn get(State(st): State<AppState>, who: Principal) -> Result<Json<Value>> {
    who.require_config()?;
    Ok(Json(describe(&st)))
}

/// `{"set": ...}`, `{"advance": ...}`, `{"freeze": bool}`, applied in that order. Time only
/// moves forward, like Stripe's test clocks: consent, tokens and syncs assume it.
pub async fn update(
    State(st): State<AppState>,
    who: Principal,
    body: Fields,
) -> Result<Json<Value>> {
    who.require_config()?;
    apply(&st, &body).await?;
    Ok(Json(describe(&st)))
}

/// Moves the clock as `body` says and persists the setting.
pub async fn apply(st: &AppState, body: &Fields) -> Result<()> {
    let set = body
        .str("set")?
        .map(|s| {
            format::parse_datetime(&s)
                .ok_or_else(|| ApiError::invalid("set", "expected YYYY-MM-DD HH:MM:SS"))
        })
        .transpose()?;
    let advance = body
        .str("advance")?
        .map(|s| {
            duration::parse(&s).ok_or_else(|| {
                ApiError::invalid("advance", "expected a duration such as 180d, 36h or 90m")
            })
        })
        .transpose()?;
    let freeze = body.bool("freeze")?;
    if set.is_none() && advance.is_none() && freeze.is_none() {
        return Err(ApiError::missing("advance"));
    }
    let now = st.clock.now();
    let real = Utc::now().naive_utc();
    let mut target = now;
    if let Some(t) = set {
        if t < now {
            return Err(ApiError::invalid(
                "set",
                "the sandbox clock only moves forward",
            ));
        }
        target = t;
    }
    if let Some(d) = advance {
        target += d;
    }
    let frozen = freeze.unwrap_or(st.clock.setting().frozen_at.is_some());
    let setting = if frozen {
        ClockSetting {
            offset: TimeDelta::zero(),
            frozen_at: Some(target),
        }
    } else {
        ClockSetting {
            offset: target - real,
            frozen_at: None,
        }
    };
    let mut tx = st.db.begin().await?;
    store::clock::save(&mut tx, &setting).await?;
    tx.commit().await?;
    st.clock.set(setting);
    Ok(())
}

/// Runs every job that is due at the sandbox's `now`, synchronously.
pub async fn tick(State(st): State<AppState>, who: Principal) -> Result<Json<Value>> {
    who.require_config()?;
    let ran = crate::jobs::run_due(&st).await?;
    Ok(Json(
        json!({"now": format::datetime(st.clock.now()), "ran": ran}),
    ))
}
