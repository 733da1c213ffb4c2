//! The control plane's settings: small JSON values by key.

use sqlx::SqliteConnection;

pub async fn get(conn: &mut SqliteConnection, key: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT value FROM sandbox_settings WHERE key = ?")
        .bind(key)
        .fetch_optional(conn)
        .await
}

pub async fn set(conn: &mut SqliteConnection, key: &str, value: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sandbox_settings (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remove(conn: &mut SqliteConnection, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sandbox_settings WHERE key = ?")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}
