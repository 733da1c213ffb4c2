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
