//! `/sandbox/clock` and `/sandbox/tick`: move time, then run what became due.

use crate::api::extract::Fields;
use crate::api::principal::Principal;
use crate::clock::ClockSetting;
use crate::error::{ApiError, Result};
use crate::model::control::{Clock, ClockUpdate, JobRun, Tick};
use crate::model::format::DateTime;
use crate::model::{duration, format};
use crate::state::AppState;
use crate::store;
use axum::extract::State;
use axum::Json;
use chrono::{TimeDelta, Utc};

fn describe(st: &AppState) -> Clock {
    let s = st.clock.setting();
    Clock {
        now: DateTime(st.clock.now()),
        frozen: s.frozen_at.is_some(),
        offset_seconds: s.offset.num_seconds(),
        real_now: DateTime(Utc::now().naive_utc()),
    }
}

#[utoipa::path(get, path = "/sandbox/clock", tag = "sandbox",
    responses((status = 200, description = "The sandbox clock", body = Clock)),
    security(("bearerAuth" = [])))]
pub async fn get(State(st): State<AppState>, who: Principal) -> Result<Json<Clock>> {
    who.require_config()?;
    Ok(Json(describe(&st)))
}

/// `{"set": ...}`, `{"advance": ...}`, `{"freeze": bool}`, applied in that order. Time only
/// moves forward, like Stripe's test clocks: consent, tokens and syncs assume it.
#[utoipa::path(post, path = "/sandbox/clock", tag = "sandbox",
    request_body(content = ClockUpdate),
    responses((status = 200, description = "The clock as it is now", body = Clock)),
    security(("bearerAuth" = [])))]
pub async fn update(
    State(st): State<AppState>,
    who: Principal,
    body: Fields,
) -> Result<Json<Clock>> {
    who.require_config()?;
    apply(&st, &body).await?;
    Ok(Json(describe(&st)))
}

/// Moves the clock as `body` says and persists the setting.
pub async fn apply(st: &AppState, body: &Fields) -> Result<()> {
    let set = body
        .str("set")?
        .map(|s| {
            // In the API's zone, as `now` is shown.
            format::parse_local(&s)
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

/// Runs every job that is due at the sandbox's `now`, synchronously: background syncs,
/// decoupled validations, purge of expired temporary users.
#[utoipa::path(post, path = "/sandbox/tick", tag = "sandbox",
    responses((status = 200, description = "What ran", body = Tick)),
    security(("bearerAuth" = [])))]
pub async fn tick(State(st): State<AppState>, who: Principal) -> Result<Json<Tick>> {
    who.require_config()?;
    let ran = crate::jobs::run_due(&st)
        .await?
        .into_iter()
        .map(|r| JobRun {
            job: r.job,
            id_connection: r.id_connection,
            id_user: r.id_user,
            state: r.state,
            new_transactions: r.new_transactions,
        })
        .collect();
    Ok(Json(Tick {
        now: DateTime(st.clock.now()),
        ran,
    }))
}
