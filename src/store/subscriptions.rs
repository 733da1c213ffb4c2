//! Subscriptions (the Bill product's contracts).

use crate::model::document::Subscription;
use crate::model::format::Date;
use crate::store::accounts::{opt_datetime, parsed};
use sqlx::SqliteConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubscriptionRow {
    pub id: i64,
    pub id_user: i64,
    pub id_connection: i64,
    pub id_source: Option<i64>,
    pub bank_key: String,
    pub number: Option<String>,
    pub label: String,
    pub subscriber: Option<String>,
    pub validity: Option<String>,
    pub renewdate: Option<String>,
    pub last_update: Option<String>,
    pub deleted: Option<String>,
    pub disabled: Option<String>,
    pub error: Option<String>,
    pub synced_until: Option<String>,
}

fn opt_date(column: &str, value: &Option<String>) -> sqlx::Result<Option<Date>> {
    value
        .as_deref()
        .map(|v| parsed(column, Date::parse(v)))
        .transpose()
}

impl SubscriptionRow {
    pub fn to_model(&self) -> sqlx::Result<Subscription> {
        Ok(Subscription {
            id: self.id,
            id_connection: Some(self.id_connection),
            id_user: Some(self.id_user),
            id_source: self.id_source,
            number: self.number.clone(),
            label: self.label.clone(),
            subscriber: self.subscriber.clone(),
            validity: opt_date("validity", &self.validity)?,
            renewdate: opt_date("renewdate", &self.renewdate)?,
            last_update: opt_datetime("last_update", &self.last_update)?,
            deleted: opt_datetime("deleted", &self.deleted)?,
            disabled: opt_datetime("disabled", &self.disabled)?,
            error: self.error.clone(),
        })
    }
}

const COLUMNS: &str = "id, id_user, id_connection, id_source, bank_key, number, label, subscriber,
    validity, renewdate, last_update, deleted, disabled, error, synced_until";

/// The user's subscriptions (of one connection), by id; without `all`, neither disabled nor
/// deleted ones.
pub async fn list(
    conn: &mut SqliteConnection,
    id_user: i64,
    id_connection: Option<i64>,
    all: bool,
) -> sqlx::Result<Vec<SubscriptionRow>> {
    let filter = if all {
        ""
    } else {
        " AND disabled IS NULL AND deleted IS NULL"
    };
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM subscriptions WHERE id_user = ?
         AND (?2 IS NULL OR id_connection = ?2){filter} ORDER BY id"
    ))
    .bind(id_user)
    .bind(id_connection)
    .fetch_all(conn)
    .await
}

pub async fn of_connection(
    conn: &mut SqliteConnection,
    id_connection: i64,
) -> sqlx::Result<Vec<SubscriptionRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM subscriptions WHERE id_connection = ? ORDER BY id"
    ))
    .bind(id_connection)
    .fetch_all(conn)
    .await
}

pub async fn get(
    conn: &mut SqliteConnection,
    id_user: i64,
    id: i64,
) -> sqlx::Result<Option<SubscriptionRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM subscriptions WHERE id = ? AND id_user = ?"
    ))
    .bind(id)
    .bind(id_user)
    .fetch_optional(conn)
    .await
}

pub async fn insert(conn: &mut SqliteConnection, s: &SubscriptionRow) -> sqlx::Result<i64> {
    let r = sqlx::query(
        "INSERT INTO subscriptions (id_user, id_connection, id_source, bank_key, number, label,
         subscriber, validity, renewdate, last_update, deleted, disabled, error, synced_until)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(s.id_user)
    .bind(s.id_connection)
    .bind(s.id_source)
    .bind(&s.bank_key)
    .bind(&s.number)
    .bind(&s.label)
    .bind(&s.subscriber)
    .bind(&s.validity)
    .bind(&s.renewdate)
    .bind(&s.last_update)
    .bind(&s.deleted)
    .bind(&s.disabled)
    .bind(&s.error)
    .bind(&s.synced_until)
    .execute(conn)
    .await?;
    Ok(r.last_insert_rowid())
}

pub async fn save(conn: &mut SqliteConnection, s: &SubscriptionRow) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE subscriptions SET id_source = ?, number = ?, label = ?, subscriber = ?,
         validity = ?, renewdate = ?, last_update = ?, deleted = ?, disabled = ?, error = ?,
         synced_until = ? WHERE id = ?",
    )
    .bind(s.id_source)
    .bind(&s.number)
    .bind(&s.label)
    .bind(&s.subscriber)
    .bind(&s.validity)
    .bind(&s.renewdate)
    .bind(&s.last_update)
    .bind(&s.deleted)
    .bind(&s.disabled)
    .bind(&s.error)
    .bind(&s.synced_until)
    .bind(s.id)
    .execute(conn)
    .await?;
    Ok(())
}
