//! The accounts a simulated bank holds for a login: one per account type the connector
//! offers, with identity data (numbers, IBAN, BIC) generated from the keyed PRNG.

use crate::bank::rng::Gen;
use crate::model::catalogue::Connector;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::model::loan::LoanTerms;
pub use crate::store::connection_columns::BankAccount;

fn label(kind: &str, connector: &Connector) -> &'static str {
    let gb = connector.countries.iter().any(|c| c.id == "gb");
    match (kind, gb) {
        ("checking", true) => "Current Account",
        ("savings", true) => "Instant Saver",
        ("card", true) => "Credit Card",
        ("loan", true) => "Personal Loan",
        ("checking", _) => "Compte Chèque",
        ("savings", _) => "Compte sur Livret",
        ("card", _) => "Carte Visa Premier",
        ("loan", _) => "Prêt Immobilier",
        ("market", _) => "Compte Titres",
        ("pea", _) => "PEA",
        ("lifeinsurance", _) => "Assurance Vie Horizon",
        ("livret_a", _) => "Livret A",
        ("ldds", _) => "LDDS",
        ("cel", _) => "Compte Épargne Logement",
        ("pel", _) => "Plan Épargne Logement",
        ("cat", _) => "Compte à Terme",
        ("csl", _) => "Livret Jeune",
        ("per", _) => "PER Individuel",
        ("deposit", _) => "Festgeld",
        _ => "Compte",
    }
}

pub fn currency_for(connector: &Connector) -> &'static str {
    match connector.countries.first().map(|c| c.id.as_str()) {
        Some("gb") => "GBP",
        Some("ch") => "CHF",
        Some("us") => "USD",
        _ => "EUR",
    }
}

/// ISO 7064 mod 97-10 check digits for an IBAN body.
fn iban_check(country: &str, bban: &str) -> String {
    let rearranged = format!("{bban}{country}00");
    let mut rem: u32 = 0;
    for ch in rearranged.chars() {
        let digits = if ch.is_ascii_digit() {
            ch.to_string()
        } else {
            (ch.to_ascii_uppercase() as u32 - 'A' as u32 + 10).to_string()
        };
        for d in digits.chars() {
            rem = (rem * 10 + d.to_digit(10).unwrap_or(0)) % 97;
        }
    }
    format!("{country}{:02}{bban}", 98 - rem)
}

fn bic(connector: &Connector) -> String {
    let letters: String = connector
        .name
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase())
        .take(4)
        .collect();
    let country = connector
        .countries
        .first()
        .map(|c| c.id.to_uppercase())
        .unwrap_or("FR".into());
    format!("{letters:X<4}{country}PP")
}

/// The accounts `login` holds at this connector's bank, in a stable order.
pub fn generate(seed: u64, connector: &Connector, login: &str) -> Vec<BankAccount> {
    let currency = currency_for(connector);
    let bank_code = connector.code.clone().unwrap_or_else(|| "30001".into());
    connector
        .account_types
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let mut g = Gen::new(&[&seed, &connector.id, &login, &"account", &i]);
            let number = g.digits(11);
            let branch = g.digits(5);
            let rib_key = g.digits(2);
            let code: String = bank_code
                .chars()
                .filter(char::is_ascii_digit)
                .chain("00000".chars())
                .take(5)
                .collect();
            let country = connector
                .countries
                .first()
                .map(|c| c.id.to_uppercase())
                .unwrap_or("FR".into());
            let has_iban = matches!(
                kind.as_str(),
                "checking" | "savings" | "livret_a" | "ldds" | "cel" | "deposit"
            );
            let iban =
                has_iban.then(|| iban_check(&country, &format!("{code}{branch}{number}{rib_key}")));
            let year = 2012 + g.range(0, 10) as i32;
            let opening_date =
                NaiveDate::from_ymd_opt(year, g.range(1, 12) as u32, g.range(1, 28) as u32)
                    .expect("valid date");
            let base_balance = match kind.as_str() {
                "checking" => g.money(80_000, 450_000),
                "card" | "loan" => Decimal::ZERO,
                "market" | "pea" | "lifeinsurance" | "per" => g.money(500_000, 4_500_000),
                _ => g.money(100_000, 1_500_000),
            };
            let loan = (kind == "loan").then(|| {
                let total = Decimal::new(g.range(80, 320) * 100_000, 2);
                // Long enough that a loan opened in 2012 still runs in the sandbox's years.
                let months = *g.pick(&[240i64, 300, 360]);
                let rate = Decimal::new(g.range(95, 420), 2);
                let mut terms = LoanTerms {
                    monthly_payment: Decimal::ZERO,
                    total_amount: total,
                    rate,
                    duration_months: months,
                    subscription_date: opening_date,
                    loan_type: "mortgage".into(),
                };
                terms.monthly_payment = terms.instalment();
                terms
            });
            let masked = format!("{}XXXXXX{}", &number[..4], &number[7..11]);
            BankAccount {
                key: format!("{kind}-{i}"),
                kind: kind.clone(),
                name: label(kind, connector).to_string(),
                number: if kind == "card" { masked } else { number },
                iban,
                bic: has_iban.then(|| bic(connector)),
                currency: currency.to_string(),
                opening_date,
                base_balance,
                usage: "PRIV".into(),
                loan,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_ibans_carry_valid_check_digits() {
        // The textbook example: FR14 2004 1010 0505 0001 3M02 606.
        assert_eq!(
            iban_check("FR", "20041010050500013M02606"),
            "FR1420041010050500013M02606"
        );
    }
}
