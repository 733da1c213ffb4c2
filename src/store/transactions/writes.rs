//! Transactions as syncs and the bank write them: bulk insert, booking, updates, and the
//! bank's deletions and changes.

use crate::model::format;
use chrono::NaiveDateTime;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, SqliteConnection};

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
