//! The request journal: the list (the filters of `GET /sandbox/requests`, newest first,
//! paged) and one entry with its headers and bodies, redacted as the journal keeps them.

use super::layout::{self, at, page};
use super::session::{Session, BASE};
use crate::api::extract::Params;
use crate::error::{ApiError, Result};
use crate::model::journal::{JournalEntry, RecordedMessage};
use crate::pages::html::with_query;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{html, Markup};

const PAGE: i64 = 50;
const FILTERS: [&str; 5] = ["method", "path", "route", "status", "id_user"];

pub async fn list(State(st): State<AppState>, who: Session, params: Params) -> Response {
    match list_body(&st, &params) {
        Ok(m) => page(&who, "Request journal", m),
        Err(e) => layout::error(&who, &e),
    }
}

fn list_body(st: &AppState, params: &Params) -> Result<Markup> {
    let offset = params.bounded("offset", 1_000_000_000)?.unwrap_or(0);
    let mut filter = crate::sandbox::requests::filter(params)?;
    filter.limit = Some((offset + PAGE) as usize);
    let (rows, total) = st.traffic.journal.list(&filter);
    let rows: Vec<&JournalEntry> = rows.iter().skip(offset as usize).collect();
    let kept: Vec<(&str, String)> = FILTERS
        .into_iter()
        .filter_map(|k| params.text(k).map(|v| (k, v.to_string())))
        .collect();
    let base = with_query(&format!("{BASE}/requests"), &kept);
    let capacity = st.traffic.journal.capacity();
    let text = |k: &str| params.text(k).unwrap_or("").to_string();
    Ok(html! {
        div.card {
            h1 { "Request journal " span.muted { "(" (total) ")" } }
            @if capacity == 0 {
                p.muted #journal-off { "The journal is off (" code { "--journal-size 0" } ")." }
            } @else {
                p.muted { "The latest " (capacity) " requests to " code { "/2.0" } ", the webview and the bank's pages, newest first, secrets redacted." }
            }
            form.row method="get" action={ (BASE) "/requests" } id="journal-filter" {
                input type="text" name="method" placeholder="method" size="7" value=(text("method"));
                input type="text" name="path" placeholder="path prefix" value=(text("path"));
                input type="text" name="route" placeholder="route" value=(text("route"));
                input type="text" name="status" placeholder="status" size="5" value=(text("status"));
                input type="text" name="id_user" placeholder="id_user" size="7" value=(text("id_user"));
                button.secondary type="submit" { "Filter" }
            }
            @if rows.is_empty() { p.muted #no-requests { "No request." } }
            @else {
                table #requests {
                    tr { th { "id" } th { "time" } th { "method" } th { "path" } th { "route" } th { "status" } th.num { "latency" } th { "user" } th { "fault" } }
                    @for e in &rows {
                        tr #{ "request-" (e.id) } {
                            td { a href={ (BASE) "/requests/" (e.id) } { (e.id) } }
                            td { (at(e.time.0)) }
                            td.method { (e.method) }
                            td.path { code { (e.path) } }
                            td.route { @if let Some(r) = &e.route { code { (r) } } @else { "–" } }
                            td.status { (status(e)) }
                            td.num { (format!("{:.1} ms", e.latency_ms)) }
                            td { @if let Some(u) = e.id_user { a href={ (BASE) "/users/" (u) } { (u) } } @else { "–" } }
                            td { (fault(e)) }
                        }
                    }
                }
                (super::users::pager(&base, offset, PAGE, total as i64))
            }
        }
    })
}

fn status(e: &JournalEntry) -> String {
    e.status
        .map_or_else(|| "dropped".to_string(), |s| s.to_string())
}

fn fault(e: &JournalEntry) -> Markup {
    html! {
        @match &e.fault {
            None => "–",
            Some(f) => {
                span.state.bad { (serde_json::to_value(f.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()) }
                @if let Some(id) = f.id_fault { " rule " (id) }
            }
        }
    }
}

pub async fn show(State(st): State<AppState>, who: Session, Path(id): Path<String>) -> Response {
    match show_body(&st, &id) {
        Ok(m) => page(&who, &format!("Request {id}"), m),
        Err(e) => layout::error(&who, &e),
    }
}

/// A JSON body pretty-printed; any other text as it is.
fn pretty(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .filter(|v| v.is_object() || v.is_array())
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| body.to_string())
}

fn message(id: &str, m: &RecordedMessage) -> Markup {
    html! {
        table #{ (id) "-headers" } {
            @for (k, v) in &m.headers { tr { th { (k) } td { code { (v) } } } }
        }
        p.muted { (m.size) " bytes" @if m.truncated { ", only the first 64 KiB kept" } }
        @match &m.body {
            Some(b) => pre #{ (id) "-body" } { (pretty(b)) },
            None => p.muted { "No text body." },
        }
    }
}

fn show_body(st: &AppState, id: &str) -> Result<Markup> {
    let e = id
        .parse()
        .ok()
        .and_then(|id| st.traffic.journal.get(id))
        .ok_or_else(|| ApiError::not_found("Request"))?;
    Ok(html! {
        div.card #request {
            h1 { "Request " (e.id) " · " (e.method) " " code { (e.path) } }
            table {
                tr { th { "query" } td #query { @if let Some(q) = &e.query { code { (q) } } @else { "–" } } }
                tr { th { "route" } td #route { (e.route.as_deref().unwrap_or("–")) } }
                tr { th { "status" } td #status { (status(&e)) } }
                tr { th { "latency" } td { (format!("{:.1} ms", e.latency_ms)) } }
                tr { th { "time" } td { (at(e.time.0)) " (real time " (e.wall_time) ")" } }
                tr { th { "request id" } td { (e.request_id.as_deref().unwrap_or("–")) } }
                tr { th { "user" } td { @if let Some(u) = e.id_user { a href={ (BASE) "/users/" (u) } { "User " (u) } } @else { "–" } } }
                tr { th { "fault" } td #fault { (fault(&e)) } }
            }
        }
        div.card {
            h2 { "Request" }
            (message("request", &e.request))
            h2 { "Response" }
            (message("response", &e.response))
        }
    })
}
