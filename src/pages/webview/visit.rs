//! A webview visit and its pages: the visit behind a request, its language, its paths,
//! the page layout, the end of the visit, and what every flow's pages share (the user's
//! connections, the accounts offered, the webauth detour). A leaf: the flows use it, it
//! uses none of them.

use crate::error::{ApiError, Result};
use crate::model::catalogue::Connector;
use crate::model::format;
use crate::pages::html::{self, see_other, with_query};
use crate::pages::i18n::{self, Texts};
use crate::pages::webauth::{self, Flow, Target};
use crate::state::AppState;
use crate::store::sessions::{self, WebviewSession};
use crate::store::{self, accounts};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};

/// The texts of the visit's language.
pub fn texts(s: &WebviewSession) -> &'static Texts {
    i18n::texts(&s.lang)
}

pub fn path(s: &WebviewSession, rest: &str) -> String {
    format!("/webview/session/{}{rest}", s.id)
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

/// Accounts the visit lets the PSU share: not deleted, of the entry's `account_types` and
/// `account_usages` when given.
pub fn shareable(s: &WebviewSession, list: Vec<accounts::Account>) -> Vec<accounts::Account> {
    let types = s.list("account_types");
    let usages = s.list("account_usages");
    list.into_iter()
        .filter(|a| a.deleted.is_none())
        .filter(|a| types.is_empty() || types.contains(&a.kind))
        .filter(|a| usages.is_empty() || a.usage.as_ref().is_some_and(|u| usages.contains(u)))
        .collect()
}

/// Whether a connection of the visit was already shared (the account step is done).
pub fn shared(s: &WebviewSession, id: i64) -> bool {
    s.connections.contains(&id)
}

/// Opens a webauth flow that comes back to this visit.
pub async fn start_webauth(
    st: &AppState,
    s: &WebviewSession,
    target: Target<'_>,
    source: Option<String>,
) -> Result<Response> {
    let flow = Flow {
        client_id: s.client_id.clone(),
        redirect_uri: path(s, "/webauth-return"),
        state: None,
        id_user: s.id_user,
        target,
        source,
    };
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let id = webauth::open(&mut tx, &flow, now).await?;
    tx.commit().await?;
    Ok(see_other(&webauth::bank_path(&id)))
}
