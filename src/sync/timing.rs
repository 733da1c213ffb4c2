//! When syncs happen: the daily background sync and the sooner retry after a bank-side
//! failure.

use chrono::TimeDelta;

/// Background syncs run every 24 hours of sandbox time.
pub const SYNC_INTERVAL_HOURS: i64 = 24;

/// When the scheduler tries again: soon after a bank-side failure, else the daily sync.
pub fn retry_after(state: Option<&str>) -> TimeDelta {
    match state {
        Some("rateLimiting" | "websiteUnavailable" | "bug") => TimeDelta::hours(1),
        _ => TimeDelta::hours(SYNC_INTERVAL_HOURS),
    }
}
