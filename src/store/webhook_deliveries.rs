//! The delivery log as the control plane reads it: deliveries with their event and
//! subscription, filtered, and redelivery.

use crate::model::format::DateTime;
use crate::model::webhook::Delivery;
use serde_json::{json, Value};
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, SqliteConnection};

const SELECT: &str = "SELECT d.id, e.event, s.url, e.id_user, e.id_connection, d.status, d.attempts, d.last_status,
    d.last_error, d.latency_ms, d.headers, e.payload, e.created, d.delivered_at, d.id_subscription, d.note
    FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.id_event JOIN webhook_subscriptions s ON s.id = d.id_subscription";

/// Which deliveries a list or a wait wants; None matches everything.
#[derive(Default, Clone)]
pub struct Filter {
    pub event: Option<String>,
    pub id_user: Option<i64>,
    pub id_connection: Option<i64>,
    /// `pending` or `delivered`.
    pub status: Option<String>,
    /// Only deliveries after this id.
    pub after: Option<i64>,
}

impl Filter {
    fn clause(&self) -> sqlx::Result<(String, SqliteArguments<'static>)> {
        let mut w = vec!["1 = 1"];
        let mut a = SqliteArguments::default();
        if let Some(e) = &self.event {
            w.push("e.event = ?");
            a.add(e.clone()).map_err(sqlx::Error::Encode)?;
        }
        if let Some(v) = self.id_user {
            w.push("e.id_user = ?");
            a.add(v).map_err(sqlx::Error::Encode)?;
        }
        if let Some(v) = self.id_connection {
            w.push("e.id_connection = ?");
            a.add(v).map_err(sqlx::Error::Encode)?;
        }
        if let Some(s) = &self.status {
            w.push("d.status = ?");
            a.add(s.clone()).map_err(sqlx::Error::Encode)?;
        }
        if let Some(after) = self.after {
            w.push("d.id > ?");
            a.add(after).map_err(sqlx::Error::Encode)?;
        }
        Ok((w.join(" AND "), a))
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    event: String,
    url: String,
    id_user: Option<i64>,
    id_connection: Option<i64>,
    status: String,
    attempts: i64,
    last_status: Option<i64>,
    last_error: Option<String>,
    latency_ms: Option<f64>,
    headers: Option<String>,
    payload: String,
    created: DateTime,
    delivered_at: Option<DateTime>,
    id_subscription: i64,
    note: Option<String>,
}

impl From<Row> for Delivery {
    fn from(r: Row) -> Delivery {
        // The payload as the receiver got it: the worker adds `id_webhook_data` when sending.
        let mut payload: Value = serde_json::from_str(&r.payload).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut payload {
            m.insert("id_webhook_data".into(), json!(r.id));
        }
        Delivery {
            id: r.id,
            id_webhook_data: r.id,
            event: r.event,
            url: r.url,
            id_subscription: r.id_subscription,
            id_user: r.id_user,
            id_connection: r.id_connection,
            status: r.status,
            attempts: r.attempts,
            last_status: r.last_status,
            last_error: r.last_error,
            latency_ms: r.latency_ms,
            headers: r
                .headers
                .as_deref()
                .and_then(|h| serde_json::from_str(h).ok()),
            payload,
            created: r.created,
            delivered_at: r.delivered_at,
            note: r.note,
        }
    }
}

/// How many deliveries match.
pub async fn count(conn: &mut SqliteConnection, filter: &Filter) -> sqlx::Result<i64> {
    let (wh, args) = filter.clause()?;
    sqlx::query_scalar_with(
        &format!("SELECT COUNT(*) FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.id_event WHERE {wh}"),
        args,
    )
    .fetch_one(conn)
    .await
}

/// The first `limit` matching deliveries, oldest first.
pub async fn list(
    conn: &mut SqliteConnection,
    filter: &Filter,
    limit: i64,
) -> sqlx::Result<Vec<Delivery>> {
    let (wh, mut args) = filter.clause()?;
    args.add(limit).map_err(sqlx::Error::Encode)?;
    let rows: Vec<Row> =
        sqlx::query_as_with(&format!("{SELECT} WHERE {wh} ORDER BY d.id LIMIT ?"), args)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(Delivery::from).collect())
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<Delivery>> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE d.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(Delivery::from))
}

/// Makes a delivery pending again, due at `now_ms`; false when there is none.
pub async fn make_pending(conn: &mut SqliteConnection, id: i64, now_ms: i64) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE webhook_deliveries SET status = 'pending', next_attempt_ms = ? WHERE id = ?",
    )
    .bind(now_ms)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() > 0)
}
