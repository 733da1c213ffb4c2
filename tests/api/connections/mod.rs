//! `/users/{user}/connections`: creation with field checks and a first sync, lists and
//! expansions, updates, syncs, hard deletion, sources and logs (§6).

mod control_plane;
mod creation;
mod fields;
mod first_sync;
mod lists;
mod logs;
mod sources;
mod updates;

use crate::common::*;
use reqwest::Method;
use serde_json::{json, Value};

const WEBAUTH_ONLY: i64 = 42;
const HIDDEN: i64 = 45;
const RESTRICTED: i64 = 46;

async fn connections_total(app: &TestApp, token: &str) -> i64 {
    let b = app.get("/users/me/connections", Some(token)).await.ok();
    b["total"].as_i64().unwrap()
}
