//! Webhook auth providers: the HMAC secrets of `/webhooks/auth`.

use crate::model::auth_provider::AuthProvider;
use chrono::NaiveDateTime;
use sqlx::SqliteConnection;

/// Stores a new provider; returns its id.
pub async fn create(
    conn: &mut SqliteConnection,
    kind: &str,
    name: &str,
    secret: &str,
    now: NaiveDateTime,
) -> sqlx::Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO webhook_auth (type, name, secret_key, created) VALUES (?, ?, ?, ?)",
    )
    .bind(kind)
    .bind(name)
    .bind(secret)
    .bind(crate::model::format::datetime(now))
    .execute(conn)
    .await?
    .last_insert_rowid())
}

/// Every provider, oldest first, without their secrets.
pub async fn list(conn: &mut SqliteConnection) -> sqlx::Result<Vec<AuthProvider>> {
    sqlx::query_as("SELECT id, type, name FROM webhook_auth ORDER BY id")
        .fetch_all(conn)
        .await
}

pub async fn exists(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM webhook_auth WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// Deletes a provider; false when there was none.
pub async fn delete(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<bool> {
    let r = sqlx::query("DELETE FROM webhook_auth WHERE id = ?")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() > 0)
}
