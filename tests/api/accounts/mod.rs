//! Bank accounts (§7): lists and single reads at user and connection scope, the BankAccount
//! field set, discovery disabled, enabling as the PSU's consent, updates, comma-separated ids,
//! accounts that vanish from the bank, and isolation between users.

mod changes;
mod discovery;
mod lists;
mod object;

use crate::common::*;
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const TYPES: [&str; 7] = [
    "checking",
    "savings",
    "card",
    "loan",
    "market",
    "livret_a",
    "lifeinsurance",
];

fn by_type<'a>(accounts: &'a [Value], kind: &str) -> &'a Value {
    accounts
        .iter()
        .find(|a| a["type"] == kind)
        .unwrap_or_else(|| panic!("a {kind} account"))
}

/// ISO 13616: move the first four characters to the end, letters to numbers, mod 97 == 1.
fn iban_is_valid(iban: &str) -> bool {
    if iban.len() < 15 || !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let rearranged = format!("{}{}", &iban[4..], &iban[..4]);
    let mut rem = 0u32;
    for c in rearranged.chars() {
        let n = c.to_digit(36).unwrap();
        rem = if n >= 10 {
            (rem * 100 + n) % 97
        } else {
            (rem * 10 + n) % 97
        };
    }
    rem == 1
}

/// A balance as Powens formats it: `-1 234,56 €` with non-breaking spaces.
fn french(v: Decimal) -> String {
    let s = format!("{:.2}", v.abs());
    let (int, frac) = s.split_once('.').unwrap();
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(ch);
    }
    let sign = if v.is_sign_negative() && !v.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped},{frac}\u{a0}€")
}

/// A user with one test-connector connection whose accounts are still all disabled.
async fn discovered(app: &TestApp) -> (String, i64, Vec<Value>) {
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let accounts = app.all_accounts(&token).await;
    (token, c["id"].as_i64().unwrap(), accounts)
}

async fn transactions_total(app: &TestApp, token: &str, account: i64) -> i64 {
    let b = app
        .get(
            &format!("/users/me/accounts/{account}/transactions?limit=1"),
            Some(token),
        )
        .await
        .ok();
    b["total"].as_i64().unwrap()
}
