//! The connect flow: pick a connector (search, filters from the entry URL), fill the
//! credentials form generated from its fields or go through its webauth, then the steps of
//! the state machine (see `steps`), choose the accounts to share, and back to the app with
//! `connection_id`, `connection_ids`, `code` (for a user the webview created) and `state`.

use super::visit::{answer, load, page, page_with_status, path, start_webauth, texts};
use crate::api::connections::check_fields;
use crate::api::extract::{Fields, Params};
use crate::error::{ApiError, Result};
use crate::model::catalogue::{Connector, ConnectorSource};
use crate::pages::html::{self, found, see_other};
use crate::pages::i18n::fill;
use crate::pages::webauth::{self, Target};
// The accounts step ends the flow; its pages are in `share`.
pub use super::share::{accounts_page, finish_connect, share};
use crate::state::AppState;
use crate::store::connector_settings;
use crate::store::sessions::WebviewSession;
use crate::sync;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;

/// The connectors this visit may offer: visible, open to new connections, and matching the
/// entry's `connector_uuids`, `connector_ids`, `connector_capabilities` (default `bank`) and
/// `connector_country`.
async fn offered<'a>(st: &'a AppState, s: &WebviewSession) -> Result<Vec<&'a Connector>> {
    let hidden = {
        let mut conn = st.db.reader.acquire().await?;
        connector_settings::hidden(&mut conn).await?
    };
    let uuids = s.list("connector_uuids");
    let ids = s.list("connector_ids");
    let mut caps = s.list("connector_capabilities");
    if caps.is_empty() {
        caps.push("bank".into());
    }
    let country = s.param("connector_country").map(str::to_ascii_lowercase);
    Ok(st
        .catalogue
        .connectors
        .iter()
        .filter(|k| !hidden.get(&k.id).copied().unwrap_or(k.hidden) && !k.restricted)
        .filter(|k| uuids.is_empty() || uuids.iter().any(|u| u.eq_ignore_ascii_case(&k.uuid)))
        .filter(|k| ids.is_empty() || ids.contains(&k.id.to_string()))
        // With several capabilities, a connector must have all of them.
        .filter(|k| caps.iter().all(|c| k.capabilities.contains(c)))
        .filter(|k| {
            country
                .as_ref()
                .is_none_or(|c| k.countries.iter().any(|x| x.id.eq_ignore_ascii_case(c)))
        })
        .collect())
}

/// The sources a new connection gets: enabled ones (the entry's `sources` only, if given).
fn chosen_sources<'a>(s: &WebviewSession, connector: &'a Connector) -> Vec<&'a ConnectorSource> {
    let wanted = s.list("sources");
    let mut list: Vec<&ConnectorSource> = connector
        .sources
        .iter()
        .filter(|x| x.disabled.is_none() && (wanted.is_empty() || wanted.contains(&x.name)))
        .collect();
    list.sort_by_key(|x| x.priority);
    list
}

/// `GET /webview/session/{id}` for connect, and `.../connectors?q=`: the connector picker.
pub async fn picker(st: &AppState, s: &WebviewSession, q: Option<&str>) -> Response {
    let run = async {
        let list = offered(st, s).await?;
        // One connector named (by uuid or by id) and offered: straight to its form.
        let named = s.list("connector_uuids").len() + s.list("connector_ids").len();
        if named == 1 && list.len() == 1 {
            return Ok(found(&path(s, &format!("/connectors/{}", list[0].uuid))));
        }
        let needle = q.map(str::to_lowercase).unwrap_or_default();
        let shown: Vec<&&Connector> = list
            .iter()
            .filter(|k| needle.is_empty() || k.name.to_lowercase().contains(&needle))
            .collect();
        let done = s.connections.len().to_string();
        let t = texts(s);
        let body = html! {
            div.card {
                h2 { (t.pick_title) }
                @if !s.connections.is_empty() { div.notice { (fill(t.pick_connected, &[("n", &done)])) } }
                form method="get" action=(path(s, "/connectors")) {
                    label for="q" { (t.search_label) }
                    input #q type="search" name="q" value=[q] placeholder=(t.search_placeholder);
                    button.secondary type="submit" { (t.search_button) }
                }
                ul.list #connectors {
                    @for k in &shown {
                        li {
                            span {
                                span.swatch style={ "background:#" (html::color(k.color.as_deref())) } {}
                                a href=(path(s, &format!("/connectors/{}", k.uuid))) { (k.name) }
                            }
                        }
                    }
                    @if shown.is_empty() { li.muted { (t.no_match) } }
                }
            }
            (footer(s))
        };
        Ok(page(s, t.pick_title, None, body))
    };
    answer(s, run.await)
}

/// The terms notice with its Decline button, and the Cancel button.
fn footer(s: &WebviewSession) -> maud::Markup {
    let t = texts(s);
    html! {
        div.card.muted {
            p { (t.terms) }
            form.inline method="post" action=(path(s, "/cancel")) {
                input type="hidden" name="error" value="tos_declined";
                button #decline.secondary type="submit" { (t.decline) }
            }
            form.inline method="post" action=(path(s, "/cancel")) {
                input type="hidden" name="error" value="access_denied";
                button #cancel.secondary type="submit" { (t.cancel) }
            }
            @if !s.connections.is_empty() {
                form.inline method="post" action=(path(s, "/finish")) {
                    button #finish type="submit" { (t.finish) }
                }
            }
        }
    }
}

/// `GET /webview/session/{id}/connectors?q=`.
pub async fn search(
    State(st): State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    picker(&st, &s, params.text("q")).await
}

