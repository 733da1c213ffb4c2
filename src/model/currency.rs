//! The Currency object as embedded in a bank account (and, once Powens sends them, in a
//! transaction's `original_currency` / `commission_currency`).

use crate::model::catalogue::Currency;
use crate::model::format::DateTime;
use serde::Serialize;
use utoipa::ToSchema;

/// The currency as embedded in an account.
// Fields are declared in the order the live API sends them.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AccountCurrency {
    #[schema(example = "EUR")]
    pub id: String,
    #[schema(example = "€")]
    pub symbol: String,
    pub prefix: bool,
    pub crypto: bool,
    pub precision: u32,
    /// Only for crypto-currencies; always null in the sandbox.
    pub marketcap: Option<f64>,
    /// When `marketcap` was read; always null in the sandbox.
    pub datetime: Option<DateTime>,
    pub name: String,
}

impl AccountCurrency {
    /// The catalogue's currency, or, for a code the catalogue does not know, one made of the
    /// code itself (two decimals, symbol after the amount) so that an account still renders.
    pub fn new(found: Option<&Currency>, code: &str) -> AccountCurrency {
        match found {
            Some(c) => AccountCurrency {
                id: c.id.clone(),
                symbol: c.symbol.clone(),
                prefix: c.prefix,
                crypto: c.crypto,
                precision: c.precision,
                marketcap: None,
                datetime: None,
                name: c.name.clone(),
            },
            None => AccountCurrency {
                id: code.to_string(),
                symbol: code.to_string(),
                prefix: false,
                crypto: false,
                precision: 2,
                marketcap: None,
                datetime: None,
                name: code.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_code_renders_as_itself_with_two_decimals() {
        let v = serde_json::to_string(&AccountCurrency::new(None, "XYZ")).unwrap();
        assert_eq!(
            v,
            r#"{"id":"XYZ","symbol":"XYZ","prefix":false,"crypto":false,"precision":2,"marketcap":null,"datetime":null,"name":"XYZ"}"#
        );
    }
}
