//! 发文字号 (文号): the number a 公文 carries under GB/T 9704-2012,
//! 机关代字 + year in 六角括号 + sequence number + 号, e.g. `武科发〔2023〕12号`.
//!
//! Shared by the 政策文件库 (its 文号 box) and the site search, so that a
//! 文号 typed in either place finds the same documents:
//!
//! - [`DocNo::parse`] reads the 文号 a feed gives (`_gov.doc_no`) in any of
//!   the forms met in the wild: `〔〕`, `[]`, `【】`, `()`, their full-width
//!   and half-width twins, `﹝﹞`, `〖〗`, or `2023年12号`; full-width digits;
//!   spaces anywhere; 号 or 號, with or without 第. A 文号 it cannot read
//!   is kept verbatim by the caller (`gongkai check` warns about it).
//! - [`DocNoQuery::parse`] reads what a reader types: the forms above, and
//!   also `武科发 2023 12`, or `〔2023〕12号` and `2023年12号` without the
//!   机关代字. `None` means the text is not a 文号 (search it as words).
//! - [`DocNoQuery::rank`] says whether a document's 文号 answers the query,
//!   and how well ([`DocNoMatch`]): the document with the very 文号 comes
//!   first, then those with the same year and number under another 代字
//!   (a typo in the 代字, or a query without one).
//!
//! ```
//! use gongkai_core::docno::{DocNo, DocNoMatch, DocNoQuery};
//!
//! let doc = DocNo::parse("武科发[2023]12号").unwrap();
//! assert_eq!((doc.agency.as_str(), doc.year, doc.number), ("武科发", 2023, 12));
//! assert_eq!(doc.to_string(), "武科发〔2023〕12号");
//!
//! let q = DocNoQuery::parse("武科发 2023 12").unwrap();
//! assert_eq!(q.rank(&doc.agency, doc.year, doc.number), Some(DocNoMatch::Full));
//! let q = DocNoQuery::parse("2023年12号").unwrap();
//! assert_eq!(q.rank(&doc.agency, doc.year, doc.number), Some(DocNoMatch::YearAndNumber));
//! assert_eq!(DocNoQuery::parse("科技活动周"), None);
//! ```

use std::fmt;

/// Earliest year a 文号 may carry.
pub const MIN_YEAR: u16 = 1900;
/// Latest year a 文号 may carry.
pub const MAX_YEAR: u16 = 2100;
/// Largest sequence number (six digits).
pub const MAX_NUMBER: u32 = 999_999;

/// A 文号 read into its parts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocNo {
    /// 机关代字, e.g. `武科发`: the text before the year, spaces removed.
    pub agency: String,
    /// The year in the brackets, e.g. 2023.
    pub year: u16,
    /// The sequence number, e.g. 12 (leading zeros dropped).
    pub number: u32,
}

impl fmt::Display for DocNo {
    /// The GB/T 9704 form: `武科发〔2023〕12号`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}〔{}〕{}号", self.agency, self.year, self.number)
    }
}

/// Why a 文号 could not be read. Every message ends with the expected form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocNoError {
    /// Nothing but spaces.
    #[error("the 文号 is empty")]
    Empty,
    /// No 机关代字 before the year.
    #[error("no 机关代字 before the year: expected e.g. 武科发〔2023〕12号")]
    NoAgency,
    /// No four-digit year in brackets (or followed by 年) after the 代字.
    #[error("no year in brackets after the 机关代字: expected e.g. 武科发〔2023〕12号")]
    NoYear,
    /// A year outside [`MIN_YEAR`]..=[`MAX_YEAR`].
    #[error("year {0} is out of range {MIN_YEAR}-{MAX_YEAR}")]
    Year(u32),
    /// No sequence number after the year.
    #[error("no sequence number after the year: expected e.g. 武科发〔2023〕12号")]
    NoNumber,
    /// A sequence number of 0 or more than six digits.
    #[error("sequence number {0} is out of range 1-{MAX_NUMBER}")]
    Number(String),
    /// Text after the 号.
    #[error("unexpected text {0:?} after the number: expected e.g. 武科发〔2023〕12号")]
    Trailing(String),
}

