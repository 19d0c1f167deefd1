//! Finding personal numbers in text and in the text of HTML.
//!
//! The text is read as a stream of characters, each with the byte range of
//! its source (an HTML entity is one character); tags, comments and the
//! content of `<script>`/`<style>` are boundaries no number crosses. Digits
//! are ASCII or full-width; a number may be split into groups by one space
//! (also U+3000 and no-break space) or one hyphen, as people write
//! `138 1234 5678` or `620524 19900101 123X`.
//!
//! A group of digits glued to a decimal point or thousands comma followed
//! by a digit (`12345678.90`, `1,380,000`) is part of an amount and never a
//! match; a group right after a label such as `统一社会信用代码` or `索引号`
//! is a code, not a person's number.

use super::PiiKind;
use std::ops::Range;

/// One number found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// What it is.
    pub kind: PiiKind,
    /// The digits (and a final `X` of an ID), ASCII, as one string.
    pub digits: String,
    /// Byte ranges in the source of each character of `digits`, in order:
    /// what a mask overwrites.
    pub units: Vec<Range<usize>>,
}

impl Match {
    /// The byte offset in the source where the number starts.
    pub fn start(&self) -> usize {
        self.units.first().map_or(0, |r| r.start)
    }
}

/// A character of the text stream and its source bytes; `None` is a
/// boundary (a tag, a comment).
type Unit = Option<(char, Range<usize>)>;

/// Labels after which a number is an organisation's code or a document
/// number, never a person's.
const CODE_LABELS: [&str; 11] = [
    "信用代码",
    "机构代码",
    "组织代码",
    "索引号",
    "文号",
    "编号",
    "登记号",
    "注册号",
    "订单号",
    "流水号",
    "项目号",
];

/// How far back (in characters) a label counts.
const LABEL_REACH: usize = 12;

/// Finds the personal numbers in plain text.
pub fn scan_text(text: &str) -> Vec<Match> {
    let units: Vec<Unit> = text
        .char_indices()
        .map(|(i, c)| Some((c, i..i + c.len_utf8())))
        .collect();
    scan_units(&units)
}

/// Finds the personal numbers in the text of an HTML fragment (not in its
/// tags or attributes); ranges point into `html`.
pub fn scan_html(html: &str) -> Vec<Match> {
    scan_units(&html_units(html))
}

/// The text stream of `html`.
fn html_units(html: &str) -> Vec<Unit> {
    let bytes = html.as_bytes();
    let mut units: Vec<Unit> = Vec::with_capacity(html.len());
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |e| e + 3);
            units.push(None);
        } else if bytes[i] == b'<'
            && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!')
        {
            let end = tag_end(rest);
            let name: String = rest[1..end]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            i += end;
            if name == "script" || name == "style" {
                let close = format!("</{name}");
                let lower = html[i..].to_ascii_lowercase();
                i += lower.find(&close).unwrap_or(lower.len());
            }
            units.push(None);
        } else if bytes[i] == b'&' {
            let (c, len) = entity(rest).unwrap_or(('&', 1));
            units.push(Some((c, i..i + len)));
            i += len;
        } else {
            let c = rest.chars().next().expect("not at the end");
            units.push(Some((c, i..i + c.len_utf8())));
            i += c.len_utf8();
        }
    }
    units
}

/// The length of the tag at the start of `s`, up to and including its `>`
/// (quoted attribute values may hold `>`).
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// The character an entity at the start of `s` stands for, and its length.
fn entity(s: &str) -> Option<(char, usize)> {
    // Bytes, not a string slice: the twelfth byte may be inside a Chinese
    // character (`&创新`).
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let name = &s[1..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match name {
            "nbsp" => '\u{a0}',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "ensp" => '\u{2002}',
            "emsp" => '\u{2003}',
            "thinsp" => '\u{2009}',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// The value of a digit, ASCII or full-width.
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// The check character of an ID, ASCII or full-width, either case.
fn is_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

/// Characters that may split a number into groups.
fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}' | '\u{a0}' | '\u{2002}' | '\u{2003}' | '\u{2009}'
    )
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '－' | '‐' | '‑')
}

