//! Bank accounts.

use crate::model::account::BankAccount;
use crate::model::catalogue::Currency;
use crate::model::currency::AccountCurrency;
use crate::model::format::{Date, DateTime};
use crate::model::loan::Loan;
use crate::model::money::{self, Money};
use rust_decimal::Decimal;
use sqlx::SqliteConnection;
use std::str::FromStr;

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

/// A TEXT column that must hold a value in a wire format; anything else is a decode error,
/// so a corrupt row fails loudly instead of rendering differently.
pub(super) fn parsed<T>(column: &str, value: Option<T>) -> sqlx::Result<T> {
    value.ok_or_else(|| sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: format!("not in the Powens wire format: {column}").into(),
    })
}

pub(super) fn opt_datetime(column: &str, value: &Option<String>) -> sqlx::Result<Option<DateTime>> {
    value
        .as_deref()
        .map(|v| parsed(column, DateTime::parse(v)))
        .transpose()
}

/// Amounts are stored as decimal TEXT; an unreadable one shows as unknown (null).
fn amount(value: &Option<String>) -> Option<Decimal> {
    value.as_deref().and_then(|v| Decimal::from_str(v).ok())
}

impl Account {
    /// The BankAccount the API shows for this row, in `currency` (the catalogue's entry for
    /// the row's code, if it has one).
    pub fn to_model(&self, currency: Option<&Currency>) -> sqlx::Result<BankAccount> {
        let balance = amount(&self.balance);
        let coming = amount(&self.coming);
        let shown = BankAccount {
            id: self.id,
            id_connection: self.id_connection,
            id_user: self.id_user,
            id_source: self.id_source,
            id_parent: None,
            number: self.number.clone(),
            webid: self.webid.clone(),
            original_name: self.original_name.clone(),
            name: self.name.clone(),
            balance: balance.map(Money),
            coming: coming.map(Money),
            coming_balance: balance.map(|b| Money(b + coming.unwrap_or_default())),
            formatted_balance: balance.map(|b| money::formatted(b, currency)),
            currency: AccountCurrency::new(currency, &self.currency),
            kind: self.kind.clone(),
            id_type: self.id_type,
            display: self.display,
            bookmarked: i64::from(self.bookmarked),
            usage: self.usage.clone(),
            ownership: Some("owner".into()),
            company_name: self.company_name.clone(),
            iban: self.iban.clone(),
            bic: self.bic.clone(),
            opening_date: self
                .opening_date
                .as_deref()
                .map(|d| parsed("opening_date", Date::parse(d)))
                .transpose()?,
            information: Default::default(),
            // The sync stores the Loan it computed; one that does not read back shows as none.
            loan: self
                .loan
                .as_deref()
                .and_then(|l| serde_json::from_str::<Loan>(l).ok()),
            last_update: opt_datetime("last_update", &self.last_update)?,
            disabled: opt_datetime("disabled", &self.disabled)?,
            deleted: opt_datetime("deleted", &self.deleted)?,
            error: None,
        };
        Ok(shown.shown())
    }
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
