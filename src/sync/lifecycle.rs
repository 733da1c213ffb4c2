//! Lifecycle operations outside a sync: users created and deleted, the PSU's consent per
//! account and the hard delete of a connection. The API, the webview and the control plane all call these, so each has the
//! same effects and the same webhooks.

use crate::error::Result;
use crate::model::format;
use crate::state::AppState;
use crate::store::accounts::{self, Account};
use crate::store::{self, connections::Connection, users};
use crate::sync::events::{account_event, account_synced, connection_deleted, user_event};
use crate::sync::fetch::fetch_account;
use chrono::NaiveDateTime;
use sqlx::SqliteConnection;

/// The PSU consents to the account: it is enabled and its history fetched at once.
pub async fn enable_account(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &Connection,
    a: &mut Account,
    now: NaiveDateTime,
) -> Result<()> {
    if a.disabled.is_none() {
        return Ok(());
    }
    a.disabled = None;
    let floor = crate::sync::wealth::floor(conn).await?;
    let fetched = fetch_account(conn, st, c, a, now).await?;
    accounts::save(conn, a).await?;
    account_event(conn, st, "ACCOUNT_ENABLED", a, now).await?;
    // The history fetched on consent reaches the app like any sync's.
    account_synced(conn, st, a, &fetched, floor, now).await
}

/// The PSU withdraws consent: the account is disabled, its transactions deleted and its
/// details and balances cleared.
pub async fn disable_account(
    conn: &mut SqliteConnection,
    st: &AppState,
    a: &mut Account,
    now: NaiveDateTime,
) -> Result<()> {
    if a.disabled.is_some() {
        return Ok(());
    }
    a.disabled = Some(format::datetime(now));
    a.synced_until = None;
    // Back to what a disabled account shows: identity, name and type; the next enabling
    // reads the rest from the bank again.
    a.number = None;
    a.iban = None;
    a.bic = None;
    a.balance = None;
    a.coming = None;
    a.usage = None;
    a.opening_date = None;
    a.loan = None;
    a.last_update = None;
    accounts::delete_transactions(conn, a.id).await?;
    store::investments::delete_of_account(conn, a.id).await?;
    accounts::save(conn, a).await?;
    account_event(conn, st, "ACCOUNT_DISABLED", a, now).await
}

/// Hard delete: sources, accounts, transactions and logs go with it (foreign keys);
/// CONNECTION_DELETED is queued first, in the same transaction. Takes the state like the
/// other lifecycle operations, though the Connection object needs nothing from it.
pub async fn delete_connection(
    conn: &mut SqliteConnection,
    _st: &AppState,
    c: &Connection,
    now: NaiveDateTime,
) -> Result<()> {
    connection_deleted(conn, c, now).await?;
    store::connections::delete(conn, c.id).await?;
    Ok(())
}

/// A permanent user (its webhooks start now: USER_CREATED is queued).
pub async fn create_user(
    conn: &mut SqliteConnection,
    id_client_app: Option<i64>,
    now: NaiveDateTime,
) -> Result<i64> {
    let id = users::create(conn, "permanent", now, None, id_client_app).await?;
    user_event(conn, "USER_CREATED", id, now).await?;
    Ok(id)
}

/// Deletes a user and everything it owns; USER_DELETED is queued first, while its payload
/// can still be read. False when there was no such user.
pub async fn delete_user(conn: &mut SqliteConnection, id: i64, now: NaiveDateTime) -> Result<bool> {
    user_event(conn, "USER_DELETED", id, now).await?;
    Ok(users::delete(conn, id).await?)
}
