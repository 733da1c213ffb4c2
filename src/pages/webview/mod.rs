//! The webview (powens-api.md §12.1), as webview.powens.com serves it: `connect`,
//! `reconnect` and `manage`, entered at `/webview[/{lang}]/{flow}?domain&client_id&...`.
//!
//! The entry checks the parameters (errors are an HTML page, never a redirect to an
//! unchecked URL), then opens a visit (a row, see migration 0004) and every later page lives
//! under `/webview/session/{id}/...`. The pages drive the same state machine as the API
//! (`sync::create`, `sync::resume`, `sync::sync`), with forms and redirects only.

pub mod connect;
pub mod manage;
pub mod steps;

use crate::api::extract::Params;
use crate::error::{ApiError, Result};
use crate::model::catalogue::{Connector, ConnectorField, ConnectorSource};
use crate::model::format;
use crate::pages::html::{self, found, see_other, with_query};
use crate::pages::i18n::{self, Lang, Texts};
use crate::pages::webauth;
use crate::state::AppState;
use crate::store::sessions::{self, WebviewSession};
use crate::store::{self, client_apps, tokens, users};
use axum::extract::{Path, State};
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{NaiveDateTime, TimeDelta};
use maud::{html, Markup};
use serde_json::{Map, Value};

/// The languages of Powens' webview. Pages are written in French (`fr`) and English (every
/// other code), see `pages::i18n`.
pub const LANGS: [&str; 7] = ["en", "fr", "de", "nl", "pt", "it", "es"];

/// A visit lasts an hour of sandbox time; after it, the app gets `error=session_expired`.
pub const VISIT_SECS: i64 = 60 * 60;

/// Anonymous users created by a connect visit without a code live like `/auth/init`'s.
const TEMPORARY_USER_SECS: i64 = crate::api::auth::TEMPORARY_LIFETIME_SECS;

/// The texts of the visit's language.
pub fn texts(s: &WebviewSession) -> &'static Texts {
    i18n::texts(&s.lang)
}

pub fn path(s: &WebviewSession, rest: &str) -> String {
    format!("/webview/session/{}{rest}", s.id)
}

/// `GET /webview/{flow}`: in the language the browser's `Accept-Language` prefers.
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

/// `GET /webview/{lang}/{flow}`.
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

