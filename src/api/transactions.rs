//! `/users/{user}/transactions` and its aliases under an account or a connection: the
//! filtered list with absolute `_links` and an opaque keyset cursor, single reads, updates.

use crate::api::categories;
use crate::api::connections::owned;
use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result, ServiceError};
use crate::model::calendar;
use crate::model::format::{self, Date};
use crate::model::transaction::{Transaction, TransactionUpdateRequest, TransactionsList};
use crate::state::AppState;
use crate::store::transaction_list::{self, TxScope};
use crate::store::{accounts, transactions};
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::Json;
use serde_json::Value;

pub use crate::api::transaction_query::{
    decode_cursor, encode_cursor, filters, links, values, ListQuery,
};

use crate::api::extract::MAX_LIMIT;

/// Path parts of the four list routes.
#[derive(Default)]
pub struct Where {
    pub user: String,
    pub connection: Option<String>,
    pub account: Option<String>,
}

pub async fn list_in(
    st: AppState,
    who: Principal,
    w: Where,
    params: Params,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Json<TransactionsList>> {
    let id_user = who.user(&st, &w.user).await?;
    let limit = match params.text("limit") {
        None => return Err(ApiError::missing("limit")),
        Some(_) => params
            .bounded("limit", MAX_LIMIT)?
            .filter(|l| *l > 0)
            .ok_or_else(|| {
                ApiError::invalid(
                    "limit",
                    format!("expected an integer between 1 and {MAX_LIMIT}"),
                )
            })?,
    };
    let offset = params.bounded("offset", 1_000_000_000)?.unwrap_or(0);
    let date_col = match params.text("filter").unwrap_or("application_date") {
        "application_date" => "application_date",
        "date" => "date",
        _ => {
            return Err(ApiError::invalid(
                "filter",
                "expected date or application_date",
            ))
        }
    };
    let filters = filters(&params)?;
    let with_categories = categories::wants_categories(&params)?;
    let cursor = params
        .text("cursor")
        .map(|c| decode_cursor(c).ok_or_else(|| ApiError::invalid("cursor", "malformed cursor")))
        .transpose()?;
    let mut conn = st.db.reader.acquire().await?;
    let mut scope = TxScope::User(id_user);
    if let Some(c) = &w.connection {
        scope = TxScope::Connection(owned(&mut conn, id_user, c).await?.id);
    }
    if let Some(a) = &w.account {
        let id: i64 = a.parse().map_err(|_| ApiError::not_found("Account"))?;
        let acc = accounts::get(&mut conn, id_user, id)
            .await?
            .ok_or_else(|| ApiError::not_found("Account"))?;
        if let TxScope::Connection(c) = scope {
            if acc.id_connection != c {
                return Err(ApiError::not_found("Account"));
            }
        }
        scope = TxScope::Account(acc.id);
    }
    if !accounts::has_enabled(&mut conn, id_user).await? {
        return Err(ApiError::business(
            StatusCode::CONFLICT,
            "noAccount",
            "The user has no activated bank account.",
        ));
    }
    let (position, known_total) = match cursor {
        Some((p, t)) => (Some(p), Some(t)),
        None => (None, None),
    };
    let q = transaction_list::Query {
        scope,
        date_col,
        filters,
        position,
        offset,
        limit,
        known_total,
    };
    let page = transaction_list::page(&mut conn, &q).await?;
    let links = links(&st.base_url(&headers), &uri, &params, &q, &page);
    let mut transactions = page
        .rows
        .iter()
        .map(|t| t.to_model(st.catalogue.currency(&t.currency)))
        .collect::<sqlx::Result<Vec<_>>>()?;
    if with_categories {
        for t in &mut transactions {
            categories::add_categories(&st.catalogue, t);
        }
    }
    // The page's bounds on the date the list is ordered by.
    let dates = transactions.iter().map(|t| {
        if date_col == "date" {
            t.date
        } else {
            t.application_date
        }
    });
    let bound = |d: &Option<String>| -> Result<Option<Date>> {
        d.as_deref()
            .map(|d| Date::parse(d).ok_or_else(|| ApiError::internal("a stored date is malformed")))
            .transpose()
    };
    Ok(Json(TransactionsList {
        first_date: bound(&page.first_date)?,
        last_date: bound(&page.last_date)?,
        result_min_date: dates.clone().min(),
        result_max_date: dates.max(),
        total: page.total,
        _links: links,
        transactions,
    }))
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
pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
    params: Params,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Result<Json<TransactionsList>> {
    list_in(
        st,
        who,
        Where {
            user,
            ..Default::default()
        },
        params,
        headers,
        uri,
    )
    .await
}

#[utoipa::path(get, path = "/2.0/users/{user}/accounts/{a}/transactions", tag = "transactions",
    params(("user" = String, Path, description = "`me` or the user's id"), ("a" = i64, Path, description = "The account"), ListQuery),
    responses(
        (status = 200, description = "A page of the account's transactions", body = TransactionsList),
        (status = 409, description = "`noAccount`", body = ServiceError),
    ),
    security(("bearerAuth" = [])))]
