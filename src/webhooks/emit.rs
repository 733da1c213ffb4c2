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

/// Recorded on a delivery sent without `Authorization` because the user has no token left.
pub const NO_TOKEN_NOTE: &str =
    "no Authorization header: the user has no valid permanent token left";

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
    // As Powens: the user's own permanent token, the one the app was given and stored
    // (from /auth/init, /auth/token/access or /auth/renew), the latest that still works.
    let mut token: Option<Option<String>> = None;
    for s in subs {
        let (bearer, note) = match s.id_auth {
            None => {
                if token.is_none() {
                    token = Some(tokens::latest_permanent(conn, id_user, now).await?);
                }
                match token.as_ref().and_then(Option::as_deref) {
                    Some(t) => (Some(format!("Bearer {t}")), None),
                    None => (None, Some(NO_TOKEN_NOTE)),
                }
            }
            Some(_) => (None, None),
        };
        webhook_outbox::insert_delivery(
            conn,
            id_event,
            s.id,
            &order_key,
            bearer.as_deref(),
            note,
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
        webhook_outbox::insert_delivery(
            conn,
            id_event,
            s.id,
            "sample",
            None,
            Some("no Authorization header: a sample event has no user"),
            created_ms,
        )
        .await?;
    }
    Ok(Some(id_event))
}
