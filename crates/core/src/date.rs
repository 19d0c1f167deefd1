//! Dates without a date library: the app only needs to check RFC 3339 and to
//! show `YYYY-MM-DD` in Beijing time, and `chrono` would cost the wasm dearly.
//!
//! ```
//! use gongkai_core::date::{parse_rfc3339, parse_plain_date};
//!
//! let t = parse_rfc3339("2023-07-10T20:30:00Z").unwrap();
//! assert_eq!(t.beijing_date(), "2023-07-11"); // 04:30 the next day in Beijing
//! assert_eq!(parse_plain_date("2023-07-10").unwrap().to_string(), "2023-07-10");
//! ```

use std::fmt;

/// Beijing time, UTC+08:00, in seconds.
const BEIJING_OFFSET_SECS: i64 = 8 * 3600;

/// Why a date string was rejected. Positions are 0-based byte offsets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The input is empty.
    #[error("empty date")]
    Empty,
    /// The text does not have the expected shape at `at`.
    #[error("expected {expected} at position {at}")]
    Syntax {
        /// Byte offset of the problem.
        at: usize,
        /// What should have been there.
        expected: &'static str,
    },
    /// Month outside 01–12.
    #[error("month {0:02} is out of range 01-12")]
    Month(u32),
    /// Day outside the month's length.
    #[error("day {day:02} is out of range for {year:04}-{month:02} (01-{max:02})")]
    Day {
        /// Year.
        year: i32,
        /// Month.
        month: u32,
        /// The rejected day.
        day: u32,
        /// Days in that month.
        max: u32,
    },
    /// Hour outside 00–23.
    #[error("hour {0:02} is out of range 00-23")]
    Hour(u32),
    /// Minute outside 00–59.
    #[error("minute {0:02} is out of range 00-59")]
    Minute(u32),
    /// Second outside 00–60 (60 is a leap second).
    #[error("second {0:02} is out of range 00-60")]
    Second(u32),
    /// A fraction of a second with no digits or more than nine.
    #[error("fraction of a second must have 1 to 9 digits")]
    Fraction,
    /// No `Z` or `±hh:mm` after the time.
    #[error("missing UTC offset: end the time with Z or an offset such as +08:00")]
    MissingOffset,
    /// Offset hours outside 00–23.
    #[error("offset hour {0:02} is out of range 00-23")]
    OffsetHour(u32),
    /// Offset minutes outside 00–59.
    #[error("offset minute {0:02} is out of range 00-59")]
    OffsetMinute(u32),
    /// Text after a complete date.
    #[error("unexpected text after the date at position {0}")]
    Trailing(usize),
}

/// A calendar date without a time, e.g. a 成文日期.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlainDate {
    /// Year, 0000–9999.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, from 1.
    pub day: u32,
}

impl fmt::Display for PlainDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An RFC 3339 timestamp as written, with its UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    /// The local date.
    pub date: PlainDate,
    /// Hour, 0–23.
    pub hour: u32,
    /// Minute, 0–59.
    pub minute: u32,
    /// Second, 0–60.
    pub second: u32,
    /// Nanoseconds of the fraction of a second.
    pub nanosecond: u32,
    /// Offset from UTC in minutes (`+08:00` is 480, `Z` is 0).
    pub offset_minutes: i32,
}

impl DateTime {
    /// Seconds since 1970-01-01T00:00:00Z (negative before).
    pub fn unix_seconds(&self) -> i64 {
        let days = days_from_civil(self.date.year, self.date.month, self.date.day);
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.offset_minutes) * 60
    }

    /// Key that orders timestamps by the instant they denote, whatever their
    /// offsets: `(unix seconds, nanoseconds)`.
    pub fn sort_key(&self) -> (i64, u32) {
        (self.unix_seconds(), self.nanosecond)
    }

    /// The date in Beijing time (UTC+08:00), the date a reader there expects.
    pub fn beijing(&self) -> PlainDate {
        let days = (self.unix_seconds() + BEIJING_OFFSET_SECS).div_euclid(86_400);
        civil_from_days(days)
    }

    /// The date in Beijing time as `YYYY-MM-DD`.
    pub fn beijing_date(&self) -> String {
        self.beijing().to_string()
    }
}

