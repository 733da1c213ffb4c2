//! An account's balance history (`GET /users/{user}/accounts/{id}/balances`): the day-end
//! balances walked back from the account's balance through its booked transactions, grouped
//! by period. Pure, so the rule (a day's balance is the day before's plus that day's booked
//! transactions) is tested at its boundaries.

use crate::model::format::Date;
use crate::model::money::Money;
use chrono::{Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DailyBalance {
    pub date: Date,
    /// At the end of the day.
    pub balance: Money,
    /// The day's booked debits (negative).
    pub expenses: Money,
    pub incomes: Money,
    /// incomes + expenses.
    pub remains: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BalanceCurrencyGroup {
    /// ISO 4217.
    #[schema(example = "EUR")]
    pub id: String,
    #[schema(example = "€")]
    pub symbol: String,
    pub balance: Money,
    pub expenses: Money,
    pub incomes: Money,
    pub remains: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BalanceGroup {
    pub min_date: Date,
    pub max_date: Date,
    /// At the end of the period.
    pub balance: Money,
    pub expenses: Money,
    pub incomes: Money,
    pub remains: Money,
    /// Days of the period that ended below zero.
    pub n_overdraft: i64,
    pub currencies: Vec<BalanceCurrencyGroup>,
    /// One row per day, only when dates were asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_balances: Option<Vec<DailyBalance>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BalanceGroupsList {
    pub balances: Vec<BalanceGroup>,
    /// Bounds of the data there is (null when there is none).
    pub first_date: Option<Date>,
    pub last_date: Option<Date>,
    /// Bounds of this answer.
    pub result_min_date: Option<Date>,
    pub result_max_date: Option<Date>,
}

/// A group's length: `1month`, `15days`, `1year6months`, `2weeks`...
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Period {
    pub months: u32,
    pub days: u64,
}

impl Period {
    pub const MONTH: Period = Period { months: 1, days: 0 };

    /// Numbers each followed by a unit (`day`, `week`, `month`, `year`, singular or plural).
    pub fn parse(s: &str) -> Option<Period> {
        let (mut months, mut days) = (0u32, 0u64);
        let mut rest = s.trim();
        if rest.is_empty() {
            return None;
        }
        while !rest.is_empty() {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            let n: u32 = rest[..digits].parse().ok().filter(|n| *n <= 1000)?;
            rest = &rest[digits..];
            let unit = rest.chars().take_while(char::is_ascii_alphabetic).count();
            match rest[..unit].trim_end_matches('s') {
                "day" => days += n as u64,
                "week" => days += 7 * n as u64,
                "month" => months += n,
                "year" => months += 12 * n,
                _ => return None,
            }
            rest = &rest[unit..];
        }
        (months > 0 || days > 0).then_some(Period { months, days })
    }

    fn after(&self, d: NaiveDate) -> Option<NaiveDate> {
        d.checked_add_months(Months::new(self.months))?
            .checked_add_days(Days::new(self.days))
    }
}

/// What the history is computed from: the account's balance now, its booked transactions
/// (day, value) and its currency.
pub struct Ledger<'a> {
    pub balance: Decimal,
    pub booked: &'a [(NaiveDate, Decimal)],
    pub currency: &'a str,
    pub symbol: &'a str,
}

#[derive(Default, Clone, Copy)]
struct Flow {
    incomes: Decimal,
    expenses: Decimal,
}

/// The groups of `period` from `min` to `max` (inclusive); the day-end balance of a day is
/// the balance now less what was booked after that day.
pub fn groups(
    l: &Ledger,
    min: NaiveDate,
    max: NaiveDate,
    period: Period,
    daily: bool,
) -> Vec<BalanceGroup> {
    let mut by_day: BTreeMap<NaiveDate, Flow> = BTreeMap::new();
    for (d, v) in l.booked {
        let f = by_day.entry(*d).or_default();
        if v.is_sign_negative() {
            f.expenses += v;
        } else {
            f.incomes += v;
        }
    }
    let after_min: Decimal = l
        .booked
        .iter()
        .filter(|(d, _)| *d > min)
        .map(|(_, v)| *v)
        .sum();
    // The balance at the end of the day before `min`.
    let mut running = l.balance
        - after_min
        - by_day
            .get(&min)
            .map_or(Decimal::ZERO, |f| f.incomes + f.expenses);
    let mut out = Vec::new();
    let mut start = min;
    while start <= max {
        let end = period
            .after(start)
            .and_then(|d| d.pred_opt())
            .unwrap_or(max)
            .min(max);
        let (mut incomes, mut expenses, mut overdraft) = (Decimal::ZERO, Decimal::ZERO, 0);
        let mut days = Vec::new();
        for day in start.iter_days().take_while(|d| *d <= end) {
            let f = by_day.get(&day).copied().unwrap_or_default();
            running += f.incomes + f.expenses;
            incomes += f.incomes;
            expenses += f.expenses;
            if running.is_sign_negative() && !running.is_zero() {
                overdraft += 1;
            }
            if daily {
                days.push(DailyBalance {
                    date: Date(day),
                    balance: Money(running),
                    expenses: Money(f.expenses),
                    incomes: Money(f.incomes),
                    remains: Money(f.incomes + f.expenses),
                });
            }
        }
        out.push(BalanceGroup {
            min_date: Date(start),
            max_date: Date(end),
            balance: Money(running),
            expenses: Money(expenses),
            incomes: Money(incomes),
            remains: Money(incomes + expenses),
            n_overdraft: overdraft,
            currencies: vec![BalanceCurrencyGroup {
                id: l.currency.to_string(),
                symbol: l.symbol.to_string(),
                balance: Money(running),
                expenses: Money(expenses),
                incomes: Money(incomes),
                remains: Money(incomes + expenses),
            }],
            daily_balances: daily.then_some(days),
        });
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_read_as_powens_writes_them() {
        assert_eq!(Period::parse("1month"), Some(Period::MONTH));
        assert_eq!(
            Period::parse("15days"),
            Some(Period {
                months: 0,
                days: 15
            })
        );
        assert_eq!(
            Period::parse("1year6months"),
            Some(Period {
                months: 18,
                days: 0
            })
        );
        assert_eq!(
            Period::parse("2weeks"),
            Some(Period {
                months: 0,
                days: 14
            })
        );
        for bad in ["", "month", "3", "0days", "1fortnight", "-1month"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_days_balance_is_the_day_befores_plus_its_booked_transactions() {
        let booked = [
            (d("2026-01-02"), Decimal::new(-5000, 2)),
            (d("2026-01-02"), Decimal::new(2000, 2)),
            (d("2026-01-05"), Decimal::new(-10000, 2)),
            (d("2026-01-20"), Decimal::new(100000, 2)),
        ];
        let l = Ledger {
            balance: Decimal::new(50000, 2),
            booked: &booked,
            currency: "EUR",
            symbol: "€",
        };
        let g = groups(&l, d("2026-01-01"), d("2026-01-10"), Period::MONTH, true);
        assert_eq!(g.len(), 1);
        let days = g[0].daily_balances.as_ref().unwrap();
        assert_eq!(days.len(), 10);
        // 500 now, less the 1000 of the 20th: -500 on the 10th; back through the 5th and 2nd.
        assert_eq!(days[9].balance, Money(Decimal::new(-50000, 2)));
        assert_eq!(days[0].balance, Money(Decimal::new(-37000, 2)));
        assert_eq!(days[1].balance, Money(Decimal::new(-40000, 2)));
        for w in days.windows(2) {
            assert_eq!(w[1].balance.0, w[0].balance.0 + w[1].remains.0);
        }
        assert_eq!(g[0].expenses, Money(Decimal::new(-15000, 2)));
        assert_eq!(g[0].incomes, Money(Decimal::new(2000, 2)));
        assert_eq!(g[0].n_overdraft, 10);
        let split = groups(
            &l,
            d("2026-01-01"),
            d("2026-01-31"),
            Period::parse("15days").unwrap(),
            false,
        );
        assert_eq!(split.len(), 3);
        assert_eq!(split[1].min_date, Date(d("2026-01-16")));
        assert_eq!(split[2].max_date, Date(d("2026-01-31")));
        assert_eq!(split[2].balance, Money(Decimal::new(50000, 2)));
        assert!(split[0].daily_balances.is_none());
    }
}
