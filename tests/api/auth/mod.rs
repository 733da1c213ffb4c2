//! `/auth/...`: users created by `/auth/init`, temporary codes, code exchange, renewal and
//! revocation (powens-api.md §2).

mod access;
mod configured;
mod init;
mod lifetimes;
mod renew;

use crate::common::*;
use reqwest::Method;
use serde_json::json;

const STRICT_CLIENT_ID: &str = "87654321";
const STRICT_CLIENT_SECRET: &str = "strict-app-secret";

/// A `POST /auth/renew` body for this user with the default client's credentials.
fn renew_body(id_user: i64) -> serde_json::Value {
    json!({"grant_type": "client_credentials", "client_id": CLIENT_ID,
           "client_secret": CLIENT_SECRET, "id_user": id_user})
}
