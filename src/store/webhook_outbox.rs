//! The webhook outbox: events and their deliveries as the engine writes them and the worker
//! sends them, and the worker's record of every attempt.

use crate::model::format;
use chrono::NaiveDateTime;
use sqlx::SqliteConnection;

/// A subscription an event goes to.
#[derive(sqlx::FromRow)]
pub struct Subscriber {
    pub id: i64,
    pub id_auth: Option<i64>,
}

/// The active subscriptions that want `event`, oldest first.
pub async fn subscribers(
    conn: &mut SqliteConnection,
    event: &str,
) -> sqlx::Result<Vec<Subscriber>> {
    sqlx::query_as("SELECT id, id_auth FROM webhook_subscriptions WHERE active = 1 AND (event IS NULL OR event = ?) ORDER BY id")
        .bind(event)
        .fetch_all(conn)
        .await
}

/// The user's kind (`permanent` or `temporary`), if the user exists.
pub async fn user_kind(conn: &mut SqliteConnection, id_user: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT kind FROM users WHERE id = ?")
        .bind(id_user)
        .fetch_optional(conn)
        .await
}

/// Writes an event; returns its id.
pub async fn insert_event(
    conn: &mut SqliteConnection,
    event: &str,
    id_user: Option<i64>,
    id_connection: Option<i64>,
    payload: &str,
    now: NaiveDateTime,
    created_ms: i64,
) -> sqlx::Result<i64> {
    Ok(sqlx::query("INSERT INTO webhook_events (event, id_user, id_connection, payload, created, created_ms) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(event)
        .bind(id_user)
        .bind(id_connection)
        .bind(payload)
        .bind(format::datetime(now))
        .bind(created_ms)
        .execute(conn)
        .await?
        .last_insert_rowid())
}

/// Queues an event for one subscription, due at `due_ms`. Deliveries sharing an
/// `order_key` (a connection, or a user) are sent in order.
pub async fn insert_delivery(
    conn: &mut SqliteConnection,
    id_event: i64,
    id_subscription: i64,
    order_key: &str,
    bearer: Option<&str>,
    note: Option<&str>,
    due_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO webhook_deliveries (id_event, id_subscription, order_key, bearer, note, next_attempt_ms) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(id_event)
        .bind(id_subscription)
        .bind(order_key)
        .bind(bearer)
        .bind(note)
        .bind(due_ms)
        .execute(conn)
        .await?;
    Ok(())
}

/// A pending delivery with what sending it takes.
#[derive(sqlx::FromRow, Clone)]
pub struct Pending {
    pub id: i64,
    pub id_subscription: i64,
    pub order_key: String,
    pub next_attempt_ms: i64,
    pub attempts: i64,
    pub bearer: Option<String>,
    pub event: String,
    pub payload: String,
    pub created_ms: i64,
    pub url: String,
    /// The auth provider's HMAC secret, when the subscription signs.
    pub secret: Option<String>,
}

/// The oldest `limit` pending deliveries of active subscriptions, due or not: a chain whose
/// head is still backing off holds back the rest of its chain.
pub async fn pending(conn: &mut SqliteConnection, limit: i64) -> sqlx::Result<Vec<Pending>> {
    sqlx::query_as(
        "SELECT d.id, d.id_subscription, d.order_key, d.next_attempt_ms, d.attempts, d.bearer, e.event,
               e.payload, e.created_ms, s.url, a.secret_key AS secret
        FROM webhook_deliveries d
        JOIN webhook_events e ON e.id = d.id_event
        JOIN webhook_subscriptions s ON s.id = d.id_subscription
        LEFT JOIN webhook_auth a ON a.id = s.id_auth
        WHERE d.status = 'pending' AND s.active = 1 AND s.paused = 0
        ORDER BY d.id LIMIT ?",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// What one attempt gave.
pub struct AttemptRecord<'a> {
    pub id: i64,
    pub id_subscription: i64,
    pub attempts: i64,
    pub status: Option<i64>,
    pub headers: &'a str,
}

/// A successful attempt: the delivery is done and its subscription's failures start over.
pub async fn record_delivered(
    conn: &mut SqliteConnection,
    a: &AttemptRecord<'_>,
    latency_ms: f64,
    now: NaiveDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, last_status = ?, last_error = NULL,
            headers = ?, latency_ms = ?, delivered_at = ? WHERE id = ?",
    )
    .bind(a.attempts)
    .bind(a.status)
    .bind(a.headers)
    .bind(latency_ms)
    .bind(format::datetime(now))
    .bind(a.id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE webhook_subscriptions SET consecutive_failures = 0 WHERE id = ?")
        .bind(a.id_subscription)
        .execute(conn)
        .await?;
    Ok(())
}

/// A failed attempt: the delivery is retried at `retry_ms`, and its subscription pauses
/// once it has failed `max_failures` times in a row.
pub async fn record_failed(
    conn: &mut SqliteConnection,
    a: &AttemptRecord<'_>,
    error: &str,
    retry_ms: i64,
    max_failures: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE webhook_deliveries SET attempts = ?, last_status = ?, last_error = ?, headers = ?, next_attempt_ms = ? WHERE id = ?")
        .bind(a.attempts)
        .bind(a.status)
        .bind(error)
        .bind(a.headers)
        .bind(retry_ms)
        .bind(a.id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1,
            paused = (consecutive_failures + 1 >= ?) WHERE id = ?",
    )
    .bind(max_failures)
    .bind(a.id_subscription)
    .execute(conn)
    .await?;
    Ok(())
}

/// Resumes paused subscriptions (the "flush" of Powens' delivery).
pub async fn resume_paused(conn: &mut SqliteConnection) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE webhook_subscriptions SET paused = 0, consecutive_failures = 0 WHERE paused = 1",
    )
    .execute(conn)
    .await?;
    Ok(())
}
