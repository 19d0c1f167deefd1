//! The personal-data gate (feature `build`): 居民身份证号码, mobile numbers
//! and bank card numbers in what a feed would publish.
//!
//! [`scan_feed`] looks at every item's title, summary, body text (also
//! inside tables; never tags or attributes) and attachment titles with the
//! matcher of [`detect`]. A [`Finding`] never holds the whole number: only
//! its masked form and a SHA-256 digest, which an [`AllowList`] (the file
//! of `--allow-pii`) names to acknowledge a number that is meant to be
//! published. [`redact_feed`] masks every other finding in the feed model
//! itself, before any output is derived from it (`docs/compliance.md`).
//!
//! ```
//! use gongkai_core::pii::{mask, scan_text, PiiKind};
//! let m = scan_text("联系电话：138 1234 5678");
//! assert_eq!(m[0].kind, PiiKind::Mobile);
//! assert_eq!(mask(m[0].kind, &m[0].digits), "138****5678");
//! assert!(scan_text("电话：0938-3421234，索引号 kjj1/2023-00026").is_empty());
//! ```

pub mod detect;

pub use detect::{scan_html, scan_text, Match};

use crate::feed::{Feed, Item};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

/// What kind of personal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PiiKind {
    /// 居民身份证号码 (GB 11643), 18 characters or the old 15 digits.
    IdCard,
    /// A mobile number, `1[3-9]` and nine digits.
    Mobile,
    /// A bank card number, 16 to 19 digits passing the Luhn check.
    BankCard,
}

impl PiiKind {
    /// Every kind.
    pub const ALL: [PiiKind; 3] = [PiiKind::IdCard, PiiKind::Mobile, PiiKind::BankCard];

    /// The name in an allow file and in JSON: `id-card`, `mobile`, `bank-card`.
    pub fn as_str(self) -> &'static str {
        match self {
            PiiKind::IdCard => "id-card",
            PiiKind::Mobile => "mobile",
            PiiKind::BankCard => "bank-card",
        }
    }

    /// The name people use: 居民身份证号码, 手机号码, 银行卡号.
    pub fn label(self) -> &'static str {
        match self {
            PiiKind::IdCard => "居民身份证号码",
            PiiKind::Mobile => "手机号码",
            PiiKind::BankCard => "银行卡号",
        }
    }

    /// Which characters of a number of `len` characters a mask hides: an ID
    /// keeps its first 6 and last 4, a mobile its first 3 and last 4, a card
    /// its last 4.
    pub fn masked_positions(self, len: usize) -> std::ops::Range<usize> {
        match self {
            PiiKind::IdCard => 6..len.saturating_sub(4).max(6),
            PiiKind::Mobile => 3..len.saturating_sub(4).max(3),
            PiiKind::BankCard => 0..len.saturating_sub(4),
        }
    }
}

/// Error for an unknown kind name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind {0:?}: expected id-card, mobile or bank-card")]
pub struct UnknownPiiKind(pub String);

impl FromStr for PiiKind {
    type Err = UnknownPiiKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PiiKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownPiiKind(s.to_owned()))
    }
}

impl fmt::Display for PiiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `digits` with the characters a mask hides replaced by `*`.
pub fn mask(kind: PiiKind, digits: &str) -> String {
    let hidden = kind.masked_positions(digits.chars().count());
    digits
        .chars()
        .enumerate()
        .map(|(i, c)| if hidden.contains(&i) { '*' } else { c })
        .collect()
}

