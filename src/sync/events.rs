//! The documented events of the lifecycle and their payloads, built from the same model
//! types as the API's answers ([`crate::model::webhook_payloads`]), queued in the caller's
//! transaction.

use crate::error::Result;
use crate::model::account::BankAccount;
use crate::model::connection::Connection as ConnectionView;
use crate::model::connector::Connector;
use crate::model::document::SubscriptionFoundPayload;
use crate::model::investment::InvestmentWithPockets;
use crate::model::market_order::MarketOrder;
use crate::model::transaction::Transaction;
use crate::model::webhook_payloads::{
    AccountCategorizedPayload, AccountSyncedPayload, AccountsFetchedPayload,
    ConnectionSyncedPayload, PayloadUser, SyncedAccount, SyncedConnection,
};
use crate::state::AppState;
use crate::store::{self, accounts::Account, connection_views, connections::Connection, users};
use crate::sync::report::Report;
use crate::sync::subscription_events;
use crate::sync::wealth::Floor;
use crate::webhooks::emit::{emit, is_permanent, wanted};
use chrono::NaiveDateTime;
use serde::Serialize;
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// Queues `event` with its typed payload.
async fn queue(
    conn: &mut SqliteConnection,
    event: &str,
    id_user: i64,
    id_connection: Option<i64>,
    payload: &impl Serialize,
    now: NaiveDateTime,
) -> Result<()> {
    let payload = serde_json::to_value(payload)?;
    emit(conn, event, id_user, id_connection, &payload, now).await?;
    Ok(())
}

async fn user(
    conn: &mut SqliteConnection,
    id_user: i64,
    now: NaiveDateTime,
) -> Result<PayloadUser> {
    Ok(match users::get(conn, id_user, now).await? {
        Some(u) => PayloadUser::User(u),
        None => PayloadUser::Id { id: id_user },
    })
}

fn account(st: &AppState, a: &Account) -> Result<BankAccount> {
    Ok(a.to_model(st.catalogue.currency(&a.currency))?)
}

async fn transactions(
    conn: &mut SqliteConnection,
    st: &AppState,
    ids: &[i64],
) -> Result<Vec<Transaction>> {
    let rows = store::transactions::by_ids(conn, ids).await?;
    Ok(rows
        .iter()
        .map(|t| t.to_model(st.catalogue.currency(&t.currency)))
        .collect::<sqlx::Result<_>>()?)
}

/// The lines and orders of the account above `floor` (those a sync added), the lines with
/// their pockets above it.
async fn new_wealth(
    conn: &mut SqliteConnection,
    id_account: i64,
    floor: Floor,
) -> Result<(Vec<InvestmentWithPockets>, Vec<MarketOrder>)> {
    let mut lines = Vec::new();
    for r in store::investments::added_since(conn, id_account, floor.investments).await? {
        let pockets = store::investments::pockets_of(conn, r.id)
            .await?
            .iter()
            .filter(|p| p.id > floor.pockets)
            .map(|p| p.to_model())
            .collect();
        lines.push(InvestmentWithPockets {
            investment: r.to_model(),
            pockets,
        });
    }
    let orders = store::market_orders::added_since(conn, id_account, floor.orders)
        .await?
        .iter()
        .map(|o| o.to_model())
        .collect();
    Ok((lines, orders))
}

/// The connection with its connector and the enabled sources (every enabled source is
/// tried by a sync), without accounts.
async fn synced_connection(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &Connection,
) -> Result<ConnectionView> {
    let mut v = connection_views::connection(c);
    v.connector = st
        .catalogue
        .connector_by_id(c.id_connector)
        .map(|k| Connector::new(k, k.hidden, &[]));
    v.sources = Some(
        connection_views::sources(
            conn,
            st.catalogue.connector_by_id(c.id_connector),
            c.id,
            false,
        )
        .await?,
    );
    Ok(v)
}

