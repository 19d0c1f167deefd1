//! Dates as catalogues, pages and 公文 write them, into the feed's forms:
//! `2023-07-14T09:30:00+08:00` for 发布日期 and `2023-07-14` for 成文日期.
//!
//! ```
//! use gongkai_import::dates::parse_when;
//! for s in ["2023-07-14", "2023/7/14", "2023年7月14日", "2023.07.14", "二〇二三年七月十四日", "45121"] {
//!     assert_eq!(parse_when(s).unwrap().rfc3339(), "2023-07-14T00:00:00+08:00", "{s}");
//! }
//! assert_eq!(parse_when("2023-07-14 09:30").unwrap().rfc3339(), "2023-07-14T09:30:00+08:00");
//! ```

use crate::text::{half_width, trim};
use gongkai_core::date::{
    civil_from_days, days_from_civil, days_in_month, parse_rfc3339, PlainDate,
};

/// A date, with a time of day when the source gave one (Beijing time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When {
    /// The calendar date.
    pub date: PlainDate,
    /// Hour, minute, second, when given.
    pub time: Option<(u32, u32, u32)>,
    /// The source's own RFC 3339 text, kept as written (it has its offset).
    pub exact: Option<String>,
}

impl When {
    /// A date at midnight.
    pub fn day(date: PlainDate) -> When {
        When {
            date,
            time: None,
            exact: None,
        }
    }

    /// RFC 3339 in Beijing time, `+08:00`; midnight when there is no time.
    pub fn rfc3339(&self) -> String {
        if let Some(exact) = &self.exact {
            return exact.clone();
        }
        let (h, m, s) = self.time.unwrap_or((0, 0, 0));
        format!("{}T{h:02}:{m:02}:{s:02}+08:00", self.date)
    }

    /// The plain date, `2023-07-14`.
    pub fn plain(&self) -> String {
        self.date.to_string()
    }
}

/// Day 0 of Excel's 1900 date system is 1899-12-30 (which absorbs the
/// fictitious 1900-02-29 for every date after February 1900).
const EXCEL_1900_EPOCH: (i32, u32, u32) = (1899, 12, 30);
/// Day 0 of the 1904 date system (old Mac workbooks).
const EXCEL_1904_EPOCH: (i32, u32, u32) = (1904, 1, 1);

/// Serials a catalogue's dates can have: 1980-01-01 to 2099-12-31. Anything
/// else in a date column is more likely a number typed by mistake.
const SERIAL_RANGE: std::ops::RangeInclusive<f64> = 29221.0..=73050.0;

/// An Excel date serial (days since 1899-12-30, the fraction is the time).
pub fn from_excel_serial(serial: f64, is_1904: bool) -> Result<When, String> {
    let serial_1900 = if is_1904 { serial + 1462.0 } else { serial };
    if !SERIAL_RANGE.contains(&serial_1900) {
        return Err(format!(
            "{serial} is not a date: as an Excel date number it would fall outside 1980-2099"
        ));
    }
    let (y, m, d) = if is_1904 {
        EXCEL_1904_EPOCH
    } else {
        EXCEL_1900_EPOCH
    };
    let days = serial.floor() as i64;
    let date = civil_from_days(days_from_civil(y, m, d) + days);
    let secs = ((serial - serial.floor()) * 86_400.0).round() as u32;
    let time = (secs > 0 && secs < 86_400).then_some((secs / 3600, secs % 3600 / 60, secs % 60));
    Ok(When {
        date,
        time,
        exact: None,
    })
}

/// Parses a date as written by people and by the usual systems:
/// `2023-07-14`, `2023/7/14`, `2023.07.14`, `2023年7月14日`, `20230714`,
/// each optionally with a time (`09:30`, `9:30:15`, `9时30分`);
/// `二〇二三年七月十四日`; RFC 3339 as it is; an Excel serial written as
/// text (`45121`).
pub fn parse_when(s: &str) -> Result<When, String> {
    let t = half_width(trim(s));
    let t = trim(&t);
    if t.is_empty() {
        return Err("empty date".to_owned());
    }
    if t.contains('T') && parse_rfc3339(t).is_ok() {
        let dt = parse_rfc3339(t).expect("checked above");
        return Ok(When {
            date: dt.date,
            time: Some((dt.hour, dt.minute, dt.second)),
            exact: Some(t.to_owned()),
        });
    }
    if t.chars().any(is_chinese_numeral) {
        return chinese_date(t);
    }
    if t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit()) {
        return from_excel_serial(t.parse::<f64>().unwrap_or(0.0), false);
    }
    if let Ok(serial) = t.parse::<f64>() {
        if t.contains('.')
            && t.len() > 6
            && SERIAL_RANGE.contains(&serial)
            && t.find('.') == Some(5)
        {
            return from_excel_serial(serial, false);
        }
    }
    numeric_date(t).map_err(|why| format!("unreadable date {s:?}: {why}"))
}

