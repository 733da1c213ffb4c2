//! The Investment object (a line of an investment account), its list envelope and unit
//! value history, and the Pocket object with its list envelope.

use crate::model::currency::AccountCurrency;
use crate::model::format::{Date, DateTime};
use crate::model::money::Money;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// A line of an investment account. `details` is null: the option that fills it is not
/// enabled in the sandbox. The original-currency fields are null: every line is quoted in
/// its account's currency.
// Fields are declared in the order the reference lists them.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Investment {
    pub id: i64,
    pub id_account: i64,
    pub id_security: Option<i64>,
    pub label: String,
    /// ISIN (or AMF) code.
    #[schema(example = "FR0000120271")]
    pub code: Option<String>,
    /// `ISIN` or `AMF`.
    #[schema(example = "ISIN")]
    pub code_type: Option<String>,
    pub stock_symbol: Option<String>,
    pub stock_market: Option<String>,
    /// Where the code came from: `website` or `notFound`.
    #[schema(example = "website")]
    pub source: String,
    pub description: Option<String>,
    pub quantity: Money,
    /// Average purchase price per unit.
    pub unitprice: Money,
    pub unitvalue: Money,
    pub valuation: Money,
    pub diff: Money,
    /// A ratio: 0.1699 is +16.99 %.
    pub diff_percent: Money,
    pub prev_diff: Option<Money>,
    pub prev_diff_percent: Option<Money>,
    pub vdate: Date,
    pub prev_vdate: Option<Date>,
    /// Share of the account's portfolio, as a ratio; the shares of an account add up to 1.
    pub portfolio_share: Money,
    /// Fields Powens computed rather than read from the bank.
    pub calculated: Vec<String>,
    /// Set once the line is no longer found at the bank.
    pub deleted: Option<Date>,
    pub last_update: DateTime,
    pub original_currency: Option<AccountCurrency>,
    pub original_valuation: Option<Money>,
    pub original_unitvalue: Option<Money>,
    pub original_unitprice: Option<Money>,
    pub original_diff: Option<Money>,
    #[schema(value_type = Option<Object>)]
    pub details: Option<Value>,
}

/// `GET /users/{user}/investments` and its aliases: the lines and their totals.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct InvestmentsList {
    pub investments: Vec<Investment>,
    pub valuation: Money,
    pub diff: Money,
    pub diff_percent: Money,
    pub prev_diff: Option<Money>,
    pub prev_diff_percent: Option<Money>,
    pub calculated: Vec<String>,
    /// Lines in scope (before `limit`/`offset`).
    pub total: i64,
}

/// One unit value of a line.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct InvestmentHistoryValue {
    pub id: i64,
    pub id_investment: i64,
    pub vdate: Date,
    pub unitvalue: Money,
    pub original_currency: Option<AccountCurrency>,
    pub original_unitvalue: Option<Money>,
}

/// `GET /investments/{id}/history`: the line's unit values, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct InvestmentHistoryValuesList {
    pub investmentvalues: Vec<InvestmentHistoryValue>,
    pub total: i64,
}

/// A pocket of a line: units whose availability depends on a condition.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Pocket {
    pub id: i64,
    pub id_investment: i64,
    pub id_account: i64,
    pub label: String,
    pub quantity: Money,
    pub value: Money,
    /// `unknown`, `date`, `acquired`, `available` or `retirement` (an open set).
    #[schema(example = "available")]
    pub condition: String,
    pub availability_date: Option<Date>,
    pub deleted: Option<Date>,
    pub last_update: DateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PocketsList {
    pub pockets: Vec<Pocket>,
    pub total: i64,
}

/// A line as the webhooks carry it: the Investment with its new pockets.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct InvestmentWithPockets {
    #[serde(flatten)]
    pub investment: Investment,
    pub pockets: Vec<Pocket>,
}
