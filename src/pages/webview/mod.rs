//! The webview (powens-api.md §12.1), as webview.powens.com serves it: `connect`,
//! `reconnect` and `manage`, entered at `/webview[/{lang}]/{flow}?domain&client_id&...`.
//!
//! The entry checks the parameters (errors are an HTML page, never a redirect to an
//! unchecked URL), then opens a visit (a row, see migration 0004) and every later page lives
//! under `/webview/session/{id}/...`. The pages drive the same state machine as the API
//! (`sync::create`, `sync::resume`, `sync::sync`), with forms and redirects only.

pub mod connect;
pub mod form;
pub mod manage;
pub mod share;
pub mod steps;
pub mod visit;

use crate::api::extract::Params;
use crate::error::{ApiError, Result};
use crate::model::format;
use crate::pages::html::{self, found};
use crate::pages::i18n::Lang;
use crate::pages::webauth;
use crate::state::AppState;
use crate::store::sessions::{self, WebviewSession};
use crate::store::{self, client_apps, tokens, users};
use axum::extract::{Path, State};
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{NaiveDateTime, TimeDelta};
use serde_json::{Map, Value};
use visit::{end_with_error, list, load, path};
/// The languages of Powens' webview. Pages are written in French (`fr`) and English (every
/// other code), see `pages::i18n`.
pub const LANGS: [&str; 7] = ["en", "fr", "de", "nl", "pt", "it", "es"];

/// A visit lasts an hour of sandbox time; after it, the app gets `error=session_expired`.
pub const VISIT_SECS: i64 = 60 * 60;

/// Anonymous users created by a connect visit without a code live like `/auth/init`'s.
const TEMPORARY_USER_SECS: i64 = crate::api::auth::TEMPORARY_LIFETIME_SECS;

/// `GET /webview/{flow}`, in the language the browser's `Accept-Language` prefers. Documented at its legacy address on the API host, the one API
/// clients are given; the webview's own pages are for a person and stay out of the document.
#[utoipa::path(get, path = "/2.0/auth/webview/{flow}", operation_id = "webview", tag = "webview",
    summary = "Legacy webview entry on the API host: redirects to the webview.",
    params(("flow" = String, Path, description = "`connect`, `reconnect` or `manage`")),
    responses(
        (status = 302, description = "To the webview"),
        (status = 200, description = "A page", content_type = "text/html", body = String),
        (status = 400, description = "A page naming the error", content_type = "text/html", body = String),
        (status = 401, description = "A page naming the error", content_type = "text/html", body = String),
        (status = 404, description = "A page naming the error", content_type = "text/html", body = String),
    ))]
pub async fn start(
    State(st): State<AppState>,
    Path(flow): Path<String>,
    headers: HeaderMap,
    params: std::result::Result<Params, ApiError>,
) -> Response {
    let accept = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let lang = Lang::negotiate(accept).code().to_string();
    entry(&st, Some(lang), &flow, params).await
}

/// `GET /webview/{lang}/{flow}`. Documented at its legacy address, as [`start`].
#[utoipa::path(get, path = "/2.0/auth/webview/{lang}/{flow}", operation_id = "webview_lang", tag = "webview",
    summary = "Legacy webview entry on the API host, with a language.",
    params(("lang" = String, Path), ("flow" = String, Path, description = "`connect`, `reconnect` or `manage`")),
    responses(
        (status = 302, description = "To the webview"),
        (status = 200, description = "A page", content_type = "text/html", body = String),
        (status = 400, description = "A page naming the error", content_type = "text/html", body = String),
        (status = 401, description = "A page naming the error", content_type = "text/html", body = String),
        (status = 404, description = "A page naming the error", content_type = "text/html", body = String),
    ))]
pub async fn start_lang(
    State(st): State<AppState>,
    Path((lang, flow)): Path<(String, String)>,
    params: std::result::Result<Params, ApiError>,
) -> Response {
    entry(&st, Some(lang), &flow, params).await
}

async fn entry(
    st: &AppState,
    lang: Option<String>,
    flow: &str,
    params: std::result::Result<Params, ApiError>,
) -> Response {
    let shown = lang
        .as_deref()
        .filter(|l| LANGS.contains(l))
        .unwrap_or("en")
        .to_string();
    // The visit's texts follow its language from here on.
    match open(st, lang, flow, params).await {
        Ok(r) => r,
        Err(e) => html::error_page(&shown, &e),
    }
}

