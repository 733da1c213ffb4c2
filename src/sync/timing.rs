//! When syncs happen: the daily background sync and the sooner retry after a bank-side
//! failure.

use crate::model::states::ConnectionState;
use chrono::TimeDelta;

/// Background syncs run every 24 hours of sandbox time.
pub const SYNC_INTERVAL_HOURS: i64 = 24;

/// When the scheduler tries again: soon after a bank-side failure, else the daily sync.
pub fn retry_after(state: Option<&ConnectionState>) -> TimeDelta {
    match state {
        Some(
            ConnectionState::RateLimiting
            | ConnectionState::WebsiteUnavailable
            | ConnectionState::Bug,
        ) => TimeDelta::hours(1),
        _ => TimeDelta::hours(SYNC_INTERVAL_HOURS),
    }
}