/// A run of digits (and a final `X`) between two non-digits.
#[derive(Debug, Clone)]
struct Group {
    /// Index of its first and one past its last unit.
    span: Range<usize>,
    digits: String,
    /// Whether it ends with the ID check character `X`.
    x: bool,
    /// Glued to an amount or a longer code: never part of a match.
    attached: bool,
}

impl Group {
    fn len(&self) -> usize {
        self.digits.len()
    }
}

fn ch(units: &[Unit], i: usize) -> Option<char> {
    units.get(i).and_then(|u| u.as_ref()).map(|(c, _)| *c)
}

/// Every group of digits, in order.
fn groups(units: &[Unit]) -> Vec<Group> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < units.len() {
        if ch(units, i).and_then(digit).is_none() {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = String::new();
        while let Some(d) = ch(units, i).and_then(digit) {
            digits.push(char::from(b'0' + d));
            i += 1;
        }
        let mut x = false;
        // A final X counts only where the next character ends the number.
        if ch(units, i).is_some_and(is_x)
            && !ch(units, i + 1).is_some_and(|c| c.is_alphanumeric() && digit(c).is_none())
        {
            x = true;
            digits.push('X');
            i += 1;
        }
        let before = start.checked_sub(1).and_then(|b| ch(units, b));
        let before2 = start.checked_sub(2).and_then(|b| ch(units, b));
        let after = ch(units, i);
        let after2 = ch(units, i + 1);
        let glue = |c: Option<char>| matches!(c, Some('.' | ',' | '，' | '．' | '_'));
        let is_digit = |c: Option<char>| c.and_then(digit).is_some();
        let attached = (glue(before) && is_digit(before2))
            || (glue(after) && is_digit(after2))
            // Letters right after a number make a code (`2023abc`).
            || after.is_some_and(|c| c.is_ascii_alphabetic());
        out.push(Group {
            span: start..i,
            digits,
            x,
            attached,
        });
    }
    out
}

/// Whether groups `a` and `b` are one number split by a space or a hyphen.
fn joined(units: &[Unit], a: &Group, b: &Group) -> bool {
    let gap = b.span.start - a.span.end;
    let between: Vec<Option<char>> = (a.span.end..b.span.start).map(|i| ch(units, i)).collect();
    !a.x && match gap {
        1 => between[0].is_some_and(|c| is_space(c) || is_hyphen(c)),
        2 => between.iter().all(|c| c.is_some_and(is_space)),
        _ => false,
    }
}

/// Provinces (the first two digits of an ID's region code).
fn province(d: &str) -> bool {
    matches!(
        &d[..2],
        "11" | "12"
            | "13"
            | "14"
            | "15"
            | "21"
            | "22"
            | "23"
            | "31"
            | "32"
            | "33"
            | "34"
            | "35"
            | "36"
            | "37"
            | "41"
            | "42"
            | "43"
            | "44"
            | "45"
            | "46"
            | "50"
            | "51"
            | "52"
            | "53"
            | "54"
            | "61"
            | "62"
            | "63"
            | "64"
            | "65"
            | "71"
            | "81"
            | "82"
            | "83"
            | "91"
    )
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

/// Whether `yyyy-mm-dd` is a real day between 1900 and 2099.
fn plausible_birth(y: u32, m: u32, d: u32) -> bool {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2099).contains(&y) && (1..=days).contains(&d)
}

