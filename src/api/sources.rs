//! `/users/{user}/connections/{id}/sources` and `/logs`.

use crate::api::connections::owned;
use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::{calendar, connection, format};
use crate::state::AppState;
use crate::store::{self, logs};
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> Result<Json<Value>> {
    let id_user = who.user(&st, &user).await?;
    let all = params.flag("all")?;
    let mut conn = st.db.reader.acquire().await?;
    let c = owned(&mut conn, id_user, &id).await?;
    let list: Vec<Value> = store::connections::sources(&mut conn, c.id)
        .await?
        .iter()
        .filter(|s| all || s.disabled.is_none())
        .map(connection::source_json)
        .collect();
    Ok(Json(json!({"sources": list, "total": list.len()})))
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

pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id, sid)): Path<(String, String, String)>,
    params: Params,
) -> Result<Json<Value>> {
    let id_user = who.user(&st, &user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let c = owned(&mut conn, id_user, &id).await?;
    let s = find(&mut conn, c.id, &sid, params.flag("all")?).await?;
    Ok(Json(connection::source_json(&s)))
}

/// `{"disabled": true|false}`: a disabled source is skipped by syncs.
pub async fn update(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id, sid)): Path<(String, String, String)>,
    params: Params,
    body: Fields,
) -> Result<Json<Value>> {
    let id_user = who.user(&st, &user).await?;
    let disabled = body.bool("disabled")?;
    let mut tx = st.db.begin().await?;
    let c = owned(&mut tx, id_user, &id).await?;
    let mut s = find(&mut tx, c.id, &sid, params.flag("all")?).await?;
    match disabled {
        Some(true) if s.disabled.is_none() => s.disabled = Some(format::datetime(st.clock.now())),
        Some(false) => s.disabled = None,
        _ => {}
    }
    store::connections::save_source(&mut tx, &s).await?;
    tx.commit().await?;
    Ok(Json(connection::source_json(&s)))
}

fn bound(params: &Params, key: &str, end: bool) -> Result<Option<String>> {
    params
        .text(key)
        .map(|v| {
            let (first, last) = calendar::parse(v)
                .ok_or_else(|| ApiError::invalid(key, "expected YYYY, YYYY-MM or YYYY-MM-DD"))?;
            Ok(if end {
                format!("{} 23:59:59", format::date(last))
            } else {
                format!("{} 00:00:00", format::date(first))
            })
        })
        .transpose()
}

pub async fn logs(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> Result<Json<Value>> {
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
    let (list, total, first, last) = logs::list(
        &mut conn,
        &logs::Filter {
            id_connection: c.id,
            ..filter
        },
    )
    .await?;
    Ok(Json(
        json!({"connectionlogs": list, "total": total, "first_date": first, "last_date": last}),
    ))
}
