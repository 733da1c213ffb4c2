//! Transactions (§8): lists at user, account and connection scope with every filter and its
//! boundaries, the envelope and its absolute keyset `_links`, single reads, updates, exact
//! money, and isolation between users.

mod control_plane;
mod envelope;
mod filters;
mod ledgers;
mod reads;
mod scopes;

use crate::common::*;
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::str::FromStr;

fn tx_ids(list: &[Value]) -> Vec<i64> {
    list.iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

fn page_ids(b: &Value) -> Vec<i64> {
    tx_ids(b["transactions"].as_array().unwrap())
}

/// Every transaction under `path` (a list route without query), walked 1000 at a time.
async fn everything(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    app.walk_transactions(token, &format!("{path}?limit=1000"))
        .await
}

fn contains_ci(t: &Value, needle: &str) -> bool {
    let n = needle.to_lowercase();
    ["wording", "original_wording", "simplified_wording"]
        .iter()
        .any(|k| t[*k].as_str().unwrap_or("").to_lowercase().contains(&n))
}

/// Percent-encodes a query value.
fn enc(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)]).unwrap()[2..].to_string()
}

/// The ids `path` lists with `query` (all pages), in order.
async fn listed(app: &TestApp, token: &str, path: &str, query: &str) -> Vec<i64> {
    tx_ids(
        &app.walk_transactions(token, &format!("{path}?limit=1000&{query}"))
            .await,
    )
}

fn expected(all: &[Value], keep: impl Fn(&Value) -> bool) -> Vec<i64> {
    tx_ids(
        &all.iter()
            .filter(|t| keep(t))
            .cloned()
            .collect::<Vec<Value>>(),
    )
}
