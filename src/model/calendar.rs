//! Calendar bounds for `min_date` / `max_date`: a year `YYYY`, a month `YYYY-MM` or a day
//! `YYYY-MM-DD`, each covering a range of days, inclusive at both ends.

use chrono::{Datelike, NaiveDate};

/// The first and last day a bound covers.
pub fn parse(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let s = s.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Option<u32> {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    // Year 0 is refused in every form (found by fuzzing: `0000` was a year, `0000-01-01`
    // not a day).
    let year = |p: &str| num(p, 4).filter(|y| *y >= 1).map(|y| y as i32);
    match parts.as_slice() {
        [y] => {
            let y = year(y)?;
            Some((
                NaiveDate::from_ymd_opt(y, 1, 1)?,
                NaiveDate::from_ymd_opt(y, 12, 31)?,
            ))
        }
        [y, m] => {
            let (y, m) = (year(y)?, num(m, 2)?);
            let first = NaiveDate::from_ymd_opt(y, m, 1)?;
            let next = if m == 12 {
                NaiveDate::from_ymd_opt(y + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(y, m + 1, 1)?
            };
            Some((first, next.pred_opt()?))
        }
        [y, m, d] => {
            let day = NaiveDate::from_ymd_opt(year(y)?, num(m, 2)?, num(d, 2)?)?;
            (day.year() >= 1).then_some((day, day))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn years_months_and_days_cover_their_whole_range() {
        assert_eq!(parse("2024"), Some((d("2024-01-01"), d("2024-12-31"))));
        assert_eq!(parse("2024-02"), Some((d("2024-02-01"), d("2024-02-29"))));
        assert_eq!(parse("2023-12"), Some((d("2023-12-01"), d("2023-12-31"))));
        assert_eq!(
            parse("2024-03-15"),
            Some((d("2024-03-15"), d("2024-03-15")))
        );
    }

    #[test]
    fn malformed_bounds_are_refused() {
        for bad in [
            "",
            "24",
            "2024-1",
            "2024-13",
            "2024-02-30",
            "2024/01/01",
            "2024-01-01T00:00",
            "abcd",
            "0000",
            "0000-01",
            "0000-01-01",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
