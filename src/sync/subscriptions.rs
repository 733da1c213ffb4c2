//! The Bill product's lifecycle rules, applied by a sync and by the PSU's consent:
//! - a newly discovered subscription is added **disabled** (SUBSCRIPTION_FOUND);
//! - one no longer at the provider gets its `deleted` date;
//! - enabled ones get the documents issued since (first fetch: up to a year back);
//! - enabling one fetches its documents at once; disabling one deletes them;
//! - deleting the connection removes them all (foreign keys).

use crate::bank::accounts::{currency_for, BankAccount};
use crate::bank::changes::InjectedDocument;
use crate::bank::documents::{self, BankDocument, BankSubscription};
use crate::bank::ledger::Ctx;
use crate::error::Result;
use crate::model::catalogue::Connector;
use crate::model::format;
use crate::state::AppState;
use crate::store::connections::{Connection, Source};
use crate::store::documents::{self as docs, NewDocument};
use crate::store::subscriptions::{self, SubscriptionRow};
use crate::sync::login::bank_accounts;
use crate::sync::outcome::Outcome;
use crate::sync::report::Report;
use crate::sync::sources::owner;
use chrono::NaiveDateTime;
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// The source a subscription is read through: the one holding checking accounts for
/// statements, else the first enabled source.
fn source_of<'a>(
    connector: &Connector,
    sources: &'a [Source],
    sub: &BankSubscription,
) -> Option<&'a Source> {
    match &sub.kind {
        documents::SubscriptionKind::Statements { .. } => owner(connector, sources, "checking"),
        documents::SubscriptionKind::Bill { .. } => sources.iter().find(|s| s.disabled.is_none()),
    }
}

/// The subscriptions step of a sync, for the sources that answered.
#[allow(clippy::too_many_arguments)]
pub async fn sync_subscriptions(
    conn: &mut SqliteConnection,
    st: &AppState,
    connector: &Connector,
    c: &Connection,
    sources: &[Source],
    outcomes: &HashMap<i64, Outcome>,
    bank: &[BankAccount],
    report: &mut Report,
    now: NaiveDateTime,
) -> Result<()> {
    let at_bank = documents::subscriptions(st.config.seed, connector, &c.login, bank);
    let existing = subscriptions::of_connection(conn, c.id).await?;
    let now_s = format::datetime(now);
    for bs in &at_bank {
        let Some(src) = source_of(connector, sources, bs) else {
            continue;
        };
        if outcomes.get(&src.id) != Some(&Outcome::Ok) {
            continue;
        }
        match existing.iter().find(|r| r.bank_key == bs.key) {
            None => {
                let row = SubscriptionRow {
                    id: 0,
                    id_user: c.id_user,
                    id_connection: c.id,
                    id_source: Some(src.id),
                    bank_key: bs.key.clone(),
                    number: Some(bs.number.clone()),
                    label: bs.label.clone(),
                    subscriber: Some(bs.subscriber.clone()),
                    validity: bs.validity.map(format::date),
                    renewdate: bs.renewdate.map(format::date),
                    last_update: None,
                    deleted: None,
                    disabled: Some(now_s.clone()),
                    error: None,
                    synced_until: None,
                };
                report
                    .subscriptions_found
                    .push(subscriptions::insert(conn, &row).await?);
            }
            Some(row) => {
                let mut row = row.clone();
                row.id_source = Some(src.id);
                row.deleted = None;
                if row.disabled.is_none() {
                    let ids = fetch(conn, st, connector, c, bank, &mut row, bs, now).await?;
                    report.subscriptions_synced.push((row.id, ids));
                }
                subscriptions::save(conn, &row).await?;
            }
        }
    }
    for row in &existing {
        let gone = !at_bank.iter().any(|b| b.key == row.bank_key);
        let answered = row
            .id_source
            .is_some_and(|s| outcomes.get(&s) == Some(&Outcome::Ok));
        if gone && answered && row.deleted.is_none() {
            let mut row = row.clone();
            row.deleted = Some(now_s.clone());
            subscriptions::save(conn, &row).await?;
        }
    }
    Ok(())
}

