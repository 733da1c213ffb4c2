//! `/sandbox/connections/{id}/bank/...`: change the institution behind a connection. The
//! aggregator learns of the change on the next sync, as it would at a real bank.

use crate::api::extract::Fields;
use crate::api::principal::Principal;
use crate::bank::accounts::{self, BankAccount};
use crate::bank::changes::{BankChanges, InjectedTx, Outage};
use crate::error::{ApiError, Result};
use crate::model::{calendar, duration, format, states};
use crate::state::AppState;
use crate::store::{self, connections::Connection};
use crate::sync;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use sqlx::SqliteConnection;
use std::str::FromStr;

pub async fn connection(conn: &mut SqliteConnection, id: &str) -> Result<Connection> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("Connection"))?;
    store::connections::by_id(conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Connection"))
}

async fn save(
    conn: &mut SqliteConnection,
    c: &mut Connection,
    changes: &BankChanges,
) -> Result<()> {
    *sync::bank_changes_mut(c) = changes.clone();
    store::connections::save(conn, c).await?;
    Ok(())
}

// Opens an account at the bank: `{type, name?, balance?}`. Found, disabled, on the next sync.
/// The bank opens an account: found, disabled, at the next sync.
#[utoipa::path(post, path = "/sandbox/connections/{id}/bank/accounts", tag = "sandbox",
    params(("id" = i64, Path)),
    request_body(content = crate::openapi::control::BankAccountRequest),
    responses((status = 200, description = "The account at the bank", body = crate::openapi::control::BankAccountOpened)),
    security(("bearerAuth" = [])))]
pub async fn add_account(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    body: Fields,
) -> Result<Json<Value>> {
    who.require_config()?;
    let kind = body.required_str("type")?;
    if st.catalogue.account_type_by_name(&kind).is_none() {
        return Err(ApiError::invalid("type", "unknown account type"));
    }
    let balance = body
        .get("balance")
        .map(|v| {
            Decimal::from_str(v.to_string().trim_matches('"'))
                .map_err(|_| ApiError::invalid("balance", "expected a number"))
        })
        .transpose()?;
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let connector = st
        .catalogue
        .connector_by_id(c.id_connector)
        .ok_or_else(|| ApiError::internal("connector missing"))?;
    let mut changes = c.bank.0.clone();
    let n = changes.added.len();
    let template = accounts::generate(
        st.config.seed ^ (n as u64 + 1),
        connector,
        &format!("{}#added{n}", c.login),
    )
    .into_iter()
    .next()
    .ok_or_else(|| ApiError::internal("connector offers no account types"))?;
    let account = BankAccount {
        key: format!("added-{n}"),
        kind: kind.clone(),
        name: body
            .str("name")?
            .unwrap_or_else(|| format!("Nouveau compte {kind}")),
        base_balance: balance.unwrap_or(Decimal::new(100_000, 2)),
        loan: None,
        ..template
    };
    changes.added.push(account.clone());
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(Json(
        json!({"key": account.key, "type": account.kind, "name": account.name, "number": account.number, "id_connection": c.id}),
    ))
}

// Closes an account at the bank, named by its aggregator id or bank key.
/// The bank closes an account: `deleted` at the next sync.
#[utoipa::path(delete, path = "/sandbox/connections/{id}/bank/accounts/{account}", tag = "sandbox",
    params(("id" = i64, Path), ("account" = String, Path, description = "The account's id or bank key")),
    responses((status = 204, description = "Closed at the bank")),
    security(("bearerAuth" = [])))]
pub async fn remove_account(
    State(st): State<AppState>,
    who: Principal,
    Path((id, account)): Path<(String, String)>,
) -> Result<StatusCode> {
    who.require_config()?;
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let rows = store::accounts::of_connection(&mut tx, c.id).await?;
    let key = rows
        .iter()
        .find(|a| a.id.to_string() == account || a.bank_key == account)
        .map(|a| a.bank_key.clone())
        .or_else(|| {
            let connector = st.catalogue.connector_by_id(c.id_connector)?;
            sync::bank_accounts(&st, connector, &c)
                .into_iter()
                .find(|b| b.key == account)
                .map(|b| b.key)
        })
        .ok_or_else(|| ApiError::not_found("Account"))?;
    let mut changes = c.bank.0.clone();
    if !changes.removed.contains(&key) {
        changes.removed.push(key);
    }
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

// Injects transactions at the bank: `{id_account | account, transactions: [{date, value,
// wording, type?, coming?}]}`. Fetched by the next sync of an enabled account.
/// Transactions the bank will show at the next sync.
#[utoipa::path(post, path = "/sandbox/connections/{id}/bank/transactions", tag = "sandbox",
    params(("id" = i64, Path)),
    request_body(content = crate::openapi::control::InjectRequest),
    responses((status = 200, description = "Injected", body = crate::openapi::control::Injected)),
    security(("bearerAuth" = [])))]
