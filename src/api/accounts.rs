//! `/users/{user}/accounts` (and under a connection): lists, single reads, updates.
//! Enabling an account is the PSU's consent: its history is fetched at once. Disabling it
//! deletes its transactions.

use crate::api::connections::owned;
use crate::api::extract::MAX_LIMIT;
use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::account::{
    BankAccount, BankAccountOrBatch, BankAccountUpdateRequest, BankAccountsList,
};
use crate::state::AppState;
use crate::store::accounts::{self, Account, Scope};
use crate::store::{self};
use crate::sync::lifecycle;
use axum::extract::{Path, State};
use axum::Json;
use sqlx::SqliteConnection;
use std::collections::HashMap;

async fn scope(
    st: &AppState,
    who: &Principal,
    user: &str,
    connection: Option<&str>,
) -> Result<Scope> {
    let id_user = who.user(st, user).await?;
    match connection {
        None => Ok(Scope::User(id_user)),
        Some(c) => {
            let mut conn = st.db.reader.acquire().await?;
            Ok(Scope::Connection(
                id_user,
                owned(&mut conn, id_user, c).await?.id,
            ))
        }
    }
}

async fn list_in(
    st: AppState,
    who: Principal,
    user: String,
    connection: Option<String>,
    params: Params,
) -> Result<Json<BankAccountsList>> {
    let scope = scope(&st, &who, &user, connection.as_deref()).await?;
    let (limit, offset) = params.page(MAX_LIMIT)?;
    let all = params.flag("all")?;
    let mut conn = st.db.reader.acquire().await?;
    let list = accounts::list(&mut conn, scope, all).await?;
    Ok(Json(BankAccountsList::page(
        models(&list, &st)?,
        offset,
        limit,
    )))
}

/// The user's accounts: enabled ones, and with `?all` the disabled and deleted too.
#[utoipa::path(get, path = "/2.0/users/{user}/accounts", tag = "accounts",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("all" = Option<String>, Query, description = "A value-less flag: disabled and deleted accounts too"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 1000; the whole list without it"),
        ("offset" = Option<i64>, Query, description = "Accounts to skip"),
    ),
    responses((status = 200, description = "The accounts and their balances", body = BankAccountsList)),
    security(("bearerAuth" = [])))]
pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
    params: Params,
) -> Result<Json<BankAccountsList>> {
    list_in(st, who, user, None, params).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/accounts", tag = "accounts",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("all" = Option<String>, Query, description = "A value-less flag"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 1000; the whole list without it"),
        ("offset" = Option<i64>, Query, description = "Accounts to skip"),
    ),
    responses((status = 200, description = "The connection's accounts", body = BankAccountsList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_connection(
    State(st): State<AppState>,
    who: Principal,
    Path((user, c)): Path<(String, String)>,
    params: Params,
) -> Result<Json<BankAccountsList>> {
    list_in(st, who, user, Some(c), params).await
}

fn ids(s: &str) -> Result<Vec<i64>> {
    s.split(',')
        .map(|p| {
            p.trim()
                .parse::<i64>()
                .map_err(|_| ApiError::not_found("Account"))
        })
        .collect()
}

/// The accounts named in the path, in scope. Disabled ones need `?all` (as in Powens);
/// deleted ones stay readable by id.
async fn load(
    conn: &mut SqliteConnection,
    scope: Scope,
    ids: &[i64],
    all: bool,
) -> Result<Vec<Account>> {
    let (id_user, id_connection) = match scope {
        Scope::User(u) => (u, None),
        Scope::Connection(u, c) => (u, Some(c)),
    };
    let mut out = Vec::new();
    for id in ids {
        let a = accounts::get(conn, id_user, *id)
            .await?
            .filter(|a| id_connection.is_none_or(|c| a.id_connection == c))
            .filter(|a| all || a.disabled.is_none())
            .ok_or_else(|| ApiError::not_found("Account"))?;
        out.push(a);
    }
    Ok(out)
}

async fn get_in(
    st: AppState,
    who: Principal,
    user: String,
    connection: Option<String>,
    id: String,
    params: Params,
) -> Result<Json<BankAccountOrBatch>> {
    let scope = scope(&st, &who, &user, connection.as_deref()).await?;
    let mut conn = st.db.reader.acquire().await?;
    let list = load(&mut conn, scope, &ids(&id)?, params.flag("all")?).await?;
    Ok(Json(BankAccountOrBatch::new(models(&list, &st)?)))
}

/// The rows as the API shows them, each in its currency from the catalogue.
fn models(list: &[Account], st: &AppState) -> Result<Vec<BankAccount>> {
    Ok(list
        .iter()
        .map(|a| a.to_model(st.catalogue.currency(&a.currency)))
        .collect::<sqlx::Result<_>>()?)
}

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
pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> Result<Json<BankAccountOrBatch>> {
    get_in(st, who, user, None, id, params).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/accounts/{id}", tag = "accounts",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("id" = String, Path, description = "An id, or a comma list of ids"),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    responses((status = 200, description = "The account (a list for several ids)", body = BankAccountOrBatch)),
    security(("bearerAuth" = [])))]
pub async fn get_in_connection(
    State(st): State<AppState>,
    who: Principal,
    Path((user, c, id)): Path<(String, String, String)>,
    params: Params,
) -> Result<Json<BankAccountOrBatch>> {
    get_in(st, who, user, Some(c), id, params).await
}

/// The update body, read from JSON or a form with the Powens errors for bad values.
fn changes(body: &Fields) -> Result<BankAccountUpdateRequest> {
    let usage = body.str("usage")?;
    if let Some(u) = &usage {
        if !["PRIV", "ORGA", "ASSO"].contains(&u.as_str()) {
            return Err(ApiError::invalid("usage", "expected PRIV, ORGA or ASSO"));
        }
    }
    let name = body.str("name")?;
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(ApiError::invalid("name", "must not be empty"));
    }
    Ok(BankAccountUpdateRequest {
        display: body.bool("display")?,
        name,
        disabled: body.bool("disabled")?,
        bookmarked: body.bool("bookmarked")?,
        usage,
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
) -> Result<Json<BankAccountOrBatch>> {
    let scope = scope(&st, &who, &user, connection.as_deref()).await?;
    let ch = changes(&body)?;
    let ids = ids(&id)?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut list = load(&mut tx, scope, &ids, params.flag("all")?).await?;
    let mut connections = HashMap::new();
    for a in &mut list {
        if let Some(d) = ch.display {
            a.display = d;
        }
        if let Some(n) = &ch.name {
            a.name = n.clone();
        }
        if let Some(b) = ch.bookmarked {
            a.bookmarked = b;
        }
        if let Some(u) = &ch.usage {
            a.usage = Some(u.clone());
        }
        match ch.disabled {
            Some(true) => lifecycle::disable_account(&mut tx, &st, a, now).await?,
            Some(false) if a.disabled.is_some() => {
                let c = match connections.remove(&a.id_connection) {
                    Some(c) => c,
                    None => store::connections::by_id(&mut tx, a.id_connection)
                        .await?
                        .ok_or_else(|| ApiError::internal("connection vanished"))?,
                };
                lifecycle::enable_account(&mut tx, &st, &c, a, now).await?;
                connections.insert(a.id_connection, c);
            }
            _ => {}
        }
        accounts::save(&mut tx, a).await?;
    }
    tx.commit().await?;
    Ok(Json(BankAccountOrBatch::new(models(&list, &st)?)))
}

/// Updates accounts; `{"disabled": false}` is the PSU's consent and fetches the history at
/// once, `{"disabled": true}` deletes the account's transactions. `PUT` is the legacy
/// spelling of `POST`.
#[utoipa::path(method(post, put), path = "/2.0/users/{user}/accounts/{id}", tag = "accounts",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = String, Path, description = "An id, or a comma list of ids"),
        ("all" = Option<String>, Query, description = "A value-less flag: needed for disabled accounts"),
    ),
    request_body(content = BankAccountUpdateRequest, description = "JSON or form"),
    responses((status = 200, description = "The account (a list for several ids)", body = BankAccountOrBatch)),
    security(("bearerAuth" = [])))]
pub async fn update(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    params: Params,
    body: Fields,
) -> Result<Json<BankAccountOrBatch>> {
    update_in(st, who, user, None, id, params, body).await
}

/// As `POST /users/{user}/accounts/{id}`, within one connection; `PUT` is the legacy
/// spelling of `POST`.
#[utoipa::path(method(post, put), path = "/2.0/users/{user}/connections/{c}/accounts/{id}", tag = "accounts",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("id" = String, Path, description = "An id, or a comma list of ids"),
        ("all" = Option<String>, Query, description = "A value-less flag"),
    ),
    request_body(content = BankAccountUpdateRequest, description = "JSON or form"),
    responses((status = 200, description = "The account (a list for several ids)", body = BankAccountOrBatch)),
    security(("bearerAuth" = [])))]
pub async fn update_in_connection(
    State(st): State<AppState>,
    who: Principal,
    Path((user, c, id)): Path<(String, String, String)>,
    params: Params,
    body: Fields,
) -> Result<Json<BankAccountOrBatch>> {
    update_in(st, who, user, Some(c), id, params, body).await
}
