//! The documented events of the lifecycle and their payloads, built from the same
//! renderers as the API, queued in the caller's transaction.

use crate::api::connectors::connector_json;
use crate::error::Result;
use crate::model::{account, transaction};
use crate::state::AppState;
use crate::store::{self, connection_views as connection, connections::Connection, users};
use crate::sync::report::Report;
use crate::webhooks::emit::{emit, is_permanent, wanted};
use chrono::NaiveDateTime;
use serde_json::{json, Value};
use sqlx::SqliteConnection;
use std::collections::HashMap;

pub async fn user_json(
    conn: &mut SqliteConnection,
    id_user: i64,
    now: NaiveDateTime,
) -> Result<Value> {
    Ok(match users::get(conn, id_user, now).await? {
        Some(u) => serde_json::to_value(u)?,
        None => json!({"id": id_user}),
    })
}

/// The connection with its connector, sources and (all non-deleted) accounts; each account
/// carries the transactions new in `new_tx` when given.
async fn connection_full(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &Connection,
    new_tx: Option<&HashMap<i64, Vec<Value>>>,
) -> Result<Value> {
    let mut v = connection::connection_json(c);
    if let Some(k) = st.catalogue.connector_by_id(c.id_connector) {
        v["connector"] = connector_json(k, k.hidden, &[]);
    }
    v["sources"] = store::connections::sources(conn, c.id)
        .await?
        .iter()
        .map(connection::source_json)
        .collect();
    let accounts = store::accounts::of_connection(conn, c.id).await?;
    v["accounts"] = accounts
        .iter()
        .filter(|a| a.deleted.is_none())
        .map(|a| {
            let mut j = account::account_json(a, &st.catalogue);
            if let Some(m) = new_tx {
                j["transactions"] = Value::Array(m.get(&a.id).cloned().unwrap_or_default());
                j["investments"] = json!([]);
            }
            j
        })
        .collect();
    Ok(v)
}

/// The events of one sync: ACCOUNT_FOUND, ACCOUNTS_FETCHED, ACCOUNT_SYNCED,
/// ACCOUNT_CATEGORIZED and CONNECTION_SYNCED, in that order.
pub async fn sync_events(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &Connection,
    report: &Report,
    now: NaiveDateTime,
) -> Result<()> {
    if !is_permanent(conn, c.id_user).await? {
        return Ok(());
    }
    let cid = Some(c.id);
    for id in &report.found {
        if let Some(a) = store::accounts::get(conn, c.id_user, *id).await? {
            emit(
                conn,
                "ACCOUNT_FOUND",
                c.id_user,
                cid,
                &account::account_json(&a, &st.catalogue),
                now,
            )
            .await?;
        }
    }
    let user = user_json(conn, c.id_user, now).await?;
    if report.fetched && wanted(conn, "ACCOUNTS_FETCHED").await? {
        let payload =
            json!({"user": user, "connection": connection_full(conn, st, c, None).await?});
        emit(conn, "ACCOUNTS_FETCHED", c.id_user, cid, &payload, now).await?;
    }
    let heavy = wanted(conn, "ACCOUNT_SYNCED").await?
        || wanted(conn, "CONNECTION_SYNCED").await?
        || wanted(conn, "ACCOUNT_CATEGORIZED").await?;
    let mut new_tx: HashMap<i64, Vec<Value>> = HashMap::new();
    if heavy {
        for (id_account, ids) in &report.synced {
            let rows = store::transactions::by_ids(conn, ids).await?;
            new_tx.insert(
                *id_account,
                rows.iter()
                    .map(|t| transaction::transaction_json(t, &st.catalogue))
                    .collect(),
            );
        }
    }
    for (id_account, _) in &report.synced {
        let Some(a) = store::accounts::get(conn, c.id_user, *id_account).await? else {
            continue;
        };
        let txs = new_tx.get(id_account).cloned().unwrap_or_default();
        if wanted(conn, "ACCOUNT_SYNCED").await? {
            let mut payload = account::account_json(&a, &st.catalogue);
            payload["transactions"] = Value::Array(txs.clone());
            payload["investments"] = json!([]);
            emit(conn, "ACCOUNT_SYNCED", c.id_user, cid, &payload, now).await?;
        }
        if !txs.is_empty() && wanted(conn, "ACCOUNT_CATEGORIZED").await? {
            emit(
                conn,
                "ACCOUNT_CATEGORIZED",
                c.id_user,
                cid,
                &json!({"id_account": a.id, "transactions": txs}),
                now,
            )
            .await?;
        }
    }
    if wanted(conn, "CONNECTION_SYNCED").await? {
        let payload =
            json!({"user": user, "connection": connection_full(conn, st, c, Some(&new_tx)).await?});
        emit(conn, "CONNECTION_SYNCED", c.id_user, cid, &payload, now).await?;
    }
    Ok(())
}

