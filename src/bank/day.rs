//! The pieces every generated ledger is made of: a bank transaction, the context of the
//! login's bank it is generated in, and one day of one account being filled in.

use crate::bank::accounts::BankAccount;
use crate::bank::rng::Gen;
use crate::bank::wordings::stem;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Counterparty {
    pub label: String,
    pub account_scheme_name: Option<String>,
    pub account_identification: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BankTx {
    /// Stable identity at the bank: `<account key>-<yyyymmdd>-<n>`.
    pub key: String,
    /// When it happened (order date).
    pub rdate: NaiveDate,
    pub time: NaiveTime,
    /// When it is (or will be) booked; until then it is `coming`.
    pub date: NaiveDate,
    pub vdate: NaiveDate,
    pub value: Decimal,
    pub kind: &'static str,
    pub original_wording: String,
    pub simplified_wording: String,
    pub card: Option<String>,
    pub counterparty: Option<Counterparty>,
}

impl BankTx {
    pub fn happened_at(&self) -> NaiveDateTime {
        self.rdate.and_time(self.time)
    }

    pub fn stemmed(&self) -> String {
        stem(&self.simplified_wording)
    }
}

/// The login's bank a ledger is generated in.
pub struct Ctx<'a> {
    pub seed: u64,
    pub connector: i64,
    pub login: &'a str,
    /// Average card payments a day on the connector.
    pub daily: f64,
    /// Every account the login holds, in the bank's order.
    pub accounts: &'a [BankAccount],
    /// The month-end sweeps between checking and the main savings account, by month end,
    /// as checking sees them; filled in month by month from the epoch (see `transfers`).
    pub(super) sweeps: Mutex<Sweeps>,
}

#[derive(Default)]
pub(super) struct Sweeps {
    pub(super) by_month: BTreeMap<NaiveDate, Decimal>,
    /// The main savings account's balance after the last month computed.
    pub(super) savings_balance: Option<Decimal>,
}

/// Kinds whose ledger is a savings account's (standing transfers in, interest).
pub fn is_savings(kind: &str) -> bool {
    !matches!(
        kind,
        "checking" | "card" | "loan" | "market" | "pea" | "lifeinsurance" | "per" | "unknown"
    )
}

impl<'a> Ctx<'a> {
    pub fn new(
        seed: u64,
        connector: i64,
        login: &'a str,
        daily: f64,
        accounts: &'a [BankAccount],
    ) -> Ctx<'a> {
        Ctx {
            seed,
            connector,
            login,
            daily,
            accounts,
            sweeps: Mutex::new(Sweeps::default()),
        }
    }

    fn first(&self, kind: &str) -> Option<&'a BankAccount> {
        self.accounts.iter().find(|a| a.kind == kind)
    }

    /// The current account the household lives on.
    pub fn checking(&self) -> Option<&'a BankAccount> {
        self.first("checking")
    }

    /// The login's deferred card account, if it has one: checking then pays the monthly
    /// summary.
    pub fn card(&self) -> Option<&'a BankAccount> {
        self.first("card")
    }

    /// The savings account checking sweeps its surplus to (and is topped up from): the
    /// first `savings`, else the first savings-like account.
    pub fn main_savings(&self) -> Option<&'a BankAccount> {
        self.first("savings")
            .or_else(|| self.accounts.iter().find(|a| is_savings(&a.kind)))
    }

    /// The savings-like accounts checking pays a standing transfer to each month.
    pub fn savings(&self) -> impl Iterator<Item = &'a BankAccount> {
        self.accounts.iter().filter(|a| is_savings(&a.kind))
    }

    pub fn loans(&self) -> impl Iterator<Item = &'a BankAccount> {
        self.accounts.iter().filter(|a| a.loan.is_some())
    }
}

pub(super) fn last_day_of_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .expect("valid date")
        .pred_opt()
        .expect("valid date")
}

pub(super) fn month_days(any: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let first = any.with_day(1).expect("valid date");
    first
        .iter_days()
        .take_while(move |x| x.month() == first.month())
}

pub(super) struct Day<'a> {
    pub(super) g: Gen,
    pub(super) day: NaiveDate,
    pub(super) account: &'a BankAccount,
    pub(super) out: Vec<BankTx>,
}

impl<'a> Day<'a> {
    pub(super) fn new(ctx: &Ctx, account: &'a BankAccount, day: NaiveDate) -> Day<'a> {
        Day {
            g: Gen::new(&[&ctx.seed, &ctx.connector, &ctx.login, &account.key, &day]),
            day,
            account,
            out: Vec::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn push(
        &mut self,
        value: Decimal,
        kind: &'static str,
        original: String,
        simplified: &str,
        booked_in: u64,
        card: Option<String>,
        cp: Option<Counterparty>,
    ) {
        let secs = self.g.range(6 * 3600, 22 * 3600) as u32;
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap_or_default();
        self.push_at(time, value, kind, original, simplified, booked_in, card, cp);
    }

    /// As [`Day::push`], at a time the caller chose (both sides of a transfer share it).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_at(
        &mut self,
        time: NaiveTime,
        value: Decimal,
        kind: &'static str,
        original: String,
        simplified: &str,
        booked_in: u64,
        card: Option<String>,
        cp: Option<Counterparty>,
    ) {
        let n = self.out.len();
        let date = self
            .day
            .checked_add_days(Days::new(booked_in))
            .unwrap_or(self.day);
        self.out.push(BankTx {
            key: format!("{}-{}-{n}", self.account.key, self.day.format("%Y%m%d")),
            rdate: self.day,
            time,
            date,
            vdate: date,
            value,
            kind,
            original_wording: original,
            simplified_wording: simplified.to_string(),
            card,
            counterparty: cp,
        });
    }
}

pub(super) fn counterparty(g: &mut Gen, label: &str, kind: &str) -> Counterparty {
    let iban = format!("FR76{}", g.digits(23));
    Counterparty {
        label: label.to_string(),
        account_scheme_name: Some("iban".into()),
        account_identification: Some(iban),
        kind: kind.to_string(),
    }
}
