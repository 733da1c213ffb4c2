//! Transactions of a simulated account, generated day by day from the keyed PRNG. A day's
//! transactions depend only on (seed, connector, login, account, day), so a sync at any time,
//! in any order, sees the same ledger; "now" only decides which of them have happened yet.

use crate::bank::accounts::BankAccount;
use crate::bank::rng::Gen;
use crate::bank::wordings::{self, stem};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use serde::Serialize;

/// Balances are the base balance plus every booked transaction since this day (or the
/// account's opening, if later), so they move exactly by the transactions a sync brings.
pub fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date")
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Counterparty {
    pub label: String,
    pub account_scheme_name: Option<String>,
    pub account_identification: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BankTx {
    /// Stable identity at the bank: `<account key>-<yyyymmdd>-<n>`.
    pub key: String,
    /// When it happened (order date).
    pub rdate: NaiveDate,
    pub time: NaiveTime,
    /// When it is (or will be) booked; until then it is `coming`.
    pub date: NaiveDate,
    pub vdate: NaiveDate,
    pub value: Decimal,
    pub kind: &'static str,
    pub original_wording: String,
    pub simplified_wording: String,
    pub card: Option<String>,
    pub counterparty: Option<Counterparty>,
}

impl BankTx {
    pub fn happened_at(&self) -> NaiveDateTime {
        self.rdate.and_time(self.time)
    }

    pub fn stemmed(&self) -> String {
        stem(&self.simplified_wording)
    }
}

pub struct Ctx<'a> {
    pub seed: u64,
    pub connector: i64,
    pub login: &'a str,
    /// Average card payments a day on the connector.
    pub daily: f64,
    /// The login's deferred card account, if it has one: checking then pays the monthly summary.
    pub card: Option<&'a BankAccount>,
}

fn last_day_of_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .expect("valid date")
        .pred_opt()
        .expect("valid date")
}

struct Day<'a> {
    g: Gen,
    day: NaiveDate,
    account: &'a BankAccount,
    out: Vec<BankTx>,
}

impl Day<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        value: Decimal,
        kind: &'static str,
        original: String,
        simplified: &str,
        booked_in: u64,
        card: Option<String>,
        cp: Option<Counterparty>,
    ) {
        let n = self.out.len();
        let secs = self.g.range(6 * 3600, 22 * 3600) as u32;
        let date = self
            .day
            .checked_add_days(Days::new(booked_in))
            .unwrap_or(self.day);
        self.out.push(BankTx {
            key: format!("{}-{}-{n}", self.account.key, self.day.format("%Y%m%d")),
            rdate: self.day,
            time: NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap_or_default(),
            date,
            vdate: date,
            value,
            kind,
            original_wording: original,
            simplified_wording: simplified.to_string(),
            card,
            counterparty: cp,
        });
    }
}

fn counterparty(g: &mut Gen, label: &str, kind: &str) -> Counterparty {
    let iban = format!("FR76{}", g.digits(23));
    Counterparty {
        label: label.to_string(),
        account_scheme_name: Some("iban".into()),
        account_identification: Some(iban),
        kind: kind.to_string(),
    }
}

/// Every transaction of `account` whose order date is `day`, in a stable order. On the last
/// day of the month a checking account sweeps the month's surplus to (or tops up from)
/// savings, so its balance wanders around its base instead of drifting for years.
pub fn day(ctx: &Ctx, account: &BankAccount, day: NaiveDate) -> Vec<BankTx> {
    let mut d = generate(ctx, account, day);
    if account.kind == "checking" && day == last_day_of_month(day) && day >= account.opening_date {
        let net: Decimal = month_days(day)
            .flat_map(|x| generate(ctx, account, x).out)
            .map(|t| t.value)
            .sum();
        let v = -net + d.g.money(-15_000, 15_000);
        let label = if v.is_sign_negative() {
            "VIR SEPA EPARGNE AUTOMATIQUE"
        } else {
            "VIR SEPA DEPUIS EPARGNE"
        };
        d.push(v, "transfer", label.into(), label, 0, None, None);
    }
    d.out
}

