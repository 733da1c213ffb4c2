//! `/users/{user}/accounts` and the same under a connection (powens-api.md §7).

use crate::openapi::aggregation::*;

/// The user's accounts: enabled ones, and with `?all` the disabled and deleted too.
#[utoipa::path(get, path = "/2.0/users/{user}/accounts", tag = "accounts",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("all" = Option<String>, Query, description = "A value-less flag: disabled and deleted accounts too"),
    ),
    responses((status = 200, description = "The accounts and their balances", body = BankAccountsList)),
    security(("bearerAuth" = [])))]
pub fn list() {}

/// One account, or several with a comma list of ids (then a list). A disabled account
/// needs `?all`.
#[utoipa::path(get, path = "/2.0/users/{user}/accounts/{id}", tag = "accounts",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = String, Path, description = "An id, or a comma list of ids"),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    responses((status = 200, description = "The account (a list for several ids)", body = BankAccountOrBatch)),
    security(("bearerAuth" = [])))]
pub fn get() {}

/// Updates accounts; `{"disabled": false}` is the PSU's consent and fetches the history at
/// once, `{"disabled": true}` deletes the account's transactions.
#[utoipa::path(post, path = "/2.0/users/{user}/accounts/{id}", tag = "accounts",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = String, Path, description = "An id, or a comma list of ids"),
        ("all" = Option<String>, Query, description = "A value-less flag: needed for disabled accounts"),
    ),
    request_body(content = BankAccountUpdateRequest, description = "JSON or form"),
    responses((status = 200, description = "The account (a list for several ids)", body = BankAccountOrBatch)),
    security(("bearerAuth" = [])))]
pub fn update() {}

/// The legacy spelling of `POST`.
#[utoipa::path(put, path = "/2.0/users/{user}/accounts/{id}", tag = "accounts",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = String, Path, description = "An id, or a comma list of ids"),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    request_body(content = BankAccountUpdateRequest, description = "JSON or form"),
    responses((status = 200, description = "The account (a list for several ids)", body = BankAccountOrBatch)),
    security(("bearerAuth" = [])))]
pub fn put() {}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/accounts", tag = "accounts",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    responses((status = 200, description = "The connection's accounts", body = BankAccountsList)),
    security(("bearerAuth" = [])))]
pub fn list_in_connection() {}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/accounts/{id}", tag = "accounts",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("id" = String, Path, description = "An id, or a comma list of ids"),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    responses((status = 200, description = "The account (a list for several ids)", body = BankAccountOrBatch)),
    security(("bearerAuth" = [])))]
pub fn get_in_connection() {}

#[utoipa::path(post, path = "/2.0/users/{user}/connections/{c}/accounts/{id}", tag = "accounts",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("id" = String, Path, description = "An id, or a comma list of ids"),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    request_body(content = BankAccountUpdateRequest, description = "JSON or form"),
    responses((status = 200, description = "The account (a list for several ids)", body = BankAccountOrBatch)),
    security(("bearerAuth" = [])))]
pub fn update_in_connection() {}

#[utoipa::path(put, path = "/2.0/users/{user}/connections/{c}/accounts/{id}", tag = "accounts",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("id" = String, Path, description = "An id, or a comma list of ids"),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    request_body(content = BankAccountUpdateRequest, description = "JSON or form"),
    responses((status = 200, description = "The account (a list for several ids)", body = BankAccountOrBatch)),
    security(("bearerAuth" = [])))]
pub fn put_in_connection() {}
