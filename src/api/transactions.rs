//! `/users/{user}/transactions` and its aliases under an account or a connection: the
//! filtered list with absolute `_links` and an opaque keyset cursor, single reads, updates.

use crate::api::connections::owned;
use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::{calendar, format, transaction};
use crate::state::AppState;
use crate::store::transaction_list::{self, Direction, TxScope};
use crate::store::{accounts, transactions};
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::Json;
use serde_json::{json, Value};

pub use crate::api::transaction_query::{decode_cursor, encode_cursor, filters, values};

pub const MAX_LIMIT: i64 = 1000;

/// Path parts of the four list routes.
#[derive(Default)]
pub struct Where {
    pub user: String,
    pub connection: Option<String>,
    pub account: Option<String>,
}

/// The absolute URL of this list with `cursor` replaced (and `offset` dropped).
fn link(base: &str, uri: &Uri, params: &Params, cursor: &str) -> Value {
    let mut pairs: Vec<(&str, &str)> = params
        .0
        .iter()
        .filter(|(k, _)| *k != "cursor" && *k != "offset")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.sort();
    pairs.push(("cursor", cursor));
    let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    json!({"href": format!("{base}{}?{q}", uri.path())})
}

pub async fn list_in(
    st: AppState,
    who: Principal,
    w: Where,
    params: Params,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Json<Value>> {
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
    let dir = q
        .position
        .as_ref()
        .map(|p| p.dir)
        .unwrap_or(Direction::Next);
    let date_of = |t: &transactions::Transaction| {
        if date_col == "date" {
            t.date.clone()
        } else {
            t.application_date.clone()
        }
    };
    let base = st.base_url(&headers);
    let self_href = json!({"href": format!("{base}{}", uri)});
    let (first, last) = (page.rows.first(), page.rows.last());
    let has_next = if dir == Direction::Next {
        page.more
    } else {
        true
    };
    let has_prev = if dir == Direction::Prev {
        page.more
    } else {
        q.position.is_some() || offset > 0
    };
    let next = match (has_next, last) {
        (true, Some(t)) => link(
            &base,
            &uri,
            &params,
            &encode_cursor(&date_of(t), t.id, Direction::Next, page.total),
        ),
        _ => Value::Null,
    };
    let prev = match (has_prev, first) {
        (true, Some(t)) => link(
            &base,
            &uri,
            &params,
            &encode_cursor(&date_of(t), t.id, Direction::Prev, page.total),
        ),
        _ => Value::Null,
    };
    let dates: Vec<String> = page.rows.iter().map(date_of).collect();
    let list: Vec<Value> = page
        .rows
        .iter()
        .map(|t| transaction::transaction_json(t, &st.catalogue))
        .collect();
    Ok(Json(json!({
        "transactions": list,
        "first_date": page.first_date,
        "last_date": page.last_date,
        "result_min_date": dates.iter().min(),
        "result_max_date": dates.iter().max(),
        "total": page.total,
        "_links": {"self": self_href, "prev": prev, "next": next},
    })))
}

pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
    params: Params,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Result<Json<Value>> {
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

pub async fn list_in_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, account)): Path<(String, String)>,
    params: Params,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Result<Json<Value>> {
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

pub async fn list_in_connection(
    State(st): State<AppState>,
    who: Principal,
    Path((user, connection)): Path<(String, String)>,
    params: Params,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Result<Json<Value>> {
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

pub async fn list_in_connection_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, connection, account)): Path<(String, String, String)>,
    params: Params,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Result<Json<Value>> {
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

pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
) -> Result<Json<Value>> {
    let id_user = who.user(&st, &user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let t = find(&mut conn, id_user, &id, None).await?;
    Ok(Json(transaction::transaction_json(&t, &st.catalogue)))
}

pub async fn get_in_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, account, id)): Path<(String, String, String)>,
) -> Result<Json<Value>> {
    let id_user = who.user(&st, &user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let t = find(&mut conn, id_user, &id, Some(&account)).await?;
    Ok(Json(transaction::transaction_json(&t, &st.catalogue)))
}

/// `{wording, application_date, comment, active}`; `null` resets wording and comment.
pub async fn update(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    body: Fields,
) -> Result<Json<Value>> {
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
    };
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let t = find(&mut tx, id_user, &id, None).await?;
    transactions::update(&mut tx, t.id, &u, now).await?;
    let t = find(&mut tx, id_user, &id, None).await?;
    tx.commit().await?;
    Ok(Json(transaction::transaction_json(&t, &st.catalogue)))
}
