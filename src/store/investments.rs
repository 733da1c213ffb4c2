//! Investments (the lines of investment accounts), their unit value history and their
//! pockets. Amounts are decimal TEXT, read through `Text<Decimal>`.

use crate::model::format::{Date, DateTime};
use crate::model::investment::{Investment, InvestmentHistoryValue, Pocket};
use crate::model::money::Money;
use rust_decimal::Decimal;
use sqlx::types::Text;
use sqlx::SqliteConnection;

/// Which lines a list covers. Lists only ever show the lines of enabled accounts; by default
/// neither deleted lines nor those of deleted accounts (`all` shows them).
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    User(i64),
    Connection(i64, i64),
    Account(i64, i64),
    /// The pockets of one line (user, investment).
    Investment(i64, i64),
}

impl Scope {
    /// The WHERE clause on the aliased table `x` (with `a` the account) and its two binds.
    fn clause(self) -> (&'static str, i64, i64) {
        match self {
            Scope::User(u) => ("x.id_user = ? AND ? = 0", u, 0),
            Scope::Connection(u, c) => ("x.id_user = ? AND x.id_connection = ?", u, c),
            Scope::Account(u, a) => ("x.id_user = ? AND x.id_account = ?", u, a),
            Scope::Investment(u, i) => ("x.id_user = ? AND x.id_investment = ?", u, i),
        }
    }
}

/// The list filters of `/investments`: keywords that must all be in the label, an ISIN.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub label: Vec<String>,
    pub code: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvestmentRow {
    pub id: i64,
    pub id_account: i64,
    pub id_user: i64,
    pub id_connection: i64,
    pub bank_key: String,
    pub label: String,
    pub code: Option<String>,
    pub code_type: Option<String>,
    pub stock_symbol: Option<String>,
    pub stock_market: Option<String>,
    pub quantity: Text<Decimal>,
    pub unitprice: Text<Decimal>,
    pub unitvalue: Text<Decimal>,
    pub valuation: Text<Decimal>,
    pub diff: Text<Decimal>,
    pub diff_percent: Text<Decimal>,
    pub prev_diff: Option<Text<Decimal>>,
    pub prev_diff_percent: Option<Text<Decimal>>,
    pub vdate: Date,
    pub prev_vdate: Option<Date>,
    pub portfolio_share: Text<Decimal>,
    pub deleted: Option<Date>,
    pub last_update: DateTime,
}

const COLUMNS: &str = "x.id, x.id_account, x.id_user, x.id_connection, x.bank_key, x.label, x.code,
    x.code_type, x.stock_symbol, x.stock_market, x.quantity, x.unitprice, x.unitvalue, x.valuation,
    x.diff, x.diff_percent, x.prev_diff, x.prev_diff_percent, x.vdate, x.prev_vdate,
    x.portfolio_share, x.deleted, x.last_update";

fn money(t: &Text<Decimal>) -> Money {
    Money(t.0)
}

impl InvestmentRow {
    pub fn to_model(&self) -> Investment {
        Investment {
            id: self.id,
            id_account: self.id_account,
            id_security: None,
            label: self.label.clone(),
            code: self.code.clone(),
            code_type: self.code_type.clone(),
            stock_symbol: self.stock_symbol.clone(),
            stock_market: self.stock_market.clone(),
            source: if self.code.is_some() {
                "website"
            } else {
                "notFound"
            }
            .into(),
            description: None,
            quantity: money(&self.quantity),
            unitprice: money(&self.unitprice),
            unitvalue: money(&self.unitvalue),
            valuation: money(&self.valuation),
            diff: money(&self.diff),
            diff_percent: money(&self.diff_percent),
            prev_diff: self.prev_diff.as_ref().map(money),
            prev_diff_percent: self.prev_diff_percent.as_ref().map(money),
            vdate: self.vdate,
            prev_vdate: self.prev_vdate,
            portfolio_share: money(&self.portfolio_share),
            calculated: vec![
                "diff".into(),
                "diff_percent".into(),
                "portfolio_share".into(),
            ],
            deleted: self.deleted,
            last_update: self.last_update,
            original_currency: None,
            original_valuation: None,
            original_unitvalue: None,
            original_unitprice: None,
            original_diff: None,
            details: None,
        }
    }
}

/// The lines in scope, oldest first.
pub async fn list(
    conn: &mut SqliteConnection,
    scope: Scope,
    filters: &Filters,
    all: bool,
) -> sqlx::Result<Vec<InvestmentRow>> {
    let (clause, a, b) = scope.clause();
    let mut sql = format!(
        "SELECT {COLUMNS} FROM investments x JOIN accounts a ON a.id = x.id_account
         WHERE {clause} AND a.disabled IS NULL"
    );
    if !all {
        sql.push_str(" AND x.deleted IS NULL AND a.deleted IS NULL");
    }
    for _ in &filters.label {
        sql.push_str(" AND x.label LIKE '%' || ? || '%'");
    }
    if filters.code.is_some() {
        sql.push_str(" AND x.code = ?");
    }
    sql.push_str(" ORDER BY x.id");
    let mut q = sqlx::query_as(&sql).bind(a).bind(b);
    for w in &filters.label {
        q = q.bind(w);
    }
    if let Some(c) = &filters.code {
        q = q.bind(c);
    }
    q.fetch_all(conn).await
}