/// Parses an RFC 3339 timestamp such as `2023-07-10T09:30:00+08:00`.
///
/// The offset is required (`Z`, `z` or `±hh:mm`); `T` may also be `t`;
/// fractions of a second may have 1 to 9 digits.
pub fn parse_rfc3339(s: &str) -> Result<DateTime, DateError> {
    if s.is_empty() {
        return Err(DateError::Empty);
    }
    let mut c = Cursor {
        b: s.as_bytes(),
        pos: 0,
    };
    let date = c.date()?;
    match c.peek() {
        Some(b'T' | b't') => c.pos += 1,
        None => {
            return Err(DateError::Syntax {
                at: c.pos,
                expected: "'T' and a time",
            })
        }
        _ => {
            return Err(DateError::Syntax {
                at: c.pos,
                expected: "'T'",
            })
        }
    }
    let hour = c.digits(2, "two-digit hour")?;
    c.byte(b':', "':'")?;
    let minute = c.digits(2, "two-digit minute")?;
    c.byte(b':', "':' and seconds")?;
    let second = c.digits(2, "two-digit second")?;
    if hour > 23 {
        return Err(DateError::Hour(hour));
    }
    if minute > 59 {
        return Err(DateError::Minute(minute));
    }
    if second > 60 {
        return Err(DateError::Second(second));
    }
    let mut nanosecond = 0;
    if c.peek() == Some(b'.') {
        c.pos += 1;
        let start = c.pos;
        while c.peek().is_some_and(|b| b.is_ascii_digit()) {
            c.pos += 1;
        }
        let n = c.pos - start;
        if n == 0 || n > 9 {
            return Err(DateError::Fraction);
        }
        let digits: u32 = s[start..c.pos].parse().map_err(|_| DateError::Fraction)?;
        nanosecond = digits * 10u32.pow(9 - n as u32);
    }
    let offset_minutes = match c.peek() {
        None => return Err(DateError::MissingOffset),
        Some(b'Z' | b'z') => {
            c.pos += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            c.pos += 1;
            let h = c.digits(2, "two-digit offset hour")?;
            c.byte(b':', "':' in the offset")?;
            let m = c.digits(2, "two-digit offset minute")?;
            if h > 23 {
                return Err(DateError::OffsetHour(h));
            }
            if m > 59 {
                return Err(DateError::OffsetMinute(m));
            }
            let total = (h * 60 + m) as i32;
            if sign == b'-' {
                -total
            } else {
                total
            }
        }
        Some(_) => {
            return Err(DateError::Syntax {
                at: c.pos,
                expected: "Z or an offset such as +08:00",
            })
        }
    };
    c.end()?;
    Ok(DateTime {
        date,
        hour,
        minute,
        second,
        nanosecond,
        offset_minutes,
    })
}

/// Parses a plain date `YYYY-MM-DD`, e.g. a 成文日期.
pub fn parse_plain_date(s: &str) -> Result<PlainDate, DateError> {
    if s.is_empty() {
        return Err(DateError::Empty);
    }
    let mut c = Cursor {
        b: s.as_bytes(),
        pos: 0,
    };
    let date = c.date()?;
    c.end()?;
    Ok(date)
}

/// Formats unix seconds as an RFC 3339 UTC timestamp, `2023-07-10T01:30:00Z`.
pub fn format_rfc3339_utc(unix_secs: i64) -> String {
    let days = unix_secs.div_euclid(86_400);
    let rem = unix_secs.rem_euclid(86_400);
    let d = civil_from_days(days);
    format!(
        "{d}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Whether `year` is a leap year in the proleptic Gregorian calendar.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in a month (1–12) of `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn digits(&mut self, n: usize, expected: &'static str) -> Result<u32, DateError> {
        let mut v = 0;
        for _ in 0..n {
            match self.peek() {
                Some(d @ b'0'..=b'9') => {
                    v = v * 10 + u32::from(d - b'0');
                    self.pos += 1;
                }
                _ => {
                    return Err(DateError::Syntax {
                        at: self.pos,
                        expected,
                    })
                }
            }
        }
        Ok(v)
    }

    fn byte(&mut self, want: u8, expected: &'static str) -> Result<(), DateError> {
        if self.peek() == Some(want) {
            self.pos += 1;
            Ok(())
        } else {
            Err(DateError::Syntax {
                at: self.pos,
                expected,
            })
        }
    }

    fn date(&mut self) -> Result<PlainDate, DateError> {
        let year = self.digits(4, "four-digit year")? as i32;
        self.byte(b'-', "'-'")?;
        let month = self.digits(2, "two-digit month")?;
        self.byte(b'-', "'-'")?;
        let day = self.digits(2, "two-digit day")?;
        if !(1..=12).contains(&month) {
            return Err(DateError::Month(month));
        }
        let max = days_in_month(year, month);
        if day == 0 || day > max {
            return Err(DateError::Day {
                year,
                month,
                day,
                max,
            });
        }
        Ok(PlainDate { year, month, day })
    }

    fn end(&self) -> Result<(), DateError> {
        if self.pos == self.b.len() {
            Ok(())
        } else {
            Err(DateError::Trailing(self.pos))
        }
    }
}

