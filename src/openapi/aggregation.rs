//! The aggregated data as the sandbox sends it: bank accounts, transactions, and the bodies
//! that change them. Connections, their sources and logs are typed in `crate::model`.

#![allow(dead_code)]

use super::schemas::{AccountCurrency, Date, DateTime, Money};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

// Transitional: the control plane's schemas still import these from here.
pub use crate::model::connection::{Connection, ConnectionSource};

#[derive(ToSchema)]
pub struct Loan {
    total_amount: Option<Money>,
    available_amount: Option<Money>,
    used_amount: Option<Money>,
    subscription_date: Option<Date>,
    maturity_date: Option<Date>,
    next_payment_amount: Option<Money>,
    next_payment_date: Option<Date>,
    rate: Option<f64>,
    nb_payments_left: Option<i64>,
    nb_payments_done: Option<i64>,
    nb_payments_total: Option<i64>,
    last_payment_amount: Option<Money>,
    last_payment_date: Option<Date>,
    account_label: Option<String>,
    insurance_label: Option<String>,
    duration: Option<i64>,
    #[serde(rename = "type")]
    kind: Option<String>,
    remaining_capital: Option<Money>,
}

/// A bank account. A disabled one (not consented to) shows its name and type only, and no
/// transactions.
#[derive(ToSchema)]
pub struct BankAccount {
    id: i64,
    id_connection: i64,
    id_user: i64,
    id_source: Option<i64>,
    id_parent: Option<i64>,
    number: Option<String>,
    webid: Option<String>,
    original_name: String,
    name: String,
    balance: Option<Money>,
    coming: Option<Money>,
    coming_balance: Option<Money>,
    #[schema(example = "1 234,56 €")]
    formatted_balance: Option<String>,
    currency: AccountCurrency,
    #[schema(example = "checking")]
    #[serde(rename = "type")]
    kind: String,
    id_type: Option<i64>,
    display: bool,
    /// 0 or 1, as the live API sends it.
    #[schema(minimum = 0, maximum = 1)]
    bookmarked: i64,
    /// `PRIV`, `ORGA`, `ASSO` or null.
    usage: Option<String>,
    ownership: Option<String>,
    company_name: Option<String>,
    iban: Option<String>,
    bic: Option<String>,
    opening_date: Option<Date>,
    information: BTreeMap<String, Value>,
    loan: Option<Loan>,
    last_update: Option<DateTime>,
    disabled: Option<DateTime>,
    deleted: Option<DateTime>,
    error: Option<String>,
}

/// `{accounts, balance, balances, coming_balances, total}`: sums per currency of the enabled
/// accounts listed.
#[derive(ToSchema)]
pub struct BankAccountsList {
    accounts: Vec<BankAccount>,
    balance: Money,
    balances: BTreeMap<String, Money>,
    coming_balances: BTreeMap<String, Money>,
    total: i64,
}

/// `POST /users/{user}/accounts/{id}`; `{"disabled": false}` is the PSU's consent.
#[derive(ToSchema)]
pub struct BankAccountUpdateRequest {
    display: Option<bool>,
    name: Option<String>,
    disabled: Option<bool>,
    bookmarked: Option<bool>,
    /// `PRIV`, `ORGA` or `ASSO`.
    usage: Option<String>,
}

#[derive(ToSchema)]
pub struct TransactionCounterparty {
    label: Option<String>,
    account_scheme_name: Option<String>,
    account_identification: Option<String>,
    /// `creditor` or `debtor`.
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(ToSchema)]
pub struct Transaction {
    id: i64,
    id_account: i64,
    webid: Option<String>,
    application_date: Option<Date>,
    date: Date,
    datetime: Option<DateTime>,
    vdate: Option<Date>,
    vdatetime: Option<DateTime>,
    rdate: Date,
    rdatetime: Option<DateTime>,
    bdate: Option<Date>,
    bdatetime: Option<DateTime>,
    value: Option<Money>,
    gross_value: Option<Money>,
    #[schema(example = "-16,22 €")]
    formatted_value: String,
    #[schema(example = "card")]
    #[serde(rename = "type")]
    kind: String,
    original_wording: String,
    simplified_wording: String,
    stemmed_wording: String,
    wording: Option<String>,
    id_category: Option<i64>,
    #[schema(example = "parsed")]
    state: String,
    date_scraped: DateTime,
    coming: bool,
    active: bool,
    id_cluster: Option<i64>,
    comment: Option<String>,
    last_update: Option<DateTime>,
    deleted: Option<DateTime>,
    original_value: Option<Money>,
    original_gross_value: Option<Money>,
    original_currency: Option<AccountCurrency>,
    commission: Option<Money>,
    commission_currency: Option<AccountCurrency>,
    country: Option<String>,
    card: Option<String>,
    counterparty: Option<TransactionCounterparty>,
    documents_count: i64,
    informations: BTreeMap<String, Value>,
    details: Option<Value>,
}

#[derive(ToSchema)]
pub struct Link {
    /// Absolute; follow it verbatim.
    href: String,
}

#[derive(ToSchema)]
pub struct Links {
    #[serde(rename = "self")]
    this: Link,
    prev: Option<Link>,
    next: Option<Link>,
}

/// A page of transactions, newest first, with keyset links to the neighbouring pages.
#[derive(ToSchema)]
pub struct TransactionsList {
    transactions: Vec<Transaction>,
    /// Bounds of all the data in scope (null when there is none).
    first_date: Option<Date>,
    last_date: Option<Date>,
    /// Bounds of this page (null when it is empty).
    result_min_date: Option<Date>,
    result_max_date: Option<Date>,
    total: i64,
    _links: Links,
}

/// `{wording, application_date, comment, active}`; null resets wording and comment.
#[derive(ToSchema)]
pub struct TransactionUpdateRequest {
    wording: Option<String>,
    application_date: Option<Date>,
    comment: Option<String>,
    active: Option<bool>,
}

/// Several accounts named in one path (`/accounts/1,2`).
#[derive(ToSchema)]
pub struct BankAccountsBatch {
    accounts: Vec<BankAccount>,
    total: i64,
}

/// One account, or `{accounts, total}` when the path names several.
#[derive(ToSchema)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // never built: it only describes a body
pub enum BankAccountOrBatch {
    One(BankAccount),
    Several(BankAccountsBatch),
}