/// One of the user's lines, deleted or not.
pub async fn get(
    conn: &mut SqliteConnection,
    id_user: Option<i64>,
    id: i64,
) -> sqlx::Result<Option<InvestmentRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM investments x WHERE x.id = ?1 AND (?2 IS NULL OR x.id_user = ?2)"
    ))
    .bind(id)
    .bind(id_user)
    .fetch_optional(conn)
    .await
}

pub async fn of_account(
    conn: &mut SqliteConnection,
    id_account: i64,
) -> sqlx::Result<Vec<InvestmentRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM investments x WHERE x.id_account = ? ORDER BY x.id"
    ))
    .bind(id_account)
    .fetch_all(conn)
    .await
}

/// Lines of the account with an id above `floor`: those a sync that started there added.
pub async fn added_since(
    conn: &mut SqliteConnection,
    id_account: i64,
    floor: i64,
) -> sqlx::Result<Vec<InvestmentRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM investments x WHERE x.id_account = ? AND x.id > ? ORDER BY x.id"
    ))
    .bind(id_account)
    .bind(floor)
    .fetch_all(conn)
    .await
}

/// The highest line and pocket ids so far.
pub async fn floor(conn: &mut SqliteConnection) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM investments),
                (SELECT COALESCE(MAX(id), 0) FROM pockets)",
    )
    .fetch_one(conn)
    .await
}

/// Inserts (`row.id == 0`) or updates a line; returns its id.
pub async fn upsert(conn: &mut SqliteConnection, r: &InvestmentRow) -> sqlx::Result<i64> {
    let q = if r.id == 0 {
        "INSERT INTO investments (id_account, id_user, id_connection, bank_key, label, code, code_type,
            stock_symbol, stock_market, quantity, unitprice, unitvalue, valuation, diff, diff_percent,
            prev_diff, prev_diff_percent, vdate, prev_vdate, portfolio_share, deleted, last_update)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    } else {
        "UPDATE investments SET id_account = ?, id_user = ?, id_connection = ?, bank_key = ?, label = ?,
            code = ?, code_type = ?, stock_symbol = ?, stock_market = ?, quantity = ?, unitprice = ?,
            unitvalue = ?, valuation = ?, diff = ?, diff_percent = ?, prev_diff = ?,
            prev_diff_percent = ?, vdate = ?, prev_vdate = ?, portfolio_share = ?, deleted = ?,
            last_update = ?
         WHERE id = ?"
    };
    let q = sqlx::query(q)
        .bind(r.id_account)
        .bind(r.id_user)
        .bind(r.id_connection)
        .bind(&r.bank_key)
        .bind(&r.label)
        .bind(&r.code)
        .bind(&r.code_type)
        .bind(&r.stock_symbol)
        .bind(&r.stock_market)
        .bind(r.quantity)
        .bind(r.unitprice)
        .bind(r.unitvalue)
        .bind(r.valuation)
        .bind(r.diff)
        .bind(r.diff_percent)
        .bind(r.prev_diff)
        .bind(r.prev_diff_percent)
        .bind(r.vdate.0.format("%Y-%m-%d").to_string())
        .bind(r.prev_vdate.map(|d| d.0.format("%Y-%m-%d").to_string()))
        .bind(r.portfolio_share)
        .bind(r.deleted.map(|d| d.0.format("%Y-%m-%d").to_string()))
        .bind(r.last_update.0.format("%Y-%m-%d %H:%M:%S").to_string());
    let q = if r.id == 0 { q } else { q.bind(r.id) };
    let res = q.execute(conn).await?;
    Ok(if r.id == 0 {
        res.last_insert_rowid()
    } else {
        r.id
    })
}

/// Records the line's unit value on a value date (once per date).
pub async fn add_value(
    conn: &mut SqliteConnection,
    id_investment: i64,
    vdate: &str,
    unitvalue: Decimal,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO investment_values (id_investment, vdate, unitvalue) VALUES (?, ?, ?)
         ON CONFLICT (id_investment, vdate) DO NOTHING",
    )
    .bind(id_investment)
    .bind(vdate)
    .bind(unitvalue.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct ValueRow {
    id: i64,
    id_investment: i64,
    vdate: Date,
    unitvalue: Text<Decimal>,
}

/// The line's unit values, oldest first.
pub async fn history(
    conn: &mut SqliteConnection,
    id_investment: i64,
) -> sqlx::Result<Vec<InvestmentHistoryValue>> {
    let rows: Vec<ValueRow> = sqlx::query_as(
        "SELECT id, id_investment, vdate, unitvalue FROM investment_values
         WHERE id_investment = ? ORDER BY vdate, id",
    )
    .bind(id_investment)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InvestmentHistoryValue {
            id: r.id,
            id_investment: r.id_investment,
            vdate: r.vdate,
            unitvalue: Money(r.unitvalue.0),
            original_currency: None,
            original_unitvalue: None,
        })
        .collect())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PocketRow {
    pub id: i64,
    pub id_investment: i64,
    pub id_account: i64,
    pub id_user: i64,
    pub id_connection: i64,
    pub bank_key: String,
    pub label: String,
    pub quantity: Text<Decimal>,
    pub value: Text<Decimal>,
    pub condition: String,
    pub availability_date: Option<Date>,
    pub deleted: Option<Date>,
    pub last_update: DateTime,
}

