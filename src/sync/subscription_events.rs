//! The Bill product's events: SUBSCRIPTION_FOUND as subscriptions are discovered,
//! SUBSCRIPTION_SYNCED for each enabled subscription a sync (or the PSU's consent) read, and
//! the `subscriptions` of CONNECTION_SYNCED. Queued in the caller's transaction.

use crate::error::Result;
use crate::model::document::{Document, SubscriptionFoundPayload, SyncedSubscription};
use crate::state::AppState;
use crate::store::documents::{self, DocumentRow};
use crate::store::subscriptions::{self, SubscriptionRow};
use crate::sync::report::Report;
use crate::webhooks::emit::{emit, is_permanent, wanted};
use axum::http::HeaderMap;
use chrono::NaiveDateTime;
use sqlx::SqliteConnection;

/// The documents as the API shows them, with file URLs under `base`.
pub fn document_models(st: &AppState, base: &str, rows: &[DocumentRow]) -> Result<Vec<Document>> {
    Ok(rows
        .iter()
        .map(|d| {
            let currency = d.currency.as_deref().and_then(|c| st.catalogue.currency(c));
            d.to_model(base, currency)
        })
        .collect::<sqlx::Result<_>>()?)
}

/// A subscription with the documents `ids`, as SUBSCRIPTION_SYNCED carries it.
pub async fn synced(
    conn: &mut SqliteConnection,
    st: &AppState,
    row: &SubscriptionRow,
    ids: &[i64],
) -> Result<SyncedSubscription> {
    let rows = documents::by_ids(conn, ids).await?;
    Ok(SyncedSubscription {
        subscription: row.to_model()?,
        // Webhooks have no request: their URLs are under the public URL (or the listen address).
        documents: document_models(st, &st.base_url(&HeaderMap::new()), &rows)?,
    })
}

/// SUBSCRIPTION_SYNCED for one subscription and the documents just stored.
pub async fn subscription_synced(
    conn: &mut SqliteConnection,
    st: &AppState,
    row: &SubscriptionRow,
    ids: &[i64],
    now: NaiveDateTime,
) -> Result<()> {
    if !wanted(conn, "SUBSCRIPTION_SYNCED").await? || !is_permanent(conn, row.id_user).await? {
        return Ok(());
    }
    let payload = serde_json::to_value(synced(conn, st, row, ids).await?)?;
    emit(
        conn,
        "SUBSCRIPTION_SYNCED",
        row.id_user,
        Some(row.id_connection),
        &payload,
        now,
    )
    .await?;
    Ok(())
}

/// SUBSCRIPTION_FOUND for each subscription the sync discovered.
pub async fn found(
    conn: &mut SqliteConnection,
    id_user: i64,
    id_connection: i64,
    report: &Report,
    now: NaiveDateTime,
) -> Result<()> {
    for id in &report.subscriptions_found {
        let payload = serde_json::to_value(SubscriptionFoundPayload {
            id: *id,
            id_user,
            id_connection,
        })?;
        emit(
            conn,
            "SUBSCRIPTION_FOUND",
            id_user,
            Some(id_connection),
            &payload,
            now,
        )
        .await?;
    }
    Ok(())
}

/// SUBSCRIPTION_SYNCED for each enabled subscription the sync read.
pub async fn synced_events(
    conn: &mut SqliteConnection,
    st: &AppState,
    id_user: i64,
    report: &Report,
    now: NaiveDateTime,
) -> Result<()> {
    for (id, ids) in &report.subscriptions_synced {
        if let Some(row) = subscriptions::get(conn, id_user, *id).await? {
            subscription_synced(conn, st, &row, ids, now).await?;
        }
    }
    Ok(())
}

/// The `subscriptions` of CONNECTION_SYNCED: the enabled ones the sync read, with their new
/// documents.
pub async fn synced_subscriptions(
    conn: &mut SqliteConnection,
    st: &AppState,
    id_user: i64,
    report: &Report,
) -> Result<Vec<SyncedSubscription>> {
    let mut out = Vec::new();
    for (id, ids) in &report.subscriptions_synced {
        if let Some(row) = subscriptions::get(conn, id_user, *id).await? {
            out.push(synced(conn, st, &row, ids).await?);
        }
    }
    Ok(out)
}
