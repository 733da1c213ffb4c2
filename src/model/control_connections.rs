//! The control plane's bodies for `/sandbox/connections/{id}`: what it reads and answers.
//!
//! The answers are the API's own Connection extended with what only the sandbox knows. The
//! requests are read field by field (JSON or a form, like the API, unknown fields refused by
//! name), so their types here only describe them for the document.

use crate::model::catalogue::ConnectorField;
use crate::model::connection::Connection;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// What only the sandbox knows of a connection.
#[derive(Serialize, ToSchema)]
pub struct SandboxView {
    pub login: String,
    /// The step the PSU still has to go through (`step`, its form, its deadline), if any.
    #[schema(value_type = Option<Object>)]
    pub pending: Option<Value>,
    /// Changes made to the bank: accounts added and removed, injected transactions, outage.
    #[schema(value_type = Object)]
    pub bank: Value,
}

/// A connection as its user sees it, with its sources and every account, plus what only the
/// sandbox knows.
#[derive(Serialize, ToSchema)]
pub struct SandboxConnection {
    #[serde(flatten)]
    pub connection: Connection,
    pub sandbox: SandboxView,
}

#[derive(ToSchema)]
#[allow(dead_code)] // describes the body the handler reads field by field
pub struct ForceStateRequest {
    /// A ConnectionState, or null to clear it (and sync).
    state: Option<String>,
    /// A source name or id: only this source.
    source: Option<String>,
    error_message: Option<String>,
    fields: Option<Vec<ConnectorField>>,
}

#[derive(ToSchema)]
#[allow(dead_code)] // describes the body the handler reads field by field
pub struct SyncRequest {
    /// Default false, like a background sync.
    psu_requested: Option<bool>,
}

/// What a sync did.
#[derive(Serialize, ToSchema)]
pub struct SyncReport {
    /// Accounts found at the bank (added disabled).
    pub found: Vec<i64>,
    /// Accounts gone from the bank.
    pub deleted: Vec<i64>,
    pub new_transactions: usize,
}

/// The connection after a sync, then what the sync did.
#[derive(Serialize, ToSchema)]
pub struct SyncedConnection {
    #[serde(flatten)]
    pub connection: Connection,
    pub sync: SyncReport,
}
