//! `/sandbox/connections/{id}`: inspect, force a state (like Plaid's `reset_login`), confirm a
//! decoupled validation at once, sync now.

use crate::api::connections::view;
use crate::api::extract::{Body, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::connection as wire;
use crate::model::control_connections::{
    ForceStateRequest, SandboxConnection, SandboxView, SyncReport, SyncRequest, SyncedConnection,
};
use crate::model::states;
use crate::sandbox::bank::connection;
use crate::state::AppState;
use crate::store;
use crate::sync::{self, resume, Action, Applied};
use axum::extract::{Path, State};
use axum::Json;

// The connection as the API shows it, plus what only the sandbox knows: the pending step and
// the changes made to its bank.
#[utoipa::path(get, path = "/sandbox/connections/{id}", tag = "sandbox",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The connection, with what only the sandbox knows", body = SandboxConnection)),
    security(("bearerAuth" = [])))]
pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<SandboxConnection>> {
    who.require_config()?;
    let mut conn = st.db.reader.acquire().await?;
    let c = connection(&mut conn, &id).await?;
    let connection = view(
        &mut conn,
        &st,
        &c,
        &["sources".into(), "all_accounts".into()],
    )
    .await?;
    Ok(Json(SandboxConnection {
        connection,
        sandbox: SandboxView {
            login: c.login.clone(),
            pending: resume::pending(&c).map(serde_json::to_value).transpose()?,
            bank: serde_json::to_value(&c.bank.0)?,
        },
    }))
}

// `{state, source?, error_message?, fields?}`. Waiting states stick until the PSU does what
// they ask; `rateLimiting`, `websiteUnavailable` and `bug` last until the next sync (use the
// bank outage for longer); `null` clears everything and syncs.
/// Puts the connection (or one source) in a state; null clears it and syncs.
#[utoipa::path(post, path = "/sandbox/connections/{id}/state", tag = "sandbox",
    params(("id" = i64, Path)),
    request_body(content = crate::model::control_connections::ForceStateRequest),
    responses((status = 200, description = "The connection with its sources", body = crate::model::connection::Connection)),
    security(("bearerAuth" = [])))]
pub async fn force_state(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    Body(body): Body<ForceStateRequest>,
) -> Result<Json<wire::Connection>> {
    who.require_config()?;
    force(&st, &id, body).await.map(Json)
}

/// Forces the state `body` asks for on connection `id`: the control plane's route and the
/// inspector's form.
pub async fn force(st: &AppState, id: &str, body: ForceStateRequest) -> Result<wire::Connection> {
    let state = body
        .state
        .as_deref()
        .map(|s| {
            states::canonical(s).ok_or_else(|| ApiError::invalid("state", "not a ConnectionState"))
        })
        .transpose()?;
    let (fields, message) = (body.fields, body.error_message);
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, id).await?;
    let sources = store::connections::sources(&mut tx, c.id).await?;
    let source = match body.source {
        None => None,
        Some(key) => Some(
            sources
                .iter()
                .find(|s| s.id.to_string() == key || s.name == key)
                .ok_or_else(|| ApiError::invalid("source", "no such source on this connection"))?
                .id,
        ),
    };
    let forced = Action::ForceState {
        state,
        source,
        message,
        fields,
    };
    sync::apply(&mut tx, st, &mut c, forced, now).await?;
    let v = view(&mut tx, st, &c, &["sources".into()]).await?;
    tx.commit().await?;
    Ok(v)
}

// The PSU validates the pending decoupled step in the bank's app, now.
/// The PSU validates the pending decoupled step now.
#[utoipa::path(post, path = "/sandbox/connections/{id}/validate", tag = "sandbox",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The connection", body = crate::model::connection::Connection)),
    security(("bearerAuth" = [])))]
pub async fn validate(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<wire::Connection>> {
    who.require_config()?;
    validate_now(&st, &id).await.map(Json)
}

/// The bank's app approves connection `id`'s pending decoupled step now.
pub async fn validate_now(st: &AppState, id: &str) -> Result<wire::Connection> {
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, id).await?;
    if let Applied::Rejected(e) =
        sync::apply(&mut tx, st, &mut c, Action::BankAppApproved, now).await?
    {
        return Err(e);
    }
    let v = view(&mut tx, st, &c, &[]).await?;
    tx.commit().await?;
    Ok(v)
}

// A sync now; `psu_requested` from the query or the body (default false, like the scheduler).
/// A sync now (`psu_requested` false by default, as the scheduler's).
#[utoipa::path(post, path = "/sandbox/connections/{id}/sync", tag = "sandbox",
    params(("id" = i64, Path), ("psu_requested" = Option<bool>, Query)),
    request_body(content = crate::model::control_connections::SyncRequest),
    responses((status = 200, description = "The connection and what the sync did", body = SyncedConnection)),
    security(("bearerAuth" = [])))]
pub async fn sync_now(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    params: Params,
    Body(body): Body<SyncRequest>,
) -> Result<Json<SyncedConnection>> {
    who.require_config()?;
    let psu_requested = match body.psu_requested {
        Some(b) => b,
        None => params.bool("psu_requested")?.unwrap_or(false),
    };
    sync_connection(&st, &id, psu_requested).await.map(Json)
}

/// Syncs connection `id` now, with or without the PSU.
pub async fn sync_connection(
    st: &AppState,
    id: &str,
    psu_requested: bool,
) -> Result<SyncedConnection> {
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, id).await?;
    let report = sync::apply(&mut tx, st, &mut c, Action::Sync { psu_requested }, now)
        .await?
        .into_report();
    let connection = view(&mut tx, st, &c, &["sources".into()]).await?;
    tx.commit().await?;
    Ok(SyncedConnection {
        connection,
        sync: SyncReport {
            new_transactions: report.synced.iter().map(|(_, ids)| ids.len()).sum(),
            found: report.found,
            deleted: report.deleted,
        },
    })
}
