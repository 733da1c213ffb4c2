//! The one entry point for every change of a connection. Each surface (the API, the webview,
//! the bank's consent page, the scheduler, the control plane) parses its input into an
//! [`Action`], hands it to [`apply`] inside its own transaction and renders the [`Applied`]
//! it gets back. The lifecycle rules, the log row and the webhooks are all applied here, so
//! the same change has the same effects whoever asks for it.

use crate::error::{ApiError, Result};
use crate::model::catalogue::{Connector, ConnectorField};
use crate::model::format;
use crate::state::AppState;
use crate::store::{self, connections::Connection};
pub use crate::sync::applied::Applied;
use crate::sync::login::{credentials, set_credentials};
use crate::sync::options::Options;
use crate::sync::run::sync;
use crate::sync::source_outcome::bank_failure;
use crate::sync::states::Step;
use crate::sync::{forced, resume};
use chrono::NaiveDateTime;
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

/// Every way a connection changes.
#[derive(Debug, Clone)]
pub enum Action {
    /// A sync, with the PSU present or in the background.
    Sync { psu_requested: bool },
    /// The PSU is present and performs the SCA the connection waits for (if any), then syncs:
    /// an empty `POST /connections/{id}`, the webview's SCA button.
    PerformSca,
    /// New field values (credentials, answers to `fields`): the scenario they run into
    /// starts over, then a sync with the PSU present.
    Credentials(Map<String, Value>),
    /// The one-time code for a pending OTP step.
    Otp(String),
    /// The PSU says the bank's app validated the decoupled step (`resume`). `background`:
    /// do not wait; the connection shows `validating` until the bank confirms.
    Resume { background: bool },
    /// The bank's app approves the decoupled step now (the control plane's `/validate`).
    BankAppApproved,
    /// A decoupled validation whose time has come completes (the scheduler, a waiting
    /// request); nothing happens before.
    ValidationDue,
    /// `refresh_auth`: consent is renewed ahead of time through the login's SCA form.
    RefreshAuth,
    /// The PSU approved in the bank's own pages (webauth): consent renewed, then a sync.
    WebauthApproved,
    /// The PSU refused in the bank's pages: the connection stays as it was.
    WebauthRefused,
    /// The control plane puts the connection (or one source) in `state`; `None` clears every
    /// forced state and bank outage, then syncs.
    ForceState {
        state: Option<&'static str>,
        source: Option<i64>,
        message: Option<String>,
        fields: Option<Vec<ConnectorField>>,
    },
    /// `active` and `expire` settings; no sync.
    Settings {
        active: Option<bool>,
        expire: Option<NaiveDateTime>,
    },
    /// A source of the connection is disabled or enabled again; no sync.
    SourceDisabled { id_source: i64, disabled: bool },
    /// `?source=` on an update: the connector's source joins the connection (in priority
    /// order; enabled again if it was disabled) with the field values given for it, then a
    /// sync with the PSU present, which reaches its webauth step if it has one.
    AddSource {
        id_connector_source: i64,
        values: Map<String, Value>,
    },
}

const PSU: Options = Options {
    psu_requested: true,
};

pub fn connector<'a>(st: &'a AppState, c: &Connection) -> Result<&'a Connector> {
    st.catalogue
        .connector_by_id(c.id_connector)
        .ok_or_else(|| ApiError::internal("connector missing"))
}

