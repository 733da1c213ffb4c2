//! The webauth flow (powens-api.md §12.2) as the engine sees it: what a flow is for, opening
//! it, and ending it with the PSU's (or the bank's) answer. The connection is created or
//! resumed through the engine's actions, as the API would. The pages only parse and render.

use crate::error::{ApiError, Result};
use crate::model::catalogue::{Connector, ConnectorSource};
use crate::model::format;
use crate::model::states::ConnectionState;
use crate::state::AppState;
use crate::store::connections::Connection;
use crate::store::sessions::{self, WebauthSession};
use crate::store::{self};
use crate::sync::action::{apply, Action, Applied};
use crate::sync::states::Step;
use crate::sync::{create, resume, webauth_url};
use chrono::{NaiveDateTime, TimeDelta};
use serde_json::{Map, Value};
use sqlx::Connection as _;
use sqlx::SqliteConnection;

/// A webauth flow must be answered within 30 minutes of sandbox time, like a temporary code.
pub const LIFETIME_SECS: i64 = 30 * 60;

/// The consent-page login that makes the bank fail (`error=server_error`).
pub const FAILING_LOGIN: &str = "bankfailure";

/// What a flow is for: a new connection on a connector, or resuming a connection.
pub enum Target<'a> {
    New(&'a Connector),
    Resume(Box<Connection>),
}

/// A flow whose parameters were checked.
pub struct Flow<'a> {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub id_user: i64,
    pub target: Target<'a>,
    pub source: Option<String>,
}

/// The PSU's answer on the bank's page, or the bank's failure.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Approve { login: Option<String> },
    Refuse,
    Fail(String),
}

impl Decision {
    /// `approve`, `refuse` or `server_error` (the consent page's `?outcome=` and the control
    /// plane's setting).
    pub fn parse(outcome: &str, login: Option<String>) -> Option<Decision> {
        match outcome {
            "approve" => Some(Decision::Approve { login }),
            "refuse" => Some(Decision::Refuse),
            "server_error" => Some(Decision::Fail(
                "The bank's authorisation server failed.".into(),
            )),
            _ => None,
        }
    }
}

/// Where the browser goes back to once a flow ended, and what it is told there.
#[derive(Debug, Clone)]
pub struct Callback {
    pub redirect_uri: String,
    pub query: Vec<(&'static str, String)>,
}

fn webauth_capable(s: &ConnectorSource) -> bool {
    s.disabled.is_none() && s.available_auth_mechanisms.iter().any(|m| m == "webauth")
}

/// The connector sources a new webauth connection gets: the named one, else every enabled
/// webauth source, by priority.
pub fn webauth_sources<'a>(
    connector: &'a Connector,
    source: Option<&str>,
) -> Vec<&'a ConnectorSource> {
    let mut list: Vec<&ConnectorSource> = connector
        .sources
        .iter()
        .filter(|s| webauth_capable(s) && source.is_none_or(|n| s.name == n))
        .collect();
    list.sort_by_key(|s| s.priority);
    list
}

/// Whether a connection waits for the PSU in the bank's pages (webauth) or for an SCA.
pub fn needs_webauth(c: &Connection) -> bool {
    matches!(
        c.state,
        Some(ConnectionState::WebauthRequired | ConnectionState::SCARequired)
    ) || resume::pending(c).is_some_and(|p| matches!(p.step, Step::Webauth | Step::Sca))
}

/// Opens a flow and returns its id (the bank page is `/bank/consent/{id}`).
pub async fn open(
    conn: &mut SqliteConnection,
    flow: &Flow<'_>,
    now: NaiveDateTime,
) -> Result<String> {
    let (id_connector, id_connection) = match &flow.target {
        Target::New(k) => (k.id, None),
        Target::Resume(c) => (c.id_connector, Some(c.id)),
    };
    let s = WebauthSession {
        id: sessions::new_id(),
        client_id: flow.client_id.clone(),
        redirect_uri: flow.redirect_uri.clone(),
        state: flow.state.clone(),
        id_user: flow.id_user,
        id_connector,
        id_connection,
        source: flow.source.clone(),
        created: format::datetime(now),
        expires_at: format::datetime(now + TimeDelta::seconds(LIFETIME_SECS)),
        ended: None,
    };
    sessions::insert_webauth(conn, &s).await?;
    Ok(s.id)
}

pub fn bank_path(id: &str) -> String {
    format!("/bank/consent/{id}")
}

/// Where the flows opened from a connection's own webauth URL come back to: a page telling
/// the PSU the outcome (no application is waiting for them).
pub const DONE_PATH: &str = "/bank/webauth/done";

