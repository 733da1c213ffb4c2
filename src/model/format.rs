//! Powens wire formats: DateTime `YYYY-MM-DD HH:MM:SS` (no zone), Date `YYYY-MM-DD`.
//!
//! Everything stored and every instant the engine computes is UTC. The live API writes its
//! zone-less DateTimes in Europe/Paris local time (Formance's connector converts them from
//! there), so the conversion happens at the edges only: a [`DateTime`] serializes in the
//! zone of the work at hand (see [`in_zone`]), and a client-given DateTime is read with
//! [`parse_local`]. Transaction fields documented as UTC use [`utc`] instead.

use chrono::{NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone};
use chrono_tz::Tz;

pub const DATETIME: &str = "%Y-%m-%d %H:%M:%S";
pub const DATE: &str = "%Y-%m-%d";

pub fn datetime(t: NaiveDateTime) -> String {
    match fixed::datetime(t) {
        Some(b) => fixed::text(&b).to_string(),
        None => t.format(DATETIME).to_string(),
    }
}

pub fn date(d: NaiveDate) -> String {
    match fixed::date(d) {
        Some(b) => fixed::text(&b).to_string(),
        None => d.format(DATE).to_string(),
    }
}

pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    fixed::parse_datetime(s).or_else(|| NaiveDateTime::parse_from_str(s, DATETIME).ok())
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    fixed::parse_date(s).or_else(|| NaiveDate::parse_from_str(s, DATE).ok())
}

/// The two wire formats read and written digit by digit, without chrono's format-string
/// machinery (a transactions page reads and writes a dozen of them per row). Only the
/// canonical shapes (four-digit years, two-digit fields, valid values) take this path;
/// anything else returns `None` and goes through chrono, so the results are chrono's.
mod fixed {
    use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

    fn digits(b: &[u8]) -> Option<u32> {
        b.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    }

    pub fn parse_date(s: &str) -> Option<NaiveDate> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = i32::try_from(digits(&b[0..4])?).ok()?;
        NaiveDate::from_ymd_opt(year, digits(&b[5..7])?, digits(&b[8..10])?)
    }

    pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
        let b = s.as_bytes();
        if b.len() != 19 || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let second = digits(&b[17..19])?;
        // chrono reads a leap second (60); leave that to it.
        if second > 59 {
            return None;
        }
        parse_date(&s[..10])?.and_hms_opt(digits(&b[11..13])?, digits(&b[14..16])?, second)
    }

    fn put(out: &mut [u8], mut n: u32) {
        for c in out.iter_mut().rev() {
            *c = b'0' + (n % 10) as u8;
            n /= 10;
        }
    }

    pub fn date(d: NaiveDate) -> Option<[u8; 10]> {
        let year = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
        let mut b = *b"0000-00-00";
        put(&mut b[0..4], year);
        put(&mut b[5..7], d.month());
        put(&mut b[8..10], d.day());
        Some(b)
    }

    pub fn datetime(t: NaiveDateTime) -> Option<[u8; 19]> {
        // A leap second (nanoseconds past one second) is chrono's to write.
        if t.nanosecond() >= 1_000_000_000 {
            return None;
        }
        let mut b = *b"0000-00-00 00:00:00";
        b[..10].copy_from_slice(&date(t.date())?);
        put(&mut b[11..13], t.hour());
        put(&mut b[14..16], t.minute());
        put(&mut b[17..19], t.second());
        Some(b)
    }

    pub fn text(b: &[u8]) -> &str {
        // Only ASCII digits and separators are ever written.
        std::str::from_utf8(b).unwrap_or_default()
    }
}

/// The zone of the live API, used when nothing says otherwise.
pub const DEFAULT_ZONE: Tz = chrono_tz::Europe::Paris;

tokio::task_local! {
    /// The zone in which the current request (or background job) reads and writes
    /// zone-less DateTimes. Several servers with different settings share one process (the
    /// tests), so this cannot be a process global.
    static ZONE: Tz;
}

/// Runs `work` with `zone` as the API's time zone; DateTimes serialized inside it (responses,
/// webhook payloads queued by it) are written in that zone.
pub async fn in_zone<F: std::future::Future>(zone: Tz, work: F) -> F::Output {
    ZONE.scope(zone, work).await
}

/// The same as [`in_zone`] for synchronous work.
pub fn in_zone_sync<R>(zone: Tz, work: impl FnOnce() -> R) -> R {
    ZONE.sync_scope(zone, work)
}

/// The API's time zone for the work at hand.
pub fn zone() -> Tz {
    ZONE.try_with(|z| *z).unwrap_or(DEFAULT_ZONE)
}

/// A UTC instant as the wall-clock time of `zone`.
pub fn utc_to_local(utc: NaiveDateTime, zone: Tz) -> NaiveDateTime {
    zone.from_utc_datetime(&utc).naive_local()
}

