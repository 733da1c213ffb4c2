//! `/sandbox/connections/{id}/bank/...`: change the institution behind a connection. The
//! aggregator learns of the change on the next sync, as it would at a real bank.

use crate::api::extract::Body;
use crate::api::principal::Principal;
use crate::bank::accounts::{self, BankAccount};
use crate::bank::changes::{BankChanges, InjectedTx, Outage};
use crate::error::{ApiError, Result};
use crate::model::control_bank::{
    self, BankAccountOpened, BankAccountRequest, InjectRequest, Injected, InjectedTransaction,
    OutageRequest,
};
use crate::model::{duration, format, states};
use crate::state::AppState;
use crate::store::{self, connections::Connection};
use crate::sync;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use sqlx::SqliteConnection;

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
    Body(body): Body<BankAccountRequest>,
) -> Result<Json<BankAccountOpened>> {
    who.require_config()?;
    let kind = body.kind;
    if kind.is_empty() {
        return Err(ApiError::missing("type"));
    }
    if st.catalogue.account_type_by_name(&kind).is_none() {
        return Err(ApiError::invalid("type", "unknown account type"));
    }
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
            .name
            .unwrap_or_else(|| format!("Nouveau compte {kind}")),
        base_balance: body.balance.unwrap_or(Decimal::new(100_000, 2)),
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

/// An injected transaction as the bank holds it (Powens' defaults filled in). Key, account
/// and time are the caller's to fill.
pub(crate) fn injected(t: &InjectedTransaction) -> InjectedTx {
    // `wording` alone is the bank's label (as the control plane always took it); beside
    // `original_wording` it is the wording shown to the user.
    let (original_wording, display_wording) = match (&t.original_wording, &t.wording) {
        (Some(o), w) => (o.clone(), w.clone()),
        (None, Some(w)) => (w.clone(), None),
        (None, None) => ("OPERATION".to_string(), None),
    };
    InjectedTx {
        key: String::new(),
        account: String::new(),
        date: t.date,
        rdate: t.rdate,
        vdate: t.vdate,
        value: t.value,
        original_wording,
        simplified_wording: t.simplified_wording.clone(),
        display_wording,
        kind: t.kind.clone().unwrap_or_else(|| "unknown".into()),
        coming: t.coming.unwrap_or(false),
        card: t.card.as_deref().map(masked),
        counterparty: t.counterparty.clone(),
        at: NaiveDateTime::default(),
    }
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
    Body(body): Body<InjectRequest>,
) -> Result<Json<Injected>> {
    who.require_config()?;
    if body.transactions.is_empty() || body.transactions.len() > 100_000 {
        return Err(ApiError::invalid(
            "transactions",
            "expected a non-empty array of at most 100000 items",
        ));
    }
    let list: Vec<InjectedTx> = body.transactions.iter().map(injected).collect();
    let n = list.len();
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let rows = store::accounts::of_connection(&mut tx, c.id).await?;
    let key = match (body.id_account, body.account) {
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
    Body(body): Body<OutageRequest>,
) -> Result<Json<control_bank::Outage>> {
    who.require_config()?;
    outage(&st, &id, body).await.map(Json)
}

/// Starts the outage `body` asks for at connection `id`'s bank: the control plane's route
/// and the inspector's form.
pub async fn outage(st: &AppState, id: &str, body: OutageRequest) -> Result<control_bank::Outage> {
    let state = body.state.unwrap_or_else(|| "websiteUnavailable".into());
    let state = states::canonical(&state)
        .ok_or_else(|| ApiError::invalid("state", "not a ConnectionState"))?;
    let until = body
        .duration
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
        error_message: body.error_message,
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
