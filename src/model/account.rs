//! The BankAccount object and the accounts list envelope.

use crate::bank::accounts::LoanTerms;
use crate::catalogue::Catalogue;
use crate::model::format;
use crate::model::money;
use crate::store::accounts::Account;
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::str::FromStr;

fn dec(s: &Option<String>) -> Option<Decimal> {
    s.as_deref().and_then(|v| Decimal::from_str(v).ok())
}

pub fn account_json(a: &Account, cat: &Catalogue) -> Value {
    let currency = cat.currency(&a.currency);
    let balance = dec(&a.balance);
    let coming = dec(&a.coming);
    let coming_balance = balance.map(|b| b + coming.unwrap_or_default());
    let loan: Value = a
        .loan
        .as_deref()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or(Value::Null);
    json!({
        "id": a.id,
        "id_connection": a.id_connection,
        "id_user": a.id_user,
        "id_source": a.id_source,
        "id_parent": null,
        "number": a.number,
        "webid": a.webid,
        "original_name": a.original_name,
        "name": a.name,
        "balance": money::opt_num(balance),
        "coming": money::opt_num(coming),
        "coming_balance": money::opt_num(coming_balance),
        "formatted_balance": balance.map(|b| money::formatted(b, currency)),
        "currency": money::currency_json(currency, &a.currency),
        "type": a.kind,
        "id_type": a.id_type,
        "display": a.display,
        // Observed on the real API as an integer, though the spec says boolean.
        "bookmarked": i32::from(a.bookmarked),
        "usage": a.usage,
        "ownership": "owner",
        "company_name": a.company_name,
        "iban": a.iban,
        "bic": a.bic,
        "opening_date": a.opening_date,
        "information": {},
        "loan": loan,
        "last_update": a.last_update,
        "disabled": a.disabled,
        "deleted": a.deleted,
        "error": null,
    })
}

/// `{accounts, balance, balances, coming_balances, total}`: sums per currency of the listed
/// accounts; `balance` is the sum over all of them, as observed.
pub fn list_json(
    list: &[Account],
    cat: &Catalogue,
    expand_tx: Option<&BTreeMap<i64, Vec<Value>>>,
) -> Value {
    let mut balances: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut comings: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut total = Decimal::ZERO;
    let accounts: Vec<Value> = list
        .iter()
        .map(|a| {
            if a.disabled.is_none() && a.deleted.is_none() {
                let b = dec(&a.balance).unwrap_or_default();
                total += b;
                *balances.entry(a.currency.clone()).or_default() += b;
                *comings.entry(a.currency.clone()).or_default() +=
                    b + dec(&a.coming).unwrap_or_default();
            }
            let mut v = account_json(a, cat);
            if let Some(m) = expand_tx {
                v["transactions"] = Value::Array(m.get(&a.id).cloned().unwrap_or_default());
            }
            v
        })
        .collect();
    let to_map = |m: BTreeMap<String, Decimal>| -> Map<String, Value> {
        m.into_iter().map(|(k, v)| (k, money::num(v))).collect()
    };
    json!({
        "accounts": accounts,
        "balance": money::num(total),
        "balances": to_map(balances),
        "coming_balances": to_map(comings),
        "total": list.len(),
    })
}

fn add_months(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_months(Months::new(n.max(0) as u32))
        .unwrap_or(d)
}

/// The Loan object at `now`, from the terms the bank holds.
pub fn loan_json(l: &LoanTerms, now: NaiveDateTime) -> Value {
    let today = now.date();
    let done = ((today.year() - l.subscription_date.year()) as i64 * 12 + today.month() as i64
        - l.subscription_date.month() as i64)
        .clamp(0, l.duration_months);
    let left = l.duration_months - done;
    let next = NaiveDate::from_ymd_opt(today.year(), today.month(), 5)
        .map(|d| if d <= today { add_months(d, 1) } else { d })
        .unwrap_or(today);
    let due = (l.total_amount * Decimal::from(left) / Decimal::from(l.duration_months)).round_dp(2);
    json!({
        "total_amount": money::num(l.total_amount),
        "available_amount": money::num(Decimal::ZERO),
        "used_amount": money::num(l.total_amount),
        "subscription_date": format::date(l.subscription_date),
        "maturity_date": format::date(add_months(l.subscription_date, l.duration_months)),
        "next_payment_amount": money::num(l.monthly_payment),
        "next_payment_date": (left > 0).then(|| format::date(next)),
        "rate": money::num(l.rate),
        "nb_payments_left": left,
        "nb_payments_done": done,
        "nb_payments_total": l.duration_months,
        "last_payment_amount": money::opt_num((done > 0).then_some(l.monthly_payment)),
        "last_payment_date": (done > 0).then(|| format::date(next.checked_sub_months(Months::new(1)).unwrap_or(next))),
        "account_label": "Prêt Immobilier",
        "insurance_label": "Assurance emprunteur",
        "duration": l.duration_months,
        "type": l.loan_type,
        "remaining_capital": money::num(due),
    })
}