/// ACCOUNT_ENABLED / ACCOUNT_DISABLED with the BankAccount.
pub async fn account_event(
    conn: &mut SqliteConnection,
    st: &AppState,
    event: &str,
    a: &store::accounts::Account,
    now: NaiveDateTime,
) -> Result<()> {
    emit(
        conn,
        event,
        a.id_user,
        Some(a.id_connection),
        &account::account_json(a, &st.catalogue),
        now,
    )
    .await?;
    Ok(())
}

pub async fn user_event(
    conn: &mut SqliteConnection,
    event: &str,
    id_user: i64,
    now: NaiveDateTime,
) -> Result<()> {
    let payload = user_json(conn, id_user, now).await?;
    emit(conn, event, id_user, None, &payload, now).await?;
    Ok(())
}

/// CONNECTION_DELETED: the Connection object, emitted before the delete cascades.
pub async fn connection_deleted(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &Connection,
    now: NaiveDateTime,
) -> Result<()> {
    let _ = st;
    emit(
        conn,
        "CONNECTION_DELETED",
        c.id_user,
        Some(c.id),
        &connection::connection_json(c),
        now,
    )
    .await?;
    Ok(())
}

/// ACCOUNT_SYNCED (and ACCOUNT_CATEGORIZED) for transactions fetched outside a connection
/// sync, such as the history fetched when the PSU enables an account.
pub async fn account_synced(
    conn: &mut SqliteConnection,
    st: &AppState,
    a: &store::accounts::Account,
    ids: &[i64],
    now: NaiveDateTime,
) -> Result<()> {
    let synced = wanted(conn, "ACCOUNT_SYNCED").await?;
    let categorized = !ids.is_empty() && wanted(conn, "ACCOUNT_CATEGORIZED").await?;
    if !synced && !categorized {
        return Ok(());
    }
    let rows = store::transactions::by_ids(conn, ids).await?;
    let txs: Vec<Value> = rows
        .iter()
        .map(|t| transaction::transaction_json(t, &st.catalogue))
        .collect();
    if synced {
        let mut payload = account::account_json(a, &st.catalogue);
        payload["transactions"] = Value::Array(txs.clone());
        payload["investments"] = json!([]);
        emit(
            conn,
            "ACCOUNT_SYNCED",
            a.id_user,
            Some(a.id_connection),
            &payload,
            now,
        )
        .await?;
    }
    if categorized {
        emit(
            conn,
            "ACCOUNT_CATEGORIZED",
            a.id_user,
            Some(a.id_connection),
            &json!({"id_account": a.id, "transactions": txs}),
            now,
        )
        .await?;
    }
    Ok(())
}

/// The payload `event` carries for this user's current data, built as the events of a real
/// sync are (the control plane's test events). `c` is the connection the connection and
/// account events are about; the account events take its first enabled account (else its
/// first one), and the synced ones carry the transactions of the latest sync. `Ok(None)`
/// when the event needs a connection or an account the user does not have.
pub async fn current_payload(
    conn: &mut SqliteConnection,
    st: &AppState,
    event: &str,
    id_user: i64,
    c: Option<&Connection>,
    now: NaiveDateTime,
) -> Result<Option<Value>> {
    if matches!(event, "USER_CREATED" | "USER_DELETED") {
        return Ok(Some(user_json(conn, id_user, now).await?));
    }
    let Some(c) = c else { return Ok(None) };
    let accounts: Vec<_> = store::accounts::of_connection(conn, c.id)
        .await?
        .into_iter()
        .filter(|a| a.deleted.is_none())
        .collect();
    let mut new_tx: HashMap<i64, Vec<Value>> = HashMap::new();
    for a in accounts.iter().filter(|a| a.disabled.is_none()) {
        let ids = store::transactions::last_scraped_ids(conn, a.id).await?;
        let rows = store::transactions::by_ids(conn, &ids).await?;
        new_tx.insert(
            a.id,
            rows.iter()
                .map(|t| transaction::transaction_json(t, &st.catalogue))
                .collect(),
        );
    }
    let payload = match event {
        "CONNECTION_DELETED" => connection::connection_json(c),
        "ACCOUNTS_FETCHED" | "CONNECTION_SYNCED" => {
            let txs = (event == "CONNECTION_SYNCED").then_some(&new_tx);
            let user = user_json(conn, id_user, now).await?;
            json!({"user": user, "connection": connection_full(conn, st, c, txs).await?})
        }
        _ => {
            let Some(a) = accounts
                .iter()
                .find(|a| a.disabled.is_none())
                .or(accounts.first())
            else {
                return Ok(None);
            };
            let txs = new_tx.get(&a.id).cloned().unwrap_or_default();
            match event {
                "ACCOUNT_SYNCED" => {
                    let mut payload = account::account_json(a, &st.catalogue);
                    payload["transactions"] = Value::Array(txs);
                    payload["investments"] = json!([]);
                    payload
                }
                "ACCOUNT_CATEGORIZED" => json!({"id_account": a.id, "transactions": txs}),
                _ => account::account_json(a, &st.catalogue),
            }
        }
    };
    Ok(Some(payload))
}
