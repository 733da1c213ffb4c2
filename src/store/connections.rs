//! Connections and their sources.

use chrono::NaiveDateTime;
use sqlx::SqliteConnection;

use crate::model::format;
use crate::model::states::ConnectionState;
use crate::store::connection_columns::{BankChanges, Credentials, Pending};
use crate::store::json_text::JsonText;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Connection {
    pub id: i64,
    pub id_user: i64,
    pub id_connector: i64,
    pub connector_uuid: String,
    pub login: String,
    pub credentials: JsonText<Credentials>,
    pub state: Option<ConnectionState>,
    pub error_message: Option<String>,
    pub fields: Option<String>,
    pub active: bool,
    pub created: String,
    pub last_update: Option<String>,
    pub last_push: Option<String>,
    pub expire: Option<String>,
    pub next_try: Option<String>,
    /// What QA changed at the bank behind this connection.
    pub bank: JsonText<BankChanges>,
    /// What the PSU still has to do, if anything.
    pub pending: Option<JsonText<Pending>>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Source {
    pub id: i64,
    pub id_connection: i64,
    pub id_connector_source: i64,
    pub name: String,
    pub priority: i64,
    pub state: Option<ConnectionState>,
    pub error_message: Option<String>,
    pub created: String,
    pub last_update: Option<String>,
    pub disabled: Option<String>,
    pub access_expire: Option<String>,
    pub expire: Option<String>,
    pub next_try: Option<String>,
}

pub struct NewConnection<'a> {
    pub id_user: i64,
    pub id_connector: i64,
    pub connector_uuid: &'a str,
    pub login: &'a str,
    pub credentials: &'a Credentials,
    pub now: NaiveDateTime,
}

pub async fn insert(conn: &mut SqliteConnection, c: &NewConnection<'_>) -> sqlx::Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO connections (id_user, id_connector, connector_uuid, login, credentials, created)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(c.id_user)
    .bind(c.id_connector)
    .bind(c.connector_uuid)
    .bind(c.login)
    .bind(JsonText(c.credentials))
    .bind(format::datetime(c.now))
    .execute(conn)
    .await?
    .last_insert_rowid())
}

pub async fn insert_source(
    conn: &mut SqliteConnection,
    id_connection: i64,
    id_connector_source: i64,
    name: &str,
    priority: i64,
    now: NaiveDateTime,
) -> sqlx::Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO connection_sources (id_connection, id_connector_source, name, priority, created)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id_connection)
    .bind(id_connector_source)
    .bind(name)
    .bind(priority)
    .bind(format::datetime(now))
    .execute(conn)
    .await?
    .last_insert_rowid())
}

const COLUMNS: &str =
    "id, id_user, id_connector, connector_uuid, login, credentials, state, error_message,
    fields, active, created, last_update, last_push, expire, next_try, bank, pending";

/// One connection of one user (None for another user's).
pub async fn get(
    conn: &mut SqliteConnection,
    id_user: i64,
    id: i64,
) -> sqlx::Result<Option<Connection>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM connections WHERE id = ? AND id_user = ?"
    ))
    .bind(id)
    .bind(id_user)
    .fetch_optional(conn)
    .await
}

pub async fn by_id(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<Connection>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM connections WHERE id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn list(conn: &mut SqliteConnection, id_user: i64) -> sqlx::Result<Vec<Connection>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM connections WHERE id_user = ? ORDER BY id"
    ))
    .bind(id_user)
    .fetch_all(conn)
    .await
}

/// One page of the user's connections (at most `limit` after `offset`, all without a
/// limit) and how many the user has.
pub async fn page(
    conn: &mut SqliteConnection,
    id_user: i64,
    limit: Option<i64>,
    offset: i64,
) -> sqlx::Result<(Vec<Connection>, i64)> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM connections WHERE id_user = ?")
        .bind(id_user)
        .fetch_one(&mut *conn)
        .await?;
    // SQLite reads a negative LIMIT as none.
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM connections WHERE id_user = ? ORDER BY id LIMIT ? OFFSET ?"
    ))
    .bind(id_user)
    .bind(limit.unwrap_or(-1))
    .bind(offset)
    .fetch_all(conn)
    .await?;
    Ok((rows, total))
}

/// Active connections whose next background sync is due.
pub async fn due(conn: &mut SqliteConnection, now: NaiveDateTime) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM connections WHERE active = 1 AND next_try IS NOT NULL AND next_try <= ? ORDER BY next_try, id")
        .bind(format::datetime(now))
        .fetch_all(conn)
        .await
}

/// Connections waiting for the bank's app to confirm a decoupled step in the background.
pub async fn validating(conn: &mut SqliteConnection) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM connections WHERE state = 'validating' ORDER BY id")
        .fetch_all(conn)
        .await
}

pub async fn delete(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM connections WHERE id = ?")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Writes back the mutable part of a connection.
pub async fn save(conn: &mut SqliteConnection, c: &Connection) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE connections SET login = ?, credentials = ?, state = ?, error_message = ?, fields = ?,
            active = ?, last_update = ?, last_push = ?, expire = ?, next_try = ?, bank = ?, pending = ?
         WHERE id = ?",
    )
    .bind(&c.login)
    .bind(&c.credentials)
    .bind(&c.state)
    .bind(&c.error_message)
    .bind(&c.fields)
    .bind(c.active)
    .bind(&c.last_update)
    .bind(&c.last_push)
    .bind(&c.expire)
    .bind(&c.next_try)
    .bind(&c.bank)
    .bind(&c.pending)
    .bind(c.id)
    .execute(conn)
    .await?;
    Ok(())
}

const SOURCE_COLUMNS: &str =
    "id, id_connection, id_connector_source, name, priority, state, error_message,
    created, last_update, disabled, access_expire, expire, next_try";

/// A connection's sources in priority order.
pub async fn sources(conn: &mut SqliteConnection, id_connection: i64) -> sqlx::Result<Vec<Source>> {
    sqlx::query_as(&format!(
        "SELECT {SOURCE_COLUMNS} FROM connection_sources WHERE id_connection = ? ORDER BY priority, id"
    ))
    .bind(id_connection)
    .fetch_all(conn)
    .await
}

pub async fn save_source(conn: &mut SqliteConnection, s: &Source) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE connection_sources SET state = ?, error_message = ?, last_update = ?, disabled = ?,
            access_expire = ?, expire = ?, next_try = ? WHERE id = ?",
    )
    .bind(&s.state)
    .bind(&s.error_message)
    .bind(&s.last_update)
    .bind(&s.disabled)
    .bind(&s.access_expire)
    .bind(&s.expire)
    .bind(&s.next_try)
    .bind(s.id)
    .execute(conn)
    .await?;
    Ok(())
}
