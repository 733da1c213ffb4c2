//! Powens wire formats: DateTime `YYYY-MM-DD HH:MM:SS` (no zone), Date `YYYY-MM-DD`.

use chrono::{NaiveDate, NaiveDateTime};

pub const DATETIME: &str = "%Y-%m-%d %H:%M:%S";
pub const DATE: &str = "%Y-%m-%d";

pub fn datetime(t: NaiveDateTime) -> String {
    t.format(DATETIME).to_string()
}

pub fn date(d: NaiveDate) -> String {
    d.format(DATE).to_string()
}

pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s.trim(), DATETIME).ok()
}

/// Serde helpers for `Option<NaiveDateTime>` fields in the Powens format.
pub mod opt_datetime {
    use super::*;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(v: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_str(&datetime(*t)),
            None => s.serialize_none(),
        }
    }
}

/// Serde helper for `NaiveDateTime` fields in the Powens format.
pub mod as_datetime {
    use super::*;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(v: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&datetime(*v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.format(DATETIME))
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.format(DATE))
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
    /// Reads a stored or client-given `YYYY-MM-DD HH:MM:SS`.
    pub fn parse(s: &str) -> Option<DateTime> {
        parse_datetime(s).map(DateTime)
    }
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        NaiveDate::parse_from_str(s.trim(), DATE).ok().map(Date)
    }
}

#[cfg(test)]
mod wire_tests {
    use super::*;

    #[test]
    fn dates_serialize_in_the_powens_formats() {
        let t = DateTime::parse("2026-03-01 08:05:09").unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2026-03-01 08:05:09\""
        );
        let d = Date::parse("2026-03-01").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-03-01\"");
    }
}
