//! The Loan object of a loan account, computed from the terms the bank holds.

use crate::model::format::{Date, DateTime};
use crate::model::money::Money;
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a loan was agreed as: the inputs of [`Loan::at`]. The bank's generator makes them
/// and QA's added accounts store them (as JSON in the connection's bank changes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoanTerms {
    pub total_amount: Decimal,
    pub rate: Decimal,
    pub duration_months: i64,
    pub subscription_date: NaiveDate,
    pub monthly_payment: Decimal,
    pub loan_type: String,
}

/// The loan details of a `loan` account, as of its last sync.
// A sync stores it as JSON in the account row, hence `Deserialize`; the wire types only
// serialize, so the money and date fields read back through the `stored` helpers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Loan {
    #[serde(deserialize_with = "stored::money")]
    pub total_amount: Option<Money>,
    #[serde(deserialize_with = "stored::money")]
    pub available_amount: Option<Money>,
    #[serde(deserialize_with = "stored::money")]
    pub used_amount: Option<Money>,
    #[serde(deserialize_with = "stored::date")]
    pub subscription_date: Option<Date>,
    #[serde(deserialize_with = "stored::date")]
    pub maturity_date: Option<Date>,
    #[serde(deserialize_with = "stored::money")]
    pub next_payment_amount: Option<Money>,
    /// Null once every payment is made.
    #[serde(deserialize_with = "stored::date")]
    pub next_payment_date: Option<Date>,
    /// A percentage, written exactly as agreed (a decimal, like an amount).
    #[serde(deserialize_with = "stored::money")]
    pub rate: Option<Money>,
    pub nb_payments_left: Option<i64>,
    pub nb_payments_done: Option<i64>,
    pub nb_payments_total: Option<i64>,
    #[serde(deserialize_with = "stored::money")]
    pub last_payment_amount: Option<Money>,
    #[serde(deserialize_with = "stored::date")]
    pub last_payment_date: Option<Date>,
    pub account_label: Option<String>,
    pub insurance_label: Option<String>,
    pub duration: Option<i64>,
    #[serde(rename = "type")]
    #[schema(example = "mortgage")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "stored::money")]
    pub remaining_capital: Option<Money>,
}

/// One instalment of a loan's amortization schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Instalment {
    pub date: NaiveDate,
    pub principal: Decimal,
    pub interest: Decimal,
    /// Principal still owed once it is paid.
    pub remaining: Decimal,
}

impl LoanTerms {
    /// The monthly rate, as a fraction.
    fn monthly_rate(&self) -> Decimal {
        self.rate / Decimal::from(1200)
    }

    /// The constant monthly instalment of an annuity on the principal, rate and duration.
    pub fn instalment(&self) -> Decimal {
        let n = self.duration_months.max(1);
        let r = self.monthly_rate();
        if r.is_zero() {
            return (self.total_amount / Decimal::from(n)).round_dp(2);
        }
        let mut growth = Decimal::ONE;
        for _ in 0..n {
            growth = (growth * (Decimal::ONE + r)).round_dp(20);
        }
        (self.total_amount * r * growth / (growth - Decimal::ONE)).round_dp(2)
    }

    /// The first instalment falls on the 5th of the month after the subscription.
    pub fn first_payment(&self) -> NaiveDate {
        let next = add_months(self.subscription_date, 1);
        NaiveDate::from_ymd_opt(next.year(), next.month(), 5).unwrap_or(next)
    }

    /// Every instalment: the interest on what is owed, the rest of the instalment repaying
    /// principal, the last one settling what is left.
    pub fn schedule(&self) -> Vec<Instalment> {
        let m = self.instalment();
        let r = self.monthly_rate();
        let first = self.first_payment();
        let mut remaining = self.total_amount;
        (0..self.duration_months.max(0))
            .map(|k| {
                let interest = (remaining * r).round_dp(2);
                let last = k + 1 == self.duration_months;
                let principal = if last {
                    remaining
                } else {
                    (m - interest).min(remaining)
                };
                remaining -= principal;
                Instalment {
                    date: add_months(first, k),
                    principal,
                    interest,
                    remaining,
                }
            })
            .collect()
    }

    /// The instalment due on `day`, if one is.
    pub fn due_on(&self, day: NaiveDate) -> Option<Instalment> {
        if day.day() != 5 || day < self.first_payment() {
            return None;
        }
        let first = self.first_payment();
        let k = (day.year() - first.year()) as i64 * 12 + day.month() as i64 - first.month() as i64;
        if k >= self.duration_months {
            return None;
        }
        self.schedule().into_iter().nth(k as usize)
    }

    /// What is still owed once every instalment due by `day` is paid.
    pub fn remaining_at(&self, day: NaiveDate) -> Decimal {
        self.schedule()
            .iter()
            .take_while(|i| i.date <= day)
            .last()
            .map_or(self.total_amount, |i| i.remaining)
    }
}

