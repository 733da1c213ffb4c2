//! Writing events to the outbox: one event row, one delivery row per matching subscription.
//! Called inside the transaction of the change; only permanent users get webhooks.

use crate::error::Result;
use crate::store::{tokens, webhook_outbox};
use crate::webhooks::now_ms;
use chrono::NaiveDateTime;
use serde_json::Value;
use sqlx::SqliteConnection;

/// Is anyone listening for `event`? Lets the engine skip building large payloads.
pub async fn wanted(conn: &mut SqliteConnection, event: &str) -> sqlx::Result<bool> {
    Ok(!webhook_outbox::subscribers(conn, event).await?.is_empty())
}

pub async fn is_permanent(conn: &mut SqliteConnection, id_user: i64) -> sqlx::Result<bool> {
    let kind = webhook_outbox::user_kind(conn, id_user).await?;
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
    let found = webhook_outbox::user_token(conn, id_user).await?;
    if let Some(t) = found {
        let works = tokens::resolve(conn, &t, now).await?;
        if works.is_some_and(|r| r.id_user == id_user) {
            return Ok(t);
        }
    }
    let t = tokens::create(conn, id_user, "permanent", now, None).await?;
    webhook_outbox::keep_user_token(conn, id_user, &t).await?;
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
    let subs = webhook_outbox::subscribers(conn, event).await?;
    if subs.is_empty() || !is_permanent(conn, id_user).await? {
        return Ok(None);
    }
    let created_ms = now_ms();
    let id_event = webhook_outbox::insert_event(
        conn,
        event,
        Some(id_user),
        id_connection,
        &payload.to_string(),
        now,
        created_ms,
    )
    .await?;
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
        webhook_outbox::insert_delivery(
            conn,
            id_event,
            s.id,
            &order_key,
            bearer.as_deref(),
            created_ms,
        )
        .await?;
    }
    Ok(Some(id_event))
}

/// Queues a sample event (a test event without a user) for every subscription that wants
/// it: no user, so no `Authorization` header. Returns the event id, if queued.
pub async fn emit_sample(
    conn: &mut SqliteConnection,
    event: &str,
    payload: &Value,
    now: NaiveDateTime,
) -> Result<Option<i64>> {
    let subs = webhook_outbox::subscribers(conn, event).await?;
    if subs.is_empty() {
        return Ok(None);
    }
    let created_ms = now_ms();
    let id_event = webhook_outbox::insert_event(
        conn,
        event,
        None,
        None,
        &payload.to_string(),
        now,
        created_ms,
    )
    .await?;
    for s in subs {
        webhook_outbox::insert_delivery(conn, id_event, s.id, "sample", None, created_ms).await?;
    }
    Ok(Some(id_event))
}