pub async fn list_in_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, account)): Path<(String, String)>,
    params: Params,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Result<Json<TransactionsList>> {
    list_in(
        st,
        who,
        Where {
            user,
            account: Some(account),
            ..Default::default()
        },
        params,
        headers,
        uri,
    )
    .await
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/transactions", tag = "transactions",
    params(("user" = String, Path, description = "`me` or the user's id"), ("c" = i64, Path, description = "The connection"), ListQuery),
    responses(
        (status = 200, description = "A page of the connection's transactions", body = TransactionsList),
        (status = 409, description = "`noAccount`", body = ServiceError),
    ),
    security(("bearerAuth" = [])))]
pub async fn list_in_connection(
    State(st): State<AppState>,
    who: Principal,
    Path((user, connection)): Path<(String, String)>,
    params: Params,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Result<Json<TransactionsList>> {
    list_in(
        st,
        who,
        Where {
            user,
            connection: Some(connection),
            ..Default::default()
        },
        params,
        headers,
        uri,
    )
    .await
}

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
pub async fn list_in_connection_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, connection, account)): Path<(String, String, String)>,
    params: Params,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Result<Json<TransactionsList>> {
    list_in(
        st,
        who,
        Where {
            user,
            connection: Some(connection),
            account: Some(account),
        },
        params,
        headers,
        uri,
    )
    .await
}

async fn find(
    conn: &mut sqlx::SqliteConnection,
    id_user: i64,
    id: &str,
    account: Option<&str>,
) -> Result<transactions::Transaction> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("Transaction"))?;
    let t = transactions::get(conn, id_user, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Transaction"))?;
    if let Some(a) = account {
        if a != t.id_account.to_string() {
            return Err(ApiError::not_found("Transaction"));
        }
    }
    Ok(t)
}

/// The row as the API shows it, in its account's currency from the catalogue, with its
/// categories when `expand` asks for them.
fn model(t: &transactions::Transaction, st: &AppState, params: &Params) -> Result<Transaction> {
    let mut out = t.to_model(st.catalogue.currency(&t.currency))?;
    if categories::wants_categories(params)? {
        categories::add_categories(&st.catalogue, &mut out);
    }
    Ok(out)
}

#[utoipa::path(get, path = "/2.0/users/{user}/transactions/{id}", tag = "transactions",
    params(("user" = String, Path, description = "`me` or the user's id"), ("id" = i64, Path),
        ("expand" = Option<String>, Query, description = "`categories` adds the category codes")),
    responses((status = 200, description = "The transaction", body = Transaction)),
    security(("bearerAuth" = [])))]
pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> Result<Json<Transaction>> {
    let id_user = who.user(&st, &user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let t = find(&mut conn, id_user, &id, None).await?;
    Ok(Json(model(&t, &st, &params)?))
}

#[utoipa::path(get, path = "/2.0/users/{user}/accounts/{a}/transactions/{id}", tag = "transactions",
    params(("user" = String, Path, description = "`me` or the user's id"), ("a" = i64, Path, description = "The account"), ("id" = i64, Path),
        ("expand" = Option<String>, Query, description = "`categories` adds the category codes")),
    responses((status = 200, description = "The transaction", body = Transaction)),
    security(("bearerAuth" = [])))]
pub async fn get_in_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, account, id)): Path<(String, String, String)>,
    params: Params,
) -> Result<Json<Transaction>> {
    let id_user = who.user(&st, &user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let t = find(&mut conn, id_user, &id, Some(&account)).await?;
    Ok(Json(model(&t, &st, &params)?))
}

/// Updates what the PSU may edit: `wording`, `application_date`, `comment`, `active` and the
/// category (`categories` or the deprecated `id_category`, kept apart from the bank's so later
/// syncs leave it); `null` resets wording and comment. `PUT` is the legacy spelling of `POST`.
#[utoipa::path(method(post, put), path = "/2.0/users/{user}/transactions/{id}", tag = "transactions",
    params(("user" = String, Path, description = "`me` or the user's id"), ("id" = i64, Path)),
    request_body(content = TransactionUpdateRequest, description = "JSON or form"),
    responses((status = 200, description = "The transaction", body = Transaction)),
    security(("bearerAuth" = [])))]
pub async fn update(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    params: Params,
    body: Fields,
) -> Result<Json<Transaction>> {
    let id_user = who.user(&st, &user).await?;
    let nullable = |key: &str| -> Result<Option<Option<String>>> {
        match body.0.get(key) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(_) => Ok(Some(body.str(key)?)),
        }
    };
    let application_date = body
        .str("application_date")?
        .map(|d| {
            calendar::parse(&d)
                .filter(|(a, b)| a == b)
                .map(|(a, _)| format::date(a))
                .ok_or_else(|| ApiError::invalid("application_date", "expected YYYY-MM-DD"))
        })
        .transpose()?;
    let u = transactions::Update {
        wording: nullable("wording")?,
        application_date,
        comment: nullable("comment")?,
        active: body.bool("active")?,
        id_category: categories::update_category(&st.catalogue, &body)?,
    };
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let t = find(&mut tx, id_user, &id, None).await?;
    transactions::update(&mut tx, t.id, &u, now).await?;
    let t = find(&mut tx, id_user, &id, None).await?;
    tx.commit().await?;
    Ok(Json(model(&t, &st, &params)?))
}
