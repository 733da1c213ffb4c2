//! What each kind of account sees happen in a day on its own: salary, rent, debits and card
//! payments on checking; deferred payments on a card; interest on savings; contributions,
//! orders and fees on investment accounts. Movements between the login's own accounts are
//! in `transfers`.

use crate::bank::accounts::BankAccount;
use crate::bank::day::{counterparty, last_day_of_month, Ctx, Day};
use crate::bank::rng::Gen;
use crate::bank::wordings;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// The account's own events of `day` (none before it was opened).
pub(super) fn own<'a>(ctx: &Ctx, account: &'a BankAccount, day: NaiveDate) -> Day<'a> {
    let mut d = Day::new(ctx, account, day);
    if day < account.opening_date {
        return d;
    }
    let dd = day.format("%d/%m").to_string();
    match account.kind.as_str() {
        "checking" => checking(ctx, &mut d, &dd),
        "card" => card(ctx, &mut d, &dd),
        "loan" => {}
        "market" | "pea" | "lifeinsurance" | "per" => invest(ctx, &mut d),
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
        d.g.count(ctx.daily * if ctx.card().is_some() { 0.5 } else { 1.0 });
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

/// Interest once a year; standing transfers in and top-ups out are `transfers`, so nothing
/// here takes money out.
fn savings(d: &mut Day) {
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
}

fn invest(ctx: &Ctx, d: &mut Day) {
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
    // The broker's executed orders and their fees (`bank::portfolio`).
    let bank = crate::bank::portfolio::Bank {
        seed: ctx.seed,
        connector: ctx.connector,
        login: ctx.login,
    };
    if let Some(o) = crate::bank::portfolio::executed_on(bank, d.account, d.day) {
        let (value, verb) = if o.direction == "BUY" {
            (-o.amount, "ACHAT")
        } else {
            (o.amount, "VENTE")
        };
        let label = format!("{verb} {} {}", o.quantity, o.label.to_uppercase());
        let time = o.execution_date.time();
        d.push_at(
            time,
            value,
            "market_order",
            format!("{label} ORDRE {}", o.number),
            &label,
            0,
            None,
            None,
        );
        d.push_at(
            time,
            -o.fee,
            "market_fee",
            format!("FRAIS DE COURTAGE ORDRE {}", o.number),
            "FRAIS DE COURTAGE",
            0,
            None,
            None,
        );
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
