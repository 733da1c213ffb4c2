//! `/sandbox/webhooks/...`: subscriptions, the delivery log, redelivery, a blocking wait for
//! a delivery, test events, and a built-in receiver (the sink) for setups without one.

use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::format;
use crate::state::AppState;
use crate::webhooks::emit::emit;
use crate::webhooks::{now_ms, EVENTS};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, SqliteConnection};

fn check_event(e: &str) -> Result<()> {
    if EVENTS.contains(&e) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "event",
            format!("expected one of {}", EVENTS.join(", ")),
        ))
    }
}

fn check_url(u: &str) -> Result<()> {
    match reqwest::Url::parse(u) {
        Ok(url) if url.scheme() == "http" || url.scheme() == "https" => Ok(()),
        _ => Err(ApiError::invalid("url", "expected an http(s) URL")),
    }
}

/// Adds a subscription; `origin` is "config" for the ones given by flags.
pub async fn subscribe(
    conn: &mut SqliteConnection,
    url: &str,
    event: Option<&str>,
    id_auth: Option<i64>,
    origin: &str,
    now: chrono::NaiveDateTime,
) -> Result<i64> {
    Ok(sqlx::query("INSERT INTO webhook_subscriptions (url, event, id_auth, origin, created) VALUES (?, ?, ?, ?, ?)")
        .bind(url)
        .bind(event)
        .bind(id_auth)
        .bind(origin)
        .bind(format::datetime(now))
        .execute(conn)
        .await?
        .last_insert_rowid())
}

/// The `--webhook-url` subscriptions, made current at start (kept rows keep their ids and
/// pending deliveries; ones no longer configured are deactivated).
pub async fn apply_config(
    conn: &mut SqliteConnection,
    specs: &[String],
    now: chrono::NaiveDateTime,
) -> Result<()> {
    sqlx::query("UPDATE webhook_subscriptions SET active = 0 WHERE origin = 'config'")
        .execute(&mut *conn)
        .await?;
    for spec in specs.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let (event, url) = match spec.split_once('=') {
            Some((e, u)) if !e.contains(':') => (Some(e.trim()), u.trim()),
            _ => (None, spec),
        };
        if let Some(e) = event {
            check_event(e).map_err(|_| {
                ApiError::InvalidValue(format!("--webhook-url {spec}: unknown event {e}"))
            })?;
        }
        check_url(url).map_err(|_| {
            ApiError::InvalidValue(format!("--webhook-url {spec}: not an http(s) URL"))
        })?;
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM webhook_subscriptions WHERE origin = 'config' AND url = ? AND event IS ?")
            .bind(url)
            .bind(event)
            .fetch_optional(&mut *conn)
            .await?;
        match found {
            Some(id) => {
                sqlx::query("UPDATE webhook_subscriptions SET active = 1 WHERE id = ?")
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
            }
            None => {
                subscribe(conn, url, event, None, "config", now).await?;
            }
        }
    }
    Ok(())
}

const SUB_SQL: &str = "SELECT id, url, event, id_auth, origin, active, paused, consecutive_failures, created FROM webhook_subscriptions";

type SubRow = (
    i64,
    String,
    Option<String>,
    Option<i64>,
    String,
    bool,
    bool,
    i64,
    String,
);

fn sub_json(r: SubRow) -> Value {
    json!({"id": r.0, "url": r.1, "event": r.2, "id_auth": r.3, "origin": r.4, "active": r.5, "paused": r.6, "consecutive_failures": r.7, "created": r.8})
}

pub async fn list_subscriptions(State(st): State<AppState>, who: Principal) -> Result<Json<Value>> {
    who.require_config()?;
    let mut conn = st.db.reader.acquire().await?;
    let rows: Vec<SubRow> = sqlx::query_as(&format!("{SUB_SQL} WHERE active = 1 ORDER BY id"))
        .fetch_all(&mut *conn)
        .await?;
    let list: Vec<Value> = rows.into_iter().map(sub_json).collect();
    Ok(Json(json!({"subscriptions": list, "total": list.len()})))
}

