//! One connection: its state and sources, the control plane's buttons (sync, force a state,
//! validate decoupled, outage on and off, delete), its accounts (enabled, disabled, deleted)
//! and a paged transaction list.

use super::layout::{self, form, page, when};
use super::session::{Session, BASE};
use super::users::{facts, pager, sources_table};
use crate::api::extract::{typed, Fields, Params};
use crate::error::{ApiError, Result};
use crate::model::states;
use crate::pages::html::see_other;
use crate::sandbox;
use crate::state::AppState;
use crate::store::accounts::{self, Account};
use crate::store::connections::{self, Connection, Source};
use crate::store::transaction_list::{self, Filters, TxScope};
use crate::sync;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde_json::Value;

const PAGE: i64 = 50;

pub async fn show(
    State(st): State<AppState>,
    who: Session,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    match body(&st, &who, &id, &params).await {
        Ok(m) => page(&who, &format!("Connection {id}"), m),
        Err(e) => layout::error(&who, &e),
    }
}

async fn body(st: &AppState, who: &Session, id: &str, params: &Params) -> Result<Markup> {
    let offset = params.bounded("offset", 1_000_000_000)?.unwrap_or(0);
    let now = st.clock.now();
    let mut conn = st.db.reader.acquire().await?;
    let c = sandbox::bank::connection(&mut conn, id).await?;
    let sources = connections::sources(&mut conn, c.id).await?;
    let accounts = accounts::of_connection(&mut conn, c.id).await?;
    let txs = transaction_list::page(
        &mut conn,
        &transaction_list::Query {
            scope: TxScope::Connection(c.id),
            date_col: "date",
            filters: Filters {
                all: true,
                ..Filters::default()
            },
            position: None,
            offset,
            limit: PAGE,
            known_total: None,
        },
    )
    .await?;
    let connector = st
        .catalogue
        .connector_by_id(c.id_connector)
        .map_or("unknown connector", |k| k.name.as_str());
    let names: std::collections::HashMap<i64, &str> =
        accounts.iter().map(|a| (a.id, a.name.as_str())).collect();
    Ok(html! {
        div.card #connection {
            h1 {
                "Connection " (c.id) " · " (connector) " · "
                span #state { (layout::state_badge(c.state.as_ref().map(|s| s.as_str()))) }
            }
            p.muted { "Of " a href={ (BASE) "/users/" (c.id_user) } { "user " (c.id_user) } ", created " (when(Some(&c.created))) "." }
            (facts(&c, now))
            (sources_table(&sources, now))
        }
        (actions(who, &c, &sources))
        div.card #accounts {
            h2 { "Accounts" }
            @if accounts.is_empty() { p.muted { "None found yet." } }
            @else {
                table {
                    tr { th { "id" } th { "name" } th { "type" } th.num { "balance" } th { "status" } th { "last_update" } th.num { "transactions" } }
                    @for a in &accounts { (account_row(a)) }
                }
            }
        }
        div.card #transactions {
            h2 { "Transactions " span.muted { "(" (txs.total) ", deleted ones included)" } }
            @if txs.rows.is_empty() { p.muted { "None." } }
            @else {
                table {
                    tr { th { "id" } th { "account" } th { "date" } th.num { "value" } th { "wording" } th { "type" } th { "status" } }
                    @for t in &txs.rows {
                        tr #{ "transaction-" (t.id) } {
                            td { (t.id) }
                            td { (names.get(&t.id_account).copied().unwrap_or("?")) }
                            td { (t.date) }
                            td.num { (t.value) " " (t.currency) }
                            td { (t.wording.as_deref().unwrap_or(&t.original_wording)) }
                            td { (t.kind) }
                            td { @if let Some(d) = &t.deleted { "deleted " (when(Some(d))) } @else if t.coming { "coming" } @else { "booked" } }
                        }
                    }
                }
                (pager(&format!("{BASE}/connections/{}", c.id), offset, PAGE, txs.total))
            }
        }
    })
}

fn account_row(a: &Account) -> Markup {
    html! {
        tr #{ "account-" (a.id) } {
            td { (a.id) }
            td { (a.name) }
            td { (a.kind) }
            td.num { (a.balance.as_deref().unwrap_or("–")) " " (a.currency) }
            td.account-status {
                @if let Some(d) = &a.deleted { "deleted " (when(Some(d))) }
                @else if let Some(d) = &a.disabled { "disabled " (when(Some(d))) }
                @else { "enabled" }
            }
            td { (when(a.last_update.as_deref())) }
            td.num { (a.nb_transactions) }
        }
    }
}

