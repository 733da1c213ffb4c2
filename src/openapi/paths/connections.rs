//! `/users/{user}/connections`, their sources and logs (powens-api.md §6, §11).

use crate::openapi::aggregation::*;
use crate::openapi::schemas::ServiceError;

/// Creates a connection and runs its first sync: 200 when it went through, 202 when the
/// PSU has more to do (SCA, OTP, decoupled validation), 400 `wrongpass` when the bank
/// refuses the credentials (nothing is kept).
#[utoipa::path(post, path = "/2.0/users/{user}/connections", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("source" = Option<String>, Query, description = "Only this source of the connector"),
        ("expand" = Option<String>, Query, description = "`accounts`, `all_accounts`, `sources`, `connector`, `subscriptions`, `all_subscriptions`"),
    ),
    request_body(content = ConnectionRequest, description = "JSON or form"),
    responses(
        (status = 200, description = "Synced", body = Connection),
        (status = 202, description = "Waiting for the PSU: see `state` and `fields`", body = Connection),
        (status = 400, description = "`wrongpass` and other client errors", body = ServiceError),
    ),
    security(("bearerAuth" = [])))]
pub fn create() {}

#[utoipa::path(get, path = "/2.0/users/{user}/connections", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("expand" = Option<String>, Query, description = "`accounts`, `all_accounts`, `sources`, `connector`, `subscriptions`, `all_subscriptions`"),
    ),
    responses((status = 200, description = "The user's connections", body = ConnectionsList)),
    security(("bearerAuth" = [])))]
pub fn list() {}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{id}", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("expand" = Option<String>, Query),
    ),
    responses((status = 200, description = "The connection", body = Connection)),
    security(("bearerAuth" = [])))]
pub fn get() {}

/// A sync now; `psu_requested=false` for a background refresh without the PSU.
#[utoipa::path(put, path = "/2.0/users/{user}/connections/{id}", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("psu_requested" = Option<bool>, Query, description = "Default true"),
        ("expand" = Option<String>, Query),
    ),
    responses(
        (status = 200, description = "Synced", body = Connection),
        (status = 202, description = "Waiting for the PSU", body = Connection),
    ),
    security(("bearerAuth" = [])))]
pub fn sync() {}

/// Deletes the connection with its sources, accounts, transactions and logs.
#[utoipa::path(delete, path = "/2.0/users/{user}/connections/{id}", operation_id = "deleteUserConnection", tag = "connections",
    params(("user" = String, Path, description = "`me` or the user's id"), ("id" = i64, Path)),
    responses((status = 204, description = "Deleted")),
    security(("bearerAuth" = [])))]
pub fn delete() {}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{id}/sources", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("all" = Option<String>, Query, description = "A value-less flag: disabled sources too"),
    ),
    responses((status = 200, description = "The connection's sources", body = ConnectionSourcesList)),
    security(("bearerAuth" = [])))]
pub fn sources() {}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{id}/sources/{sid}", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("sid" = i64, Path),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    responses((status = 200, description = "The source", body = ConnectionSource)),
    security(("bearerAuth" = [])))]
pub fn source() {}

/// `{"disabled": true|false}`: a disabled source is skipped by syncs.
#[utoipa::path(post, path = "/2.0/users/{user}/connections/{id}/sources/{sid}", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("sid" = i64, Path),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    request_body(content = SourceUpdateRequest),
    responses((status = 200, description = "The source", body = ConnectionSource)),
    security(("bearerAuth" = [])))]
pub fn source_update() {}

/// As `POST`.
#[utoipa::path(put, path = "/2.0/users/{user}/connections/{id}/sources/{sid}", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("sid" = i64, Path),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    request_body(content = SourceUpdateRequest),
    responses((status = 200, description = "The source", body = ConnectionSource)),
    security(("bearerAuth" = [])))]
pub fn source_put() {}

/// One log row per sync.
#[utoipa::path(get, path = "/2.0/users/{user}/connections/{id}/logs", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("limit" = Option<i64>, Query, description = "At most 1000, default 100"),
        ("offset" = Option<i64>, Query),
        ("min_date" = Option<String>, Query, description = "`YYYY`, `YYYY-MM` or `YYYY-MM-DD`"),
        ("max_date" = Option<String>, Query, description = "`YYYY`, `YYYY-MM` or `YYYY-MM-DD`"),
        ("id_source" = Option<i64>, Query),
    ),
    responses((status = 200, description = "The connection's logs", body = ConnectionLogsList)),
    security(("bearerAuth" = [])))]
pub fn logs() {}
