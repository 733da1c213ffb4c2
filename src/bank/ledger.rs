//! Transactions of a simulated account, generated day by day from the keyed PRNG. A day's
//! transactions depend only on (seed, connector, login, account, day), so a sync at any time,
//! in any order, sees the same ledger; "now" only decides which of them have happened yet.

use crate::bank::accounts::BankAccount;
use crate::bank::kinds;
use crate::bank::rng::Gen;
use crate::bank::wordings::stem;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use serde::Serialize;

/// Balances are the base balance plus every booked transaction since this day (or the
/// account's opening, if later), so they move exactly by the transactions a sync brings.
pub fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date")
}

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

pub struct Ctx<'a> {
    pub seed: u64,
    pub connector: i64,
    pub login: &'a str,
    /// Average card payments a day on the connector.
    pub daily: f64,
    /// The login's deferred card account, if it has one: checking then pays the monthly summary.
    pub card: Option<&'a BankAccount>,
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

pub(super) struct Day<'a> {
    pub(super) g: Gen,
    pub(super) day: NaiveDate,
    pub(super) account: &'a BankAccount,
    pub(super) out: Vec<BankTx>,
}

impl Day<'_> {
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
        let n = self.out.len();
        let secs = self.g.range(6 * 3600, 22 * 3600) as u32;
        let date = self
            .day
            .checked_add_days(Days::new(booked_in))
            .unwrap_or(self.day);
        self.out.push(BankTx {
            key: format!("{}-{}-{n}", self.account.key, self.day.format("%Y%m%d")),
            rdate: self.day,
            time: NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap_or_default(),
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

/// Every transaction of `account` whose order date is `day`, in a stable order. On the last
/// day of the month a checking account sweeps the month's surplus to (or tops up from)
/// savings, so its balance wanders around its base instead of drifting for years.
pub fn day(ctx: &Ctx, account: &BankAccount, day: NaiveDate) -> Vec<BankTx> {
    let mut d = generate(ctx, account, day);
    if account.kind == "checking" && day == last_day_of_month(day) && day >= account.opening_date {
        let net: Decimal = month_days(day)
            .flat_map(|x| generate(ctx, account, x).out)
            .map(|t| t.value)
            .sum();
        let v = -net + d.g.money(-15_000, 15_000);
        let label = if v.is_sign_negative() {
            "VIR SEPA EPARGNE AUTOMATIQUE"
        } else {
            "VIR SEPA DEPUIS EPARGNE"
        };
        d.push(v, "transfer", label.into(), label, 0, None, None);
    }
    d.out
}

fn generate<'a>(ctx: &Ctx, account: &'a BankAccount, day: NaiveDate) -> Day<'a> {
    let mut d = Day {
        g: Gen::new(&[&ctx.seed, &ctx.connector, &ctx.login, &account.key, &day]),
        day,
        account,
        out: Vec::new(),
    };
    if day < account.opening_date {
        return d;
    }
    let dd = day.format("%d/%m").to_string();
    match account.kind.as_str() {
        "checking" => kinds::checking(ctx, &mut d, &dd),
        "card" => kinds::card(ctx, &mut d, &dd),
        "loan" => {
            if let (Some(l), 5) = (&account.loan, day.day()) {
                d.push(
                    l.monthly_payment,
                    "loan_repayment",
                    "ECHEANCE PRET IMMOBILIER".into(),
                    "ECHEANCE PRET IMMOBILIER",
                    0,
                    None,
                    None,
                );
            }
        }
        "market" | "pea" | "lifeinsurance" | "per" => kinds::invest(&mut d),
        "unknown" => {}
        _ => kinds::savings(&mut d),
    }
    d
}

pub(super) fn month_days(any: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let first = any.with_day(1).expect("valid date");
    first
        .iter_days()
        .take_while(move |x| x.month() == first.month())
}

/// Transactions that happened in `[from, to]` (order date and time), in a stable order.
pub fn between(
    ctx: &Ctx,
    account: &BankAccount,
    from: NaiveDate,
    to: NaiveDateTime,
) -> Vec<BankTx> {
    if from > to.date() {
        return vec![];
    }
    from.iter_days()
        .take_while(|x| *x <= to.date())
        .flat_map(|x| day(ctx, account, x))
        .filter(|t| t.happened_at() <= to)
        .collect()
}

/// The balance the bank shows at `now` and the total still coming.
pub fn balance(ctx: &Ctx, account: &BankAccount, now: NaiveDateTime) -> (Decimal, Decimal) {
    if let Some(l) = &account.loan {
        // A loan shows the capital still due, straight-line over its duration.
        let months = (now.date().year() - l.subscription_date.year()) as i64 * 12
            + now.date().month() as i64
            - l.subscription_date.month() as i64;
        let left = (l.duration_months - months).clamp(0, l.duration_months);
        let due =
            (l.total_amount * Decimal::from(left) / Decimal::from(l.duration_months)).round_dp(2);
        return (-due, Decimal::ZERO);
    }
    let start = epoch().max(account.opening_date);
    let today = now.date();
    let mut booked = account.base_balance;
    let mut coming = Decimal::ZERO;
    for t in between(ctx, account, start, now) {
        if t.date <= today {
            booked += t.value;
        } else {
            coming += t.value;
        }
    }
    if account.kind == "card" {
        // A deferred card books nothing itself (checking pays the monthly summary): its
        // balance is zero and what will be debited at the end of the month is coming.
        return (Decimal::ZERO, coming);
    }
    (booked, coming)
}