/// The accounts this sync refreshed (enabled, still at the bank), in the API's order.
async fn synced_accounts(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &Connection,
    report: &Report,
) -> Result<Vec<BankAccount>> {
    store::accounts::of_connection(conn, c.id)
        .await?
        .iter()
        .filter(|a| report.synced.iter().any(|(id, _)| *id == a.id))
        .map(|a| account(st, a))
        .collect()
}

/// The events of one sync: ACCOUNT_FOUND, ACCOUNTS_FETCHED, ACCOUNT_SYNCED,
/// ACCOUNT_CATEGORIZED and CONNECTION_SYNCED, in that order. The connection events list the
/// enabled sources and accounts that were synced, as the docs say: the accounts a sync has
/// just found are disabled until the PSU consents, so the first sync lists none.
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
            let payload = account(st, &a)?;
            queue(conn, "ACCOUNT_FOUND", c.id_user, cid, &payload, now).await?;
        }
    }
    subscription_events::found(conn, c.id_user, c.id, report, now).await?;
    let user = user(conn, c.id_user, now).await?;
    if report.fetched && wanted(conn, "ACCOUNTS_FETCHED").await? {
        let mut connection = synced_connection(conn, st, c).await?;
        connection.accounts = Some(synced_accounts(conn, st, c, report).await?);
        let payload = AccountsFetchedPayload {
            user: user.clone(),
            connection,
        };
        queue(conn, "ACCOUNTS_FETCHED", c.id_user, cid, &payload, now).await?;
    }
    let heavy = wanted(conn, "ACCOUNT_SYNCED").await?
        || wanted(conn, "CONNECTION_SYNCED").await?
        || wanted(conn, "ACCOUNT_CATEGORIZED").await?;
    let mut new_tx: HashMap<i64, Vec<Transaction>> = HashMap::new();
    if heavy {
        for (id_account, ids) in &report.synced {
            new_tx.insert(*id_account, transactions(conn, st, ids).await?);
        }
    }
    let mut new_wealth_of = HashMap::new();
    for (id_account, _) in &report.synced {
        new_wealth_of.insert(
            *id_account,
            new_wealth(conn, *id_account, report.wealth).await?,
        );
    }
    for (id_account, _) in &report.synced {
        let Some(a) = store::accounts::get(conn, c.id_user, *id_account).await? else {
            continue;
        };
        let txs = new_tx.get(id_account).cloned().unwrap_or_default();
        let lines = new_wealth_of
            .get(id_account)
            .map(|w| w.0.clone())
            .unwrap_or_default();
        account_events(conn, st, &a, txs, lines, now).await?;
    }
    subscription_events::synced_events(conn, st, c.id_user, report, now).await?;
    if wanted(conn, "CONNECTION_SYNCED").await? {
        let accounts = synced_accounts(conn, st, c, report)
            .await?
            .into_iter()
            .map(|account| {
                let (investments, market_orders) =
                    new_wealth_of.remove(&account.id).unwrap_or_default();
                SyncedAccount {
                    transactions: new_tx.remove(&account.id).unwrap_or_default(),
                    account,
                    investments,
                    market_orders,
                }
            })
            .collect();
        let payload = ConnectionSyncedPayload {
            user,
            connection: SyncedConnection {
                connection: synced_connection(conn, st, c).await?,
                accounts,
                subscriptions: subscription_events::synced_subscriptions(
                    conn, st, c.id_user, report,
                )
                .await?,
            },
        };
        queue(conn, "CONNECTION_SYNCED", c.id_user, cid, &payload, now).await?;
    }
    Ok(())
}

