//! Reading one account at the bank: discovering it (added disabled) and bringing an enabled
//! one up to date (balances, details, new transactions, bookings).

use crate::bank::accounts::BankAccount;
use crate::bank::categories::categorize;
use crate::bank::ledger::{self, Ctx};
use crate::error::Result;
use crate::model::catalogue::Connector;
use crate::model::format;
use crate::model::loan::Loan;
use crate::state::AppState;
use crate::store;
use crate::store::accounts::Account;
use crate::store::connections::Connection;
use crate::store::transactions::NewTransaction;
use crate::sync::login::bank_accounts;
use chrono::{Days, NaiveDateTime};
use rust_decimal::Decimal;
use sqlx::SqliteConnection;

/// A new account: added disabled, with only its identity, name, type and currency; the
/// rest is read once the PSU enables it ([`refresh`]).
pub(crate) async fn discover(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &Connection,
    id_source: i64,
    ba: &BankAccount,
    now: NaiveDateTime,
) -> Result<i64> {
    let id_type = st
        .catalogue
        .account_type_by_name(&ba.kind)
        .map(|t| t.id)
        .unwrap_or(0);
    let now_s = format::datetime(now);
    let row = Account {
        id: 0,
        id_user: c.id_user,
        id_connection: c.id,
        id_source: Some(id_source),
        bank_key: ba.key.clone(),
        webid: Some(ba.key.clone()),
        number: None,
        iban: None,
        bic: None,
        name: ba.name.clone(),
        original_name: ba.name.clone(),
        kind: ba.kind.clone(),
        id_type,
        currency: ba.currency.clone(),
        balance: None,
        coming: None,
        display: true,
        bookmarked: false,
        usage: None,
        company_name: None,
        opening_date: None,
        loan: None,
        created: now_s.clone(),
        last_update: None,
        disabled: Some(now_s),
        deleted: None,
        synced_until: None,
        nb_transactions: 0,
    };
    Ok(store::accounts::insert(conn, &row).await?)
}

