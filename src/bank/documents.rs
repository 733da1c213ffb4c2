//! What the simulated institutions publish as documents (the Bill product): a provider's
//! contracts with their monthly bills, and a bank's monthly statements of each checking
//! account. Everything is generated from (seed, connector, login, subscription, month), so a
//! sync at any time sees the same documents; "now" only decides which are issued yet.
//! Only connectors with the `document` capability publish any.

use crate::bank::accounts::BankAccount;
use crate::bank::changes::InjectedDocument;
use crate::bank::ledger::{self, Ctx};
use crate::bank::pdf::{self, Line};
use crate::bank::rng::Gen;
use crate::model::catalogue::Connector;
use crate::model::document::{BILL, STATEMENT};
use crate::model::money::formatted;
use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;

/// The most months of documents a first sync reads.
pub const HISTORY_MONTHS: u32 = 12;

/// A subscription as the provider shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct BankSubscription {
    /// Stable identity at the provider.
    pub key: String,
    pub number: String,
    pub label: String,
    pub subscriber: String,
    pub validity: Option<NaiveDate>,
    pub renewdate: Option<NaiveDate>,
    pub kind: SubscriptionKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SubscriptionKind {
    /// A provider contract billed monthly on `day`, around `base` a month.
    Bill { day: u32, base: Decimal },
    /// The statements of the checking account with this bank key.
    Statements { account: String },
}

/// A document as the provider shows it, with the text of its file.
#[derive(Debug, Clone, PartialEq)]
pub struct BankDocument {
    pub key: String,
    pub id_type: i64,
    pub name: String,
    pub date: NaiveDate,
    pub duedate: Option<NaiveDate>,
    pub total_amount: Option<Decimal>,
    pub untaxed_amount: Option<Decimal>,
    pub vat: Option<Decimal>,
    pub income: bool,
    pub number: String,
    pub issuer: String,
    pub currency: String,
    /// The file's lines (see [`BankDocument::pdf`]).
    pub lines: Vec<Line>,
}

impl BankDocument {
    /// The document's file: a PDF, the same bytes every time.
    pub fn pdf(&self) -> Vec<u8> {
        pdf::render(&self.name, &self.issuer, self.date, &self.lines)
    }

    pub fn filename(&self) -> String {
        format!("{}.pdf", self.key)
    }
}

const FIRST_NAMES: &[&str] = &[
    "Camille", "Julien", "Léa", "Thomas", "Chloé", "Nicolas", "Manon", "Antoine",
];
const LAST_NAMES: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Roux",
];
const MONTHS_FR: &[&str] = &[
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "janvier 2026".
pub fn month_name(month: NaiveDate) -> String {
    format!("{} {}", MONTHS_FR[month.month0() as usize], month.year())
}

/// The name of the login's holder, as the provider writes it.
pub fn holder(seed: u64, connector: i64, login: &str) -> String {
    let mut g = Gen::new(&[&seed, &connector, &login, &"holder"]);
    format!(
        "{} {}",
        g.pick(FIRST_NAMES),
        g.pick(LAST_NAMES).to_uppercase()
    )
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}

fn money(v: Decimal, currency: &str) -> String {
    format!("{}\u{a0}{}", formatted(v, None), symbol(currency))
}

fn symbol(currency: &str) -> &str {
    match currency {
        "EUR" => "€",
        "GBP" => "£",
        other => other,
    }
}

/// A provider's products, the label of each contract it offers.
fn products(connector: &Connector) -> &'static [&'static str] {
    match connector.products.iter().any(|p| p == "bank") {
        true => &[],
        false => &["Forfait mobile 100 Go", "Box Fibre"],
    }
}