/// ACCOUNT_SYNCED, then ACCOUNT_CATEGORIZED when there are new transactions.
async fn account_events(
    conn: &mut SqliteConnection,
    st: &AppState,
    a: &Account,
    transactions: Vec<Transaction>,
    investments: Vec<InvestmentWithPockets>,
    now: NaiveDateTime,
) -> Result<()> {
    let cid = Some(a.id_connection);
    if wanted(conn, "ACCOUNT_SYNCED").await? {
        let payload = AccountSyncedPayload {
            account: account(st, a)?,
            transactions: transactions.clone(),
            investments,
        };
        queue(conn, "ACCOUNT_SYNCED", a.id_user, cid, &payload, now).await?;
    }
    if !transactions.is_empty() && wanted(conn, "ACCOUNT_CATEGORIZED").await? {
        let payload = AccountCategorizedPayload {
            id_account: a.id,
            transactions: categorized(&st.catalogue, transactions),
        };
        queue(conn, "ACCOUNT_CATEGORIZED", a.id_user, cid, &payload, now).await?;
    }
    Ok(())
}

/// The transactions as ACCOUNT_CATEGORIZED carries them: with their categories.
pub(crate) fn categorized(
    cat: &crate::catalogue::Catalogue,
    mut txs: Vec<Transaction>,
) -> Vec<Transaction> {
    for t in &mut txs {
        let id = t
            .id_category
            .unwrap_or(crate::model::transaction::DEFAULT_CATEGORY);
        t.categories = Some(cat.transaction_category(id).into_iter().collect());
    }
    txs
}

/// ACCOUNT_ENABLED / ACCOUNT_DISABLED with the BankAccount.
pub async fn account_event(
    conn: &mut SqliteConnection,
    st: &AppState,
    event: &str,
    a: &Account,
    now: NaiveDateTime,
) -> Result<()> {
    let payload = account(st, a)?;
    queue(conn, event, a.id_user, Some(a.id_connection), &payload, now).await
}

/// USER_CREATED / USER_DELETED with the User object.
pub async fn user_event(
    conn: &mut SqliteConnection,
    event: &str,
    id_user: i64,
    now: NaiveDateTime,
) -> Result<()> {
    let payload = user(conn, id_user, now).await?;
    queue(conn, event, id_user, None, &payload, now).await
}

/// CONNECTION_DELETED: the Connection object, emitted before the delete cascades.
pub async fn connection_deleted(
    conn: &mut SqliteConnection,
    c: &Connection,
    now: NaiveDateTime,
) -> Result<()> {
    let payload = connection_views::connection(c);
    queue(
        conn,
        "CONNECTION_DELETED",
        c.id_user,
        Some(c.id),
        &payload,
        now,
    )
    .await
}

/// ACCOUNT_SYNCED (and ACCOUNT_CATEGORIZED) for transactions fetched outside a connection
/// sync, such as the history fetched when the PSU enables an account.
pub async fn account_synced(
    conn: &mut SqliteConnection,
    st: &AppState,
    a: &Account,
    ids: &[i64],
    floor: Floor,
    now: NaiveDateTime,
) -> Result<()> {
    let synced = wanted(conn, "ACCOUNT_SYNCED").await?;
    let categorized = !ids.is_empty() && wanted(conn, "ACCOUNT_CATEGORIZED").await?;
    if !synced && !categorized {
        return Ok(());
    }
    let txs = transactions(conn, st, ids).await?;
    let (lines, _) = new_wealth(conn, a.id, floor).await?;
    account_events(conn, st, a, txs, lines, now).await
}

/// SUBSCRIPTION_FOUND of the connection's last subscription; SUBSCRIPTION_SYNCED of its
/// first enabled one with the documents its last sync stored. `None` without one.
async fn subscription_payload(
    conn: &mut SqliteConnection,
    st: &AppState,
    event: &str,
    c: &Connection,
) -> Result<Option<serde_json::Value>> {
    let subs: Vec<_> = store::subscriptions::of_connection(conn, c.id)
        .await?
        .into_iter()
        .filter(|s| s.deleted.is_none())
        .collect();
    if event == "SUBSCRIPTION_FOUND" {
        let Some(s) = subs.last() else {
            return Ok(None);
        };
        return Ok(Some(serde_json::to_value(SubscriptionFoundPayload {
            id: s.id,
            id_user: s.id_user,
            id_connection: s.id_connection,
        })?));
    }
    let Some(s) = subs.iter().find(|s| s.disabled.is_none()) else {
        return Ok(None);
    };
    let ids: Vec<i64> = store::documents::last_stored(conn, s.id)
        .await?
        .iter()
        .map(|d| d.id)
        .collect();
    let synced = subscription_events::synced(conn, st, s, &ids).await?;
    Ok(Some(serde_json::to_value(synced)?))
}

