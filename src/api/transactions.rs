//! `/users/{user}/transactions` and its aliases under an account or a connection: the
//! filtered list with absolute `_links` and an opaque keyset cursor, single reads, updates.

use crate::api::connections::owned;
use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::{calendar, format, transaction};
use crate::state::AppState;
use crate::store::transaction_list::{self, Direction, Filters, Position, TxScope};
use crate::store::{accounts, transactions};
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

pub const MAX_LIMIT: i64 = 1000;

/// Path parts of the four list routes.
#[derive(Default)]
pub struct Where {
    pub user: String,
    pub connection: Option<String>,
    pub account: Option<String>,
}

pub fn encode_cursor(date: &str, id: i64, dir: Direction, total: i64) -> String {
    let op = if dir == Direction::Next { "lt" } else { "gt" };
    let v = json!([{"op": op, "value": date}, {"op": op, "value": id}, {"total": total}]);
    URL_SAFE_NO_PAD.encode(v.to_string())
}

pub fn decode_cursor(s: &str) -> Option<(Position, i64)> {
    let bytes = URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    let dir = match v.get(0)?.get("op")?.as_str()? {
        "lt" => Direction::Next,
        "gt" => Direction::Prev,
        _ => return None,
    };
    let date = v.get(0)?.get("value")?.as_str()?.to_string();
    // The server writes one day, as the store does: a year, a month or a padded date in a
    // forged cursor would compare as text against stored days and skip rows.
    let (day, last) = calendar::parse(&date)?;
    if day != last || format::date(day) != date {
        return None;
    }
    let id = v.get(1)?.get("value")?.as_i64()?;
    let total = v.get(2)?.get("total")?.as_i64().filter(|t| *t >= 0)?;
    Some((Position { date, id, dir }, total))
}

fn decimal(params: &Params, key: &str) -> Result<Option<f64>> {
    params
        .text(key)
        .map(|v| {
            Decimal::from_str(v)
                .ok()
                .and_then(|d| d.to_f64())
                .ok_or_else(|| ApiError::invalid(key, "expected a decimal number"))
        })
        .transpose()
}

/// `value=12.5` (exact), `value=12.5|-12.5` (either), `value=±12.5` (either sign).
pub fn values(params: &Params) -> Result<Option<Vec<f64>>> {
    let Some(raw) = params.text("value") else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for part in raw.split('|') {
        let part = part.trim();
        let (abs, num) = match part.strip_prefix('±') {
            Some(rest) => (true, rest),
            None => (false, part),
        };
        let v = Decimal::from_str(num.trim())
            .ok()
            .and_then(|d| d.to_f64())
            .ok_or_else(|| ApiError::invalid("value", "expected a number, a|b or ±a"))?;
        out.push(v);
        if abs {
            out.push(-v);
        }
    }
    if out.len() > 20 {
        return Err(ApiError::invalid("value", "too many values"));
    }
    Ok(Some(out))
}

pub fn filters(params: &Params) -> Result<Filters> {
    let bound = |key: &str, end: bool| -> Result<Option<String>> {
        params
            .text(key)
            .map(|v| {
                let (first, last) = calendar::parse(v).ok_or_else(|| {
                    ApiError::invalid(key, "expected YYYY, YYYY-MM or YYYY-MM-DD")
                })?;
                Ok(format::date(if end { last } else { first }))
            })
            .transpose()
    };
    let last_update = params
        .text("last_update")
        .map(|v| {
            format::parse_datetime(v)
                .map(format::datetime)
                .or_else(|| {
                    calendar::parse(v).map(|(d, _)| format!("{} 00:00:00", format::date(d)))
                })
                .ok_or_else(|| ApiError::invalid("last_update", "expected YYYY-MM-DD HH:MM:SS"))
        })
        .transpose()?;
    let text = |key: &str| -> Result<Option<String>> {
        match params.text(key) {
            Some(s) if s.len() > 200 => Err(ApiError::invalid(key, "too long")),
            other => Ok(other.map(str::to_owned)),
        }
    };
    Ok(Filters {
        min_date: bound("min_date", false)?,
        max_date: bound("max_date", true)?,
        income: params.bool("income")?,
        deleted: params.bool("deleted")?,
        all: params.flag("all")?,
        last_update,
        wording: text("wording")?,
        min_value: decimal(params, "min_value")?,
        max_value: decimal(params, "max_value")?,
        values: values(params)?,
        search: text("search")?,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_a_forged_one_is_refused() {
        let c = encode_cursor("2026-01-10", 42, Direction::Next, 350);
        let (p, total) = decode_cursor(&c).unwrap();
        assert_eq!(
            (p.date.as_str(), p.id, p.dir, total),
            ("2026-01-10", 42, Direction::Next, 350)
        );
        // Found by fuzzing: a year (or a month) where a day belongs.
        let forged = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
        for date in ["2020", "2020-01", " 2020-01-01"] {
            let v = json!([{"op": "lt", "value": date}, {"op": "lt", "value": 1}, {"total": 3}]);
            assert!(decode_cursor(&forged(v)).is_none(), "{date:?}");
        }
        let negative =
            json!([{"op": "lt", "value": "2020-01-01"}, {"op": "lt", "value": 1}, {"total": -1}]);
        assert!(decode_cursor(&forged(negative)).is_none());
    }
}
