//! The sample payloads of test events fired without a user, as Powens' console "send a test
//! webhook" does: a sample user with one connection to the test connector, one enabled
//! checking account and one transaction, rendered through the same model types as real
//! events. Ids are fixed, so the same request gives the same bytes.

use crate::catalogue::Catalogue;
use crate::error::Result;
use crate::model::connector::Connector;
use crate::model::document::{SubscriptionFoundPayload, SyncedSubscription, BILL};
use crate::model::format;
use crate::model::user::User;
use crate::model::webhook_payloads::{
    AccountCategorizedPayload, AccountSyncedPayload, AccountsFetchedPayload,
    ConnectionSyncedPayload, PayloadUser, SyncedAccount, SyncedConnection,
};
use crate::store::accounts::Account;
use crate::store::connection_views as views;
use crate::store::connections::{Connection, Source};
use crate::store::documents::DocumentRow;
use crate::store::json_text::JsonText;
use crate::store::subscriptions::SubscriptionRow;
use crate::store::transactions::Transaction;
use chrono::NaiveDateTime;
use serde_json::Value;

/// The sample user's, connection's, account's and transaction's id.
pub const SAMPLE_ID: i64 = 1;
/// The test connector the sample connection belongs to.
const TEST_CONNECTOR: i64 = 40;

fn user(id: i64, now: NaiveDateTime) -> User {
    User {
        id,
        signin: format::DateTime(now),
        platform: "sharedAccess".into(),
    }
}

fn connection(cat: &Catalogue, ids: Ids, now: &str) -> Connection {
    let uuid = cat
        .connector_by_id(TEST_CONNECTOR)
        .map(|k| k.uuid.clone())
        .unwrap_or_default();
    Connection {
        id: ids.connection,
        id_user: ids.user,
        id_connector: TEST_CONNECTOR,
        connector_uuid: uuid,
        login: "sample".into(),
        credentials: JsonText::default(),
        state: None,
        error_message: None,
        fields: None,
        active: true,
        created: now.into(),
        last_update: Some(now.into()),
        last_push: None,
        expire: None,
        next_try: None,
        bank: JsonText::default(),
        pending: None,
    }
}

fn source(cat: &Catalogue, ids: Ids, now: &str) -> Option<Source> {
    let k = cat.connector_by_id(TEST_CONNECTOR)?;
    let s = k.sources.iter().find(|s| s.disabled.is_none())?;
    Some(Source {
        id: SAMPLE_ID,
        id_connection: ids.connection,
        id_connector_source: s.id,
        name: s.name.clone(),
        priority: s.priority,
        state: None,
        error_message: None,
        created: now.into(),
        last_update: Some(now.into()),
        disabled: None,
        access_expire: None,
        expire: None,
        next_try: None,
    })
}

fn bank_account(cat: &Catalogue, ids: Ids, now: &str) -> Account {
    let id_type = cat.account_type_by_name("checking").map_or(1, |t| t.id);
    Account {
        id: SAMPLE_ID,
        id_user: ids.user,
        id_connection: ids.connection,
        id_source: Some(SAMPLE_ID),
        bank_key: "sample".into(),
        webid: Some("sample-checking".into()),
        number: Some("3002900000".into()),
        iban: Some("FR7630004000031234567890143".into()),
        bic: Some("BNPAFRPP".into()),
        name: "Compte chèque".into(),
        original_name: "Compte chèque".into(),
        kind: "checking".into(),
        id_type,
        currency: "EUR".into(),
        balance: Some("1523.47".into()),
        coming: Some("-42.50".into()),
        display: true,
        bookmarked: false,
        usage: Some("PRIV".into()),
        company_name: None,
        opening_date: None,
        loan: None,
        created: now.into(),
        last_update: Some(now.into()),
        disabled: None,
        deleted: None,
        synced_until: Some(now.into()),
        nb_transactions: 1,
    }
}

fn transaction(now: &str) -> Transaction {
    let day = now.get(..10).unwrap_or(now).to_string();
    Transaction {
        id: SAMPLE_ID,
        id_account: SAMPLE_ID,
        webid: None,
        application_date: day.clone(),
        date: day.clone(),
        rdate: day.clone(),
        vdate: Some(day),
        rdatetime: None,
        value: "-42.50".into(),
        kind: "card".into(),
        original_wording: "CB CARREFOUR MARKET".into(),
        simplified_wording: "CARREFOUR MARKET".into(),
        stemmed_wording: "CARREFOUR MARKET".into(),
        wording: None,
        card: Some("XXXXXXXXXXXX1234".into()),
        counterparty: None,
        coming: false,
        active: true,
        comment: None,
        date_scraped: now.into(),
        last_update: now.into(),
        deleted: None,
        currency: "EUR".into(),
        id_category: crate::bank::categories::categorize(
            "card",
            "CB CARREFOUR MARKET",
            "CARREFOUR MARKET",
        ),
    }
}