/// Checks the entry parameters in the documented order and opens the visit.
async fn open(
    st: &AppState,
    lang: Option<String>,
    flow: &str,
    params: std::result::Result<Params, ApiError>,
) -> Result<Response> {
    let lang = match lang {
        Some(l) if LANGS.contains(&l.as_str()) => l,
        Some(_) => return Err(ApiError::not_found("Language")),
        None => Lang::Fr.code().to_string(),
    };
    match flow {
        "connect" | "reconnect" | "manage" => {}
        "payment" => {
            return Err(ApiError::invalid(
                "flow",
                "the payment webview is not simulated by the sandbox",
            ))
        }
        _ => return Err(ApiError::not_found("Webview flow")),
    }
    let params = params?;
    params
        .text("domain")
        .ok_or_else(|| ApiError::missing("domain"))?;
    let client_id = params
        .text("client_id")
        .ok_or_else(|| ApiError::missing("client_id"))?;
    let now = st.clock.now();
    let mut conn = st.db.reader.acquire().await?;
    let app = client_apps::by_client_id(&mut conn, client_id)
        .await?
        .ok_or_else(|| ApiError::invalid("client_id", "unknown client application"))?;
    let redirect_uri = params.text("redirect_uri").map(str::to_owned);
    match &redirect_uri {
        Some(uri) => webauth::check_redirect(&app, uri, true)?,
        None if flow != "manage" => return Err(ApiError::missing("redirect_uri")),
        None => {}
    }
    let code = params.text("code");
    let code_user = match code {
        Some(c) => Some(webauth::code_user(&mut conn, "code", c, now).await?),
        None if flow != "connect" => return Err(ApiError::missing("code")),
        None => None,
    };
    let connection_id = params.text("connection_id");
    match (connection_id, code_user) {
        (Some(id), Some(user)) => {
            let id: i64 = id.parse().map_err(|_| ApiError::not_found("Connection"))?;
            store::connections::get(&mut conn, user, id)
                .await?
                .ok_or_else(|| ApiError::not_found("Connection"))?;
        }
        (None, _) if flow == "reconnect" => return Err(ApiError::missing("connection_id")),
        _ => {}
    }
    if let Some(m) = params.text("max_connections") {
        if !m.parse::<i64>().is_ok_and(|n| n >= 1) {
            return Err(ApiError::invalid(
                "max_connections",
                "expected a positive integer",
            ));
        }
    }
    for key in list(params.text("connector_uuids")) {
        if st.catalogue.connector(&key).is_none() {
            return Err(ApiError::invalid(
                "connector_uuids",
                format!("unknown connector {key}"),
            ));
        }
    }
    for id in list(params.text("connector_ids")) {
        let known = id
            .parse::<i64>()
            .ok()
            .and_then(|id| st.catalogue.connector_by_id(id));
        if known.is_none() {
            return Err(ApiError::invalid(
                "connector_ids",
                format!("unknown connector {id}"),
            ));
        }
    }
    drop(conn);
    let mut tx = st.db.begin().await?;
    let (id_user, new_user) = match (code, code_user) {
        (Some(c), Some(user)) => {
            // Uses the code up when it is a singleAccess one.
            if tokens::redeem_code(&mut tx, c, now).await? != Some(user) {
                return Err(ApiError::invalid(
                    "code",
                    "unknown, expired or already used temporary code",
                ));
            }
            (user, false)
        }
        _ => {
            let expires = now + TimeDelta::seconds(TEMPORARY_USER_SECS);
            let id = users::create(&mut tx, "temporary", now, Some(expires), Some(app.id)).await?;
            (id, true)
        }
    };
    let kept: Map<String, Value> = params
        .0
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "code" | "client_id" | "redirect_uri" | "state"))
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let s = WebviewSession {
        id: sessions::new_id(),
        flow: flow.to_string(),
        lang,
        client_id: app.client_id,
        redirect_uri,
        state: params.str("state").map(str::to_owned),
        id_user,
        new_user,
        params: kept,
        connections: vec![],
        deleted: vec![],
        created: format::datetime(now),
        expires_at: format::datetime(now + TimeDelta::seconds(VISIT_SECS)),
        ended: None,
    };
    sessions::insert_webview(&mut tx, &s).await?;
    tx.commit().await?;
    Ok(found(&path(&s, "")))
}

/// `GET /webview/session/{id}`: where each flow starts.
pub async fn home(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match s.flow.as_str() {
        "connect" => connect::picker(&st, &s, None).await,
        "manage" => manage::overview(&st, &s).await,
        _ => {
            let id = s.param("connection_id").unwrap_or("0");
            let rest = if s
                .param("reset_credentials")
                .is_some_and(|v| v == "true" || v == "1")
            {
                format!("/connections/{id}/credentials")
            } else {
                format!("/connections/{id}")
            };
            found(&path(&s, &rest))
        }
    }
}

/// `POST /webview/session/{id}/cancel` (`error=access_denied|tos_declined`): the PSU leaves.
pub async fn cancel(
    State(st): State<AppState>,
    Path(id): Path<String>,
    form: crate::api::extract::Fields,
) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let lang = s.lang.clone();
    let run = async {
        let (code, description) = match form.str("error")?.as_deref() {
            Some("tos_declined") => ("tos_declined", "The user declined the terms of service."),
            _ => ("access_denied", "The user cancelled."),
        };
        end_with_error(&st, s, code, description).await
    };
    run.await.unwrap_or_else(|e| html::error_page(&lang, &e))
}

/// `POST /webview/session/{id}/finish`: back to the app, for every flow.
pub async fn finish(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let lang = s.lang.clone();
    let r = match s.flow.as_str() {
        "connect" => connect::finish_connect(&st, s).await,
        "manage" => manage::close(&st, s).await,
        _ => visit::end(&st, s, vec![]).await,
    };
    r.unwrap_or_else(|e| html::error_page(&lang, &e))
}

pub fn now_of(st: &AppState) -> NaiveDateTime {
    st.clock.now()
}