fn add_months(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_months(Months::new(n.max(0) as u32))
        .unwrap_or(d)
}

impl Loan {
    /// The loan at `now`, from its amortization schedule: instalments on the 5th of each
    /// month from the month after the subscription, the capital still due falling by each
    /// instalment's principal.
    pub fn at(l: &LoanTerms, now: NaiveDateTime) -> Loan {
        let today = now.date();
        let schedule = l.schedule();
        let done = schedule.iter().filter(|i| i.date <= today).count() as i64;
        let left = schedule.len() as i64 - done;
        let m = l.instalment();
        let next = schedule
            .iter()
            .find(|i| i.date > today)
            .map(|i| Date(i.date));
        let previous = done
            .checked_sub(1)
            .and_then(|k| schedule.get(k as usize))
            .map(|i| Date(i.date));
        let due = l.remaining_at(today);
        Loan {
            total_amount: Some(Money(l.total_amount)),
            available_amount: Some(Money(Decimal::ZERO)),
            used_amount: Some(Money(l.total_amount)),
            subscription_date: Some(Date(l.subscription_date)),
            maturity_date: Some(Date(
                schedule.last().map_or(l.subscription_date, |i| i.date),
            )),
            next_payment_amount: next.map(|_| Money(m)),
            next_payment_date: next,
            rate: Some(Money(l.rate)),
            nb_payments_left: Some(left),
            nb_payments_done: Some(done),
            nb_payments_total: Some(l.duration_months),
            last_payment_amount: previous.map(|_| Money(m)),
            last_payment_date: previous,
            account_label: Some("Prêt Immobilier".into()),
            insurance_label: Some("Assurance emprunteur".into()),
            duration: Some(l.duration_months),
            kind: Some(l.loan_type.clone()),
            remaining_capital: Some(Money(due)),
        }
    }
}

impl Loan {
    /// The terms this loan was computed from (what [`Loan::at`] reads), if it states them.
    pub fn terms(&self) -> Option<LoanTerms> {
        let total_amount = self.total_amount?.0;
        let rate = self.rate?.0;
        let duration_months = self.duration.or(self.nb_payments_total)?;
        let terms = LoanTerms {
            total_amount,
            rate,
            duration_months,
            subscription_date: self.subscription_date?.0,
            monthly_payment: Decimal::ZERO,
            loan_type: self.kind.clone().unwrap_or_else(|| "loan".into()),
        };
        Some(LoanTerms {
            monthly_payment: terms.instalment(),
            ..terms
        })
    }
}

/// An amount with its currency, as amortizations carry them.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MonetaryAmount {
    /// ISO 4217; only `EUR` is supported.
    #[schema(example = "EUR")]
    pub currency: String,
    /// Rounded to 2 decimals.
    pub value: Option<Money>,
}

impl MonetaryAmount {
    pub fn eur(value: Decimal) -> MonetaryAmount {
        MonetaryAmount {
            currency: "EUR".into(),
            value: Some(Money(value.round_dp(2))),
        }
    }
}

/// One row of a loan's amortization table. The object has no `id`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LoanAmortization {
    pub id_account: i64,
    /// Due date of the instalment.
    pub payment_date: Option<Date>,
    /// Principal repaid.
    pub amortization_amount: MonetaryAmount,
    pub interest_amount: MonetaryAmount,
    pub insurance_amount: MonetaryAmount,
    /// The whole instalment.
    pub total_payment_amount: MonetaryAmount,
    /// Principal still owed once it is paid.
    pub remaining_capital: MonetaryAmount,
    /// `YYYY_MM` for a monthly instalment.
    #[schema(example = "2026_02")]
    pub period: String,
    /// The fields Powens computed rather than read at the bank.
    pub calculated: Vec<String>,
    pub deleted: Option<DateTime>,
    pub last_update: Option<DateTime>,
}

/// `GET /users/{user}/amortizations` and its aliases.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LoanAmortizationsList {
    pub loanamortizations: Vec<LoanAmortization>,
}

impl LoanAmortization {
    /// The amortization table of the loan on account `id_account`: one row per instalment
    /// of the schedule [`Loan::at`] follows, the bank stating no insurance.
    pub fn table(
        id_account: i64,
        terms: &LoanTerms,
        last_update: Option<DateTime>,
    ) -> Vec<LoanAmortization> {
        terms
            .schedule()
            .into_iter()
            .map(|i| LoanAmortization {
                id_account,
                payment_date: Some(Date(i.date)),
                amortization_amount: MonetaryAmount::eur(i.principal),
                interest_amount: MonetaryAmount::eur(i.interest),
                insurance_amount: MonetaryAmount::eur(Decimal::ZERO),
                total_payment_amount: MonetaryAmount::eur(i.principal + i.interest),
                remaining_capital: MonetaryAmount::eur(i.remaining),
                period: format!("{}_{:02}", i.date.year(), i.date.month()),
                calculated: Vec::new(),
                deleted: None,
                last_update,
            })
            .collect()
    }
}