/// A document as stored, with its rendered file.
fn new_document(d: &BankDocument) -> NewDocument {
    NewDocument {
        bank_key: d.key.clone(),
        id_type: d.id_type,
        name: d.name.clone(),
        date: format::date(d.date),
        duedate: d.duedate.map(format::date),
        total_amount: d.total_amount.map(|v| v.to_string()),
        untaxed_amount: d.untaxed_amount.map(|v| v.to_string()),
        vat: d.vat.map(|v| v.to_string()),
        income: d.income,
        number: Some(d.number.clone()),
        issuer: Some(d.issuer.clone()),
        currency: Some(d.currency.clone()),
        filename: d.filename(),
        content_type: "application/pdf".into(),
        bytes: d.pdf(),
    }
}

/// The documents QA injected for this subscription, as the provider shows them.
fn injected(
    connector: &Connector,
    sub: &BankSubscription,
    list: &[InjectedDocument],
    currency: &str,
    now: NaiveDateTime,
) -> Vec<BankDocument> {
    list.iter()
        .filter(|d| d.subscription == sub.key && d.at <= now)
        .map(|d| documents::injected(connector, sub, d, currency))
        .collect()
}

/// Stores the documents of an enabled subscription issued by `now` that are not stored yet;
/// returns their ids.
#[allow(clippy::too_many_arguments)]
pub async fn fetch(
    conn: &mut SqliteConnection,
    st: &AppState,
    connector: &Connector,
    c: &Connection,
    bank: &[BankAccount],
    row: &mut SubscriptionRow,
    bs: &BankSubscription,
    now: NaiveDateTime,
) -> Result<Vec<i64>> {
    let ctx = Ctx::new(
        st.config.seed,
        connector.id,
        &c.login,
        connector.daily_transactions,
        bank,
    );
    let stored = docs::keys(conn, row.id).await?;
    let currency = currency_for(connector);
    let mut found = documents::documents(&ctx, connector, bs, currency, now, |k| {
        stored.iter().any(|s| s == k)
    });
    found.extend(
        injected(connector, bs, &c.bank.documents, currency, now)
            .into_iter()
            .filter(|d| !stored.contains(&d.key)),
    );
    let now_s = format::datetime(now);
    let mut ids = Vec::new();
    for d in &found {
        if let Some(id) =
            docs::insert(conn, c.id_user, c.id, row.id, &new_document(d), &now_s).await?
        {
            ids.push(id);
        }
    }
    row.last_update = Some(now_s.clone());
    row.synced_until = Some(now_s);
    Ok(ids)
}

/// The PSU consents to the subscription: it is enabled and its documents fetched at once.
/// Returns the new documents' ids.
pub async fn enable_subscription(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &Connection,
    row: &mut SubscriptionRow,
    now: NaiveDateTime,
) -> Result<Vec<i64>> {
    if row.disabled.is_none() {
        return Ok(vec![]);
    }
    row.disabled = None;
    let mut ids = vec![];
    if let Some(connector) = st.catalogue.connector_by_id(c.id_connector) {
        let bank = bank_accounts(st, connector, c);
        let at_bank = documents::subscriptions(st.config.seed, connector, &c.login, &bank);
        if let Some(bs) = at_bank.iter().find(|b| b.key == row.bank_key) {
            ids = fetch(conn, st, connector, c, &bank, row, bs, now).await?;
        }
    }
    subscriptions::save(conn, row).await?;
    crate::sync::subscription_events::subscription_synced(conn, st, row, &ids, now).await?;
    Ok(ids)
}

/// The PSU withdraws consent: the subscription is disabled and its documents deleted.
pub async fn disable_subscription(
    conn: &mut SqliteConnection,
    row: &mut SubscriptionRow,
    now: NaiveDateTime,
) -> Result<()> {
    if row.disabled.is_some() {
        return Ok(());
    }
    row.disabled = Some(format::datetime(now));
    row.synced_until = None;
    docs::delete_of_subscription(conn, row.id).await?;
    subscriptions::save(conn, row).await?;
    Ok(())
}