// Howard Hinnant's `days_from_civil` and `civil_from_days`
// (https://howardhinnant.github.io/date_algorithms.html).

/// Days from 1970-01-01 to a proleptic Gregorian date (negative before).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date `z` days after 1970-01-01.
pub fn civil_from_days(z: i64) -> PlainDate {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    PlainDate { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_rfc3339_inputs_parse() {
        // (input, unix seconds, Beijing date)
        let table: &[(&str, i64, &str)] = &[
            ("1970-01-01T00:00:00Z", 0, "1970-01-01"),
            ("2023-07-10T09:30:00+08:00", 1_688_952_600, "2023-07-10"),
            ("2023-07-10T01:30:00Z", 1_688_952_600, "2023-07-10"),
            ("2023-07-10t01:30:00z", 1_688_952_600, "2023-07-10"),
            ("2023-07-10T16:00:00Z", 1_689_004_800, "2023-07-11"),
            ("2023-07-10T15:59:59Z", 1_689_004_799, "2023-07-10"),
            ("2023-07-10T20:00:00-05:00", 1_689_037_200, "2023-07-11"),
            ("2023-07-10T00:10:00+09:30", 1_688_913_600, "2023-07-09"),
            ("2024-02-29T12:00:00.5+08:00", 1_709_179_200, "2024-02-29"),
            ("2000-02-29T00:00:00.123456789Z", 951_782_400, "2000-02-29"),
            ("1969-12-31T23:59:59Z", -1, "1970-01-01"),
            ("2016-12-31T23:59:60Z", 1_483_228_800, "2017-01-01"),
        ];
        for &(input, secs, bj) in table {
            let t = parse_rfc3339(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(t.unix_seconds(), secs, "unix seconds of {input}");
            assert_eq!(t.beijing_date(), bj, "Beijing date of {input}");
        }
    }

    #[test]
    fn fraction_is_kept_in_nanoseconds() {
        let t = parse_rfc3339("2024-02-29T12:00:00.5+08:00").unwrap();
        assert_eq!(t.nanosecond, 500_000_000);
        let a = parse_rfc3339("2024-02-29T12:00:00.25Z").unwrap();
        let b = parse_rfc3339("2024-02-29T12:00:00.3Z").unwrap();
        assert!(a.sort_key() < b.sort_key());
    }

    #[test]
    fn bad_rfc3339_inputs_are_rejected_with_the_reason() {
        let table: &[(&str, DateError)] = &[
            ("", DateError::Empty),
            (
                "2023-07-10",
                DateError::Syntax {
                    at: 10,
                    expected: "'T' and a time",
                },
            ),
            (
                "2023-07-10 09:30:00+08:00",
                DateError::Syntax {
                    at: 10,
                    expected: "'T'",
                },
            ),
            (
                "2023-7-10T09:30:00Z",
                DateError::Syntax {
                    at: 6,
                    expected: "two-digit month",
                },
            ),
            (
                "23-07-10T09:30:00Z",
                DateError::Syntax {
                    at: 2,
                    expected: "four-digit year",
                },
            ),
            ("2023-13-01T00:00:00Z", DateError::Month(13)),
            ("2023-00-01T00:00:00Z", DateError::Month(0)),
            (
                "2023-02-29T00:00:00Z",
                DateError::Day {
                    year: 2023,
                    month: 2,
                    day: 29,
                    max: 28,
                },
            ),
            (
                "1900-02-29T00:00:00Z",
                DateError::Day {
                    year: 1900,
                    month: 2,
                    day: 29,
                    max: 28,
                },
            ),
            (
                "2023-04-31T00:00:00Z",
                DateError::Day {
                    year: 2023,
                    month: 4,
                    day: 31,
                    max: 30,
                },
            ),
            (
                "2023-04-00T00:00:00Z",
                DateError::Day {
                    year: 2023,
                    month: 4,
                    day: 0,
                    max: 30,
                },
            ),
            ("2023-04-01T24:00:00Z", DateError::Hour(24)),
            ("2023-04-01T23:60:00Z", DateError::Minute(60)),
            ("2023-04-01T23:59:61Z", DateError::Second(61)),
            (
                "2023-04-01T23:59Z",
                DateError::Syntax {
                    at: 16,
                    expected: "':' and seconds",
                },
            ),
            ("2023-04-01T23:59:59.Z", DateError::Fraction),
            ("2023-04-01T23:59:59.1234567890Z", DateError::Fraction),
            ("2023-04-01T23:59:59", DateError::MissingOffset),
            ("2023-04-01T23:59:59+24:00", DateError::OffsetHour(24)),
            ("2023-04-01T23:59:59+08:60", DateError::OffsetMinute(60)),
            (
                "2023-04-01T23:59:59+0800",
                DateError::Syntax {
                    at: 22,
                    expected: "':' in the offset",
                },
            ),
            (
                "2023-04-01T23:59:59 CST",
                DateError::Syntax {
                    at: 19,
                    expected: "Z or an offset such as +08:00",
                },
            ),
            ("2023-04-01T23:59:59Zx", DateError::Trailing(20)),
            (
                "２０２３-04-01T00:00:00Z",
                DateError::Syntax {
                    at: 0,
                    expected: "four-digit year",
                },
            ),
        ];
        for (input, want) in table {
            assert_eq!(parse_rfc3339(input).as_ref(), Err(want), "input {input:?}");
        }
    }

    #[test]
    fn errors_read_well() {
        let e = parse_rfc3339("2023-02-29T00:00:00Z").unwrap_err();
        assert_eq!(e.to_string(), "day 29 is out of range for 2023-02 (01-28)");
        let e = parse_rfc3339("2023-04-01T23:59:59").unwrap_err();
        assert_eq!(
            e.to_string(),
            "missing UTC offset: end the time with Z or an offset such as +08:00"
        );
    }

    #[test]
    fn plain_dates() {
        assert_eq!(
            parse_plain_date("2023-07-10"),
            Ok(PlainDate {
                year: 2023,
                month: 7,
                day: 10
            })
        );
        assert_eq!(
            parse_plain_date("2024-02-29").unwrap().to_string(),
            "2024-02-29"
        );
        assert_eq!(
            parse_plain_date("2023-07-10T00:00:00Z"),
            Err(DateError::Trailing(10))
        );
        assert_eq!(
            parse_plain_date("2023/07/10"),
            Err(DateError::Syntax {
                at: 4,
                expected: "'-'"
            })
        );
        assert_eq!(
            parse_plain_date("2023-02-30"),
            Err(DateError::Day {
                year: 2023,
                month: 2,
                day: 30,
                max: 28
            })
        );
        assert_eq!(parse_plain_date(""), Err(DateError::Empty));
    }

    #[test]
    fn format_utc_round_trips() {
        for secs in [0, 1_688_952_600, 951_782_400, -1, 253_402_300_799] {
            let s = format_rfc3339_utc(secs);
            assert_eq!(parse_rfc3339(&s).unwrap().unix_seconds(), secs, "{s}");
        }
        assert_eq!(format_rfc3339_utc(1_688_952_600), "2023-07-10T01:30:00Z");
    }

    #[test]
    fn civil_days_round_trip_over_four_centuries() {
        for days in (-146_097..146_097).step_by(7) {
            let d = civil_from_days(days);
            assert_eq!(days_from_civil(d.year, d.month, d.day), days);
        }
    }
}
