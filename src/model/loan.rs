//! The Loan object of a loan account, computed from the terms the bank holds.

use crate::model::format::Date;
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

fn add_months(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_months(Months::new(n.max(0) as u32))
        .unwrap_or(d)
}

impl Loan {
    /// The loan at `now`: payments fall on the 5th of each month, and the capital still due
    /// goes down in a straight line over the duration.
    pub fn at(l: &LoanTerms, now: NaiveDateTime) -> Loan {
        let today = now.date();
        let done = ((today.year() - l.subscription_date.year()) as i64 * 12 + today.month() as i64
            - l.subscription_date.month() as i64)
            .clamp(0, l.duration_months);
        let left = l.duration_months - done;
        let next = NaiveDate::from_ymd_opt(today.year(), today.month(), 5)
            .map(|d| if d <= today { add_months(d, 1) } else { d })
            .unwrap_or(today);
        let due =
            (l.total_amount * Decimal::from(left) / Decimal::from(l.duration_months)).round_dp(2);
        let previous = next.checked_sub_months(Months::new(1)).unwrap_or(next);
        Loan {
            total_amount: Some(Money(l.total_amount)),
            available_amount: Some(Money(Decimal::ZERO)),
            used_amount: Some(Money(l.total_amount)),
            subscription_date: Some(Date(l.subscription_date)),
            maturity_date: Some(Date(add_months(l.subscription_date, l.duration_months))),
            next_payment_amount: Some(Money(l.monthly_payment)),
            next_payment_date: (left > 0).then_some(Date(next)),
            rate: Some(Money(l.rate)),
            nb_payments_left: Some(left),
            nb_payments_done: Some(done),
            nb_payments_total: Some(l.duration_months),
            last_payment_amount: (done > 0).then_some(Money(l.monthly_payment)),
            last_payment_date: (done > 0).then_some(Date(previous)),
            account_label: Some("Prêt Immobilier".into()),
            insurance_label: Some("Assurance emprunteur".into()),
            duration: Some(l.duration_months),
            kind: Some(l.loan_type.clone()),
            remaining_capital: Some(Money(due)),
        }
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
