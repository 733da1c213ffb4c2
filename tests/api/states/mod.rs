//! Connection states end to end (§11, README "Connection states and magic credentials"):
//! every ConnectionState reached from a login form and resumed the way the PSU would, PSD2
//! consent and its exact 180-day boundary, background syncs every 24 h of sandbox time, the
//! hourly retries after a bank-side failure, and per-source states.

mod consent;
mod login_form;
mod psu_input;
mod scheduler;

use crate::common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Creates a connection and checks the status; returns the body.
async fn connect(app: &TestApp, token: &str, body: Value, status: u16) -> Value {
    let r = app.post("/users/me/connections", Some(token), body).await;
    assert_eq!(r.status.as_u16(), status, "creating: {}", r.text);
    r.body
}

/// `POST /users/me/connections/{id}` (an update: credentials, OTP, resume, refresh_auth).
async fn update(app: &TestApp, token: &str, id: i64, body: Value) -> Reply {
    app.post(&format!("/users/me/connections/{id}"), Some(token), body)
        .await
}

/// `PUT /users/me/connections/{id}?psu_requested=...`.
async fn put_sync(app: &TestApp, token: &str, id: i64, psu_requested: bool) -> Reply {
    app.put(
        &format!("/users/me/connections/{id}?psu_requested={psu_requested}"),
        Some(token),
        None,
    )
    .await
}

fn status(r: &Reply) -> u16 {
    r.status.as_u16()
}

fn field_names(c: &Value) -> Vec<String> {
    c["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("fields in {c}"))
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect()
}

fn has_message(c: &Value) -> bool {
    c["error_message"]
        .as_str()
        .is_some_and(|m| !m.trim().is_empty())
}

/// The jobs of a tick that synced this connection.
fn syncs_of(ran: &[Value], id: i64) -> Vec<Value> {
    ran.iter()
        .filter(|j| j["job"] == "sync" && j["id_connection"] == id)
        .cloned()
        .collect()
}

async fn transactions_total(app: &TestApp, token: &str) -> i64 {
    let b = app
        .get("/users/me/transactions?limit=1", Some(token))
        .await
        .ok();
    b["total"].as_i64().unwrap()
}
