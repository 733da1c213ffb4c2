//! The SQLite store: connection setup and one module of queries per table family.
//! Handlers own transaction boundaries; queries are small functions over `&mut SqliteConnection`.

pub mod accounts;
pub mod auth_providers;
pub mod bank_wealth;
pub mod client_apps;
pub mod clock;
pub mod connection_columns;
pub mod connection_views;
pub mod connections;
pub mod connector_settings;
pub mod investments;
pub mod json_text;
pub mod logs;
pub mod market_orders;
pub mod sandbox;
pub mod sandbox_settings;
pub mod sessions;
pub mod sink;
pub mod tokens;
pub mod transaction_list;
pub mod transactions;
pub mod users;
pub mod webhook_deliveries;
pub mod webhook_outbox;
pub mod webhook_subscriptions;

use sqlx::sqlite::SqliteSynchronous;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{Connection, Sqlite, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// Two pools over one database. All writes go through a single connection, so writers queue
/// in-process instead of fighting over SQLite's lock (which would surface as "database is
/// locked"); reads run concurrently on the others thanks to WAL.
#[derive(Clone)]
pub struct Db {
    pub reader: SqlitePool,
    writer: SqlitePool,
}

pub type Tx = Transaction<'static, Sqlite>;

impl Db {
    pub async fn connect(database: &str) -> Result<Db, sqlx::Error> {
        if database == ":memory:" {
            // One connection holds the whole in-memory database; readers share it.
            let opts = SqliteConnectOptions::from_str("sqlite::memory:")?
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts)
                .await?;
            return Ok(Db {
                reader: pool.clone(),
                writer: pool,
            });
        }
        let opts = SqliteConnectOptions::new()
            .filename(database)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            // On a full disk or an I/O error SQLite rolls the transaction back by itself; the
            // ROLLBACK sqlx then sends fails and leaves it counting an open transaction on the
            // connection, on which every later BEGIN would fail: replace such a connection.
            .before_acquire(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
            .connect_with(opts.clone())
            .await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts.read_only(true))
            .await?;
        Ok(Db { reader, writer })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        sqlx::migrate!("./migrations").run(&self.writer).await
    }

    /// A write transaction. `BEGIN IMMEDIATE` takes the write lock up front so a transaction
    /// never fails half-way when upgrading from a read.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        let tx = self.writer.begin_with("BEGIN IMMEDIATE").await;
        if let Err(sqlx::Error::Database(e)) = &tx {
            // A connection opened while the file was not writable is read-only for good:
            // close it, so that writes resume once the file is writable again.
            if e.message().contains("readonly") {
                if let Ok(conn) = self.writer.acquire().await {
                    let _ = conn.close().await;
                }
            }
        }
        tx
    }
}
