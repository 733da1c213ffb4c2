//! What the built-in webhook receiver (the sink) got.

use crate::model::format::{self, DateTime};
use crate::model::webhook::SinkItem;
use chrono::NaiveDateTime;
use serde_json::Value;
use sqlx::SqliteConnection;

/// Keeps a received request: `headers` as a JSON object, the body as text.
pub async fn insert(
    conn: &mut SqliteConnection,
    path: &str,
    headers: &str,
    body: &str,
    now: NaiveDateTime,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO webhook_sink (path, headers, body, received) VALUES (?, ?, ?, ?)")
        .bind(path)
        .bind(headers)
        .bind(body)
        .bind(format::datetime(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// The newest `limit` requests, newest first; a body that is not JSON comes as a string.
pub async fn newest(conn: &mut SqliteConnection, limit: i64) -> sqlx::Result<Vec<SinkItem>> {
    let rows: Vec<(i64, String, String, DateTime)> = sqlx::query_as(
        "SELECT id, headers, body, received FROM webhook_sink ORDER BY id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, headers, body, received)| SinkItem {
            id,
            headers: serde_json::from_str(&headers).ok(),
            body: serde_json::from_str(&body).unwrap_or(Value::String(body)),
            received,
        })
        .collect())
}

pub async fn count(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM webhook_sink")
        .fetch_one(conn)
        .await
}

pub async fn clear(conn: &mut SqliteConnection) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM webhook_sink")
        .execute(conn)
        .await?;
    Ok(())
}
