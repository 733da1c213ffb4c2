//! The control plane's bodies for `/sandbox/connections/{id}`: what it reads and answers.
//!
//! The handlers read the requests field by field (JSON or a form, like the API) and answer
//! the API's own connection value extended with what only the sandbox knows, so these types
//! describe those bodies for the document; no code constructs them.

#![allow(dead_code)]

use crate::model::account::BankAccount;
use crate::model::catalogue::ConnectorField;
use crate::model::connection::ConnectionSource;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(ToSchema)]
pub struct PendingStep {
    /// The step the connection waits on.
    step: String,
    #[serde(flatten)]
    #[schema(additional_properties)]
    more: BTreeMap<String, Value>,
}

#[derive(ToSchema)]
pub struct SandboxView {
    login: String,
    pending: Option<PendingStep>,
    /// Changes made to the bank: accounts added and removed, injected transactions, outage.
    bank: Value,
}

/// A connection as its user sees it, with its sources and every account, plus what only the
/// sandbox knows.
#[derive(ToSchema)]
pub struct SandboxConnection {
    id: i64,
    id_user: i64,
    id_connector: i64,
    state: Option<String>,
    sources: Vec<ConnectionSource>,
    all_accounts: Vec<BankAccount>,
    sandbox: SandboxView,
    #[serde(flatten)]
    #[schema(additional_properties)]
    more: BTreeMap<String, Value>,
}

#[derive(ToSchema)]
pub struct ForceStateRequest {
    /// A ConnectionState, or null to clear it (and sync).
    state: Option<String>,
    /// A source name or id: only this source.
    source: Option<String>,
    error_message: Option<String>,
    fields: Option<Vec<ConnectorField>>,
}

#[derive(ToSchema)]
pub struct SyncRequest {
    /// Default false, like a background sync.
    psu_requested: Option<bool>,
}

#[derive(ToSchema)]
pub struct SyncReport {
    found: Vec<i64>,
    deleted: Vec<i64>,
    new_transactions: i64,
}

#[derive(ToSchema)]
pub struct SyncedConnection {
    id: i64,
    state: Option<String>,
    sync: SyncReport,
    #[serde(flatten)]
    #[schema(additional_properties)]
    more: BTreeMap<String, Value>,
}