fn numeric_date(t: &str) -> Result<When, String> {
    // Runs of digits; everything else separates them.
    let mut nums: Vec<&str> = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices() {
        match (c.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                nums.push(&t[st..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        nums.push(&t[st..]);
    }
    // Compact 20230714 or 20230714 0930.
    if nums.first().is_some_and(|n| n.len() == 8) {
        let n = nums[0];
        let mut rest = vec![&n[..4], &n[4..6], &n[6..]];
        rest.extend(nums[1..].iter().copied());
        nums = rest;
    }
    if nums.len() < 3 {
        return Err("expected a year, a month and a day".to_owned());
    }
    if nums[0].len() != 4 {
        return Err("the year must come first, with four digits".to_owned());
    }
    let letters = t
        .chars()
        .filter(|c| {
            c.is_alphabetic()
                && !matches!(
                    c,
                    '年' | '月' | '日' | '号' | '时' | '点' | '分' | '秒' | 'T'
                )
        })
        .count();
    if letters > 0 {
        return Err("it has words besides the date".to_owned());
    }
    let num = |s: &str| s.parse::<u32>().map_err(|_| format!("{s} is not a number"));
    let (y, m, d) = (num(nums[0])? as i32, num(nums[1])?, num(nums[2])?);
    let date = plain(y, m, d)?;
    let time = match nums.len() {
        3 => None,
        5 | 6 => {
            let (h, mi) = (num(nums[3])?, num(nums[4])?);
            let s = if nums.len() == 6 { num(nums[5])? } else { 0 };
            if h > 23 || mi > 59 || s > 59 {
                return Err(format!("{h:02}:{mi:02}:{s:02} is not a time of day"));
            }
            Some((h, mi, s))
        }
        _ => return Err("expected a date with an optional hh:mm[:ss]".to_owned()),
    };
    Ok(When {
        date,
        time,
        exact: None,
    })
}

fn plain(year: i32, month: u32, day: u32) -> Result<PlainDate, String> {
    if !(1949..=2100).contains(&year) {
        return Err(format!("year {year} is out of range"));
    }
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} is out of range 1-12"));
    }
    let max = days_in_month(year, month);
    if day == 0 || day > max {
        return Err(format!(
            "day {day} is out of range for {year}-{month:02} (1-{max})"
        ));
    }
    Ok(PlainDate { year, month, day })
}

fn is_chinese_numeral(c: char) -> bool {
    matches!(
        c,
        '〇' | '○' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '○' | '零' | 'Ｏ' | 'O' | '0' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => c.to_digit(10)?,
    })
}

/// `十四` → 14, `二十` → 20, `十` → 10, `七` → 7, `14` → 14.
fn chinese_small(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    match chars.iter().position(|&c| c == '十') {
        None => chars
            .iter()
            .try_fold(0, |acc, &c| Some(acc * 10 + chinese_digit(c)?)),
        Some(i) => {
            let tens = if i == 0 {
                1
            } else {
                chars[..i]
                    .iter()
                    .try_fold(0, |acc, &c| Some(acc * 10 + chinese_digit(c)?))?
            };
            let ones = chars[i + 1..]
                .iter()
                .try_fold(0, |acc, &c| Some(acc * 10 + chinese_digit(c)?))?;
            Some(tens * 10 + ones)
        }
    }
}

/// `二〇二三年七月十四日` (the 成文日期 of older 公文).
fn chinese_date(t: &str) -> Result<When, String> {
    let bad = || format!("unreadable date {t:?}: expected e.g. 二〇二三年七月十四日");
    let (y, rest) = t.split_once('年').ok_or_else(bad)?;
    let (m, rest) = rest.split_once('月').ok_or_else(bad)?;
    let d = rest.trim_end_matches(['日', '号']);
    let year = y
        .chars()
        .try_fold(0u32, |acc, c| Some(acc * 10 + chinese_digit(c)?))
        .filter(|_| y.chars().count() == 4)
        .ok_or_else(bad)?;
    let month = chinese_small(m).ok_or_else(bad)?;
    let day = chinese_small(d).ok_or_else(bad)?;
    Ok(When::day(
        plain(year as i32, month, day).map_err(|e| format!("unreadable date {t:?}: {e}"))?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> String {
        parse_when(s).map(|w| w.rfc3339()).unwrap_or_else(|e| e)
    }

    #[test]
    fn the_issue_s_forms() {
        for s in [
            "2023-07-14",
            "2023/7/14",
            "2023年7月14日",
            "2023.07.14",
            "2023-7-14",
            "２０２３年７月１４日",
            " 2023年07月14日 ",
            "20230714",
            "45121",
            "二〇二三年七月十四日",
            "二○二三年七月十四日",
            "二零二三年七月十四日",
        ] {
            assert_eq!(r(s), "2023-07-14T00:00:00+08:00", "{s}");
        }
    }

    #[test]
    fn with_times() {
        assert_eq!(r("2023-07-14 09:30"), "2023-07-14T09:30:00+08:00");
        assert_eq!(r("2023/7/14 9:30:15"), "2023-07-14T09:30:15+08:00");
        assert_eq!(r("2023年7月14日 16时20分"), "2023-07-14T16:20:00+08:00");
        assert_eq!(r("2023-07-14T09:30:00Z"), "2023-07-14T09:30:00Z");
        assert_eq!(r("45121.75"), "2023-07-14T18:00:00+08:00");
    }

    #[test]
    fn excel_serials() {
        assert_eq!(
            from_excel_serial(45121.0, false).unwrap().plain(),
            "2023-07-14"
        );
        assert_eq!(
            from_excel_serial(43659.0, true).unwrap().plain(),
            "2023-07-14"
        );
        assert_eq!(
            from_excel_serial(36526.0, false).unwrap().plain(),
            "2000-01-01"
        );
        assert!(from_excel_serial(12.0, false)
            .unwrap_err()
            .contains("not a date"));
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        assert!(
            r("2023-02-29").contains("day 29 is out of range for 2023-02"),
            "{}",
            r("2023-02-29")
        );
        assert!(r("2023-13-01").contains("month 13"));
        assert!(r("7/14/2023").contains("year must come first"));
        assert!(r("待定").contains("expected a year"));
        assert!(r("2023年7月").contains("expected a year, a month and a day"));
        assert_eq!(r(""), "empty date");
        assert_eq!(chinese_small("二十一"), Some(21));
        assert_eq!(chinese_small("十"), Some(10));
        assert_eq!(chinese_small("三十"), Some(30));
    }
}
