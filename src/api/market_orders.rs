//! `/users/{user}/marketorders` and its aliases under an account or a connection, and the
//! single order.

use crate::api::extract::{Params, MAX_LIMIT};
use crate::api::principal::Principal;
use crate::api::wealth_scope::{item_id, page, reader, scope, Where};
use crate::error::{ApiError, Result};
use crate::model::market_order::{MarketOrder, MarketOrdersList};
use crate::state::AppState;
use crate::store::market_orders;
use axum::extract::{Path, State};
use axum::Json;
use utoipa::IntoParams;

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct OrdersQuery {
    /// A value-less flag: orders gone at the broker too.
    all: Option<String>,
    /// Page size, 1 to 1000; the whole list without it.
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn list_in(
    st: AppState,
    who: Principal,
    w: Where,
    params: Params,
) -> Result<Json<MarketOrdersList>> {
    let (limit, offset) = params.page(MAX_LIMIT)?;
    let all = params.flag("all")?;
    let id_user = who.user(&st, &w.user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let scope = scope(&mut conn, id_user, &w).await?;
    let rows = market_orders::list(&mut conn, scope, all).await?;
    Ok(Json(MarketOrdersList {
        total: rows.len() as i64,
        marketorders: page(rows.iter().map(|r| r.to_model()).collect(), limit, offset),
    }))
}

/// The market orders of the user's enabled brokerage accounts, oldest first.
#[utoipa::path(get, path = "/2.0/users/{user}/marketorders", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), OrdersQuery),
    responses((status = 200, description = "The orders", body = MarketOrdersList)),
    security(("bearerAuth" = [])))]
pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
    params: Params,
) -> Result<Json<MarketOrdersList>> {
    list_in(
        st,
        who,
        Where {
            user,
            ..Default::default()
        },
        params,
    )
    .await
}

#[utoipa::path(get, path = "/2.0/users/{user}/accounts/{a}/marketorders", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), ("a" = i64, Path, description = "The account"), OrdersQuery),
    responses((status = 200, description = "The account's orders", body = MarketOrdersList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, account)): Path<(String, String)>,
    params: Params,
) -> Result<Json<MarketOrdersList>> {
    let w = Where {
        user,
        account: Some(account),
        ..Default::default()
    };
    list_in(st, who, w, params).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/marketorders", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), ("c" = i64, Path, description = "The connection"), OrdersQuery),
    responses((status = 200, description = "The connection's orders", body = MarketOrdersList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_connection(
    State(st): State<AppState>,
    who: Principal,
    Path((user, connection)): Path<(String, String)>,
    params: Params,
) -> Result<Json<MarketOrdersList>> {
    let w = Where {
        user,
        connection: Some(connection),
        ..Default::default()
    };
    list_in(st, who, w, params).await
}

async fn find(
    st: &AppState,
    who: &Principal,
    user: Option<&str>,
    id: &str,
) -> Result<Json<MarketOrder>> {
    let id = item_id(id, "MarketOrder")?;
    let id_user = reader(st, who, user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let o = market_orders::get(&mut conn, id_user, id)
        .await?
        .ok_or_else(|| ApiError::not_found("MarketOrder"))?;
    Ok(Json(o.to_model()))
}

#[utoipa::path(get, path = "/2.0/marketorders/{id}", tag = "wealth",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The order", body = MarketOrder)),
    security(("bearerAuth" = [])))]
pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<MarketOrder>> {
    find(&st, &who, None, &id).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/marketorders/{id}", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), ("id" = i64, Path)),
    responses((status = 200, description = "The order", body = MarketOrder)),
    security(("bearerAuth" = [])))]
pub async fn get_in_user(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
) -> Result<Json<MarketOrder>> {
    find(&st, &who, Some(&user), &id).await
}
