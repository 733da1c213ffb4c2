//! The BankAccount object, the accounts list envelope, the one-or-several answer of
//! `/accounts/{id}` and the body that updates accounts.

use crate::model::currency::AccountCurrency;
use crate::model::format::{Date, DateTime};
use crate::model::loan::Loan;
use crate::model::money::Money;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A bank account. A disabled one (not consented to) shows its name and type only, and no
/// transactions.
// Fields are declared in the order the live API sends them: clients diff bodies byte for byte.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BankAccount {
    pub id: i64,
    pub id_connection: i64,
    pub id_user: i64,
    pub id_source: Option<i64>,
    pub id_parent: Option<i64>,
    pub number: Option<String>,
    pub webid: Option<String>,
    pub original_name: String,
    pub name: String,
    pub balance: Option<Money>,
    pub coming: Option<Money>,
    /// `balance + coming`, null when the balance is unknown.
    pub coming_balance: Option<Money>,
    #[schema(example = "1 234,56 €")]
    pub formatted_balance: Option<String>,
    pub currency: AccountCurrency,
    #[serde(rename = "type")]
    #[schema(example = "checking")]
    pub kind: String,
    pub id_type: i64,
    pub display: bool,
    /// 0 or 1: observed on the real API as an integer, though the spec says boolean.
    #[schema(minimum = 0, maximum = 1)]
    pub bookmarked: i64,
    /// `PRIV`, `ORGA`, `ASSO` or null.
    pub usage: Option<String>,
    pub ownership: Option<String>,
    pub company_name: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
    pub opening_date: Option<Date>,
    /// Always empty in the sandbox.
    pub information: BTreeMap<String, Value>,
    /// Only on `loan` accounts.
    pub loan: Option<Loan>,
    pub last_update: Option<DateTime>,
    pub disabled: Option<DateTime>,
    pub deleted: Option<DateTime>,
    pub error: Option<String>,
}

impl BankAccount {
    /// Enabled and not deleted: the accounts the list's sums count.
    fn is_live(&self) -> bool {
        self.disabled.is_none() && self.deleted.is_none()
    }
}

/// `{accounts, balance, balances, coming_balances, total}`: sums per currency of the enabled
/// accounts listed; `balance` is the sum over all of them, whatever their currency, as
/// observed on the live API.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BankAccountsList {
    pub accounts: Vec<BankAccount>,
    pub balance: Money,
    pub balances: BTreeMap<String, Money>,
    pub coming_balances: BTreeMap<String, Money>,
    pub total: i64,
}

impl BankAccountsList {
    pub fn new(accounts: Vec<BankAccount>) -> BankAccountsList {
        let mut balances: BTreeMap<String, Decimal> = BTreeMap::new();
        let mut comings: BTreeMap<String, Decimal> = BTreeMap::new();
        let mut total = Decimal::ZERO;
        for a in accounts.iter().filter(|a| a.is_live()) {
            let balance = a.balance.unwrap_or_default().0;
            let coming = a.coming.unwrap_or_default().0;
            total += balance;
            *balances.entry(a.currency.id.clone()).or_default() += balance;
            *comings.entry(a.currency.id.clone()).or_default() += balance + coming;
        }
        let money =
            |m: BTreeMap<String, Decimal>| m.into_iter().map(|(k, v)| (k, Money(v))).collect();
        BankAccountsList {
            total: accounts.len() as i64,
            accounts,
            balance: Money(total),
            balances: money(balances),
            coming_balances: money(comings),
        }
    }
}

/// Several accounts named in one path (`/accounts/1,2`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BankAccountsBatch {
    pub accounts: Vec<BankAccount>,
    pub total: i64,
}

/// One account, or `{accounts, total}` when the path names several.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // built once per response, never stored
pub enum BankAccountOrBatch {
    One(BankAccount),
    Several(BankAccountsBatch),
}

impl BankAccountOrBatch {
    /// A path naming one id answers the account itself; a comma list answers a batch.
    pub fn new(mut accounts: Vec<BankAccount>) -> BankAccountOrBatch {
        match accounts.len() {
            1 => BankAccountOrBatch::One(accounts.remove(0)),
            n => BankAccountOrBatch::Several(BankAccountsBatch {
                accounts,
                total: n as i64,
            }),
        }
    }
}

/// `POST /users/{user}/accounts/{id}` (JSON or form); `{"disabled": false}` is the PSU's
/// consent.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct BankAccountUpdateRequest {
    pub display: Option<bool>,
    pub name: Option<String>,
    pub disabled: Option<bool>,
    pub bookmarked: Option<bool>,
    /// `PRIV`, `ORGA` or `ASSO`.
    pub usage: Option<String>,
}
