//! What QA changed at the bank behind one connection. The bank a sync reads is the generated
//! institution plus these changes; they live on the connection row as JSON.

use crate::bank::accounts::BankAccount;
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct BankChanges {
    /// Keys of generated accounts the bank no longer shows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
    /// Accounts opened at the bank after the fact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<BankAccount>,
    /// Transactions QA injected, by account key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub injected: Vec<InjectedTx>,
    /// A bank-side failure in force: every sync ends in this state until it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outage: Option<Outage>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InjectedTx {
    pub key: String,
    pub account: String,
    pub date: chrono::NaiveDate,
    pub value: Decimal,
    pub wording: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub coming: bool,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Outage {
    pub state: String,
    pub error_message: Option<String>,
    pub until: Option<NaiveDateTime>,
}

impl BankChanges {
    pub fn parse(s: &str) -> BankChanges {
        serde_json::from_str(s).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}
