//! `POST /users/{user}/connections/{id}`: the PSU's answers (credentials, OTP, decoupled
//! confirmation, consent renewal) and settings, handed to the state machine in `sync`.

use crate::api::connections::{check_fields, owned, parse_expand, status, view, wrongpass};
use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::catalogue::ConnectorSource;
use crate::model::connection::Connection;
use crate::model::format;
use crate::state::AppState;
use crate::store;
use crate::sync::{self, resume, Action, Applied};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

// `POST /connections/{id}`: new field values (credentials, `otp`), `resume`, `refresh_auth`,
// `active`, `expire`; an empty body performs a pending SCA, then syncs with the PSU present.
/// Updates a connection: new field values (credentials, `otp`), `{"resume": true}`,
/// `{"refresh_auth": true}`, `active`, `expire`; an empty body performs a pending SCA. Then
/// syncs with the PSU present.
#[utoipa::path(post, path = "/2.0/users/{user}/connections/{id}", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("background" = Option<String>, Query, description = "A value-less flag: answer `validating` at once"),
        ("source" = Option<String>, Query, description = "The connector's source to add, as `source` in the body"),
        ("expand" = Option<String>, Query),
    ),
    request_body(content = crate::model::connection::ConnectionUpdateRequest, description = "JSON or form"),
    responses(
        (status = 200, description = "Updated and synced", body = crate::model::connection::Connection),
        (status = 202, description = "Waiting for the PSU", body = crate::model::connection::Connection),
        (status = 400, description = "`wrongpass` and other client errors", body = crate::error::ServiceError),
    ),
    security(("bearerAuth" = [])))]
pub async fn update(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    params: Params,
    body: Fields,
) -> Result<(StatusCode, Json<Connection>)> {
    let id_user = who.user(&st, &user).await?;
    let expands = parse_expand(&params)?;
    let background = params.flag("background")?;
    let resume_flag = body.bool("resume")?.unwrap_or(false);
    let refresh_auth = body.bool("refresh_auth")?.unwrap_or(false);
    let otp = body.str("otp")?;
    let active = body.bool("active")?;
    let expire = match body.str("expire")? {
        Some(e) => Some(
            format::parse_local(&e)
                .ok_or_else(|| ApiError::invalid("expire", "expected YYYY-MM-DD HH:MM:SS"))?,
        ),
        None => None,
    };
    let settings_only = !body.0.is_empty() && body.0.keys().all(|k| k == "active" || k == "expire");
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut c = owned(&mut tx, id_user, &id).await?;
    let connector = sync::action::connector(&st, &c)?;
    // `source` (query or body): the connector's source this update adds, or answers for.
    let source = match params
        .text("source")
        .map(str::to_owned)
        .or(body.str("source")?)
    {
        Some(name) => Some(
            connector
                .sources
                .iter()
                .find(|s| s.name == name && s.disabled.is_none())
                .ok_or_else(|| {
                    ApiError::invalid("source", "no such enabled source on this connector")
                })?,
        ),
        None => None,
    };
    let checked: Vec<&ConnectorSource> = match source {
        Some(cs) => vec![cs],
        None => connector.sources.iter().collect(),
    };
    let values = check_fields(connector, &checked, &body, false)?;
    if let Some(cs) = source {
        // The added source's required fields, unless the connection already has them.
        let known = sync::credentials(&c);
        let prompts = cs
            .available_auth_mechanisms
            .iter()
            .any(|m| m == "credentials");
        let missing = connector
            .fields
            .iter()
            .filter(|f| prompts && f.required && f.connector_sources.contains(&cs.name))
            .find(|f| !values.contains_key(&f.name) && !known.contains_key(&f.name));
        if let Some(f) = missing {
            return Err(ApiError::missing(&f.name));
        }
    }
    if active.is_some() || expire.is_some() {
        sync::apply(
            &mut tx,
            &st,
            &mut c,
            Action::Settings { active, expire },
            now,
        )
        .await?;
    }
    let mut refused = false;
    if !settings_only {
        // One answer per request, in this order of precedence; anything else just syncs.
        let adds = source.filter(|_| otp.is_none() && !resume_flag && !refresh_auth);
        let action = if let Some(cs) = adds {
            Action::AddSource {
                id_connector_source: cs.id,
                values,
            }
        } else if !values.is_empty() {
            Action::Credentials(values)
        } else if let Some(code) = otp {
            Action::Otp(code)
        } else if resume_flag {
            Action::Resume { background }
        } else if refresh_auth {
            Action::RefreshAuth
        } else if body.0.is_empty() {
            Action::PerformSca
        } else {
            Action::Sync {
                psu_requested: true,
            }
        };
        match sync::apply(&mut tx, &st, &mut c, action, now).await? {
            Applied::Rejected(e) => return Err(e),
            Applied::NotValidated => {
                tx.commit().await?;
                return wait_for_validation(st, c.id_user, c.id, expands).await;
            }
            Applied::Refused(_) => refused = true,
            _ => {}
        }
    }
    let out = view(&mut tx, &st, &c, &expands).await?;
    tx.commit().await?;
    if refused {
        return Err(wrongpass(&c));
    }
    Ok((status(&c), Json(out)))
}

/// `{"resume": true}` without `?background`: waits (in real time, reading the sandbox clock)
/// until the bank's app validates, up to a bound below the request timeout; then answers
/// with the connection, still `decoupled` (202) if the PSU has not validated yet.
async fn wait_for_validation(
    st: AppState,
    id_user: i64,
    id: i64,
    expands: Vec<String>,
) -> Result<(StatusCode, Json<Connection>)> {
    let bound =
        std::time::Duration::from_secs(st.config.request_timeout.saturating_sub(2).clamp(1, 25));
    let deadline = std::time::Instant::now() + bound;
    loop {
        let now = st.clock.now();
        let c = {
            let mut conn = st.db.reader.acquire().await?;
            store::connections::get(&mut conn, id_user, id)
                .await?
                .ok_or_else(|| ApiError::not_found("Connection"))?
        };
        let done = resume::validated(&c, now);
        if done || std::time::Instant::now() >= deadline {
            let mut tx = st.db.begin().await?;
            let mut c = store::connections::get(&mut tx, id_user, id)
                .await?
                .ok_or_else(|| ApiError::not_found("Connection"))?;
            sync::apply(&mut tx, &st, &mut c, Action::ValidationDue, now).await?;
            let out = view(&mut tx, &st, &c, &expands).await?;
            tx.commit().await?;
            return Ok((status(&c), Json(out)));
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
