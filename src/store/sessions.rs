//! The flows a browser goes through, as rows (migration 0004): webauth flows and webview
//! visits. A flow's random id in the page URLs is what lets the browser continue it.

use crate::model::format;
use chrono::NaiveDateTime;
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

/// A new flow id: 128 random bits, hex.
pub fn new_id() -> String {
    crate::store::tokens::generate()[..32].to_string()
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WebauthSession {
    pub id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub id_user: i64,
    pub id_connector: i64,
    pub id_connection: Option<i64>,
    pub source: Option<String>,
    pub created: String,
    pub expires_at: String,
    pub ended: Option<String>,
}

pub async fn insert_webauth(conn: &mut SqliteConnection, s: &WebauthSession) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO webauth_sessions (id, client_id, redirect_uri, state, id_user, id_connector,
            id_connection, source, created, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&s.id)
    .bind(&s.client_id)
    .bind(&s.redirect_uri)
    .bind(&s.state)
    .bind(s.id_user)
    .bind(s.id_connector)
    .bind(s.id_connection)
    .bind(&s.source)
    .bind(&s.created)
    .bind(&s.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn webauth(
    conn: &mut SqliteConnection,
    id: &str,
) -> sqlx::Result<Option<WebauthSession>> {
    sqlx::query_as(
        "SELECT id, client_id, redirect_uri, state, id_user, id_connector, id_connection, source,
            created, expires_at, ended FROM webauth_sessions WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Ends a webauth flow; false when it had already ended (each flow ends once).
pub async fn end_webauth(
    conn: &mut SqliteConnection,
    id: &str,
    now: NaiveDateTime,
) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE webauth_sessions SET ended = ? WHERE id = ? AND ended IS NULL")
        .bind(format::datetime(now))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone)]
pub struct WebviewSession {
    pub id: String,
    pub flow: String,
    pub lang: String,
    pub client_id: String,
    pub redirect_uri: Option<String>,
    pub state: Option<String>,
    pub id_user: i64,
    pub new_user: bool,
    pub params: Map<String, Value>,
    pub connections: Vec<i64>,
    pub deleted: Vec<i64>,
    pub created: String,
    pub expires_at: String,
    pub ended: Option<String>,
}

#[derive(sqlx::FromRow)]
struct WebviewRow {
    id: String,
    flow: String,
    lang: String,
    client_id: String,
    redirect_uri: Option<String>,
    state: Option<String>,
    id_user: i64,
    new_user: bool,
    params: String,
    connections: String,
    deleted: String,
    created: String,
    expires_at: String,
    ended: Option<String>,
}

impl WebviewSession {
    /// A parameter kept from the entry URL, as text.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// A comma list parameter (`connector_uuids=a,b`), trimmed, empty items dropped.
    pub fn list(&self, key: &str) -> Vec<String> {
        self.param(key)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub async fn insert_webview(conn: &mut SqliteConnection, s: &WebviewSession) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO webview_sessions (id, flow, lang, client_id, redirect_uri, state, id_user,
            new_user, params, created, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&s.id)
    .bind(&s.flow)
    .bind(&s.lang)
    .bind(&s.client_id)
    .bind(&s.redirect_uri)
    .bind(&s.state)
    .bind(s.id_user)
    .bind(s.new_user)
    .bind(Value::Object(s.params.clone()).to_string())
    .bind(&s.created)
    .bind(&s.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn webview(
    conn: &mut SqliteConnection,
    id: &str,
) -> sqlx::Result<Option<WebviewSession>> {
    let row: Option<WebviewRow> = sqlx::query_as(
        "SELECT id, flow, lang, client_id, redirect_uri, state, id_user, new_user, params,
            connections, deleted, created, expires_at, ended FROM webview_sessions WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| WebviewSession {
        id: r.id,
        flow: r.flow,
        lang: r.lang,
        client_id: r.client_id,
        redirect_uri: r.redirect_uri,
        state: r.state,
        id_user: r.id_user,
        new_user: r.new_user,
        params: serde_json::from_str(&r.params).unwrap_or_default(),
        connections: serde_json::from_str(&r.connections).unwrap_or_default(),
        deleted: serde_json::from_str(&r.deleted).unwrap_or_default(),
        created: r.created,
        expires_at: r.expires_at,
        ended: r.ended,
    }))
}

/// Writes back what a visit changes: its connections, deleted ones, and its end.
pub async fn save_webview(conn: &mut SqliteConnection, s: &WebviewSession) -> sqlx::Result<()> {
    sqlx::query("UPDATE webview_sessions SET connections = ?, deleted = ?, ended = ? WHERE id = ?")
        .bind(serde_json::to_string(&s.connections).unwrap_or_else(|_| "[]".into()))
        .bind(serde_json::to_string(&s.deleted).unwrap_or_else(|_| "[]".into()))
        .bind(&s.ended)
        .bind(&s.id)
        .execute(conn)
        .await?;
    Ok(())
}