/// The GB 11643 check character of the first 17 digits.
pub fn id_check_char(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// Whether `d` is a 居民身份证号码: 18 characters with a valid check
/// character and birth date, or an old 15-digit number with a valid birth
/// date (19YYMMDD).
pub fn is_id_number(d: &str) -> bool {
    match d.len() {
        18 => {
            d[..17].bytes().all(|b| b.is_ascii_digit())
                && province(d)
                && plausible_birth(num(&d[6..10]), num(&d[10..12]), num(&d[12..14]))
                && d.as_bytes()[17] as char == id_check_char(&d[..17])
        }
        15 => {
            d.bytes().all(|b| b.is_ascii_digit())
                && province(d)
                && plausible_birth(1900 + num(&d[6..8]), num(&d[8..10]), num(&d[10..12]))
        }
        _ => false,
    }
}

/// Whether `d` is a mobile number: `1[3-9]` and nine more digits.
pub fn is_mobile(d: &str) -> bool {
    d.len() == 11
        && d.bytes().all(|b| b.is_ascii_digit())
        && d.as_bytes()[0] == b'1'
        && (b'3'..=b'9').contains(&d.as_bytes()[1])
}

/// Whether `d` passes the Luhn check.
pub fn luhn(d: &str) -> bool {
    let mut sum = 0;
    for (i, b) in d.bytes().rev().enumerate() {
        let mut v = u32::from(b - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// Whether `d` is a bank card number: 16 to 19 digits passing the Luhn
/// check, starting as the card schemes used in China do (3 JCB/AmEx,
/// 4 Visa, 5 Mastercard, 6 UnionPay, 9 old domestic cards).
pub fn is_bank_card(d: &str) -> bool {
    (16..=19).contains(&d.len())
        && d.bytes().all(|b| b.is_ascii_digit())
        && matches!(d.as_bytes()[0], b'3' | b'4' | b'5' | b'6' | b'9')
        && luhn(d)
}

/// What the digits of one whole group are, if anything.
fn classify(d: &str) -> Option<PiiKind> {
    if is_id_number(d) {
        Some(PiiKind::IdCard)
    } else if is_mobile(d) {
        Some(PiiKind::Mobile)
    } else if is_bank_card(d) {
        Some(PiiKind::BankCard)
    } else {
        None
    }
}

/// What several groups read as one number are, if their sizes are a way
/// people split that kind of number.
fn classify_split(sizes: &[usize], d: &str) -> Option<PiiKind> {
    let (last, init) = sizes.split_last().expect("at least two groups");
    if is_id_number(d) && init.iter().all(|&s| s >= 2) {
        return Some(PiiKind::IdCard);
    }
    // 138 1234 5678, 138-1234-5678, 1381234 5678.
    if is_mobile(d) && matches!(sizes, [3, 4, 4] | [3, 8] | [7, 4]) {
        return Some(PiiKind::Mobile);
    }
    // Groups of four, the last of one to four: 6222 0212 3456 7890 123.
    if is_bank_card(d) && init.iter().all(|&s| s == 4) && (1..=4).contains(last) {
        return Some(PiiKind::BankCard);
    }
    None
}

/// Whether a code label stands just before unit `at`.
fn after_code_label(units: &[Unit], at: usize) -> bool {
    let from = at.saturating_sub(LABEL_REACH);
    let before: String = units[from..at]
        .iter()
        .filter_map(|u| u.as_ref().map(|(c, _)| *c))
        .collect();
    CODE_LABELS.iter().any(|l| before.contains(l))
}

fn to_match(units: &[Unit], kind: PiiKind, groups: &[Group]) -> Match {
    let digits: String = groups.iter().map(|g| g.digits.as_str()).collect();
    let units = groups
        .iter()
        .flat_map(|g| g.span.clone())
        .filter_map(|i| units[i].as_ref())
        .filter(|(c, _)| digit(*c).is_some() || is_x(*c))
        .map(|(_, r)| r.clone())
        .collect();
    Match {
        kind,
        digits,
        units,
    }
}

/// The matches in a text stream.
fn scan_units(units: &[Unit]) -> Vec<Match> {
    let groups = groups(units);
    let mut out = Vec::new();
    let mut i = 0;
    while i < groups.len() {
        // The chain of groups joined to groups[i].
        let mut end = i + 1;
        while end < groups.len() && joined(units, &groups[end - 1], &groups[end]) {
            end += 1;
        }
        out.extend(scan_chain(units, &groups[i..end]));
        i = end;
    }
    out
}

/// The matches in one chain of joined groups: whole groups first, then the
/// longest run of neighbouring unmatched groups that reads as one number.
fn scan_chain(units: &[Unit], chain: &[Group]) -> Vec<Match> {
    let mut taken = vec![false; chain.len()];
    let mut found: Vec<(usize, Match)> = Vec::new();
    let usable = |g: &Group| !g.attached && !after_code_label(units, g.span.start);
    for (k, g) in chain.iter().enumerate() {
        if !usable(g) {
            taken[k] = true;
            continue;
        }
        if let Some(kind) = classify(&g.digits) {
            taken[k] = true;
            found.push((k, to_match(units, kind, std::slice::from_ref(g))));
        }
    }
    let mut k = 0;
    while k < chain.len() {
        if taken[k] {
            k += 1;
            continue;
        }
        let mut best = None;
        let mut total = chain[k].len();
        let mut j = k + 1;
        while j < chain.len() && !taken[j] && !chain[j - 1].x {
            total += chain[j].len();
            if total > 19 {
                break;
            }
            let sizes: Vec<usize> = chain[k..=j].iter().map(Group::len).collect();
            let digits: String = chain[k..=j].iter().map(|g| g.digits.as_str()).collect();
            if let Some(kind) = classify_split(&sizes, &digits) {
                best = Some((j, kind));
            }
            j += 1;
        }
        match best {
            Some((j, kind)) => {
                found.push((k, to_match(units, kind, &chain[k..=j])));
                k = j + 1;
            }
            None => k += 1,
        }
    }
    found.sort_by_key(|(k, _)| *k);
    found.into_iter().map(|(_, m)| m).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_character_follows_gb_11643() {
        // The standard's own example.
        assert_eq!(id_check_char("11010519491231002"), 'X');
        assert!(is_id_number("11010519491231002X"));
        assert!(!is_id_number("110105194912310021"));
        assert!(luhn("4111111111111111"));
        assert!(!luhn("4111111111111112"));
    }

    #[test]
    fn entities_and_tags_in_html() {
        let m = scan_html("<p>电话&nbsp;138&nbsp;1234&nbsp;5678</p>");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].digits, "13812345678");
        // A tag is a boundary: two cells are two numbers.
        assert!(scan_html("<td>138</td><td>12345678</td>").is_empty());
        assert!(scan_html("<a href=\"tel:13812345678\">电话</a>").is_empty());
        assert!(scan_html("<script>var a = 13812345678;</script>").is_empty());
    }

    /// Thousands of texts pieced together from the awkward parts of HTML and
    /// of numbers (entities cut short, tags left open, full-width digits,
    /// separators at the ends): no panic, and every match's units are digits.
    #[test]
    fn awkward_input_never_panics() {
        const PARTS: [&str; 24] = [
            "&",
            "&#",
            "&#x",
            ";",
            "&nbsp",
            "&amp;",
            "<",
            "</",
            "<p",
            ">",
            "\"",
            "<!--",
            "-->",
            "<script>",
            "科技",
            "１３８",
            "138",
            " ",
            "\u{3000}",
            "-",
            "X",
            "ｘ",
            "1234",
            "620524",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..5000 {
            let mut text = String::new();
            for _ in 0..12 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push_str(PARTS[(state >> 33) as usize % PARTS.len()]);
            }
            for m in scan_html(&text).into_iter().chain(scan_text(&text)) {
                for r in &m.units {
                    let c = text[r.clone()].chars().next().unwrap();
                    assert!(digit(c).is_some() || is_x(c) || c == '&', "{text:?}");
                }
            }
        }
    }

    /// A `&` before Chinese text panicked: the entity lookup cut the text at
    /// byte 12, inside a character.
    #[test]
    fn an_ampersand_before_chinese_text_is_text() {
        assert!(scan_html("<p>科技&创新驱动发展</p>").is_empty());
        assert!(scan_html("<td>A&B公司</td><td>&#x4E2D;13812345678</td>").len() == 1);
    }
}
