//! The control plane's bodies for the simulated bank (`/sandbox/connections/{id}/bank/...`).
//!
//! The handlers deserialize the requests into these types (JSON or a form, like the API:
//! `model::lenient` takes either spelling) and send the answers as these types.

use crate::model::format::{Date, DateTime};
use crate::model::lenient;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BankAccountRequest {
    #[schema(example = "savings")]
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    #[schema(value_type = Option<f64>)]
    pub balance: Option<Decimal>,
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
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InjectedTransaction {
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = Date)]
    pub date: NaiveDate,
    /// Default: `date`.
    #[serde(default, deserialize_with = "lenient::opt_date")]
    #[schema(value_type = Option<Date>)]
    pub rdate: Option<NaiveDate>,
    /// Default: `date`.
    #[serde(default, deserialize_with = "lenient::opt_date")]
    #[schema(value_type = Option<Date>)]
    pub vdate: Option<NaiveDate>,
    #[serde(deserialize_with = "lenient::decimal")]
    #[schema(value_type = f64)]
    pub value: Decimal,
    pub original_wording: Option<String>,
    /// Default: `original_wording`.
    pub simplified_wording: Option<String>,
    pub wording: Option<String>,
    /// Default `unknown`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub coming: Option<bool>,
    /// Masked as Powens shows it; a `card` or `deferred_card` payment without one carries the
    /// PSU's masked card number.
    pub card: Option<String>,
    pub counterparty: Option<crate::model::transaction::TransactionCounterparty>,
}

/// New values the bank shows for a transaction (Powens' names; at least one).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BankTransactionChange {
    #[serde(default, deserialize_with = "lenient::opt_date")]
    #[schema(value_type = Option<Date>)]
    pub date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "lenient::opt_date")]
    #[schema(value_type = Option<Date>)]
    pub rdate: Option<NaiveDate>,
    #[serde(default, deserialize_with = "lenient::opt_date")]
    #[schema(value_type = Option<Date>)]
    pub vdate: Option<NaiveDate>,
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    #[schema(value_type = Option<f64>)]
    pub value: Option<Decimal>,
    pub original_wording: Option<String>,
    pub simplified_wording: Option<String>,
    /// The bank's label, when `original_wording` is not given.
    pub wording: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub coming: Option<bool>,
    pub card: Option<String>,
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
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InjectRequest {
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub id_account: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub account: Option<String>,
    /// 1 to 100000.
    pub transactions: Vec<InjectedTransaction>,
}

#[derive(Serialize, ToSchema)]
pub struct Injected {
    pub injected: i64,
    pub account: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutageRequest {
    /// Default `websiteUnavailable`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub state: Option<String>,
    /// How long, e.g. `2h`; none: until ended.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub duration: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub error_message: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Outage {
    pub state: String,
    #[schema(value_type = Option<DateTime>)]
    pub until: Option<String>,
}
