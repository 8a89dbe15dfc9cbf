//! Calendar arithmetic the port's readers share (the wire inspector, the
//! Console's tools, the views): epoch milliseconds to and from UTC dates,
//! proleptic Gregorian, with Howard Hinnant's day-count algorithms. No
//! clock is read here.

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` of epoch milliseconds.
#[must_use]
pub fn utc(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    // Civil from days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1_000 % 60,
        in_day % 1_000
    )
}

/// Epoch milliseconds of a UTC date and time (fields not range-checked:
/// the caller parses and checks them).
#[must_use]
pub fn epoch_ms(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    millis: i64,
) -> i64 {
    // Days from civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1_000 + millis
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_convert_both_ways() {
        assert_eq!(utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(utc(1_767_225_600_123), "2026-01-01T00:00:00.123Z");
        assert_eq!(utc(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(epoch_ms(1970, 1, 1, 0, 0, 0, 0), 0);
        assert_eq!(epoch_ms(2026, 1, 1, 0, 0, 0, 123), 1_767_225_600_123);
        assert_eq!(epoch_ms(2000, 2, 29, 0, 0, 0, 0), 951_782_400_000);
        for ms in [-86_400_001, 0, 951_782_400_000, 4_102_444_799_999] {
            let t = utc(ms);
            let n = |a: usize, b: usize| t[a..b].parse::<i64>().unwrap_or(-1);
            assert_eq!(
                epoch_ms(
                    n(0, 4),
                    n(5, 7),
                    n(8, 10),
                    n(11, 13),
                    n(14, 16),
                    n(17, 19),
                    n(20, 23)
                ),
                ms,
                "{t}"
            );
        }
    }
}
