//! What an investment account holds at the simulated bank: its lines (quantity, average
//! buy price, unit value on the value date), the pockets of insurance and retirement lines,
//! and the market orders of brokerage accounts, which are also the ledger's `market_order`
//! and `market_fee` transactions. Everything is keyed by (seed, connector, login, account,
//! day), so any instant can be asked in any order.

use crate::bank::accounts::BankAccount;
use crate::bank::rng::Gen;
use crate::bank::securities::{self, epoch, Security, FUNDS, LISTED};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rust_decimal::Decimal;

/// Account types whose balance is the valuation of their lines.
pub fn is_invest(kind: &str) -> bool {
    matches!(
        kind,
        "market"
            | "pea"
            | "lifeinsurance"
            | "capitalisation"
            | "per"
            | "perp"
            | "perco"
            | "pee"
            | "madelin"
            | "article83"
            | "rsp"
    )
}

/// Brokerage accounts, which pass market orders.
pub fn is_brokerage(kind: &str) -> bool {
    matches!(kind, "market" | "pea")
}

/// Wrappers whose lines are split in pockets.
fn has_pockets(kind: &str) -> bool {
    matches!(
        kind,
        "lifeinsurance" | "per" | "perp" | "perco" | "pee" | "madelin"
    )
}

/// Where the login's bank is: what keys its generated values.
#[derive(Clone, Copy)]
pub struct Bank<'a> {
    pub seed: u64,
    pub connector: i64,
    pub login: &'a str,
}

/// A line held at the bank, at some instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    /// Stable identity at the bank: `<account key>-<code>`.
    pub key: String,
    pub label: String,
    pub code: Option<String>,
    pub stock_symbol: Option<String>,
    pub stock_market: Option<String>,
    pub asset_category: Option<String>,
    pub quantity: Decimal,
    /// Average buy price per unit.
    pub unitprice: Decimal,
    pub unitvalue: Decimal,
    pub vdate: NaiveDate,
    pub pockets: Vec<BankPocket>,
    /// Epoch value in cents, for the value path (None: an injected line with a fixed value).
    pub base_cents: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BankPocket {
    pub key: String,
    pub label: String,
    pub quantity: Decimal,
    pub value: Decimal,
    /// `PocketCondition`: `available`, `date`, `retirement`...
    pub condition: String,
    pub availability_date: Option<NaiveDate>,
}

/// A market order as the broker shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct BankOrder {
    pub number: String,
    pub code: Option<String>,
    pub label: String,
    pub stock_symbol: Option<String>,
    pub stock_market: Option<String>,
    /// `BUY` or `SALE`.
    pub direction: String,
    /// `MARKET` or `LIMIT`.
    pub order_type: String,
    pub date: NaiveDateTime,
    /// When it is (or was) executed.
    pub execution_date: NaiveDateTime,
    pub validity_date: Option<NaiveDateTime>,
    pub quantity: Decimal,
    /// The limit price of a `LIMIT` order.
    pub ordervalue: Option<Decimal>,
    /// Unit price at execution.
    pub unitprice: Decimal,
    /// `quantity × unitprice`.
    pub amount: Decimal,
    /// Brokerage fee, booked as a `market_fee` transaction.
    pub fee: Decimal,
}

impl BankOrder {
    pub fn executed(&self, now: NaiveDateTime) -> bool {
        self.execution_date <= now
    }
}

/// The last weekday on or before `day`: the value date of a price read on `day`.
pub fn value_date(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day - Days::new(1),
        Weekday::Sun => day - Days::new(2),
        _ => day,
    }
}

fn next_weekday(day: NaiveDate) -> NaiveDate {
    let mut d = day + Days::new(1);
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d = d + Days::new(1);
    }
    d
}

fn start(account: &BankAccount) -> NaiveDate {
    epoch().max(account.opening_date)
}

fn pool(kind: &str) -> Vec<&'static Security> {
    match kind {
        "market" => LISTED.iter().collect(),
        "pea" => LISTED.iter().filter(|s| s.pea).collect(),
        _ => FUNDS.iter().collect(),
    }
}

fn price(bank: Bank, s: &Security, day: NaiveDate) -> Decimal {
    securities::unit_value(
        bank.seed,
        bank.connector,
        &securities::isin(s.isin_body),
        s.base_cents,
        day,
    )
}