/// `{url, event?, id_auth?}`; `url` may be `sink` for the built-in receiver.
pub async fn create_subscription(
    State(st): State<AppState>,
    who: Principal,
    headers: HeaderMap,
    body: Fields,
) -> Result<Json<Value>> {
    who.require_config()?;
    let mut url = body.required_str("url")?;
    if url == "sink" {
        url = format!("{}/sandbox/webhooks/sink", st.base_url(&headers));
    }
    check_url(&url)?;
    let event = body.str("event")?;
    if let Some(e) = &event {
        check_event(e)?;
    }
    let id_auth = body.int("id_auth")?;
    let mut tx = st.db.begin().await?;
    if let Some(a) = id_auth {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM webhook_auth WHERE id = ?")
            .bind(a)
            .fetch_optional(&mut *tx)
            .await?;
        exists.ok_or_else(|| ApiError::invalid("id_auth", "no such auth provider"))?;
    }
    let id = subscribe(
        &mut tx,
        &url,
        event.as_deref(),
        id_auth,
        "api",
        st.clock.now(),
    )
    .await?;
    let row: SubRow = sqlx::query_as(&format!("{SUB_SQL} WHERE id = ?"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(sub_json(row)))
}

pub async fn delete_subscription(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    who.require_config()?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found("Subscription"))?;
    let mut tx = st.db.begin().await?;
    let r = sqlx::query("UPDATE webhook_subscriptions SET active = 0 WHERE id = ? AND active = 1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(ApiError::not_found("Subscription"));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

const DELIVERY_SQL: &str = "SELECT d.id, e.event, s.url, e.id_user, e.id_connection, d.status, d.attempts, d.last_status,
    d.last_error, d.latency_ms, d.headers, e.payload, e.created, d.delivered_at, d.id_subscription
    FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.id_event JOIN webhook_subscriptions s ON s.id = d.id_subscription";

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    event: String,
    url: String,
    id_user: Option<i64>,
    id_connection: Option<i64>,
    status: String,
    attempts: i64,
    last_status: Option<i64>,
    last_error: Option<String>,
    latency_ms: Option<f64>,
    headers: Option<String>,
    payload: String,
    created: String,
    delivered_at: Option<String>,
    id_subscription: i64,
}

fn delivery_json(r: DeliveryRow) -> Value {
    let mut payload: Value = serde_json::from_str(&r.payload).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut payload {
        m.insert("id_webhook_data".into(), json!(r.id));
    }
    json!({
        "id": r.id, "id_webhook_data": r.id, "event": r.event, "url": r.url, "id_subscription": r.id_subscription,
        "id_user": r.id_user, "id_connection": r.id_connection, "status": r.status, "attempts": r.attempts,
        "last_status": r.last_status, "last_error": r.last_error, "latency_ms": r.latency_ms,
        "headers": r.headers.as_deref().and_then(|h| serde_json::from_str::<Value>(h).ok()),
        "payload": payload, "created": r.created, "delivered_at": r.delivered_at,
    })
}

/// Filters shared by the list and the wait: event, id_user, id_connection, status.
fn filters(params: &Params) -> Result<(String, SqliteArguments<'static>)> {
    let mut w = vec!["1 = 1".to_string()];
    let mut a = SqliteArguments::default();
    if let Some(e) = params.text("event") {
        check_event(e)?;
        w.push("e.event = ?".into());
        a.add(e.to_string()).map_err(sqlx::Error::Encode)?;
    }
    for key in ["id_user", "id_connection"] {
        if let Some(v) = params.int(key)? {
            w.push(format!("e.{key} = ?"));
            a.add(v).map_err(sqlx::Error::Encode)?;
        }
    }
    match params.text("status") {
        None | Some("any") => {}
        Some(s @ ("pending" | "delivered")) => {
            w.push("d.status = ?".into());
            a.add(s.to_string()).map_err(sqlx::Error::Encode)?;
        }
        Some(_) => {
            return Err(ApiError::invalid(
                "status",
                "expected pending, delivered or any",
            ))
        }
    }
    if let Some(after) = params.int("after")? {
        w.push("d.id > ?".into());
        a.add(after).map_err(sqlx::Error::Encode)?;
    }
    Ok((w.join(" AND "), a))
}

pub async fn deliveries(
    State(st): State<AppState>,
    who: Principal,
    params: Params,
) -> Result<Json<Value>> {
    who.require_config()?;
    let (wh, mut args) = filters(&params)?;
    let limit = params.bounded("limit", 1000)?.unwrap_or(100);
    let mut conn = st.db.reader.acquire().await?;
    let total: i64 = sqlx::query_scalar_with(&format!("SELECT COUNT(*) FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.id_event WHERE {wh}"), args.clone())
        .fetch_one(&mut *conn)
        .await?;
    args.add(limit).map_err(sqlx::Error::Encode)?;
    let rows: Vec<DeliveryRow> = sqlx::query_as_with(
        &format!("{DELIVERY_SQL} WHERE {wh} ORDER BY d.id LIMIT ?"),
        args,
    )
    .fetch_all(&mut *conn)
    .await?;
    let list: Vec<Value> = rows.into_iter().map(delivery_json).collect();
    Ok(Json(json!({"deliveries": list, "total": total})))
}

pub async fn delivery(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    who.require_config()?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("Delivery"))?;
    let mut conn = st.db.reader.acquire().await?;
    let row: DeliveryRow = sqlx::query_as(&format!("{DELIVERY_SQL} WHERE d.id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| ApiError::not_found("Delivery"))?;
    Ok(Json(delivery_json(row)))
}

/// Sends a delivery again, with the same `id_webhook_data`.
pub async fn redeliver(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    who.require_config()?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("Delivery"))?;
    let mut tx = st.db.begin().await?;
    let r = sqlx::query(
        "UPDATE webhook_deliveries SET status = 'pending', next_attempt_ms = ? WHERE id = ?",
    )
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(ApiError::not_found("Delivery"));
    }
    let row: DeliveryRow = sqlx::query_as(&format!("{DELIVERY_SQL} WHERE d.id = ?"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    st.webhooks.wake();
    Ok(Json(delivery_json(row)))
}

/// Blocks until a delivery matching the filters exists (default: delivered), up to
/// `timeout` seconds (default 10, at most 60); 404 when none came.
pub async fn wait(
    State(st): State<AppState>,
    who: Principal,
    params: Params,
) -> Result<Json<Value>> {
    who.require_config()?;
    let mut params = params;
    params
        .0
        .entry("status".into())
        .or_insert_with(|| "delivered".into());
    let (wh, args) = filters(&params)?;
    let timeout = params.bounded("timeout", 60)?.unwrap_or(10);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(timeout as u64);
    loop {
        let row: Option<DeliveryRow> = {
            let mut conn = st.db.reader.acquire().await?;
            sqlx::query_as_with(
                &format!("{DELIVERY_SQL} WHERE {wh} ORDER BY d.id LIMIT 1"),
                args.clone(),
            )
            .fetch_optional(&mut *conn)
            .await?
        };
        if let Some(r) = row {
            return Ok(Json(delivery_json(r)));
        }
        if std::time::Instant::now() >= deadline {
            return Err(ApiError::not_found("Matching webhook delivery"));
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

fn sample(event: &str, id_user: i64, id_connection: Option<i64>, now: &str) -> Value {
    let user = json!({"id": id_user, "signin": now, "platform": "sharedAccess"});
    let connection = json!({"id": id_connection.unwrap_or(0), "id_user": id_user, "id_connector": 40, "state": null,
        "connector_uuid": "338178e6-3d01-564f-9a7b-52ca442459bf", "created": now, "last_update": now, "active": true,
        "sources": [], "accounts": []});
    match event {
        "USER_CREATED" | "USER_DELETED" => user,
        "CONNECTION_DELETED" => connection,
        "CONNECTION_SYNCED" | "ACCOUNTS_FETCHED" => json!({"user": user, "connection": connection}),
        "ACCOUNT_CATEGORIZED" => json!({"transactions": []}),
        _ => {
            json!({"id": 0, "id_user": id_user, "id_connection": id_connection, "type": "checking", "disabled": null, "transactions": []})
        }
    }
}

/// Fires a test event of any type: `{event, id_user, id_connection?, count?}`. The user must
/// exist and be permanent (the Bearer header carries one of its tokens).
pub async fn test_event(
    State(st): State<AppState>,
    who: Principal,
    body: Fields,
) -> Result<Json<Value>> {
    who.require_config()?;
    let event = body.required_str("event")?;
    check_event(&event)?;
    let id_user = body
        .int("id_user")?
        .ok_or_else(|| ApiError::missing("id_user"))?;
    let id_connection = body.int("id_connection")?;
    let count = body.int("count")?.unwrap_or(1);
    if !(1..=100_000).contains(&count) {
        return Err(ApiError::invalid("count", "expected 1 to 100000"));
    }
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    if !crate::webhooks::emit::is_permanent(&mut tx, id_user).await? {
        return Err(ApiError::invalid(
            "id_user",
            "no permanent user with this id",
        ));
    }
    let payload = sample(&event, id_user, id_connection, &format::datetime(now));
    let mut events = Vec::new();
    for _ in 0..count {
        if let Some(id) = emit(&mut tx, &event, id_user, id_connection, &payload, now).await? {
            events.push(id);
        }
    }
    tx.commit().await?;
    st.webhooks.wake();
    Ok(Json(
        json!({"event": event, "queued": events.len(), "first_event": events.first()}),
    ))
}
