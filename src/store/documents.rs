//! Documents and their files.

use crate::model::catalogue::Currency;
use crate::model::currency::AccountCurrency;
use crate::model::document::{Document, DocumentDate};
use crate::model::format::{Date, DateTime};
use crate::model::money::Money;
use crate::store::accounts::{opt_datetime, parsed};
use rust_decimal::Decimal;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::str::FromStr;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub id_user: i64,
    pub id_connection: i64,
    pub id_subscription: i64,
    pub bank_key: String,
    pub id_type: i64,
    pub name: Option<String>,
    pub date: String,
    pub duedate: Option<String>,
    pub timestamp: String,
    pub total_amount: Option<String>,
    pub untaxed_amount: Option<String>,
    pub vat: Option<String>,
    pub income: bool,
    pub readonly: bool,
    pub number: Option<String>,
    pub issuer: Option<String>,
    pub last_update: Option<String>,
    pub currency: Option<String>,
    /// The file's id (`id_file`), if it has one.
    pub id_file: Option<i64>,
}

fn amount(column: &str, v: &Option<String>) -> sqlx::Result<Option<Money>> {
    v.as_deref()
        .map(|s| parsed(column, Decimal::from_str(s).ok()).map(Money))
        .transpose()
}

impl DocumentRow {
    /// The Document the API shows; its `url` is under `base` (the sandbox's public URL).
    pub fn to_model(&self, base: &str, currency: Option<&Currency>) -> sqlx::Result<Document> {
        let date = parsed("date", Date::parse(&self.date))?;
        Ok(Document {
            id: self.id,
            id_user: self.id_user,
            id_subscription: Some(self.id_subscription),
            id_type: Some(self.id_type),
            id_file: self.id_file,
            id_thumbnail: None,
            name: self.name.clone(),
            date: Some(DocumentDate(date.0)),
            timestamp: parsed("timestamp", DateTime::parse(&self.timestamp))?,
            thumb_url: None,
            url: self.id_file.map(|_| {
                format!(
                    "{base}/2.0/users/{}/documents/{}/file",
                    self.id_user, self.id
                )
            }),
            duedate: self
                .duedate
                .as_deref()
                .map(|d| parsed("duedate", Date::parse(d)))
                .transpose()?,
            total_amount: amount("total_amount", &self.total_amount)?,
            untaxed_amount: amount("untaxed_amount", &self.untaxed_amount)?,
            vat: amount("vat", &self.vat)?,
            income: Some(self.income),
            readonly: self.readonly,
            number: self.number.clone(),
            issuer: self.issuer.clone(),
            last_update: opt_datetime("last_update", &self.last_update)?,
            has_file_on_website: self.id_file.is_some(),
            currency: self
                .currency
                .as_deref()
                .map(|c| AccountCurrency::new(currency, c)),
        })
    }
}

const COLUMNS: &str = "d.id, d.id_user, d.id_connection, d.id_subscription, d.bank_key, d.id_type,
    d.name, d.date, d.duedate, d.timestamp, d.total_amount, d.untaxed_amount, d.vat, d.income,
    d.readonly, d.number, d.issuer, d.last_update, d.currency, f.id AS id_file";
const FROM: &str = "FROM documents d LEFT JOIN document_files f ON f.id_document = d.id";

/// Which documents a list shows, all inclusive.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub id_user: i64,
    pub id_connection: Option<i64>,
    pub id_subscription: Option<i64>,
    pub id_type: Option<i64>,
    pub min_amount: Option<Decimal>,
    pub max_amount: Option<Decimal>,
    pub min_date: Option<String>,
    pub max_date: Option<String>,
}

fn push_filter(q: &mut QueryBuilder<'_, Sqlite>, f: &Filter) {
    q.push(" WHERE d.id_user = ").push_bind(f.id_user);
    if let Some(c) = f.id_connection {
        q.push(" AND d.id_connection = ").push_bind(c);
    }
    if let Some(s) = f.id_subscription {
        q.push(" AND d.id_subscription = ").push_bind(s);
    }
    if let Some(t) = f.id_type {
        q.push(" AND d.id_type = ").push_bind(t);
    }
    if let Some(m) = f.min_amount {
        q.push(" AND CAST(d.total_amount AS REAL) >= CAST(")
            .push_bind(m.to_string())
            .push(" AS REAL)");
    }
    if let Some(m) = f.max_amount {
        q.push(" AND CAST(d.total_amount AS REAL) <= CAST(")
            .push_bind(m.to_string())
            .push(" AS REAL)");
    }
    if let Some(d) = &f.min_date {
        q.push(" AND d.date >= ").push_bind(d.clone());
    }
    if let Some(d) = &f.max_date {
        q.push(" AND d.date <= ").push_bind(d.clone());
    }
}

/// One page of the documents `f` selects, by date then id, with how many there are in all
/// and the bounds of their dates.
pub async fn list(
    conn: &mut SqliteConnection,
    f: &Filter,
    limit: Option<i64>,
    offset: i64,
) -> sqlx::Result<(Vec<DocumentRow>, i64, Option<String>, Option<String>)> {
    let mut q = QueryBuilder::new(format!("SELECT {COLUMNS} {FROM}"));
    push_filter(&mut q, f);
    q.push(" ORDER BY d.date, d.id LIMIT ")
        .push_bind(limit.unwrap_or(-1))
        .push(" OFFSET ")
        .push_bind(offset);
    let rows: Vec<DocumentRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut q = QueryBuilder::new(format!("SELECT COUNT(*), MIN(d.date), MAX(d.date) {FROM}"));
    push_filter(&mut q, f);
    let (total, first, last): (i64, Option<String>, Option<String>) =
        q.build_query_as().fetch_one(conn).await?;
    Ok((rows, total, first, last))
}

