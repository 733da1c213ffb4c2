//! Money formatting: `formatted_value` / `formatted_balance` in the French style Powens uses
//! ("-1 234,56 €"). The Currency object embedded in accounts is `currency::AccountCurrency`.

use crate::model::catalogue::Currency;
use rust_decimal::Decimal;
use serde_json::Value;

/// A decimal as an exact JSON number (`-56.78`, never `-56.779999`): serde_json keeps the
/// digits as written thanks to its arbitrary-precision numbers.
pub fn num(d: Decimal) -> Value {
    let d = d.normalize();
    serde_json::from_str(&d.to_string()).unwrap_or(Value::Null)
}

/// An amount on the wire: a `Decimal` written as an exact, normalized JSON number
/// (`-56.78`, never `-56.780` or `"-56.78"`). The one money type of every model struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, utoipa::ToSchema)]
#[schema(value_type = f64, example = -42.5)]
pub struct Money(pub Decimal);

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use std::str::FromStr;
        // serde_json's arbitrary-precision Number keeps the digits exactly as written.
        match serde_json::Number::from_str(&self.0.normalize().to_string()) {
            Ok(n) => n.serialize(s),
            Err(_) => s.serialize_none(),
        }
    }
}

impl From<Decimal> for Money {
    fn from(d: Decimal) -> Self {
        Money(d)
    }
}

pub fn opt_num(d: Option<Decimal>) -> Value {
    d.map(num).unwrap_or(Value::Null)
}

pub fn formatted(value: Decimal, currency: Option<&Currency>) -> String {
    let precision = currency.map(|c| c.precision).unwrap_or(2);
    let v = value.round_dp(precision);
    let negative = v.is_sign_negative() && !v.is_zero();
    let abs = v.abs();
    let s = format!("{:.*}", precision as usize, abs);
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(ch);
    }
    let number = if frac.is_empty() {
        grouped
    } else {
        format!("{grouped},{frac}")
    };
    let sign = if negative { "-" } else { "" };
    match currency {
        Some(c) if c.prefix => format!("{sign}{}{number}", c.symbol),
        Some(c) => format!("{sign}{number}\u{a0}{}", c.symbol),
        None => format!("{sign}{number}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn eur() -> Currency {
        Currency {
            id: "EUR".into(),
            name: "Euro".into(),
            symbol: "€".into(),
            precision: 2,
            prefix: false,
            crypto: false,
        }
    }

    #[test]
    fn money_is_an_exact_normalized_json_number() {
        let m = Money(Decimal::from_str("-56.780").unwrap());
        assert_eq!(serde_json::to_string(&m).unwrap(), "-56.78");
        assert_eq!(serde_json::to_value(m).unwrap(), num(m.0));
    }

    #[test]
    fn formats_like_powens() {
        assert_eq!(
            formatted(Decimal::from_str("-16.22").unwrap(), Some(&eur())),
            "-16,22\u{a0}€"
        );
        assert_eq!(
            formatted(Decimal::from_str("1234.5").unwrap(), Some(&eur())),
            "1\u{a0}234,50\u{a0}€"
        );
    }
}