fn generate<'a>(ctx: &Ctx, account: &'a BankAccount, day: NaiveDate) -> Day<'a> {
    let mut d = Day {
        g: Gen::new(&[&ctx.seed, &ctx.connector, &ctx.login, &account.key, &day]),
        day,
        account,
        out: Vec::new(),
    };
    if day < account.opening_date {
        return d;
    }
    let dd = day.format("%d/%m").to_string();
    match account.kind.as_str() {
        "checking" => checking(ctx, &mut d, &dd),
        "card" => card(ctx, &mut d, &dd),
        "loan" => {
            if let (Some(l), 5) = (&account.loan, day.day()) {
                d.push(
                    l.monthly_payment,
                    "loan_repayment",
                    "ECHEANCE PRET IMMOBILIER".into(),
                    "ECHEANCE PRET IMMOBILIER",
                    0,
                    None,
                    None,
                );
            }
        }
        "market" | "pea" | "lifeinsurance" | "per" => invest(&mut d),
        "unknown" => {}
        _ => savings(&mut d),
    }
    d
}

fn checking(ctx: &Ctx, d: &mut Day, dd: &str) {
    let day = d.day;
    let mut fixed = Gen::new(&[&ctx.seed, &ctx.connector, &ctx.login, &"household"]);
    let employer = *fixed.pick(wordings::EMPLOYERS);
    let salary = fixed.money(180_000, 420_000);
    let landlord = *fixed.pick(wordings::LANDLORDS);
    let rent = fixed.money(55_000, 140_000);
    if day.day() == 28 {
        let month = wordings::MONTHS[day.month0() as usize];
        let cp = counterparty(&mut fixed, employer, "debtor");
        d.push(
            salary,
            "transfer",
            format!("VIR SEPA RECU /DE {employer} /MOTIF SALAIRE {month}"),
            employer,
            0,
            None,
            Some(cp),
        );
    }
    if day.day() == 5 {
        let cp = counterparty(&mut fixed, landlord, "creditor");
        d.push(
            -rent,
            "transfer",
            format!("VIR SEPA EMIS /A {landlord} /MOTIF LOYER"),
            landlord,
            0,
            None,
            Some(cp),
        );
    }
    if day.day() == 1 {
        d.push(
            Decimal::new(-250, 2),
            "bank",
            "FRAIS TENUE DE COMPTE".into(),
            "FRAIS TENUE DE COMPTE",
            0,
            None,
            None,
        );
        if let Some(card_account) = ctx.card {
            let prev = day.pred_opt().expect("valid date");
            let total: Decimal = month_days(prev)
                .flat_map(|x| self::day(ctx, card_account, x))
                .map(|t| t.value)
                .sum();
            if !total.is_zero() {
                let label = format!("RELEVE CARTE {}", card_account.number);
                d.push(total, "summary_card", label.clone(), &label, 0, None, None);
            }
        }
    }
    for (biller, dom, lo, hi) in wordings::DEBITS {
        if day.day() == *dom {
            let v = d.g.money(*lo, *hi);
            d.push(
                -v,
                "order",
                format!("PRLV SEPA {biller}"),
                biller,
                0,
                None,
                None,
            );
        }
    }
    let card_no = format!(
        "XXXXXXXXXXXX{}",
        &Gen::new(&[&ctx.seed, &ctx.login, &"cardno"]).digits(4)
    );
    let n =
        d.g.count(ctx.daily * if ctx.card.is_some() { 0.5 } else { 1.0 });
    for _ in 0..n {
        let (m, lo, hi) = *d.g.pick(wordings::MERCHANTS);
        let v = d.g.money(lo, hi);
        let booked_in = d.g.range(0, 2) as u64;
        d.push(
            -v,
            "card",
            format!("CB {m} {dd}"),
            m,
            booked_in,
            Some(card_no.clone()),
            None,
        );
    }
    if d.g.chance(0.06) {
        let city = *d.g.pick(wordings::CITIES);
        let v = Decimal::from(d.g.range(2, 10) * 10);
        d.push(
            -v,
            "withdrawal",
            format!("RETRAIT DAB {dd} {city}"),
            "RETRAIT DAB",
            0,
            Some(card_no.clone()),
            None,
        );
    }
    if d.g.chance(0.015) {
        let num = d.g.digits(7);
        let v = d.g.money(1500, 25000);
        d.push(
            -v,
            "check",
            format!("CHEQUE {num}"),
            "CHEQUE",
            1,
            None,
            None,
        );
    }
    if d.g.chance(0.01) {
        let v = d.g.money(2000, 30000);
        d.push(
            v,
            "deposit",
            "REMISE CHEQUES".into(),
            "REMISE CHEQUES",
            1,
            None,
            None,
        );
    }
    if day.day() == 20 {
        let (s, cents) = *fixed.pick(wordings::SUBSCRIPTIONS);
        d.push(
            Decimal::new(-cents, 2),
            "card",
            format!("CB {s} {dd}"),
            s,
            0,
            Some(card_no),
            None,
        );
    }
}

