//! `/users/{user}/subscriptions` (and under a connection): lists, single reads, consent.
//! Subscriptions are disabled until the PSU enables one (`{"disabled": false}`), which
//! fetches its documents at once; disabling one deletes them.

use crate::api::connections::owned;
use crate::api::extract::{Fields, Params, MAX_LIMIT};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::document::{Subscription, SubscriptionUpdateRequest, SubscriptionsList};
use crate::state::AppState;
use crate::store::{self, subscriptions};
use crate::sync::subscriptions::{disable_subscription, enable_subscription};
use axum::extract::{Path, State};
use axum::Json;

/// The user and, for the connection aliases, the connection (a 404 if it is not theirs).
async fn scope(
    st: &AppState,
    who: &Principal,
    user: &str,
    connection: Option<&str>,
) -> Result<(i64, Option<i64>)> {
    let id_user = who.user(st, user).await?;
    let id_connection = match connection {
        None => None,
        Some(c) => {
            let mut conn = st.db.reader.acquire().await?;
            Some(owned(&mut conn, id_user, c).await?.id)
        }
    };
    Ok((id_user, id_connection))
}

async fn list_in(
    st: AppState,
    who: Principal,
    user: String,
    connection: Option<String>,
    params: Params,
) -> Result<Json<SubscriptionsList>> {
    let (id_user, id_connection) = scope(&st, &who, &user, connection.as_deref()).await?;
    let (limit, offset) = params.page(MAX_LIMIT)?;
    let all = params.flag("all")?;
    let mut conn = st.db.reader.acquire().await?;
    let rows = subscriptions::list(&mut conn, id_user, id_connection, all).await?;
    let total = rows.len() as i64;
    let subscriptions = rows
        .iter()
        .skip(offset as usize)
        .take(limit.unwrap_or(i64::MAX) as usize)
        .map(|r| r.to_model())
        .collect::<sqlx::Result<_>>()?;
    Ok(Json(SubscriptionsList {
        subscriptions,
        total,
    }))
}

/// The user's subscriptions: enabled ones, and with `?all` the disabled and deleted too.
#[utoipa::path(get, path = "/2.0/users/{user}/subscriptions", tag = "documents",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("all" = Option<String>, Query, description = "A value-less flag: disabled and deleted subscriptions too"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 1000; the whole list without it"),
        ("offset" = Option<i64>, Query, description = "Subscriptions to skip"),
    ),
    responses((status = 200, description = "The subscriptions", body = SubscriptionsList)),
    security(("bearerAuth" = [])))]
pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
    params: Params,
) -> Result<Json<SubscriptionsList>> {
    list_in(st, who, user, None, params).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/subscriptions", tag = "documents",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("all" = Option<String>, Query, description = "A value-less flag"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 1000; the whole list without it"),
        ("offset" = Option<i64>, Query, description = "Subscriptions to skip"),
    ),
    responses((status = 200, description = "The connection's subscriptions", body = SubscriptionsList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_connection(
    State(st): State<AppState>,
    who: Principal,
    Path((user, c)): Path<(String, String)>,
    params: Params,
) -> Result<Json<SubscriptionsList>> {
    list_in(st, who, user, Some(c), params).await
}

/// The subscription in scope; a disabled one needs `?all`, a deleted one stays readable.
async fn load(
    conn: &mut sqlx::SqliteConnection,
    (id_user, id_connection): (i64, Option<i64>),
    id: &str,
    all: bool,
) -> Result<subscriptions::SubscriptionRow> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found("Subscription"))?;
    subscriptions::get(conn, id_user, id)
        .await?
        .filter(|s| id_connection.is_none_or(|c| s.id_connection == c))
        .filter(|s| all || s.disabled.is_none())
        .ok_or_else(|| ApiError::not_found("Subscription"))
}

async fn get_in(
    st: AppState,
    who: Principal,
    user: String,
    connection: Option<String>,
    id: String,
    params: Params,
) -> Result<Json<Subscription>> {
    let scope = scope(&st, &who, &user, connection.as_deref()).await?;
    let mut conn = st.db.reader.acquire().await?;
    let row = load(&mut conn, scope, &id, params.flag("all")?).await?;
    Ok(Json(row.to_model()?))
}

/// One subscription; a disabled one needs `?all`.
#[utoipa::path(get, path = "/2.0/users/{user}/subscriptions/{id}", tag = "documents",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path, description = "The subscription"),
        ("all" = Option<String>, Query, description = "A value-less flag: needed for a disabled one"),
    ),
    responses((status = 200, description = "The subscription", body = Subscription)),
    security(("bearerAuth" = [])))]
pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> Result<Json<Subscription>> {
    get_in(st, who, user, None, id, params).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/subscriptions/{id}", tag = "documents",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("id" = i64, Path, description = "The subscription"),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    responses((status = 200, description = "The subscription", body = Subscription)),
    security(("bearerAuth" = [])))]
pub async fn get_in_connection(
    State(st): State<AppState>,
    who: Principal,
    Path((user, c, id)): Path<(String, String, String)>,
    params: Params,
) -> Result<Json<Subscription>> {
    get_in(st, who, user, Some(c), id, params).await
}

fn changes(body: &Fields) -> Result<SubscriptionUpdateRequest> {
    body.only(&["disabled"])?;
    Ok(SubscriptionUpdateRequest {
        disabled: body.bool("disabled")?,
    })
}

async fn update_in(
    st: AppState,
    who: Principal,
    user: String,
    connection: Option<String>,
    id: String,
    params: Params,
    body: Fields,
) -> Result<Json<Subscription>> {
    let scope = scope(&st, &who, &user, connection.as_deref()).await?;
    let ch = changes(&body)?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut row = load(&mut tx, scope, &id, params.flag("all")?).await?;
    match ch.disabled {
        Some(true) => disable_subscription(&mut tx, &mut row, now).await?,
        Some(false) => {
            let c = store::connections::by_id(&mut tx, row.id_connection)
                .await?
                .ok_or_else(|| ApiError::internal("connection vanished"))?;
            enable_subscription(&mut tx, &st, &c, &mut row, now).await?;
        }
        None => {}
    }
    tx.commit().await?;
    Ok(Json(row.to_model()?))
}

/// `{"disabled": false}` is the PSU's consent: the documents are fetched at once;
/// `{"disabled": true}` deletes them. `PUT` is the legacy spelling of `POST`.
#[utoipa::path(method(post, put), path = "/2.0/users/{user}/subscriptions/{id}", tag = "documents",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path, description = "The subscription"),
        ("all" = Option<String>, Query, description = "A value-less flag: needed for a disabled one"),
    ),
    request_body(content = SubscriptionUpdateRequest, description = "JSON or form"),
    responses((status = 200, description = "The subscription", body = Subscription)),
    security(("bearerAuth" = [])))]
pub async fn update(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    params: Params,
    body: Fields,
) -> Result<Json<Subscription>> {
    update_in(st, who, user, None, id, params, body).await
}

#[utoipa::path(method(post, put), path = "/2.0/users/{user}/connections/{c}/subscriptions/{id}", tag = "documents",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("id" = i64, Path, description = "The subscription"),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    request_body(content = SubscriptionUpdateRequest, description = "JSON or form"),
    responses((status = 200, description = "The subscription", body = Subscription)),
    security(("bearerAuth" = [])))]
pub async fn update_in_connection(
    State(st): State<AppState>,
    who: Principal,
    Path((user, c, id)): Path<(String, String, String)>,
    params: Params,
    body: Fields,
) -> Result<Json<Subscription>> {
    update_in(st, who, user, Some(c), id, params, body).await
}
