//! Reading an enabled investment account's wealth at the bank: its lines (added, refreshed
//! with their new unit value, or marked `deleted` once gone), their pockets and unit value
//! history, and the broker's market orders (pending, then executed). The account's balance
//! is the sum of its lines' valuations.

use crate::bank::accounts::BankAccount;
use crate::bank::portfolio::{self, Bank, BankOrder, BankPocket, Position};
use crate::error::Result;
use crate::model::catalogue::Connector;
use crate::model::format::{self, Date, DateTime};
use crate::store::accounts::Account;
use crate::store::bank_wealth::{InjectedInvestment, InjectedOrder};
use crate::store::connections::Connection;
use crate::store::investments::{self as inv, InvestmentRow, PocketRow};
use crate::store::market_orders::{self as orders, OrderRow};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, Weekday};
use rust_decimal::Decimal;
use sqlx::types::Text;
use sqlx::SqliteConnection;

/// The highest wealth ids before a sync: what it adds is above them (the webhooks carry
/// only what a sync found new).
#[derive(Debug, Default, Clone, Copy)]
pub struct Floor {
    pub investments: i64,
    pub pockets: i64,
    pub orders: i64,
}

pub async fn floor(conn: &mut SqliteConnection) -> Result<Floor> {
    let (investments, pockets) = inv::floor(conn).await?;
    Ok(Floor {
        investments,
        pockets,
        orders: orders::floor(conn).await?,
    })
}

/// The lines the bank shows for the account at `now`, QA's changes applied.
pub fn bank_positions(
    bank: Bank,
    c: &Connection,
    ba: &BankAccount,
    now: NaiveDateTime,
) -> Vec<Position> {
    let changes = &c.bank;
    let mut list: Vec<Position> = portfolio::positions(bank, ba, now)
        .into_iter()
        .filter(|p| !changes.removed_investments.contains(&p.key))
        .collect();
    for i in changes
        .investments
        .iter()
        .filter(|i| i.account == ba.key && i.at <= now)
    {
        let p = injected_position(i, now);
        if changes.removed_investments.contains(&p.key) {
            continue;
        }
        match list.iter_mut().find(|x| x.key == p.key) {
            Some(x) => *x = p,
            None => list.push(p),
        }
    }
    list
}

/// The orders the broker shows for the account at `now`, QA's injected ones included.
pub fn bank_orders(
    bank: Bank,
    c: &Connection,
    ba: &BankAccount,
    now: NaiveDateTime,
) -> Vec<BankOrder> {
    let mut list = portfolio::orders(bank, ba, now);
    list.extend(
        c.bank
            .orders
            .iter()
            .filter(|o| o.account == ba.key && o.at <= now)
            .map(injected_order),
    );
    list
}

fn weekdays(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days()
        .take_while(move |d| *d <= to)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
}

fn previous_weekday(d: NaiveDate) -> NaiveDate {
    portfolio::value_date(d - Days::new(1))
}

