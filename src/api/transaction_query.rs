//! Reading a transactions list request and linking its pages: the opaque keyset cursor, the
//! filters (calendar bounds, values, wording...) and the `_links`, as pure functions the
//! fuzzers also drive.

use crate::api::extract::Params;
use crate::error::{ApiError, Result};
use crate::model::transaction::{Link, Links};
use crate::model::{calendar, format};
use crate::store::transaction_list::{Direction, Filters, Page, Position, Query};
use crate::store::transactions::Transaction;
use axum::http::Uri;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

/// The list filters, shared by the four list routes, as the OpenAPI document describes
/// them; [`filters`] reads the same parameters from the raw query, so that a bad value
/// answers the Powens error that names it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page size, 1 to 1000 (required).
    pub limit: i64,
    pub offset: Option<i64>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, inclusive.
    pub min_date: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, inclusive.
    pub max_date: Option<String>,
    /// The date the window applies to: `application_date` (default) or `date`.
    pub filter: Option<String>,
    pub income: Option<bool>,
    pub deleted: Option<bool>,
    /// A value-less flag: deleted transactions too.
    pub all: Option<String>,
    /// `YYYY-MM-DD HH:MM:SS`: only transactions updated after.
    pub last_update: Option<String>,
    pub wording: Option<String>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    /// `12.5`, `12.5|-12.5` or `±12.5`.
    pub value: Option<String>,
    pub search: Option<String>,
    /// Opaque: follow `_links` verbatim.
    pub cursor: Option<String>,
    /// `categories` (or the legacy `category`) adds each transaction's category codes.
    pub expand: Option<String>,
}

pub fn encode_cursor(date: &str, id: i64, dir: Direction, total: i64) -> String {
    let op = if dir == Direction::Next { "lt" } else { "gt" };
    let v = json!([{"op": op, "value": date}, {"op": op, "value": id}, {"total": total}]);
    URL_SAFE_NO_PAD.encode(v.to_string())
}

pub fn decode_cursor(s: &str) -> Option<(Position, i64)> {
    let bytes = URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    let dir = match v.get(0)?.get("op")?.as_str()? {
        "lt" => Direction::Next,
        "gt" => Direction::Prev,
        _ => return None,
    };
    let date = v.get(0)?.get("value")?.as_str()?.to_string();
    // The server writes one day, as the store does: a year, a month or a padded date in a
    // forged cursor would compare as text against stored days and skip rows.
    let (day, last) = calendar::parse(&date)?;
    if day != last || format::date(day) != date {
        return None;
    }
    let id = v.get(1)?.get("value")?.as_i64()?;
    let total = v.get(2)?.get("total")?.as_i64().filter(|t| *t >= 0)?;
    Some((Position { date, id, dir }, total))
}

/// The absolute URL of this list with `cursor` replaced (and `offset` dropped).
fn link(base: &str, uri: &Uri, params: &Params, cursor: &str) -> Link {
    let mut pairs: Vec<(&str, &str)> = params
        .0
        .iter()
        .filter(|(k, _)| *k != "cursor" && *k != "offset")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.sort();
    pairs.push(("cursor", cursor));
    let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    Link {
        href: format!("{base}{}?{q}", uri.path()),
    }
}

/// The `_links` of a page read with `q`: itself as requested, and cursors to the pages
/// before and after it (null at either end of the walk). `base` is the scheme and host the
/// client used, so every `href` is absolute.
pub fn links(base: &str, uri: &Uri, params: &Params, q: &Query, page: &Page) -> Links {
    let dir = q
        .position
        .as_ref()
        .map(|p| p.dir)
        .unwrap_or(Direction::Next);
    let date_of = |t: &Transaction| {
        if q.date_col == "date" {
            t.date.clone()
        } else {
            t.application_date.clone()
        }
    };
    // Walking one way, `more` says whether the walk goes on; the other way there is always
    // a page, unless this is the first one.
    let has_next = dir == Direction::Prev || page.more;
    let has_prev = if dir == Direction::Prev {
        page.more
    } else {
        q.position.is_some() || q.offset > 0
    };
    let cursor = |t: &Transaction, dir| {
        link(
            base,
            uri,
            params,
            &encode_cursor(&date_of(t), t.id, dir, page.total),
        )
    };
    Links {
        this: Link {
            href: format!("{base}{uri}"),
        },
        prev: page
            .rows
            .first()
            .filter(|_| has_prev)
            .map(|t| cursor(t, Direction::Prev)),
        next: page
            .rows
            .last()
            .filter(|_| has_next)
            .map(|t| cursor(t, Direction::Next)),
    }
}

