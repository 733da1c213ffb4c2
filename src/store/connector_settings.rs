//! Connector settings changed through the config token.

use sqlx::SqliteConnection;
use std::collections::HashMap;

pub async fn hidden(conn: &mut SqliteConnection) -> sqlx::Result<HashMap<i64, bool>> {
    let rows: Vec<(i64, bool)> = sqlx::query_as(
        "SELECT id_connector, hidden FROM connector_settings WHERE hidden IS NOT NULL",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

pub async fn set_hidden(conn: &mut SqliteConnection, id: i64, hidden: bool) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO connector_settings (id_connector, hidden) VALUES (?, ?)
         ON CONFLICT (id_connector) DO UPDATE SET hidden = excluded.hidden",
    )
    .bind(id)
    .bind(hidden)
    .execute(conn)
    .await?;
    Ok(())
}