fn subscription(ids: Ids, now: &str) -> SubscriptionRow {
    SubscriptionRow {
        id: SAMPLE_ID,
        id_user: ids.user,
        id_connection: ids.connection,
        id_source: Some(SAMPLE_ID),
        bank_key: "sample".into(),
        number: Some("0612345678".into()),
        label: "Forfait mobile".into(),
        subscriber: Some("M. Sample".into()),
        validity: None,
        renewdate: None,
        last_update: Some(now.into()),
        deleted: None,
        disabled: None,
        error: None,
        synced_until: Some(now.into()),
    }
}

/// The sample subscription's one bill, dated the day of `now`, with its file.
fn document(ids: Ids, now: &str) -> DocumentRow {
    let day = now.get(..10).unwrap_or(now).to_string();
    DocumentRow {
        id: SAMPLE_ID,
        id_user: ids.user,
        id_connection: ids.connection,
        id_subscription: SAMPLE_ID,
        bank_key: "sample".into(),
        id_type: BILL,
        name: Some("Facture mobile".into()),
        date: day.clone(),
        duedate: Some(day),
        timestamp: now.into(),
        total_amount: Some("19.99".into()),
        untaxed_amount: Some("16.66".into()),
        vat: Some("20".into()),
        income: false,
        readonly: true,
        number: Some("F-0001".into()),
        issuer: Some("Onde Télécom".into()),
        last_update: Some(now.into()),
        currency: Some("EUR".into()),
        id_file: Some(SAMPLE_ID),
    }
}

/// Whose the sample is: the sample user's and connection's ids, or a real user's (and the
/// connection id a test event names) when that user has no data for the event.
#[derive(Clone, Copy)]
pub struct Ids {
    pub user: i64,
    pub connection: i64,
}

impl Default for Ids {
    fn default() -> Self {
        Ids {
            user: SAMPLE_ID,
            connection: SAMPLE_ID,
        }
    }
}

/// The sample payload of `event` (one of the documented events) at `now`; a document's file
/// URL is under `base`.
pub fn payload(
    cat: &Catalogue,
    base: &str,
    event: &str,
    ids: Ids,
    at: NaiveDateTime,
) -> Result<Value> {
    let now = format::datetime(at);
    let now = now.as_str();
    let c = connection(cat, ids, now);
    let connector = cat.connector_by_id(c.id_connector);
    let account_of = |a: &Account| a.to_model(cat.currency(&a.currency));
    let a = bank_account(cat, ids, now);
    let t = transaction(now);
    let txs = vec![t.to_model(cat.currency(&t.currency))?];
    let with_sources = || {
        let mut v = views::connection(&c);
        v.connector = connector.map(|k| Connector::new(k, k.hidden, &[]));
        v.sources = Some(
            source(cat, ids, now)
                .iter()
                .map(|s| views::source(connector, s))
                .collect(),
        );
        v
    };
    let value = match event {
        "USER_CREATED" | "USER_DELETED" => serde_json::to_value(user(ids.user, at))?,
        "CONNECTION_DELETED" => serde_json::to_value(views::connection(&c))?,
        "ACCOUNTS_FETCHED" => {
            let mut connection = with_sources();
            connection.accounts = Some(vec![account_of(&a)?]);
            serde_json::to_value(AccountsFetchedPayload {
                user: PayloadUser::User(user(ids.user, at)),
                connection,
            })?
        }
        "CONNECTION_SYNCED" => serde_json::to_value(ConnectionSyncedPayload {
            user: PayloadUser::User(user(ids.user, at)),
            connection: SyncedConnection {
                connection: with_sources(),
                accounts: vec![SyncedAccount {
                    account: account_of(&a)?,
                    transactions: txs,
                    investments: vec![],
                    market_orders: vec![],
                }],
                subscriptions: vec![],
            },
        })?,
        "ACCOUNT_SYNCED" => serde_json::to_value(AccountSyncedPayload {
            account: account_of(&a)?,
            transactions: txs,
            investments: vec![],
        })?,
        "ACCOUNT_CATEGORIZED" => serde_json::to_value(AccountCategorizedPayload {
            id_account: a.id,
            transactions: crate::sync::events::categorized(cat, txs),
        })?,
        "SUBSCRIPTION_FOUND" => serde_json::to_value(SubscriptionFoundPayload {
            id: SAMPLE_ID,
            id_user: ids.user,
            id_connection: ids.connection,
        })?,
        "SUBSCRIPTION_SYNCED" => {
            let d = document(ids, now);
            serde_json::to_value(SyncedSubscription {
                subscription: subscription(ids, now).to_model()?,
                documents: vec![d.to_model(base, cat.currency("EUR"))?],
            })?
        }
        "ACCOUNT_FOUND" | "ACCOUNT_DISABLED" => {
            let mut found = a.clone();
            found.disabled = Some(now.into());
            serde_json::to_value(account_of(&found)?)?
        }
        _ => serde_json::to_value(account_of(&a)?)?,
    };
    Ok(value)
}
