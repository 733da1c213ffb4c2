//! Wealth (investments, pockets, market orders): every endpoint and alias, the filters and
//! pages, the lifecycle of lines and orders, the webhooks that carry them, and the
//! consistency rules between lines, pockets, balances and the ledger.

mod consistency;
mod control_plane;
mod lifecycle;
mod lists;
mod picker;

use crate::common::*;
use rust_decimal::Decimal;
use serde_json::Value;

/// The user's (enabled) account of this type.
async fn account_of_type(app: &TestApp, token: &str, kind: &str) -> Value {
    app.all_accounts(token)
        .await
        .into_iter()
        .find(|a| a["type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} account"))
}

async fn lines(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    let b = app.get(path, Some(token)).await.ok();
    b["investments"].as_array().unwrap().clone()
}

fn sum(list: &[Value], key: &str) -> Decimal {
    list.iter().map(|v| dec(&v[key])).sum()
}
