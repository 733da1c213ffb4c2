//! The PSU's answers to a pending step: performing the SCA, giving the OTP, confirming a
//! decoupled validation, new credentials, renewing consent. Shared by the API, the control
//! plane, the webauth pages and the webview, so they all follow the same state machine.

use crate::bank::changes::Outage;
use crate::error::{ApiError, Result};
use crate::model::catalogue::Connector;
use crate::model::format;
use crate::store::json_text::JsonText;
use crate::store::{self, connections::Connection};
use crate::sync::login::{bank_changes_mut, credentials, decoupled_delay};
use crate::sync::sources::is_psd2;
use crate::sync::states::{self, Pending, Scenario, Step};
use chrono::{NaiveDateTime, TimeDelta};
use sqlx::SqliteConnection;

/// Sets what the current credentials run into: a chain of steps, a bank outage, or nothing.
/// Returns false for refused credentials (the caller decides: 400 on creation, state
/// `wrongpass` on an update).
pub fn start_scenario(connector: &Connector, c: &mut Connection, now: NaiveDateTime) -> bool {
    match states::scenario(&credentials(c)) {
        Scenario::Ok => {
            set_pending(c, None);
            true
        }
        Scenario::Steps(steps, secs) => {
            let delay = secs.unwrap_or(connector.decoupled_delay_secs);
            let (first, rest) = steps.split_first().expect("non-empty chain");
            let p = Pending::enter(connector, *first, rest.to_vec(), now, delay);
            set_pending(c, Some(p));
            true
        }
        Scenario::Outage(state) => {
            set_pending(c, None);
            bank_changes_mut(c).outage = Some(Outage {
                state: state.into(),
                error_message: Some(outage_message(state).into()),
                until: Some(now + TimeDelta::hours(states::MAGIC_OUTAGE_HOURS)),
            });
            true
        }
        Scenario::Wrongpass => {
            let p = Pending::enter(connector, Step::Credentials, vec![], now, 0);
            set_pending(c, Some(p));
            false
        }
    }
}

pub fn outage_message(state: &str) -> &'static str {
    match state {
        "rateLimiting" => "Trop de requêtes : la banque limite temporairement les accès.",
        "bug" => "Une erreur interne est survenue ; la synchronisation reprendra automatiquement.",
        _ => "Le site de la banque est momentanément indisponible.",
    }
}

/// Completes the current step: moves to the next one, or clears the chain and, when it was
/// an SCA, renews the PSD2 consent of the connection's sources for 180 days.
pub async fn complete_step(
    conn: &mut SqliteConnection,
    connector: &Connector,
    c: &mut Connection,
    now: NaiveDateTime,
) -> Result<()> {
    let Some(p) = pending(c) else {
        return Ok(());
    };
    let renews = p.renews_consent;
    let delay = decoupled_delay(connector, c);
    match p.advance(connector, now, delay) {
        Some(next) => set_pending(c, Some(next)),
        None => {
            set_pending(c, None);
            if renews {
                renew_consent(conn, c.id, now).await?;
            }
        }
    }
    store::connections::save(conn, c).await?;
    Ok(())
}

pub async fn renew_consent(
    conn: &mut SqliteConnection,
    id_connection: i64,
    now: NaiveDateTime,
) -> Result<()> {
    for mut s in store::connections::sources(conn, id_connection).await? {
        if is_psd2(&s) {
            s.access_expire = Some(format::datetime(states::consent_until(now)));
            store::connections::save_source(conn, &s).await?;
        }
    }
    Ok(())
}

/// Whether a PSD2 source the PSU can renew here (not a webauth-only one) has lost its
/// consent at `now`.
pub async fn consent_lapsed(
    conn: &mut SqliteConnection,
    connector: &Connector,
    id_connection: i64,
    now: NaiveDateTime,
) -> Result<bool> {
    Ok(store::connections::sources(conn, id_connection)
        .await?
        .iter()
        .filter(|s| s.disabled.is_none() && is_psd2(s))
        .filter(|s| !crate::sync::sources::webauth_only(connector, s))
        .any(|s| {
            let expire = s.access_expire.as_deref().and_then(format::parse_datetime);
            states::consent_expired(expire, now)
        }))
}

/// The PSU performs the SCA an expired consent waits for, outside a started challenge (an
/// empty `POST` after a background sync ended in `SCARequired`): the login's OTP or
/// decoupled step starts when nothing else waits, else consent is renewed at once.
pub async fn perform_consent_sca(
    conn: &mut SqliteConnection,
    connector: &Connector,
    c: &mut Connection,
    now: NaiveDateTime,
) -> Result<()> {
    let challenge = states::sca_challenge(&crate::sync::login::credentials(c));
    match challenge.split_first() {
        Some((first, rest)) if pending(c).is_none() => {
            let mut p = Pending::enter(
                connector,
                *first,
                rest.to_vec(),
                now,
                decoupled_delay(connector, c),
            );
            p.renews_consent = true;
            set_pending(c, Some(p));
            Ok(())
        }
        _ => renew_consent(conn, c.id, now).await,
    }
}

/// What the PSU still has to do for `c`, if anything.
pub fn pending(c: &Connection) -> Option<Pending> {
    c.pending.as_ref().map(|p| p.0.clone())
}

pub fn set_pending(c: &mut Connection, p: Option<Pending>) {
    c.pending = p.map(JsonText);
}

/// Whether `c` waits for a decoupled validation in the bank's app.
pub fn waits_for_decoupled(c: &Connection) -> bool {
    pending(c).is_some_and(|p| matches!(p.step, Step::Decoupled | Step::Validating))
}

/// Checks a one-time code against the pending OTP step.
pub fn check_otp(c: &Connection, otp: &str) -> Result<()> {
    match pending(c) {
        Some(p) if p.step == Step::Otp => {
            if otp.trim() == states::OTP {
                Ok(())
            } else {
                Err(ApiError::Business {
                    status: axum::http::StatusCode::BAD_REQUEST,
                    code: "invalidValue",
                    description: "Invalid value for parameter 'otp': the one-time code was refused by the bank.".into(),
                    message: Some("Code incorrect.".into()),
                })
            }
        }
        _ => Err(ApiError::invalid(
            "otp",
            "the connection is not waiting for a one-time code",
        )),
    }
}

/// Whether a decoupled validation is done at `now`.
pub fn validated(c: &Connection, now: NaiveDateTime) -> bool {
    pending(c).is_some_and(|p| {
        matches!(p.step, Step::Decoupled | Step::Validating)
            && p.validate_at.is_none_or(|t| t <= now)
    })
}

/// `?background`: the connection shows `validating` until the bank's app confirms.
pub fn to_validating(c: &mut Connection) {
    if let Some(mut p) = pending(c) {
        if p.step == Step::Decoupled {
            p.step = Step::Validating;
            p.error_message = None;
            set_pending(c, Some(p));
        }
    }
}

/// `refresh_auth`: renews PSD2 consent before it expires, through the login's SCA form.
pub async fn refresh_auth(
    conn: &mut SqliteConnection,
    connector: &Connector,
    c: &mut Connection,
    now: chrono::NaiveDateTime,
) -> Result<()> {
    let challenge = states::sca_challenge(&credentials(c));
    match challenge.split_first() {
        Some((first, rest)) => {
            let mut p = Pending::enter(
                connector,
                *first,
                rest.to_vec(),
                now,
                decoupled_delay(connector, c),
            );
            p.renews_consent = true;
            set_pending(c, Some(p));
        }
        None => renew_consent(conn, c.id, now).await?,
    }
    Ok(())
}
