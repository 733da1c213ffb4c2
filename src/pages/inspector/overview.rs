//! The overview: the sandbox clock with the forms that move it (the same `apply` and
//! `run_due` as `POST /sandbox/clock` and `/sandbox/tick`), how much the sandbox holds, and
//! the configured webhooks.

use super::layout::{self, at, form, page};
use super::session::{Session, BASE};
use crate::api::extract::{Fields, Params};
use crate::error::Result;
use crate::state::AppState;
use crate::store::{self, webhook_subscriptions};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

pub async fn show(State(st): State<AppState>, who: Session, params: Params) -> Response {
    match body(&st, &who, &params).await {
        Ok(m) => page(&who, "Overview", m),
        Err(e) => layout::error(&who, &e),
    }
}

async fn body(st: &AppState, who: &Session, params: &Params) -> Result<Markup> {
    let (counts, subscriptions) = {
        let mut conn = st.db.reader.acquire().await?;
        (
            store::sandbox::counts(&mut conn).await?,
            webhook_subscriptions::active(&mut conn).await?,
        )
    };
    let setting = st.clock.setting();
    let now = st.clock.now();
    let ran = params.int("ran").ok().flatten();
    Ok(html! {
        div.card #clock {
            h1 { "Sandbox clock" }
            p {
                "Now: " b #now { (at(now)) } " "
                @if setting.frozen_at.is_some() { span.state.bad #frozen { "frozen" } }
                @else {
                    span.state #running { "running" }
                    span.muted { " " (setting.offset.num_days()) " days ahead of real time" }
                }
                span.muted { " (zone " (st.config.timezone.name()) ")" }
            }
            @if let Some(n) = ran { p.muted #ran { "The tick ran " (n) " due jobs." } }
            (form(who, "/clock", "advance-form", html! {
                label for="advance-by" { "Advance by" }
                input #advance-by type="text" name="advance" value="181d" size="8";
                button #advance type="submit" { "Advance" }
                span.muted { "180d, 36h, 90m" }
            }))
            (form(who, "/clock", "set-form", html! {
                label for="set-to" { "Set to" }
                input #set-to type="text" name="set" value=(at(now)) size="20";
                button #set type="submit" { "Set" }
            }))
            (form(who, "/clock", "freeze-form", html! {
                @if setting.frozen_at.is_some() {
                    input type="hidden" name="freeze" value="false";
                    button.secondary #freeze type="submit" { "Let it run" }
                } @else {
                    input type="hidden" name="freeze" value="true";
                    button.secondary #freeze type="submit" { "Freeze" }
                }
            }))
            (form(who, "/tick", "tick-form", html! {
                button #tick type="submit" { "Tick: run due work now" }
                span.muted { "background syncs, decoupled validations, expired temporary users" }
            }))
        }
        div.card #counts {
            h2 { "The sandbox holds" }
            div.grid {
                div.stat { b #count-users { (counts.users) } a href={ (BASE) "/users" } { "users" } }
                div.stat { b #count-connections { (counts.connections) } "connections" }
                div.stat { b #count-accounts { (counts.accounts) } "accounts" }
                div.stat { b #count-transactions { (counts.transactions) } "transactions" }
                div.stat { b #count-deliveries { (counts.deliveries) } a href={ (BASE) "/webhooks" } { "webhook deliveries" } }
                div.stat { b #count-requests { (st.traffic.journal.list(&Default::default()).1) } a #journal-link href={ (BASE) "/requests" } { "journaled requests" } }
            }
        }
        (super::faults::card(st, who))
        div.card #subscriptions {
            h2 { "Webhook subscriptions" }
            @if subscriptions.is_empty() {
                p.muted { "None: add one with " code { "POST /sandbox/webhooks/subscriptions" } " or " code { "--webhook-url" } "." }
            } @else {
                table {
                    tr { th { "id" } th { "URL" } th { "event" } th { "origin" } th { "status" } th { "failures" } th { "since" } }
                    @for s in &subscriptions {
                        tr {
                            td { (s.id) }
                            td { code { (s.url) } }
                            td { (s.event.as_deref().unwrap_or("every event")) }
                            td { (s.origin) }
                            td { @if s.paused { "paused" } @else { "active" } }
                            td.num { (s.consecutive_failures) }
                            td { (at(s.created.0)) }
                        }
                    }
                }
            }
        }
    })
}

/// `set`, `advance` or `freeze`, read and applied as `POST /sandbox/clock` does.
pub async fn clock(State(st): State<AppState>, who: Session, body: Fields) -> Response {
    let fields = match who.form(body) {
        Ok(f) => f,
        Err(refused) => return refused.into_response(),
    };
    let done = async {
        fields.only(&["set", "advance", "freeze"])?;
        crate::sandbox::clock::apply(&st, &fields).await
    };
    match done.await {
        Ok(()) => crate::pages::html::see_other(BASE),
        Err(e) => layout::error(&who, &e),
    }
}

/// Runs the due work, as `POST /sandbox/tick` does.
pub async fn tick(State(st): State<AppState>, who: Session, body: Fields) -> Response {
    if let Err(refused) = who.form(body) {
        return refused.into_response();
    }
    match crate::jobs::run_due(&st).await {
        Ok(ran) => crate::pages::html::see_other(&format!("{BASE}?ran={}", ran.len())),
        Err(e) => layout::error(&who, &e),
    }
}
