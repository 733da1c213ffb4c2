//! `/sandbox/connections/{id}/bank/investments` and `.../bank/marketorders`: QA puts lines
//! and orders on the investment accounts behind a connection, or takes lines away (the next
//! sync marks them `deleted`).

use crate::api::extract::Fields;
use crate::api::principal::Principal;
use crate::bank::portfolio;
use crate::bank::securities::isin_is_valid;
use crate::error::{ApiError, Result};
use crate::model::control_wealth::{InvestmentInjection, OrderInjection, WealthInjected};
use crate::model::format::{self, Date};
use crate::sandbox::bank::{bank_account, connection, save};
use crate::state::AppState;
use crate::store::bank_wealth::{InjectedInvestment, InjectedOrder, InjectedPocket};
use crate::store::{self, connections::Connection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::TimeDelta;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sqlx::SqliteConnection;

fn parse<T: DeserializeOwned>(body: Fields) -> Result<T> {
    serde_json::from_value(Value::Object(body.0)).map_err(|e| ApiError::InvalidValue(e.to_string()))
}

/// The bank key of the investment account the body names.
async fn account_key(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &Connection,
    id_account: Option<i64>,
    account: Option<String>,
) -> Result<String> {
    let rows = store::accounts::of_connection(conn, c.id).await?;
    let key = match (id_account, account) {
        (Some(a), _) => rows.iter().find(|r| r.id == a).map(|r| r.bank_key.clone()),
        (None, Some(k)) => Some(k),
        (None, None) => return Err(ApiError::missing("id_account")),
    }
    .ok_or_else(|| ApiError::not_found("Account"))?;
    let ba = bank_account(st, c, &key).ok_or_else(|| ApiError::not_found("Account"))?;
    if !portfolio::is_invest(&ba.kind) {
        return Err(ApiError::invalid("account", "not an investment account"));
    }
    Ok(key)
}

fn check_code(code: &Option<String>) -> Result<()> {
    match code {
        Some(c) if !isin_is_valid(c) => Err(ApiError::invalid(
            "code",
            "expected an ISIN with a valid check digit",
        )),
        _ => Ok(()),
    }
}

fn positive(name: &str, v: Decimal) -> Result<()> {
    if v <= Decimal::ZERO {
        return Err(ApiError::invalid(name, "expected a positive number"));
    }
    Ok(())
}

/// A line the bank will show from the next sync on.
#[utoipa::path(post, path = "/sandbox/connections/{id}/bank/investments", tag = "sandbox",
    params(("id" = i64, Path)),
    request_body(content = InvestmentInjection),
    responses((status = 200, description = "Put at the bank", body = WealthInjected)),
    security(("bearerAuth" = [])))]
pub async fn inject_investment(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    body: Fields,
) -> Result<Json<WealthInjected>> {
    who.require_config()?;
    let r: InvestmentInjection = parse(body)?;
    check_code(&r.code)?;
    positive("quantity", r.quantity)?;
    positive("unitprice", r.unitprice)?;
    positive("unitvalue", r.unitvalue)?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let account = account_key(&mut tx, &st, &c, r.id_account, r.account).await?;
    let mut changes = c.bank.0.clone();
    let key = r
        .key
        .unwrap_or_else(|| format!("{account}-injected-{}", changes.investments.len() + 1));
    changes.investments.retain(|i| i.key != key);
    changes.removed_investments.retain(|k| *k != key);
    changes.investments.push(InjectedInvestment {
        key: key.clone(),
        account: account.clone(),
        label: r.label,
        code: r.code,
        quantity: r.quantity,
        unitprice: r.unitprice,
        unitvalue: r.unitvalue,
        pockets: r
            .pockets
            .into_iter()
            .map(|p| InjectedPocket {
                label: p.label,
                quantity: p.quantity,
                value: p.value,
                condition: p.condition.unwrap_or_else(|| "unknown".into()),
                availability_date: p.availability_date,
            })
            .collect(),
        at: now,
    });
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(Json(WealthInjected {
        key,
        account,
        from: Date(now.date()),
    }))
}

/// The bank no longer shows the line (named by its aggregator id or bank key): the next
/// sync sets its `deleted` date.
#[utoipa::path(delete, path = "/sandbox/connections/{id}/bank/investments/{line}", tag = "sandbox",
    params(("id" = i64, Path), ("line" = String, Path, description = "The line's id or bank key")),
    responses((status = 204, description = "Gone at the bank")),
    security(("bearerAuth" = [])))]
pub async fn remove_investment(
    State(st): State<AppState>,
    who: Principal,
    Path((id, line)): Path<(String, String)>,
) -> Result<StatusCode> {
    who.require_config()?;
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let key = match line.parse::<i64>() {
        Ok(n) => store::investments::get(&mut tx, Some(c.id_user), n)
            .await?
            .filter(|r| r.id_connection == c.id)
            .map(|r| r.bank_key),
        Err(_) => Some(line),
    }
    .ok_or_else(|| ApiError::not_found("Investment"))?;
    let mut changes = c.bank.0.clone();
    if !changes.removed_investments.contains(&key) {
        changes.removed_investments.push(key);
    }
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A market order the broker will show from the next sync on.
#[utoipa::path(post, path = "/sandbox/connections/{id}/bank/marketorders", tag = "sandbox",
    params(("id" = i64, Path)),
    request_body(content = OrderInjection),
    responses((status = 200, description = "Put at the broker", body = WealthInjected)),
    security(("bearerAuth" = [])))]
pub async fn inject_order(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    body: Fields,
) -> Result<Json<WealthInjected>> {
    who.require_config()?;
    let r: OrderInjection = parse(body)?;
    check_code(&r.code)?;
    positive("quantity", r.quantity)?;
    positive("unitprice", r.unitprice)?;
    if !matches!(r.direction.as_str(), "BUY" | "SALE") {
        return Err(ApiError::invalid("direction", "expected BUY or SALE"));
    }
    let order_type = r.order_type.unwrap_or_else(|| "MARKET".into());
    if !matches!(
        order_type.as_str(),
        "MARKET" | "LIMIT" | "TRIGGER" | "UNKNOWN"
    ) {
        return Err(ApiError::invalid(
            "order_type",
            "expected MARKET, LIMIT, TRIGGER or UNKNOWN",
        ));
    }
    let now = st.clock.now();
    let when = |name: &str, v: Option<String>| -> Result<Option<chrono::NaiveDateTime>> {
        v.map(|s| {
            format::parse_datetime(&s)
                .ok_or_else(|| ApiError::invalid(name, "expected YYYY-MM-DD HH:MM:SS"))
        })
        .transpose()
    };
    let date = when("date", r.date)?.unwrap_or(now);
    let execution_date =
        when("execution_date", r.execution_date)?.unwrap_or(date + TimeDelta::days(1));
    if execution_date < date {
        return Err(ApiError::invalid(
            "execution_date",
            "before the order's date",
        ));
    }
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let account = account_key(&mut tx, &st, &c, r.id_account, r.account).await?;
    let mut changes = c.bank.0.clone();
    let number = r
        .number
        .unwrap_or_else(|| format!("QA{:06}", changes.orders.len() + 1));
    changes.orders.retain(|o| o.number != number);
    changes.orders.push(InjectedOrder {
        account: account.clone(),
        number: number.clone(),
        label: r.label,
        code: r.code,
        direction: r.direction,
        order_type,
        quantity: r.quantity,
        unitprice: r.unitprice,
        ordervalue: r.ordervalue,
        date,
        execution_date,
        at: now,
    });
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(Json(WealthInjected {
        key: number,
        account,
        from: Date(now.date()),
    }))
}
