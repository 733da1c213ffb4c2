//! `/sandbox/connections/{id}/bank/...`: change the institution behind a connection. The
//! aggregator learns of the change on the next sync, as it would at a real bank.

use crate::api::extract::{only_known, parse_bool, Fields};
use crate::api::principal::Principal;
use crate::bank::accounts::{self, BankAccount};
use crate::bank::changes::{BankChanges, InjectedTx, Outage};
use crate::error::{ApiError, Result};
use crate::model::control_bank::{self, BankAccountOpened, Injected};
use crate::model::transaction::TransactionCounterparty;
use crate::model::{calendar, duration, format, states};
use crate::state::AppState;
use crate::store::{self, connections::Connection};
use crate::sync;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use sqlx::SqliteConnection;
use std::str::FromStr;

pub async fn connection(conn: &mut SqliteConnection, id: &str) -> Result<Connection> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("Connection"))?;
    store::connections::by_id(conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Connection"))
}

pub(crate) async fn save(
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
    request_body(content = crate::model::control_bank::BankAccountRequest),
    responses((status = 200, description = "The account at the bank", body = crate::model::control_bank::BankAccountOpened)),
    security(("bearerAuth" = [])))]
pub async fn add_account(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    body: Fields,
) -> Result<Json<BankAccountOpened>> {
    who.require_config()?;
    body.only(&["type", "name", "balance"])?;
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
    Ok(Json(BankAccountOpened {
        key: account.key,
        kind: account.kind,
        name: account.name,
        number: account.number,
        id_connection: c.id,
    }))
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

/// The fields an injected transaction takes: Powens' own names for a transaction.
pub(crate) const TRANSACTION_FIELDS: &[&str] = &[
    "date",
    "rdate",
    "vdate",
    "value",
    "original_wording",
    "simplified_wording",
    "wording",
    "type",
    "coming",
    "card",
    "counterparty",
];

const COUNTERPARTY_FIELDS: &[&str] = &[
    "label",
    "account_scheme_name",
    "account_identification",
    "type",
];

pub(crate) fn date_at(t: &Map<String, Value>, key: &str, at: &str) -> Result<Option<NaiveDate>> {
    match t.get(key).filter(|v| !v.is_null()) {
        None => Ok(None),
        Some(v) => v
            .as_str()
            .and_then(calendar::parse)
            .filter(|(a, b)| a == b)
            .map(|(a, _)| Some(a))
            .ok_or_else(|| ApiError::invalid(&format!("{at}{key}"), "expected YYYY-MM-DD")),
    }
}

pub(crate) fn text_at(t: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>> {
    match t.get(key).filter(|v| !v.is_null()) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::invalid(
            &format!("{at}{key}"),
            "expected a string",
        )),
    }
}

/// A card number as Powens shows it: every digit but the last four masked. A number that is
/// already masked is kept as given.
pub(crate) fn masked(card: &str) -> String {
    let card = card.trim();
    if card.len() > 4 && card.chars().all(|c| c.is_ascii_digit()) {
        format!("{}{}", "X".repeat(card.len() - 4), &card[card.len() - 4..])
    } else {
        card.to_string()
    }
}

/// Reads one injected transaction (`at` prefixes the names in errors, `extra` are fields the
/// caller reads itself). Key, account and time are the caller's to fill.
pub(crate) fn parse_transaction(t: &Value, at: &str, extra: &[&str]) -> Result<InjectedTx> {
    let Value::Object(t) = t else {
        return Err(ApiError::invalid(
            at.trim_end_matches('.'),
            "expected an object",
        ));
    };
    let known: Vec<&str> = TRANSACTION_FIELDS.iter().chain(extra).copied().collect();
    only_known(t, &known, at)?;
    let field = |k: &str| format!("{at}{k}");
    let date = date_at(t, "date", at)?.ok_or_else(|| ApiError::missing(&field("date")))?;
    let value = match t.get("value").filter(|v| !v.is_null()) {
        None => return Err(ApiError::missing(&field("value"))),
        Some(v @ (Value::Number(_) | Value::String(_))) => {
            Decimal::from_str(v.to_string().trim_matches('"'))
                .map_err(|_| ApiError::invalid(&field("value"), "expected a number"))?
        }
        Some(_) => return Err(ApiError::invalid(&field("value"), "expected a number")),
    };
    let wording = text_at(t, "wording", at)?;
    let original = text_at(t, "original_wording", at)?;
    // `wording` alone is the bank's label (as the control plane always took it); beside
    // `original_wording` it is the wording shown to the user.
    let (original_wording, display_wording) = match (original, wording) {
        (Some(o), w) => (o, w),
        (None, Some(w)) => (w, None),
        (None, None) => ("OPERATION".to_string(), None),
    };
    let kind = text_at(t, "type", at)?.unwrap_or_else(|| "unknown".into());
    let coming = match t.get("coming").filter(|v| !v.is_null()) {
        None => false,
        Some(v) => parse_bool(&field("coming"), v, false)?,
    };
    let counterparty = match t.get("counterparty").filter(|v| !v.is_null()) {
        None => None,
        Some(Value::Object(cp)) => {
            let at = field("counterparty.");
            only_known(cp, COUNTERPARTY_FIELDS, &at)?;
            Some(TransactionCounterparty {
                label: text_at(cp, "label", &at)?,
                account_scheme_name: text_at(cp, "account_scheme_name", &at)?,
                account_identification: text_at(cp, "account_identification", &at)?,
                kind: text_at(cp, "type", &at)?,
            })
        }
        Some(_) => {
            return Err(ApiError::invalid(
                &field("counterparty"),
                "expected an object",
            ))
        }
    };
    Ok(InjectedTx {
        key: String::new(),
        account: String::new(),
        date,
        rdate: date_at(t, "rdate", at)?,
        vdate: date_at(t, "vdate", at)?,
        value,
        original_wording,
        simplified_wording: text_at(t, "simplified_wording", at)?,
        display_wording,
        kind,
        coming,
        card: text_at(t, "card", at)?.map(|c| masked(&c)),
        counterparty,
        at: NaiveDateTime::default(),
    })
}