/// A wall-clock time of `zone` as a UTC instant. Two local times need a rule:
/// - in a spring-forward gap (Paris, last Sunday of March, 02:00 to 03:00), a time that never
///   happened is read with the offset in force before the gap, i.e. moved forward by the
///   gap's length: `02:30` is `01:30` UTC, shown back as `03:30`;
/// - in the fall-back hour (Paris, last Sunday of October, 02:00 to 03:00 twice), an
///   ambiguous time is the earlier of its two instants (summer time): `02:30` is `00:30` UTC.
///
/// These are the rules of `java.time` and of PostgreSQL's `timestamptz` input.
pub fn local_to_utc(local: NaiveDateTime, zone: Tz) -> NaiveDateTime {
    match zone.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.naive_utc(),
        chrono::LocalResult::Ambiguous(early, _) => early.naive_utc(),
        chrono::LocalResult::None => {
            // No zone moves its clocks twice within a day: the offset a day before is the
            // one in force just before the gap.
            let before = zone
                .offset_from_utc_datetime(&(local - TimeDelta::days(1)))
                .fix();
            local - TimeDelta::seconds(i64::from(before.local_minus_utc()))
        }
    }
}

/// A UTC instant written in the API's zone, for the rare bodies built by hand.
pub fn local(utc: NaiveDateTime) -> String {
    datetime(utc_to_local(utc, zone()))
}

/// A stored (UTC) DateTime column written in the API's zone, for the pages and bodies that
/// show a row as stored; anything unreadable is shown unchanged.
pub fn shown(stored: &str) -> String {
    parse_datetime(stored).map_or_else(|| stored.to_string(), local)
}

/// A client-given `YYYY-MM-DD HH:MM:SS` (the API's zone) as a UTC instant.
pub fn parse_local(s: &str) -> Option<NaiveDateTime> {
    parse_datetime(s).map(|t| local_to_utc(t, zone()))
}

/// Serde helpers for `Option<NaiveDateTime>` (UTC) fields in the Powens format, written in
/// the API's zone.
pub mod opt_datetime {
    use super::*;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(v: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_str(&local(*t)),
            None => s.serialize_none(),
        }
    }
}

/// Serde helper for `NaiveDateTime` fields in the Powens format.
pub mod as_datetime {
    use super::*;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(v: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&local(*v))
    }
}

/// Serde helper for the `Option<DateTime>` fields Powens documents as UTC (a transaction's
/// `datetime`, `rdatetime`, `vdatetime`, `bdatetime`): written as stored, with no conversion.
pub mod utc {
    use super::DateTime;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(v: &Option<DateTime>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_str(&super::datetime(t.0)),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        parse_datetime(s).unwrap()
    }

    #[test]
    fn paris_is_one_hour_ahead_of_utc_in_winter_and_two_in_summer() {
        let paris = DEFAULT_ZONE;
        assert_eq!(
            utc_to_local(at("2026-01-15 09:00:00"), paris),
            at("2026-01-15 10:00:00")
        );
        assert_eq!(
            utc_to_local(at("2026-07-15 08:00:00"), paris),
            at("2026-07-15 10:00:00")
        );
        assert_eq!(
            local_to_utc(at("2026-07-15 10:00:00"), paris),
            at("2026-07-15 08:00:00")
        );
        assert_eq!(
            local_to_utc(at("2026-07-15 10:00:00"), Tz::UTC),
            at("2026-07-15 10:00:00")
        );
    }

    #[test]
    fn a_time_in_the_spring_forward_gap_is_moved_forward_by_the_gap() {
        // 2026-03-29: Paris goes from 02:00 CET straight to 03:00 CEST.
        let utc = local_to_utc(at("2026-03-29 02:30:00"), DEFAULT_ZONE);
        assert_eq!(utc, at("2026-03-29 01:30:00"));
        assert_eq!(utc_to_local(utc, DEFAULT_ZONE), at("2026-03-29 03:30:00"));
        // Either side of the gap is unambiguous.
        assert_eq!(
            local_to_utc(at("2026-03-29 01:59:59"), DEFAULT_ZONE),
            at("2026-03-29 00:59:59")
        );
        assert_eq!(
            local_to_utc(at("2026-03-29 03:00:00"), DEFAULT_ZONE),
            at("2026-03-29 01:00:00")
        );
    }

    #[test]
    fn an_ambiguous_time_in_the_fall_back_hour_is_the_earlier_instant() {
        // 2026-10-25: Paris lives 02:00 to 03:00 twice, in CEST then in CET.
        let utc = local_to_utc(at("2026-10-25 02:30:00"), DEFAULT_ZONE);
        assert_eq!(utc, at("2026-10-25 00:30:00"));
        // Both instants are written as the same wall-clock time.
        assert_eq!(utc_to_local(utc, DEFAULT_ZONE), at("2026-10-25 02:30:00"));
        assert_eq!(
            utc_to_local(at("2026-10-25 01:30:00"), DEFAULT_ZONE),
            at("2026-10-25 02:30:00")
        );
    }

