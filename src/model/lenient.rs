//! Field readers for request bodies that come as JSON or as a form (`deserialize_with`).
//!
//! A form sends every value as a string, and clients disagree on ids (`5` or `"5"`), so an
//! integer, a boolean or an amount is taken in either spelling, as the API takes them. Each
//! reader goes through a `serde_json::Value` first (exact numbers, whatever the source), and
//! says what it expected in Powens' words; a null is the field's absence.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::Error;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::str::FromStr;

/// The message a reader of a required field gives for null: the body mapper turns it into
/// Powens' `missingParameter` for the field's path.
pub const NULL: &str = "\u{0}null";

/// The prefix of a message that carries a refusal found inside a value read by hand (a
/// path relative to that value, then the message): see [`nested`].
pub const NESTED: &str = "\u{0}at ";

/// A refusal at `path` inside the value being read, for a `Deserialize` written by hand
/// that reads part of its value itself; the body mapper puts the two paths together.
pub fn nested(path: &str, message: &str) -> String {
    format!("{NESTED}{path}\u{0}{message}")
}

fn value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.filter(|v| !v.is_null()))
}

fn required<E: Error, T>(v: Option<T>) -> Result<T, E> {
    v.ok_or_else(|| E::custom(NULL))
}

/// A string; a number is taken as its digits (forms and JSON disagree on ids).
pub fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `true`/`false`, `1`/`0`, or their strings in any case.
pub fn bool_of(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn int_of<E: Error>(v: Value) -> Result<Option<i64>, E> {
    let bad = || E::custom("expected an integer");
    match v {
        Value::Number(n) => n.as_i64().map(Some).ok_or_else(bad),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s.trim().parse().map(Some).map_err(|_| bad()),
        _ => Err(bad()),
    }
}

fn decimal_of<E: Error>(v: Value) -> Result<Decimal, E> {
    match v {
        Value::Number(_) | Value::String(_) => Decimal::from_str(v.to_string().trim_matches('"'))
            .map_err(|_| E::custom("expected a number")),
        _ => Err(E::custom("expected a number")),
    }
}

fn date_of<E: Error>(v: Value) -> Result<NaiveDate, E> {
    v.as_str()
        .and_then(crate::model::calendar::parse)
        .filter(|(a, b)| a == b)
        .map(|(a, _)| a)
        .ok_or_else(|| E::custom("expected YYYY-MM-DD"))
}

pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    required(opt_string(d)?)
}

pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    value(d)?
        .map(|v| text_of(&v).ok_or_else(|| D::Error::custom("expected a string")))
        .transpose()
}

pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(value(d)?.map(int_of).transpose()?.flatten())
}

pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    value(d)?
        .map(|v| bool_of(&v).ok_or_else(|| D::Error::custom("expected a boolean")))
        .transpose()
}

pub fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    required(opt_decimal(d)?)
}

pub fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    value(d)?.map(decimal_of).transpose()
}

pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    required(opt_date(d)?)
}

pub fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    value(d)?.map(date_of).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize, Debug)]
    struct Probe {
        #[serde(default, deserialize_with = "opt_int")]
        n: Option<i64>,
        #[serde(default, deserialize_with = "opt_bool")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "opt_decimal")]
        d: Option<Decimal>,
        #[serde(default, deserialize_with = "opt_date")]
        day: Option<NaiveDate>,
    }

    fn probe(v: Value) -> Result<Probe, String> {
        serde_json::from_value(v).map_err(|e| e.to_string())
    }

    #[test]
    fn a_form_spelling_is_taken_like_the_json_one() {
        let p = probe(json!({"n": "42", "b": "TRUE", "d": "-12.30", "day": "2026-01-14"})).unwrap();
        assert_eq!(p.n, Some(42));
        assert_eq!(p.b, Some(true));
        assert_eq!(p.d, Some(Decimal::new(-1230, 2)));
        assert_eq!(p.day, NaiveDate::from_ymd_opt(2026, 1, 14));
        let p = probe(json!({"n": 42, "b": 0, "d": -12.3})).unwrap();
        assert_eq!(
            (p.n, p.b, p.d),
            (Some(42), Some(false), Some(Decimal::new(-123, 1)))
        );
    }

    #[test]
    fn null_and_an_empty_integer_are_absent() {
        let p = probe(json!({"n": "", "b": null, "d": null, "day": null})).unwrap();
        assert_eq!((p.n, p.b, p.d, p.day), (None, None, None, None));
    }

    #[test]
    fn a_wrong_value_says_what_was_expected() {
        assert!(probe(json!({"n": 1.5}))
            .unwrap_err()
            .contains("expected an integer"));
        assert!(probe(json!({"b": "yes"}))
            .unwrap_err()
            .contains("expected a boolean"));
        assert!(probe(json!({"d": true}))
            .unwrap_err()
            .contains("expected a number"));
        assert!(probe(json!({"day": "2026-01"}))
            .unwrap_err()
            .contains("expected YYYY-MM-DD"));
    }
}
