//! Money moving between the login's own accounts. Each movement is written on both accounts
//! with opposite values, the same date and time and the same wording, naming the other
//! account as counterparty, so apps that pair internal transfers find them: checking's
//! standing transfer to each savings account, the loan's monthly repayment, and the
//! month-end sweep of checking's surplus to the main savings account, or the top-up from it,
//! never more than the savings hold. Checking also pays the deferred card's monthly summary.

use crate::bank::accounts::BankAccount;
use crate::bank::day::{is_savings, last_day_of_month, month_days, Counterparty, Ctx, Day};
use crate::bank::kinds;
use crate::bank::rng::Gen;
use chrono::{Datelike, NaiveDate, NaiveTime};
use rust_decimal::Decimal;

/// Balances count from this day (or the account's opening, if later), so they move exactly
/// by the transactions a sync brings.
pub fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date")
}

const STANDING: &str = "VIR PERMANENT EPARGNE";
const TO_SAVINGS: &str = "VIR SEPA EPARGNE AUTOMATIQUE";
const FROM_SAVINGS: &str = "VIR SEPA DEPUIS EPARGNE";
const LOAN: &str = "ECHEANCE PRET IMMOBILIER";
const LOAN_INTEREST: &str = "INTERETS ET ASSURANCE ECHEANCE PRET";

/// The other side of a transfer, as the bank names it.
fn other(account: &BankAccount, kind: &str) -> Counterparty {
    Counterparty {
        label: account.name.clone(),
        account_scheme_name: account.iban.as_ref().map(|_| "iban".into()),
        account_identification: account.iban.clone(),
        kind: kind.to_string(),
    }
}

/// The time both sides of one transfer share.
fn time(ctx: &Ctx, what: &str, key: &str, day: NaiveDate) -> NaiveTime {
    let secs = Gen::new(&[&ctx.seed, &ctx.connector, &ctx.login, &what, &key, &day])
        .range(6 * 3600, 22 * 3600) as u32;
    NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap_or_default()
}

/// A savings account's monthly standing transfer from checking.
fn standing_amount(ctx: &Ctx, savings: &BankAccount) -> Decimal {
    Gen::new(&[
        &ctx.seed,
        &ctx.connector,
        &ctx.login,
        &savings.key,
        &"standing",
    ])
    .money(5_000, 30_000)
}

fn open(a: &BankAccount, day: NaiveDate) -> bool {
    day >= a.opening_date
}

/// The account's day without the month-end sweep: its own events and the transfers that
/// link it to the login's other accounts.
pub(super) fn linked<'a>(ctx: &Ctx, account: &'a BankAccount, day: NaiveDate) -> Day<'a> {
    let mut d = kinds::own(ctx, account, day);
    if !open(account, day) {
        return d;
    }
    let checking = ctx.checking().filter(|c| open(c, day));
    if account.kind == "checking" {
        if day.day() == 1 {
            card_summary(ctx, &mut d);
        }
        if day.day() == 3 {
            for s in ctx.savings().filter(|s| open(s, day)) {
                let t = time(ctx, "standing", &s.key, day);
                let v = standing_amount(ctx, s);
                d.push_at(
                    t,
                    -v,
                    "transfer",
                    STANDING.into(),
                    STANDING,
                    0,
                    None,
                    Some(other(s, "creditor")),
                );
            }
        }
        if day.day() == 5 {
            for l in ctx.loans().filter(|l| open(l, day)) {
                let Some(due) = l.loan.as_ref().and_then(|t| t.due_on(day)) else {
                    continue;
                };
                let t = time(ctx, "loan", &l.key, day);
                d.push_at(
                    t,
                    -(due.principal + due.interest),
                    "loan_repayment",
                    LOAN.into(),
                    LOAN,
                    0,
                    None,
                    Some(other(l, "creditor")),
                );
            }
        }
    } else if is_savings(&account.kind) {
        if let (Some(c), 3) = (checking, day.day()) {
            let t = time(ctx, "standing", &account.key, day);
            let v = standing_amount(ctx, account);
            d.push_at(
                t,
                v,
                "transfer",
                STANDING.into(),
                STANDING,
                0,
                None,
                Some(other(c, "debtor")),
            );
        }
    } else if let Some(due) = account.loan.as_ref().and_then(|l| l.due_on(day)) {
        // The instalment comes in from checking; its interest goes out again, so what is owed
        // falls by the principal alone.
        let t = time(ctx, "loan", &account.key, day);
        let cp = checking.map(|c| other(c, "debtor"));
        d.push_at(
            t,
            due.principal + due.interest,
            "loan_repayment",
            LOAN.into(),
            LOAN,
            0,
            None,
            cp,
        );
        if !due.interest.is_zero() {
            d.push_at(
                t,
                -due.interest,
                "bank",
                LOAN_INTEREST.into(),
                LOAN_INTEREST,
                0,
                None,
                None,
            );
        }
    }
    d
}

