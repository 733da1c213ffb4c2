//! `/users/{user}/pockets` and its aliases (under a line, an account or a connection), and
//! the single pocket.

use crate::api::extract::{Params, MAX_LIMIT};
use crate::api::principal::Principal;
use crate::api::wealth_scope::{item_id, page, reader, scope, Where};
use crate::error::{ApiError, Result};
use crate::model::investment::{Pocket, PocketsList};
use crate::state::AppState;
use crate::store::investments::{self, Scope};
use axum::extract::{Path, State};
use axum::Json;
use utoipa::IntoParams;

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PocketsQuery {
    /// A value-less flag: pockets gone at the bank too.
    all: Option<String>,
    /// Page size, 1 to 1000; the whole list without it.
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn list_in(
    st: AppState,
    who: Principal,
    w: Where,
    investment: Option<String>,
    params: Params,
) -> Result<Json<PocketsList>> {
    let (limit, offset) = params.page(MAX_LIMIT)?;
    let all = params.flag("all")?;
    let id_user = who.user(&st, &w.user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let mut scope = scope(&mut conn, id_user, &w).await?;
    if let Some(i) = investment {
        let Scope::User(u) = scope else {
            return Err(ApiError::not_found("Investment"));
        };
        let line = investments::get(&mut conn, Some(u), item_id(&i, "Investment")?)
            .await?
            .ok_or_else(|| ApiError::not_found("Investment"))?;
        scope = Scope::Investment(u, line.id);
    }
    let rows = investments::pockets(&mut conn, scope, all).await?;
    Ok(Json(PocketsList {
        total: rows.len() as i64,
        pockets: page(rows.iter().map(|r| r.to_model()).collect(), limit, offset),
    }))
}

/// The pockets of the user's lines, oldest first.
#[utoipa::path(get, path = "/2.0/users/{user}/pockets", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), PocketsQuery),
    responses((status = 200, description = "The pockets", body = PocketsList)),
    security(("bearerAuth" = [])))]
pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
    params: Params,
) -> Result<Json<PocketsList>> {
    list_in(
        st,
        who,
        Where {
            user,
            ..Default::default()
        },
        None,
        params,
    )
    .await
}

#[utoipa::path(get, path = "/2.0/users/{user}/investments/{i}/pockets", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), ("i" = i64, Path, description = "The line"), PocketsQuery),
    responses((status = 200, description = "The line's pockets", body = PocketsList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_investment(
    State(st): State<AppState>,
    who: Principal,
    Path((user, investment)): Path<(String, String)>,
    params: Params,
) -> Result<Json<PocketsList>> {
    list_in(
        st,
        who,
        Where {
            user,
            ..Default::default()
        },
        Some(investment),
        params,
    )
    .await
}

#[utoipa::path(get, path = "/2.0/users/{user}/accounts/{a}/pockets", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), ("a" = i64, Path, description = "The account"), PocketsQuery),
    responses((status = 200, description = "The account's pockets", body = PocketsList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, account)): Path<(String, String)>,
    params: Params,
) -> Result<Json<PocketsList>> {
    let w = Where {
        user,
        account: Some(account),
        ..Default::default()
    };
    list_in(st, who, w, None, params).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/pockets", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), ("c" = i64, Path, description = "The connection"), PocketsQuery),
    responses((status = 200, description = "The connection's pockets", body = PocketsList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_connection(
    State(st): State<AppState>,
    who: Principal,
    Path((user, connection)): Path<(String, String)>,
    params: Params,
) -> Result<Json<PocketsList>> {
    let w = Where {
        user,
        connection: Some(connection),
        ..Default::default()
    };
    list_in(st, who, w, None, params).await
}

async fn find(
    st: &AppState,
    who: &Principal,
    user: Option<&str>,
    id: &str,
) -> Result<Json<Pocket>> {
    let id = item_id(id, "Pocket")?;
    let id_user = reader(st, who, user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let p = investments::pocket(&mut conn, id_user, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Pocket"))?;
    Ok(Json(p.to_model()))
}

#[utoipa::path(get, path = "/2.0/pockets/{id}", tag = "wealth",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The pocket", body = Pocket)),
    security(("bearerAuth" = [])))]
pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<Pocket>> {
    find(&st, &who, None, &id).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/pockets/{id}", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), ("id" = i64, Path)),
    responses((status = 200, description = "The pocket", body = Pocket)),
    security(("bearerAuth" = [])))]
pub async fn get_in_user(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
) -> Result<Json<Pocket>> {
    find(&st, &who, Some(&user), &id).await
}
