//! `/sandbox/webauth`: the bank's answer to the next webauth flows, chosen without a browser.
//! While set, the bank's consent page answers at once (approve, refuse or fail) instead of
//! showing its form, so a CI job can follow `/webauth`'s redirects with a plain HTTP client.

use crate::api::extract::Fields;
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::SqliteConnection;

const KEY: &str = "webauth_auto";

/// The answers the setting may take (and the bank page's `?outcome=`).
pub const OUTCOMES: [&str; 3] = ["approve", "refuse", "server_error"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Auto {
    pub auto: String,
    /// Flows left to answer this way; None: every flow until cleared.
    pub remaining: Option<i64>,
}

pub async fn load(conn: &mut SqliteConnection) -> sqlx::Result<Option<Auto>> {
    let v: Option<String> = sqlx::query_scalar("SELECT value FROM sandbox_settings WHERE key = ?")
        .bind(KEY)
        .fetch_optional(conn)
        .await?;
    Ok(v.and_then(|s| serde_json::from_str(&s).ok()))
}

async fn store(conn: &mut SqliteConnection, auto: Option<&Auto>) -> sqlx::Result<()> {
    match auto {
        Some(a) => {
            sqlx::query(
                "INSERT INTO sandbox_settings (key, value) VALUES (?, ?)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(KEY)
            .bind(serde_json::to_string(a).unwrap_or_default())
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM sandbox_settings WHERE key = ?")
                .bind(KEY)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

/// The answer for the flow at hand, if one is set; uses up one of a counted setting.
/// Call inside the write transaction that ends the flow.
pub async fn take(conn: &mut SqliteConnection) -> sqlx::Result<Option<String>> {
    let Some(mut a) = load(conn).await? else {
        return Ok(None);
    };
    match a.remaining {
        Some(n) if n <= 1 => store(conn, None).await?,
        Some(n) => {
            a.remaining = Some(n - 1);
            store(conn, Some(&a)).await?;
        }
        None => {}
    }
    Ok(Some(a.auto))
}

fn describe(a: Option<&Auto>) -> Value {
    match a {
        Some(a) => json!({"auto": a.auto, "count": a.remaining}),
        None => json!({"auto": null, "count": null}),
    }
}

/// `GET /sandbox/webauth`: `{auto, count}` (null when the consent page waits for the PSU).
pub async fn get(State(st): State<AppState>, who: Principal) -> Result<Json<Value>> {
    who.require_config()?;
    let mut conn = st.db.reader.acquire().await?;
    Ok(Json(describe(load(&mut conn).await?.as_ref())))
}

/// `POST /sandbox/webauth {"auto": "approve"|"refuse"|"server_error"|null, "count"?: N}`.
pub async fn set(State(st): State<AppState>, who: Principal, body: Fields) -> Result<Json<Value>> {
    who.require_config()?;
    if !body.0.contains_key("auto") {
        return Err(ApiError::missing("auto"));
    }
    let auto = body.str("auto")?;
    if let Some(a) = &auto {
        if !OUTCOMES.contains(&a.as_str()) {
            return Err(ApiError::invalid(
                "auto",
                "expected approve, refuse, server_error or null",
            ));
        }
    }
    let count = body.int("count")?;
    if count.is_some_and(|n| n < 1) {
        return Err(ApiError::invalid("count", "expected a positive integer"));
    }
    let setting = auto.map(|auto| Auto {
        auto,
        remaining: count,
    });
    let mut tx = st.db.begin().await?;
    store(&mut tx, setting.as_ref()).await?;
    tx.commit().await?;
    Ok(Json(describe(setting.as_ref())))
}
