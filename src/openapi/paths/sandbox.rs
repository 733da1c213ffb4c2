//! The control plane, `/sandbox/...` (config token): the routes still documented here.
//! The clock, reset, webauth and webhook routes are documented on their handlers.

use crate::openapi::aggregation::Connection;
use crate::openapi::control::*;

/// A scenario document: users, connections, accounts, transactions and the clock, all or
/// nothing.
#[utoipa::path(post, path = "/sandbox/scenario", tag = "sandbox",
    request_body(content = ScenarioDocument),
    responses((status = 200, description = "Every id and token made", body = LoadedScenario)),
    security(("bearerAuth" = [])))]
pub fn scenario() {}

/// One user with a token, and connections with their accounts enabled.
#[utoipa::path(post, path = "/sandbox/users", tag = "sandbox",
    request_body(content = ScenarioUser),
    responses((status = 200, description = "The user", body = LoadedUser)),
    security(("bearerAuth" = [])))]
pub fn users() {}

#[utoipa::path(get, path = "/sandbox/connections/{id}", tag = "sandbox",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The connection, with what only the sandbox knows", body = SandboxConnection)),
    security(("bearerAuth" = [])))]
pub fn connection() {}

/// Puts the connection (or one source) in a state; null clears it and syncs.
#[utoipa::path(post, path = "/sandbox/connections/{id}/state", tag = "sandbox",
    params(("id" = i64, Path)),
    request_body(content = ForceStateRequest),
    responses((status = 200, description = "The connection with its sources", body = Connection)),
    security(("bearerAuth" = [])))]
pub fn force_state() {}

/// The PSU validates the pending decoupled step now.
#[utoipa::path(post, path = "/sandbox/connections/{id}/validate", tag = "sandbox",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The connection", body = Connection)),
    security(("bearerAuth" = [])))]
pub fn validate() {}

/// A sync now (`psu_requested` false by default, as the scheduler's).
#[utoipa::path(post, path = "/sandbox/connections/{id}/sync", tag = "sandbox",
    params(("id" = i64, Path), ("psu_requested" = Option<bool>, Query)),
    request_body(content = SyncRequest),
    responses((status = 200, description = "The connection and what the sync did", body = SyncedConnection)),
    security(("bearerAuth" = [])))]
pub fn sync() {}

/// The bank opens an account: found, disabled, at the next sync.
#[utoipa::path(post, path = "/sandbox/connections/{id}/bank/accounts", tag = "sandbox",
    params(("id" = i64, Path)),
    request_body(content = BankAccountRequest),
    responses((status = 200, description = "The account at the bank", body = BankAccountOpened)),
    security(("bearerAuth" = [])))]
pub fn bank_account_add() {}

/// The bank closes an account: `deleted` at the next sync.
#[utoipa::path(delete, path = "/sandbox/connections/{id}/bank/accounts/{account}", tag = "sandbox",
    params(("id" = i64, Path), ("account" = String, Path, description = "The account's id or bank key")),
    responses((status = 204, description = "Closed at the bank")),
    security(("bearerAuth" = [])))]
pub fn bank_account_remove() {}

/// Transactions the bank will show at the next sync.
#[utoipa::path(post, path = "/sandbox/connections/{id}/bank/transactions", tag = "sandbox",
    params(("id" = i64, Path)),
    request_body(content = InjectRequest),
    responses((status = 200, description = "Injected", body = Injected)),
    security(("bearerAuth" = [])))]
pub fn bank_transactions() {}

/// The bank fails every sync until the outage ends.
#[utoipa::path(post, path = "/sandbox/connections/{id}/bank/outage", tag = "sandbox",
    params(("id" = i64, Path)),
    request_body(content = OutageRequest),
    responses((status = 200, description = "The outage", body = Outage)),
    security(("bearerAuth" = [])))]
pub fn outage_start() {}

#[utoipa::path(delete, path = "/sandbox/connections/{id}/bank/outage", tag = "sandbox",
    params(("id" = i64, Path)),
    responses((status = 204, description = "Ended")),
    security(("bearerAuth" = [])))]
pub fn outage_end() {}