fn card(ctx: &Ctx, d: &mut Day, dd: &str) {
    let card_no = d.account.number.clone();
    let eom = (last_day_of_month(d.day) - d.day).num_days().max(0) as u64;
    let n = d.g.count(ctx.daily * 0.5);
    for _ in 0..n {
        let (m, lo, hi) = *d.g.pick(wordings::MERCHANTS);
        let v = d.g.money(lo, hi);
        d.push(
            -v,
            "deferred_card",
            format!("CARTE {dd} {m}"),
            m,
            eom,
            Some(card_no.clone()),
            None,
        );
    }
}

fn savings(d: &mut Day) {
    let mut fixed = Gen::new(&[&d.account.key, &d.account.number, &"standing"]);
    if d.day.day() == 3 {
        let v = fixed.money(5_000, 30_000);
        d.push(
            v,
            "transfer",
            "VIR PERMANENT EPARGNE".into(),
            "VIR PERMANENT EPARGNE",
            0,
            None,
            None,
        );
    }
    if d.day.month() == 12 && d.day.day() == 31 {
        let v = d.g.money(1_000, 25_000);
        d.push(
            v,
            "bank",
            "INTERETS ANNUELS".into(),
            "INTERETS ANNUELS",
            0,
            None,
            None,
        );
    }
    if d.g.chance(0.01) {
        let v = d.g.money(10_000, 80_000);
        d.push(
            -v,
            "transfer",
            "VIR INTERNE VERS COMPTE CHEQUE".into(),
            "VIR INTERNE",
            0,
            None,
            None,
        );
    }
}

fn invest(d: &mut Day) {
    if d.day.day() == 15 {
        let v = d.g.money(5_000, 50_000);
        d.push(
            v,
            "deposit",
            "VERSEMENT PROGRAMME".into(),
            "VERSEMENT PROGRAMME",
            0,
            None,
            None,
        );
    }
    if d.g.chance(0.03) {
        let qty = d.g.range(1, 25);
        let v = d.g.money(-150_000, 150_000);
        let kind = if v.is_sign_negative() {
            "market_order"
        } else {
            "profit"
        };
        let label = if kind == "market_order" {
            format!("ACHAT {qty} AMUNDI MSCI WORLD")
        } else {
            format!("PLUS-VALUE CESSION {qty} TITRES")
        };
        d.push(v, kind, label.clone(), &label, 0, None, None);
    }
    if matches!(d.day.month(), 3 | 6 | 9 | 12) && d.day.day() == 30 {
        let v = d.g.money(300, 4_500);
        d.push(
            -v,
            "market_fee",
            "FRAIS DE GESTION TRIMESTRIELS".into(),
            "FRAIS DE GESTION",
            0,
            None,
            None,
        );
    }
}

fn month_days(any: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let first = any.with_day(1).expect("valid date");
    first
        .iter_days()
        .take_while(move |x| x.month() == first.month())
}

/// Transactions that happened in `[from, to]` (order date and time), in a stable order.
pub fn between(
    ctx: &Ctx,
    account: &BankAccount,
    from: NaiveDate,
    to: NaiveDateTime,
) -> Vec<BankTx> {
    if from > to.date() {
        return vec![];
    }
    from.iter_days()
        .take_while(|x| *x <= to.date())
        .flat_map(|x| day(ctx, account, x))
        .filter(|t| t.happened_at() <= to)
        .collect()
}

/// The balance the bank shows at `now` and the total still coming.
pub fn balance(ctx: &Ctx, account: &BankAccount, now: NaiveDateTime) -> (Decimal, Decimal) {
    if let Some(l) = &account.loan {
        // A loan shows the capital still due, straight-line over its duration.
        let months = (now.date().year() - l.subscription_date.year()) as i64 * 12
            + now.date().month() as i64
            - l.subscription_date.month() as i64;
        let left = (l.duration_months - months).clamp(0, l.duration_months);
        let due =
            (l.total_amount * Decimal::from(left) / Decimal::from(l.duration_months)).round_dp(2);
        return (-due, Decimal::ZERO);
    }
    let start = epoch().max(account.opening_date);
    let today = now.date();
    let mut booked = account.base_balance;
    let mut coming = Decimal::ZERO;
    for t in between(ctx, account, start, now) {
        if t.date <= today {
            booked += t.value;
        } else {
            coming += t.value;
        }
    }
    if account.kind == "card" {
        // A deferred card books nothing itself (checking pays the monthly summary): its
        // balance is zero and what will be debited at the end of the month is coming.
        return (Decimal::ZERO, coming);
    }
    (booked, coming)
}