/// Opens a flow from a connection's webauth URL and returns its id. An unknown connection
/// and a wrong key are the same `notFound`; a connection needing no webauth is refused.
pub async fn open_for_connection(
    conn: &mut SqliteConnection,
    st: &AppState,
    id_connection: i64,
    key: &str,
    now: NaiveDateTime,
) -> Result<String> {
    let c = store::connections::by_id(conn, id_connection)
        .await?
        .filter(|c| webauth_url::key_matches(st, c, key))
        .ok_or_else(|| ApiError::not_found("Connection"))?;
    if !needs_webauth(&c) {
        return Err(ApiError::invalid(
            "id_connection",
            "the connection needs no webauth nor SCA",
        ));
    }
    let flow = Flow {
        client_id: st.config.client_id.clone(),
        redirect_uri: DONE_PATH.into(),
        state: None,
        id_user: c.id_user,
        target: Target::Resume(Box::new(c)),
        source: None,
    };
    open(conn, &flow, now).await
}

/// A flow that can still be answered, or the reason it cannot.
pub async fn live(
    conn: &mut SqliteConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<WebauthSession> {
    let s = sessions::webauth(conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Webauth session"))?;
    if s.ended.is_some() {
        return Err(ApiError::invalid(
            "session",
            "this authorisation was already answered; start again from the application",
        ));
    }
    if format::parse_datetime(&s.expires_at).is_some_and(|t| t <= now) {
        return Err(ApiError::invalid(
            "session",
            "this authorisation has expired; start again from the application",
        ));
    }
    Ok(s)
}

/// Ends the flow with `decision` and returns the callback: `id_connection` and `state`, or
/// `error`, `error_description` and `state`.
pub async fn finish(
    conn: &mut SqliteConnection,
    st: &AppState,
    id: &str,
    decision: Decision,
    now: NaiveDateTime,
) -> Result<Callback> {
    let s = live(conn, id, now).await?;
    if !sessions::end_webauth(conn, id, now).await? {
        return Err(ApiError::invalid(
            "session",
            "this authorisation was already answered",
        ));
    }
    let mut q: Vec<(&'static str, String)> = match decision {
        Decision::Refuse => {
            refused(conn, st, &s, now).await?;
            vec![
                ("error", "access_denied".into()),
                (
                    "error_description",
                    "The user refused to grant access at the bank.".into(),
                ),
            ]
        }
        Decision::Fail(why) => vec![("error", "server_error".into()), ("error_description", why)],
        Decision::Approve { login } => match approve(conn, st, &s, login, now).await? {
            Ok(id_connection) => vec![("id_connection", id_connection.to_string())],
            Err(why) => vec![("error", "server_error".into()), ("error_description", why)],
        },
    };
    if let Some(state) = &s.state {
        q.push(("state", state.clone()));
    }
    Ok(Callback {
        redirect_uri: s.redirect_uri,
        query: q,
    })
}

/// The PSU refused: a connection being resumed is told so, and stays as it was.
async fn refused(
    conn: &mut SqliteConnection,
    st: &AppState,
    s: &WebauthSession,
    now: NaiveDateTime,
) -> Result<()> {
    if let Some(id) = s.id_connection {
        if let Some(mut c) = store::connections::get(conn, s.id_user, id).await? {
            apply(conn, st, &mut c, Action::WebauthRefused, now).await?;
        }
    }
    Ok(())
}

/// The PSU approved: the connection is created with its consent, or resumed (pending step
/// cleared, consent renewed for 180 days) and synced. `Err` is the bank failing.
async fn approve(
    conn: &mut SqliteConnection,
    st: &AppState,
    s: &WebauthSession,
    login: Option<String>,
    now: NaiveDateTime,
) -> Result<std::result::Result<i64, String>> {
    match s.id_connection {
        Some(id) => {
            let Some(mut c) = store::connections::get(conn, s.id_user, id).await? else {
                return Ok(Err("The connection no longer exists.".into()));
            };
            match apply(conn, st, &mut c, Action::WebauthApproved, now).await? {
                Applied::BankFailed(why) => Ok(Err(why)),
                _ => Ok(Ok(c.id)),
            }
        }
        None => {
            let Some(connector) = st.catalogue.connector_by_id(s.id_connector) else {
                return Ok(Err("The connector is no longer available.".into()));
            };
            let sources = webauth_sources(connector, s.source.as_deref());
            if sources.is_empty() {
                return Ok(Err("The connector offers no webauth source.".into()));
            }
            let mut values = Map::new();
            if let Some(l) = login.filter(|l| !l.trim().is_empty()) {
                values.insert("login".into(), Value::String(l.trim().to_string()));
            }
            // A savepoint: refused credentials must leave nothing behind, but the flow stays ended.
            let mut sp = conn.begin().await?;
            let made = create::connection(
                &mut sp, st, s.id_user, connector, &sources, values, true, now,
            )
            .await?;
            match made {
                Ok(c) => {
                    sp.commit().await?;
                    Ok(Ok(c.id))
                }
                Err(_) => {
                    sp.rollback().await?;
                    Ok(Err("The bank refused the login.".into()))
                }
            }
        }
    }
}
