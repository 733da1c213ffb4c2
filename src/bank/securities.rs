//! The securities the simulated banks hold: real-looking lines with ISIN codes whose check
//! digit is computed (ISO 6166: letters expanded to numbers, then Luhn), and the daily unit
//! value path of each, deterministic from (seed, connector, code, day).

use crate::bank::rng::Gen;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The day generated values start from: the ledger's epoch (`transfers::epoch`), stated
/// here too so that the value paths do not depend on the ledger's modules.
pub fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date")
}

/// One line a portfolio can hold.
#[derive(Debug, Clone, Copy)]
pub struct Security {
    pub label: &'static str,
    /// The first eleven characters of the ISIN; the check digit is computed.
    pub isin_body: &'static str,
    pub stock_symbol: Option<&'static str>,
    pub stock_market: Option<&'static str>,
    /// Unit value on the ledger epoch, in cents.
    pub base_cents: i64,
    /// `InvestmentDetails.asset_category`.
    pub asset_category: &'static str,
    /// Eligible to a PEA (European equities).
    pub pea: bool,
}

const fn s(
    label: &'static str,
    isin_body: &'static str,
    stock_symbol: &'static str,
    stock_market: &'static str,
    base_cents: i64,
    pea: bool,
) -> Security {
    Security {
        label,
        isin_body,
        stock_symbol: Some(stock_symbol),
        stock_market: Some(stock_market),
        base_cents,
        asset_category: "Actions",
        pea,
    }
}

const fn fund(
    label: &'static str,
    isin_body: &'static str,
    base_cents: i64,
    cat: &'static str,
) -> Security {
    Security {
        label,
        isin_body,
        stock_symbol: None,
        stock_market: None,
        base_cents,
        asset_category: cat,
        pea: false,
    }
}

/// Listed shares and ETFs, for brokerage accounts (`market`, `pea`).
pub const LISTED: &[Security] = &[
    s(
        "TotalEnergies SE",
        "FR000012027",
        "TTE",
        "Euronext Paris",
        5_890,
        true,
    ),
    s(
        "LVMH Moët Hennessy Louis Vuitton",
        "FR000012101",
        "MC",
        "Euronext Paris",
        71_240,
        true,
    ),
    s(
        "Air Liquide",
        "FR000012007",
        "AI",
        "Euronext Paris",
        15_860,
        true,
    ),
    s(
        "L'Oréal",
        "FR000012032",
        "OR",
        "Euronext Paris",
        43_150,
        true,
    ),
    s(
        "Schneider Electric",
        "FR000012197",
        "SU",
        "Euronext Paris",
        20_480,
        true,
    ),
    s(
        "BNP Paribas",
        "FR000013110",
        "BNP",
        "Euronext Paris",
        6_130,
        true,
    ),
    s(
        "Amundi MSCI World UCITS ETF",
        "LU168104359",
        "CW8",
        "Euronext Paris",
        45_620,
        true,
    ),
    s("SAP SE", "DE000716460", "SAP", "Xetra", 16_540, true),
    s("Apple Inc.", "US037833100", "AAPL", "NASDAQ", 17_420, false),
    s(
        "Microsoft Corporation",
        "US594918104",
        "MSFT",
        "NASDAQ",
        34_150,
        false,
    ),
];

/// Funds, for insurance and retirement wrappers (`lifeinsurance`, `per`...).
pub const FUNDS: &[Security] = &[
    fund(
        "Carmignac Patrimoine A EUR Acc",
        "FR001013510",
        68_210,
        "Diversifiés",
    ),
    fund("Comgest Monde C", "FR000028444", 2_870, "Actions"),
    fund("DNCA Invest Eurose A", "LU028451101", 16_120, "Obligations"),
    fund(
        "Amundi Funds Global Aggregate Bond",
        "LU083966312",
        12_840,
        "Obligations",
    ),
    fund(
        "Echiquier Agenor SRI Mid Cap Europe",
        "FR001032112",
        45_900,
        "Actions",
    ),
    fund(
        "Sextant Grand Large A",
        "FR001028603",
        48_730,
        "Diversifiés",
    ),
];

