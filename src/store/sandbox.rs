//! Statements about the whole sandbox: whether it is new, and emptying it.

use sqlx::SqliteConnection;

/// How many users exist: none means a new (or reset) sandbox.
pub async fn user_count(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(conn)
        .await
}

/// Deletes every user and everything under them, and the connector settings; ids start
/// again at 1 (the client applications keep theirs). The clock is the caller's.
pub async fn empty(conn: &mut SqliteConnection) -> sqlx::Result<()> {
    // Users cascade to tokens, codes, connections, sources, accounts, transactions and logs.
    // The biggest table first, in one step (no triggers, no foreign keys point at it).
    sqlx::query("DELETE FROM transactions")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM users").execute(&mut *conn).await?;
    sqlx::query("DELETE FROM connector_settings")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sqlite_sequence WHERE name <> 'client_apps'")
        .execute(conn)
        .await?;
    Ok(())
}

/// How much the sandbox holds, for the inspector's overview.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Counts {
    pub users: i64,
    pub connections: i64,
    pub accounts: i64,
    pub transactions: i64,
    pub deliveries: i64,
}

pub async fn counts(conn: &mut SqliteConnection) -> sqlx::Result<Counts> {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM users) AS users,
            (SELECT COUNT(*) FROM connections) AS connections,
            (SELECT COUNT(*) FROM accounts) AS accounts,
            (SELECT COUNT(*) FROM transactions) AS transactions,
            (SELECT COUNT(*) FROM webhook_deliveries) AS deliveries",
    )
    .fetch_one(conn)
    .await
}
