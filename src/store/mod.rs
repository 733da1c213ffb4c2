//! The SQLite store: connection setup and one module of queries per table family.
//! Handlers own transaction boundaries; queries are small functions over `&mut SqliteConnection`.

pub mod accounts;
pub mod auth_providers;
pub mod balances;
pub mod bank_wealth;
pub mod categories;
pub mod client_apps;
pub mod clock;
pub mod connection_columns;
pub mod connection_views;
pub mod connections;
pub mod connector_settings;
pub mod documents;
pub mod investments;
pub mod json_text;
pub mod logs;
pub mod market_orders;
pub mod sandbox;
pub mod sandbox_settings;
pub mod sessions;
pub mod sink;
pub mod subscriptions;
pub mod token_cache;
pub mod tokens;
pub mod transaction_list;
pub mod transactions;
pub mod users;
pub mod webhook_deliveries;
pub mod webhook_outbox;
pub mod webhook_subscriptions;

use crate::model::format;
use chrono::NaiveDateTime;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::sqlite::{SqliteConnection, SqliteOperation, SqliteSynchronous};
use sqlx::{Connection, Sqlite, Transaction};
use std::str::FromStr;
use std::time::Duration;
use token_cache::TokenCache;

/// Two pools over one database. All writes go through a single connection, so writers queue
/// in-process instead of fighting over SQLite's lock (which would surface as "database is
/// locked"); reads run concurrently on the others thanks to WAL.
#[derive(Clone)]
pub struct Db {
    pub reader: SqlitePool,
    writer: SqlitePool,
    /// Bearer tokens resolved from memory, kept exact by the writer's update hook.
    tokens: TokenCache<tokens::Resolved>,
}

pub type Tx = Transaction<'static, Sqlite>;

/// Tells the token cache about every update or delete of a table it depends on, on a
/// connection that writes. SQLite calls the hook inside the statement, before the commit.
async fn watch_tokens(
    conn: &mut SqliteConnection,
    cache: TokenCache<tokens::Resolved>,
) -> sqlx::Result<()> {
    conn.lock_handle().await?.set_update_hook(move |change| {
        if matches!(
            change.operation,
            SqliteOperation::Update | SqliteOperation::Delete
        ) && token_cache::WATCHED.contains(&change.table)
        {
            cache.changing();
        }
    });
    Ok(())
}

impl Db {
    pub async fn connect(database: &str) -> Result<Db, sqlx::Error> {
        let tokens = TokenCache::<tokens::Resolved>::default();
        let (hooked, settled) = (tokens.clone(), tokens.clone());
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
                // SQLite connections do not drop: no ping on every acquire.
                .test_before_acquire(false)
                .after_connect(move |conn, _| {
                    let cache = hooked.clone();
                    Box::pin(watch_tokens(conn, cache))
                })
                .after_release(move |_, _| {
                    settled.settle();
                    Box::pin(async { Ok(true) })
                })
                .connect_with(opts)
                .await?;
            return Ok(Db {
                reader: pool.clone(),
                writer: pool,
                tokens,
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
            // SQLite connections do not drop: no ping on every acquire.
            .test_before_acquire(false)
            .after_connect(move |conn, _| {
                let cache = hooked.clone();
                Box::pin(watch_tokens(conn, cache))
            })
            // Back in the pool: the transaction that changed tokens is committed or rolled
            // back, so the token cache may fill again.
            .after_release(move |_, _| {
                settled.settle();
                Box::pin(async { Ok(true) })
            })
            // On a full disk or an I/O error SQLite rolls the transaction back by itself; the
            // ROLLBACK sqlx then sends fails and leaves it counting an open transaction on the
            // connection, on which every later BEGIN would fail: replace such a connection.
            .before_acquire(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
            .connect_with(opts.clone())
            .await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .test_before_acquire(false)
            // A page of up to 1,000 rows crosses from SQLite's thread without waiting for
            // the handler to drain a 50-row channel.
            .connect_with(opts.read_only(true).row_buffer_size(1024))
            .await?;
        Ok(Db {
            reader,
            writer,
            tokens,
        })
    }

    /// Resolves a bearer token (see `tokens::resolve`), from memory when it was seen before;
    /// a hit takes no database connection at all.
    pub async fn resolve_token(
        &self,
        token: &str,
        now: NaiveDateTime,
    ) -> sqlx::Result<Option<tokens::Resolved>> {
        let key = tokens::digest_bytes(token);
        if let Some(r) = self.tokens.get(&key, &format::datetime(now)) {
            return Ok(Some(r));
        }
        let since = self.tokens.epoch();
        let mut conn = self.reader.acquire().await?;
        let found = tokens::resolve(&mut conn, token, now).await?;
        if let Some(r) = &found {
            let expiries = [&r.expires_at, &r.user_expires_at];
            self.tokens.insert(key, r.clone(), &expiries, since);
        }
        Ok(found)
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        sqlx::migrate!("./migrations").run(&self.writer).await
    }

    /// A write transaction. `BEGIN IMMEDIATE` takes the write lock up front so a transaction
    /// never fails half-way when upgrading from a read.
    /// Closes both pools: the database file is released (a tenant deleted or evicted).
    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }

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
