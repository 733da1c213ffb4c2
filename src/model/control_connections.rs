//! The control plane's bodies for `/sandbox/connections/{id}`: what it reads and answers.
//!
//! The answers are the API's own Connection extended with what only the sandbox knows. The
//! handlers deserialize the requests into these types (JSON or a form, like the API, unknown
//! fields refused by name).

use crate::model::catalogue::ConnectorField;
use crate::model::connection::Connection;
use crate::model::lenient;
use serde::{Deserialize, Serialize};
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForceStateRequest {
    /// A ConnectionState, or null to clear it (and sync). Required, even as null.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub state: Option<String>,
    /// A source name or id: only this source.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub source: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub error_message: Option<String>,
    pub fields: Option<Vec<ConnectorField>>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SyncRequest {
    /// Default false, like a background sync.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub psu_requested: Option<bool>,
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