/// Brings the wealth of an enabled investment account up to date; no-op for other types.
#[allow(clippy::too_many_arguments)]
pub async fn refresh(
    conn: &mut SqliteConnection,
    seed: u64,
    connector: &Connector,
    c: &Connection,
    row: &mut Account,
    ba: &BankAccount,
    now: NaiveDateTime,
) -> Result<()> {
    if !portfolio::is_invest(&ba.kind) {
        return Ok(());
    }
    let bank = Bank {
        seed,
        connector: connector.id,
        login: &c.login,
    };
    let now_s = DateTime(now);
    let today = now.date();
    let window = today
        .checked_sub_days(Days::new(connector.history_days.clamp(0, 365) as u64))
        .unwrap_or(today);
    let positions = bank_positions(bank, c, ba, now);
    let figures = portfolio::figures(
        &positions
            .iter()
            .map(|p| (p.quantity, p.unitprice, p.unitvalue))
            .collect::<Vec<_>>(),
    );
    let existing = inv::of_account(conn, row.id).await?;
    for (p, f) in positions.iter().zip(&figures) {
        let before = existing.iter().find(|r| r.bank_key == p.key);
        let prev_vdate = previous_weekday(p.vdate);
        let prev_value = portfolio::unit_value_on(bank, p, prev_vdate);
        let r = InvestmentRow {
            id: before.map_or(0, |b| b.id),
            id_account: row.id,
            id_user: c.id_user,
            id_connection: c.id,
            bank_key: p.key.clone(),
            label: p.label.clone(),
            code: p.code.clone(),
            code_type: p.code.as_ref().map(|_| "ISIN".to_string()),
            stock_symbol: p.stock_symbol.clone(),
            stock_market: p.stock_market.clone(),
            quantity: Text(p.quantity),
            unitprice: Text(p.unitprice),
            unitvalue: Text(p.unitvalue),
            valuation: Text(f.valuation),
            diff: Text(f.diff),
            diff_percent: Text(f.diff_percent),
            prev_diff: prev_value.map(|v| Text((p.quantity * (p.unitvalue - v)).round_dp(2))),
            prev_diff_percent: prev_value
                .filter(|v| !v.is_zero())
                .map(|v| Text(((p.unitvalue - v) / v).round_dp(4))),
            vdate: Date(p.vdate),
            prev_vdate: prev_value.map(|_| Date(prev_vdate)),
            portfolio_share: Text(f.portfolio_share),
            deleted: None,
            last_update: now_s,
        };
        let id = inv::upsert(conn, &r).await?;
        // One history row per value date: the window on discovery, the days since after.
        let from = match before {
            Some(b) => b.vdate.0 + Days::new(1),
            None => window,
        };
        for d in weekdays(from, p.vdate) {
            let v = if d == p.vdate {
                Some(p.unitvalue)
            } else {
                portfolio::unit_value_on(bank, p, d)
            };
            if let Some(v) = v {
                inv::add_value(conn, id, &format::date(d), v).await?;
            }
        }
        let old_pockets = inv::pockets_of(conn, id).await?;
        for k in &p.pockets {
            let before = old_pockets.iter().find(|x| x.bank_key == k.key);
            let pr = PocketRow {
                id: before.map_or(0, |b| b.id),
                id_investment: id,
                id_account: row.id,
                id_user: c.id_user,
                id_connection: c.id,
                bank_key: k.key.clone(),
                label: k.label.clone(),
                quantity: Text(k.quantity),
                value: Text(k.value),
                condition: k.condition.clone(),
                availability_date: k.availability_date.map(Date),
                deleted: None,
                last_update: now_s,
            };
            inv::upsert_pocket(conn, &pr).await?;
        }
        for gone in old_pockets
            .iter()
            .filter(|x| x.deleted.is_none() && !p.pockets.iter().any(|k| k.key == x.bank_key))
        {
            let mut g = gone.clone();
            g.deleted = Some(Date(today));
            inv::upsert_pocket(conn, &g).await?;
        }
    }
    // Lines no longer at the bank keep their id and get `deleted`, their pockets too.
    for gone in existing
        .iter()
        .filter(|r| r.deleted.is_none() && !positions.iter().any(|p| p.key == r.bank_key))
    {
        let mut g = gone.clone();
        g.deleted = Some(Date(today));
        inv::upsert(conn, &g).await?;
        for k in inv::pockets_of(conn, g.id).await? {
            if k.deleted.is_none() {
                let mut k = k.clone();
                k.deleted = Some(Date(today));
                inv::upsert_pocket(conn, &k).await?;
            }
        }
    }
    refresh_orders(conn, bank, c, row, ba, &positions, window, now).await?;
    let total: Decimal = figures.iter().map(|f| f.valuation).sum();
    row.balance = Some(total.to_string());
    row.coming = Some(Decimal::ZERO.to_string());
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn refresh_orders(
    conn: &mut SqliteConnection,
    bank: Bank<'_>,
    c: &Connection,
    row: &Account,
    ba: &BankAccount,
    positions: &[Position],
    window: NaiveDate,
    now: NaiveDateTime,
) -> Result<()> {
    if !portfolio::is_brokerage(&ba.kind) && !c.bank.orders.iter().any(|o| o.account == ba.key) {
        return Ok(());
    }
    let existing = orders::of_account(conn, row.id).await?;
    let list = bank_orders(bank, c, ba, now);
    for o in list.iter().filter(|o| o.date.date() >= window) {
        let before = existing.iter().find(|r| r.number == o.number);
        let done = o.executed(now);
        let current = positions
            .iter()
            .find(|p| p.code.is_some() && p.code == o.code)
            .map(|p| p.unitvalue);
        let r = OrderRow {
            id: before.map_or(0, |b| b.id),
            id_account: row.id,
            id_user: c.id_user,
            id_connection: c.id,
            number: o.number.clone(),
            label: o.label.clone(),
            code: o.code.clone(),
            stock_symbol: o.stock_symbol.clone(),
            direction: o.direction.clone(),
            order_type: o.order_type.clone(),
            stock_market: o.stock_market.clone(),
            state: if done { "Executed" } else { "Pending" }.into(),
            payment_method: "CASH".into(),
            date: Some(DateTime(o.date)),
            execution_date: done.then_some(DateTime(o.execution_date)),
            validity_date: o.validity_date.map(DateTime),
            quantity: Some(Text(o.quantity)),
            amount: done.then_some(Text(o.amount)),
            ordervalue: o.ordervalue.map(Text),
            unitprice: done.then_some(Text(o.unitprice)),
            unitvalue: current.map(Text),
            deleted: None,
            last_update: DateTime(now),
        };
        orders::upsert(conn, &r).await?;
    }
    for gone in existing
        .iter()
        .filter(|r| r.deleted.is_none() && !list.iter().any(|o| o.number == r.number))
    {
        let mut g = gone.clone();
        g.deleted = Some(DateTime(now));
        orders::upsert(conn, &g).await?;
    }
    Ok(())
}

fn injected_position(i: &InjectedInvestment, now: NaiveDateTime) -> Position {
    Position {
        key: i.key.clone(),
        label: i.label.clone(),
        code: i.code.clone(),
        stock_symbol: None,
        stock_market: None,
        asset_category: None,
        quantity: i.quantity,
        unitprice: i.unitprice,
        unitvalue: i.unitvalue,
        vdate: portfolio::value_date(now.date()),
        pockets: i
            .pockets
            .iter()
            .enumerate()
            .map(|(n, k)| BankPocket {
                key: format!("{}-{}", i.key, n + 1),
                label: k.label.clone(),
                quantity: k.quantity,
                value: k.value,
                condition: k.condition.clone(),
                availability_date: k.availability_date,
            })
            .collect(),
        base_cents: None,
    }
}

fn injected_order(o: &InjectedOrder) -> BankOrder {
    let amount = (o.quantity * o.unitprice).round_dp(2);
    BankOrder {
        number: o.number.clone(),
        code: o.code.clone(),
        label: o.label.clone(),
        stock_symbol: None,
        stock_market: None,
        direction: o.direction.clone(),
        order_type: o.order_type.clone(),
        date: o.date,
        execution_date: o.execution_date,
        validity_date: None,
        quantity: o.quantity,
        ordervalue: o.ordervalue,
        unitprice: o.unitprice,
        amount,
        fee: Decimal::ZERO,
    }
}
