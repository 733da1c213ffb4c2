//! Users.

use crate::model::format;
use crate::model::user::User;
use chrono::NaiveDateTime;
use sqlx::SqliteConnection;

pub async fn create(
    conn: &mut SqliteConnection,
    kind: &str,
    now: NaiveDateTime,
    expires_at: Option<NaiveDateTime>,
    id_client_app: Option<i64>,
) -> sqlx::Result<i64> {
    let id = sqlx::query(
        "INSERT INTO users (signin, kind, expires_at, id_client_app) VALUES (?, ?, ?, ?)",
    )
    .bind(format::datetime(now))
    .bind(kind)
    .bind(expires_at.map(format::datetime))
    .bind(id_client_app)
    .execute(conn)
    .await?
    .last_insert_rowid();
    Ok(id)
}

/// The SQL condition (one `?`: now) that a user is alive. A temporary user whose 30 minutes
/// are over is gone for every reader at once, before the purge deletes it.
pub const LIVE: &str =
    "(users.kind <> 'temporary' OR users.expires_at IS NULL OR users.expires_at > ?)";

/// A live user.
pub async fn get(
    conn: &mut SqliteConnection,
    id: i64,
    now: NaiveDateTime,
) -> sqlx::Result<Option<User>> {
    sqlx::query_as(&format!(
        "SELECT id, signin, platform FROM users WHERE id = ? AND {LIVE}"
    ))
    .bind(id)
    .bind(format::datetime(now))
    .fetch_optional(conn)
    .await
}

/// Turns a temporary user into a permanent one. Returns true when it changed.
pub async fn make_permanent(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE users SET kind = 'permanent', expires_at = NULL WHERE id = ? AND kind = 'temporary'",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Hard delete; foreign keys cascade to everything the user owns.
pub async fn delete(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<bool> {
    let r = sqlx::query("DELETE FROM users WHERE id = ?")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// A page of the live users, in id order, and how many there are.
pub async fn list(
    conn: &mut SqliteConnection,
    limit: i64,
    offset: i64,
    now: NaiveDateTime,
) -> sqlx::Result<(Vec<User>, i64)> {
    let now = format::datetime(now);
    let users = sqlx::query_as(&format!(
        "SELECT id, signin, platform FROM users WHERE {LIVE} ORDER BY id LIMIT ? OFFSET ?"
    ))
    .bind(&now)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM users WHERE {LIVE}"))
        .bind(&now)
        .fetch_one(conn)
        .await?;
    Ok((users, total))
}

/// Deletes temporary users whose 30 minutes are over. Returns how many went.
pub async fn purge_expired(conn: &mut SqliteConnection, now: NaiveDateTime) -> sqlx::Result<u64> {
    let r = sqlx::query("DELETE FROM users WHERE kind = 'temporary' AND expires_at <= ?")
        .bind(format::datetime(now))
        .execute(conn)
        .await?;
    Ok(r.rows_affected())
}