/// Brackets that open the year: 六角括号 and what is typed instead.
const OPEN: [char; 9] = ['〔', '[', '【', '(', '（', '［', '﹝', '〖', '〘'];
/// Brackets that close the year.
const CLOSE: [char; 9] = ['〕', ']', '】', ')', '）', '］', '﹞', '〗', '〙'];

/// One character of a 文号 after folding: full-width digits and spaces
/// become ASCII, every bracket becomes one of two markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Digit(u8),
    Open,
    Close,
    Space,
    Other(char),
}

fn tokens(s: &str) -> Vec<Tok> {
    s.chars()
        .map(|c| match c {
            '0'..='9' => Tok::Digit(c as u8 - b'0'),
            '０'..='９' => Tok::Digit((c as u32 - '０' as u32) as u8),
            c if OPEN.contains(&c) => Tok::Open,
            c if CLOSE.contains(&c) => Tok::Close,
            c if c.is_whitespace() => Tok::Space,
            c => Tok::Other(c),
        })
        .collect()
}

/// A cursor over tokens that skips spaces wherever it looks.
struct Cursor {
    toks: Vec<Tok>,
    at: usize,
}

impl Cursor {
    fn new(s: &str) -> Cursor {
        Cursor {
            toks: tokens(s),
            at: 0,
        }
    }

    fn skip_spaces(&mut self) -> usize {
        let start = self.at;
        while self.toks.get(self.at) == Some(&Tok::Space) {
            self.at += 1;
        }
        self.at - start
    }

    fn peek(&mut self) -> Option<Tok> {
        self.skip_spaces();
        self.toks.get(self.at).copied()
    }

    /// Consumes `t` if it comes next.
    fn eat(&mut self, t: Tok) -> bool {
        if self.peek() == Some(t) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// Consumes one of `chars` if it comes next.
    fn eat_any(&mut self, chars: &[char]) -> bool {
        match self.peek() {
            Some(Tok::Other(c)) if chars.contains(&c) => {
                self.at += 1;
                true
            }
            _ => false,
        }
    }

    /// The digits that come next (none if a non-digit comes first).
    fn digits(&mut self) -> String {
        self.skip_spaces();
        let mut out = String::new();
        while let Some(Tok::Digit(d)) = self.toks.get(self.at) {
            out.push(char::from(b'0' + d));
            self.at += 1;
        }
        out
    }

    /// The text up to the first digit or bracket, spaces removed.
    fn agency(&mut self) -> String {
        let mut out = String::new();
        while let Some(&t) = self.toks.get(self.at) {
            match t {
                Tok::Other(c) => out.push(c),
                Tok::Space => {}
                _ => break,
            }
            self.at += 1;
        }
        out
    }

    fn rest(&mut self) -> String {
        let rest: String = self.toks[self.at..]
            .iter()
            .map(|t| match *t {
                Tok::Digit(d) => char::from(b'0' + d),
                Tok::Open => '〔',
                Tok::Close => '〕',
                Tok::Space => ' ',
                Tok::Other(c) => c,
            })
            .collect();
        self.at = self.toks.len();
        rest.trim().to_owned()
    }

    fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }
}

/// How the year was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum YearForm {
    /// `〔2023〕`, in any brackets.
    Bracketed,
    /// `2023年`.
    Nian,
    /// `2023` followed by a space or a separator (queries only).
    Bare,
}

/// Reads `〔2023〕`, `2023年` or (with `bare`) `2023 ` from the cursor.
fn year(c: &mut Cursor, bare: bool) -> Result<(u16, YearForm), DocNoError> {
    let form = if c.eat(Tok::Open) {
        YearForm::Bracketed
    } else {
        YearForm::Nian
    };
    let digits = c.digits();
    if digits.len() != 4 {
        return Err(DocNoError::NoYear);
    }
    // Spaces first: every other look ahead skips them.
    let spaced = c.skip_spaces() > 0;
    let form = match form {
        YearForm::Bracketed if c.eat(Tok::Close) => YearForm::Bracketed,
        YearForm::Bracketed => return Err(DocNoError::NoYear),
        _ if c.eat_any(&['年']) => YearForm::Nian,
        _ if bare && (c.eat_any(&['-', '/', '－', '—']) || spaced) => YearForm::Bare,
        _ => return Err(DocNoError::NoYear),
    };
    let y: u32 = digits.parse().map_err(|_| DocNoError::NoYear)?;
    if !(u32::from(MIN_YEAR)..=u32::from(MAX_YEAR)).contains(&y) {
        return Err(DocNoError::Year(y));
    }
    Ok((y as u16, form))
}

