//! `POST /users/{user}/connections/{id}`. The other connection, source and log routes are
//! documented on their handlers; this one follows when the update handler does.

use crate::model::connection::{Connection, ConnectionUpdateRequest};
use crate::openapi::schemas::ServiceError;

/// Updates a connection: new field values (credentials, `otp`), `{"resume": true}`,
/// `{"refresh_auth": true}`, `active`, `expire`; an empty body performs a pending SCA. Then
/// syncs with the PSU present.
#[utoipa::path(post, path = "/2.0/users/{user}/connections/{id}", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("background" = Option<String>, Query, description = "A value-less flag: answer `validating` at once"),
        ("expand" = Option<String>, Query),
    ),
    request_body(content = ConnectionUpdateRequest, description = "JSON or form"),
    responses(
        (status = 200, description = "Updated and synced", body = Connection),
        (status = 202, description = "Waiting for the PSU", body = Connection),
        (status = 400, description = "`wrongpass` and other client errors", body = ServiceError),
    ),
    security(("bearerAuth" = [])))]
pub fn update() {}