/// The SHA-256 of a number's digits (ASCII, a final `X` upper case), in
/// hex: what an allow file names.
pub fn digest(digits: &str) -> String {
    let hash = Sha256::digest(digits.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// One personal number found in a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 0-based position of the item in the feed.
    pub item: usize,
    /// The item's id.
    pub id: String,
    /// The field: `title`, `summary`, `content_html`, `content_text`,
    /// `attachments[0].title`.
    pub field: String,
    /// What it is.
    pub kind: PiiKind,
    /// Where it starts in the field, in characters from 1.
    pub position: usize,
    /// The number masked, e.g. `620524********123X`.
    pub masked: String,
    /// [`digest`] of the number.
    pub hash: String,
}

impl Finding {
    /// The line of an allow file that acknowledges this number in this item.
    pub fn allow_line(&self) -> String {
        format!("{}\t{}\t{}", self.id, self.kind, self.hash)
    }
}

impl fmt::Display for Finding {
    /// `items[3] (id "x"): content_html: 居民身份证号码 at character 120: 620524********123X`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "items[{}] (id {:?}): {}: {} at character {}: {}",
            self.item,
            self.id,
            self.field,
            self.kind.label(),
            self.position,
            self.masked
        )
    }
}

/// The numbers acknowledged as meant to be published: the file of
/// `--allow-pii`. One entry a line, `item id`, `kind` and the number's
/// [`digest`], separated by tabs or spaces; blank lines and lines starting
/// with `#` are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList {
    entries: HashSet<(String, PiiKind, String)>,
}

/// A line of an allow file that does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct AllowError {
    /// From 1.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl AllowList {
    /// Reads an allow file; `Err` names the first line that does not read.
    pub fn parse(text: &str) -> Result<AllowList, AllowError> {
        let mut entries = HashSet::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |message: String| AllowError {
                line: n + 1,
                message,
            };
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [id, kind, hash] = fields[..] else {
                return Err(err(format!(
                    "expected three fields (item id, kind, sha256 of the digits), found {}",
                    fields.len()
                )));
            };
            let kind: PiiKind = kind
                .parse()
                .map_err(|e: UnknownPiiKind| err(e.to_string()))?;
            if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(err(format!(
                    "{hash:?} is not a SHA-256 in hex (64 characters): copy the line gongkai printed"
                )));
            }
            entries.insert((id.to_owned(), kind, hash.to_ascii_lowercase()));
        }
        Ok(AllowList { entries })
    }

    /// Whether `f` is acknowledged.
    pub fn allows(&self, f: &Finding) -> bool {
        self.entries
            .contains(&(f.id.clone(), f.kind, f.hash.clone()))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the list has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A scanned field of an item: its name, text, and whether it is HTML.
struct Field<'a> {
    name: String,
    text: &'a str,
    html: bool,
}

/// The fields of `item` that are published as text.
fn fields(item: &Item) -> Vec<Field<'_>> {
    let mut out = vec![Field {
        name: "title".to_owned(),
        text: &item.title,
        html: false,
    }];
    if let Some(s) = &item.summary {
        out.push(Field {
            name: "summary".to_owned(),
            text: s,
            html: false,
        });
    }
    if let Some(s) = &item.content_html {
        out.push(Field {
            name: "content_html".to_owned(),
            text: s,
            html: true,
        });
    }
    if let Some(s) = &item.content_text {
        out.push(Field {
            name: "content_text".to_owned(),
            text: s,
            html: false,
        });
    }
    for (i, a) in item.attachments.iter().enumerate() {
        if let Some(t) = &a.title {
            out.push(Field {
                name: format!("attachments[{i}].title"),
                text: t,
                html: false,
            });
        }
    }
    out
}

fn scan_field(field: &Field<'_>) -> Vec<Match> {
    if field.html {
        scan_html(field.text)
    } else {
        scan_text(field.text)
    }
}

fn finding(index: usize, item: &Item, field: &Field<'_>, m: &Match) -> Finding {
    Finding {
        item: index,
        id: item.id.clone(),
        field: field.name.clone(),
        kind: m.kind,
        position: field.text[..m.start()].chars().count() + 1,
        masked: mask(m.kind, &m.digits),
        hash: digest(&m.digits),
    }
}

/// Every personal number in the feed, in item and field order.
pub fn scan_feed(feed: &Feed) -> Vec<Finding> {
    feed.items
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, item)| scan_item(i, item))
        .collect()
}

