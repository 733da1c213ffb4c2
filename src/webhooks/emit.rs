//! Writing events to the outbox: one event row, one delivery row per matching subscription.
//! Called inside the transaction of the change; only permanent users get webhooks.

use crate::error::Result;
use crate::model::format;
use crate::store::tokens;
use crate::webhooks::now_ms;
use chrono::NaiveDateTime;
use serde_json::Value;
use sqlx::SqliteConnection;

#[derive(sqlx::FromRow)]
struct Sub {
    id: i64,
    id_auth: Option<i64>,
}

async fn subscriptions(conn: &mut SqliteConnection, event: &str) -> sqlx::Result<Vec<Sub>> {
    sqlx::query_as("SELECT id, id_auth FROM webhook_subscriptions WHERE active = 1 AND (event IS NULL OR event = ?) ORDER BY id")
        .bind(event)
        .fetch_all(conn)
        .await
}

/// Is anyone listening for `event`? Lets the engine skip building large payloads.
pub async fn wanted(conn: &mut SqliteConnection, event: &str) -> sqlx::Result<bool> {
    Ok(!subscriptions(conn, event).await?.is_empty())
}

pub async fn is_permanent(conn: &mut SqliteConnection, id_user: i64) -> sqlx::Result<bool> {
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM users WHERE id = ?")
        .bind(id_user)
        .fetch_optional(conn)
        .await?;
    Ok(kind.as_deref() == Some("permanent"))
}

/// The user's token for `Authorization: Bearer`: minted once, and minted again when the
/// kept one no longer works (revoked by `/auth/renew` with `revoke_previous`, or by
/// `DELETE /auth/token`), so the receiver always gets a token of the user that works.
async fn user_token(
    conn: &mut SqliteConnection,
    id_user: i64,
    now: NaiveDateTime,
) -> sqlx::Result<String> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT token FROM webhook_tokens WHERE id_user = ?")
            .bind(id_user)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(t) = found {
        let works = tokens::resolve(conn, &t, now).await?;
        if works.is_some_and(|r| r.id_user == id_user) {
            return Ok(t);
        }
    }
    let t = tokens::create(conn, id_user, "permanent", now, None).await?;
    sqlx::query(
        "INSERT INTO webhook_tokens (id_user, token) VALUES (?, ?)
         ON CONFLICT (id_user) DO UPDATE SET token = excluded.token",
    )
    .bind(id_user)
    .bind(&t)
    .execute(conn)
    .await?;
    Ok(t)
}

/// Queues `event` for every subscription that wants it. Returns the event id, if queued.
pub async fn emit(
    conn: &mut SqliteConnection,
    event: &str,
    id_user: i64,
    id_connection: Option<i64>,
    payload: &Value,
    now: NaiveDateTime,
) -> Result<Option<i64>> {
    let subs = subscriptions(conn, event).await?;
    if subs.is_empty() || !is_permanent(conn, id_user).await? {
        return Ok(None);
    }
    let created_ms = now_ms();
    let id_event = sqlx::query("INSERT INTO webhook_events (event, id_user, id_connection, payload, created, created_ms) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(event)
        .bind(id_user)
        .bind(id_connection)
        .bind(payload.to_string())
        .bind(format::datetime(now))
        .bind(created_ms)
        .execute(&mut *conn)
        .await?
        .last_insert_rowid();
    let order_key = match id_connection {
        Some(c) => format!("connection:{c}"),
        None => format!("user:{id_user}"),
    };
    let mut token: Option<String> = None;
    for s in subs {
        let bearer = match s.id_auth {
            None => {
                if token.is_none() {
                    token = Some(user_token(conn, id_user, now).await?);
                }
                token.as_deref().map(|t| format!("Bearer {t}"))
            }
            Some(_) => None,
        };
        sqlx::query("INSERT INTO webhook_deliveries (id_event, id_subscription, order_key, bearer, next_attempt_ms) VALUES (?, ?, ?, ?, ?)")
            .bind(id_event)
            .bind(s.id)
            .bind(&order_key)
            .bind(bearer)
            .bind(created_ms)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Some(id_event))
}
