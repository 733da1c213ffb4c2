//! The webauth flow (powens-api.md §12.2): the parameter checks shared by `/webauth-url` and
//! `/webauth`, opening a flow, and ending it with the PSU's (or the bank's) answer. The
//! connection is created or resumed through the sync engine, as the API would.

use crate::api::extract::Params;
use crate::bank::changes::BankChanges;
use crate::error::{ApiError, Result};
use crate::model::catalogue::{Connector, ConnectorSource};
use crate::model::format;
use crate::pages::html::with_query;
use crate::pages::sessions::{self, WebauthSession};
use crate::state::AppState;
use crate::store::client_apps::{self, ClientAppRow};
use crate::store::connections::Connection;
use crate::store::{self, tokens};
use crate::sync::states::Step;
use crate::sync::{self, resume, Options};
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

/// `client_id` (a known client application) and `redirect_uri` (no query string, allowed
/// by that application), in that order.
pub async fn check_client(
    conn: &mut SqliteConnection,
    params: &Params,
) -> Result<(ClientAppRow, String)> {
    let client_id = params
        .text("client_id")
        .ok_or_else(|| ApiError::missing("client_id"))?;
    let app = client_apps::by_client_id(conn, client_id)
        .await?
        .ok_or_else(|| ApiError::invalid("client_id", "unknown client application"))?;
    let uri = params
        .text("redirect_uri")
        .ok_or_else(|| ApiError::missing("redirect_uri"))?;
    check_redirect(&app, uri, false)?;
    Ok((app, uri.to_string()))
}

/// An absolute URI (`https://...`, `http://...` or an app scheme such as `myapp://cb`),
/// allowed by the client application; `with_query` says whether it may carry a query.
pub fn check_redirect(app: &ClientAppRow, uri: &str, with_query: bool) -> Result<()> {
    let scheme_ok = uri.split_once(':').is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && rest.len() > 2
    });
    if !scheme_ok || uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ApiError::invalid(
            "redirect_uri",
            "expected an absolute URL",
        ));
    }
    if uri.contains('#') || (!with_query && uri.contains('?')) {
        return Err(ApiError::invalid(
            "redirect_uri",
            "the URL must not contain a query string or a fragment",
        ));
    }
    if !app.allows_redirect(uri) {
        return Err(ApiError::invalid(
            "redirect_uri",
            "not allowed for this client application",
        ));
    }
    Ok(())
}

/// The user of a temporary code, without using it up. Access tokens are not codes.
pub async fn code_user(
    conn: &mut SqliteConnection,
    param: &str,
    code: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    match tokens::resolve(conn, code, now).await? {
        Some(r) if r.id_token.is_none() => Ok(r.id_user),
        _ => Err(ApiError::invalid(
            param,
            "unknown, expired or already used temporary code",
        )),
    }
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
    matches!(c.state.as_deref(), Some("webauthRequired" | "SCARequired"))
        || resume::pending(c).is_some_and(|p| matches!(p.step, Step::Webauth | Step::Sca))
}

/// The connector (`connector_uuid` or `id_connector`) or the connection (`id_connection`,
/// of this user) the flow is for, and the `source` named.
pub async fn check_target<'a>(
    conn: &mut SqliteConnection,
    st: &'a AppState,
    params: &Params,
    id_user: i64,
) -> Result<(Target<'a>, Option<String>)> {
    let source = params.text("source").map(str::to_owned);
    let connector_key = params
        .text("connector_uuid")
        .or_else(|| params.text("id_connector"));
    let id_connection = params.text("id_connection");
    match (connector_key, id_connection) {
        (Some(_), Some(_)) => Err(ApiError::invalid(
            "id_connection",
            "give a connector (new connection) or a connection (resume), not both",
        )),
        (None, None) => Err(ApiError::missing("id_connector")),
        (Some(key), None) => {
            let connector = st
                .catalogue
                .connector(key)
                .ok_or_else(|| ApiError::not_found("Connector"))?;
            if connector.restricted {
                return Err(ApiError::invalid(
                    "id_connector",
                    "this connector is restricted: no new connection can be added",
                ));
            }
            if let Some(name) = &source {
                if !connector.sources.iter().any(|s| &s.name == name) {
                    return Err(ApiError::invalid(
                        "source",
                        "no such source on this connector",
                    ));
                }
            }
            if webauth_sources(connector, source.as_deref()).is_empty() {
                return Err(ApiError::invalid(
                    "id_connector",
                    "this connector (or source) does not offer the webauth mechanism",
                ));
            }
            Ok((Target::New(connector), source))
        }
        (None, Some(id)) => {
            let id: i64 = id.parse().map_err(|_| ApiError::not_found("Connection"))?;
            let c = store::connections::get(conn, id_user, id)
                .await?
                .ok_or_else(|| ApiError::not_found("Connection"))?;
            if let Some(name) = &source {
                let sources = store::connections::sources(conn, c.id).await?;
                if !sources.iter().any(|s| &s.name == name) {
                    return Err(ApiError::invalid(
                        "source",
                        "no such source on this connection",
                    ));
                }
            }
            if !needs_webauth(&c) {
                return Err(ApiError::invalid(
                    "id_connection",
                    "the connection needs no webauth nor SCA",
                ));
            }
            Ok((Target::Resume(Box::new(c)), source))
        }
    }
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

/// Ends the flow with `decision` and returns the callback URL:
/// `redirect_uri?id_connection=..&state=..` or `redirect_uri?error=..&error_description=..&state=..`.
pub async fn finish(
    conn: &mut SqliteConnection,
    st: &AppState,
    id: &str,
    decision: Decision,
    now: NaiveDateTime,
) -> Result<String> {
    let s = live(conn, id, now).await?;
    if !sessions::end_webauth(conn, id, now).await? {
        return Err(ApiError::invalid(
            "session",
            "this authorisation was already answered",
        ));
    }
    let mut q: Vec<(&str, String)> = match decision {
        Decision::Refuse => vec![
            ("error", "access_denied".into()),
            (
                "error_description",
                "The user refused to grant access at the bank.".into(),
            ),
        ],
        Decision::Fail(why) => vec![("error", "server_error".into()), ("error_description", why)],
        Decision::Approve { login } => match approve(conn, st, &s, login, now).await? {
            Ok(id_connection) => vec![("id_connection", id_connection.to_string())],
            Err(why) => vec![("error", "server_error".into()), ("error_description", why)],
        },
    };
    if let Some(state) = &s.state {
        q.push(("state", state.clone()));
    }
    Ok(with_query(&s.redirect_uri, &q))
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
    let opts = Options {
        psu_requested: true,
    };
    match s.id_connection {
        Some(id) => {
            let Some(mut c) = store::connections::get(conn, s.id_user, id).await? else {
                return Ok(Err("The connection no longer exists.".into()));
            };
            if let Some(o) = BankChanges::parse(&c.bank).outage {
                if o.until.is_none_or(|u| u > now) {
                    return Ok(Err(o
                        .error_message
                        .unwrap_or_else(|| resume::outage_message(&o.state).into())));
                }
            }
            c.pending = None;
            store::connections::save(conn, &c).await?;
            resume::renew_consent(conn, c.id, now).await?;
            sync::sync(conn, st, &mut c, now, opts).await?;
            Ok(Ok(c.id))
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
            let made = sync::create::connection(
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
