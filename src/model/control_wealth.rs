//! The control plane's bodies for wealth at the simulated bank
//! (`/sandbox/connections/{id}/bank/investments`, `.../bank/marketorders`). Unknown fields
//! are refused.

use crate::model::format::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A line to put on an investment account (named by `id_account` or its bank key
/// `account`). With the `key` of a generated line, it replaces that line.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvestmentInjection {
    pub id_account: Option<i64>,
    pub account: Option<String>,
    pub key: Option<String>,
    pub label: String,
    /// An ISIN with a valid check digit.
    pub code: Option<String>,
    #[schema(value_type = f64)]
    pub quantity: Decimal,
    #[schema(value_type = f64)]
    pub unitprice: Decimal,
    #[schema(value_type = f64)]
    pub unitvalue: Decimal,
    #[serde(default)]
    pub pockets: Vec<PocketInjection>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PocketInjection {
    pub label: String,
    #[schema(value_type = f64)]
    pub quantity: Decimal,
    #[schema(value_type = f64)]
    pub value: Decimal,
    /// Default `unknown`.
    pub condition: Option<String>,
    #[schema(value_type = Option<String>)]
    pub availability_date: Option<chrono::NaiveDate>,
}

/// A market order to put on a brokerage account; executed at `execution_date` (default: a
/// day after `date`, itself the sandbox's now by default).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderInjection {
    pub id_account: Option<i64>,
    pub account: Option<String>,
    pub number: Option<String>,
    pub label: String,
    pub code: Option<String>,
    /// `BUY` or `SALE`.
    pub direction: String,
    /// `MARKET` (default), `LIMIT`, `TRIGGER` or `UNKNOWN`.
    pub order_type: Option<String>,
    #[schema(value_type = f64)]
    pub quantity: Decimal,
    #[schema(value_type = f64)]
    pub unitprice: Decimal,
    #[schema(value_type = Option<f64>)]
    pub ordervalue: Option<Decimal>,
    /// `YYYY-MM-DD HH:MM:SS`, sandbox time.
    pub date: Option<String>,
    pub execution_date: Option<String>,
}

/// What was put at the bank: the item's bank key (line) or number (order), on this account.
#[derive(Debug, Serialize, ToSchema)]
pub struct WealthInjected {
    pub key: String,
    pub account: String,
    /// The day the next sync reads it.
    pub from: Date,
}