/// Reading a stored Loan back: amounts as exact decimals, dates as `YYYY-MM-DD`.
mod stored {
    use super::*;
    use serde::Deserializer;

    pub fn money<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Money>, D::Error> {
        Ok(Option::<Decimal>::deserialize(d)?.map(Money))
    }

    pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        Ok(Option::<NaiveDate>::deserialize(d)?.map(Date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn terms() -> LoanTerms {
        LoanTerms {
            total_amount: Decimal::from(150_000),
            rate: Decimal::from_str("1.85").unwrap(),
            duration_months: 240,
            subscription_date: NaiveDate::from_ymd_opt(2020, 3, 1).unwrap(),
            monthly_payment: Decimal::from_str("745.20").unwrap(),
            loan_type: "mortgage".into(),
        }
    }

    #[test]
    fn the_instalment_is_the_annuity_and_the_capital_falls_by_each_principal() {
        let t = terms();
        // 150,000 over 20 years at 1.85 %: P·r / (1 − (1 + r)^−n) with r = 1.85 % / 12.
        assert_eq!(t.instalment(), Decimal::from_str("748.22").unwrap());
        let s = t.schedule();
        assert_eq!(s.len(), 240);
        assert_eq!(s[0].date, NaiveDate::from_ymd_opt(2020, 4, 5).unwrap());
        assert_eq!(s[0].interest, Decimal::from_str("231.25").unwrap());
        assert_eq!(s[0].principal, Decimal::from_str("516.97").unwrap());
        let mut owed = t.total_amount;
        for i in &s[..239] {
            assert_eq!(i.principal + i.interest, t.instalment());
            owed -= i.principal;
            assert_eq!(i.remaining, owed);
        }
        assert_eq!(s[239].remaining, Decimal::ZERO);
        let paid: Decimal = s.iter().map(|i| i.principal).sum();
        assert_eq!(paid, t.total_amount);
        // The last instalment settles the cents the rounded instalment left over the years.
        assert!((s[239].principal + s[239].interest - t.instalment()).abs() < Decimal::from(5));
    }

    #[test]
    fn the_loan_object_follows_its_schedule() {
        let t = terms();
        let day = |y, m, d| {
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap()
        };
        let l = Loan::at(&t, day(2026, 1, 15));
        // April 2020 to January 2026: 70 instalments.
        assert_eq!(l.nb_payments_done, Some(70));
        assert_eq!(l.nb_payments_left, Some(170));
        assert_eq!(
            l.maturity_date,
            Some(Date(NaiveDate::from_ymd_opt(2040, 3, 5).unwrap()))
        );
        assert_eq!(l.remaining_capital, Some(Money(t.schedule()[69].remaining)));
        assert_eq!(
            t.due_on(NaiveDate::from_ymd_opt(2026, 2, 5).unwrap())
                .unwrap()
                .remaining,
            t.schedule()[70].remaining
        );
        let over = Loan::at(&t, day(2041, 1, 1));
        assert_eq!(over.nb_payments_left, Some(0));
        assert_eq!(over.next_payment_date, None);
        assert_eq!(over.remaining_capital, Some(Money(Decimal::ZERO)));
        assert_eq!(t.due_on(NaiveDate::from_ymd_opt(2040, 4, 5).unwrap()), None);
    }

    #[test]
    fn the_amortization_table_follows_the_loan() {
        let t = terms();
        let now = NaiveDate::from_ymd_opt(2026, 1, 15)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let loan = Loan::at(&t, now);
        assert_eq!(loan.terms().unwrap().schedule(), t.schedule());
        let rows = LoanAmortization::table(7, &loan.terms().unwrap(), None);
        assert_eq!(rows.len(), 240);
        assert_eq!(rows[0].period, "2020_04");
        let next = rows
            .iter()
            .find(|r| r.payment_date.unwrap().0 > now.date())
            .unwrap();
        assert_eq!(next.payment_date, loan.next_payment_date);
        assert_eq!(next.total_payment_amount.value, loan.next_payment_amount);
    }

    #[test]
    fn a_stored_loan_reads_back_to_the_same_bytes() {
        let now = NaiveDate::from_ymd_opt(2026, 1, 15)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let written = serde_json::to_string(&Loan::at(&terms(), now)).unwrap();
        let read: Loan = serde_json::from_str(&written).unwrap();
        assert_eq!(serde_json::to_string(&read).unwrap(), written);
        assert!(written.contains(r#""rate":1.85,"#), "{written}");
        assert!(
            written.contains(r#""next_payment_date":"2026-02-05","#),
            "{written}"
        );
    }
}
