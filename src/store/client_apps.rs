//! Client applications, seeded idempotently at start.

use crate::model::catalogue::ClientApp;
use sqlx::SqliteConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClientAppRow {
    pub id: i64,
    pub client_id: String,
    pub client_secret: String,
    pub name: String,
    pub redirect_uris: String,
}

impl ClientAppRow {
    /// An empty list allows any redirect_uri (the default app); otherwise an exact match.
    pub fn allows_redirect(&self, uri: &str) -> bool {
        let list: Vec<String> = serde_json::from_str(&self.redirect_uris).unwrap_or_default();
        list.is_empty() || list.iter().any(|u| u == uri)
    }
}

/// Inserts or refreshes the app with this client_id; existing ids are kept.
pub async fn upsert(conn: &mut SqliteConnection, app: &ClientApp) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO client_apps (client_id, client_secret, name, redirect_uris) VALUES (?, ?, ?, ?)
         ON CONFLICT (client_id) DO UPDATE SET client_secret = excluded.client_secret,
             name = excluded.name, redirect_uris = excluded.redirect_uris",
    )
    .bind(&app.client_id)
    .bind(&app.client_secret)
    .bind(&app.name)
    .bind(serde_json::to_string(&app.redirect_uris).unwrap_or_else(|_| "[]".into()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes every application whose client_id is not in `keep`.
pub async fn delete_others(conn: &mut SqliteConnection, keep: &[&str]) -> sqlx::Result<()> {
    let marks = vec!["?"; keep.len()].join(", ");
    let sql = format!("DELETE FROM client_apps WHERE client_id NOT IN ({marks})");
    let mut q = sqlx::query(&sql);
    for id in keep {
        q = q.bind(*id);
    }
    q.execute(conn).await?;
    Ok(())
}

pub async fn by_client_id(
    conn: &mut SqliteConnection,
    client_id: &str,
) -> sqlx::Result<Option<ClientAppRow>> {
    sqlx::query_as(
        "SELECT id, client_id, client_secret, name, redirect_uris FROM client_apps WHERE client_id = ?",
    )
    .bind(client_id)
    .fetch_optional(conn)
    .await
}
