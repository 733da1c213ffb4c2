//! `/sandbox/webauth`: the bank's answer to the next webauth flows, chosen without a browser.
//! While set, the bank's consent page answers at once (approve, refuse or fail) instead of
//! showing its form, so a CI job can follow `/webauth`'s redirects with a plain HTTP client.

use crate::api::extract::Fields;
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::control::WebauthAuto;
use crate::state::AppState;
use crate::store::sandbox_settings;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
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
    let v = sandbox_settings::get(conn, KEY).await?;
    Ok(v.and_then(|s| serde_json::from_str(&s).ok()))
}

async fn store(conn: &mut SqliteConnection, auto: Option<&Auto>) -> sqlx::Result<()> {
    match auto {
        Some(a) => {
            let value = serde_json::to_string(a).unwrap_or_default();
            sandbox_settings::set(conn, KEY, &value).await
        }
        None => sandbox_settings::remove(conn, KEY).await,
    }
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

fn describe(a: Option<&Auto>) -> WebauthAuto {
    WebauthAuto {
        auto: a.map(|a| a.auto.clone()),
        count: a.and_then(|a| a.remaining),
    }
}

/// `GET /sandbox/webauth`: `{auto, count}` (null when the consent page waits for the PSU).
#[utoipa::path(get, path = "/sandbox/webauth", tag = "sandbox",
    responses((status = 200, description = "How the bank's consent page answers", body = WebauthAuto)),
    security(("bearerAuth" = [])))]
pub async fn get(State(st): State<AppState>, who: Principal) -> Result<Json<WebauthAuto>> {
    who.require_config()?;
    let mut conn = st.db.reader.acquire().await?;
    Ok(Json(describe(load(&mut conn).await?.as_ref())))
}

/// `POST /sandbox/webauth {"auto": "approve"|"refuse"|"server_error"|null, "count"?: N}`.
/// Makes the bank's consent page answer by itself (approve, refuse, server_error).
#[utoipa::path(post, path = "/sandbox/webauth", tag = "sandbox",
    request_body(content = WebauthAuto),
    responses((status = 200, description = "The setting", body = WebauthAuto)),
    security(("bearerAuth" = [])))]
pub async fn set(
    State(st): State<AppState>,
    who: Principal,
    body: Fields,
) -> Result<Json<WebauthAuto>> {
    who.require_config()?;
    body.only(&["auto", "count"])?;
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