/// The lines the account was opened with (bought on its start date), in a stable order.
fn initial(bank: Bank, account: &BankAccount) -> Vec<(&'static Security, Decimal)> {
    if !is_invest(&account.kind) {
        return vec![];
    }
    let mut g = Gen::new(&[
        &bank.seed,
        &bank.connector,
        &bank.login,
        &account.key,
        &"portfolio",
    ]);
    let mut pool = pool(&account.kind);
    let n = g.range(3, 5.min(pool.len() as i64)) as usize;
    let mut out = Vec::new();
    for _ in 0..n {
        let s = pool.remove(g.range(0, pool.len() as i64 - 1) as usize);
        let target = g.money(300_000, 1_500_000);
        let at = price(bank, s, start(account));
        let qty = if is_brokerage(&account.kind) {
            // Whole shares, at least ten so sales never empty a line.
            (target / at).floor().max(Decimal::TEN)
        } else {
            (target / at).round_dp(3)
        };
        out.push((s, qty));
    }
    out
}

/// The order the account passed on `day`, if any (brokerage accounts, weekdays).
pub fn order_on(bank: Bank, account: &BankAccount, day: NaiveDate) -> Option<BankOrder> {
    if !is_brokerage(&account.kind)
        || day <= start(account)
        || matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    {
        return None;
    }
    let mut g = Gen::new(&[
        &bank.seed,
        &bank.connector,
        &bank.login,
        &account.key,
        &day,
        &"order",
    ]);
    if !g.chance(0.05) {
        return None;
    }
    let lines = initial(bank, account);
    let (s, q0) = lines[g.range(0, lines.len() as i64 - 1) as usize];
    let sale = g.chance(0.3);
    let cap = if sale {
        q0 / Decimal::from(12)
    } else {
        q0 / Decimal::from(4)
    };
    let quantity = Decimal::from(g.range(1, cap.floor().max(Decimal::ONE).try_into().unwrap_or(1)));
    let created = day.and_time(
        NaiveTime::from_num_seconds_from_midnight_opt(g.range(9 * 3600, 17 * 3600) as u32, 0)
            .unwrap_or_default(),
    );
    let exec_day = next_weekday(day);
    let execution_date = exec_day.and_time(
        NaiveTime::from_num_seconds_from_midnight_opt(g.range(9 * 3600 + 300, 10 * 3600) as u32, 0)
            .unwrap_or_default(),
    );
    let unitprice = price(bank, s, exec_day);
    let limit = g.chance(0.3);
    let amount = (quantity * unitprice).round_dp(2);
    let fee = (amount * Decimal::new(5, 3))
        .round_dp(2)
        .max(Decimal::new(199, 2));
    Some(BankOrder {
        number: format!("{}{}", day.format("%y%m%d"), g.digits(6)),
        code: Some(securities::isin(s.isin_body)),
        label: s.label.to_string(),
        stock_symbol: s.stock_symbol.map(str::to_string),
        stock_market: s.stock_market.map(str::to_string),
        direction: if sale { "SALE" } else { "BUY" }.to_string(),
        order_type: if limit { "LIMIT" } else { "MARKET" }.to_string(),
        date: created,
        execution_date,
        validity_date: limit.then(|| {
            (day + Days::new(30))
                .and_hms_opt(17, 30, 0)
                .unwrap_or(created)
        }),
        quantity,
        // A buy limit above the price it got, a sale limit below.
        ordervalue: limit.then(|| {
            let m = if sale {
                Decimal::new(98, 2)
            } else {
                Decimal::new(102, 2)
            };
            (unitprice * m).round_dp(2)
        }),
        unitprice,
        amount,
        fee,
    })
}

/// The orders executed on `day`: those passed on the previous weekday.
pub fn executed_on(bank: Bank, account: &BankAccount, day: NaiveDate) -> Option<BankOrder> {
    if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        return None;
    }
    let mut prev = day - Days::new(1);
    while matches!(prev.weekday(), Weekday::Sat | Weekday::Sun) {
        prev = prev - Days::new(1);
    }
    order_on(bank, account, prev).filter(|o| o.execution_date.date() == day)
}

/// Every order passed from the account's start until `now`, oldest first.
pub fn orders(bank: Bank, account: &BankAccount, now: NaiveDateTime) -> Vec<BankOrder> {
    if !is_brokerage(&account.kind) {
        return vec![];
    }
    start(account)
        .iter_days()
        .take_while(|d| *d <= now.date())
        .filter_map(|d| order_on(bank, account, d))
        .filter(|o| o.date <= now)
        .collect()
}