/// Brings an enabled account up to date: balances, details, new transactions, bookings.
/// Returns the ids of the new transactions.
#[allow(clippy::too_many_arguments)]
pub async fn refresh(
    conn: &mut SqliteConnection,
    st: &AppState,
    connector: &Connector,
    c: &Connection,
    bank: &[BankAccount],
    row: &mut Account,
    ba: &BankAccount,
    now: NaiveDateTime,
) -> Result<Vec<i64>> {
    let ctx = Ctx::new(
        st.config.seed,
        connector.id,
        &c.login,
        connector.daily_transactions,
        bank,
    );
    let since = row.synced_until.as_deref().and_then(format::parse_datetime);
    let from = match since {
        Some(t) => t.date(),
        None => now
            .date()
            .checked_sub_days(Days::new(connector.history_days.max(0) as u64))
            .unwrap_or(now.date()),
    };
    let today = now.date();
    let changes = &c.bank;
    let mut rows: Vec<NewTransaction> = ledger::between(&ctx, ba, from, now)
        .into_iter()
        .filter(|t| since.is_none_or(|s| t.happened_at() > s))
        .map(|t| NewTransaction {
            id_category: categorize(t.kind, &t.original_wording, &t.simplified_wording),
            webid: t.key.clone(),
            bank_key: t.key.clone(),
            date: format::date(t.date),
            rdate: format::date(t.rdate),
            vdate: format::date(t.vdate),
            rdatetime: (t.kind == "card" || t.kind == "deferred_card")
                .then(|| format::datetime(t.happened_at())),
            value: t.value.to_string(),
            kind: t.kind.to_string(),
            stemmed_wording: t.stemmed(),
            original_wording: t.original_wording,
            simplified_wording: t.simplified_wording,
            wording: None,
            card: t.card,
            counterparty: t
                .counterparty
                .map(|cp| serde_json::to_string(&cp).unwrap_or_default()),
            coming: t.date > today,
        })
        .collect();
    let mut injected_total = Decimal::ZERO;
    for t in changes
        .injected
        .iter()
        .filter(|t| t.account == ba.key && t.at <= now)
    {
        if !t.coming {
            injected_total += t.value;
        }
        // Rows already fetched are skipped by their bank key, so an injection made in the
        // same second as the last sync still arrives.
        {
            let simplified = t
                .simplified_wording
                .clone()
                .unwrap_or_else(|| t.original_wording.clone());
            rows.push(NewTransaction {
                id_category: categorize(&t.kind, &t.original_wording, &simplified),
                webid: t.key.clone(),
                bank_key: t.key.clone(),
                date: format::date(t.date),
                rdate: format::date(t.rdate.unwrap_or(t.date)),
                vdate: format::date(t.vdate.unwrap_or(t.date)),
                rdatetime: None,
                value: t.value.to_string(),
                kind: t.kind.clone(),
                stemmed_wording: crate::bank::wordings::stem(&simplified),
                original_wording: t.original_wording.clone(),
                simplified_wording: simplified,
                wording: t.display_wording.clone(),
                card: t.card.clone(),
                counterparty: t
                    .counterparty
                    .as_ref()
                    .map(|cp| serde_json::to_string(cp).unwrap_or_default()),
                coming: t.coming,
            });
        }
    }
    // What the bank deleted is no longer there to fetch; what it changed is applied below.
    let edits: Vec<_> = changes
        .edits
        .iter()
        .filter(|e| e.account == ba.key)
        .collect();
    rows.retain(|r| !edits.iter().any(|e| e.deleted && e.key == r.bank_key));
    let ids = store::transactions::insert_new(conn, c.id_user, c.id, row.id, &rows, now).await?;
    let mut edited_total = Decimal::ZERO;
    for e in &edits {
        if e.deleted {
            edited_total -= e.value_before;
            store::transactions::delete_at_bank(conn, row.id, &e.key, now).await?;
        } else if !e.amended.is_empty() {
            edited_total += e
                .amended
                .value
                .map_or(Decimal::ZERO, |v| v - e.value_before);
            let a = &e.amended;
            let values = store::transactions::BankValues {
                date: a.date.map(format::date),
                rdate: a.rdate.map(format::date),
                vdate: a.vdate.map(format::date),
                value: a.value.map(|v| v.to_string()),
                original_wording: a.original_wording.clone(),
                stemmed_wording: a
                    .simplified_wording
                    .as_deref()
                    .map(crate::bank::wordings::stem),
                simplified_wording: a.simplified_wording.clone(),
                kind: a.kind.clone(),
                coming: a.coming,
                card: a.card.clone(),
            };
            store::transactions::amend_at_bank(conn, row.id, &e.key, &values, now).await?;
        }
    }
    store::transactions::book_due(conn, row.id, now).await?;
    let (balance, coming) = ledger::balance(&ctx, ba, now);
    row.balance = Some((balance + injected_total + edited_total).to_string());
    row.coming = Some(coming.to_string());
    row.number = Some(ba.number.clone());
    // The bank's usage until the PSU chooses another.
    if row.usage.is_none() {
        row.usage = Some(ba.usage.clone());
    }
    row.iban = ba.iban.clone();
    row.bic = ba.bic.clone();
    row.opening_date = Some(format::date(ba.opening_date));
    row.loan = ba
        .loan
        .as_ref()
        .map(|l| serde_json::to_string(&Loan::at(l, now)).expect("a loan serializes"));
    // Investment accounts: their lines and orders; the balance is their valuation.
    crate::sync::wealth::refresh(conn, st.config.seed, connector, c, row, ba, now).await?;
    row.last_update = Some(format::datetime(now));
    row.synced_until = Some(format::datetime(now));
    Ok(ids)
}

/// Fetches one account right away (after the PSU enabled it), if the bank still has it.
pub async fn fetch_account(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &Connection,
    row: &mut Account,
    now: NaiveDateTime,
) -> Result<Vec<i64>> {
    let Some(connector) = st.catalogue.connector_by_id(c.id_connector) else {
        return Ok(vec![]);
    };
    let bank = bank_accounts(st, connector, c);
    match bank.iter().find(|b| b.key == row.bank_key) {
        Some(ba) => refresh(conn, st, connector, c, &bank, row, ba, now).await,
        None => Ok(vec![]),
    }
}