/// The card a card payment injected without `card` carries: the card account's own number
/// when it goes to one, else the login's debit card as the generated payments show it.
fn default_card(st: &AppState, c: &Connection, account: &BankAccount, t: &mut InjectedTx) {
    if t.card.is_none() && (t.kind == "card" || t.kind == "deferred_card") {
        t.card = Some(if account.kind == "card" {
            masked(&account.number)
        } else {
            crate::bank::changes::debit_card_number(st.config.seed, &c.login)
        });
    }
}

/// Adds parsed transactions to the bank's changes under `account`, numbered after the ones
/// already there.
pub(crate) fn add_injected(
    st: &AppState,
    c: &Connection,
    changes: &mut BankChanges,
    account: &BankAccount,
    list: Vec<InjectedTx>,
    now: NaiveDateTime,
) {
    for mut t in list {
        default_card(st, c, account, &mut t);
        t.key = format!("inj-{}", changes.injected.len());
        t.account = account.key.clone();
        t.at = now;
        changes.injected.push(t);
    }
}

/// The bank account behind a connection with this bank key, added ones included.
pub(crate) fn bank_account(st: &AppState, c: &Connection, key: &str) -> Option<BankAccount> {
    let connector = st.catalogue.connector_by_id(c.id_connector)?;
    sync::bank_accounts(st, connector, c)
        .into_iter()
        .find(|b| b.key == key)
}

// Injects transactions at the bank: `{id_account | account, transactions: [{date, value,
// original_wording, type?, coming?, card?, counterparty?...}]}`. Fetched by the next sync of
// an enabled account.
/// Transactions the bank will show at the next sync.
#[utoipa::path(post, path = "/sandbox/connections/{id}/bank/transactions", tag = "sandbox",
    params(("id" = i64, Path)),
    request_body(content = crate::model::control_bank::InjectRequest),
    responses((status = 200, description = "Injected", body = crate::model::control_bank::Injected)),
    security(("bearerAuth" = [])))]
pub async fn inject(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    body: Fields,
) -> Result<Json<Injected>> {
    who.require_config()?;
    body.only(&["id_account", "account", "transactions"])?;
    let list = match body.get("transactions") {
        Some(Value::Array(a)) if !a.is_empty() && a.len() <= 100_000 => a
            .iter()
            .enumerate()
            .map(|(i, t)| parse_transaction(t, &format!("transactions[{i}]."), &[]))
            .collect::<Result<Vec<_>>>()?,
        Some(_) => {
            return Err(ApiError::invalid(
                "transactions",
                "expected a non-empty array of at most 100000 items",
            ))
        }
        None => return Err(ApiError::missing("transactions")),
    };
    let n = list.len();
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
    let account = bank_account(&st, &c, &key).ok_or_else(|| ApiError::not_found("Account"))?;
    let mut changes = c.bank.0.clone();
    add_injected(&st, &c, &mut changes, &account, list, now);
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(Json(Injected {
        injected: n as i64,
        account: key,
    }))
}

// Starts an outage: `{state: websiteUnavailable|rateLimiting|bug|..., duration?, error_message?}`.
/// The bank fails every sync until the outage ends.
#[utoipa::path(post, path = "/sandbox/connections/{id}/bank/outage", tag = "sandbox",
    params(("id" = i64, Path)),
    request_body(content = crate::model::control_bank::OutageRequest),
    responses((status = 200, description = "The outage", body = crate::model::control_bank::Outage)),
    security(("bearerAuth" = [])))]
pub async fn start_outage(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    body: Fields,
) -> Result<Json<control_bank::Outage>> {
    who.require_config()?;
    outage(&st, &id, &body).await.map(Json)
}

/// Reads `{state?, duration?, error_message?}` and starts that outage at connection `id`'s
/// bank: the control plane's route and the inspector's form.
pub async fn outage(st: &AppState, id: &str, body: &Fields) -> Result<control_bank::Outage> {
    body.only(&["state", "duration", "error_message"])?;
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
    let mut c = connection(&mut tx, id).await?;
    let mut changes = c.bank.0.clone();
    changes.outage = Some(Outage {
        state: state.into(),
        error_message: body.str("error_message")?,
        until,
    });
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(control_bank::Outage {
        state: state.into(),
        until: until.map(format::local),
    })
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
    end(&st, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends the outage at connection `id`'s bank, if one is in force.
pub async fn end(st: &AppState, id: &str) -> Result<()> {
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, id).await?;
    let mut changes = c.bank.0.clone();
    changes.outage = None;
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(())
}