/// The account's lines at `now`: the initial ones moved by every order executed since.
pub fn positions(bank: Bank, account: &BankAccount, now: NaiveDateTime) -> Vec<Position> {
    let vdate = value_date(now.date());
    let mut lines: Vec<(Security, Decimal, Decimal)> = initial(bank, account)
        .into_iter()
        .map(|(s, q)| (*s, q, price(bank, s, start(account))))
        .collect();
    for o in orders(bank, account, now)
        .iter()
        .filter(|o| o.executed(now))
    {
        let Some(line) = lines
            .iter_mut()
            .find(|(s, _, _)| Some(securities::isin(s.isin_body)) == o.code)
        else {
            continue;
        };
        if o.direction == "BUY" {
            let total = line.1 * line.2 + o.quantity * o.unitprice;
            line.1 += o.quantity;
            line.2 = (total / line.1).round_dp(4);
        } else {
            // A sale leaves the average buy price as it was.
            line.1 = (line.1 - o.quantity).max(Decimal::ZERO);
        }
    }
    lines
        .into_iter()
        .filter(|(_, q, _)| !q.is_zero())
        .map(|(s, quantity, unitprice)| {
            let code = securities::isin(s.isin_body);
            let unitvalue = price(bank, &s, vdate);
            let key = format!("{}-{code}", account.key);
            let pockets = if has_pockets(&account.kind) {
                pockets(
                    bank,
                    account,
                    &key,
                    quantity,
                    (quantity * unitvalue).round_dp(2),
                    vdate,
                )
            } else {
                vec![]
            };
            Position {
                key,
                label: s.label.to_string(),
                code: Some(code),
                stock_symbol: s.stock_symbol.map(str::to_string),
                stock_market: s.stock_market.map(str::to_string),
                asset_category: Some(s.asset_category.to_string()),
                quantity,
                unitprice: unitprice.round_dp(2),
                unitvalue,
                vdate,
                pockets,
                base_cents: Some(s.base_cents),
            }
        })
        .collect()
}

/// The unit value of a generated line on `day` (None for an injected one).
pub fn unit_value_on(bank: Bank, p: &Position, day: NaiveDate) -> Option<Decimal> {
    let (code, base) = (p.code.as_deref()?, p.base_cents?);
    Some(securities::unit_value(
        bank.seed,
        bank.connector,
        code,
        base,
        day,
    ))
}

/// One or two pockets that split the line exactly: quantities and values add up to it.
fn pockets(
    bank: Bank,
    account: &BankAccount,
    key: &str,
    quantity: Decimal,
    value: Decimal,
    vdate: NaiveDate,
) -> Vec<BankPocket> {
    let mut g = Gen::new(&[&bank.seed, &bank.connector, &bank.login, &key, &"pockets"]);
    let retirement = account.kind != "lifeinsurance";
    let two = g.chance(0.5);
    let share = Decimal::new(g.range(30, 70), 2);
    let locked_until = (vdate.with_day(1).unwrap_or(vdate)
        + chrono::Months::new(g.range(6, 60) as u32))
    .with_day(1)
    .unwrap_or(vdate);
    let first = |q: Decimal, v: Decimal| BankPocket {
        key: format!("{key}-1"),
        label: "Versements libres".into(),
        quantity: q,
        value: v,
        condition: if retirement {
            "retirement"
        } else {
            "available"
        }
        .into(),
        availability_date: None,
    };
    if !two {
        return vec![first(quantity, value)];
    }
    let q1 = (quantity * share).round_dp(3);
    let v1 = (value * share).round_dp(2);
    vec![
        first(q1, v1),
        BankPocket {
            key: format!("{key}-2"),
            label: "Versements programmés".into(),
            quantity: quantity - q1,
            value: value - v1,
            condition: "date".into(),
            availability_date: Some(locked_until),
        },
    ]
}

/// What the API shows of a line beside its own values.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub valuation: Decimal,
    pub diff: Decimal,
    pub diff_percent: Decimal,
    pub portfolio_share: Decimal,
}

