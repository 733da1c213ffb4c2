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

    /// The account as the API shows it. Disabled accounts "have a very limited set of values
    /// available" (seeds): identity, name, type, currency and the lifecycle dates; every
    /// other nullable field is null until the PSU enables the account.
    pub fn shown(self) -> BankAccount {
        if self.disabled.is_none() {
            return self;
        }
        BankAccount {
            id_parent: None,
            number: None,
            balance: None,
            coming: None,
            coming_balance: None,
            formatted_balance: None,
            usage: None,
            ownership: None,
            company_name: None,
            iban: None,
            bic: None,
            opening_date: None,
            information: BTreeMap::new(),
            loan: None,
            last_update: None,
            error: None,
            ..self
        }
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

impl BankAccountsList {
    /// One page of `accounts` (`offset`, at most `limit`); `total` and the sums stay those
    /// of every account the list matched.
    pub fn page(accounts: Vec<BankAccount>, offset: i64, limit: Option<i64>) -> BankAccountsList {
        let mut list = BankAccountsList::new(accounts);
        let rest = list
            .accounts
            .split_off((offset.max(0) as usize).min(list.accounts.len()));
        list.accounts = rest;
        if let Some(l) = limit {
            list.accounts.truncate(l.max(0) as usize);
        }
        list
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

#[cfg(test)]
mod tests {
    use super::*;

    fn account(disabled: Option<&str>) -> BankAccount {
        let at = |s: &str| DateTime::parse(s).unwrap();
        BankAccount {
            id: 7,
            id_connection: 3,
            id_user: 1,
            id_source: Some(4),
            id_parent: None,
            number: Some("12345678901".into()),
            webid: Some("checking-0".into()),
            original_name: "Compte Chèque".into(),
            name: "Mon compte".into(),
            balance: Some(Money(Decimal::new(12345, 2))),
            coming: Some(Money(Decimal::ZERO)),
            coming_balance: Some(Money(Decimal::new(12345, 2))),
            formatted_balance: Some("123,45 €".into()),
            currency: AccountCurrency::new(None, "EUR"),
            kind: "checking".into(),
            id_type: 1,
            display: true,
            bookmarked: 0,
            usage: Some("PRIV".into()),
            ownership: Some("owner".into()),
            company_name: None,
            iban: Some("FR7630001000011234567890185".into()),
            bic: Some("BNPAFRPP".into()),
            opening_date: Date::parse("2020-01-02"),
            information: BTreeMap::new(),
            loan: None,
            last_update: Some(at("2026-01-02 10:00:00")),
            disabled: disabled.map(at),
            deleted: None,
            error: None,
        }
    }

    #[test]
    fn an_enabled_account_is_shown_whole() {
        assert_eq!(account(None).shown(), account(None));
    }

    #[test]
    fn a_disabled_account_shows_its_identity_name_type_and_currency_only() {
        let a = account(Some("2026-01-03 09:00:00")).shown();
        let v = serde_json::to_value(&a).unwrap();
        for key in [
            "number",
            "balance",
            "coming",
            "coming_balance",
            "formatted_balance",
            "usage",
            "ownership",
            "iban",
            "bic",
            "opening_date",
            "loan",
            "last_update",
        ] {
            assert_eq!(v[key], Value::Null, "{key}");
        }
        assert_eq!(
            (a.id, a.id_connection, a.id_user, a.id_source),
            (7, 3, 1, Some(4))
        );
        assert_eq!(a.webid.as_deref(), Some("checking-0"));
        assert_eq!(
            (a.name.as_str(), a.original_name.as_str()),
            ("Mon compte", "Compte Chèque")
        );
        assert_eq!(
            (a.kind.as_str(), a.currency.id.as_str()),
            ("checking", "EUR")
        );
        // Stored in UTC, shown in the default zone (Europe/Paris, UTC+1 in winter).
        assert_eq!(v["disabled"], "2026-01-03 10:00:00");
    }
}
