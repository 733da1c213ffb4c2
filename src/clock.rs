//! The sandbox clock: the one source of "now" for every timestamp and lifecycle rule.
//! It is real time plus an offset, or frozen at an instant; its setting is persisted so a
//! restart keeps the sandbox where QA left it.

use chrono::{NaiveDateTime, TimeDelta, Utc};
use std::sync::{Arc, RwLock};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockSetting {
    /// Added to real time when not frozen.
    pub offset: TimeDelta,
    /// When set, `now()` is this instant.
    pub frozen_at: Option<NaiveDateTime>,
}

impl Default for ClockSetting {
    fn default() -> Self {
        ClockSetting {
            offset: TimeDelta::zero(),
            frozen_at: None,
        }
    }
}

#[derive(Clone, Default)]
pub struct Clock {
    inner: Arc<RwLock<ClockSetting>>,
}

impl Clock {
    pub fn new(setting: ClockSetting) -> Self {
        Clock {
            inner: Arc::new(RwLock::new(setting)),
        }
    }

    /// Sandbox time, UTC, truncated to the second as Powens' DateTime format is.
    pub fn now(&self) -> NaiveDateTime {
        let s = *self.inner.read().expect("clock lock");
        let t = s
            .frozen_at
            .unwrap_or_else(|| Utc::now().naive_utc() + s.offset);
        t.with_nanosecond_zero()
    }

    pub fn setting(&self) -> ClockSetting {
        *self.inner.read().expect("clock lock")
    }

    pub fn set(&self, setting: ClockSetting) {
        *self.inner.write().expect("clock lock") = setting;
    }
}

trait TruncateNanos {
    fn with_nanosecond_zero(self) -> Self;
}

impl TruncateNanos for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap_or(self)
    }
}
