//! Categories (wealth and documents reference §2): the tree served under `/banks/categories`
//! and the legacy routes, `expand=categories` on transactions, the category every generated
//! transaction gets from its wording, the PSU's category surviving later syncs, and
//! ACCOUNT_CATEGORIZED.

mod catalogue;
mod transactions;

use crate::common::*;
use serde_json::{json, Value};

/// Every transaction of the user with its categories expanded.
async fn categorized(app: &TestApp, token: &str) -> Vec<Value> {
    app.walk_transactions(token, "/users/me/transactions?limit=1000&expand=categories")
        .await
}

/// The first transaction whose original wording contains `needle`.
fn worded<'a>(txs: &'a [Value], needle: &str) -> &'a Value {
    txs.iter()
        .find(|t| t["original_wording"].as_str().unwrap().contains(needle))
        .unwrap_or_else(|| panic!("a transaction worded {needle}"))
}
