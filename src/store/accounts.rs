//! Bank accounts.

use sqlx::SqliteConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub id_user: i64,
    pub id_connection: i64,
    pub id_source: Option<i64>,
    pub bank_key: String,
    pub webid: Option<String>,
    pub number: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
    pub name: String,
    pub original_name: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub id_type: i64,
    pub currency: String,
    pub balance: Option<String>,
    pub coming: Option<String>,
    pub display: bool,
    pub bookmarked: bool,
    pub usage: Option<String>,
    pub company_name: Option<String>,
    pub opening_date: Option<String>,
    pub loan: Option<String>,
    pub created: String,
    pub last_update: Option<String>,
    pub disabled: Option<String>,
    pub deleted: Option<String>,
    pub synced_until: Option<String>,
    pub nb_transactions: i64,
}

const COLUMNS: &str = "id, id_user, id_connection, id_source, bank_key, webid, number, iban, bic, name,
    original_name, type, id_type, currency, balance, coming, display, bookmarked, usage, company_name,
    opening_date, loan, created, last_update, disabled, deleted, synced_until, nb_transactions";

/// Which accounts a list shows: by default neither disabled nor deleted ones; `?all` shows all.
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    User(i64),
    Connection(i64, i64),
}

pub async fn list(
    conn: &mut SqliteConnection,
    scope: Scope,
    all: bool,
) -> sqlx::Result<Vec<Account>> {
    let filter = if all {
        ""
    } else {
        " AND disabled IS NULL AND deleted IS NULL"
    };
    match scope {
        Scope::User(u) => {
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM accounts WHERE id_user = ?{filter} ORDER BY id"))
                .bind(u)
                .fetch_all(conn)
                .await
        }
        Scope::Connection(u, c) => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM accounts WHERE id_user = ? AND id_connection = ?{filter} ORDER BY id"
            ))
            .bind(u)
            .bind(c)
            .fetch_all(conn)
            .await
        }
    }
}

pub async fn of_connection(
    conn: &mut SqliteConnection,
    id_connection: i64,
) -> sqlx::Result<Vec<Account>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM accounts WHERE id_connection = ? ORDER BY id"
    ))
    .bind(id_connection)
    .fetch_all(conn)
    .await
}

pub async fn get(
    conn: &mut SqliteConnection,
    id_user: i64,
    id: i64,
) -> sqlx::Result<Option<Account>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM accounts WHERE id = ? AND id_user = ?"
    ))
    .bind(id)
    .bind(id_user)
    .fetch_optional(conn)
    .await
}

/// Does the user have at least one enabled, not deleted account?
pub async fn has_enabled(conn: &mut SqliteConnection, id_user: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM accounts WHERE id_user = ? AND disabled IS NULL AND deleted IS NULL",
    )
    .bind(id_user)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

pub async fn insert(conn: &mut SqliteConnection, a: &Account) -> sqlx::Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO accounts (id_user, id_connection, id_source, bank_key, webid, number, iban, bic, name,
            original_name, type, id_type, currency, balance, coming, usage, company_name, opening_date, loan,
            created, last_update, disabled)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(a.id_user)
    .bind(a.id_connection)
    .bind(a.id_source)
    .bind(&a.bank_key)
    .bind(&a.webid)
    .bind(&a.number)
    .bind(&a.iban)
    .bind(&a.bic)
    .bind(&a.name)
    .bind(&a.original_name)
    .bind(&a.kind)
    .bind(a.id_type)
    .bind(&a.currency)
    .bind(&a.balance)
    .bind(&a.coming)
    .bind(&a.usage)
    .bind(&a.company_name)
    .bind(&a.opening_date)
    .bind(&a.loan)
    .bind(&a.created)
    .bind(&a.last_update)
    .bind(&a.disabled)
    .execute(conn)
    .await?
    .last_insert_rowid())
}

pub async fn save(conn: &mut SqliteConnection, a: &Account) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE accounts SET id_source = ?, number = ?, iban = ?, bic = ?, name = ?, balance = ?, coming = ?,
            display = ?, bookmarked = ?, usage = ?, opening_date = ?, loan = ?, last_update = ?, disabled = ?,
            deleted = ?, synced_until = ?
         WHERE id = ?",
    )
    .bind(a.id_source)
    .bind(&a.number)
    .bind(&a.iban)
    .bind(&a.bic)
    .bind(&a.name)
    .bind(&a.balance)
    .bind(&a.coming)
    .bind(a.display)
    .bind(a.bookmarked)
    .bind(&a.usage)
    .bind(&a.opening_date)
    .bind(&a.loan)
    .bind(&a.last_update)
    .bind(&a.disabled)
    .bind(&a.deleted)
    .bind(&a.synced_until)
    .bind(a.id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Disabling an account deletes its transactions (the PSU withdrew consent for it).
pub async fn delete_transactions(conn: &mut SqliteConnection, id_account: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM transactions WHERE id_account = ?")
        .bind(id_account)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE accounts SET nb_transactions = 0 WHERE id = ?")
        .bind(id_account)
        .execute(conn)
        .await?;
    Ok(())
}
