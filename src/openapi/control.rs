//! Bodies of the sandbox control plane (`/sandbox/...`, config token).

#![allow(dead_code)]

use super::aggregation::{BankAccount, ConnectionSource};
use super::schemas::{CredentialsField, DateTime};
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
    fields: Option<Vec<CredentialsField>>,
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

#[derive(ToSchema)]
pub struct BankAccountRequest {
    #[schema(example = "savings")]
    #[serde(rename = "type")]
    kind: String,
    name: Option<String>,
    balance: Option<f64>,
}

#[derive(ToSchema)]
pub struct BankAccountOpened {
    key: String,
    #[serde(rename = "type")]
    kind: String,
    name: String,
    number: Option<String>,
    id_connection: i64,
}

/// A transaction at the bank, with Powens' field names. `wording` alone is taken as the
/// bank's label (`original_wording`); any other field is refused.
#[derive(ToSchema)]
pub struct InjectedTransaction {
    date: super::schemas::Date,
    /// Default: `date`.
    rdate: Option<super::schemas::Date>,
    /// Default: `date`.
    vdate: Option<super::schemas::Date>,
    value: f64,
    original_wording: Option<String>,
    /// Default: `original_wording`.
    simplified_wording: Option<String>,
    wording: Option<String>,
    /// Default `unknown`.
    #[serde(rename = "type")]
    kind: Option<String>,
    coming: Option<bool>,
    /// Masked as Powens shows it; a `card` or `deferred_card` payment without one carries the
    /// PSU's masked card number.
    card: Option<String>,
    counterparty: Option<crate::model::transaction::TransactionCounterparty>,
}

/// Transactions the bank will show at the next sync: `id_account` (an aggregator id) or
/// `account` (a bank key).
#[derive(ToSchema)]
pub struct InjectRequest {
    id_account: Option<i64>,
    account: Option<String>,
    transactions: Vec<InjectedTransaction>,
}

/// New values the bank shows for a transaction (Powens' names; at least one).
#[derive(ToSchema)]
pub struct BankTransactionChange {
    date: Option<super::schemas::Date>,
    rdate: Option<super::schemas::Date>,
    vdate: Option<super::schemas::Date>,
    value: Option<f64>,
    original_wording: Option<String>,
    simplified_wording: Option<String>,
    /// The bank's label, when `original_wording` is not given.
    wording: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    coming: Option<bool>,
    card: Option<String>,
}

/// A transaction the bank changed, as the next sync will apply it.
#[derive(ToSchema)]
pub struct BankTransactionEdit {
    /// The account's bank key.
    account: String,
    /// The transaction's bank key.
    key: String,
    deleted: bool,
    /// The values changed so far.
    #[schema(additional_properties)]
    amended: BTreeMap<String, Value>,
}

#[derive(ToSchema)]
pub struct Injected {
    injected: i64,
    account: String,
}

#[derive(ToSchema)]
pub struct OutageRequest {
    /// Default `websiteUnavailable`.
    state: Option<String>,
    /// How long, e.g. `2h`; none: until ended.
    duration: Option<String>,
    error_message: Option<String>,
}

#[derive(ToSchema)]
pub struct Outage {
    state: String,
    until: Option<DateTime>,
}

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
    transaction: InjectedTransaction,
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