/// The payload `event` carries for this user's current data, built as the events of a real
/// sync are (the control plane's test events). `c` is the connection the connection and
/// account events are about; the account events take its first enabled account (else its
/// first one), and the synced ones carry the transactions of the latest sync; the
/// subscription events take its subscriptions. `Ok(None)` when the event needs a
/// connection, an account or a subscription the user does not have.
pub async fn current_payload(
    conn: &mut SqliteConnection,
    st: &AppState,
    event: &str,
    id_user: i64,
    c: Option<&Connection>,
    now: NaiveDateTime,
) -> Result<Option<serde_json::Value>> {
    if matches!(event, "USER_CREATED" | "USER_DELETED") {
        return Ok(Some(serde_json::to_value(user(conn, id_user, now).await?)?));
    }
    let Some(c) = c else { return Ok(None) };
    if matches!(event, "SUBSCRIPTION_FOUND" | "SUBSCRIPTION_SYNCED") {
        return subscription_payload(conn, st, event, c).await;
    }
    let accounts: Vec<Account> = store::accounts::of_connection(conn, c.id)
        .await?
        .into_iter()
        .filter(|a| a.deleted.is_none())
        .collect();
    let enabled: Vec<&Account> = accounts.iter().filter(|a| a.disabled.is_none()).collect();
    let mut new_tx: HashMap<i64, Vec<Transaction>> = HashMap::new();
    for a in &enabled {
        let ids = store::transactions::last_scraped_ids(conn, a.id).await?;
        new_tx.insert(a.id, transactions(conn, st, &ids).await?);
    }
    let value = match event {
        "CONNECTION_DELETED" => serde_json::to_value(connection_views::connection(c))?,
        "ACCOUNTS_FETCHED" => {
            let mut connection = synced_connection(conn, st, c).await?;
            connection.accounts = Some(
                enabled
                    .iter()
                    .map(|a| account(st, a))
                    .collect::<Result<_>>()?,
            );
            let user = user(conn, id_user, now).await?;
            serde_json::to_value(AccountsFetchedPayload { user, connection })?
        }
        "CONNECTION_SYNCED" => {
            let mut synced = Vec::new();
            for a in &enabled {
                let (investments, market_orders) = new_wealth(conn, a.id, Floor::default()).await?;
                synced.push(SyncedAccount {
                    account: account(st, a)?,
                    transactions: new_tx.remove(&a.id).unwrap_or_default(),
                    investments,
                    market_orders,
                });
            }
            let payload = ConnectionSyncedPayload {
                user: user(conn, id_user, now).await?,
                connection: SyncedConnection {
                    connection: synced_connection(conn, st, c).await?,
                    accounts: synced,
                    subscriptions: vec![],
                },
            };
            serde_json::to_value(payload)?
        }
        _ => {
            let Some(a) = enabled.first().copied().or(accounts.first()) else {
                return Ok(None);
            };
            let txs = new_tx.remove(&a.id).unwrap_or_default();
            let (investments, _) = new_wealth(conn, a.id, Floor::default()).await?;
            match event {
                "ACCOUNT_SYNCED" => serde_json::to_value(AccountSyncedPayload {
                    account: account(st, a)?,
                    transactions: txs,
                    investments,
                })?,
                "ACCOUNT_CATEGORIZED" => serde_json::to_value(AccountCategorizedPayload {
                    id_account: a.id,
                    transactions: categorized(&st.catalogue, txs),
                })?,
                _ => serde_json::to_value(account(st, a)?)?,
            }
        }
    };
    Ok(Some(value))
}
