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
use chrono::{NaiveDateTime, TimeDelta, Utc};

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
/// moves forward once users exist; before, any instant may be set.
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
    body.only(&["set", "advance", "freeze"])?;
    apply(&st, &body).await?;
    Ok(Json(describe(&st)))
}

/// What a clock body asks for: `set`, then `advance`, then `freeze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockChange {
    pub set: Option<NaiveDateTime>,
    pub advance: Option<TimeDelta>,
    pub freeze: Option<bool>,
}

impl ClockChange {
    /// Reads `set`, `advance` and `freeze`; at least one of them must be there.
    pub fn parse(body: &Fields) -> Result<ClockChange> {
        let set = body
            .str("set")?
            .map(|s| {
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
        Ok(ClockChange {
            set,
            advance,
            freeze,
        })
    }

    /// The setting after this change, from `current` (which shows `now`) at real time `real`.
    /// Time only moves forward, like Stripe's test clocks, once the sandbox holds data
    /// (consent, tokens and syncs assume it); while no user exists (`empty`) any instant
    /// may be set, so a CI job can pin time on a sandbox it did not start.
    pub fn apply_to(
        &self,
        current: ClockSetting,
        now: NaiveDateTime,
        real: NaiveDateTime,
        empty: bool,
    ) -> Result<ClockSetting> {
        let mut target = now;
        if let Some(t) = self.set {
            if t < now && !empty {
                return Err(ApiError::invalid(
                    "set",
                    "the sandbox clock only moves forward once users exist (reset first)",
                ));
            }
            target = t;
        }
        if let Some(d) = self.advance {
            target += d;
        }
        let frozen = self.freeze.unwrap_or(current.frozen_at.is_some());
        Ok(if frozen {
            ClockSetting {
                offset: TimeDelta::zero(),
                frozen_at: Some(target),
            }
        } else {
            ClockSetting {
                offset: target - real,
                frozen_at: None,
            }
        })
    }
}

/// Moves the clock as `body` says and persists the setting.
pub async fn apply(st: &AppState, body: &Fields) -> Result<()> {
    let change = ClockChange::parse(body)?;
    let mut tx = st.db.begin().await?;
    let empty = store::sandbox::user_count(&mut tx).await? == 0;
    let setting = change.apply_to(
        st.clock.setting(),
        st.clock.now(),
        Utc::now().naive_utc(),
        empty,
    )?;
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
            state: r.state.map(|s| s.as_str().to_owned()),
            new_transactions: r.new_transactions,
        })
        .collect();
    Ok(Json(Tick {
        now: DateTime(st.clock.now()),
        ran,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        format::parse_datetime(s).unwrap()
    }

    fn set(s: &str) -> ClockChange {
        ClockChange {
            set: Some(at(s)),
            advance: None,
            freeze: None,
        }
    }

    fn frozen(s: &str) -> ClockSetting {
        ClockSetting {
            offset: TimeDelta::zero(),
            frozen_at: Some(at(s)),
        }
    }

    #[test]
    fn an_empty_sandbox_takes_an_instant_in_the_past() {
        let now = at("2026-01-15 10:00:00");
        let s = set("2024-06-03 09:30:00")
            .apply_to(frozen("2026-01-15 10:00:00"), now, now, true)
            .unwrap();
        assert_eq!(s, frozen("2024-06-03 09:30:00"));
    }

    #[test]
    fn a_sandbox_with_users_refuses_an_instant_in_the_past_but_not_now() {
        let now = at("2026-01-15 10:00:00");
        let current = frozen("2026-01-15 10:00:00");
        assert!(set("2026-01-15 09:59:59")
            .apply_to(current, now, now, false)
            .is_err());
        assert_eq!(
            set("2026-01-15 10:00:00")
                .apply_to(current, now, now, false)
                .unwrap(),
            current
        );
    }

    #[test]
    fn a_running_clock_set_keeps_running_from_that_instant() {
        let real = at("2026-01-15 10:00:00");
        let s = set("2024-06-03 09:30:00")
            .apply_to(ClockSetting::default(), real, real, true)
            .unwrap();
        assert_eq!(s.frozen_at, None);
        assert_eq!(real + s.offset, at("2024-06-03 09:30:00"));
    }
}
