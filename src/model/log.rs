//! The ConnectionLog object: one sync of a connection.

use crate::model::format::DateTime;
use crate::model::states::ConnectionState;
use serde::Serialize;
use utoipa::ToSchema;

/// One sync of a connection. Decoded straight from its row.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct ConnectionLog {
    pub id: i64,
    pub id_user: i64,
    pub id_connection: i64,
    pub id_connector: i64,
    pub id_source: Option<i64>,
    pub timestamp: DateTime,
    pub start: DateTime,
    pub next_try: Option<DateTime>,
    /// The state the sync ended in.
    pub error: Option<ConnectionState>,
    pub error_message: Option<String>,
    pub nb_accounts: i64,
}

/// A page of logs, with the total and the date bounds of everything that matched.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConnectionLogsList {
    pub connectionlogs: Vec<ConnectionLog>,
    pub total: i64,
    pub first_date: Option<DateTime>,
    pub last_date: Option<DateTime>,
}
