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

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct InjectedTransaction {
    date: Date,
    value: f64,
    wording: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    coming: Option<bool>,
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
