//! The typed JSON columns of a connection row: its credentials, the changes QA made to the
//! bank behind it (with the accounts opened there) and the state machine's pending step.
//! Storage owns these shapes so the row is decoded once, by the store; the rules that read
//! and change them live above (`bank`, `sync`).

use crate::model::catalogue::ConnectorField;
use crate::model::loan::LoanTerms;
use crate::model::transaction::TransactionCounterparty;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The field values the PSU gave (login, password, `openapiwebsite`...), as given.
pub type Credentials = Map<String, Value>;

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
    /// Bank transactions QA deleted or changed, one entry per transaction.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<TxEdit>,
    /// Investment lines QA put at the bank (`bank_wealth`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub investments: Vec<crate::store::bank_wealth::InjectedInvestment>,
    /// Bank keys of lines the bank no longer shows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_investments: Vec<String>,
    /// Market orders QA put at the bank.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orders: Vec<crate::store::bank_wealth::InjectedOrder>,
    /// A bank-side failure in force: every sync ends in this state until it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outage: Option<Outage>,
    /// Documents QA put at the provider, by subscription key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<InjectedDocument>,
}

/// A document QA put at the provider, with Powens' own field names.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InjectedDocument {
    pub key: String,
    /// The subscription's key at the provider.
    pub subscription: String,
    /// The document type's id.
    pub id_type: i64,
    pub name: String,
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duedate: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_amount: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub untaxed_amount: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat: Option<Decimal>,
    #[serde(default)]
    pub income: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// When it was put at the provider: syncs from then on find it.
    pub at: NaiveDateTime,
}

/// A transaction QA put at the bank, with Powens' own field names where it has them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InjectedTx {
    pub key: String,
    pub account: String,
    pub date: chrono::NaiveDate,
    /// Realization and value dates; the `date` when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rdate: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vdate: Option<NaiveDate>,
    pub value: Decimal,
    /// The bank's label (`original_wording`); kept under its first name, `wording`, so rows
    /// written before read the same.
    #[serde(rename = "wording")]
    pub original_wording: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simplified_wording: Option<String>,
    /// The wording shown to the user, when QA gave one besides `original_wording`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_wording: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub coming: bool,
    /// The masked card number of a card payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterparty: Option<TransactionCounterparty>,
    pub at: NaiveDateTime,
}

/// A transaction the bank deleted or changed after the aggregator fetched it: the next sync
/// of its account marks the aggregated one `deleted` or applies the new values.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TxEdit {
    /// The account's bank key.
    pub account: String,
    /// The transaction's bank key.
    pub key: String,
    /// What the bank showed before its first change, so the balance moves by the difference.
    pub value_before: Decimal,
    #[serde(default)]
    pub deleted: bool,
    #[serde(default)]
    pub amended: Amendment,
}

/// The values the bank now shows for a transaction; None keeps the value it had.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Amendment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rdate: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vdate: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_wording: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simplified_wording: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coming: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<String>,
}

impl Amendment {
    /// Later values win over earlier ones.
    pub fn merge(&mut self, later: Amendment) {
        macro_rules! take {
            ($($f:ident),*) => { $( if later.$f.is_some() { self.$f = later.$f; } )* };
        }
        take!(
            date,
            rdate,
            vdate,
            value,
            original_wording,
            simplified_wording,
            kind,
            coming,
            card
        );
    }

    pub fn is_empty(&self) -> bool {
        *self == Amendment::default()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Outage {
    pub state: String,
    pub error_message: Option<String>,
    pub until: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BankAccount {
    /// Stable identity at the bank; the aggregator matches accounts on it.
    pub key: String,
    pub kind: String,
    pub name: String,
    pub number: String,
    pub iban: Option<String>,
    pub bic: Option<String>,
    pub currency: String,
    pub opening_date: NaiveDate,
    /// Balance on the ledger epoch, before any generated transaction.
    pub base_balance: Decimal,
    pub usage: String,
    pub loan: Option<LoanTerms>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Sca,
    Otp,
    Decoupled,
    Validating,
    Webauth,
    Credentials,
    PasswordExpired,
    Action,
    Unsupported,
}

/// What the PSU still has to do before syncs of `source` succeed again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub step: Step,
    /// The connection source it applies to; None for the first one by priority.
    pub source: Option<i64>,
    pub error_message: Option<String>,
    pub fields: Option<Vec<ConnectorField>>,
    /// Steps that follow this one (SCA then OTP, SCA then decoupled).
    #[serde(default)]
    pub then: Vec<Step>,
    /// When a decoupled validation completes in the bank's app.
    pub validate_at: Option<NaiveDateTime>,
    /// Completing the chain renews PSD2 consent.
    #[serde(default)]
    pub renews_consent: bool,
}
