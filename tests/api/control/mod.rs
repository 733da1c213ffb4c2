//! The control plane (`/sandbox/...`, README): the one sandbox clock and its persistence,
//! due work, forced states, syncs on demand, changes at the bank (accounts, transactions,
//! outages), headless users, scenario documents (by call and at start), reset, and the
//! config token that guards all of it.

mod bank_changes;
mod bank_transactions;
mod clock;
mod forced_states;
mod injected_fields;
mod reset;
mod scenarios;

use crate::common::*;
use reqwest::Method;
use serde_json::{json, Value};

/// The user's transactions (none while no account is enabled: the API answers 409 then).
async fn transactions(app: &TestApp, token: &str) -> Vec<Value> {
    let r = app
        .get("/users/me/transactions?limit=1000", Some(token))
        .await;
    if r.status == 409 && r.body["code"] == "noAccount" {
        return vec![];
    }
    r.ok()["transactions"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn clock_post(app: &TestApp, body: Value) -> Reply {
    app.sandbox_post("/sandbox/clock", body).await
}

async fn sync_now(app: &TestApp, id: i64, body: Value) -> Value {
    app.sandbox_post(&format!("/sandbox/connections/{id}/sync"), body)
        .await
        .ok()
}

async fn force(app: &TestApp, id: i64, body: Value) -> Reply {
    app.sandbox_post(&format!("/sandbox/connections/{id}/state"), body)
        .await
}

async fn users_total(app: &TestApp) -> i64 {
    let b = app.get("/users", Some(USERS_TOKEN)).await.ok();
    b["total"].as_i64().unwrap()
}

/// The README's scenario document, its clock at `at`.
fn readme_scenario(at: &str) -> Value {
    json!({
        "clock": {"set": at, "freeze": true},
        "users": [{"connections": [{
            "connector": TEST_CONNECTOR_UUID,
            "login": "alice", "password": "1234",
            "consent_age": "179d",
            "accounts": {"enabled": ["checking", "savings"], "deleted": ["card"]},
            "transactions": [{"account": "checking", "date": "2026-01-10", "value": -42.5, "wording": "CB TEST"}],
            "state": null
        }]}]
    })
}
