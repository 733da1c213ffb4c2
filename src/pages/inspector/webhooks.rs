//! Webhook deliveries: the log (the filters of `GET /sandbox/webhooks/deliveries`), one
//! delivery with its headers and payload pretty-printed, and redelivery.

use super::layout::{self, at, form, page};
use super::session::{Session, BASE};
use crate::api::extract::{Fields, Params};
use crate::error::{ApiError, Result};
use crate::model::webhook::Delivery;
use crate::pages::html::{see_other, with_query};
use crate::state::AppState;
use crate::store::webhook_deliveries;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

const PAGE: i64 = 50;

pub async fn list(State(st): State<AppState>, who: Session, params: Params) -> Response {
    match list_body(&st, &params).await {
        Ok(m) => page(&who, "Webhook deliveries", m),
        Err(e) => layout::error(&who, &e),
    }
}

async fn list_body(st: &AppState, params: &Params) -> Result<Markup> {
    let filter = crate::sandbox::webhooks::filter(params.typed()?)?;
    let mut conn = st.db.reader.acquire().await?;
    let total = webhook_deliveries::count(&mut conn, &filter).await?;
    let rows = webhook_deliveries::list(&mut conn, &filter, PAGE).await?;
    let kept: Vec<(&str, String)> = ["event", "id_user", "id_connection", "status"]
        .into_iter()
        .filter_map(|k| params.text(k).map(|v| (k, v.to_string())))
        .collect();
    let next = rows.last().filter(|_| rows.len() as i64 == PAGE).map(|d| {
        let mut q = kept.clone();
        q.push(("after", d.id.to_string()));
        with_query(&format!("{BASE}/webhooks"), &q)
    });
    Ok(html! {
        div.card {
            h1 { "Webhook deliveries " span.muted { "(" (total) ")" } }
            form.row method="get" action={ (BASE) "/webhooks" } {
                input type="text" name="event" placeholder="event" value=(params.text("event").unwrap_or(""));
                input type="text" name="id_user" placeholder="id_user" size="7" value=(params.text("id_user").unwrap_or(""));
                input type="text" name="id_connection" placeholder="id_connection" size="10" value=(params.text("id_connection").unwrap_or(""));
                select name="status" {
                    @for s in ["any", "pending", "delivered"] {
                        option value=(s) selected[params.text("status") == Some(s)] { (s) }
                    }
                }
                button.secondary type="submit" { "Filter" }
            }
            @if rows.is_empty() { p.muted #no-deliveries { "No delivery." } }
            @else {
                table #deliveries {
                    tr { th { "id" } th { "event" } th { "user" } th { "connection" } th { "status" } th.num { "attempts" } th { "last answer" } th.num { "latency" } th { "created" } }
                    @for d in &rows {
                        tr #{ "delivery-" (d.id) } {
                            td { a href={ (BASE) "/webhooks/" (d.id) } { (d.id) } }
                            td { code { (d.event) } }
                            td { (opt(d.id_user)) }
                            td { @if let Some(c) = d.id_connection { a href={ (BASE) "/connections/" (c) } { (c) } } @else { "–" } }
                            td.status { (d.status) }
                            td.num.attempts { (d.attempts) }
                            td { (answer(d)) }
                            td.num { (latency(d)) }
                            td { (at(d.created.0)) }
                        }
                    }
                }
                @if let Some(n) = &next { p { a #next href=(n) { "Next" } } }
            }
        }
    })
}

fn opt(v: Option<i64>) -> String {
    v.map_or_else(|| "–".to_string(), |v| v.to_string())
}

fn answer(d: &Delivery) -> Markup {
    html! {
        @if let Some(s) = d.last_status { (s) }
        @if let Some(e) = &d.last_error { " " span.muted { (e) } }
        @if d.last_status.is_none() && d.last_error.is_none() { "–" }
    }
}

fn latency(d: &Delivery) -> String {
    d.latency_ms
        .map_or_else(|| "–".to_string(), |l| format!("{l:.0} ms"))
}

pub async fn show(State(st): State<AppState>, who: Session, Path(id): Path<String>) -> Response {
    match show_body(&st, &who, &id).await {
        Ok(m) => page(&who, &format!("Delivery {id}"), m),
        Err(e) => layout::error(&who, &e),
    }
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

async fn show_body(st: &AppState, who: &Session, id: &str) -> Result<Markup> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("Delivery"))?;
    let mut conn = st.db.reader.acquire().await?;
    let d = webhook_deliveries::get(&mut conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Delivery"))?;
    Ok(html! {
        div.card #delivery {
            h1 { "Delivery " (d.id) " · " code { (d.event) } }
            table {
                tr { th { "to" } td { code { (d.url) } " (subscription " (d.id_subscription) ")" } }
                tr { th { "status" } td #status { (d.status) } }
                tr { th { "attempts" } td #attempts { (d.attempts) } }
                tr { th { "last answer" } td { (answer(&d)) } }
                tr { th { "latency" } td { (latency(&d)) } }
                tr { th { "created" } td { (at(d.created.0)) } }
                tr { th { "delivered" } td { (d.delivered_at.map_or_else(|| "–".to_string(), |t| at(t.0))) } }
                @if let Some(n) = &d.note { tr { th { "note" } td { (n) } } }
            }
            (form(who, &format!("/webhooks/{}/redeliver", d.id), "redeliver-form", html! {
                button #redeliver type="submit" { "Redeliver" }
                span.muted { "the same body and id_webhook_data" }
            }))
        }
        div.card {
            h2 { "Headers of the last attempt" }
            @match &d.headers {
                Some(h) => pre #headers { (pretty(h)) },
                None => p.muted { "Not sent yet." },
            }
            h2 { "Payload" }
            pre #payload { (pretty(&d.payload)) }
        }
    })
}

/// Sends the delivery again, as `POST /sandbox/webhooks/deliveries/{id}/redeliver` does.
pub async fn redeliver(
    State(st): State<AppState>,
    who: Session,
    Path(id): Path<String>,
    body: Fields,
) -> Response {
    let fields = match who.form(body) {
        Ok(f) => f,
        Err(refused) => return refused.into_response(),
    };
    let done = async {
        fields.only(&[])?;
        crate::sandbox::webhooks::redeliver_now(&st, &id).await
    };
    match done.await {
        Ok(d) => see_other(&format!("{BASE}/webhooks/{}", d.id)),
        Err(e) => layout::error(&who, &e),
    }
}