/// A comma list, trimmed, empty items dropped.
pub fn list(v: Option<&str>) -> Vec<String> {
    v.map(|v| {
        v.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// The visit behind a page, or the page to answer instead: an error page for an unknown or
/// ended visit, `error=session_expired` to the app for an expired one.
pub async fn load(st: &AppState, id: &str) -> std::result::Result<WebviewSession, Response> {
    let found = async {
        let mut conn = st.db.reader.acquire().await?;
        Ok::<_, ApiError>(sessions::webview(&mut conn, id).await?)
    }
    .await;
    let s = match found {
        Ok(Some(s)) => s,
        Ok(None) => {
            return Err(html::error_page(
                "en",
                &ApiError::not_found("Webview session"),
            ))
        }
        Err(e) => return Err(html::error_page("en", &e)),
    };
    if s.ended.is_some() {
        return Err(html::error_page(
            &s.lang,
            &ApiError::invalid(
                "session",
                "this webview visit has ended; start again from the application",
            ),
        ));
    }
    let now = st.clock.now();
    if format::parse_datetime(&s.expires_at).is_some_and(|t| t <= now) {
        return Err(
            match end_with_error(
                st,
                s.clone(),
                "session_expired",
                "The webview session has expired.",
            )
            .await
            {
                Ok(r) => r,
                Err(e) => html::error_page(&s.lang, &e),
            },
        );
    }
    Ok(s)
}

/// The response of a page handler: the page, or its error page.
pub fn answer(s: &WebviewSession, r: Result<Response>) -> Response {
    r.unwrap_or_else(|e| html::error_page(&s.lang, &e))
}

/// A page of the webview, in the sandbox's colours unless a connector's are given.
pub fn page(
    s: &WebviewSession,
    title: &str,
    connector: Option<&Connector>,
    body: Markup,
) -> Response {
    page_with_status(s, StatusCode::OK, title, connector, body)
}

pub fn page_with_status(
    s: &WebviewSession,
    status: StatusCode,
    title: &str,
    connector: Option<&Connector>,
    body: Markup,
) -> Response {
    let (brand, accent) = match connector {
        Some(k) => (k.name.as_str(), html::color(k.color.as_deref())),
        None => ("Powens", html::SANDBOX_COLOR),
    };
    html::respond(status, html::page(&s.lang, title, brand, accent, body))
}

/// Marks the visit ended and redirects the browser to the app with these parameters
/// (`state` added). Without a redirect_uri (manage), a page says the window can be closed.
pub async fn end(
    st: &AppState,
    mut s: WebviewSession,
    mut q: Vec<(&str, String)>,
) -> Result<Response> {
    s.ended = Some(format::datetime(st.clock.now()));
    let mut tx = st.db.begin().await?;
    sessions::save_webview(&mut tx, &s).await?;
    tx.commit().await?;
    if let Some(state) = &s.state {
        q.push(("state", state.clone()));
    }
    Ok(match &s.redirect_uri {
        Some(uri) => see_other(&with_query(uri, &q)),
        None => {
            let t = texts(&s);
            page(
                &s,
                t.done_title,
                None,
                html! { div.card { h2 { (t.done_heading) } p { (t.done_text) } } },
            )
        }
    })
}

pub async fn end_with_error(
    st: &AppState,
    s: WebviewSession,
    error: &str,
    description: &str,
) -> Result<Response> {
    end(
        st,
        s,
        vec![
            ("error", error.to_string()),
            ("error_description", description.to_string()),
        ],
    )
    .await
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

/// The user's connection named in a page's path (a 404 for another user's).
pub async fn connection(
    st: &AppState,
    s: &WebviewSession,
    id: &str,
) -> Result<crate::store::connections::Connection> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("Connection"))?;
    let mut conn = st.db.reader.acquire().await?;
    store::connections::get(&mut conn, s.id_user, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Connection"))
}

/// The fields a PSU fills for these sources (those that take credentials).
pub fn credential_fields<'a>(
    connector: &'a Connector,
    sources: &[&ConnectorSource],
) -> Vec<&'a ConnectorField> {
    let names: Vec<&str> = sources
        .iter()
        .filter(|s| {
            s.available_auth_mechanisms
                .iter()
                .any(|m| m == "credentials")
        })
        .map(|s| s.name.as_str())
        .collect();
    connector
        .fields
        .iter()
        .filter(|f| {
            f.connector_sources
                .iter()
                .any(|s| names.contains(&s.as_str()))
        })
        .collect()
}

/// One form input for a connector field (`text`, `password`, `list`, `date`, `number`;
/// anything else is a text input).
pub fn field_input(t: &Texts, f: &ConnectorField, value: Option<&str>) -> Markup {
    let id = format!("field-{}", f.name);
    let kind = match f.kind.as_str() {
        "password" => "password",
        "date" => "date",
        "number" => "number",
        _ => "text",
    };
    html! {
        label for=(id) { (f.label) @if !f.required { " " span.muted { (t.optional) } } }
        @if let Some(values) = &f.values {
            select id=(id) name=(f.name) {
                @if !f.required { option value="" { "—" } }
                @for v in values {
                    option value=(v.value) selected[value == Some(v.value.as_str())] { (v.label) }
                }
            }
        } @else {
            input id=(id) type=(kind) name=(f.name) value=[value.filter(|_| kind != "password")]
                autocomplete=(if kind == "password" { "current-password" } else { "off" });
        }
        @if let Some(d) = &f.description { div.muted { (d) } }
    }
}

/// The form body without its empty values (an empty optional field is not a value).
pub fn filled(form: crate::api::extract::Fields) -> crate::api::extract::Fields {
    crate::api::extract::Fields(
        form.0
            .into_iter()
            .filter(|(_, v)| !matches!(v, Value::String(s) if s.trim().is_empty()))
            .collect(),
    )
}

/// A human label for a connection state.
pub fn state_label(t: &Texts, state: Option<&str>) -> &'static str {
    match state {
        None => t.state_ok,
        Some("SCARequired") => t.state_sca,
        Some("webauthRequired") => t.state_webauth,
        Some("additionalInformationNeeded") => t.state_otp,
        Some("decoupled") | Some("validating") => t.state_decoupled,
        Some("wrongpass") => t.state_wrongpass,
        Some("passwordExpired") => t.state_password_expired,
        Some("actionNeeded") => t.state_action_needed,
        Some("rateLimiting") | Some("websiteUnavailable") | Some("bug") => t.state_unavailable,
        Some("notSupported") => t.state_not_supported,
        Some(_) => t.state_other,
    }
}

/// A form's refusal in the visit's words: which field is missing or invalid.
pub fn field_error(t: &Texts, connector: &Connector, e: &ApiError) -> String {
    let label = |name: &str| {
        connector
            .fields
            .iter()
            .find(|f| f.name == name)
            .map_or(name.to_string(), |f| f.label.clone())
    };
    match e {
        ApiError::MissingParameter(name) => i18n::fill(t.field_missing, &[("field", &label(name))]),
        _ => {
            let d = e.body().description;
            let name = connector
                .fields
                .iter()
                .find(|f| d.contains(&format!("'{}'", f.name)))
                .map_or(String::new(), |f| f.label.clone());
            i18n::fill(t.field_invalid, &[("field", &name)])
        }
    }
}

pub fn now_of(st: &AppState) -> NaiveDateTime {
    st.clock.now()
}
