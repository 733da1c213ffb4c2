//! Reading values out of JSON bodies.

use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

/// A JSON number as the exact decimal it was written as (money is never read through `f64`).
pub fn dec(v: &Value) -> Decimal {
    Decimal::from_str(&v.to_string()).unwrap_or_else(|_| panic!("a decimal: {v}"))
}

/// The `id` of each object of a JSON list, in order.
pub fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|v| v["id"].as_i64().expect("id"))
        .collect()
}

/// The `id` of a JSON object.
pub fn id_of(v: &Value) -> i64 {
    v["id"].as_i64().expect("id")
}
