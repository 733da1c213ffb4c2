//! `/users/{user}/connections/{id}/sources` and `/logs`.

use crate::api::connections::owned;
use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::connection::{ConnectionSource, ConnectionSourcesList, SourceUpdateRequest};
use crate::model::log::ConnectionLogsList;
use crate::model::{calendar, format};
use crate::state::AppState;
use crate::store::{self, connection_views, logs};
use crate::sync::{self, Action, Applied};
use axum::extract::{Path, State};
use axum::Json;

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{id}/sources", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("all" = Option<String>, Query, description = "A value-less flag: disabled sources too"),
    ),
    responses((status = 200, description = "The connection's sources", body = ConnectionSourcesList)),
    security(("bearerAuth" = [])))]
pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> Result<Json<ConnectionSourcesList>> {
    let id_user = who.user(&st, &user).await?;
    let all = params.flag("all")?;
    let mut conn = st.db.reader.acquire().await?;
    let c = owned(&mut conn, id_user, &id).await?;
    let sources = connection_views::sources(
        &mut conn,
        st.catalogue.connector_by_id(c.id_connector),
        c.id,
        all,
    )
    .await?;
    Ok(Json(ConnectionSourcesList {
        total: sources.len() as i64,
        sources,
    }))
}

async fn find(
    conn: &mut sqlx::SqliteConnection,
    id_connection: i64,
    id: &str,
    all: bool,
) -> Result<store::connections::Source> {
    store::connections::sources(conn, id_connection)
        .await?
        .into_iter()
        .find(|s| s.id.to_string() == id && (all || s.disabled.is_none()))
        .ok_or_else(|| ApiError::not_found("Source"))
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{id}/sources/{sid}", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("sid" = i64, Path),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    responses((status = 200, description = "The source", body = ConnectionSource)),
    security(("bearerAuth" = [])))]
pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id, sid)): Path<(String, String, String)>,
    params: Params,
) -> Result<Json<ConnectionSource>> {
    let id_user = who.user(&st, &user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let c = owned(&mut conn, id_user, &id).await?;
    let s = find(&mut conn, c.id, &sid, params.flag("all")?).await?;
    Ok(Json(connection_views::source(
        st.catalogue.connector_by_id(c.id_connector),
        &s,
    )))
}

/// `{"disabled": true|false}`: a disabled source is skipped by syncs. `PUT` does the same
/// (one handler for both methods).
#[utoipa::path(method(post, put), path = "/2.0/users/{user}/connections/{id}/sources/{sid}", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("sid" = i64, Path),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    request_body(content = SourceUpdateRequest),
    responses((status = 200, description = "The source", body = ConnectionSource)),
    security(("bearerAuth" = [])))]
pub async fn update(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id, sid)): Path<(String, String, String)>,
    params: Params,
    body: Fields,
) -> Result<Json<ConnectionSource>> {
    let id_user = who.user(&st, &user).await?;
    let disabled = body.bool("disabled")?;
    let mut tx = st.db.begin().await?;
    let mut c = owned(&mut tx, id_user, &id).await?;
    let mut s = find(&mut tx, c.id, &sid, params.flag("all")?).await?;
    if let Some(disabled) = disabled {
        let action = Action::SourceDisabled {
            id_source: s.id,
            disabled,
        };
        if let Applied::Source(changed) =
            sync::apply(&mut tx, &st, &mut c, action, st.clock.now()).await?
        {
            s = changed;
        }
    }
    tx.commit().await?;
    Ok(Json(connection_views::source(
        st.catalogue.connector_by_id(c.id_connector),
        &s,
    )))
}

fn bound(params: &Params, key: &str, end: bool) -> Result<Option<String>> {
    params
        .text(key)
        .map(|v| {
            let (first, last) = calendar::parse(v)
                .ok_or_else(|| ApiError::invalid(key, "expected YYYY, YYYY-MM or YYYY-MM-DD"))?;
            // Days of the API's zone, compared with the stored UTC instants.
            let day = if end { last } else { first };
            let time = if end {
                chrono::NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()
            } else {
                chrono::NaiveTime::MIN
            };
            Ok(format::datetime(format::local_to_utc(
                day.and_time(time),
                format::zone(),
            )))
        })
        .transpose()
}

/// One log row per sync.
#[utoipa::path(get, path = "/2.0/users/{user}/connections/{id}/logs", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("limit" = Option<i64>, Query, description = "At most 1000, default 100"),
        ("offset" = Option<i64>, Query),
        ("min_date" = Option<String>, Query, description = "`YYYY`, `YYYY-MM` or `YYYY-MM-DD`"),
        ("max_date" = Option<String>, Query, description = "`YYYY`, `YYYY-MM` or `YYYY-MM-DD`"),
        ("id_source" = Option<i64>, Query),
    ),
    responses((status = 200, description = "The connection's logs", body = ConnectionLogsList)),
    security(("bearerAuth" = [])))]
pub async fn logs(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> Result<Json<ConnectionLogsList>> {
    let id_user = who.user(&st, &user).await?;
    let filter = logs::Filter {
        id_connection: 0,
        min_date: bound(&params, "min_date", false)?,
        max_date: bound(&params, "max_date", true)?,
        id_source: params.int("id_source")?,
        limit: params.bounded("limit", 1000)?.unwrap_or(100),
        offset: params.bounded("offset", i64::MAX)?.unwrap_or(0),
    };
    let mut conn = st.db.reader.acquire().await?;
    let c = owned(&mut conn, id_user, &id).await?;
    let page = logs::list(
        &mut conn,
        &logs::Filter {
            id_connection: c.id,
            ..filter
        },
    )
    .await?;
    Ok(Json(page))
}
