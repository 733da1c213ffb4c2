//! The inspector (`/sandbox/inspector`): signing in, the guard on every page and form, what
//! the pages show (escaped), and forms that change the sandbox as the control plane does.

mod access;
mod faults;
mod forms;
mod journal;
mod pages;

use crate::common::*;
use serde_json::{json, Value};

/// A sandbox frozen at the usual instant, its webhooks going to the built-in sink, and a user
/// with a synced connection; returns the app, the user and one delivered webhook's id.
pub async fn scene() -> (TestApp, Bank, i64) {
    let app = spawn_frozen().await;
    app.sandbox_post("/sandbox/webhooks/subscriptions", json!({"url": "sink"}))
        .await
        .ok();
    let bank = app.user_with_bank().await;
    let d = delivered(
        &app,
        &format!("event=CONNECTION_SYNCED&id_user={}", bank.id_user),
    )
    .await;
    (app, bank, d["id"].as_i64().unwrap())
}

/// The first delivered webhook matching `query`, once there is one.
pub async fn delivered(app: &TestApp, query: &str) -> Value {
    app.sandbox_get(&format!("/sandbox/webhooks/wait?{query}"))
        .await
        .ok()
}