    #[test]
    fn a_datetime_serializes_in_the_zone_of_the_work_at_hand() {
        let t = DateTime(at("2026-01-15 09:00:00"));
        let paris = in_zone_sync(DEFAULT_ZONE, || serde_json::to_string(&t).unwrap());
        assert_eq!(paris, "\"2026-01-15 10:00:00\"");
        let utc = in_zone_sync(Tz::UTC, || serde_json::to_string(&t).unwrap());
        assert_eq!(utc, "\"2026-01-15 09:00:00\"");
        let zone = chrono_tz::America::New_York;
        assert_eq!(in_zone_sync(zone, || local(t.0)), "2026-01-15 04:00:00");
        assert_eq!(
            in_zone_sync(zone, || parse_local("2026-01-15 04:00:00")),
            Some(t.0)
        );
    }

    #[test]
    fn the_fixed_width_readers_and_writers_agree_with_chrono() {
        let texts = [
            "2026-03-01 08:05:09",
            "0001-01-01 00:00:00",
            "9999-12-31 23:59:59",
            "2024-02-29 12:00:00",
            "2023-02-29 12:00:00",
            "2026-13-01 00:00:00",
            "2026-01-01 24:00:00",
            "2026-01-01 23:60:00",
            "2026-01-01 23:59:60",
            "2026-1-01 00:00:00",
            "2026-01-01T00:00:00",
            "+2026-01-01 00:00:00",
            "2026-01-01 00:00:0x",
            " 2026-01-01 00:00:00 ",
        ];
        for t in texts {
            let chrono = NaiveDateTime::parse_from_str(t.trim(), DATETIME).ok();
            assert_eq!(parse_datetime(t), chrono, "{t}");
            if let Some(v) = chrono {
                assert_eq!(datetime(v), v.format(DATETIME).to_string(), "{t}");
            }
            let d = &t.trim()[..10.min(t.trim().len())];
            let chrono = NaiveDate::parse_from_str(d.trim(), DATE).ok();
            assert_eq!(Date::parse(d).map(|d| d.0), chrono, "{d}");
            if let Some(v) = chrono {
                assert_eq!(date(v), v.format(DATE).to_string(), "{d}");
            }
        }
        for y in [-1, 0, 10000, 262_000] {
            if let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1) {
                assert_eq!(date(d), d.format(DATE).to_string());
            }
        }
    }

    #[test]
    fn datetime_round_trips_in_the_powens_format() {
        let t = parse_datetime("2026-03-01 08:05:09").unwrap();
        assert_eq!(datetime(t), "2026-03-01 08:05:09");
        assert!(parse_datetime("2026-03-01T08:05:09").is_none());
    }
}

/// A Powens DateTime on the wire: `YYYY-MM-DD HH:MM:SS`, no zone. Stored as the same TEXT,
/// so the store decodes it straight from a column.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, sqlx::Type, utoipa::ToSchema,
)]
#[sqlx(transparent)]
#[schema(value_type = String, pattern = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", example = "2026-01-15 10:00:00")]
pub struct DateTime(pub NaiveDateTime);

/// A Powens Date on the wire: `YYYY-MM-DD`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, sqlx::Type, utoipa::ToSchema,
)]
#[sqlx(transparent)]
#[schema(value_type = String, pattern = r"^\d{4}-\d{2}-\d{2}$", example = "2026-01-15")]
pub struct Date(pub NaiveDate);

/// Holds UTC; written as the wall-clock time of the API's zone.
impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = utc_to_local(self.0, zone());
        match fixed::datetime(t) {
            Some(b) => s.serialize_str(fixed::text(&b)),
            None => s.collect_str(&t.format(DATETIME)),
        }
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match fixed::date(self.0) {
            Some(b) => s.serialize_str(fixed::text(&b)),
            None => s.collect_str(&self.0.format(DATE)),
        }
    }
}

impl From<NaiveDateTime> for DateTime {
    fn from(t: NaiveDateTime) -> Self {
        DateTime(t)
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Date(d)
    }
}

impl DateTime {
    /// Reads a stored (UTC) `YYYY-MM-DD HH:MM:SS`; a client-given one goes through
    /// [`parse_local`].
    pub fn parse(s: &str) -> Option<DateTime> {
        parse_datetime(s).map(DateTime)
    }
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        parse_date(s).map(Date)
    }
}

#[cfg(test)]
mod wire_tests {
    use super::*;

    #[test]
    fn dates_serialize_in_the_powens_formats() {
        let t = DateTime::parse("2026-03-01 08:05:09").unwrap();
        assert_eq!(
            in_zone_sync(Tz::UTC, || serde_json::to_string(&t).unwrap()),
            "\"2026-03-01 08:05:09\""
        );
        let d = Date::parse("2026-03-01").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-03-01\"");
    }
}
