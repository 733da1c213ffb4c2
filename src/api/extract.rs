//! Extractors that answer in Powens error bodies: query parameters and request bodies
//! (JSON or form) read into maps with typed getters that name the offending parameter.

use crate::error::{ApiError, Result};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
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

    /// The parameters deserialized into `T` (each value a string, as in a form), refused
    /// as [`Body`] refuses a body; keys `T` does not name are left to other readers.
    pub fn typed<T: DeserializeOwned>(&self) -> Result<T> {
        let mut pairs: Vec<(&String, &String)> = self.0.iter().collect();
        pairs.sort();
        typed(Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
        ))
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

/// A request body (JSON or a form, as [`Fields`] reads it) deserialized into `T`, the type
/// the document describes. serde's refusals become Powens error bodies naming the field by
/// its path (`transactions[1].value`): unknown and wrong fields 400 `invalidValue`, missing
/// ones 400 `missingParameter`.
#[derive(Debug, Clone)]
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self> {
        let fields = Fields::from_request(req, state).await?;
        typed(Value::Object(fields.0)).map(Body)
    }
}

/// Deserializes `v` into `T`, answering a refusal as [`Body`] does.
pub fn typed<T: DeserializeOwned>(v: Value) -> Result<T> {
    serde_path_to_error::deserialize(v)
        .map_err(|e| refusal(&e.path().to_string(), &e.inner().to_string()))
}

/// serde's message for the value at `path`, in Powens' terms.
fn refusal(path: &str, message: &str) -> ApiError {
    let path = path.trim_start_matches('.');
    let at = |field: &str| match path {
        "" => field.to_string(),
        p => format!("{p}.{field}"),
    };
    let quoted = |s: &str| s.split('`').nth(1).map(str::to_owned).unwrap_or_default();
    if let Some((inner, message)) = message
        .strip_prefix(crate::model::lenient::NESTED)
        .and_then(|rest| rest.split_once('\u{0}'))
    {
        let inner = inner.trim_start_matches('.');
        return refusal(
            &if inner.is_empty() {
                path.to_string()
            } else {
                at(inner)
            },
            message,
        );
    }
    if message == crate::model::lenient::NULL {
        return ApiError::missing(path);
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let known: Vec<&str> = rest.split('`').skip(3).step_by(2).collect();
        let why = match known.as_slice() {
            [] => "unknown field".to_string(),
            k => format!("unknown field; expected one of {}", k.join(", ")),
        };
        // The path ends at the unknown key, except past a `flatten` (the key is then ours to add).
        let field = quoted(rest);
        let named = path == field || path.ends_with(&format!(".{field}"));
        return ApiError::invalid(&if named { path.to_string() } else { at(&field) }, why);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return ApiError::missing(&at(&quoted(rest)));
    }
    let why = match message.split_once(", expected ") {
        Some((_, expected)) => format!("expected {expected}"),
        None => message.to_string(),
    };
    ApiError::invalid(if path.is_empty() { "body" } else { path }, why)
}

#[cfg(test)]
mod body_tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        #[serde(deserialize_with = "crate::model::lenient::decimal")]
        value: rust_decimal::Decimal,
        label: Option<String>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        url: String,
        #[serde(default)]
        items: Vec<Inner>,
    }

    fn refused(v: Value) -> (String, String) {
        let body = typed::<Outer>(v).unwrap_err().body();
        (body.code, body.description)
    }

    #[test]
    fn an_unknown_field_is_named_by_its_path() {
        let (code, d) =
            refused(json!({"url": "x", "items": [{"value": 1}, {"value": 1, "name": 2}]}));
        assert_eq!(code, "invalidValue");
        assert_eq!(
            d,
            "Invalid value for parameter 'items[1].name': unknown field; expected one of value, label."
        );
        let (_, d) = refused(json!({"url": "x", "speed": 2}));
        assert!(d.contains("'speed'"), "{d}");
    }

    #[test]
    fn a_missing_field_is_a_missing_parameter() {
        assert_eq!(
            refused(json!({"items": []})),
            (
                "missingParameter".into(),
                "Missing required parameter 'url'.".into()
            )
        );
        let (code, d) = refused(json!({"url": "x", "items": [{"value": null}]}));
        assert_eq!(
            (code.as_str(), d.as_str()),
            (
                "missingParameter",
                "Missing required parameter 'items[0].value'."
            )
        );
    }

    #[test]
    fn a_wrong_type_says_what_was_expected() {
        let (code, d) = refused(json!({"url": "x", "items": [{"value": 1, "label": 5}]}));
        assert_eq!(code, "invalidValue");
        assert_eq!(
            d,
            "Invalid value for parameter 'items[0].label': expected a string."
        );
        let (_, d) = refused(json!({"url": "x", "items": [{"value": "ten"}]}));
        assert_eq!(
            d,
            "Invalid value for parameter 'items[0].value': expected a number."
        );
    }
}
