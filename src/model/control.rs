//! The control plane's own bodies (`/sandbox/...`, config token): the clock, what a tick
//! ran, a reset, and how the bank's consent page answers by itself.

use crate::model::format::DateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The sandbox clock, and the real one beside it.
#[derive(Serialize, ToSchema)]
pub struct Clock {
    pub now: DateTime,
    pub frozen: bool,
    pub offset_seconds: i64,
    pub real_now: DateTime,
}

/// Applied in this order: `set`, `advance`, `freeze`. Time only moves forward once users
/// exist; before, any instant may be set. The handler
/// reads it field by field from JSON or a form, so this type only describes it.
#[derive(Deserialize, ToSchema)]
pub struct ClockUpdate {
    #[schema(value_type = Option<DateTime>)]
    pub set: Option<String>,
    /// `180d`, `36h`, `90m`, `30s`, `2w`, or a sequence such as `1d12h`.
    #[schema(example = "30d")]
    pub advance: Option<String>,
    pub freeze: Option<bool>,
}

/// One job a tick ran.
#[derive(Serialize, ToSchema)]
pub struct JobRun {
    /// `sync`, `validation` or `purge`.
    pub job: &'static str,
    pub id_connection: Option<i64>,
    pub id_user: Option<i64>,
    pub state: Option<String>,
    pub new_transactions: usize,
}

/// `POST /sandbox/tick`.
#[derive(Serialize, ToSchema)]
pub struct Tick {
    pub now: DateTime,
    pub ran: Vec<JobRun>,
}

/// The optional body of `POST /sandbox/reset`. Read field by field; this type describes it.
#[derive(Deserialize, ToSchema)]
pub struct ResetRequest {
    /// Where the clock of the reset sandbox stands (any instant: it has no users).
    pub clock: Option<ClockUpdate>,
}

/// `POST /sandbox/reset`.
#[derive(Serialize, ToSchema)]
pub struct Reset {
    pub now: DateTime,
    pub took_ms: f64,
}

/// What the bank's consent page answers by itself to the next webauth flows.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct WebauthAuto {
    /// `approve`, `refuse`, `server_error`, or null: the page waits for the PSU.
    pub auto: Option<String>,
    /// Flows left to answer so; null: all until cleared.
    pub count: Option<i64>,
}
