//! Transactions: bulk insert by syncs, filtered keyset-paginated lists, single reads, updates.

use crate::model::catalogue::Currency;
use crate::model::format::{self, Date, DateTime};
use crate::model::money::{self, Money};
use crate::model::transaction as wire;
use crate::store::accounts::{opt_datetime, parsed};
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, SqliteConnection};
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

/// A transaction as a sync writes it.
pub struct NewTransaction {
    pub bank_key: String,
    pub webid: String,
    pub date: String,
    pub rdate: String,
    pub vdate: String,
    pub rdatetime: Option<String>,
    pub value: String,
    pub kind: String,
    pub original_wording: String,
    pub simplified_wording: String,
    pub stemmed_wording: String,
    /// The wording shown to the user, when it is not the simplified one.
    pub wording: Option<String>,
    pub card: Option<String>,
    pub counterparty: Option<String>,
    pub coming: bool,
    /// The bank's category.
    pub id_category: i64,
}

/// Inserts transactions the account does not have yet (matched on bank_key). Returns the ids
/// of the new rows, in insertion order. Rows go in batches of multi-row statements: a sync
/// that brings 10,000 transactions runs 50 statements, not 10,000.
pub async fn insert_new(
    conn: &mut SqliteConnection,
    id_user: i64,
    id_connection: i64,
    id_account: i64,
    rows: &[NewTransaction],
    now: NaiveDateTime,
) -> sqlx::Result<Vec<i64>> {
    const BATCH: usize = 200;
    let now = format::datetime(now);
    let mut ids = Vec::new();
    for chunk in rows.chunks(BATCH) {
        let values =
            vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()]
                .join(", ");
        let sql = format!(
            "INSERT OR IGNORE INTO transactions (id_account, id_user, id_connection, bank_key, webid,
                application_date, date, rdate, vdate, rdatetime, value, type, original_wording,
                simplified_wording, stemmed_wording, wording, card, counterparty, coming, date_scraped, last_update,
                id_category)
             VALUES {values} RETURNING id"
        );
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for t in chunk {
            q = q
                .bind(id_account)
                .bind(id_user)
                .bind(id_connection)
                .bind(&t.bank_key)
                .bind(&t.webid)
                .bind(&t.date)
                .bind(&t.date)
                .bind(&t.rdate)
                .bind(&t.vdate)
                .bind(&t.rdatetime)
                .bind(&t.value)
                .bind(&t.kind)
                .bind(&t.original_wording)
                .bind(&t.simplified_wording)
                .bind(&t.stemmed_wording)
                .bind(&t.wording)
                .bind(&t.card)
                .bind(&t.counterparty)
                .bind(t.coming)
                .bind(&now)
                .bind(&now)
                .bind(t.id_category);
        }
        let mut got = q.fetch_all(&mut *conn).await?;
        got.sort_unstable();
        ids.extend(got);
    }
    if !ids.is_empty() {
        sqlx::query("UPDATE accounts SET nb_transactions = nb_transactions + ? WHERE id = ?")
            .bind(ids.len() as i64)
            .bind(id_account)
            .execute(&mut *conn)
            .await?;
    }
    Ok(ids)
}