/// Reads `第12号` (第 and 号 optional) up to the end.
fn number(c: &mut Cursor) -> Result<u32, DocNoError> {
    c.eat_any(&['第']);
    let digits = c.digits();
    if digits.is_empty() {
        return Err(DocNoError::NoNumber);
    }
    let n = digits
        .trim_start_matches('0')
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_NUMBER).contains(n) && digits.len() <= 7)
        .ok_or_else(|| DocNoError::Number(digits.clone()))?;
    c.eat_any(&['号', '號']);
    if !c.at_end() {
        return Err(DocNoError::Trailing(c.rest()));
    }
    Ok(n)
}

impl DocNo {
    /// The GB/T 9704 form in a script: `武科发〔2023〕12号`, or with 號 in
    /// 繁體 (the 代字 is shown as it is).
    pub fn display(&self, variant: crate::bundle::Variant) -> String {
        let hao = match variant {
            crate::bundle::Variant::Hans => '号',
            crate::bundle::Variant::Hant => '號',
        };
        format!("{}〔{}〕{}{hao}", self.agency, self.year, self.number)
    }

    /// Reads a feed's 文号: 机关代字, the year in brackets (or followed by
    /// 年), the number, 号 (optional). See the module docs for the forms.
    pub fn parse(s: &str) -> Result<DocNo, DocNoError> {
        if s.trim().is_empty() {
            return Err(DocNoError::Empty);
        }
        let mut c = Cursor::new(s);
        let agency = c.agency();
        if agency.is_empty() {
            return Err(DocNoError::NoAgency);
        }
        let (year, _) = year(&mut c, false)?;
        let number = number(&mut c)?;
        Ok(DocNo {
            agency,
            year,
            number,
        })
    }
}

/// How well a document's 文号 answers a [`DocNoQuery`]; `Full` sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocNoMatch {
    /// The same 机关代字, year and number.
    Full,
    /// The same year and number; the query named no 代字, or another one.
    YearAndNumber,
}

/// A 文号 as a reader types it, to find a document by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocNoQuery {
    /// 机关代字, if the reader typed one.
    pub agency: Option<String>,
    /// The year.
    pub year: u16,
    /// The sequence number.
    pub number: u32,
}

impl DocNoQuery {
    /// Reads a typed 文号 (see the module docs); `None` when the text is
    /// not one. A query without 代字 needs the year in brackets or with 年
    /// (`〔2023〕12号`, `2023年12号`): two bare numbers are not a 文号.
    pub fn parse(s: &str) -> Option<DocNoQuery> {
        let mut c = Cursor::new(s);
        let agency = c.agency();
        let (year, form) = year(&mut c, !agency.is_empty()).ok()?;
        if agency.is_empty() && form == YearForm::Bare {
            return None;
        }
        let number = number(&mut c).ok()?;
        Some(DocNoQuery {
            agency: (!agency.is_empty()).then_some(agency),
            year,
            number,
        })
    }

    /// How a document whose 文号 has these parts answers the query, if it
    /// does. `agency` may be any script's form of the 代字 (the library
    /// compares the 繁體 one too, for a reader typing 武科發).
    pub fn rank(&self, agency: &str, year: u16, number: u32) -> Option<DocNoMatch> {
        if year != self.year || number != self.number {
            return None;
        }
        match &self.agency {
            Some(a) if a == agency => Some(DocNoMatch::Full),
            _ => Some(DocNoMatch::YearAndNumber),
        }
    }

    /// [`DocNoQuery::rank`] for a parsed [`DocNo`].
    pub fn rank_doc(&self, doc: &DocNo) -> Option<DocNoMatch> {
        self.rank(&doc.agency, doc.year, doc.number)
    }
}

impl fmt::Display for DocNoQuery {
    /// The GB/T form, without 代字 when the reader typed none: `〔2023〕12号`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}〔{}〕{}号",
            self.agency.as_deref().unwrap_or(""),
            self.year,
            self.number
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> (String, u16, u32) {
        let d = DocNo::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        (d.agency, d.year, d.number)
    }

