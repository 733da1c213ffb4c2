//! The wealth QA put at the bank behind a connection (part of its `bank` column, see
//! `connection_columns::BankChanges`): injected lines with their pockets, generated lines the
//! bank no longer shows, and injected market orders.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A line QA put on an account.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InjectedInvestment {
    /// Its bank key; a generated line's key replaces that line.
    pub key: String,
    /// The account's bank key.
    pub account: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub quantity: Decimal,
    pub unitprice: Decimal,
    pub unitvalue: Decimal,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pockets: Vec<InjectedPocket>,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InjectedPocket {
    pub label: String,
    pub quantity: Decimal,
    pub value: Decimal,
    pub condition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_date: Option<NaiveDate>,
}

/// A market order QA put on a brokerage account.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InjectedOrder {
    pub account: String,
    pub number: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `BUY` or `SALE`.
    pub direction: String,
    /// `MARKET`, `LIMIT`, `TRIGGER` or `UNKNOWN`.
    pub order_type: String,
    pub quantity: Decimal,
    pub unitprice: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordervalue: Option<Decimal>,
    pub date: NaiveDateTime,
    pub execution_date: NaiveDateTime,
    pub at: NaiveDateTime,
}
