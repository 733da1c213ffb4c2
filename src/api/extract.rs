//! Extractors that answer in Powens error bodies: query parameters and request bodies
//! (JSON or form) read into maps with typed getters that name the offending parameter.

use crate::error::{ApiError, Result};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde_json::{Map, Value};

/// The largest `limit` a list takes (Powens caps pages at 1,000 items).
pub const MAX_LIMIT: i64 = 1000;
use std::collections::HashMap;

/// Query-string parameters. The last occurrence of a repeated key wins.
#[derive(Debug, Default, Clone)]
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self> {
        let q = parts.uri.query().unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q)
            .map_err(|_| ApiError::InvalidValue("The query string is malformed.".into()))?;
        Ok(Params(pairs.into_iter().collect()))
    }
}

impl Params {
    pub fn str(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// A non-empty value.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.str(key).map(str::trim).filter(|s| !s.is_empty())
    }

    /// Value-less flags: `?all`, `?all=`, `?all=true` are set; `?all=false` / `0` is not.
    pub fn flag(&self, key: &str) -> Result<bool> {
        match self.str(key) {
            None => Ok(false),
            Some(v) => parse_bool(key, &Value::String(v.to_string()), true),
        }
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>> {
        self.text(key)
            .map(|v| parse_bool(key, &Value::String(v.to_string()), false))
            .transpose()
    }

    pub fn int(&self, key: &str) -> Result<Option<i64>> {
        self.text(key)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| ApiError::invalid(key, "expected an integer"))
            })
            .transpose()
    }

    /// `limit`/`offset` style: a non-negative integer no larger than `max`.
    pub fn bounded(&self, key: &str, max: i64) -> Result<Option<i64>> {
        match self.text(key) {
            None => Ok(None),
            Some(v) => match v.parse::<i64>() {
                Ok(n) if (0..=max).contains(&n) => Ok(Some(n)),
                _ => Err(ApiError::invalid(
                    key,
                    format!("expected an integer between 0 and {max}"),
                )),
            },
        }
    }

    /// `limit` (1 to `max`) and `offset` of an offset-paginated list, refused as the
    /// transactions list refuses them; without `limit` the list is whole.
    pub fn page(&self, max: i64) -> Result<(Option<i64>, i64)> {
        let limit =
            match self.text("limit") {
                None => None,
                Some(_) => Some(self.bounded("limit", max)?.filter(|l| *l > 0).ok_or_else(
                    || {
                        ApiError::invalid(
                            "limit",
                            format!("expected an integer between 1 and {max}"),
                        )
                    },
                )?),
            };
        Ok((limit, self.bounded("offset", 1_000_000_000)?.unwrap_or(0)))
    }

    /// `expand=a,b[c,d]`: the top-level names (nested lists are kept in the name).
    pub fn expand(&self) -> Result<Vec<String>> {
        match self.text("expand") {
            None => Ok(vec![]),
            Some(v) => crate::model::expand::parse(v).map_err(|e| ApiError::invalid("expand", e)),
        }
    }
}

pub fn parse_bool(key: &str, v: &Value, empty_is_true: bool) -> Result<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
        Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "" if empty_is_true => Ok(true),
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(ApiError::invalid(key, "expected a boolean")),
        },
        _ => Err(ApiError::invalid(key, "expected a boolean")),
    }
}

/// A request body as a JSON object, from `application/json`, a form, or nothing (an empty
/// object). Form values stay strings; the getters accept either spelling.
#[derive(Debug, Default, Clone)]
pub struct Fields(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self> {
        let ctype = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::InvalidValue("The request body could not be read.".into())
            }
        })?;
        Fields::parse(&ctype, &bytes)
    }
}

impl Fields {
    pub fn parse(content_type: &str, bytes: &[u8]) -> Result<Fields> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Fields::default());
        }
        if content_type.starts_with("application/x-www-form-urlencoded") {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
                .map_err(|_| ApiError::InvalidValue("The form body is malformed.".into()))?;
            return Ok(Fields(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect(),
            ));
        }
        // Anything else is read as JSON, as Powens does for clients that forget the header.
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(m)) => Ok(Fields(m)),
            Ok(_) => Err(ApiError::InvalidValue(
                "The request body must be a JSON object.".into(),
            )),
            Err(e) => Err(ApiError::InvalidValue(format!(
                "The request body is not valid JSON: {e}."
            ))),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    /// Refuses a body with a key outside `known` (400 `invalidValue` naming it), so a
    /// misspelt field is never silently dropped.
    pub fn only(&self, known: &[&str]) -> Result<()> {
        only_known(&self.0, known, "")
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// A string (numbers are accepted and printed, since forms and JSON disagree on ids).
    pub fn str(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(ApiError::invalid(key, "expected a string")),
        }
    }

    pub fn required_str(&self, key: &str) -> Result<String> {
        self.str(key)?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ApiError::missing(key))
    }

    pub fn int(&self, key: &str) -> Result<Option<i64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| ApiError::invalid(key, "expected an integer")),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| ApiError::invalid(key, "expected an integer")),
            Some(_) => Err(ApiError::invalid(key, "expected an integer")),
        }
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>> {
        self.get(key).map(|v| parse_bool(key, v, false)).transpose()
    }
}

/// Refuses an object with a key outside `known`: 400 `invalidValue` naming the first one
/// (in key order, so the answer is deterministic), prefixed with `at` (`transactions[0].`).
pub fn only_known(obj: &Map<String, Value>, known: &[&str], at: &str) -> Result<()> {
    let mut unknown: Vec<&String> = obj
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .collect();
    unknown.sort();
    match unknown.first() {
        None => Ok(()),
        Some(k) => Err(ApiError::invalid(
            &format!("{at}{k}"),
            format!("unknown field; expected one of {}", known.join(", ")),
        )),
    }
}