/// On the 1st, checking pays what the deferred card spent the month before.
fn card_summary(ctx: &Ctx, d: &mut Day) {
    let Some(card) = ctx.card() else {
        return;
    };
    let prev = d.day.pred_opt().expect("valid date");
    let total: Decimal = month_days(prev)
        .flat_map(|x| kinds::own(ctx, card, x).out)
        .map(|t| t.value)
        .sum();
    if !total.is_zero() {
        let label = format!("RELEVE CARTE {}", card.number);
        d.push(total, "summary_card", label.clone(), &label, 0, None, None);
    }
}

/// On the last day of the month, checking sweeps the month's surplus to the main savings
/// account (or is topped up from it), so its balance wanders around its base instead of
/// drifting for years; both accounts show it.
pub(super) fn sweep(ctx: &Ctx, d: &mut Day) {
    let day = d.day;
    if day != last_day_of_month(day) {
        return;
    }
    let Some(checking) = ctx.checking() else {
        return;
    };
    let savings = ctx.main_savings().filter(|s| open(s, day));
    let (v, cp) = if d.account.key == checking.key {
        (sweep_value(ctx, checking, savings, day), savings)
    } else if savings.is_some_and(|s| s.key == d.account.key) && open(checking, day) {
        let v = sweep_value(ctx, checking, savings, day).map(|v| -v);
        (v, Some(checking))
    } else {
        return;
    };
    let Some(v) = v.filter(|v| !v.is_zero()) else {
        return;
    };
    // Checking's view decides the wording, so both sides read the same.
    let into_savings = if d.account.key == checking.key {
        v.is_sign_negative()
    } else {
        v.is_sign_positive()
    };
    let label = if into_savings {
        TO_SAVINGS
    } else {
        FROM_SAVINGS
    };
    // Each side names the other; the side receiving money names a debtor.
    let cp = cp.map(|a| {
        other(
            a,
            if v.is_sign_positive() {
                "debtor"
            } else {
                "creditor"
            },
        )
    });
    let t = time(ctx, "sweep", &checking.key, day);
    d.push_at(t, v, "transfer", label.into(), label, 0, None, cp);
}

/// The sweep of the month ending `me` as checking sees it (positive: a top-up from
/// savings), or none before checking opened.
fn sweep_value(
    ctx: &Ctx,
    checking: &BankAccount,
    savings: Option<&BankAccount>,
    me: NaiveDate,
) -> Option<Decimal> {
    if !open(checking, me) {
        return None;
    }
    let Some(savings) = savings else {
        // No savings account at this bank: the surplus goes elsewhere, unbounded.
        return Some(wanted(ctx, checking, me));
    };
    let start = epoch().max(savings.opening_date);
    if me < start {
        return Some(wanted(ctx, checking, me));
    }
    Some(bounded(ctx, checking, savings, start, me))
}

/// What checking would like to move on the month ending `me`: the month's net, reversed,
/// give or take a little.
fn wanted(ctx: &Ctx, checking: &BankAccount, me: NaiveDate) -> Decimal {
    let net: Decimal = month_days(me)
        .flat_map(|x| linked(ctx, checking, x).out)
        .map(|t| t.value)
        .sum();
    let noise =
        Gen::new(&[&ctx.seed, &ctx.connector, &ctx.login, &"sweep", &me]).money(-15_000, 15_000);
    -net + noise
}

/// The sweep of the month ending `me` with the top-up capped by what the savings account
/// holds: its balance is walked month by month from `start` (cached in the context), so it
/// never goes below zero.
fn bounded(
    ctx: &Ctx,
    checking: &BankAccount,
    savings: &BankAccount,
    start: NaiveDate,
    me: NaiveDate,
) -> Decimal {
    let mut cache = ctx.sweeps.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(v) = cache.by_month.get(&me) {
        return *v;
    }
    let mut month_end = match cache.by_month.keys().next_back() {
        Some(last) => last_day_of_month(last.succ_opt().expect("valid date")),
        None => last_day_of_month(start),
    };
    let mut balance = cache.savings_balance.unwrap_or(savings.base_balance);
    loop {
        let (mut before, mut last) = (Decimal::ZERO, Decimal::ZERO);
        for x in month_days(month_end).filter(|x| *x >= start) {
            let sum: Decimal = linked(ctx, savings, x).out.iter().map(|t| t.value).sum();
            if x < month_end {
                before += sum;
            } else {
                last += sum;
            }
        }
        let available = (balance + before).max(Decimal::ZERO);
        let want = wanted(ctx, checking, month_end);
        let v = if want.is_sign_positive() {
            want.min(available)
        } else {
            want
        };
        balance = balance + before - v + last;
        cache.by_month.insert(month_end, v);
        if month_end >= me {
            break;
        }
        month_end = last_day_of_month(month_end.succ_opt().expect("valid date"));
    }
    cache.savings_balance = Some(balance);
    cache.by_month.get(&me).copied().unwrap_or_default()
}