/// Applies `action` to `c` (updated in place) inside the caller's transaction.
pub async fn apply(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &mut Connection,
    action: Action,
    now: NaiveDateTime,
) -> Result<Applied> {
    let connector = connector(st, c)?;
    match action {
        Action::Sync { psu_requested } => {
            let report = sync(conn, st, c, now, Options { psu_requested }).await?;
            Ok(Applied::Synced(report))
        }
        Action::PerformSca => {
            if resume::pending(c).is_some_and(|p| p.step == Step::Sca) {
                resume::complete_step(conn, connector, c, now).await?;
            } else if resume::consent_lapsed(conn, connector, c.id, now).await? {
                // No challenge was started (a background sync found the consent expired):
                // the PSU performs the SCA now.
                resume::perform_consent_sca(conn, connector, c, now).await?;
            }
            synced(conn, st, c, now).await
        }
        Action::Credentials(values) => {
            let mut creds = credentials(c);
            if let Some(l) = values.get("login").and_then(Value::as_str) {
                c.login = l.to_string();
            }
            creds.extend(values);
            set_credentials(c, creds);
            let accepted = resume::start_scenario(connector, c, now);
            store::connections::save(conn, c).await?;
            let report = sync(conn, st, c, now, PSU).await?;
            Ok(if accepted {
                Applied::Synced(report)
            } else {
                Applied::Refused(report)
            })
        }
        Action::Otp(code) => {
            if let Err(e) = resume::check_otp(c, &code) {
                return Ok(Applied::Rejected(e));
            }
            resume::complete_step(conn, connector, c, now).await?;
            synced(conn, st, c, now).await
        }
        Action::Resume { background } => {
            if !resume::waits_for_decoupled(c) {
                return Ok(Applied::Rejected(ApiError::invalid(
                    "resume",
                    "the connection is not waiting for a decoupled validation",
                )));
            }
            if resume::validated(c, now) {
                resume::complete_step(conn, connector, c, now).await?;
            } else if background {
                resume::to_validating(c);
            } else {
                store::connections::save(conn, c).await?;
                return Ok(Applied::NotValidated);
            }
            synced(conn, st, c, now).await
        }
        Action::BankAppApproved => {
            let Some(mut p) = resume::pending(c).filter(|_| resume::waits_for_decoupled(c)) else {
                return Ok(Applied::Rejected(ApiError::invalid(
                    "id_connection",
                    "the connection is not waiting for a decoupled validation",
                )));
            };
            let background = p.step == Step::Validating;
            p.validate_at = Some(now);
            resume::set_pending(c, Some(p));
            if background {
                // Nobody is waiting on a blocked request: finish it here, as the scheduler would.
                resume::complete_step(conn, connector, c, now).await?;
                synced(conn, st, c, now).await
            } else {
                // The blocked request (or the next `resume`) completes it.
                store::connections::save(conn, c).await?;
                Ok(Applied::Saved)
            }
        }
        Action::ValidationDue => {
            if !resume::validated(c, now) {
                return Ok(Applied::Unchanged);
            }
            resume::complete_step(conn, connector, c, now).await?;
            synced(conn, st, c, now).await
        }
        Action::RefreshAuth => {
            resume::refresh_auth(conn, connector, c, now).await?;
            synced(conn, st, c, now).await
        }
        Action::WebauthApproved => {
            if let Some(why) = bank_failure(c, now) {
                return Ok(Applied::BankFailed(why));
            }
            resume::set_pending(c, None);
            store::connections::save(conn, c).await?;
            resume::renew_consent(conn, c.id, now).await?;
            let report = sync(conn, st, c, now, PSU).await?;
            Ok(Applied::Synced(report))
        }
        Action::WebauthRefused => Ok(Applied::Unchanged),
        Action::ForceState {
            state,
            source,
            message,
            fields,
        } => {
            let forced = forced::Forced {
                state,
                source,
                message,
                fields,
            };
            forced::apply(conn, st, connector, c, forced, now).await
        }
        Action::Settings { active, expire } => {
            settings(conn, c, active, expire, now).await?;
            Ok(Applied::Saved)
        }
        Action::SourceDisabled {
            id_source,
            disabled,
        } => {
            let mut s = store::connections::sources(conn, c.id)
                .await?
                .into_iter()
                .find(|s| s.id == id_source)
                .ok_or_else(|| ApiError::not_found("ConnectionSource"))?;
            match disabled {
                true if s.disabled.is_none() => s.disabled = Some(format::datetime(now)),
                false => s.disabled = None,
                _ => {}
            }
            store::connections::save_source(conn, &s).await?;
            Ok(Applied::Source(s))
        }
        Action::AddSource {
            id_connector_source,
            values,
        } => add_source(conn, st, connector, c, id_connector_source, values, now).await,
    }
}

/// Adds (or enables again) a connector source on `c`, then applies its field values as new
/// credentials would, or syncs with the PSU present.
async fn add_source(
    conn: &mut SqliteConnection,
    st: &AppState,
    connector: &Connector,
    c: &mut Connection,
    id_connector_source: i64,
    values: Map<String, Value>,
    now: NaiveDateTime,
) -> Result<Applied> {
    let cs = connector
        .sources
        .iter()
        .find(|s| s.id == id_connector_source)
        .ok_or_else(|| ApiError::invalid("source", "no such source on this connector"))?;
    let existing = store::connections::sources(conn, c.id)
        .await?
        .into_iter()
        .find(|s| s.id_connector_source == cs.id);
    let mut src = match existing {
        Some(mut s) => {
            s.disabled = None;
            s
        }
        None => {
            let id =
                store::connections::insert_source(conn, c.id, cs.id, &cs.name, cs.priority, now)
                    .await?;
            store::connections::sources(conn, c.id)
                .await?
                .into_iter()
                .find(|s| s.id == id)
                .ok_or_else(|| ApiError::internal("source vanished"))?
        }
    };
    // Credentials given to a PSD2 source count as the PSU's consent, as on creation.
    let accepts_credentials = cs
        .available_auth_mechanisms
        .iter()
        .any(|m| m == "credentials");
    let has_credentials = !values.is_empty() || !crate::sync::login::credentials(c).is_empty();
    if crate::sync::sources::is_psd2(&src)
        && accepts_credentials
        && has_credentials
        && src.access_expire.is_none()
    {
        src.access_expire = Some(format::datetime(crate::sync::states::consent_until(now)));
    }
    store::connections::save_source(conn, &src).await?;
    if values.is_empty() {
        return synced(conn, st, c, now).await;
    }
    Box::pin(apply(conn, st, c, Action::Credentials(values), now)).await
}

/// Saves the step just taken, then syncs with the PSU present.
async fn synced(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &mut Connection,
    now: NaiveDateTime,
) -> Result<Applied> {
    store::connections::save(conn, c).await?;
    Ok(Applied::Synced(sync(conn, st, c, now, PSU).await?))
}

/// `active` (background syncs on or off) and `expire` (on every source and the connection).
async fn settings(
    conn: &mut SqliteConnection,
    c: &mut Connection,
    active: Option<bool>,
    expire: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<()> {
    if let Some(a) = active {
        c.active = a;
        c.next_try = if a {
            c.next_try.take().or(Some(format::datetime(now)))
        } else {
            None
        };
    }
    if let Some(e) = expire {
        for mut s in store::connections::sources(conn, c.id).await? {
            s.expire = Some(format::datetime(e));
            store::connections::save_source(conn, &s).await?;
        }
        c.expire = Some(format::datetime(e));
    }
    store::connections::save(conn, c).await?;
    Ok(())
}
