//! `/users/{user}/investments` and its aliases under an account or a connection, the single
//! line (`/investments/{id}`, also under the user) and its unit value history.

use crate::api::extract::{Params, MAX_LIMIT};
use crate::api::principal::Principal;
use crate::api::wealth_scope::{item_id, page, reader, scope, Where};
use crate::error::{ApiError, Result};
use crate::model::investment::{Investment, InvestmentHistoryValuesList, InvestmentsList};
use crate::model::money::Money;
use crate::state::AppState;
use crate::store::investments::{self, Filters};
use axum::extract::{Path, State};
use axum::Json;
use rust_decimal::Decimal;
use utoipa::IntoParams;

/// The list's query. `limit` and `offset` page it (whole without `limit`).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct InvestmentsQuery {
    /// Keywords that must all be in the label (case-insensitive).
    label: Option<String>,
    /// An ISIN code: only its lines.
    code: Option<String>,
    /// A value-less flag: lines gone at the bank (with `deleted`) and those of deleted
    /// accounts too.
    all: Option<String>,
    /// Page size, 1 to 1000.
    limit: Option<i64>,
    offset: Option<i64>,
}

/// The list and its totals (over every line in scope, before paging).
pub fn list_of(all: Vec<Investment>, limit: Option<i64>, offset: i64) -> InvestmentsList {
    let valuation: Decimal = all.iter().map(|i| i.valuation.0).sum();
    let diff: Decimal = all.iter().map(|i| i.diff.0).sum();
    let cost = valuation - diff;
    let prev: Option<Decimal> = all.iter().map(|i| i.prev_diff.map(|d| d.0)).sum();
    let prev_base = prev.map(|p| valuation - p);
    InvestmentsList {
        total: all.len() as i64,
        valuation: Money(valuation),
        diff: Money(diff),
        diff_percent: Money(if cost.is_zero() {
            Decimal::ZERO
        } else {
            (diff / cost).round_dp(4)
        }),
        prev_diff: prev.map(Money),
        prev_diff_percent: prev
            .zip(prev_base)
            .filter(|(_, b)| !b.is_zero())
            .map(|(p, b)| Money((p / b).round_dp(4))),
        calculated: vec![
            "valuation".into(),
            "diff".into(),
            "diff_percent".into(),
            "prev_diff".into(),
            "prev_diff_percent".into(),
        ],
        investments: page(all, limit, offset),
    }
}

async fn list_in(
    st: AppState,
    who: Principal,
    w: Where,
    params: Params,
) -> Result<Json<InvestmentsList>> {
    let (limit, offset) = params.page(MAX_LIMIT)?;
    let all = params.flag("all")?;
    let filters = Filters {
        label: params
            .text("label")
            .map(|l| l.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
        code: params.text("code").map(str::to_ascii_uppercase),
    };
    let id_user = who.user(&st, &w.user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let scope = scope(&mut conn, id_user, &w).await?;
    let rows = investments::list(&mut conn, scope, &filters, all).await?;
    Ok(Json(list_of(
        rows.iter().map(|r| r.to_model()).collect(),
        limit,
        offset,
    )))
}

/// The lines of the user's enabled investment accounts, oldest first.
#[utoipa::path(get, path = "/2.0/users/{user}/investments", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), InvestmentsQuery),
    responses((status = 200, description = "The lines and their totals", body = InvestmentsList)),
    security(("bearerAuth" = [])))]
pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
    params: Params,
) -> Result<Json<InvestmentsList>> {
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

#[utoipa::path(get, path = "/2.0/users/{user}/accounts/{a}/investments", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), ("a" = i64, Path, description = "The account"), InvestmentsQuery),
    responses((status = 200, description = "The account's lines", body = InvestmentsList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, account)): Path<(String, String)>,
    params: Params,
) -> Result<Json<InvestmentsList>> {
    let w = Where {
        user,
        account: Some(account),
        ..Default::default()
    };
    list_in(st, who, w, params).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/investments", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), ("c" = i64, Path, description = "The connection"), InvestmentsQuery),
    responses((status = 200, description = "The connection's lines", body = InvestmentsList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_connection(
    State(st): State<AppState>,
    who: Principal,
    Path((user, connection)): Path<(String, String)>,
    params: Params,
) -> Result<Json<InvestmentsList>> {
    let w = Where {
        user,
        connection: Some(connection),
        ..Default::default()
    };
    list_in(st, who, w, params).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/accounts/{a}/investments", tag = "wealth",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("a" = i64, Path, description = "The account"),
        InvestmentsQuery,
    ),
    responses((status = 200, description = "The account's lines", body = InvestmentsList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_connection_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, connection, account)): Path<(String, String, String)>,
    params: Params,
) -> Result<Json<InvestmentsList>> {
    let w = Where {
        user,
        connection: Some(connection),
        account: Some(account),
    };
    list_in(st, who, w, params).await
}

async fn find(
    st: &AppState,
    who: &Principal,
    user: Option<&str>,
    id: &str,
) -> Result<investments::InvestmentRow> {
    let id = item_id(id, "Investment")?;
    let id_user = reader(st, who, user).await?;
    let mut conn = st.db.reader.acquire().await?;
    investments::get(&mut conn, id_user, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Investment"))
}

/// One line, deleted or not.
#[utoipa::path(get, path = "/2.0/investments/{id}", tag = "wealth",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The line", body = Investment)),
    security(("bearerAuth" = [])))]
pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<Investment>> {
    Ok(Json(find(&st, &who, None, &id).await?.to_model()))
}

#[utoipa::path(get, path = "/2.0/users/{user}/investments/{id}", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), ("id" = i64, Path)),
    responses((status = 200, description = "The line", body = Investment)),
    security(("bearerAuth" = [])))]
pub async fn get_in_user(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
) -> Result<Json<Investment>> {
    Ok(Json(find(&st, &who, Some(&user), &id).await?.to_model()))
}

async fn history_of(
    st: &AppState,
    who: &Principal,
    user: Option<&str>,
    id: &str,
) -> Result<Json<InvestmentHistoryValuesList>> {
    let line = find(st, who, user, id).await?;
    let mut conn = st.db.reader.acquire().await?;
    let values = investments::history(&mut conn, line.id).await?;
    Ok(Json(InvestmentHistoryValuesList {
        total: values.len() as i64,
        investmentvalues: values,
    }))
}

/// The line's unit value on each value date since it was first fetched, oldest first.
#[utoipa::path(get, path = "/2.0/investments/{id}/history", tag = "wealth",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The line's unit values", body = InvestmentHistoryValuesList)),
    security(("bearerAuth" = [])))]
pub async fn history(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<InvestmentHistoryValuesList>> {
    history_of(&st, &who, None, &id).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/investments/{id}/history", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), ("id" = i64, Path)),
    responses((status = 200, description = "The line's unit values", body = InvestmentHistoryValuesList)),
    security(("bearerAuth" = [])))]
pub async fn history_in_user(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
) -> Result<Json<InvestmentHistoryValuesList>> {
    history_of(&st, &who, Some(&user), &id).await
}