fn decimal(params: &Params, key: &str) -> Result<Option<f64>> {
    params
        .text(key)
        .map(|v| {
            Decimal::from_str(v)
                .ok()
                .and_then(|d| d.to_f64())
                .ok_or_else(|| ApiError::invalid(key, "expected a decimal number"))
        })
        .transpose()
}

/// `value=12.5` (exact), `value=12.5|-12.5` (either), `value=±12.5` (either sign).
pub fn values(params: &Params) -> Result<Option<Vec<f64>>> {
    let Some(raw) = params.text("value") else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for part in raw.split('|') {
        let part = part.trim();
        let (abs, num) = match part.strip_prefix('±') {
            Some(rest) => (true, rest),
            None => (false, part),
        };
        let v = Decimal::from_str(num.trim())
            .ok()
            .and_then(|d| d.to_f64())
            .ok_or_else(|| ApiError::invalid("value", "expected a number, a|b or ±a"))?;
        out.push(v);
        if abs {
            out.push(-v);
        }
    }
    if out.len() > 20 {
        return Err(ApiError::invalid("value", "too many values"));
    }
    Ok(Some(out))
}

pub fn filters(params: &Params) -> Result<Filters> {
    let bound = |key: &str, end: bool| -> Result<Option<String>> {
        params
            .text(key)
            .map(|v| {
                let (first, last) = calendar::parse(v).ok_or_else(|| {
                    ApiError::invalid(key, "expected YYYY, YYYY-MM or YYYY-MM-DD")
                })?;
                Ok(format::date(if end { last } else { first }))
            })
            .transpose()
    };
    let last_update = params
        .text("last_update")
        .map(|v| {
            // Given in the API's zone; compared with the stored UTC instants.
            format::parse_local(v)
                .or_else(|| {
                    calendar::parse(v).map(|(d, _)| format::local_to_utc(d.into(), format::zone()))
                })
                .map(format::datetime)
                .ok_or_else(|| ApiError::invalid("last_update", "expected YYYY-MM-DD HH:MM:SS"))
        })
        .transpose()?;
    let text = |key: &str| -> Result<Option<String>> {
        match params.text(key) {
            Some(s) if s.len() > 200 => Err(ApiError::invalid(key, "too long")),
            other => Ok(other.map(str::to_owned)),
        }
    };
    Ok(Filters {
        min_date: bound("min_date", false)?,
        max_date: bound("max_date", true)?,
        income: params.bool("income")?,
        deleted: params.bool("deleted")?,
        all: params.flag("all")?,
        last_update,
        wording: text("wording")?,
        min_value: decimal(params, "min_value")?,
        max_value: decimal(params, "max_value")?,
        values: values(params)?,
        search: text("search")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_a_forged_one_is_refused() {
        let c = encode_cursor("2026-01-10", 42, Direction::Next, 350);
        let (p, total) = decode_cursor(&c).unwrap();
        assert_eq!(
            (p.date.as_str(), p.id, p.dir, total),
            ("2026-01-10", 42, Direction::Next, 350)
        );
        // Found by fuzzing: a year (or a month) where a day belongs.
        let forged = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
        for date in ["2020", "2020-01", " 2020-01-01"] {
            let v = json!([{"op": "lt", "value": date}, {"op": "lt", "value": 1}, {"total": 3}]);
            assert!(decode_cursor(&forged(v)).is_none(), "{date:?}");
        }
        let negative =
            json!([{"op": "lt", "value": "2020-01-01"}, {"op": "lt", "value": 1}, {"total": -1}]);
        assert!(decode_cursor(&forged(negative)).is_none());
    }
}
