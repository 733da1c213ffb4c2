//! The webauth flow's parameter checks, shared by `/webauth-url`, `/webauth` and the webview:
//! the client application, its redirect URI, the temporary code and the target. The flow
//! itself (opening, answering) is the engine's, in `sync::webauth`.

use crate::api::extract::Params;
use crate::error::{ApiError, Result};
use crate::pages::html::with_query;
use crate::state::AppState;
use crate::store::client_apps::{self, ClientAppRow};
use crate::store::{self, tokens};
use chrono::NaiveDateTime;
use sqlx::SqliteConnection;

// Transitional: the flow itself moved into the engine; the API's webauth handlers still
// name it here.
pub use crate::sync::webauth::{
    bank_path, live, needs_webauth, open, webauth_sources, Decision, Flow, Target, FAILING_LOGIN,
    LIFETIME_SECS,
};

/// Ends the flow with `decision` and returns the callback URL:
/// `redirect_uri?id_connection=..&state=..` or `redirect_uri?error=..&error_description=..&state=..`.
pub async fn finish(
    conn: &mut SqliteConnection,
    st: &AppState,
    id: &str,
    decision: Decision,
    now: NaiveDateTime,
) -> Result<String> {
    let back = crate::sync::webauth::finish(conn, st, id, decision, now).await?;
    Ok(with_query(&back.redirect_uri, &back.query))
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