pub async fn get(
    conn: &mut SqliteConnection,
    id_user: i64,
    id: i64,
) -> sqlx::Result<Option<DocumentRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} {FROM} WHERE d.id = ? AND d.id_user = ?"
    ))
    .bind(id)
    .bind(id_user)
    .fetch_optional(conn)
    .await
}

pub async fn by_ids(conn: &mut SqliteConnection, ids: &[i64]) -> sqlx::Result<Vec<DocumentRow>> {
    let mut q = QueryBuilder::new(format!("SELECT {COLUMNS} {FROM} WHERE d.id IN ("));
    let mut sep = q.separated(", ");
    for id in ids {
        sep.push_bind(*id);
    }
    q.push(") ORDER BY d.date, d.id");
    if ids.is_empty() {
        return Ok(vec![]);
    }
    q.build_query_as().fetch_all(conn).await
}

/// The documents of the subscription's last sync: those stored last (at its latest
/// `timestamp`), by date then id.
pub async fn last_stored(
    conn: &mut SqliteConnection,
    id_subscription: i64,
) -> sqlx::Result<Vec<DocumentRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} {FROM} WHERE d.id_subscription = ? AND d.timestamp =
         (SELECT MAX(timestamp) FROM documents WHERE id_subscription = ?) ORDER BY d.date, d.id"
    ))
    .bind(id_subscription)
    .bind(id_subscription)
    .fetch_all(conn)
    .await
}

/// The bank keys of a subscription's stored documents.
pub async fn keys(conn: &mut SqliteConnection, id_subscription: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT bank_key FROM documents WHERE id_subscription = ?")
        .bind(id_subscription)
        .fetch_all(conn)
        .await
}

/// A document to store, with its file.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub bank_key: String,
    pub id_type: i64,
    pub name: String,
    pub date: String,
    pub duedate: Option<String>,
    pub total_amount: Option<String>,
    pub untaxed_amount: Option<String>,
    pub vat: Option<String>,
    pub income: bool,
    pub number: Option<String>,
    pub issuer: Option<String>,
    pub currency: Option<String>,
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Stores a document of the subscription and its file; `None` when it was already stored.
pub async fn insert(
    conn: &mut SqliteConnection,
    id_user: i64,
    id_connection: i64,
    id_subscription: i64,
    d: &NewDocument,
    now: &str,
) -> sqlx::Result<Option<i64>> {
    let r = sqlx::query(
        "INSERT OR IGNORE INTO documents (id_user, id_connection, id_subscription, bank_key,
         id_type, name, date, duedate, timestamp, total_amount, untaxed_amount, vat, income,
         readonly, number, issuer, last_update, currency)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
    )
    .bind(id_user)
    .bind(id_connection)
    .bind(id_subscription)
    .bind(&d.bank_key)
    .bind(d.id_type)
    .bind(&d.name)
    .bind(&d.date)
    .bind(&d.duedate)
    .bind(now)
    .bind(&d.total_amount)
    .bind(&d.untaxed_amount)
    .bind(&d.vat)
    .bind(d.income)
    .bind(&d.number)
    .bind(&d.issuer)
    .bind(now)
    .bind(&d.currency)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Ok(None);
    }
    let id = r.last_insert_rowid();
    sqlx::query(
        "INSERT INTO document_files (id_document, content_type, filename, bytes) VALUES (?, ?, ?, ?)",
    )
    .bind(id)
    .bind(&d.content_type)
    .bind(&d.filename)
    .bind(&d.bytes)
    .execute(conn)
    .await?;
    Ok(Some(id))
}

/// The fields a user may change on a document.
#[derive(Debug, Clone, Default)]
pub struct Edit {
    pub id_type: Option<i64>,
    pub date: Option<String>,
    pub duedate: Option<String>,
    pub total_amount: Option<String>,
    pub untaxed_amount: Option<String>,
    pub vat: Option<String>,
    pub income: Option<bool>,
    pub name: Option<String>,
}

pub async fn edit(conn: &mut SqliteConnection, id: i64, e: &Edit, now: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE documents SET id_type = COALESCE(?, id_type), date = COALESCE(?, date),
         duedate = COALESCE(?, duedate), total_amount = COALESCE(?, total_amount),
         untaxed_amount = COALESCE(?, untaxed_amount), vat = COALESCE(?, vat),
         income = COALESCE(?, income), name = COALESCE(?, name), last_update = ? WHERE id = ?",
    )
    .bind(e.id_type)
    .bind(&e.date)
    .bind(&e.duedate)
    .bind(&e.total_amount)
    .bind(&e.untaxed_amount)
    .bind(&e.vat)
    .bind(e.income)
    .bind(&e.name)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes a subscription's documents (and their files).
pub async fn delete_of_subscription(
    conn: &mut SqliteConnection,
    id_subscription: i64,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM documents WHERE id_subscription = ?")
        .bind(id_subscription)
        .execute(conn)
        .await?;
    Ok(())
}

/// A document's file: (content type, filename, bytes).
pub async fn file(
    conn: &mut SqliteConnection,
    id_user: i64,
    id_document: i64,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    sqlx::query_as(
        "SELECT f.content_type, f.filename, f.bytes FROM document_files f
         JOIN documents d ON d.id = f.id_document WHERE d.id = ? AND d.id_user = ?",
    )
    .bind(id_document)
    .bind(id_user)
    .fetch_optional(conn)
    .await
}
