//! `/users`: the current user, any user by id, deletion, and the domain-wide list.

use crate::api::extract::Params;
use crate::api::principal::Principal;
use crate::error::{ApiError, Result, ServiceError};
use crate::model::user::{User, UsersList};
use crate::state::AppState;
use crate::store::users;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

/// The user (`me`, or its id).
#[utoipa::path(get, path = "/2.0/users/{user}", tag = "users",
    params(("user" = String, Path, description = "`me` or the user's id")),
    responses((status = 200, description = "The user", body = User)),
    security(("bearerAuth" = [])))]
pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
) -> Result<Json<User>> {
    let id = who.user(&st, &user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let u = users::get(&mut conn, id, st.clock.now())
        .await?
        .ok_or_else(|| ApiError::not_found("User"))?;
    Ok(Json(u))
}

/// Hard delete of the user and, through foreign keys, everything under it.
#[utoipa::path(delete, path = "/2.0/users/{user}", operation_id = "deleteUser", tag = "users",
    params(("user" = String, Path, description = "`me` or the user's id")),
    responses((status = 204, description = "Deleted")),
    security(("bearerAuth" = [])))]
pub async fn delete(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
) -> Result<StatusCode> {
    let id = who.user(&st, &user).await?;
    let mut tx = st.db.begin().await?;
    // Queued before the rows go, in the same transaction: USER_DELETED carries the user.
    crate::sync::events::user_event(&mut tx, "USER_DELETED", id, st.clock.now()).await?;
    if !users::delete(&mut tx, id).await? {
        return Err(ApiError::not_found("User"));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /users` with the users (or config) token. `users` is null when there are none, as
/// observed on the real API.
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
pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    params: Params,
) -> Result<Json<UsersList>> {
    if !matches!(who, Principal::Users | Principal::Config) {
        return Err(ApiError::Forbidden(
            "Listing users requires the users token.".into(),
        ));
    }
    let limit = params.bounded("limit", 1000)?.unwrap_or(1000);
    let offset = params.bounded("offset", i64::MAX)?.unwrap_or(0);
    let mut conn = st.db.reader.acquire().await?;
    let (list, total) = users::list(&mut conn, limit, offset, st.clock.now()).await?;
    Ok(Json(UsersList::new(list, total)))
}
