//! Webhook subscriptions: who receives which events. Rows are never deleted (deliveries
//! point at them); a removed subscription is deactivated.

use crate::model::format;
use crate::model::webhook::Subscription;
use chrono::NaiveDateTime;
use sqlx::SqliteConnection;

const SELECT: &str = "SELECT id, url, event, id_auth, origin, active, paused, consecutive_failures, created FROM webhook_subscriptions";

/// Adds a subscription; `origin` is "config" for the ones given by flags. Returns its id.
pub async fn create(
    conn: &mut SqliteConnection,
    url: &str,
    event: Option<&str>,
    id_auth: Option<i64>,
    origin: &str,
    now: NaiveDateTime,
) -> sqlx::Result<i64> {
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

pub async fn get(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Subscription> {
    sqlx::query_as(&format!("{SELECT} WHERE id = ?"))
        .bind(id)
        .fetch_one(conn)
        .await
}

/// The active subscriptions, oldest first.
pub async fn active(conn: &mut SqliteConnection) -> sqlx::Result<Vec<Subscription>> {
    sqlx::query_as(&format!("{SELECT} WHERE active = 1 ORDER BY id"))
        .fetch_all(conn)
        .await
}

/// Deactivates an active subscription; false when there was none.
pub async fn deactivate(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE webhook_subscriptions SET active = 0 WHERE id = ? AND active = 1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// Deactivates every subscription made from the configuration, before it is applied again.
pub async fn deactivate_configured(conn: &mut SqliteConnection) -> sqlx::Result<()> {
    sqlx::query("UPDATE webhook_subscriptions SET active = 0 WHERE origin = 'config'")
        .execute(conn)
        .await?;
    Ok(())
}

/// The configured subscription for this url and event (None: every event), if one exists.
pub async fn find_configured(
    conn: &mut SqliteConnection,
    url: &str,
    event: Option<&str>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM webhook_subscriptions WHERE origin = 'config' AND url = ? AND event IS ?",
    )
    .bind(url)
    .bind(event)
    .fetch_optional(conn)
    .await
}

pub async fn activate(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE webhook_subscriptions SET active = 1 WHERE id = ?")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
