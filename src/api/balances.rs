//! `GET /users/{user}/accounts/{a}/balances` (and under a connection): the account's balance
//! history over `[min_date, max_date]` (the current month by default), in groups of `period`
//! (a month by default), computed from its booked transactions. A disabled account has none.

use crate::api::connections::owned;
use crate::api::extract::Params;
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::balance::{self, BalanceGroupsList, Ledger, Period};
use crate::model::calendar;
use crate::model::format::{self, Date};
use crate::state::AppState;
use crate::store;
use axum::extract::{Path, State};
use axum::Json;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::str::FromStr;

/// The longest window one request may ask for, in days (a century of days is a mistake).
const MAX_DAYS: i64 = 366 * 30;

fn date(params: &Params, key: &str, last: bool) -> Result<Option<NaiveDate>> {
    params
        .text(key)
        .map(|v| {
            calendar::parse(v)
                .map(|(a, b)| if last { b } else { a })
                .ok_or_else(|| ApiError::invalid(key, "expected YYYY-MM-DD, YYYY-MM or YYYY"))
        })
        .transpose()
}

async fn history(
    st: &AppState,
    who: Principal,
    user: &str,
    connection: Option<&str>,
    account: &str,
    params: &Params,
) -> Result<Json<BalanceGroupsList>> {
    let id_user = who.user(st, user).await?;
    let today = st.clock.now().date();
    let min = date(params, "min_date", false)?;
    let max = date(params, "max_date", true)?;
    let period = match params.text("period") {
        None => Period::MONTH,
        Some(p) => Period::parse(p).ok_or_else(|| {
            ApiError::invalid(
                "period",
                "expected numbers and units, e.g. 1month or 15days",
            )
        })?,
    };
    let month_start = today.with_day(1).unwrap_or(today);
    let min_date = min.unwrap_or(month_start);
    let max_date = max.unwrap_or_else(|| {
        month_start
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(today)
    });
    if min_date > max_date {
        return Err(ApiError::invalid("min_date", "after max_date"));
    }
    if (max_date - min_date).num_days() > MAX_DAYS {
        return Err(ApiError::invalid(
            "max_date",
            format!("the window is longer than {MAX_DAYS} days"),
        ));
    }
    let mut conn = st.db.reader.acquire().await?;
    let id: i64 = account
        .parse()
        .map_err(|_| ApiError::not_found("Account"))?;
    let a = store::accounts::get(&mut conn, id_user, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Account"))?;
    if let Some(c) = connection {
        if owned(&mut conn, id_user, c).await?.id != a.id_connection {
            return Err(ApiError::not_found("Account"));
        }
    }
    if a.disabled.is_some() {
        return Ok(Json(BalanceGroupsList {
            balances: vec![],
            first_date: None,
            last_date: None,
            result_min_date: None,
            result_max_date: None,
        }));
    }
    let booked = store::balances::booked(&mut conn, a.id)
        .await?
        .into_iter()
        .map(|(d, v)| {
            let d =
                Date::parse(&d).ok_or_else(|| ApiError::internal("a stored date is malformed"))?;
            Ok((d.0, Decimal::from_str(&v).unwrap_or_default()))
        })
        .collect::<Result<Vec<_>>>()?;
    let now_balance = a
        .balance
        .as_deref()
        .and_then(|b| Decimal::from_str(b).ok())
        .unwrap_or_default();
    let symbol = st
        .catalogue
        .currency(&a.currency)
        .map(|c| c.symbol.clone())
        .unwrap_or_else(|| a.currency.clone());
    let ledger = Ledger {
        balance: now_balance,
        booked: &booked,
        currency: &a.currency,
        symbol: &symbol,
    };
    let daily = min.is_some() || max.is_some();
    let balances = balance::groups(&ledger, min_date, max_date, period, daily);
    let synced = a
        .last_update
        .as_deref()
        .and_then(format::parse_datetime)
        .map(|t| t.date())
        .unwrap_or(today);
    Ok(Json(BalanceGroupsList {
        first_date: booked.first().map(|(d, _)| Date(*d)),
        last_date: Some(Date(synced)),
        result_min_date: balances.first().map(|g| g.min_date),
        result_max_date: balances.last().map(|g| g.max_date),
        balances,
    }))
}

#[utoipa::path(get, path = "/2.0/users/{user}/accounts/{a}/balances", tag = "balances",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("a" = i64, Path, description = "The account"),
        ("min_date" = Option<String>, Query, description = "Inclusive; the first day of the current month by default"),
        ("max_date" = Option<String>, Query, description = "Inclusive; the last day of the current month by default"),
        ("period" = Option<String>, Query, description = "Group length, e.g. `1month` (default), `15days`, `1year6months`"),
    ),
    responses((status = 200, description = "The account's balance history", body = BalanceGroupsList)),
    security(("bearerAuth" = [])))]
pub async fn of_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, account)): Path<(String, String)>,
    params: Params,
) -> Result<Json<BalanceGroupsList>> {
    history(&st, who, &user, None, &account, &params).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/accounts/{a}/balances", tag = "balances",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("a" = i64, Path, description = "The account"),
        ("min_date" = Option<String>, Query, description = "Inclusive; the first day of the current month by default"),
        ("max_date" = Option<String>, Query, description = "Inclusive; the last day of the current month by default"),
        ("period" = Option<String>, Query, description = "Group length, e.g. `1month` (default), `15days`, `1year6months`"),
    ),
    responses((status = 200, description = "The account's balance history", body = BalanceGroupsList)),
    security(("bearerAuth" = [])))]
pub async fn of_connection_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, connection, account)): Path<(String, String, String)>,
    params: Params,
) -> Result<Json<BalanceGroupsList>> {
    history(&st, who, &user, Some(&connection), &account, &params).await
}
