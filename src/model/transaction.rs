//! The Transaction object (the documented fields plus those the real API always sends), the
//! transactions list envelope with its keyset links, and the body that updates one.

use crate::model::category::TransactionCategory;
use crate::model::currency::AccountCurrency;
use crate::model::format::{Date, DateTime};
use crate::model::money::Money;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Powens' single default category id, as observed on every uncategorised transaction.
pub const DEFAULT_CATEGORY: i64 = 9998;

/// Who was paid or paid in.
// A sync stores it as JSON in the transaction row, hence `Deserialize`; the control plane
// injects it as given, any other field refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransactionCounterparty {
    pub label: Option<String>,
    #[schema(example = "iban")]
    pub account_scheme_name: Option<String>,
    pub account_identification: Option<String>,
    /// `creditor` or `debtor`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// A transaction. The fields the sandbox never fills (`vdatetime`, `gross_value`,
/// `commission`...) are sent as null, as the live API does.
// Fields are declared in the order the live API sends them: clients diff bodies byte for byte.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Transaction {
    pub id: i64,
    pub id_account: i64,
    pub webid: Option<String>,
    pub application_date: Date,
    pub date: Date,
    #[serde(serialize_with = "crate::model::format::utc::serialize")]
    pub datetime: Option<DateTime>,
    pub vdate: Option<Date>,
    #[serde(serialize_with = "crate::model::format::utc::serialize")]
    pub vdatetime: Option<DateTime>,
    pub rdate: Date,
    #[serde(serialize_with = "crate::model::format::utc::serialize")]
    pub rdatetime: Option<DateTime>,
    pub bdate: Option<Date>,
    #[serde(serialize_with = "crate::model::format::utc::serialize")]
    pub bdatetime: Option<DateTime>,
    pub value: Option<Money>,
    pub gross_value: Option<Money>,
    #[schema(example = "-16,22 €")]
    pub formatted_value: String,
    #[serde(rename = "type")]
    #[schema(example = "card")]
    pub kind: String,
    pub original_wording: String,
    pub simplified_wording: String,
    pub stemmed_wording: String,
    /// The PSU's wording if they set one, else the simplified one.
    pub wording: Option<String>,
    pub id_category: Option<i64>,
    #[schema(example = "parsed")]
    pub state: String,
    pub date_scraped: DateTime,
    pub coming: bool,
    pub active: bool,
    pub id_cluster: Option<i64>,
    pub comment: Option<String>,
    pub last_update: Option<DateTime>,
    pub deleted: Option<DateTime>,
    pub original_value: Option<Money>,
    pub original_gross_value: Option<Money>,
    pub original_currency: Option<AccountCurrency>,
    pub commission: Option<Money>,
    pub commission_currency: Option<AccountCurrency>,
    pub country: Option<String>,
    pub card: Option<String>,
    pub counterparty: Option<TransactionCounterparty>,
    pub documents_count: i64,
    /// Always empty in the sandbox.
    pub informations: BTreeMap<String, Value>,
    pub details: Option<Value>,
    /// Only with `expand=categories` (and on ACCOUNT_CATEGORIZED): the category's code and its
    /// parent's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<TransactionCategory>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Link {
    /// Absolute; follow it verbatim.
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Links {
    #[serde(rename = "self")]
    pub this: Link,
    /// Null on the first page.
    pub prev: Option<Link>,
    /// Null on the last page.
    pub next: Option<Link>,
}

/// A page of transactions, newest first, with keyset links to the neighbouring pages.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TransactionsList {
    pub transactions: Vec<Transaction>,
    /// Bounds of all the data in scope (null when there is none).
    pub first_date: Option<Date>,
    pub last_date: Option<Date>,
    /// Bounds of this page (null when it is empty).
    pub result_min_date: Option<Date>,
    pub result_max_date: Option<Date>,
    pub total: i64,
    pub _links: Links,
}

/// `POST /users/{user}/transactions/{id}` (JSON or form): what the PSU may edit; null resets
/// `wording` and `comment`.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct TransactionUpdateRequest {
    pub wording: Option<String>,
    pub application_date: Option<Date>,
    pub comment: Option<String>,
    pub active: Option<bool>,
    /// Deprecated by Powens but still sent: the category id.
    pub id_category: Option<i64>,
    /// The current spelling: `[{"code": "groceries"}]` (the first item counts; a bare id is
    /// taken too).
    #[schema(value_type = Option<Vec<Object>>)]
    pub categories: Option<Vec<Value>>,
}