/// Card payments whose booking date has come are no longer `coming`.
pub async fn book_due(
    conn: &mut SqliteConnection,
    id_account: i64,
    now: NaiveDateTime,
) -> sqlx::Result<u64> {
    let r = sqlx::query(
        "UPDATE transactions SET coming = 0, last_update = ? WHERE id_account = ? AND coming = 1 AND date <= ?",
    )
    .bind(format::datetime(now))
    .bind(id_account)
    .bind(format::date(now.date()))
    .execute(conn)
    .await?;
    Ok(r.rows_affected())
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

pub struct Update {
    pub wording: Option<Option<String>>,
    pub application_date: Option<String>,
    pub comment: Option<Option<String>>,
    pub active: Option<bool>,
    /// The PSU's category, kept apart from the bank's.
    pub id_category: Option<i64>,
}

pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    u: &Update,
    now: NaiveDateTime,
) -> sqlx::Result<()> {
    let mut sets = vec!["last_update = ?"];
    let mut args = SqliteArguments::default();
    args.add(format::datetime(now))
        .map_err(sqlx::Error::Encode)?;
    if let Some(w) = &u.wording {
        sets.push("wording = ?");
        args.add(w.clone()).map_err(sqlx::Error::Encode)?;
    }
    if let Some(d) = &u.application_date {
        sets.push("application_date = ?");
        args.add(d.clone()).map_err(sqlx::Error::Encode)?;
    }
    if let Some(c) = &u.comment {
        sets.push("comment = ?");
        args.add(c.clone()).map_err(sqlx::Error::Encode)?;
    }
    if let Some(a) = u.active {
        sets.push("active = ?");
        args.add(a).map_err(sqlx::Error::Encode)?;
    }
    if let Some(c) = u.id_category {
        sets.push("psu_id_category = ?");
        args.add(c).map_err(sqlx::Error::Encode)?;
    }
    args.add(id).map_err(sqlx::Error::Encode)?;
    sqlx::query_with(
        &format!("UPDATE transactions SET {} WHERE id = ?", sets.join(", ")),
        args,
    )
    .execute(conn)
    .await?;
    Ok(())
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

/// The bank no longer shows this transaction: the aggregated one gets its `deleted` date
/// (once). Returns whether a row changed.
pub async fn delete_at_bank(
    conn: &mut SqliteConnection,
    id_account: i64,
    bank_key: &str,
    now: NaiveDateTime,
) -> sqlx::Result<bool> {
    let now = format::datetime(now);
    let r = sqlx::query(
        "UPDATE transactions SET deleted = ?, last_update = ?
         WHERE id_account = ? AND bank_key = ? AND deleted IS NULL",
    )
    .bind(&now)
    .bind(&now)
    .bind(id_account)
    .bind(bank_key)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() > 0 {
        // Plain lists count live rows from this column.
        sqlx::query("UPDATE accounts SET nb_transactions = nb_transactions - ? WHERE id = ?")
            .bind(r.rows_affected() as i64)
            .bind(id_account)
            .execute(conn)
            .await?;
    }
    Ok(r.rows_affected() > 0)
}

/// New values the bank shows for a transaction, as stored (None keeps the column).
#[derive(Debug, Default)]
pub struct BankValues {
    pub date: Option<String>,
    pub rdate: Option<String>,
    pub vdate: Option<String>,
    pub value: Option<String>,
    pub original_wording: Option<String>,
    pub simplified_wording: Option<String>,
    pub stemmed_wording: Option<String>,
    pub kind: Option<String>,
    pub coming: Option<bool>,
    pub card: Option<String>,
}

/// Applies the bank's new values to a live transaction; `last_update` moves only when one of
/// them differs, so applying the same change again changes nothing.
pub async fn amend_at_bank(
    conn: &mut SqliteConnection,
    id_account: i64,
    bank_key: &str,
    v: &BankValues,
    now: NaiveDateTime,
) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE transactions SET
            date = COALESCE(?1, date), application_date = COALESCE(?1, application_date),
            rdate = COALESCE(?2, rdate), vdate = COALESCE(?3, vdate), value = COALESCE(?4, value),
            original_wording = COALESCE(?5, original_wording),
            simplified_wording = COALESCE(?6, simplified_wording),
            stemmed_wording = COALESCE(?7, stemmed_wording), type = COALESCE(?8, type),
            coming = COALESCE(?9, coming), card = COALESCE(?10, card), last_update = ?11
         WHERE id_account = ?12 AND bank_key = ?13 AND deleted IS NULL AND (
            (?1 IS NOT NULL AND date IS NOT ?1) OR (?2 IS NOT NULL AND rdate IS NOT ?2)
            OR (?3 IS NOT NULL AND vdate IS NOT ?3) OR (?4 IS NOT NULL AND value IS NOT ?4)
            OR (?5 IS NOT NULL AND original_wording IS NOT ?5)
            OR (?6 IS NOT NULL AND simplified_wording IS NOT ?6)
            OR (?8 IS NOT NULL AND type IS NOT ?8) OR (?9 IS NOT NULL AND coming IS NOT ?9)
            OR (?10 IS NOT NULL AND card IS NOT ?10))",
    )
    .bind(&v.date)
    .bind(&v.rdate)
    .bind(&v.vdate)
    .bind(&v.value)
    .bind(&v.original_wording)
    .bind(&v.simplified_wording)
    .bind(&v.stemmed_wording)
    .bind(&v.kind)
    .bind(v.coming)
    .bind(&v.card)
    .bind(format::datetime(now))
    .bind(id_account)
    .bind(bank_key)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() > 0)
}
