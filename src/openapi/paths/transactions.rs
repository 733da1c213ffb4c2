//! `/users/{user}/transactions` and its aliases (powens-api.md §8).

use crate::openapi::aggregation::*;
use crate::openapi::schemas::ServiceError;

/// The list filters, shared by the four list routes.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListQuery {
    /// Page size, 1 to 1000 (required).
    limit: i64,
    offset: Option<i64>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, inclusive.
    min_date: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, inclusive.
    max_date: Option<String>,
    /// The date the window applies to: `application_date` (default) or `date`.
    filter: Option<String>,
    income: Option<bool>,
    deleted: Option<bool>,
    /// A value-less flag: deleted transactions too.
    all: Option<String>,
    /// `YYYY-MM-DD HH:MM:SS`: only transactions updated after.
    last_update: Option<String>,
    wording: Option<String>,
    min_value: Option<f64>,
    max_value: Option<f64>,
    /// `12.5`, `12.5|-12.5` or `±12.5`.
    value: Option<String>,
    search: Option<String>,
    /// Opaque: follow `_links` verbatim.
    cursor: Option<String>,
}

/// Transactions of the user's enabled accounts, newest first; 409 `noAccount` when it has
/// none enabled.
#[utoipa::path(get, path = "/2.0/users/{user}/transactions", tag = "transactions",
    params(("user" = String, Path, description = "`me` or the user's id"), ListQuery),
    responses(
        (status = 200, description = "A page of transactions", body = TransactionsList),
        (status = 409, description = "`noAccount`: no enabled account", body = ServiceError),
    ),
    security(("bearerAuth" = [])))]
pub fn list() {}

#[utoipa::path(get, path = "/2.0/users/{user}/accounts/{a}/transactions", tag = "transactions",
    params(("user" = String, Path, description = "`me` or the user's id"), ("a" = i64, Path, description = "The account"), ListQuery),
    responses(
        (status = 200, description = "A page of the account's transactions", body = TransactionsList),
        (status = 409, description = "`noAccount`", body = ServiceError),
    ),
    security(("bearerAuth" = [])))]
pub fn list_in_account() {}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/transactions", tag = "transactions",
    params(("user" = String, Path, description = "`me` or the user's id"), ("c" = i64, Path, description = "The connection"), ListQuery),
    responses(
        (status = 200, description = "A page of the connection's transactions", body = TransactionsList),
        (status = 409, description = "`noAccount`", body = ServiceError),
    ),
    security(("bearerAuth" = [])))]
pub fn list_in_connection() {}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/accounts/{a}/transactions", tag = "transactions",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("a" = i64, Path, description = "The account"),
        ListQuery,
    ),
    responses(
        (status = 200, description = "A page of the account's transactions", body = TransactionsList),
        (status = 409, description = "`noAccount`", body = ServiceError),
    ),
    security(("bearerAuth" = [])))]
pub fn list_in_connection_account() {}

#[utoipa::path(get, path = "/2.0/users/{user}/transactions/{id}", tag = "transactions",
    params(("user" = String, Path, description = "`me` or the user's id"), ("id" = i64, Path)),
    responses((status = 200, description = "The transaction", body = Transaction)),
    security(("bearerAuth" = [])))]
pub fn get() {}

#[utoipa::path(get, path = "/2.0/users/{user}/accounts/{a}/transactions/{id}", tag = "transactions",
    params(("user" = String, Path, description = "`me` or the user's id"), ("a" = i64, Path, description = "The account"), ("id" = i64, Path)),
    responses((status = 200, description = "The transaction", body = Transaction)),
    security(("bearerAuth" = [])))]
pub fn get_in_account() {}

/// Updates what the PSU may edit: `wording`, `application_date`, `comment`, `active`.
#[utoipa::path(post, path = "/2.0/users/{user}/transactions/{id}", tag = "transactions",
    params(("user" = String, Path, description = "`me` or the user's id"), ("id" = i64, Path)),
    request_body(content = TransactionUpdateRequest, description = "JSON or form"),
    responses((status = 200, description = "The transaction", body = Transaction)),
    security(("bearerAuth" = [])))]
pub fn update() {}

/// The legacy spelling of `POST`.
#[utoipa::path(put, path = "/2.0/users/{user}/transactions/{id}", tag = "transactions",
    params(("user" = String, Path, description = "`me` or the user's id"), ("id" = i64, Path)),
    request_body(content = TransactionUpdateRequest, description = "JSON or form"),
    responses((status = 200, description = "The transaction", body = Transaction)),
    security(("bearerAuth" = [])))]
pub fn put() {}