/// The subscriptions `login` holds at this connector: each of its contracts if it is a
/// provider, and the statements of each checking account of `accounts` (the bank's).
pub fn subscriptions(
    seed: u64,
    connector: &Connector,
    login: &str,
    accounts: &[BankAccount],
) -> Vec<BankSubscription> {
    if !connector.capabilities.iter().any(|c| c == "document") {
        return vec![];
    }
    let subscriber = holder(seed, connector.id, login);
    let mut out = Vec::new();
    let offered = products(connector);
    if !offered.is_empty() {
        let mut g = Gen::new(&[&seed, &connector.id, &login, &"contracts"]);
        let n = g.range(1, offered.len() as i64) as usize;
        for (i, label) in offered.iter().take(n).enumerate() {
            let mut g = Gen::new(&[&seed, &connector.id, &login, &"contract", &i]);
            let start = NaiveDate::from_ymd_opt(2020 + g.range(0, 3) as i32, 1, 1)
                .and_then(|d| d.checked_add_days(Days::new(g.range(0, 360) as u64)))
                .expect("valid date");
            out.push(BankSubscription {
                key: format!("contract-{i}"),
                number: format!(
                    "{}{}",
                    &connector.slug.clone().unwrap_or_default(),
                    g.digits(10)
                ),
                label: label.to_string(),
                subscriber: subscriber.clone(),
                validity: None,
                renewdate: start.with_year(2027),
                kind: SubscriptionKind::Bill {
                    day: g.range(1, 28) as u32,
                    base: g.money(1_499, 5_999),
                },
            });
        }
    }
    for a in accounts.iter().filter(|a| a.kind == "checking") {
        out.push(BankSubscription {
            key: format!("statements-{}", a.key),
            number: a.number.clone(),
            label: format!("Relevés de compte {}", a.name),
            subscriber: subscriber.clone(),
            validity: None,
            renewdate: None,
            kind: SubscriptionKind::Statements {
                account: a.key.clone(),
            },
        });
    }
    out
}

/// The months whose document is issued in `(after, now]`, at most [`HISTORY_MONTHS`] back
/// from `now` and none before `floor`: (month, issue date).
fn months(
    issue: impl Fn(NaiveDate) -> NaiveDate,
    floor: NaiveDate,
    now: NaiveDateTime,
) -> Vec<(NaiveDate, NaiveDate)> {
    let today = now.date();
    let mut m = first_of_month(today) - Months::new(HISTORY_MONTHS);
    let mut out = Vec::new();
    while m <= today {
        let at = issue(m);
        if m >= first_of_month(floor) && at <= today {
            out.push((m, at));
        }
        m = m + Months::new(1);
    }
    out
}

