//! `/sandbox/connections/{id}/bank/transactions/{transaction}`: the bank removes or changes
//! a transaction it showed; the next sync applies it to the aggregated one.

use crate::api::extract::Body;
use crate::api::principal::Principal;
use crate::bank::changes::{Amendment, BankChanges, TxEdit};
use crate::error::{ApiError, Result};
use crate::model::control_bank::{BankTransactionChange, BankTransactionEdit};
use crate::sandbox::bank::{connection, masked, save};
use crate::state::AppState;
use crate::store::{self, connections::Connection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rust_decimal::Decimal;
use sqlx::SqliteConnection;
use std::str::FromStr;

/// Finds a bank transaction of the connection by its aggregated id, `webid` or bank key (an
/// injected one not fetched yet too): (account bank key, transaction bank key, value).
async fn bank_transaction(
    conn: &mut SqliteConnection,
    c: &Connection,
    reference: &str,
) -> Result<(String, String, Decimal)> {
    let edited = |key: &str| c.bank.edits.iter().any(|e| e.key == key && e.deleted);
    if let Some((id_account, key, value)) =
        store::transactions::bank_ref(conn, c.id, reference).await?
    {
        let rows = store::accounts::of_connection(conn, c.id).await?;
        if let Some(a) = rows.iter().find(|a| a.id == id_account) {
            if !edited(&key) {
                let value = Decimal::from_str(&value).unwrap_or_default();
                return Ok((a.bank_key.clone(), key, value));
            }
        }
    }
    c.bank
        .injected
        .iter()
        .find(|t| t.key == reference && !edited(&t.key))
        .map(|t| (t.account.clone(), t.key.clone(), t.value))
        .ok_or_else(|| ApiError::not_found("Transaction"))
}

/// Records a change of one bank transaction (one entry per transaction, later changes merged).
fn record_edit(
    changes: &mut BankChanges,
    (account, key, value): (String, String, Decimal),
    deleted: bool,
    amended: Amendment,
) -> TxEdit {
    let i = match changes
        .edits
        .iter()
        .position(|e| e.key == key && e.account == account)
    {
        Some(i) => i,
        None => {
            changes.edits.push(TxEdit {
                account,
                key,
                value_before: value,
                deleted: false,
                amended: Amendment::default(),
            });
            changes.edits.len() - 1
        }
    };
    let e = &mut changes.edits[i];
    e.deleted |= deleted;
    e.amended.merge(amended);
    e.clone()
}

/// The new values of an amended bank transaction (Powens' names, at least one).
fn amendment(body: BankTransactionChange) -> Result<Amendment> {
    let a = Amendment {
        date: body.date,
        rdate: body.rdate,
        vdate: body.vdate,
        value: body.value,
        // As on injection, `wording` is the bank's label when `original_wording` is absent.
        original_wording: body.original_wording.or(body.wording),
        simplified_wording: body.simplified_wording,
        kind: body.kind,
        coming: body.coming,
        card: body.card.as_deref().map(masked),
    };
    if a.is_empty() {
        return Err(ApiError::missing("value"));
    }
    Ok(a)
}

fn edit_answer(e: &TxEdit) -> Result<BankTransactionEdit> {
    Ok(BankTransactionEdit {
        account: e.account.clone(),
        key: e.key.clone(),
        deleted: e.deleted,
        amended: serde_json::to_value(&e.amended)?,
    })
}

// The bank removes a transaction: the next sync marks the aggregated one `deleted`.
/// The bank no longer shows this transaction: `deleted` at the next sync.
#[utoipa::path(delete, path = "/sandbox/connections/{id}/bank/transactions/{transaction}", tag = "sandbox",
    params(("id" = i64, Path), ("transaction" = String, Path, description = "The transaction's id, webid or bank key")),
    responses((status = 204, description = "Removed at the bank")),
    security(("bearerAuth" = [])))]
pub async fn delete_transaction(
    State(st): State<AppState>,
    who: Principal,
    Path((id, transaction)): Path<(String, String)>,
) -> Result<StatusCode> {
    who.require_config()?;
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let found = bank_transaction(&mut tx, &c, &transaction).await?;
    let mut changes = c.bank.0.clone();
    record_edit(&mut changes, found, true, Amendment::default());
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

// The bank changes a transaction: the next sync applies the new values with a new
// `last_update`.
/// The bank shows new values for this transaction: applied at the next sync.
#[utoipa::path(patch, path = "/sandbox/connections/{id}/bank/transactions/{transaction}", tag = "sandbox",
    params(("id" = i64, Path), ("transaction" = String, Path, description = "The transaction's id, webid or bank key")),
    request_body(content = crate::model::control_bank::BankTransactionChange),
    responses((status = 200, description = "The change at the bank", body = BankTransactionEdit)),
    security(("bearerAuth" = [])))]
pub async fn amend_transaction(
    State(st): State<AppState>,
    who: Principal,
    Path((id, transaction)): Path<(String, String)>,
    Body(body): Body<BankTransactionChange>,
) -> Result<Json<BankTransactionEdit>> {
    who.require_config()?;
    let amended = amendment(body)?;
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let found = bank_transaction(&mut tx, &c, &transaction).await?;
    let mut changes = c.bank.0.clone();
    let e = record_edit(&mut changes, found, false, amended);
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(Json(edit_answer(&e)?))
}
