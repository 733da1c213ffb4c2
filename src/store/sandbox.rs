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
