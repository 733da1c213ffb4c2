//! The control plane's scenario bodies (`POST /sandbox/scenario`, `POST /sandbox/users`).
//!
//! The loader reads a scenario as JSON values and answers JSON values of this shape, so
//! these types describe both for the document; no code constructs them.

#![allow(dead_code)]

use crate::model::format::DateTime;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(ToSchema)]
pub struct ScenarioClock {
    set: Option<DateTime>,
    freeze: Option<bool>,
}

#[derive(ToSchema)]
pub struct ScenarioAccounts {
    /// `"all"` (default), `"none"`, or a list of account types to enable.
    enabled: Option<Value>,
    /// Account types the bank no longer shows.
    deleted: Option<Vec<String>>,
}

/// A transaction at the bank (the fields of an injected one) and the account it goes to.
#[derive(ToSchema)]
pub struct ScenarioTransaction {
    /// The account type the transaction goes to.
    account: String,
    #[serde(flatten)]
    transaction: crate::model::control_bank::InjectedTransaction,
}

#[derive(ToSchema)]
pub struct ScenarioConnection {
    /// A connector uuid or id; or give a ConnectionRequest (`id_connector` or
    /// `connector_uuid`, `source`, and the connector's own fields such as
    /// `openapiwebsite`), as `POST /users/{id}/connections` takes it.
    connector: Option<Value>,
    id_connector: Option<i64>,
    connector_uuid: Option<String>,
    /// Only this source of the connector.
    source: Option<String>,
    login: Option<String>,
    password: Option<String>,
    fields: Option<BTreeMap<String, String>>,
    state: Option<String>,
    /// How long ago PSD2 consent was given, e.g. `179d`.
    consent_age: Option<String>,
    accounts: Option<ScenarioAccounts>,
    transactions: Option<Vec<ScenarioTransaction>>,
}

#[derive(ToSchema)]
pub struct ScenarioUser {
    connections: Option<Vec<ScenarioConnection>>,
}

#[derive(ToSchema)]
pub struct ScenarioDocument {
    clock: Option<ScenarioClock>,
    users: Option<Vec<ScenarioUser>>,
}

#[derive(ToSchema)]
pub struct LoadedAccount {
    id: i64,
    #[serde(rename = "type")]
    kind: String,
    name: String,
    disabled: Option<DateTime>,
    deleted: Option<DateTime>,
    nb_transactions: i64,
}

#[derive(ToSchema)]
pub struct LoadedConnection {
    id: i64,
    id_connector: i64,
    state: Option<String>,
    accounts: Vec<LoadedAccount>,
}

#[derive(ToSchema)]
pub struct LoadedUser {
    id_user: i64,
    auth_token: String,
    connections: Vec<LoadedConnection>,
}

#[derive(ToSchema)]
pub struct LoadedScenario {
    now: DateTime,
    users: Vec<LoadedUser>,
}
