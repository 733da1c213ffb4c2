//! Fault injection's objects (`/sandbox/faults`): rules that make the API misbehave on
//! purpose, and how often they did.

use crate::model::format::DateTime;
use serde::Serialize;
use utoipa::ToSchema;

/// Which requests a rule applies to; every given field must match. `/sandbox`, `/health`
/// and `/openapi.json` are never matched.
#[derive(Serialize, ToSchema, Clone, Debug, Default, PartialEq)]
pub struct FaultMatch {
    /// An HTTP method (any case).
    pub method: Option<String>,
    /// A glob on the full path (`/2.0/users/*/accounts`): `*` is any run of characters but
    /// `/`, `**` any run at all.
    pub path: Option<String>,
    /// A route as the journal shows it (`/2.0/users/{id_user}/accounts`).
    pub route: Option<String>,
    /// The user the request names (`/users/{id}`) or whose token it carries.
    pub id_user: Option<i64>,
    /// The connection the path names (`.../connections/{id}`).
    pub id_connection: Option<i64>,
}

#[derive(Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer `status` with the Powens error body of that status.
    Status,
    /// Wait `latency_ms`, then answer normally.
    Latency,
    /// Close the TCP connection without an answer.
    Drop,
}

/// A fault rule and its counters.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct Fault {
    pub id: u64,
    #[serde(rename = "match")]
    pub matches: FaultMatch,
    pub action: FaultAction,
    /// For `status`: the status answered (400 to 599).
    pub status: Option<u16>,
    /// For `status` 429 and 503: the `Retry-After` header, in seconds.
    pub retry_after: Option<u64>,
    /// For `latency`: `[min, max]` milliseconds (equal for a fixed latency).
    pub latency_ms: Option<[u64; 2]>,
    /// Applies to the next `times` matching requests only; null: no such bound.
    pub times: Option<u64>,
    /// Applies to each matching request with this probability, drawn from a generator
    /// seeded with the sandbox seed and the rule's id; null: every matching request.
    pub probability: Option<f64>,
    /// Matching requests seen while the rule was active.
    pub matched: u64,
    /// Requests the rule was applied to.
    pub hits: u64,
    /// False once `times` hits are spent.
    pub active: bool,
    pub created: DateTime,
}

/// `GET /sandbox/faults`.
#[derive(Serialize, ToSchema)]
pub struct FaultsList {
    pub faults: Vec<Fault>,
    pub total: usize,
}

/// `POST /sandbox/faults`. Read field by field (a bad one is a 400 naming it); this type
/// describes it.
#[derive(ToSchema)]
pub struct FaultRequest {
    /// Omitted: every request outside `/sandbox`, `/health` and `/openapi.json`.
    #[schema(rename = "match")]
    pub matches: Option<FaultMatch>,
    pub action: FaultAction,
    /// Required for `status`.
    pub status: Option<u16>,
    /// For 429 and 503; default 1.
    pub retry_after: Option<u64>,
    /// Required for `latency`: a number of milliseconds or `[min, max]`.
    pub latency_ms: Option<serde_json::Value>,
    pub times: Option<u64>,
    /// Greater than 0, at most 1.
    pub probability: Option<f64>,
}
