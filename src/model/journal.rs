//! The request journal's objects (`/sandbox/requests`): what the sandbox recorded of a call
//! to `/2.0`, the webview or the bank's consent page, secrets redacted.

use crate::model::format::DateTime;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// One request and its answer.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct JournalEntry {
    /// Increasing in the order answers were recorded; never reused until the process ends.
    pub id: u64,
    /// When the request arrived, on the sandbox clock (what `since` filters on).
    pub time: DateTime,
    /// When the request arrived in real time: UTC, RFC 3339 with milliseconds.
    #[schema(example = "2026-01-15T09:00:00.123Z")]
    pub wall_time: String,
    pub method: String,
    /// The path as requested, without the query.
    pub path: String,
    /// The query string (without `?`), tokens and codes redacted; null when there was none.
    pub query: Option<String>,
    /// The route that answered (`/2.0/users/{id_user}/connections`); null for unknown paths.
    pub route: Option<String>,
    /// The status answered; null when the connection was dropped without an answer.
    pub status: Option<u16>,
    /// Real milliseconds from the request to the head of its answer.
    pub latency_ms: f64,
    /// The `X-Request-Id` of the answer (and the `request_id` of its error body).
    pub request_id: Option<String>,
    /// The user the request acted as: the token's user, or the user an admin call named.
    pub id_user: Option<i64>,
    /// The fault or rate limit that changed this answer, if any.
    pub fault: Option<AppliedFault>,
    pub request: RecordedMessage,
    pub response: RecordedMessage,
}

/// Headers and body of a request or an answer.
#[derive(Serialize, ToSchema, Clone, Debug, Default)]
pub struct RecordedMessage {
    /// Header names in lower case; `authorization`, `cookie` and `set-cookie` redacted,
    /// tokens and codes in URLs (`location`) redacted.
    pub headers: BTreeMap<String, String>,
    /// The body as text (at most 64 KiB), passwords, OTPs, secrets, tokens and codes
    /// redacted; null when empty or not UTF-8 text.
    pub body: Option<String>,
    /// The body's length in bytes, as sent.
    pub size: u64,
    /// Whether `body` holds only the first 64 KiB.
    pub truncated: bool,
}

/// What changed an answer: a fault rule of `/sandbox/faults` or the `--rate-limit` mode.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct AppliedFault {
    /// The rule's id; null for the rate limit.
    pub id_fault: Option<u64>,
    pub kind: AppliedFaultKind,
}

#[derive(Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AppliedFaultKind {
    Status,
    Latency,
    Drop,
    RateLimit,
}

/// `GET /sandbox/requests`: newest first.
#[derive(Serialize, ToSchema)]
pub struct JournalList {
    pub requests: Vec<JournalEntry>,
    /// How many recorded requests match the filters (before `limit`).
    pub total: usize,
    /// How many requests the journal keeps (`--journal-size`); 0 when it is off.
    pub capacity: usize,
}
