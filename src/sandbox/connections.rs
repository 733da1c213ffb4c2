//! `/sandbox/connections/{id}`: inspect, force a state (like Plaid's `reset_login`), confirm a
//! decoupled validation at once, sync now.

use crate::api::connections::render;
use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::bank::changes::BankChanges;
use crate::error::{ApiError, Result};
use crate::model::catalogue::ConnectorField;
use crate::model::states;
use crate::sandbox::bank::connection;
use crate::state::AppState;
use crate::store;
use crate::sync::states::{Pending, Step};
use crate::sync::{self, resume, Options};
use axum::extract::{Path, State};
use axum::Json;
use serde_json::Value;

/// The connection as the API shows it, plus what only the sandbox knows: the pending step and
/// the changes made to its bank.
pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    who.require_config()?;
    let mut conn = st.db.reader.acquire().await?;
    let c = connection(&mut conn, &id).await?;
    let mut v = render(
        &mut conn,
        &st,
        &c,
        &["sources".into(), "all_accounts".into()],
    )
    .await?;
    v["sandbox"] = serde_json::json!({
        "login": c.login,
        "pending": resume::pending(&c),
        "bank": BankChanges::parse(&c.bank),
    });
    Ok(Json(v))
}

/// `{state, source?, error_message?, fields?}`. Waiting states stick until the PSU does what
/// they ask; `rateLimiting`, `websiteUnavailable` and `bug` last until the next sync (use the
/// bank outage for longer); `null` clears everything and syncs.
pub async fn force_state(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    body: Fields,
) -> Result<Json<Value>> {
    who.require_config()?;
    if !body.0.contains_key("state") {
        return Err(ApiError::missing("state"));
    }
    let state = body.str("state")?;
    let state = state
        .as_deref()
        .map(|s| {
            states::canonical(s).ok_or_else(|| ApiError::invalid("state", "not a ConnectionState"))
        })
        .transpose()?;
    let fields: Option<Vec<ConnectorField>> = body
        .get("fields")
        .map(|f| serde_json::from_value(f.clone()).map_err(|e| ApiError::invalid("fields", e)))
        .transpose()?;
    let message = body.str("error_message")?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let sources = store::connections::sources(&mut tx, c.id).await?;
    let source = match body.get("source") {
        None => None,
        Some(v) => {
            let key = v.to_string().trim_matches('"').to_string();
            Some(
                sources
                    .iter()
                    .find(|s| s.id.to_string() == key || s.name == key)
                    .ok_or_else(|| {
                        ApiError::invalid("source", "no such source on this connection")
                    })?
                    .id,
            )
        }
    };
    apply_state(&mut tx, &st, &mut c, state, source, message, fields, now).await?;
    let v = render(&mut tx, &st, &c, &["sources".into()]).await?;
    tx.commit().await?;
    Ok(Json(v))
}

/// The PSU validates the pending decoupled step in the bank's app, now.
pub async fn validate(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    who.require_config()?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let mut p = resume::pending(&c)
        .filter(|p| matches!(p.step, Step::Decoupled | Step::Validating))
        .ok_or_else(|| {
            ApiError::invalid(
                "id_connection",
                "the connection is not waiting for a decoupled validation",
            )
        })?;
    let background = p.step == Step::Validating;
    p.validate_at = Some(now);
    c.pending = Some(p.to_json());
    if background {
        // Nobody is waiting on a blocked request: finish it here, as the scheduler would.
        let connector = st
            .catalogue
            .connector_by_id(c.id_connector)
            .ok_or_else(|| ApiError::internal("connector missing"))?;
        resume::complete_step(&mut tx, connector, &mut c, now).await?;
        sync::sync(
            &mut tx,
            &st,
            &mut c,
            now,
            Options {
                psu_requested: true,
            },
        )
        .await?;
    } else {
        store::connections::save(&mut tx, &c).await?;
    }
    let v = render(&mut tx, &st, &c, &[]).await?;
    tx.commit().await?;
    Ok(Json(v))
}

/// A sync now; `psu_requested` from the query or the body (default false, like the scheduler).
pub async fn sync_now(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    params: Params,
    body: Fields,
) -> Result<Json<Value>> {
    who.require_config()?;
    let psu_requested = match body.bool("psu_requested")? {
        Some(b) => b,
        None => params.bool("psu_requested")?.unwrap_or(false),
    };
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let report = sync::sync(&mut tx, &st, &mut c, now, Options { psu_requested }).await?;
    let mut v = render(&mut tx, &st, &c, &["sources".into()]).await?;
    tx.commit().await?;
    v["sync"] = serde_json::json!({
        "found": report.found,
        "deleted": report.deleted,
        "new_transactions": report.synced.iter().map(|(_, ids)| ids.len()).sum::<usize>(),
    });
    Ok(Json(v))
}

/// Puts a connection (or one source) in `state`; see [`force_state`].
#[allow(clippy::too_many_arguments)]
pub async fn apply_state(
    conn: &mut sqlx::SqliteConnection,
    st: &AppState,
    c: &mut crate::store::connections::Connection,
    state: Option<&'static str>,
    source: Option<i64>,
    message: Option<String>,
    fields: Option<Vec<ConnectorField>>,
    now: chrono::NaiveDateTime,
) -> Result<()> {
    let connector = st
        .catalogue
        .connector_by_id(c.id_connector)
        .ok_or_else(|| ApiError::internal("connector missing"))?;
    match state.and_then(Step::for_state) {
        Some(step) => {
            let mut p = Pending::enter(
                connector,
                step,
                vec![],
                now,
                sync::decoupled_delay(connector, c),
            );
            p.source = source;
            if message.is_some() {
                p.error_message = message;
            }
            if fields.is_some() {
                p.fields = fields;
            }
            c.pending = Some(p.to_json());
            store::connections::save(&mut *conn, c).await?;
            sync::sync(
                &mut *conn,
                st,
                c,
                now,
                Options {
                    psu_requested: false,
                },
            )
            .await?;
        }
        None => {
            c.pending = None;
            if let Some(s) = state {
                // A passing bank failure: shown now, gone at the next sync.
                for mut src in store::connections::sources(&mut *conn, c.id)
                    .await?
                    .into_iter()
                    .filter(|x| source.is_none_or(|id| id == x.id))
                {
                    src.state = Some(s.into());
                    src.error_message = message.clone().or(Some(resume::outage_message(s).into()));
                    store::connections::save_source(&mut *conn, &src).await?;
                }
                c.state = Some(s.into());
                c.error_message = message.or(Some(resume::outage_message(s).into()));
                c.next_try = Some(crate::model::format::datetime(
                    now + sync::retry_after(Some(s)),
                ));
                store::connections::save(&mut *conn, c).await?;
            } else {
                let mut changes = BankChanges::parse(&c.bank);
                changes.outage = None;
                c.bank = changes.to_json();
                store::connections::save(&mut *conn, c).await?;
                sync::sync(
                    &mut *conn,
                    st,
                    c,
                    now,
                    Options {
                        psu_requested: false,
                    },
                )
                .await?;
            }
        }
    }
    Ok(())
}
