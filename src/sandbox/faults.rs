//! `/sandbox/faults`: rules that make the API answer an error, answer late, or drop the
//! connection, for some or all requests outside `/sandbox`, `/health` and `/openapi.json`.

use crate::api::extract::Fields;
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::fault::{Fault, FaultAction, FaultMatch, FaultRequest, FaultsList};
use crate::state::AppState;
use crate::traffic::faults::NewFault;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;

const FIELDS: [&str; 7] = [
    "match",
    "action",
    "status",
    "retry_after",
    "latency_ms",
    "times",
    "probability",
];
const MATCH_FIELDS: [&str; 5] = ["method", "path", "route", "id_user", "id_connection"];

/// The longest injected latency: a minute.
const MAX_LATENCY_MS: u64 = 60_000;

/// A rule as the body gives it; every mistake is a 400 naming the field.
fn parse(body: &Fields) -> Result<NewFault> {
    body.only(&FIELDS)?;
    let action = match body.required_str("action")?.as_str() {
        "status" => FaultAction::Status,
        "latency" => FaultAction::Latency,
        "drop" => FaultAction::Drop,
        _ => {
            return Err(ApiError::invalid(
                "action",
                "expected status, latency or drop",
            ))
        }
    };
    let matches = match body.get("match") {
        None => FaultMatch::default(),
        Some(Value::Object(m)) => parse_match(&Fields(m.clone()))?,
        Some(_) => return Err(ApiError::invalid("match", "expected an object")),
    };
    let status = match body.int("status")? {
        None => None,
        Some(s) if (400..=599).contains(&s) => Some(s as u16),
        Some(_) => return Err(ApiError::invalid("status", "expected 400 to 599")),
    };
    let positive = |key: &str| -> Result<Option<u64>> {
        match body.int(key)? {
            None => Ok(None),
            Some(n) if n >= 1 => Ok(Some(n as u64)),
            Some(_) => Err(ApiError::invalid(key, "expected a positive integer")),
        }
    };
    let retry_after = positive("retry_after")?;
    let times = positive("times")?;
    let latency_ms = body.get("latency_ms").map(latency).transpose()?;
    let probability = match body.get("probability") {
        None => None,
        Some(v) => match v.as_f64() {
            Some(p) if p > 0.0 && p <= 1.0 => Some(p),
            _ => {
                return Err(ApiError::invalid(
                    "probability",
                    "expected a number greater than 0 and at most 1",
                ))
            }
        },
    };
    match action {
        FaultAction::Status if status.is_none() => return Err(ApiError::missing("status")),
        FaultAction::Latency if latency_ms.is_none() => {
            return Err(ApiError::missing("latency_ms"))
        }
        _ => {}
    }
    if action != FaultAction::Status && (status.is_some() || retry_after.is_some()) {
        let key = if status.is_some() {
            "status"
        } else {
            "retry_after"
        };
        return Err(ApiError::invalid(key, "only for the status action"));
    }
    if action != FaultAction::Latency && latency_ms.is_some() {
        return Err(ApiError::invalid(
            "latency_ms",
            "only for the latency action",
        ));
    }
    if retry_after.is_some() && !matches!(status, Some(429 | 503)) {
        return Err(ApiError::invalid(
            "retry_after",
            "only for status 429 or 503",
        ));
    }
    let retry_after = match status {
        Some(429 | 503) => Some(retry_after.unwrap_or(1)),
        _ => None,
    };
    Ok(NewFault {
        matches,
        action,
        status,
        retry_after,
        latency_ms,
        times,
        probability,
    })
}

