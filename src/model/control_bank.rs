//! The control plane's bodies for the simulated bank (`/sandbox/connections/{id}/bank/...`).
//!
//! The handlers read the requests field by field (JSON or a form, like the API), so the
//! request types only describe them; the answers are sent as these types.

use crate::model::format::{Date, DateTime};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct BankAccountRequest {
    #[schema(example = "savings")]
    #[serde(rename = "type")]
    kind: String,
    name: Option<String>,
    balance: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct BankAccountOpened {
    pub key: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub number: String,
    pub id_connection: i64,
}

/// A transaction at the bank, with Powens' field names. `wording` alone is taken as the
/// bank's label (`original_wording`); any other field is refused.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct InjectedTransaction {
    date: Date,
    /// Default: `date`.
    rdate: Option<Date>,
    /// Default: `date`.
    vdate: Option<Date>,
    value: f64,
    original_wording: Option<String>,
    /// Default: `original_wording`.
    simplified_wording: Option<String>,
    wording: Option<String>,
    /// Default `unknown`.
    #[serde(rename = "type")]
    kind: Option<String>,
    coming: Option<bool>,
    /// Masked as Powens shows it; a `card` or `deferred_card` payment without one carries the
    /// PSU's masked card number.
    card: Option<String>,
    counterparty: Option<crate::model::transaction::TransactionCounterparty>,
}

/// New values the bank shows for a transaction (Powens' names; at least one).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct BankTransactionChange {
    date: Option<Date>,
    rdate: Option<Date>,
    vdate: Option<Date>,
    value: Option<f64>,
    original_wording: Option<String>,
    simplified_wording: Option<String>,
    /// The bank's label, when `original_wording` is not given.
    wording: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    coming: Option<bool>,
    card: Option<String>,
}

/// A transaction the bank changed, as the next sync will apply it.
#[derive(Serialize, ToSchema)]
pub struct BankTransactionEdit {
    /// The account's bank key.
    pub account: String,
    /// The transaction's bank key.
    pub key: String,
    pub deleted: bool,
    /// The values changed so far.
    #[schema(value_type = Object)]
    pub amended: serde_json::Value,
}

/// Transactions the bank will show at the next sync: `id_account` (an aggregator id) or
/// `account` (a bank key).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct InjectRequest {
    id_account: Option<i64>,
    account: Option<String>,
    transactions: Vec<InjectedTransaction>,
}

#[derive(Serialize, ToSchema)]
pub struct Injected {
    pub injected: i64,
    pub account: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OutageRequest {
    /// Default `websiteUnavailable`.
    state: Option<String>,
    /// How long, e.g. `2h`; none: until ended.
    duration: Option<String>,
    error_message: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Outage {
    pub state: String,
    #[schema(value_type = Option<DateTime>)]
    pub until: Option<String>,
}