/// Every document of `sub` issued by `now` (and after its history starts), oldest first.
/// `skip` leaves out the documents already stored (by key) before their file is computed.
pub fn documents(
    ctx: &Ctx,
    connector: &Connector,
    sub: &BankSubscription,
    currency: &str,
    now: NaiveDateTime,
    skip: impl Fn(&str) -> bool,
) -> Vec<BankDocument> {
    let history_start = now
        .date()
        .checked_sub_days(Days::new(connector.history_days.max(0) as u64))
        .unwrap_or(now.date());
    match &sub.kind {
        SubscriptionKind::Bill { day, base } => {
            let floor = ledger::epoch().max(history_start);
            months(|m| m.with_day(*day).unwrap_or(m), floor, now)
                .into_iter()
                .map(|(m, at)| (format!("{}-{}", sub.key, m.format("%Y%m")), m, at))
                .filter(|(key, _, _)| !skip(key))
                .map(|(key, m, at)| bill(ctx, connector, sub, key, m, at, *base, currency))
                .collect()
        }
        SubscriptionKind::Statements { account } => {
            let Some(a) = ctx.accounts.iter().find(|a| a.key == *account) else {
                return vec![];
            };
            let floor = ledger::epoch().max(a.opening_date).max(history_start);
            let first_full = first_of_month(floor) + Months::new(1);
            months(|m| m + Months::new(1), first_full, now)
                .into_iter()
                .map(|(m, at)| (format!("{}-{}", sub.key, m.format("%Y%m")), m, at))
                .filter(|(key, _, _)| !skip(key))
                .map(|(key, m, at)| statement(ctx, connector, sub, a, key, m, at))
                .collect()
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn bill(
    ctx: &Ctx,
    connector: &Connector,
    sub: &BankSubscription,
    key: String,
    month: NaiveDate,
    date: NaiveDate,
    base: Decimal,
    currency: &str,
) -> BankDocument {
    let mut g = Gen::new(&[
        &ctx.seed,
        &connector.id,
        &ctx.login,
        &sub.key,
        &month.format("%Y%m"),
    ]);
    let extras = g.money(0, 1_200);
    let total = base + extras;
    let untaxed = (total / Decimal::new(120, 2)).round_dp(2);
    let vat = total - untaxed;
    let duedate = date + Days::new(14);
    let number = format!("F{}-{}", month.format("%Y%m"), g.digits(6));
    let name = format!("Facture {}", month_name(month));
    let m = |v| money(v, currency);
    let lines = vec![
        Line::title(format!("{} - Facture", connector.name)),
        Line::blank(),
        Line::text(format!("Facture n° {number}")),
        Line::text(format!("Période : {}", month_name(month))),
        Line::text(format!("Date d'émission : {}", date.format("%d/%m/%Y"))),
        Line::text(format!("Échéance : {}", duedate.format("%d/%m/%Y"))),
        Line::text(format!("Contrat : {} n° {}", sub.label, sub.number)),
        Line::text(format!("Titulaire : {}", sub.subscriber)),
        Line::blank(),
        Line::row(format!("Abonnement {}", sub.label), m(base)),
        Line::row("Consommations hors forfait", m(extras)),
        Line::blank(),
        Line::row("Total HT", m(untaxed)),
        Line::row("TVA 20 %", m(vat)),
        Line::bold(format!("Total TTC : {}", m(total))),
        Line::blank(),
        Line::text("Prélevé sur votre compte à l'échéance."),
    ];
    BankDocument {
        key,
        id_type: BILL,
        name,
        date,
        duedate: Some(duedate),
        total_amount: Some(total),
        untaxed_amount: Some(untaxed),
        vat: Some(vat),
        income: false,
        number,
        issuer: connector.name.clone(),
        currency: currency.to_string(),
        lines,
    }
}

/// The statement of `month`: the balance booked at the end of the month before, every
/// transaction booked in the month, and the balance booked at its end.
fn statement(
    ctx: &Ctx,
    connector: &Connector,
    sub: &BankSubscription,
    a: &BankAccount,
    key: String,
    month: NaiveDate,
    date: NaiveDate,
) -> BankDocument {
    let (opening, booked, closing) = statement_amounts(ctx, a, month);
    let m = |v| money(v, &a.currency);
    let last = month + Months::new(1) - Days::new(1);
    let mut lines = vec![
        Line::title(format!("{} - Relevé de compte", connector.name)),
        Line::blank(),
        Line::text(format!("{} n° {}", a.name, a.number)),
        Line::text(format!(
            "Période : {} (du {} au {})",
            month_name(month),
            month.format("%d/%m/%Y"),
            last.format("%d/%m/%Y")
        )),
        Line::text(format!("Titulaire : {}", sub.subscriber)),
        Line::blank(),
        Line::bold(format!(
            "Solde au {} : {}",
            (month - Days::new(1)).format("%d/%m/%Y"),
            m(opening)
        )),
        Line::blank(),
    ];
    for t in &booked {
        lines.push(Line::row(
            format!("{}  {}", t.date.format("%d/%m/%Y"), t.original_wording),
            m(t.value),
        ));
    }
    lines.push(Line::blank());
    lines.push(Line::text(format!(
        "Nombre d'opérations : {}",
        booked.len()
    )));
    lines.push(Line::bold(format!(
        "Solde au {} : {}",
        last.format("%d/%m/%Y"),
        m(closing)
    )));
    BankDocument {
        key,
        id_type: STATEMENT,
        name: format!("Relevé de compte {}", month_name(month)),
        date,
        duedate: None,
        total_amount: None,
        untaxed_amount: None,
        vat: None,
        income: false,
        number: format!("{}-{}", a.number, month.format("%Y%m")),
        issuer: connector.name.clone(),
        currency: a.currency.clone(),
        lines,
    }
}

/// (opening balance, transactions booked in the month, closing balance) of a checking
/// account's `month`, as its ledger has them.
pub fn statement_amounts(
    ctx: &Ctx,
    a: &BankAccount,
    month: NaiveDate,
) -> (Decimal, Vec<ledger::BankTx>, Decimal) {
    let end_of = |d: NaiveDate| {
        (d - Days::new(1)).and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"))
    };
    let next = month + Months::new(1);
    let opening = ledger::balance(ctx, a, end_of(month)).0;
    // A transaction is booked on or after the day it happened: look back a little for those
    // that happened the month before.
    let from = month - Days::new(31);
    let booked: Vec<ledger::BankTx> = ledger::between(ctx, a, from, end_of(next))
        .into_iter()
        .filter(|t| t.date >= month && t.date < next)
        .collect();
    let closing = opening + booked.iter().map(|t| t.value).sum::<Decimal>();
    (opening, booked, closing)
}

/// A document QA injected, as the provider shows it; its file lists what QA gave.
pub fn injected(
    connector: &Connector,
    sub: &BankSubscription,
    d: &InjectedDocument,
    currency: &str,
) -> BankDocument {
    let m = |v| money(v, currency);
    let mut lines = vec![
        Line::title(format!("{} - {}", connector.name, d.name)),
        Line::blank(),
        Line::text(format!("Date : {}", d.date.format("%d/%m/%Y"))),
        Line::text(format!("Contrat : {} n° {}", sub.label, sub.number)),
        Line::text(format!("Titulaire : {}", sub.subscriber)),
    ];
    if let Some(n) = &d.number {
        lines.push(Line::text(format!("Document n° {n}")));
    }
    if let Some(due) = d.duedate {
        lines.push(Line::text(format!("Échéance : {}", due.format("%d/%m/%Y"))));
    }
    lines.push(Line::blank());
    if let Some(v) = d.untaxed_amount {
        lines.push(Line::row("Total HT", m(v)));
    }
    if let Some(v) = d.vat {
        lines.push(Line::row("TVA", m(v)));
    }
    if let Some(v) = d.total_amount {
        lines.push(Line::bold(format!("Total TTC : {}", m(v))));
    }
    BankDocument {
        key: d.key.clone(),
        id_type: d.id_type,
        name: d.name.clone(),
        date: d.date,
        duedate: d.duedate,
        total_amount: d.total_amount,
        untaxed_amount: d.untaxed_amount,
        vat: d.vat,
        income: d.income,
        number: d.number.clone().unwrap_or_else(|| d.key.clone()),
        issuer: connector.name.clone(),
        currency: currency.to_string(),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::accounts;
    use crate::catalogue::Catalogue;

    #[test]
    fn a_statement_closes_on_the_balance_the_bank_shows_at_month_end() {
        let cat = Catalogue::load(None).unwrap();
        let connector = cat.connector_by_id(41).unwrap();
        let bank = accounts::generate(7, connector, "12345678");
        let ctx = Ctx::new(7, 41, "12345678", connector.daily_transactions, &bank);
        let a = bank.iter().find(|a| a.kind == "checking").unwrap();
        let month = NaiveDate::from_ymd_opt(2025, 10, 1).unwrap();
        let (opening, booked, closing) = statement_amounts(&ctx, a, month);
        assert!(!booked.is_empty());
        let end = NaiveDate::from_ymd_opt(2025, 10, 31)
            .unwrap()
            .and_hms_opt(23, 59, 59)
            .unwrap();
        assert_eq!(closing, ledger::balance(&ctx, a, end).0);
        let (next_opening, _, _) =
            statement_amounts(&ctx, a, NaiveDate::from_ymd_opt(2025, 11, 1).unwrap());
        assert_eq!(next_opening, closing);
        assert_ne!(opening, closing);
    }

    #[test]
    fn documents_are_issued_once_their_date_has_come() {
        let cat = Catalogue::load(None).unwrap();
        let connector = cat.connector_by_id(41).unwrap();
        let bank = accounts::generate(7, connector, "12345678");
        let ctx = Ctx::new(7, 41, "12345678", connector.daily_transactions, &bank);
        let subs = subscriptions(7, connector, "12345678", &bank);
        assert_eq!(subs.len(), 1);
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        let before = documents(
            &ctx,
            connector,
            &subs[0],
            "EUR",
            at("2026-01-31 23:00:00"),
            |_| false,
        );
        let after = documents(
            &ctx,
            connector,
            &subs[0],
            "EUR",
            at("2026-02-01 00:00:00"),
            |_| false,
        );
        let newest = after.last().unwrap();
        assert_eq!(newest.date, NaiveDate::from_ymd_opt(2026, 2, 1).unwrap());
        assert!(before.iter().all(|d| d.key != newest.key));
    }
}
