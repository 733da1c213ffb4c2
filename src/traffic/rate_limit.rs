//! `--rate-limit`: Powens' fair-usage figures for the sandbox (30 calls a minute, 86,400 a
//! day), counted on the sandbox clock so a test can move past a window instead of waiting.
//!
//! One counter per sandbox (a tenant will own its own): Powens states the limits for "the
//! default client" without saying whether they count per client, per token or per domain,
//! and a sandbox domain serves one client application. Counting per domain is the strictest
//! reading (an app cannot get around it by spreading calls over users), the only key known
//! for every call, anonymous ones included, before it is authenticated, and costs no lookup.

use chrono::{NaiveDateTime, TimeDelta};
use std::collections::VecDeque;
use std::sync::Mutex;

pub const PER_MINUTE: usize = 30;
pub const PER_DAY: u64 = 86_400;

/// The calls of the last minute (a sliding window) and of the current day (a window of
/// 24 hours opened by its first call).
#[derive(Debug, Default)]
pub struct Windows {
    minute: VecDeque<NaiveDateTime>,
    day_start: Option<NaiveDateTime>,
    day_count: u64,
}

impl Windows {
    /// Counts a call at `now`, or refuses it with the seconds until a window frees (at
    /// least 1). A refused call is not counted, so a client that waits gets through.
    pub fn take(&mut self, now: NaiveDateTime, per_minute: usize, per_day: u64) -> Result<(), u64> {
        let minute = TimeDelta::minutes(1);
        let day = TimeDelta::days(1);
        // A clock set back forgets the calls it left in the future.
        self.minute.retain(|t| *t > now - minute && *t <= now);
        if self.day_start.is_none_or(|s| now >= s + day || now < s) {
            self.day_start = Some(now);
            self.day_count = 0;
        }
        if self.minute.len() >= per_minute {
            let frees = self.minute[self.minute.len() - per_minute] + minute;
            return Err(seconds_until(now, frees));
        }
        if self.day_count >= per_day {
            let frees = self.day_start.unwrap_or(now) + day;
            return Err(seconds_until(now, frees));
        }
        self.minute.push_back(now);
        self.day_count += 1;
        Ok(())
    }
}

fn seconds_until(now: NaiveDateTime, then: NaiveDateTime) -> u64 {
    let ms = (then - now).num_milliseconds().max(0) as u64;
    ms.div_ceil(1000).max(1)
}

pub struct RateLimiter {
    per_minute: usize,
    per_day: u64,
    windows: Mutex<Windows>,
}

impl RateLimiter {
    pub fn sandbox_figures() -> RateLimiter {
        RateLimiter {
            per_minute: PER_MINUTE,
            per_day: PER_DAY,
            windows: Mutex::new(Windows::default()),
        }
    }

    /// See [`Windows::take`].
    pub fn take(&self, now: NaiveDateTime) -> Result<(), u64> {
        self.windows
            .lock()
            .expect("rate limit lock")
            .take(now, self.per_minute, self.per_day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        crate::model::format::parse_datetime(s).unwrap()
    }

    #[test]
    fn the_thirty_first_call_of_a_minute_waits_for_the_first_to_leave_it() {
        let mut w = Windows::default();
        for i in 0..30 {
            let t = at("2026-01-01 10:00:00") + TimeDelta::seconds(i);
            assert_eq!(w.take(t, 30, PER_DAY), Ok(()), "call {i}");
        }
        assert_eq!(w.take(at("2026-01-01 10:00:30"), 30, PER_DAY), Err(30));
        assert_eq!(w.take(at("2026-01-01 10:00:59"), 30, PER_DAY), Err(1));
        assert_eq!(w.take(at("2026-01-01 10:01:00"), 30, PER_DAY), Ok(()));
        assert_eq!(w.take(at("2026-01-01 10:01:00"), 30, PER_DAY), Err(1));
    }

    #[test]
    fn the_day_window_opens_with_its_first_call() {
        let mut w = Windows::default();
        let start = at("2026-01-01 10:00:00");
        for i in 0..3 {
            assert_eq!(w.take(start + TimeDelta::minutes(i), 30, 3), Ok(()));
        }
        assert_eq!(w.take(start + TimeDelta::hours(23), 30, 3), Err(3600));
        assert_eq!(w.take(start + TimeDelta::hours(24), 30, 3), Ok(()));
    }

    #[test]
    fn a_clock_set_back_forgets_the_future_calls() {
        let mut w = Windows::default();
        let t = at("2026-01-01 10:00:00");
        for _ in 0..30 {
            w.take(t, 30, PER_DAY).unwrap();
        }
        assert_eq!(w.take(t - TimeDelta::hours(1), 30, PER_DAY), Ok(()));
    }
}