/// Valuation, gain and share of each line; the shares are rounded to four places and the
/// largest line takes the rounding, so they add up to exactly 1.
pub fn figures(lines: &[(Decimal, Decimal, Decimal)]) -> Vec<Figures> {
    let valuations: Vec<Decimal> = lines.iter().map(|(q, _, v)| (q * v).round_dp(2)).collect();
    let total: Decimal = valuations.iter().sum();
    let mut out: Vec<Figures> = lines
        .iter()
        .zip(&valuations)
        .map(|((q, price, _), valuation)| {
            let cost = (q * price).round_dp(2);
            let diff = valuation - cost;
            Figures {
                valuation: *valuation,
                diff,
                diff_percent: if cost.is_zero() {
                    Decimal::ZERO
                } else {
                    (diff / cost).round_dp(4)
                },
                portfolio_share: if total.is_zero() {
                    Decimal::ZERO
                } else {
                    (valuation / total).round_dp(4)
                },
            }
        })
        .collect();
    if !total.is_zero() {
        let rest = Decimal::ONE - out.iter().map(|f| f.portfolio_share).sum::<Decimal>();
        if let Some(big) = out.iter_mut().max_by_key(|f| f.valuation) {
            big.portfolio_share += rest;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(kind: &str) -> BankAccount {
        BankAccount {
            key: format!("{kind}-4"),
            kind: kind.into(),
            name: "Compte Titres".into(),
            number: "12345678901".into(),
            iban: None,
            bic: None,
            currency: "EUR".into(),
            opening_date: NaiveDate::from_ymd_opt(2015, 3, 1).unwrap(),
            base_balance: Decimal::ZERO,
            usage: "PRIV".into(),
            loan: None,
        }
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    const BANK: Bank = Bank {
        seed: 42,
        connector: 40,
        login: "alice",
    };

    #[test]
    fn shares_add_up_to_exactly_one() {
        let f = figures(&[
            (Decimal::from(3), Decimal::from(10), Decimal::new(1111, 2)),
            (Decimal::from(7), Decimal::from(10), Decimal::new(3333, 2)),
            (Decimal::from(1), Decimal::from(10), Decimal::new(777, 2)),
        ]);
        assert_eq!(
            f.iter().map(|x| x.portfolio_share).sum::<Decimal>(),
            Decimal::ONE
        );
        assert_eq!(f[0].valuation, Decimal::new(3333, 2));
        assert_eq!(f[0].diff, Decimal::new(333, 2));
        assert_eq!(f[0].diff_percent, Decimal::new(1110, 4));
    }

    #[test]
    fn an_order_is_executed_the_next_weekday_and_moves_the_quantity() {
        let a = account("market");
        let now = at("2026-06-30 18:00:00");
        let all = orders(BANK, &a, now);
        assert!(all.len() > 10, "{}", all.len());
        for o in &all {
            assert!(o.execution_date > o.date);
            assert!(!matches!(
                o.execution_date.weekday(),
                Weekday::Sat | Weekday::Sun
            ));
            assert_eq!(
                executed_on(BANK, &a, o.execution_date.date()).as_ref(),
                Some(o)
            );
            assert_eq!(o.amount, (o.quantity * o.unitprice).round_dp(2));
        }
        let o = &all[all.len() / 2];
        let before = positions(BANK, &a, o.execution_date - chrono::TimeDelta::seconds(1));
        let after = positions(BANK, &a, o.execution_date);
        let q = |ps: &[Position]| {
            ps.iter()
                .find(|p| p.code == o.code)
                .map(|p| p.quantity)
                .unwrap()
        };
        let moved = if o.direction == "BUY" {
            o.quantity
        } else {
            -o.quantity
        };
        assert_eq!(q(&after) - q(&before), moved);
    }

    #[test]
    fn pockets_split_a_line_exactly() {
        let a = account("lifeinsurance");
        for p in positions(BANK, &a, at("2026-02-11 12:00:00")) {
            assert!(!p.pockets.is_empty());
            let q: Decimal = p.pockets.iter().map(|x| x.quantity).sum();
            let v: Decimal = p.pockets.iter().map(|x| x.value).sum();
            assert_eq!(q, p.quantity);
            assert_eq!(v, (p.quantity * p.unitvalue).round_dp(2));
        }
        assert!(orders(BANK, &a, at("2026-02-11 12:00:00")).is_empty());
    }

    #[test]
    fn weekend_prices_are_fridays() {
        let sat = NaiveDate::from_ymd_opt(2026, 2, 14).unwrap();
        assert_eq!(
            value_date(sat),
            NaiveDate::from_ymd_opt(2026, 2, 13).unwrap()
        );
    }
}
