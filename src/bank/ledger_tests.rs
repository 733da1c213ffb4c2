//! The ledger as a whole, across a PSU's own accounts: transfers on both sides, savings
//! that never go below zero, sweeps that do not depend on the order months are asked in.

use crate::bank::accounts::BankAccount;
use crate::bank::day::Ctx;
use crate::bank::ledger;
use crate::bank::transfers::*;
use crate::model::loan::LoanTerms;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

fn account(key: &str, kind: &str, base: i64) -> BankAccount {
    BankAccount {
        key: key.into(),
        kind: kind.into(),
        name: format!("Compte {kind}"),
        number: "12345678901".into(),
        iban: Some(format!("FR76{key}")),
        bic: None,
        currency: "EUR".into(),
        opening_date: NaiveDate::from_ymd_opt(2015, 3, 1).unwrap(),
        base_balance: Decimal::new(base, 2),
        usage: "PRIV".into(),
        loan: None,
    }
}

/// A household spending more than it earns, with a nearly empty savings account.
fn bank() -> Vec<BankAccount> {
    let mut loan = account("loan-3", "loan", 0);
    loan.loan = Some(LoanTerms {
        total_amount: Decimal::new(20_000_000, 2),
        rate: Decimal::new(150, 2),
        duration_months: 240,
        subscription_date: loan.opening_date,
        monthly_payment: Decimal::new(150_000, 2),
        loan_type: "mortgage".into(),
    });
    vec![
        account("checking-0", "checking", 10_000),
        account("savings-1", "savings", 1_000),
        account("card-2", "card", 0),
        loan,
        account("livret_a-4", "livret_a", 0),
    ]
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn a_savings_account_never_goes_below_zero() {
    let accounts = bank();
    for login in ["alice", "bob", "carol", "dave"] {
        let ctx = Ctx::new(42, 1, login, 8.0, &accounts);
        for s in [&accounts[1], &accounts[4]] {
            let mut balance = s.base_balance;
            let mut txs = ledger::between(&ctx, s, epoch(), at("2027-06-30 23:59:59"));
            txs.sort_by_key(|t| t.happened_at());
            for t in txs {
                balance += t.value;
                assert!(balance >= Decimal::ZERO, "{login} {} at {t:?}", s.key);
            }
            let (shown, _) = ledger::balance(&ctx, s, at("2027-06-30 23:59:59"));
            assert_eq!(shown, balance, "{login} {}", s.key);
        }
    }
}

#[test]
fn transfers_between_own_accounts_appear_on_both_with_opposite_values() {
    let accounts = bank();
    let ctx = Ctx::new(42, 1, "alice", 8.0, &accounts);
    let (from, to) = (
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        at("2026-01-15 10:00:00"),
    );
    let checking = ledger::between(&ctx, &accounts[0], from, to);
    let mut paired = 0;
    for other in &accounts[1..] {
        for t in ledger::between(&ctx, other, from, to)
            .into_iter()
            .filter(|t| t.counterparty.is_some())
        {
            let mirror = checking
                .iter()
                .find(|c| {
                    c.value == -t.value
                        && c.date == t.date
                        && c.time == t.time
                        && c.original_wording == t.original_wording
                })
                .unwrap_or_else(|| panic!("no mirror on checking for {t:?}"));
            assert_eq!(mirror.simplified_wording, t.simplified_wording);
            assert_eq!(
                mirror.counterparty.as_ref().unwrap().label,
                other.name,
                "{mirror:?}"
            );
            paired += 1;
        }
    }
    // Standing transfers to two savings accounts and a loan repayment each month, and
    // most months a sweep.
    assert!(paired >= 12 * 3, "{paired}");
}

#[test]
fn the_sweeps_are_the_same_whatever_order_the_months_are_asked_in() {
    let accounts = bank();
    let me = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    let fresh = Ctx::new(42, 1, "alice", 8.0, &accounts);
    let direct = ledger::day(&fresh, &accounts[0], me);
    let warmed = Ctx::new(42, 1, "alice", 8.0, &accounts);
    ledger::balance(&warmed, &accounts[1], at("2026-01-15 10:00:00"));
    assert_eq!(ledger::day(&warmed, &accounts[0], me), direct);
}