async fn connector_of<'a>(
    st: &'a AppState,
    s: &WebviewSession,
    key: &str,
) -> Result<&'a Connector> {
    offered(st, s)
        .await?
        .into_iter()
        .find(|k| k.uuid.eq_ignore_ascii_case(key) || k.id.to_string() == key)
        .ok_or_else(|| ApiError::not_found("Connector"))
}

/// The credentials form (and the webauth button when the connector offers it).
fn form_page(
    s: &WebviewSession,
    connector: &Connector,
    error: Option<&str>,
    values: &Fields,
    status: StatusCode,
) -> Response {
    let sources = chosen_sources(s, connector);
    let fields = super::form::credential_fields(connector, &sources);
    let webauth = sources
        .iter()
        .any(|x| x.available_auth_mechanisms.iter().any(|m| m == "webauth"));
    let prefill = |name: &str| -> Option<String> {
        values.str(name).ok().flatten().or_else(|| {
            s.param(&format!("{}.{}", connector.uuid, name))
                .map(str::to_owned)
        })
    };
    let t = texts(s);
    let bank = [("bank", connector.name.as_str())];
    let body = html! {
        div.card {
            h2 { (fill(t.connect_heading, &bank)) }
            @if let Some(e) = error { div.error #error { (e) } }
            @if webauth {
                form method="post" action=(path(s, &format!("/connectors/{}/webauth", connector.uuid))) {
                    p { (fill(t.webauth_intro, &bank)) }
                    button #webauth type="submit" { (fill(t.continue_at, &bank)) }
                }
            }
            @if !fields.is_empty() {
                @if webauth { p.muted { (t.or_credentials) } }
                form #credentials method="post" action=(path(s, &format!("/connectors/{}", connector.uuid))) {
                    @for f in &fields { (super::form::field_input(t, f, prefill(&f.name).as_deref())) }
                    button #submit type="submit" { (t.connect_button) }
                }
            }
            p { a.button.secondary href=(path(s, "")) { (t.back) } }
        }
        (footer(s))
    };
    page_with_status(s, status, t.connect_title, Some(connector), body)
}

/// `GET /webview/session/{id}/connectors/{uuid}`.
pub async fn form(State(st): State<AppState>, Path((id, key)): Path<(String, String)>) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let run = async {
        let connector = connector_of(&st, &s, &key).await?;
        Ok(form_page(
            &s,
            connector,
            None,
            &Fields::default(),
            StatusCode::OK,
        ))
    };
    answer(&s, run.await)
}

/// `POST /webview/session/{id}/connectors/{uuid}`: creates the connection with these
/// credentials, as `POST /users/me/connections` does. Refused credentials keep nothing and
/// show the form again.
pub async fn submit(
    State(st): State<AppState>,
    Path((id, key)): Path<(String, String)>,
    form: Fields,
) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let run = async {
        let connector = connector_of(&st, &s, &key).await?;
        let form = super::form::filled(form);
        let sources = chosen_sources(&s, connector);
        let values = match check_fields(connector, &sources, &form, true) {
            Ok(v) => v,
            Err(e) => {
                let msg = super::form::field_error(texts(&s), connector, &e);
                return Ok(form_page(
                    &s,
                    connector,
                    Some(&msg),
                    &form,
                    StatusCode::BAD_REQUEST,
                ));
            }
        };
        let now = st.clock.now();
        let mut tx = st.db.begin().await?;
        let made = sync::create::connection(
            &mut tx, &st, s.id_user, connector, &sources, values, false, now,
        )
        .await?;
        match made {
            Ok(c) => {
                tx.commit().await?;
                Ok(see_other(&path(&s, &format!("/connections/{}", c.id))))
            }
            Err(refused) => {
                drop(tx);
                let msg = refused
                    .error_message
                    .unwrap_or_else(|| texts(&s).refused_by_bank.into());
                Ok(form_page(
                    &s,
                    connector,
                    Some(&msg),
                    &form,
                    StatusCode::BAD_REQUEST,
                ))
            }
        }
    };
    answer(&s, run.await)
}

/// `POST /webview/session/{id}/connectors/{uuid}/webauth`: to the bank's consent page.
pub async fn webauth_new(
    State(st): State<AppState>,
    Path((id, key)): Path<(String, String)>,
) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let run = async {
        let connector = connector_of(&st, &s, &key).await?;
        let wanted = s.list("sources");
        let source = webauth::webauth_sources(connector, None)
            .into_iter()
            .find(|x| wanted.is_empty() || wanted.contains(&x.name))
            .map(|x| x.name.clone())
            .ok_or_else(|| ApiError::invalid("connector_uuid", "no webauth source"))?;
        start_webauth(&st, &s, Target::New(connector), Some(source)).await
    };
    answer(&s, run.await)
}

/// `GET /webview/session/{id}/webauth-return`: back from the bank.
pub async fn webauth_return(
    State(st): State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let run = async {
        if let Some(c) = params.text("id_connection") {
            let c = super::visit::connection(&st, &s, c).await?;
            return Ok(found(&path(&s, &format!("/connections/{}", c.id))));
        }
        if params.text("error") == Some("server_error") {
            let description = params
                .text("error_description")
                .unwrap_or("The bank did not authorise the access.")
                .to_string();
            return super::visit::end_with_error(&st, s.clone(), "server_error", &description)
                .await;
        }
        let t = texts(&s);
        let body = html! {
            div.card {
                h2 { (t.denied_title) }
                div.error #error { (t.denied_text) }
                a.button #retry href=(path(&s, "")) { (t.retry) }
                form.inline method="post" action=(path(&s, "/cancel")) {
                    input type="hidden" name="error" value="access_denied";
                    button #cancel.secondary type="submit" { (t.cancel) }
                }
            }
        };
        Ok(page(&s, t.denied_title, None, body))
    };
    answer(&s, run.await)
}