    #[test]
    fn every_bracket_in_the_wild() {
        let want = ("武科发".to_owned(), 2023, 12);
        for s in [
            "武科发〔2023〕12号",
            "武科发[2023]12号",
            "武科发【2023】12号",
            "武科发(2023)12号",
            "武科发（2023）12号",
            "武科发［2023］12号",
            "武科发﹝2023﹞12号",
            "武科发〖2023〗12号",
            "武科发2023年12号",
            "武科发〔２０２３〕１２号",
            " 武科发 〔2023〕 第12号 ",
            "武科发　〔2023〕012号",
            "武科发〔2023〕12",
            "武科发〔2023〕12號",
        ] {
            assert_eq!(parts(s), want, "{s:?}");
        }
        assert_eq!(parts("甘政办发〔2019〕61号").0, "甘政办发");
        assert_eq!(parts("国办公开办函〔2021〕30号").2, 30);
    }

    #[test]
    fn display_is_the_standard_form() {
        assert_eq!(
            DocNo::parse("武科字[2020]4号").unwrap().to_string(),
            "武科字〔2020〕4号"
        );
    }

    #[test]
    fn malformed_ones_say_what_is_missing() {
        for (s, e) in [
            ("", DocNoError::Empty),
            ("  ", DocNoError::Empty),
            ("〔2023〕12号", DocNoError::NoAgency),
            ("武科发12号", DocNoError::NoYear),
            ("武科发〔23〕12号", DocNoError::NoYear),
            ("武科发〔2023 12号", DocNoError::NoYear),
            ("武科发 2023 12", DocNoError::NoYear),
            ("武科发〔1850〕12号", DocNoError::Year(1850)),
            ("武科发〔2023〕号", DocNoError::NoNumber),
            ("武科发〔2023〕0号", DocNoError::Number("0".into())),
            (
                "武科发〔2023〕12345678号",
                DocNoError::Number("12345678".into()),
            ),
            (
                "武科发〔2023〕12号文件",
                DocNoError::Trailing("文件".into()),
            ),
            ("无", DocNoError::NoYear),
        ] {
            assert_eq!(DocNo::parse(s), Err(e.clone()), "{s:?}");
            assert!(e.to_string().len() > 10, "{e}");
        }
    }

    #[test]
    fn queries_in_every_common_form() {
        let full = DocNoQuery {
            agency: Some("武科发".into()),
            year: 2023,
            number: 12,
        };
        let bare = DocNoQuery {
            agency: None,
            year: 2023,
            number: 12,
        };
        for (s, want) in [
            ("武科发〔2023〕12号", &full),
            ("武科发[2023]12号", &full),
            ("武科发 2023 12", &full),
            ("武科发2023-12", &full),
            ("武科发 2023年 12号", &full),
            ("〔2023〕12号", &bare),
            ("[2023]12", &bare),
            ("2023年12号", &bare),
            ("２０２３年第１２号", &bare),
        ] {
            assert_eq!(DocNoQuery::parse(s).as_ref(), Some(want), "{s:?}");
        }
        for s in [
            "",
            "科技活动周",
            "2023 12",
            "2023",
            "武科发",
            "武科发〔2023〕",
            "12号",
            "武科发〔2023〕12号 通知",
        ] {
            assert_eq!(DocNoQuery::parse(s), None, "{s:?}");
        }
    }

    #[test]
    fn ranking_puts_the_very_document_first() {
        let q = DocNoQuery::parse("武科发〔2023〕12号").unwrap();
        assert_eq!(q.rank("武科发", 2023, 12), Some(DocNoMatch::Full));
        assert_eq!(q.rank("武科字", 2023, 12), Some(DocNoMatch::YearAndNumber));
        assert_eq!(q.rank("武科发", 2023, 13), None);
        assert_eq!(q.rank("武科发", 2022, 12), None);
        assert!(DocNoMatch::Full < DocNoMatch::YearAndNumber);
        let hant = DocNoQuery::parse("武科發〔2023〕12號").unwrap();
        assert_eq!(hant.rank("武科發", 2023, 12), Some(DocNoMatch::Full));
        assert_eq!(hant.to_string(), "武科發〔2023〕12号");
        assert_eq!(
            DocNoQuery::parse("2023年12号").unwrap().to_string(),
            "〔2023〕12号"
        );
    }
}
