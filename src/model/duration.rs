//! Sandbox clock steps: `180d`, `36h`, `90m`, `30s`, or a sequence such as `1d12h`.

use chrono::TimeDelta;

/// At most 100 years: further is a typo, not a test.
const MAX_SECONDS: i64 = 100 * 366 * 86_400;

pub fn parse(s: &str) -> Option<TimeDelta> {
    let s = s.trim();
    if s.is_empty() || s.len() > 32 {
        return None;
    }
    let mut total: i64 = 0;
    let mut num = String::new();
    for ch in s.chars() {
        if ch.is_ascii_digit() {
            num.push(ch);
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        let unit = match ch {
            'w' => 7 * 86_400,
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    if !num.is_empty() || total > MAX_SECONDS {
        return None;
    }
    Some(TimeDelta::seconds(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_units_and_sequences() {
        assert_eq!(parse("180d"), Some(TimeDelta::days(180)));
        assert_eq!(parse("36h"), Some(TimeDelta::hours(36)));
        assert_eq!(parse("90m"), Some(TimeDelta::minutes(90)));
        assert_eq!(parse("1d12h"), Some(TimeDelta::hours(36)));
        assert_eq!(parse("0s"), Some(TimeDelta::zero()));
    }

    #[test]
    fn refuses_garbage_and_overflow() {
        for bad in [
            "",
            "d",
            "12",
            "-1d",
            "1x",
            "1.5d",
            "99999999999999999999d",
            "40000d",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