fn parse_match(m: &Fields) -> Result<FaultMatch> {
    for key in m.0.keys() {
        if !MATCH_FIELDS.contains(&key.as_str()) {
            return Err(ApiError::invalid(
                &format!("match.{key}"),
                format!("unknown field; expected one of {}", MATCH_FIELDS.join(", ")),
            ));
        }
    }
    let text = |key: &str| -> Result<Option<String>> {
        m.str(key)
            .map_err(|_| ApiError::invalid(&format!("match.{key}"), "expected a string"))
    };
    let path = text("path")?;
    if path.as_ref().is_some_and(|p| !p.starts_with('/')) {
        return Err(ApiError::invalid(
            "match.path",
            "expected a path glob starting with /",
        ));
    }
    let route = text("route")?;
    if route.as_ref().is_some_and(|p| !p.starts_with('/')) {
        return Err(ApiError::invalid(
            "match.route",
            "expected a route starting with /",
        ));
    }
    let method = text("method")?.map(|s| s.to_ascii_uppercase());
    if method
        .as_ref()
        .is_some_and(|s| s.is_empty() || !s.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return Err(ApiError::invalid("match.method", "expected an HTTP method"));
    }
    let id = |key: &str| -> Result<Option<i64>> {
        m.int(key)
            .map_err(|_| ApiError::invalid(&format!("match.{key}"), "expected an integer"))
    };
    Ok(FaultMatch {
        method,
        path,
        route,
        id_user: id("id_user")?,
        id_connection: id("id_connection")?,
    })
}

/// `250` or `[100, 300]` milliseconds.
fn latency(v: &Value) -> Result<[u64; 2]> {
    let ms = |v: &Value| v.as_u64().filter(|n| *n <= MAX_LATENCY_MS);
    let range = match v {
        Value::Array(a) if a.len() == 2 => ms(&a[0]).zip(ms(&a[1])).map(|(a, b)| [a, b]),
        v => ms(v).map(|n| [n, n]),
    };
    range.filter(|[a, b]| a <= b).ok_or_else(|| {
        ApiError::invalid(
            "latency_ms",
            format!("expected milliseconds (at most {MAX_LATENCY_MS}) or [min, max]"),
        )
    })
}

#[utoipa::path(post, path = "/sandbox/faults", tag = "sandbox",
    request_body(content = FaultRequest),
    responses((status = 200, description = "The rule, active at once", body = Fault)),
    security(("bearerAuth" = [])))]
pub async fn create(
    State(st): State<AppState>,
    who: Principal,
    body: Fields,
) -> Result<Json<Fault>> {
    who.require_config()?;
    add(&st, &body).map(Json)
}

/// Reads a rule and adds it: `POST /sandbox/faults` and the inspector's form.
pub fn add(st: &AppState, body: &Fields) -> Result<Fault> {
    let new = parse(body)?;
    Ok(st.traffic.faults.add(new, st.clock.now()))
}

/// Removes the rule `id` (as the path gives it): `DELETE /sandbox/faults/{id}` and the
/// inspector's button.
pub fn remove(st: &AppState, id: &str) -> Result<()> {
    match id.parse() {
        Ok(id) if st.traffic.faults.remove(id) => Ok(()),
        _ => Err(ApiError::not_found("Fault")),
    }
}

#[utoipa::path(get, path = "/sandbox/faults", tag = "sandbox",
    responses((status = 200, description = "Every rule, spent ones included, with its counters", body = FaultsList)),
    security(("bearerAuth" = [])))]
pub async fn list(State(st): State<AppState>, who: Principal) -> Result<Json<FaultsList>> {
    who.require_config()?;
    let faults = st.traffic.faults.list();
    let total = faults.len();
    Ok(Json(FaultsList { faults, total }))
}

#[utoipa::path(delete, path = "/sandbox/faults", tag = "sandbox",
    responses((status = 204, description = "Every rule removed")),
    security(("bearerAuth" = [])))]
pub async fn clear(State(st): State<AppState>, who: Principal) -> Result<StatusCode> {
    who.require_config()?;
    st.traffic.faults.clear();
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/sandbox/faults/{id}", tag = "sandbox",
    params(("id" = u64, Path)),
    responses((status = 204, description = "The rule removed")),
    security(("bearerAuth" = [])))]
pub async fn delete(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    who.require_config()?;
    remove(&st, &id)?;
    Ok(StatusCode::NO_CONTENT)
}
