//! Market orders of brokerage accounts.

use crate::model::format::DateTime;
use crate::model::market_order::{MarketOrder, OrderKind};
use crate::model::money::Money;
use crate::store::investments::Scope;
use rust_decimal::Decimal;
use sqlx::types::Text;
use sqlx::SqliteConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub id_account: i64,
    pub id_user: i64,
    pub id_connection: i64,
    pub number: String,
    pub label: String,
    pub code: Option<String>,
    pub stock_symbol: Option<String>,
    pub direction: String,
    pub order_type: String,
    pub stock_market: Option<String>,
    pub state: String,
    pub payment_method: String,
    pub date: Option<DateTime>,
    pub execution_date: Option<DateTime>,
    pub validity_date: Option<DateTime>,
    pub quantity: Option<Text<Decimal>>,
    pub amount: Option<Text<Decimal>>,
    pub ordervalue: Option<Text<Decimal>>,
    pub unitprice: Option<Text<Decimal>>,
    pub unitvalue: Option<Text<Decimal>>,
    pub deleted: Option<DateTime>,
    pub last_update: DateTime,
}

const COLUMNS: &str = "x.id, x.id_account, x.id_user, x.id_connection, x.number, x.label, x.code,
    x.stock_symbol, x.direction, x.order_type, x.stock_market, x.state, x.payment_method, x.date,
    x.execution_date, x.validity_date, x.quantity, x.amount, x.ordervalue, x.unitprice,
    x.unitvalue, x.deleted, x.last_update";

fn m(v: &Option<Text<Decimal>>) -> Option<Money> {
    v.as_ref().map(|t| Money(t.0))
}

impl OrderRow {
    pub fn to_model(&self) -> MarketOrder {
        MarketOrder {
            id: self.id,
            id_account: self.id_account,
            number: self.number.clone(),
            label: self.label.clone(),
            code: self.code.clone(),
            stock_symbol: self.stock_symbol.clone(),
            order_direction: OrderKind::direction(&self.direction),
            order_type: OrderKind::order_type(&self.order_type),
            stock_market: self.stock_market.clone(),
            state: self.state.clone(),
            payment_method: self.payment_method.clone(),
            date: self.date,
            execution_date: self.execution_date,
            validity_date: self.validity_date,
            quantity: m(&self.quantity),
            amount: m(&self.amount),
            ordervalue: m(&self.ordervalue),
            unitprice: m(&self.unitprice),
            unitvalue: m(&self.unitvalue),
            deleted: self.deleted,
            last_update: self.last_update,
        }
    }
}

/// The orders in scope, oldest first: those of enabled accounts; deleted ones with `all`.
pub async fn list(
    conn: &mut SqliteConnection,
    scope: Scope,
    all: bool,
) -> sqlx::Result<Vec<OrderRow>> {
    let (clause, a, b) = match scope {
        Scope::User(u) => ("x.id_user = ? AND ? = 0", u, 0),
        Scope::Connection(u, c) => ("x.id_user = ? AND x.id_connection = ?", u, c),
        Scope::Account(u, a) | Scope::Investment(u, a) => {
            ("x.id_user = ? AND x.id_account = ?", u, a)
        }
    };
    let mut sql = format!(
        "SELECT {COLUMNS} FROM market_orders x JOIN accounts a ON a.id = x.id_account
         WHERE {clause} AND a.disabled IS NULL"
    );
    if !all {
        sql.push_str(" AND x.deleted IS NULL AND a.deleted IS NULL");
    }
    sql.push_str(" ORDER BY x.id");
    sqlx::query_as(&sql).bind(a).bind(b).fetch_all(conn).await
}

pub async fn get(
    conn: &mut SqliteConnection,
    id_user: Option<i64>,
    id: i64,
) -> sqlx::Result<Option<OrderRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM market_orders x WHERE x.id = ?1 AND (?2 IS NULL OR x.id_user = ?2)"
    ))
    .bind(id)
    .bind(id_user)
    .fetch_optional(conn)
    .await
}

pub async fn of_account(
    conn: &mut SqliteConnection,
    id_account: i64,
) -> sqlx::Result<Vec<OrderRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM market_orders x WHERE x.id_account = ? ORDER BY x.id"
    ))
    .bind(id_account)
    .fetch_all(conn)
    .await
}

pub async fn added_since(
    conn: &mut SqliteConnection,
    id_account: i64,
    floor: i64,
) -> sqlx::Result<Vec<OrderRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM market_orders x WHERE x.id_account = ? AND x.id > ? ORDER BY x.id"
    ))
    .bind(id_account)
    .bind(floor)
    .fetch_all(conn)
    .await
}

pub async fn floor(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM market_orders")
        .fetch_one(conn)
        .await
}

fn dt(v: &Option<DateTime>) -> Option<String> {
    v.map(|d| d.0.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// Inserts (`row.id == 0`) or updates an order; returns its id.
pub async fn upsert(conn: &mut SqliteConnection, r: &OrderRow) -> sqlx::Result<i64> {
    let sql = if r.id == 0 {
        "INSERT INTO market_orders (id_account, id_user, id_connection, number, label, code,
            stock_symbol, direction, order_type, stock_market, state, payment_method, date,
            execution_date, validity_date, quantity, amount, ordervalue, unitprice, unitvalue,
            deleted, last_update)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    } else {
        "UPDATE market_orders SET id_account = ?, id_user = ?, id_connection = ?, number = ?,
            label = ?, code = ?, stock_symbol = ?, direction = ?, order_type = ?, stock_market = ?,
            state = ?, payment_method = ?, date = ?, execution_date = ?, validity_date = ?,
            quantity = ?, amount = ?, ordervalue = ?, unitprice = ?, unitvalue = ?, deleted = ?,
            last_update = ?
         WHERE id = ?"
    };
    let q = sqlx::query(sql)
        .bind(r.id_account)
        .bind(r.id_user)
        .bind(r.id_connection)
        .bind(&r.number)
        .bind(&r.label)
        .bind(&r.code)
        .bind(&r.stock_symbol)
        .bind(&r.direction)
        .bind(&r.order_type)
        .bind(&r.stock_market)
        .bind(&r.state)
        .bind(&r.payment_method)
        .bind(dt(&r.date))
        .bind(dt(&r.execution_date))
        .bind(dt(&r.validity_date))
        .bind(r.quantity)
        .bind(r.amount)
        .bind(r.ordervalue)
        .bind(r.unitprice)
        .bind(r.unitvalue)
        .bind(dt(&r.deleted))
        .bind(dt(&Some(r.last_update)));
    let q = if r.id == 0 { q } else { q.bind(r.id) };
    let res = q.execute(conn).await?;
    Ok(if r.id == 0 {
        res.last_insert_rowid()
    } else {
        r.id
    })
}