fn actions(who: &Session, c: &Connection, sources: &[Source]) -> Markup {
    let to = |op: &str| format!("/connections/{}/{op}", c.id);
    html! {
        div.card #actions {
            h2 { "Control plane" }
            (form(who, &to("sync"), "sync-form", html! {
                button #sync type="submit" { "Sync now" }
                label { input type="checkbox" name="psu_requested" value="true"; " with the PSU present" }
            }))
            (form(who, &to("state"), "state-form", html! {
                label for="force-state" { "Force state" }
                select #force-state name="state" {
                    option value="" { "none (clear and sync)" }
                    @for s in states::ALL { option value=(s) { (s) } }
                }
                select #force-source name="source" {
                    option value="" { "every source" }
                    @for s in sources { option value=(s.id) { (s.name) } }
                }
                input #force-message type="text" name="error_message" placeholder="error_message (optional)";
                button #force type="submit" { "Force" }
            }))
            (form(who, &to("validate"), "validate-form", html! {
                button.secondary #validate type="submit" { "Validate the decoupled step" }
            }))
            (form(who, &to("outage"), "outage-form", html! {
                label for="outage-state" { "Bank outage" }
                select #outage-state name="state" {
                    @for s in ["websiteUnavailable", "rateLimiting", "bug"] { option value=(s) { (s) } }
                }
                input #outage-duration type="text" name="duration" placeholder="duration, e.g. 2h (optional)";
                button.secondary #outage type="submit" { "Start outage" }
            }))
            @if c.bank.0.outage.is_some() {
                (form(who, &to("end-outage"), "end-outage-form", html! {
                    button.secondary #end-outage type="submit" { "End outage" }
                }))
            }
            (form(who, &to("delete"), "delete-form", html! {
                button.danger #delete type="submit" { "Delete the connection" }
            }))
        }
    }
}

/// A button of the connection page, through the same functions as the control plane's
/// routes (and, for delete, the engine's operation behind `DELETE /connections/{id}`).
pub async fn act(
    State(st): State<AppState>,
    who: Session,
    Path((id, op)): Path<(String, String)>,
    body: Fields,
) -> Response {
    let fields = match who.form(body) {
        Ok(f) => f,
        Err(refused) => return refused.into_response(),
    };
    match run(&st, &id, &op, fields).await {
        Ok(to) => see_other(&to),
        Err(e) => layout::error(&who, &e),
    }
}

/// Drops the empty values a form sends for the fields left blank.
fn filled(mut f: Fields) -> Fields {
    f.0.retain(|_, v| v.as_str() != Some(""));
    f
}

async fn run(st: &AppState, id: &str, op: &str, fields: Fields) -> Result<String> {
    let back = format!("{BASE}/connections/{id}");
    match op {
        "sync" => {
            fields.only(&["psu_requested"])?;
            let psu = fields.bool("psu_requested")?.unwrap_or(false);
            sandbox::connections::sync_connection(st, id, psu).await?;
        }
        "state" => {
            let mut f = filled(fields);
            // The blank choice is the control plane's `null`: clear and sync.
            f.0.entry("state").or_insert(Value::Null);
            sandbox::connections::force(st, id, typed(Value::Object(f.0))?).await?;
        }
        "validate" => {
            fields.only(&[])?;
            sandbox::connections::validate_now(st, id).await?;
        }
        "outage" => {
            sandbox::bank::outage(st, id, typed(Value::Object(filled(fields).0))?).await?;
        }
        "end-outage" => {
            fields.only(&[])?;
            sandbox::bank::end(st, id).await?;
        }
        "delete" => {
            fields.only(&[])?;
            let mut tx = st.db.begin().await?;
            let c = sandbox::bank::connection(&mut tx, id).await?;
            sync::lifecycle::delete_connection(&mut tx, st, &c, st.clock.now()).await?;
            tx.commit().await?;
            return Ok(format!("{BASE}/users/{}", c.id_user));
        }
        _ => return Err(ApiError::not_found("Inspector action")),
    }
    Ok(back)
}