const POCKET_COLUMNS: &str = "x.id, x.id_investment, x.id_account, x.id_user, x.id_connection,
    x.bank_key, x.label, x.quantity, x.value, x.condition, x.availability_date, x.deleted,
    x.last_update";

impl PocketRow {
    pub fn to_model(&self) -> Pocket {
        Pocket {
            id: self.id,
            id_investment: self.id_investment,
            id_account: self.id_account,
            label: self.label.clone(),
            quantity: Money(self.quantity.0),
            value: Money(self.value.0),
            condition: self.condition.clone(),
            availability_date: self.availability_date,
            deleted: self.deleted,
            last_update: self.last_update,
        }
    }
}

/// The pockets in scope, oldest first, with the same visibility rules as the lines.
pub async fn pockets(
    conn: &mut SqliteConnection,
    scope: Scope,
    all: bool,
) -> sqlx::Result<Vec<PocketRow>> {
    let (clause, a, b) = scope.clause();
    let mut sql = format!(
        "SELECT {POCKET_COLUMNS} FROM pockets x JOIN accounts a ON a.id = x.id_account
         WHERE {clause} AND a.disabled IS NULL"
    );
    if !all {
        sql.push_str(" AND x.deleted IS NULL AND a.deleted IS NULL");
    }
    sql.push_str(" ORDER BY x.id");
    sqlx::query_as(&sql).bind(a).bind(b).fetch_all(conn).await
}

pub async fn pocket(
    conn: &mut SqliteConnection,
    id_user: Option<i64>,
    id: i64,
) -> sqlx::Result<Option<PocketRow>> {
    sqlx::query_as(&format!(
        "SELECT {POCKET_COLUMNS} FROM pockets x WHERE x.id = ?1 AND (?2 IS NULL OR x.id_user = ?2)"
    ))
    .bind(id)
    .bind(id_user)
    .fetch_optional(conn)
    .await
}

pub async fn pockets_of(
    conn: &mut SqliteConnection,
    id_investment: i64,
) -> sqlx::Result<Vec<PocketRow>> {
    sqlx::query_as(&format!(
        "SELECT {POCKET_COLUMNS} FROM pockets x WHERE x.id_investment = ? ORDER BY x.id"
    ))
    .bind(id_investment)
    .fetch_all(conn)
    .await
}

/// Inserts (`row.id == 0`) or updates a pocket.
pub async fn upsert_pocket(conn: &mut SqliteConnection, r: &PocketRow) -> sqlx::Result<i64> {
    let q = if r.id == 0 {
        "INSERT INTO pockets (id_investment, id_account, id_user, id_connection, bank_key, label,
            quantity, value, condition, availability_date, deleted, last_update)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    } else {
        "UPDATE pockets SET id_investment = ?, id_account = ?, id_user = ?, id_connection = ?,
            bank_key = ?, label = ?, quantity = ?, value = ?, condition = ?, availability_date = ?,
            deleted = ?, last_update = ?
         WHERE id = ?"
    };
    let q = sqlx::query(q)
        .bind(r.id_investment)
        .bind(r.id_account)
        .bind(r.id_user)
        .bind(r.id_connection)
        .bind(&r.bank_key)
        .bind(&r.label)
        .bind(r.quantity)
        .bind(r.value)
        .bind(&r.condition)
        .bind(
            r.availability_date
                .map(|d| d.0.format("%Y-%m-%d").to_string()),
        )
        .bind(r.deleted.map(|d| d.0.format("%Y-%m-%d").to_string()))
        .bind(r.last_update.0.format("%Y-%m-%d %H:%M:%S").to_string());
    let q = if r.id == 0 { q } else { q.bind(r.id) };
    let res = q.execute(conn).await?;
    Ok(if r.id == 0 {
        res.last_insert_rowid()
    } else {
        r.id
    })
}

/// Disabling an account deletes its lines (their pockets and values go with them) and its
/// market orders.
pub async fn delete_of_account(conn: &mut SqliteConnection, id_account: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM investments WHERE id_account = ?")
        .bind(id_account)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM market_orders WHERE id_account = ?")
        .bind(id_account)
        .execute(conn)
        .await?;
    Ok(())
}