/// The ISIN check digit of an eleven-character body: letters become two digits (A=10...),
/// then the Luhn sum doubles every other digit from the right.
pub fn isin_check_digit(body: &str) -> Option<u32> {
    let mut digits = Vec::new();
    for ch in body.chars() {
        match ch {
            '0'..='9' => digits.push(ch.to_digit(10)?),
            'A'..='Z' => {
                let v = ch as u32 - 'A' as u32 + 10;
                digits.push(v / 10);
                digits.push(v % 10);
            }
            _ => return None,
        }
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                x / 10 + x % 10
            } else {
                *d
            }
        })
        .sum();
    Some((10 - sum % 10) % 10)
}

/// The full ISIN: the body and its check digit.
pub fn isin(body: &str) -> String {
    format!("{body}{}", isin_check_digit(body).unwrap_or(0))
}

/// Is `code` a well-formed ISIN with the right check digit?
pub fn isin_is_valid(code: &str) -> bool {
    code.len() == 12
        && code[..2].chars().all(|c| c.is_ascii_uppercase())
        && isin_check_digit(&code[..11]).is_some_and(|d| code[11..].parse() == Ok(d))
}

/// The unit value of the security `code` (worth `base_cents` on the epoch) on `day`: a
/// yearly drift, a slow triangle wave and a daily wobble, each keyed by (seed, connector,
/// code), the wobble also by the day, so any day can be asked in any order.
pub fn unit_value(
    seed: u64,
    connector: i64,
    code: &str,
    base_cents: i64,
    day: NaiveDate,
) -> Decimal {
    let mut fixed = Gen::new(&[&seed, &connector, &code, &"path"]);
    let n = Decimal::from((day - epoch()).num_days());
    // Yearly drift between -4 % and +12 %, as a daily rate.
    let drift = Decimal::new(fixed.range(-400, 1200), 4) / Decimal::from(365);
    let amplitude = Decimal::new(fixed.range(300, 1200), 4);
    let period = fixed.range(90, 400);
    let offset = fixed.range(0, period - 1);
    let phase = ((day - epoch()).num_days() + offset).rem_euclid(period);
    // A triangle wave from -1 to 1 over the period.
    let half = Decimal::from(period) / Decimal::TWO;
    let tri = (Decimal::from(phase) - half).abs() / half * Decimal::TWO - Decimal::ONE;
    let wobble = Decimal::new(
        Gen::new(&[&seed, &connector, &code, &day]).range(-120, 120),
        4,
    );
    let factor = (Decimal::ONE + drift * n + amplitude * tri + wobble).max(Decimal::new(2, 1));
    (Decimal::new(base_cents, 2) * factor).round_dp(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computed_check_digits_match_published_isins() {
        assert_eq!(isin("US037833100"), "US0378331005");
        assert_eq!(isin("FR000012027"), "FR0000120271");
        assert_eq!(isin("FR000012101"), "FR0000121014");
        assert_eq!(isin("LU168104359"), "LU1681043599");
        assert!(isin_is_valid("DE0007164600"));
        assert!(!isin_is_valid("US0378331004"));
    }

    #[test]
    fn every_catalogued_security_has_a_valid_isin() {
        for s in LISTED.iter().chain(FUNDS) {
            assert!(isin_is_valid(&isin(s.isin_body)), "{}", s.label);
        }
    }

    #[test]
    fn the_unit_value_path_is_deterministic_and_positive() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 14).unwrap();
        let a = unit_value(1, 40, "FR0000120271", 5_890, d);
        assert_eq!(a, unit_value(1, 40, "FR0000120271", 5_890, d));
        for n in 0..900 {
            let day = epoch() + chrono::Days::new(n);
            assert!(unit_value(7, 43, "US0378331005", 17_420, day) > Decimal::ZERO);
        }
    }
}