/// Every personal number in `item`, item `index` of its feed, in field
/// order: [`scan_feed`] of one item, for a feed read item by item.
pub fn scan_item(index: usize, item: &Item) -> Vec<Finding> {
    fields(item)
        .iter()
        .flat_map(|f| {
            scan_field(f)
                .iter()
                .map(|m| finding(index, item, f, m))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `src` with the hidden characters of each match in `matches` replaced by
/// `*` (`＊` for a full-width digit); separators and the kept characters
/// stay as they are.
pub fn redact_str(src: &str, matches: &[&Match]) -> String {
    let mut cuts: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    for m in matches {
        let hidden = m.kind.masked_positions(m.units.len());
        for r in &m.units[hidden] {
            let wide = src[r.clone()]
                .chars()
                .next()
                .is_some_and(|c| ('０'..='ｚ').contains(&c));
            cuts.push((r.clone(), if wide { "＊" } else { "*" }));
        }
    }
    cuts.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(src.len());
    let mut at = 0;
    for (r, star) in cuts {
        if r.start < at {
            continue;
        }
        out.push_str(&src[at..r.start]);
        out.push_str(star);
        at = r.end;
    }
    out.push_str(&src[at..]);
    out
}

/// How many numbers [`redact_feed`] masked, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Redacted {
    /// 居民身份证号码.
    pub id_cards: usize,
    /// Mobile numbers.
    pub mobiles: usize,
    /// Bank card numbers.
    pub bank_cards: usize,
}

impl Redacted {
    /// Both counts added.
    pub fn plus(self, b: Redacted) -> Redacted {
        Redacted {
            id_cards: self.id_cards + b.id_cards,
            mobiles: self.mobiles + b.mobiles,
            bank_cards: self.bank_cards + b.bank_cards,
        }
    }

    /// All of them.
    pub fn total(&self) -> usize {
        self.id_cards + self.mobiles + self.bank_cards
    }

    fn add(&mut self, kind: PiiKind) {
        match kind {
            PiiKind::IdCard => self.id_cards += 1,
            PiiKind::Mobile => self.mobiles += 1,
            PiiKind::BankCard => self.bank_cards += 1,
        }
    }
}

/// Masks every personal number in the feed that `allow` does not
/// acknowledge, in place, in every scanned field.
pub fn redact_feed(feed: &mut Feed, allow: &AllowList) -> Redacted {
    let counts: Vec<Redacted> = feed
        .items
        .par_iter_mut()
        .enumerate()
        .map(|(i, item)| redact_item(i, item, allow))
        .collect();
    counts.into_iter().fold(Redacted::default(), Redacted::plus)
}

/// [`redact_feed`] of one item, item `index` of its feed.
pub fn redact_item(index: usize, item: &mut Item, allow: &AllowList) -> Redacted {
    let mut count = Redacted::default();
    // Masked texts by field name, computed from the unchanged item.
    let masked: Vec<(String, String)> = fields(item)
        .iter()
        .filter_map(|f| {
            let matches = scan_field(f);
            let hide: Vec<&Match> = matches
                .iter()
                .filter(|m| !allow.allows(&finding(index, item, f, m)))
                .collect();
            if hide.is_empty() {
                return None;
            }
            for m in &hide {
                count.add(m.kind);
            }
            Some((f.name.clone(), redact_str(f.text, &hide)))
        })
        .collect();
    for (name, text) in masked {
        let slot = match name.as_str() {
            "title" => &mut item.title,
            "summary" => item.summary.as_mut().expect("scanned"),
            "content_html" => item.content_html.as_mut().expect("scanned"),
            "content_text" => item.content_text.as_mut().expect("scanned"),
            other => {
                let i: usize = other
                    .strip_prefix("attachments[")
                    .and_then(|r| r.split_once(']'))
                    .and_then(|(n, _)| n.parse().ok())
                    .expect("the only other field");
                item.attachments[i].title.as_mut().expect("scanned")
            }
        };
        *slot = text;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::check;
    use serde_json::json;

    fn feed() -> Feed {
        let v = json!({
            "version": "https://jsonfeed.org/version/1.1", "title": "t",
            "_gov": {"site_name": "s", "department": "d", "columns": [{"id": "tzgg", "name": "通知公告"}],
                     "login_url": "https://x.cn/l", "register_url": "https://x.cn/r"},
            "items": [{
                "id": "a-1",
                "title": "补贴名单（联系电话１５９０９３８１２３４）",
                "summary": "联系人：138 1234 5678",
                "content_html": "<table><tr><td>王某</td><td>620524198511020047</td><td>6228480402564890018</td></tr></table>",
                "date_published": "2025-06-10T09:30:00+08:00",
                "attachments": [{"url": "https://x.cn/a.xls", "mime_type": "application/vnd.ms-excel", "title": "名单13993812345.xls"}],
                "_gov": {"index_no": "kjj1/2025-00021", "publisher": "科技局", "category": "tzgg"}
            }]
        });
        check(&v.to_string()).feed.unwrap()
    }

    #[test]
    fn findings_name_field_position_and_mask_only() {
        let found: Vec<String> = scan_feed(&feed()).iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "items[0] (id \"a-1\"): title: 手机号码 at character 10: 159****1234",
                "items[0] (id \"a-1\"): summary: 手机号码 at character 5: 138****5678",
                "items[0] (id \"a-1\"): content_html: 居民身份证号码 at character 27: 620524********0047",
                "items[0] (id \"a-1\"): content_html: 银行卡号 at character 54: ***************0018",
                "items[0] (id \"a-1\"): attachments[0].title: 手机号码 at character 3: 139****2345",
            ]
        );
        let f = &scan_feed(&feed())[2];
        assert_eq!(f.hash, digest("620524198511020047"));
        assert_eq!(f.allow_line(), format!("a-1\tid-card\t{}", f.hash));
    }

    #[test]
    fn redaction_masks_in_place_and_keeps_acknowledged_numbers() {
        let mut feed = feed();
        let id = scan_feed(&feed)[2].allow_line();
        let allow = AllowList::parse(&format!("# comment\n\n{id}\n")).unwrap();
        assert_eq!(allow.len(), 1);
        let r = redact_feed(&mut feed, &allow);
        assert_eq!(
            (r.id_cards, r.mobiles, r.bank_cards, r.total()),
            (0, 3, 1, 4)
        );
        let item = &feed.items[0];
        assert_eq!(item.title, "补贴名单（联系电话１５９＊＊＊＊１２３４）");
        assert_eq!(item.summary.as_deref(), Some("联系人：138 **** 5678"));
        assert_eq!(
            item.content_html.as_deref(),
            Some("<table><tr><td>王某</td><td>620524198511020047</td><td>***************0018</td></tr></table>")
        );
        assert_eq!(
            item.attachments[0].title.as_deref(),
            Some("名单139****2345.xls")
        );
        // Once masked, nothing is left to find but the acknowledged number.
        let left = scan_feed(&feed);
        assert_eq!(left.len(), 1);
        assert!(allow.allows(&left[0]));
    }

    #[test]
    fn allow_files_name_the_line_that_does_not_read() {
        for (text, message) in [
            ("a-1 id-card", "line 1: expected three fields (item id, kind, sha256 of the digits), found 2"),
            ("\n# x\na-1 passport 00", "line 3: unknown kind \"passport\": expected id-card, mobile or bank-card"),
            ("a-1 mobile abc", "line 1: \"abc\" is not a SHA-256 in hex (64 characters): copy the line gongkai printed"),
        ] {
            assert_eq!(AllowList::parse(text).unwrap_err().to_string(), message, "{text:?}");
        }
    }

    #[test]
    fn masks_keep_what_the_rules_say() {
        assert_eq!(
            mask(PiiKind::IdCard, "62052419900315123X"),
            "620524********123X"
        );
        assert_eq!(mask(PiiKind::IdCard, "620524650315123"), "620524*****5123");
        assert_eq!(mask(PiiKind::Mobile, "13812345678"), "138****5678");
        assert_eq!(
            mask(PiiKind::BankCard, "4367421234567896"),
            "************7896"
        );
        for k in PiiKind::ALL {
            assert_eq!(k.as_str().parse::<PiiKind>(), Ok(k));
        }
    }
}
