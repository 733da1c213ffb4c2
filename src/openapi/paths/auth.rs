//! `/auth/...`, `/users`, `/webauth-url` and `/webauth` (powens-api.md §2, §12.2).

use crate::openapi::schemas::*;

/// A new user and its token: permanent with client credentials, temporary (30 minutes)
/// without.
#[utoipa::path(post, path = "/2.0/auth/init", tag = "auth",
    request_body(content = AuthInitRequest, description = "JSON or form; the client may also use HTTP Basic."),
    responses((status = 200, description = "The user's token", body = AccessToken)))]
pub fn auth_init() {}

/// A temporary code for the webview or `/webauth` (`requestAccess`: 30 minutes;
/// `singleAccess`: one use).
#[utoipa::path(get, path = "/2.0/auth/token/code", tag = "auth",
    params(("type" = Option<String>, Query, description = "`requestAccess` (default) or `singleAccess`")),
    responses((status = 200, description = "The code", body = AuthCode)),
    security(("bearerAuth" = [])))]
pub fn auth_code() {}

/// As `GET`, for clients that post (legacy guide).
#[utoipa::path(post, path = "/2.0/auth/token/code", tag = "auth",
    params(("type" = Option<String>, Query, description = "`requestAccess` (default) or `singleAccess`")),
    responses((status = 200, description = "The code", body = AuthCode)),
    security(("bearerAuth" = [])))]
pub fn auth_code_post() {}

/// Exchanges a temporary code for a permanent token.
#[utoipa::path(post, path = "/2.0/auth/token/access", tag = "auth",
    request_body(content = ExchangeAccessTokenRequest, description = "JSON or form"),
    responses((status = 200, description = "A permanent token", body = ExchangeAccessToken)))]
pub fn auth_access() {}

/// A new permanent token for an existing user (or a new user).
#[utoipa::path(post, path = "/2.0/auth/renew", tag = "auth",
    request_body(content = RenewAccessTokenRequest, description = "JSON or form"),
    responses((status = 200, description = "A permanent token", body = ExchangeAccessToken)))]
pub fn auth_renew() {}

/// Revokes the token the request is made with.
#[utoipa::path(delete, path = "/2.0/auth/token", operation_id = "revokeAccessToken", tag = "auth",
    responses((status = 204, description = "Revoked")),
    security(("bearerAuth" = [])))]
pub fn auth_revoke() {}

/// Every user of the domain (users or config token).
#[utoipa::path(get, path = "/2.0/users", tag = "users",
    params(
        ("limit" = Option<i64>, Query, description = "At most 1000"),
        ("offset" = Option<i64>, Query),
    ),
    responses(
        (status = 200, description = "The users (null when there are none)", body = UsersList),
        (status = 403, description = "A user token", body = ServiceError),
    ),
    security(("bearerAuth" = [])))]
pub fn users_list() {}

/// The user (`me`, or its id).
#[utoipa::path(get, path = "/2.0/users/{user}", tag = "users",
    params(("user" = String, Path, description = "`me` or the user's id")),
    responses((status = 200, description = "The user", body = User)),
    security(("bearerAuth" = [])))]
pub fn users_get() {}

/// Deletes the user and everything under it.
#[utoipa::path(delete, path = "/2.0/users/{user}", operation_id = "deleteUser", tag = "users",
    params(("user" = String, Path, description = "`me` or the user's id")),
    responses((status = 204, description = "Deleted")),
    security(("bearerAuth" = [])))]
pub fn users_delete() {}

/// The URL of `/webauth` for a new connection or to resume one, with a single-use code.
#[utoipa::path(get, path = "/2.0/webauth-url", tag = "webauth",
    params(
        ("client_id" = String, Query),
        ("redirect_uri" = String, Query),
        ("connector_uuid" = Option<String>, Query),
        ("id_connector" = Option<i64>, Query),
        ("id_connection" = Option<i64>, Query, description = "To resume a connection"),
        ("source" = Option<String>, Query),
        ("state" = Option<String>, Query),
    ),
    responses((status = 200, description = "The URL", body = WebauthUrl)),
    security(("bearerAuth" = [])))]
pub fn webauth_url() {}

/// Opens a webauth flow and redirects the browser to the bank's consent page; an invalid
/// request shows an HTML page with the Powens error code instead.
#[utoipa::path(get, path = "/2.0/webauth", tag = "webauth",
    params(
        ("client_id" = String, Query),
        ("redirect_uri" = String, Query),
        ("token" = String, Query, description = "A temporary code"),
        ("connector_uuid" = Option<String>, Query),
        ("id_connector" = Option<i64>, Query),
        ("id_connection" = Option<i64>, Query, description = "To resume a connection"),
        ("source" = Option<String>, Query),
        ("state" = Option<String>, Query),
    ),
    responses(
        (status = 302, description = "To the bank's consent page"),
        (status = 400, description = "An HTML page naming the error", content_type = "text/html", body = String),
        (status = 401, description = "An HTML page naming the error", content_type = "text/html", body = String),
        (status = 404, description = "An HTML page naming the error", content_type = "text/html", body = String),
    ))]
pub fn webauth() {}