pub async fn inject(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    body: Fields,
) -> Result<Json<Value>> {
    who.require_config()?;
    let list = match body.get("transactions") {
        Some(Value::Array(a)) if !a.is_empty() && a.len() <= 100_000 => a.clone(),
        Some(_) => {
            return Err(ApiError::invalid(
                "transactions",
                "expected a non-empty array of at most 100000 items",
            ))
        }
        None => return Err(ApiError::missing("transactions")),
    };
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let rows = store::accounts::of_connection(&mut tx, c.id).await?;
    let key = match (body.int("id_account")?, body.str("account")?) {
        (Some(a), _) => rows.iter().find(|r| r.id == a).map(|r| r.bank_key.clone()),
        (None, Some(k)) => Some(k),
        (None, None) => return Err(ApiError::missing("id_account")),
    }
    .ok_or_else(|| ApiError::not_found("Account"))?;
    let mut changes = c.bank.0.clone();
    let start = changes.injected.len();
    for (i, t) in list.iter().enumerate() {
        let field = |k: &str| format!("transactions[{i}].{k}");
        let date = t
            .get("date")
            .and_then(Value::as_str)
            .and_then(calendar::parse)
            .filter(|(a, b)| a == b)
            .map(|(a, _)| a)
            .ok_or_else(|| ApiError::invalid(&field("date"), "expected YYYY-MM-DD"))?;
        let value = t
            .get("value")
            .map(|v| v.to_string().trim_matches('"').to_string())
            .and_then(|v| Decimal::from_str(&v).ok())
            .ok_or_else(|| ApiError::invalid(&field("value"), "expected a number"))?;
        let wording = t
            .get("wording")
            .and_then(Value::as_str)
            .unwrap_or("OPERATION")
            .to_string();
        let kind = t
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_string();
        let coming = t.get("coming").and_then(Value::as_bool).unwrap_or(false);
        changes.injected.push(InjectedTx {
            key: format!("inj-{}", start + i),
            account: key.clone(),
            date,
            value,
            wording,
            kind,
            coming,
            at: now,
        });
    }
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(Json(json!({"injected": list.len(), "account": key})))
}

// Starts an outage: `{state: websiteUnavailable|rateLimiting|bug|..., duration?, error_message?}`.
/// The bank fails every sync until the outage ends.
#[utoipa::path(post, path = "/sandbox/connections/{id}/bank/outage", tag = "sandbox",
    params(("id" = i64, Path)),
    request_body(content = crate::openapi::control::OutageRequest),
    responses((status = 200, description = "The outage", body = crate::openapi::control::Outage)),
    security(("bearerAuth" = [])))]
pub async fn start_outage(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    body: Fields,
) -> Result<Json<Value>> {
    who.require_config()?;
    let state = body
        .str("state")?
        .unwrap_or_else(|| "websiteUnavailable".into());
    let state = states::canonical(&state)
        .ok_or_else(|| ApiError::invalid("state", "not a ConnectionState"))?;
    let until = body
        .str("duration")?
        .map(|d| {
            duration::parse(&d)
                .ok_or_else(|| ApiError::invalid("duration", "expected a duration such as 2h"))
        })
        .transpose()?
        .map(|d| st.clock.now() + d);
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let mut changes = c.bank.0.clone();
    changes.outage = Some(Outage {
        state: state.into(),
        error_message: body.str("error_message")?,
        until,
    });
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(Json(
        json!({"state": state, "until": until.map(format::local)}),
    ))
}

#[utoipa::path(delete, path = "/sandbox/connections/{id}/bank/outage", tag = "sandbox",
    params(("id" = i64, Path)),
    responses((status = 204, description = "Ended")),
    security(("bearerAuth" = [])))]
pub async fn end_outage(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    who.require_config()?;
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let mut changes = c.bank.0.clone();
    changes.outage = None;
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
