//! The aggregated data as the sandbox sends it: connections, their sources and logs, and the
//! bodies that change them. Bank accounts and transactions are typed in `crate::model`.

#![allow(dead_code)]

use super::schemas::{CredentialsField, DateTime};
// Transitional: the connection shadows above and the control plane's name the account type
// here; bank accounts and transactions are described by their model types.
pub use crate::model::account::BankAccount;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A connection; `fields` only when the PSU must fill a form, the rest only with `expand`.
#[derive(ToSchema)]
pub struct Connection {
    id: i64,
    id_user: i64,
    id_connector: i64,
    /// Deprecated alias of `id_connector`.
    id_bank: i64,
    connector_uuid: String,
    /// A ConnectionState, or null when the last sync went well.
    #[schema(example = "SCARequired")]
    state: Option<String>,
    /// Deprecated mirror of `state`.
    error: Option<String>,
    error_message: Option<String>,
    last_update: Option<DateTime>,
    created: DateTime,
    active: bool,
    last_push: Option<DateTime>,
    expire: Option<DateTime>,
    next_try: Option<DateTime>,
    #[schema(required = false)]
    fields: Vec<CredentialsField>,
    /// `expand=connector`.
    #[schema(required = false)]
    connector: Option<super::schemas::Connector>,
    /// `expand=sources`.
    #[schema(required = false)]
    sources: Vec<ConnectionSource>,
    /// `expand=accounts`: the enabled accounts.
    #[schema(required = false)]
    accounts: Vec<BankAccount>,
    /// `expand=all_accounts`.
    #[schema(required = false)]
    all_accounts: Vec<BankAccount>,
    /// `expand=subscriptions` (always empty: no Bill product in the sandbox).
    #[schema(required = false)]
    subscriptions: Vec<Value>,
    #[schema(required = false)]
    all_subscriptions: Vec<Value>,
}

#[derive(ToSchema)]
pub struct ConnectionsList {
    connections: Vec<Connection>,
    total: i64,
}

/// `POST /users/{user}/connections`: the connector, then the values of its fields (`login`,
/// `password`, `openapiwebsite`...) as strings.
#[derive(ToSchema)]
pub struct ConnectionRequest {
    connector_uuid: Option<String>,
    /// Deprecated: use `connector_uuid`.
    id_connector: Option<i64>,
    /// The source to use, as `?source=` does.
    source: Option<String>,
    #[serde(flatten)]
    #[schema(additional_properties)]
    fields: BTreeMap<String, String>,
}

/// `POST /users/{user}/connections/{id}`: new field values (credentials, `otp`), or one of
/// the actions; an empty body performs a pending SCA and syncs with the PSU present.
#[derive(ToSchema)]
pub struct ConnectionUpdateRequest {
    resume: Option<bool>,
    refresh_auth: Option<bool>,
    otp: Option<String>,
    active: Option<bool>,
    expire: Option<DateTime>,
    #[serde(flatten)]
    #[schema(additional_properties)]
    fields: BTreeMap<String, String>,
}

#[derive(ToSchema)]
pub struct ConnectionSource {
    id: i64,
    id_connection: i64,
    id_connector_source: i64,
    #[schema(example = "openapi")]
    name: String,
    state: Option<String>,
    error_message: Option<String>,
    last_update: Option<DateTime>,
    created: DateTime,
    disabled: Option<DateTime>,
    /// When PSD2 consent expires (consent + 180 days).
    access_expire: Option<DateTime>,
    expire: Option<DateTime>,
    next_try: Option<DateTime>,
    priority: i64,
}

#[derive(ToSchema)]
pub struct ConnectionSourcesList {
    sources: Vec<ConnectionSource>,
    total: i64,
}

#[derive(ToSchema)]
pub struct SourceUpdateRequest {
    disabled: Option<bool>,
}

/// One sync of a connection.
#[derive(ToSchema)]
pub struct ConnectionLog {
    id: i64,
    id_user: i64,
    id_connection: i64,
    id_connector: i64,
    id_source: Option<i64>,
    timestamp: DateTime,
    start: DateTime,
    next_try: Option<DateTime>,
    /// The state the sync ended in.
    error: Option<String>,
    error_message: Option<String>,
    nb_accounts: i64,
}

#[derive(ToSchema)]
pub struct ConnectionLogsList {
    connectionlogs: Vec<ConnectionLog>,
    total: i64,
    first_date: Option<DateTime>,
    last_date: Option<DateTime>,
}
