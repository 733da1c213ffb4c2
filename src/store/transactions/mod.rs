//! Transactions: the row as read, by id and by the bank's references, here; what syncs and
//! the bank write, in `writes`.

mod writes;

pub use writes::*;

use crate::model::catalogue::Currency;
use crate::model::format::{Date, DateTime};
use crate::model::money::{self, Money};
use crate::model::transaction as wire;
use crate::store::accounts::{opt_datetime, parsed};
use rust_decimal::Decimal;
use sqlx::SqliteConnection;
use std::str::FromStr;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Transaction {
    pub id: i64,
    pub id_account: i64,
    pub webid: Option<String>,
    pub application_date: String,
    pub date: String,
    pub rdate: String,
    pub vdate: Option<String>,
    pub rdatetime: Option<String>,
    pub value: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub original_wording: String,
    pub simplified_wording: String,
    pub stemmed_wording: String,
    pub wording: Option<String>,
    pub card: Option<String>,
    pub counterparty: Option<String>,
    pub coming: bool,
    pub active: bool,
    pub comment: Option<String>,
    pub date_scraped: String,
    pub last_update: String,
    pub deleted: Option<String>,
    /// The account's currency (joined), for `formatted_value`.
    pub currency: String,
    /// The PSU's category, else the bank's, else the default.
    pub id_category: i64,
}

fn date(column: &str, value: &str) -> sqlx::Result<Date> {
    parsed(column, Date::parse(value))
}

impl Transaction {
    /// The Transaction the API shows for this row, formatted in `currency` (the catalogue's
    /// entry for the account's currency, if it has one).
    pub fn to_model(&self, currency: Option<&Currency>) -> sqlx::Result<wire::Transaction> {
        // Stored as decimal TEXT by the sync; an unreadable one shows as zero, as it always has.
        let value = Decimal::from_str(&self.value).unwrap_or_default();
        let date = date("date", &self.date)?;
        let rdatetime = opt_datetime("rdatetime", &self.rdatetime)?;
        Ok(wire::Transaction {
            id: self.id,
            id_account: self.id_account,
            webid: self.webid.clone(),
            application_date: self::date("application_date", &self.application_date)?,
            date,
            datetime: rdatetime,
            vdate: self
                .vdate
                .as_deref()
                .map(|d| self::date("vdate", d))
                .transpose()?,
            vdatetime: None,
            rdate: self::date("rdate", &self.rdate)?,
            rdatetime,
            // Booking is the date the bank gives; the sandbox does not keep it apart.
            bdate: Some(date),
            bdatetime: None,
            value: Some(Money(value)),
            gross_value: None,
            formatted_value: money::formatted(value, currency),
            kind: self.kind.clone(),
            original_wording: self.original_wording.clone(),
            simplified_wording: self.simplified_wording.clone(),
            stemmed_wording: self.stemmed_wording.clone(),
            wording: Some(
                self.wording
                    .clone()
                    .unwrap_or_else(|| self.simplified_wording.clone()),
            ),
            id_category: Some(self.id_category),
            state: "parsed".into(),
            date_scraped: parsed("date_scraped", DateTime::parse(&self.date_scraped))?,
            coming: self.coming,
            active: self.active,
            id_cluster: None,
            comment: self.comment.clone(),
            last_update: Some(parsed("last_update", DateTime::parse(&self.last_update))?),
            deleted: opt_datetime("deleted", &self.deleted)?,
            original_value: None,
            original_gross_value: None,
            original_currency: None,
            commission: None,
            commission_currency: None,
            country: None,
            card: self.card.clone(),
            // The sync stores the bank's counterparty as JSON; one that does not read back
            // shows as none.
            counterparty: self
                .counterparty
                .as_deref()
                .and_then(|c| serde_json::from_str(c).ok()),
            documents_count: 0,
            informations: Default::default(),
            details: None,
            categories: None,
        })
    }
}

pub const SELECT: &str = "SELECT t.id, t.id_account, t.webid, t.application_date, t.date, t.rdate, t.vdate,
    t.rdatetime, t.value, t.type, t.original_wording, t.simplified_wording, t.stemmed_wording, t.wording,
    t.card, t.counterparty, t.coming, t.active, t.comment, t.date_scraped, t.last_update, t.deleted,
    a.currency, COALESCE(t.psu_id_category, t.id_category, 9998) AS id_category
    FROM transactions t JOIN accounts a ON a.id = t.id_account";

pub async fn get(
    conn: &mut SqliteConnection,
    id_user: i64,
    id: i64,
) -> sqlx::Result<Option<Transaction>> {
    sqlx::query_as(&format!("{SELECT} WHERE t.id = ? AND t.id_user = ?"))
        .bind(id)
        .bind(id_user)
        .fetch_optional(conn)
        .await
}

pub async fn by_ids(conn: &mut SqliteConnection, ids: &[i64]) -> sqlx::Result<Vec<Transaction>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!("{SELECT} WHERE t.id IN ({marks}) ORDER BY t.id");
        let mut q = sqlx::query_as(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// The ids of the account's transactions that its latest sync scraped (not deleted), oldest
/// first: what a sync's webhook calls its new transactions.
pub async fn last_scraped_ids(
    conn: &mut SqliteConnection,
    id_account: i64,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM transactions WHERE id_account = ? AND deleted IS NULL
           AND date_scraped = (SELECT MAX(date_scraped) FROM transactions
                               WHERE id_account = ? AND deleted IS NULL)
         ORDER BY id",
    )
    .bind(id_account)
    .bind(id_account)
    .fetch_all(conn)
    .await
}

/// A live transaction of a connection named by its id, `webid` or bank key: its account id,
/// bank key and value.
pub async fn bank_ref(
    conn: &mut SqliteConnection,
    id_connection: i64,
    reference: &str,
) -> sqlx::Result<Option<(i64, String, String)>> {
    sqlx::query_as(
        "SELECT id_account, bank_key, value FROM transactions
         WHERE id_connection = ? AND deleted IS NULL AND (CAST(id AS TEXT) = ? OR webid = ? OR bank_key = ?)
         ORDER BY id LIMIT 1",
    )
    .bind(id_connection)
    .bind(reference)
    .bind(reference)
    .bind(reference)
    .fetch_optional(conn)
    .await
}
