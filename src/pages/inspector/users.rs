//! The users, then one user's connections: the state of each source, consent expiry and the
//! time left, `next_try` and the step the PSU still has to go through.

use super::layout::{self, at, page, state_badge, time_left, when};
use super::session::{Session, BASE};
use crate::api::extract::Params;
use crate::error::{ApiError, Result};
use crate::model::format;
use crate::state::AppState;
use crate::store::connections::{self, Connection, Source};
use crate::store::users;
use crate::sync::resume;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDateTime;
use maud::{html, Markup};

const PAGE: i64 = 50;

pub async fn list(State(st): State<AppState>, who: Session, params: Params) -> Response {
    match list_body(&st, &params).await {
        Ok(m) => page(&who, "Users", m),
        Err(e) => layout::error(&who, &e),
    }
}

async fn list_body(st: &AppState, params: &Params) -> Result<Markup> {
    let offset = params.bounded("offset", 1_000_000_000)?.unwrap_or(0);
    let mut conn = st.db.reader.acquire().await?;
    let (rows, total) = users::list(&mut conn, PAGE, offset, st.clock.now()).await?;
    let mut counted = Vec::with_capacity(rows.len());
    for u in rows {
        let (_, n) = connections::page(&mut conn, u.id, Some(0), 0).await?;
        counted.push((u, n));
    }
    Ok(html! {
        div.card {
            h1 { "Users " span.muted { "(" (total) ")" } }
            @if counted.is_empty() {
                p.muted #no-users { "No user yet: " code { "POST /2.0/auth/init" } " creates one." }
            } @else {
                table #users {
                    tr { th { "id" } th { "signed in" } th { "platform" } th { "connections" } }
                    @for (u, n) in &counted {
                        tr #{ "user-" (u.id) } {
                            td { a href={ (BASE) "/users/" (u.id) } { "User " (u.id) } }
                            td { (at(u.signin.0)) }
                            td { (u.platform) }
                            td.num { (n) }
                        }
                    }
                }
                (pager(&format!("{BASE}/users"), offset, PAGE, total))
            }
        }
    })
}

/// Previous and next links of an offset-paged list.
pub fn pager(base: &str, offset: i64, size: i64, total: i64) -> Markup {
    let sep = if base.contains('?') { '&' } else { '?' };
    html! {
        p.muted {
            "Showing " (if total == 0 { 0 } else { offset + 1 }) "–" ((offset + size).min(total)) " of " (total) ". "
            @if offset > 0 { a #previous href={ (base) (sep) "offset=" ((offset - size).max(0)) } { "Previous" } " " }
            @if offset + size < total { a #next href={ (base) (sep) "offset=" (offset + size) } { "Next" } }
        }
    }
}

pub async fn show(State(st): State<AppState>, who: Session, Path(id): Path<String>) -> Response {
    match show_body(&st, &id).await {
        Ok(m) => page(&who, &format!("User {id}"), m),
        Err(e) => layout::error(&who, &e),
    }
}

async fn show_body(st: &AppState, id: &str) -> Result<Markup> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("User"))?;
    let now = st.clock.now();
    let mut conn = st.db.reader.acquire().await?;
    let user = users::get(&mut conn, id, now)
        .await?
        .ok_or_else(|| ApiError::not_found("User"))?;
    let mut list = Vec::new();
    for c in connections::list(&mut conn, id).await? {
        let sources = connections::sources(&mut conn, c.id).await?;
        list.push((c, sources));
    }
    Ok(html! {
        div.card {
            h1 { "User " (user.id) }
            p.muted { "Signed in " (at(user.signin.0)) ", platform " (user.platform) ". "
                a href={ (BASE) "/webhooks?id_user=" (user.id) } { "Webhook deliveries" } " · "
                a #user-requests href={ (BASE) "/requests?id_user=" (user.id) } { "Requests" } }
        }
        @if list.is_empty() { div.card { p.muted #no-connections { "No connection." } } }
        @for (c, sources) in &list { (summary(st, c, sources, now)) }
    })
}

/// A connection as a card: its state, next try, pending step and each source.
pub fn summary(st: &AppState, c: &Connection, sources: &[Source], now: NaiveDateTime) -> Markup {
    let connector = st
        .catalogue
        .connector_by_id(c.id_connector)
        .map_or("unknown connector", |k| k.name.as_str());
    html! {
        div.card.connection #{ "connection-" (c.id) } {
            h2 {
                a href={ (BASE) "/connections/" (c.id) } { "Connection " (c.id) }
                " · " (connector) " · " span.conn-state { (state_badge(c.state.as_ref().map(|s| s.as_str()))) }
            }
            (facts(c, now))
            (sources_table(sources, now))
        }
    }
}

/// What the connection row says: login, message, last update, next try, pending step.
pub fn facts(c: &Connection, now: NaiveDateTime) -> Markup {
    let pending = resume::pending(c);
    html! {
        table.facts {
            tr { th { "login" } td.login { code { (c.login) } } }
            @if let Some(m) = &c.error_message { tr { th { "error_message" } td.message { (m) } } }
            tr { th { "last_update" } td { (when(c.last_update.as_deref())) } }
            tr { th { "next_try" } td.next-try { (when(c.next_try.as_deref())) (until(c.next_try.as_deref(), now)) } }
            @if let Some(e) = &c.expire { tr { th { "expire" } td { (when(Some(e))) } } }
            tr { th { "active" } td { (c.active) } }
            tr { th { "pending step" } td.pending {
                @match &pending {
                    None => span.muted { "none" },
                    Some(p) => {
                        code { (step_name(&p.step)) }
                        @for s in &p.then { " then " code { (step_name(s)) } }
                        @if let Some(t) = p.validate_at { " · validated by the bank's app at " (at(t)) }
                        @if p.renews_consent { " · renews consent" }
                    }
                }
            } }
            @if let Some(o) = &c.bank.0.outage {
                tr { th { "bank outage" } td.outage { code { (o.state) } @if let Some(u) = o.until { " until " (at(u)) } } }
            }
        }
    }
}

fn until(stored: Option<&str>, now: NaiveDateTime) -> Markup {
    html! {
        @if let Some(t) = stored.and_then(format::parse_datetime) {
            span.muted { " (" (time_left(t, now)) ")" }
        }
    }
}

fn step_name(step: &crate::store::connection_columns::Step) -> String {
    serde_json::to_value(step)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{step:?}"))
}

/// Each source: state, consent expiry and the time left, next try.
pub fn sources_table(sources: &[Source], now: NaiveDateTime) -> Markup {
    html! {
        table.sources {
            tr { th { "source" } th { "state" } th { "last_update" } th { "consent expires (access_expire)" } th { "next_try" } th { "disabled" } }
            @for s in sources {
                tr #{ "source-" (s.id) } {
                    td { (s.id) " " code { (s.name) } }
                    td.source-state { (state_badge(s.state.as_ref().map(|x| x.as_str()))) }
                    td { (when(s.last_update.as_deref())) }
                    td.consent {
                        @if s.access_expire.is_some() {
                            (when(s.access_expire.as_deref())) (until(s.access_expire.as_deref(), now))
                        } @else { span.muted { "no PSD2 consent" } }
                    }
                    td { (when(s.next_try.as_deref())) }
                    td { (when(s.disabled.as_deref())) }
                }
            }
        }
    }
}
