//! Feed validation that reports every problem at once.
//!
//! Typed deserialisation stops at the first error, so [`check`] walks the
//! `serde_json::Value` field by field, collects [`Diagnostic`]s, and only
//! deserialises into [`Feed`] when there is no error.
//!
//! Locations use 0-based JSON paths: `items[0]` is the first item, and a
//! diagnostic about an item also names its `id` when the item has one.
//!
//! ```
//! let report = gongkai_core::validate::check("[]");
//! assert!(report.feed.is_none());
//! assert_eq!(report.errors[0].to_string(), "error: the feed must be a JSON object, found an array");
//! ```

mod gov;
mod library;
#[cfg(feature = "build")]
mod lines;

#[cfg(feature = "build")]
pub use lines::{check_file, check_lines, check_path, check_source, Checked, Keep};

use crate::bundle::ALL_LIST;
use crate::date::{parse_plain_date, parse_rfc3339};
use crate::feed::{Feed, Validity, JSON_FEED_VERSION};
use crate::html::nesting::{max_depth, MAX_DEPTH};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// The feed cannot be built.
    Error,
    /// The feed builds, but something is probably a mistake.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of problem a diagnostic reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The file is not UTF-8 text (GBK, UTF-16…); where it stops being UTF-8.
    NotUtf8 {
        /// Line, from 1.
        line: usize,
        /// Column in characters, from 1.
        column: usize,
        /// Offset in bytes from the start of the file, from 0.
        byte: usize,
    },
    /// The input is not JSON; 1-based position of the syntax error.
    NotJson {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
    },
    /// The top level (or an item, author, column, attachment) is not an object.
    NotAnObject,
    /// `version` is not `https://jsonfeed.org/version/1.1`.
    WrongVersion,
    /// A required field is absent.
    MissingField,
    /// A field has the wrong JSON type.
    WrongType,
    /// A required text is empty or blank.
    EmptyValue,
    /// A date is not valid RFC 3339 (or `YYYY-MM-DD` for 成文日期).
    BadDate,
    /// A 索引号 does not match `<organisation code>/<yyyy>-<5 digits>`.
    BadIndexNo,
    /// Two items share an id.
    DuplicateId,
    /// An item id cannot be used as a file name.
    BadId,
    /// A column id is malformed, reserved or repeated.
    BadColumnId,
    /// An item's category is not one of the site's columns.
    UnknownColumn,
    /// A URL is not an absolute HTTP(S) URL.
    BadUrl,
    /// 有效性 is not one of 有效, 已修订, 已废止, 已失效.
    BadValidity,
    /// `size_in_bytes` is not a non-negative integer.
    BadSize,
    /// A body is longer than [`MAX_BODY_BYTES`].
    BodyTooLarge,
    /// A body's elements nest deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A 文种, 发文机关 or 主题分类 is empty or cannot name a page of the
    /// 政策文件库 (it becomes a path segment: `/library/topic/科技`).
    BadFacetValue,
    /// `_gov.relations[].type` is not interprets, amends, repeals or related.
    UnknownRelationType,
    /// `_gov.relations[].id` names no item of the feed.
    UnknownRelationTarget,
    /// A notice names itself in `_gov.relations`.
    SelfRelation,
    /// The same type and id twice in one notice's `_gov.relations`.
    DuplicateRelation,
    /// A repealed notice not marked 已废止/已失效, or an amended one still
    /// marked 有效 (warning).
    RelationValidity,
    /// A 文号 not in the GB/T 9704 form, kept verbatim (warning).
    BadDocNo,
    /// `_gov.apply` names no channel (online, address or e-mail).
    NoApplyChannel,
    /// A 网站标识码 is not 10 digits and capital letters.
    BadSiteCode,
    /// An ICP or 公安机关备案号 is malformed.
    BadFilingNo,
    /// An e-mail address or postcode is malformed.
    BadContact,
    /// A column `kind` is not one of the statutory kinds, or is repeated.
    BadColumnKind,
    /// `max_age_days` or `report_year` is not a whole number in range.
    BadNumber,
    /// An unknown key inside a `_gov` object (warning).
    UnknownGovKey,
    /// The feed has no items (warning).
    EmptyFeed,
    /// `_gov.synonyms` is not a valid synonym table.
    BadSynonyms,
}

impl Kind {
    /// A stable kebab-case name, e.g. for machine-readable output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::NotUtf8 { .. } => "not-utf8",
            Kind::NotJson { .. } => "not-json",
            Kind::NotAnObject => "not-an-object",
            Kind::WrongVersion => "wrong-version",
            Kind::MissingField => "missing-field",
            Kind::WrongType => "wrong-type",
            Kind::EmptyValue => "empty-value",
            Kind::BadDate => "bad-date",
            Kind::BadIndexNo => "bad-index-no",
            Kind::DuplicateId => "duplicate-id",
            Kind::BadId => "bad-id",
            Kind::BadColumnId => "bad-column-id",
            Kind::UnknownColumn => "unknown-column",
            Kind::BadUrl => "bad-url",
            Kind::BadValidity => "bad-validity",
            Kind::BadSize => "bad-size",
            Kind::BodyTooLarge => "body-too-large",
            Kind::TooDeep => "too-deep",
            Kind::BadFacetValue => "bad-facet-value",
            Kind::UnknownRelationType => "unknown-relation-type",
            Kind::UnknownRelationTarget => "unknown-relation-target",
            Kind::SelfRelation => "self-relation",
            Kind::DuplicateRelation => "duplicate-relation",
            Kind::RelationValidity => "relation-validity",
            Kind::BadDocNo => "bad-doc-no",
            Kind::NoApplyChannel => "no-apply-channel",
            Kind::BadSiteCode => "bad-site-code",
            Kind::BadFilingNo => "bad-filing-no",
            Kind::BadContact => "bad-contact",
            Kind::BadColumnKind => "bad-column-kind",
            Kind::BadNumber => "bad-number",
            Kind::UnknownGovKey => "unknown-gov-key",
            Kind::EmptyFeed => "empty-feed",
            Kind::BadSynonyms => "bad-synonyms",
        }
    }
}

/// One problem found in a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What went wrong.
    pub kind: Kind,
    /// 0-based position in `items`, if the problem is inside an item.
    pub item: Option<usize>,
    /// The item's `id`, if it has a string one.
    pub id: Option<String>,
    /// Full JSON path of the field, e.g. `items[3]._gov.index_no`; empty for
    /// the whole document.
    pub path: String,
    /// Human-readable explanation.
    pub message: String,
    /// The line the item starts on, in a JSON Lines feed (where every item
    /// is a line of its own and its index alone is hard to find).
    pub line: Option<u32>,
}

impl Diagnostic {
    /// The path inside the item (`_gov.index_no`), or the full path outside items.
    pub fn field(&self) -> &str {
        match self.item {
            Some(i) => {
                let prefix = format!("items[{i}]");
                let rest = self.path.strip_prefix(&prefix).unwrap_or(&self.path);
                rest.strip_prefix('.').unwrap_or(rest)
            }
            None => &self.path,
        }
    }
}

impl fmt::Display for Diagnostic {
    /// `error: items[3] (id "kjj1-2023-00007"): _gov.index_no: malformed 索引号 …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.severity)?;
        if let Kind::NotUtf8 { line, column, byte } = self.kind {
            return write!(
                f,
                "not UTF-8 at line {line}, column {column} (byte {byte}): {}",
                self.message
            );
        }
        if let Kind::NotJson { line, column } = self.kind {
            return write!(
                f,
                "not valid JSON at line {line}, column {column}: {}",
                self.message
            );
        }
        if let Some(line) = self.line {
            write!(f, "line {line}, ")?;
        }
        if let Some(i) = self.item {
            write!(f, "items[{i}]")?;
            if let Some(id) = &self.id {
                write!(f, " (id {id:?})")?;
            }
            f.write_str(": ")?;
        }
        let field = self.field();
        if !field.is_empty() {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// The outcome of [`check`].
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The parsed feed, present exactly when there are no errors.
    pub feed: Option<Feed>,
    /// Problems that prevent building.
    pub errors: Vec<Diagnostic>,
    /// Problems that do not.
    pub warnings: Vec<Diagnostic>,
    /// Number of entries in `items` (0 if it is not an array).
    pub item_count: usize,
}

impl Report {
    /// Whether the feed has no errors.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Why a reserved name is refused, for messages.
const RESERVED: &str = "Windows reserves CON, PRN, AUX, NUL, COM0-COM9 and LPT0-LPT9 in any case, also with an extension (con.json), so the site could not be copied to or built on Windows";

/// Keys the site `_gov` object may have.
pub const SITE_GOV_KEYS: [&str; 9] = [
    "site_name",
    "department",
    "section",
    "columns",
    "login_url",
    "register_url",
    "synonyms",
    "apply",
    "footer",
];

/// Keys an item `_gov` object may have.
pub const ITEM_GOV_KEYS: [&str; 13] = [
    "index_no",
    "publisher",
    "source",
    "doc_no",
    "written_date",
    "category",
    "keywords",
    "validity",
    "doc_type",
    "issuer",
    "topics",
    "relations",
    "report_year",
];

/// The longest `content_html` or `content_text` accepted, in bytes (2 MiB):
/// a 年报 with large tables runs to a few hundred KB.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Validates a feed file's bytes: UTF-8, with or without a byte order mark
/// (Windows Notepad writes one). Anything else (UTF-16, GBK) is one
/// [`Kind::NotUtf8`] error saying where and how to re-save the file.
pub fn check_bytes(bytes: &[u8]) -> Report {
    match feed_text(bytes) {
        Ok(text) => check(text),
        Err(kind_message) => {
            let mut c = Checker::default();
            let (kind, message) = kind_message;
            c.push(Severity::Error, kind, String::new(), message);
            c.into_report(None, 0)
        }
    }
}

/// The text of a feed file: UTF-8 without its byte order mark, or the
/// [`Kind::NotUtf8`] error and its message.
fn feed_text(bytes: &[u8]) -> Result<&str, (Kind, String)> {
    if let Some(wide) = wide_encoding(bytes) {
        return Err(wide);
    }
    // A UTF-8 byte order mark is U+FEFF, which `check` skips.
    std::str::from_utf8(bytes).map_err(|e| not_utf8(bytes, e.valid_up_to()))
}

/// The [`Kind::NotUtf8`] error of a file whose first bytes say it is
/// UTF-16 or UTF-32.
fn wide_encoding(bytes: &[u8]) -> Option<(Kind, String)> {
    let at_start = Kind::NotUtf8 {
        line: 1,
        column: 1,
        byte: 0,
    };
    let save_as = "save it as UTF-8 (Notepad: 另存为, 编码 UTF-8)";
    let wide = |what: &str| {
        Some((
            at_start,
            format!("the file is {what}, not UTF-8: {save_as}"),
        ))
    };
    // Byte order marks, then JSON's ASCII first characters (RFC 4627, 3).
    match bytes {
        [0, 0, 0xFE, 0xFF, ..] => wide("UTF-32 (big-endian, byte order mark 00 00 FE FF)"),
        [0xFF, 0xFE, 0, 0, ..] => wide("UTF-32 (little-endian, byte order mark FF FE 00 00)"),
        [0xFE, 0xFF, ..] => wide("UTF-16 (big-endian, byte order mark FE FF)"),
        [0xFF, 0xFE, ..] => wide("UTF-16 (little-endian, byte order mark FF FE)"),
        [0, 0, 0, _, ..] => wide("UTF-32 (big-endian)"),
        [_, 0, 0, 0, ..] => wide("UTF-32 (little-endian)"),
        [0, _, 0, _, ..] => wide("UTF-16 (big-endian)"),
        [_, 0, _, 0, ..] => wide("UTF-16 (little-endian)"),
        _ => None,
    }
}

/// The error for a file that stops being UTF-8 at `byte`.
fn not_utf8(bytes: &[u8], byte: usize) -> (Kind, String) {
    let before = std::str::from_utf8(&bytes[..byte]).expect("valid up to here");
    // Columns as an editor shows them: without the byte order mark.
    let before = before.strip_prefix('\u{FEFF}').unwrap_or(before);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_text = &before[line_start..];
    let column = line_text.chars().count() + 1;
    let shown: Vec<String> = bytes[byte..]
        .iter()
        .take(4)
        .map(|b| format!("{b:02X}"))
        .collect();
    let context: String = {
        let tail: Vec<char> = line_text.trim_start().chars().rev().take(24).collect();
        tail.into_iter().rev().collect()
    };
    // GBK / GB18030 double-byte characters: lead 81-FE, trail 40-FE but 7F.
    let gbk = matches!(bytes[byte..], [0x81..=0xFE, 0x40..=0x7E | 0x80..=0xFE, ..]);
    let guess = if gbk {
        "; it looks like GBK/GB18030, the usual encoding of Chinese Windows programs"
    } else {
        ""
    };
    let kind = Kind::NotUtf8 {
        line: before.matches('\n').count() + 1,
        column,
        byte,
    };
    (
        kind,
        format!(
            "bytes {} after {} are not UTF-8{guess}: save the file as UTF-8 (Notepad: 另存为, 编码 UTF-8; iconv -f GB18030 -t UTF-8)",
            shown.join(" "),
            quote(&context)
        ),
    )
}

/// Validates a feed given as JSON text and reports every problem found. A
/// leading byte order mark (U+FEFF) is ignored, as RFC 8259 allows.
pub fn check(json: &str) -> Report {
    let json = json.strip_prefix('\u{FEFF}').unwrap_or(json);
    let value: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => {
            let mut c = Checker::default();
            c.push(
                Severity::Error,
                Kind::NotJson {
                    line: e.line(),
                    column: e.column(),
                },
                String::new(),
                serde_message(&e),
            );
            return c.into_report(None, 0);
        }
    };
    check_value(value)
}

/// Validates an already parsed JSON value; see [`check`].
pub fn check_value(value: Value) -> Report {
    let mut c = Checker::default();
    let Some(obj) = value.as_object() else {
        c.err(
            Kind::NotAnObject,
            "",
            format!(
                "the feed must be a JSON object, found {}",
                type_name(&value)
            ),
        );
        return c.into_report(None, 0);
    };
    let item_count = obj
        .get("items")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    c.top(obj);
    if !c.errors.is_empty() {
        return c.into_report(None, item_count);
    }
    match serde_json::from_value::<Feed>(value) {
        Ok(feed) => c.into_report(Some(feed), item_count),
        Err(e) => {
            c.model_error(&e.to_string());
            c.into_report(None, item_count)
        }
    }
}

/// Why a string is not a usable absolute HTTP(S) URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProblem {
    /// It does not start with `http://` or `https://` and a host.
    NotHttp,
    /// A character that a URL must carry percent-encoded (the WHATWG URL
    /// standard's and RFC 3986's set: controls, spaces, `"` `<` `>` `\`
    /// `^` `` ` `` `{` `|` `}`); `at` counts characters from 1. Written as
    /// is, it breaks the canonical links, the sitemap and robots.txt.
    Unencoded {
        /// The character.
        ch: char,
        /// Its position in the URL, in characters from 1.
        at: usize,
    },
}

impl fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            UrlProblem::NotHttp => f.write_str("not an absolute HTTP(S) URL"),
            UrlProblem::Unencoded { ch, at } => {
                let mut buf = [0; 4];
                let encoded: String = ch
                    .encode_utf8(&mut buf)
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect();
                write!(
                    f,
                    "{ch:?} (U+{:04X}) at character {at} must be percent-encoded as {encoded}",
                    ch as u32
                )
            }
        }
    }
}

/// Characters a URL must not hold as they are.
fn must_be_encoded(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
}

/// What is wrong with `s` as an absolute `http://` or `https://` URL with
/// a host, or `None`. Non-ASCII characters (`http://中国.cn/公开`) are fine.
pub fn url_problem(s: &str) -> Option<UrlProblem> {
    let has_prefix = |p: &str| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    let rest = if has_prefix("https://") {
        &s[8..]
    } else if has_prefix("http://") {
        &s[7..]
    } else {
        return Some(UrlProblem::NotHttp);
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if rest[..host_end].is_empty() {
        return Some(UrlProblem::NotHttp);
    }
    s.chars()
        .position(must_be_encoded)
        .map(|i| UrlProblem::Unencoded {
            ch: s.chars().nth(i).expect("found above"),
            at: i + 1,
        })
}

/// Whether `s` is an absolute `http://` or `https://` URL with a host and
/// nothing left unencoded ([`url_problem`]).
pub fn is_http_url(s: &str) -> bool {
    url_problem(s).is_none()
}

/// Whether `s` is a well-formed 索引号: `^[A-Za-z0-9]+/\d{4}-\d{5}$`.
pub fn is_index_no(s: &str) -> bool {
    let Some((org, rest)) = s.split_once('/') else {
        return false;
    };
    let b = rest.as_bytes();
    !org.is_empty()
        && org.bytes().all(|c| c.is_ascii_alphanumeric())
        && b.len() == 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..].iter().all(u8::is_ascii_digit)
}

/// Whether `s` can be an item id: `[A-Za-z0-9._-]{1,80}`, not starting or
/// ending with `.` (Windows drops a trailing dot from a directory name),
/// and not a name Windows reserves ([`is_windows_reserved`]). Ids that
/// differ only in case are the same file on Windows and macOS: `check`
/// refuses those pairs too.
pub fn is_item_id(s: &str) -> bool {
    item_id_chars(s) && !is_windows_reserved(s)
}

fn item_id_chars(s: &str) -> bool {
    (1..=80).contains(&s.len())
        && !s.starts_with('.')
        && !s.ends_with('.')
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// Whether `s` can be a column id: `[a-z0-9-]{1,40}`, not a name Windows
/// reserves ([`is_windows_reserved`]).
pub fn is_column_id(s: &str) -> bool {
    column_id_chars(s) && !is_windows_reserved(s)
}

fn column_id_chars(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// Whether a file named `name` cannot exist on Windows: the device names
/// `CON`, `PRN`, `AUX`, `NUL`, `COM0`-`COM9` and `LPT0`-`LPT9`, in any case,
/// also followed by an extension (`con.json`, `Nul.tar.gz`), which Windows
/// reserves in every directory.
pub fn is_windows_reserved(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    match base.as_bytes() {
        b"CON" | b"PRN" | b"AUX" | b"NUL" => true,
        [b'C', b'O', b'M', d] | [b'L', b'P', b'T', d] => d.is_ascii_digit(),
        _ => false,
    }
}

/// serde's message without its own "at line 1 column 5": the caller says
/// where, in the file's own lines (a feed item or a JSON Lines line is
/// parsed on its own, so serde's position is not the file's).
pub(crate) fn serde_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Shortens long values quoted in messages.
fn quote(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() > MAX {
        let cut: String = s.chars().take(MAX).collect();
        format!("\"{}…\"", cut.escape_debug())
    } else {
        format!("{s:?}")
    }
}

/// What the checks across items keep of the items read so far.
#[derive(Default)]
struct Items {
    /// Ids by their lower-case form: first position and id as written.
    ids: HashMap<String, (usize, String)>,
    /// Each item's id and 有效性, for the relation targets.
    targets: Vec<library::Target>,
}

#[derive(Default)]
struct Checker {
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// The item being checked: position and id.
    item: Option<(usize, Option<String>)>,
    /// Every well-formed relation seen, checked against the ids once all
    /// items have been read (validate/library.rs).
    links: Vec<library::Link>,
}

impl Checker {
    fn into_report(self, feed: Option<Feed>, item_count: usize) -> Report {
        Report {
            feed,
            errors: self.errors,
            warnings: self.warnings,
            item_count,
        }
    }

    fn push(&mut self, severity: Severity, kind: Kind, path: String, message: String) {
        let (item, id) = match &self.item {
            Some((i, id)) => (Some(*i), id.clone()),
            None => (None, None),
        };
        let d = Diagnostic {
            severity,
            kind,
            item,
            id,
            path,
            message,
            line: None,
        };
        match severity {
            Severity::Error => self.errors.push(d),
            Severity::Warning => self.warnings.push(d),
        }
    }

    /// A rule this module does not check yet: said rather than a panic.
    fn model_error(&mut self, e: &str) {
        self.err(
            Kind::WrongType,
            "",
            format!("the feed does not match the model: {e}"),
        );
    }

    fn err(&mut self, kind: Kind, path: &str, message: String) {
        self.push(Severity::Error, kind, path.to_owned(), message);
    }

    fn warn(&mut self, kind: Kind, path: &str, message: String) {
        self.push(Severity::Warning, kind, path.to_owned(), message);
    }

    fn wrong_type(&mut self, path: &str, expected: &str, v: &Value) {
        self.err(
            Kind::WrongType,
            path,
            format!("expected {expected}, found {}", type_name(v)),
        );
    }

    /// A required string; reports missing, wrong type, and blank values.
    fn req_str<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        base: &str,
        key: &str,
    ) -> Option<&'v str> {
        let path = join(base, key);
        match obj.get(key) {
            None | Some(Value::Null) => {
                self.err(
                    Kind::MissingField,
                    &path,
                    format!("required field {key:?} is missing"),
                );
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                self.err(
                    Kind::EmptyValue,
                    &path,
                    format!("{key:?} must not be empty"),
                );
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(v) => {
                self.wrong_type(&path, "a string", v);
                None
            }
        }
    }

    /// An optional string: absent and `null` are fine.
    fn opt_str<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        base: &str,
        key: &str,
    ) -> Option<&'v str> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(v) => {
                self.wrong_type(&join(base, key), "a string", v);
                None
            }
        }
    }

    fn url(&mut self, path: &str, s: &str) {
        match url_problem(s) {
            None => {}
            Some(p @ UrlProblem::NotHttp) => {
                self.err(Kind::BadUrl, path, format!("{p}: {}", quote(s)))
            }
            Some(p) => self.err(Kind::BadUrl, path, format!("URL {}: {p}", quote(s))),
        }
    }

    fn req_url(&mut self, obj: &Map<String, Value>, base: &str, key: &str) {
        if let Some(s) = self.req_str(obj, base, key) {
            self.url(&join(base, key), s);
        }
    }

    fn opt_url(&mut self, obj: &Map<String, Value>, base: &str, key: &str) {
        if let Some(s) = self.opt_str(obj, base, key) {
            self.url(&join(base, key), s);
        }
    }

    /// An optional array; `null` is rejected because the model has no null lists.
    fn opt_array<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        base: &str,
        key: &str,
    ) -> Option<&'v [Value]> {
        match obj.get(key) {
            None => None,
            Some(Value::Array(a)) => Some(a),
            Some(v) => {
                self.wrong_type(&join(base, key), "an array", v);
                None
            }
        }
    }

    fn string_array(&mut self, obj: &Map<String, Value>, base: &str, key: &str) {
        if let Some(a) = self.opt_array(obj, base, key) {
            for (i, v) in a.iter().enumerate() {
                if !v.is_string() {
                    self.wrong_type(&format!("{}[{i}]", join(base, key)), "a string", v);
                }
            }
        }
    }

    fn object<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(o) => Some(o),
            other => {
                self.err(
                    Kind::NotAnObject,
                    path,
                    format!("{what} must be an object, found {}", type_name(other)),
                );
                None
            }
        }
    }

    fn unknown_gov_keys(&mut self, gov: &Map<String, Value>, base: &str, known: &[&str]) {
        for key in gov.keys() {
            if !known.contains(&key.as_str()) {
                self.warn(
                    Kind::UnknownGovKey,
                    &join(base, key),
                    format!("unknown key {key:?} in _gov (kept, but the app ignores it); known keys: {}", known.join(", ")),
                );
            }
        }
    }

    fn top(&mut self, obj: &Map<String, Value>) {
        let columns = self.head(obj);
        match obj.get("items") {
            None => self.err(
                Kind::MissingField,
                "items",
                "required field \"items\" is missing".to_owned(),
            ),
            Some(Value::Array(items)) => {
                if items.is_empty() {
                    self.empty_feed();
                }
                let mut seen = Items::default();
                for (i, v) in items.iter().enumerate() {
                    self.next_item(&mut seen, i, v, columns.as_deref());
                }
                self.relation_targets(&seen.targets);
            }
            Some(v) => self.wrong_type("items", "an array", v),
        }
    }

    /// The feed has no items.
    fn empty_feed(&mut self) {
        self.warn(Kind::EmptyFeed, "items", "the feed has no items".to_owned());
    }

    /// The top-level fields but `items`; returns the valid column ids, as
    /// [`Checker::site_gov`].
    fn head(&mut self, obj: &Map<String, Value>) -> Option<Vec<String>> {
        match obj.get("version") {
            None => self.err(
                Kind::MissingField,
                "version",
                format!("required field \"version\" is missing: use {JSON_FEED_VERSION:?}"),
            ),
            Some(Value::String(s)) if s == JSON_FEED_VERSION => {}
            Some(Value::String(s)) => self.err(
                Kind::WrongVersion,
                "version",
                format!(
                    "unsupported version {}: expected {JSON_FEED_VERSION:?}",
                    quote(s)
                ),
            ),
            Some(v) => self.wrong_type("version", "a string", v),
        }
        self.req_str(obj, "", "title");
        self.opt_str(obj, "", "description");
        self.opt_str(obj, "", "language");
        self.opt_url(obj, "", "home_page_url");
        self.opt_url(obj, "", "feed_url");

        match obj.get("_gov") {
            None => {
                self.err(Kind::MissingField, "_gov", "required field \"_gov\" is missing: the site's name, department, columns and login URLs".to_owned());
                None
            }
            Some(v) => self
                .object(v, "_gov", "_gov")
                .and_then(|gov| self.site_gov(gov)),
        }
    }

    /// Item `i` of the feed: its own fields, then its id against the ids
    /// before it; what the relation check needs is kept in `seen`.
    fn next_item(&mut self, seen: &mut Items, i: usize, v: &Value, columns: Option<&[String]>) {
        let id = v.get("id").and_then(Value::as_str);
        self.item = Some((i, id.map(str::to_owned)));
        self.item(i, v, columns);
        if let Some(id) = id {
            // Ids by their lower-case form: ids that differ only in case
            // are one file on case-insensitive file systems.
            let key = id.to_ascii_lowercase();
            match seen.ids.get(&key) {
                Some((first, other)) if other == id => self.err(
                    Kind::DuplicateId,
                    &format!("items[{i}].id"),
                    format!("duplicate id {id:?}: also used by items[{first}]"),
                ),
                Some((first, other)) => self.err(
                    Kind::DuplicateId,
                    &format!("items[{i}].id"),
                    format!("id {id:?} differs from items[{first}] (id {other:?}) only in case: on Windows and macOS both are one file; rename one"),
                ),
                None => {
                    seen.ids.insert(key, (i, id.to_owned()));
                }
            }
        }
        seen.targets.push(library::Target::of(v));
        self.item = None;
    }

    /// Checks `_gov.synonyms`, if present: arrays of strings, each a valid
    /// group ([`crate::search::synonyms::Synonyms::new`]).
    fn synonyms(&mut self, v: Option<&Value>) {
        let path = "_gov.synonyms";
        let Some(v) = v else { return };
        let Value::Array(groups) = v else {
            return self.wrong_type(path, "an array of arrays of terms", v);
        };
        let mut table = Vec::with_capacity(groups.len());
        for (i, g) in groups.iter().enumerate() {
            let gp = format!("{path}[{i}]");
            let Value::Array(terms) = g else {
                return self.wrong_type(&gp, "an array of terms", g);
            };
            let mut group = Vec::with_capacity(terms.len());
            for (j, t) in terms.iter().enumerate() {
                match t {
                    Value::String(t) => group.push(t.clone()),
                    _ => return self.wrong_type(&format!("{gp}[{j}]"), "a string", t),
                }
            }
            table.push(group);
        }
        if let Err(e) = crate::search::synonyms::Synonyms::new(table) {
            self.err(Kind::BadSynonyms, path, e.to_string());
        }
    }

    /// Checks the site `_gov`; returns the valid column ids, or `None` when
    /// the columns are unusable (so items are not blamed for it).
    fn site_gov(&mut self, gov: &Map<String, Value>) -> Option<Vec<String>> {
        let base = "_gov";
        self.req_str(gov, base, "site_name");
        self.req_str(gov, base, "department");
        self.opt_str(gov, base, "section");
        self.req_url(gov, base, "login_url");
        self.req_url(gov, base, "register_url");
        self.unknown_gov_keys(gov, base, &SITE_GOV_KEYS);
        self.synonyms(gov.get("synonyms"));
        self.apply(gov);
        self.footer(gov);

        let path = "_gov.columns";
        let columns = match gov.get("columns") {
            None => {
                self.err(Kind::MissingField, path, "required field \"columns\" is missing: list the section's columns as {\"id\", \"name\"}".to_owned());
                return None;
            }
            Some(Value::Array(a)) if a.is_empty() => {
                self.err(
                    Kind::EmptyValue,
                    path,
                    "\"columns\" must list at least one column".to_owned(),
                );
                return None;
            }
            Some(Value::Array(a)) => a,
            Some(v) => {
                self.wrong_type(path, "an array", v);
                return None;
            }
        };
        let mut ids: Vec<String> = Vec::new();
        let mut kinds = Vec::new();
        let mut all_ok = true;
        for (i, v) in columns.iter().enumerate() {
            let cpath = format!("{path}[{i}]");
            let Some(col) = self.object(v, &cpath, "a column") else {
                all_ok = false;
                continue;
            };
            self.req_str(col, &cpath, "name");
            self.column_compliance(col, &cpath, &mut kinds);
            let Some(id) = self.req_str(col, &cpath, "id") else {
                all_ok = false;
                continue;
            };
            let ipath = format!("{cpath}.id");
            if column_id_chars(id) && is_windows_reserved(id) {
                self.err(
                    Kind::BadColumnId,
                    &ipath,
                    format!(
                        "column id {} cannot be a directory name: {RESERVED}",
                        quote(id)
                    ),
                );
                all_ok = false;
            } else if !is_column_id(id) {
                self.err(
                    Kind::BadColumnId,
                    &ipath,
                    format!(
                        "malformed column id {}: use 1 to 40 of a-z, 0-9 and -",
                        quote(id)
                    ),
                );
                all_ok = false;
            } else if id == ALL_LIST {
                self.err(
                    Kind::BadColumnId,
                    &ipath,
                    format!("column id {id:?} is reserved for the list of all items"),
                );
                all_ok = false;
            } else if let Some(first) = ids.iter().position(|x| x == id) {
                self.err(
                    Kind::BadColumnId,
                    &ipath,
                    format!("duplicate column id {id:?}: also used by {path}[{first}]"),
                );
            } else {
                ids.push(id.to_owned());
            }
        }
        all_ok.then_some(ids)
    }

    fn item(&mut self, i: usize, v: &Value, columns: Option<&[String]>) {
        let base = format!("items[{i}]");
        let Some(item) = self.object(v, &base, "an item") else {
            return;
        };
        let base = base.as_str();

        if let Some(id) = self.req_str(item, base, "id") {
            if !item_id_chars(id) {
                self.err(
                    Kind::BadId,
                    &join(base, "id"),
                    format!("id {} cannot be a file name: use 1 to 80 of A-Z, a-z, 0-9, '.', '_' and '-', not starting or ending with '.'", quote(id)),
                );
            } else if is_windows_reserved(id) {
                self.err(
                    Kind::BadId,
                    &join(base, "id"),
                    format!("id {} cannot be a file name: {RESERVED}", quote(id)),
                );
            }
        }
        self.req_str(item, base, "title");
        self.opt_str(item, base, "summary");
        self.opt_url(item, base, "url");
        self.opt_url(item, base, "external_url");
        self.opt_url(item, base, "image");
        self.string_array(item, base, "tags");

        if let Some(html) = self.opt_str(item, base, "content_html") {
            self.body(&join(base, "content_html"), html, true);
        }
        if let Some(text) = self.opt_str(item, base, "content_text") {
            self.body(&join(base, "content_text"), text, false);
        }
        let has_html = item.get("content_html").is_some_and(|v| !v.is_null());
        let has_text = item.get("content_text").is_some_and(|v| !v.is_null());
        if !has_html && !has_text {
            self.err(
                Kind::MissingField,
                &join(base, "content_html"),
                "missing body: give content_html or content_text".to_owned(),
            );
        }

        if let Some(s) = self.req_str(item, base, "date_published") {
            self.date(&join(base, "date_published"), s);
        }
        if let Some(s) = self.opt_str(item, base, "date_modified") {
            self.date(&join(base, "date_modified"), s);
        }

        if let Some(authors) = self.opt_array(item, base, "authors") {
            for (j, a) in authors.iter().enumerate() {
                let apath = format!("{base}.authors[{j}]");
                if let Some(a) = self.object(a, &apath, "an author") {
                    self.req_str(a, &apath, "name");
                    self.opt_url(a, &apath, "url");
                }
            }
        }

        if let Some(atts) = self.opt_array(item, base, "attachments") {
            for (j, a) in atts.iter().enumerate() {
                let apath = format!("{base}.attachments[{j}]");
                let Some(a) = self.object(a, &apath, "an attachment") else {
                    continue;
                };
                self.req_url(a, &apath, "url");
                self.req_str(a, &apath, "mime_type");
                self.opt_str(a, &apath, "title");
                match a.get("size_in_bytes") {
                    None | Some(Value::Null) => {}
                    Some(v) if v.as_u64().is_some() => {}
                    Some(v) => self.err(
                        Kind::BadSize,
                        &join(&apath, "size_in_bytes"),
                        format!("expected a non-negative integer, found {v}"),
                    ),
                }
            }
        }

        let gpath = join(base, "_gov");
        match item.get("_gov") {
            None => self.err(
                Kind::MissingField,
                &gpath,
                "required field \"_gov\" is missing: 索引号, 发布机构 and 主题分类 at least"
                    .to_owned(),
            ),
            Some(v) => {
                if let Some(gov) = self.object(v, &gpath, "_gov") {
                    self.item_gov(gov, &gpath, columns);
                }
            }
        }
    }

    /// A body: at most [`MAX_BODY_BYTES`], and HTML nested at most
    /// [`MAX_DEPTH`] deep (the sanitiser's parser is quadratic in depth).
    fn body(&mut self, path: &str, body: &str, html: bool) {
        if body.len() > MAX_BODY_BYTES {
            self.err(
                Kind::BodyTooLarge,
                path,
                format!(
                    "the body is {} bytes ({:.1} MiB), more than the limit of {MAX_BODY_BYTES} (2 MiB): split the notice, or give large tables as an attachment",
                    body.len(),
                    body.len() as f64 / (1024.0 * 1024.0)
                ),
            );
        }
        if html {
            if let Err(e) = max_depth(body, MAX_DEPTH) {
                self.err(
                    Kind::TooDeep,
                    path,
                    format!("{e}: remove the extra wrapping elements (a notice with tables nests about 20 deep)"),
                );
            }
        }
    }

    fn date(&mut self, path: &str, s: &str) {
        if let Err(e) = parse_rfc3339(s) {
            self.err(
                Kind::BadDate,
                path,
                format!("invalid RFC 3339 date {}: {e}", quote(s)),
            );
        }
    }

    fn item_gov(&mut self, gov: &Map<String, Value>, base: &str, columns: Option<&[String]>) {
        if let Some(s) = self.req_str(gov, base, "index_no") {
            if !is_index_no(s) {
                self.err(
                    Kind::BadIndexNo,
                    &join(base, "index_no"),
                    format!("malformed 索引号 {}: expected <organisation code>/<yyyy>-<5 digits>, e.g. kjj1/2023-00026", quote(s)),
                );
            }
        }
        self.req_str(gov, base, "publisher");
        self.opt_str(gov, base, "source");
        if let Some(s) = self.opt_str(gov, base, "doc_no") {
            self.doc_no(&join(base, "doc_no"), s);
        }
        if let Some(s) = self.opt_str(gov, base, "written_date") {
            if let Err(e) = parse_plain_date(s) {
                self.err(
                    Kind::BadDate,
                    &join(base, "written_date"),
                    format!("invalid 成文日期 {}: {e} (expected YYYY-MM-DD)", quote(s)),
                );
            }
        }
        if let Some(cat) = self.req_str(gov, base, "category") {
            if let Some(cols) = columns {
                if !cols.iter().any(|c| c == cat) {
                    self.err(
                        Kind::UnknownColumn,
                        &join(base, "category"),
                        format!(
                            "unknown column {}: expected one of {}",
                            quote(cat),
                            cols.join(", ")
                        ),
                    );
                }
            }
        }
        self.string_array(gov, base, "keywords");
        if let Some(s) = self.opt_str(gov, base, "validity") {
            if s.parse::<Validity>().is_err() {
                self.err(
                    Kind::BadValidity,
                    &join(base, "validity"),
                    format!(
                        "unknown 有效性 {}: expected one of 有效, 已修订, 已废止, 已失效",
                        quote(s)
                    ),
                );
            }
        }
        self.library_gov(gov, base);
        self.report_year(gov, base);
        self.unknown_gov_keys(gov, base, &ITEM_GOV_KEYS);
    }
}

fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_owned()
    } else {
        format!("{base}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn valid() -> Value {
        json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": "甘肃政务服务网-武山 科技局 政府信息公开",
            "home_page_url": "https://www.example.gov.cn/kjj/",
            "_gov": {
                "site_name": "甘肃政务服务网-武山",
                "department": "科技局",
                "columns": [
                    {"id": "zn", "name": "政府信息公开指南"},
                    {"id": "zd", "name": "政府信息公开制度"},
                    {"id": "fdzdgknr", "name": "法定主动公开内容"},
                    {"id": "nb", "name": "政府信息公开年报"}
                ],
                "login_url": "https://portal.example.gov.cn/login",
                "register_url": "https://portal.example.gov.cn/register"
            },
            "items": [
                {
                    "id": "kjj1-2023-00026",
                    "title": "关于开展2023年科技活动周的通知",
                    "content_html": "<p>各乡镇：</p>",
                    "date_published": "2023-07-10T09:30:00+08:00",
                    "authors": [{"name": "科技局"}],
                    "attachments": [{"url": "https://www.example.gov.cn/a.pdf", "mime_type": "application/pdf", "size_in_bytes": 1024}],
                    "_gov": {
                        "index_no": "kjj1/2023-00026",
                        "publisher": "武山县科技局",
                        "category": "fdzdgknr",
                        "written_date": "2023-07-08",
                        "validity": "有效",
                        "keywords": ["科技", "通知"]
                    }
                },
                {
                    "id": "kjj1-2023-00027",
                    "title": "第二条",
                    "content_text": "正文",
                    "date_published": "2023-07-11T09:30:00+08:00",
                    "_gov": {"index_no": "kjj1/2023-00027", "publisher": "武山县科技局", "category": "zn"}
                }
            ]
        })
    }

    fn run(v: Value) -> Report {
        check(&v.to_string())
    }

    /// Asserts exactly one error, of `kind`, at `path`, and returns it.
    fn one_error(v: Value, kind: Kind, path: &str) -> Diagnostic {
        one_error_of(&run(v), kind, path)
    }

    fn one_error_of(r: &Report, kind: Kind, path: &str) -> Diagnostic {
        assert_eq!(r.errors.len(), 1, "expected one error, got {:#?}", r.errors);
        let d = r.errors[0].clone();
        assert_eq!(d.kind, kind, "{d}");
        assert_eq!(d.path, path, "{d}");
        d
    }

    #[test]
    fn valid_feed_passes() {
        let r = run(valid());
        assert!(r.errors.is_empty(), "{:#?}", r.errors);
        assert!(r.warnings.is_empty(), "{:#?}", r.warnings);
        let feed = r.feed.expect("feed");
        assert_eq!(feed.items.len(), 2);
        assert_eq!(feed.gov.section, "政府信息公开");
        assert_eq!(r.item_count, 2);
    }

    #[test]
    fn minimal_feed_passes() {
        let v = json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": "t",
            "_gov": {"site_name": "s", "department": "d", "columns": [{"id": "a", "name": "A"}],
                     "login_url": "https://x.cn/l", "register_url": "http://x.cn/r"},
            "items": [{"id": "1", "title": "t", "content_text": "x", "date_published": "2023-01-01T00:00:00Z",
                       "_gov": {"index_no": "a/2023-00001", "publisher": "p", "category": "a"}}]
        });
        let r = run(v);
        assert!(r.is_ok(), "{:#?}", r.errors);
        assert!(r.feed.is_some());
    }

    #[test]
    fn not_json_gives_line_and_column() {
        let r = check("{\n  \"version\": \"x\",\n  oops\n}");
        assert_eq!(r.errors.len(), 1);
        let d = &r.errors[0];
        assert_eq!(d.kind, Kind::NotJson { line: 3, column: 3 });
        assert_eq!(
            d.to_string(),
            "error: not valid JSON at line 3, column 3: key must be a string"
        );
    }

    #[test]
    fn not_an_object() {
        let d = one_error(json!([1]), Kind::NotAnObject, "");
        assert_eq!(
            d.to_string(),
            "error: the feed must be a JSON object, found an array"
        );
    }

    #[test]
    fn wrong_version() {
        let mut v = valid();
        v["version"] = json!("https://jsonfeed.org/version/1");
        let d = one_error(v, Kind::WrongVersion, "version");
        assert_eq!(d.to_string(), "error: version: unsupported version \"https://jsonfeed.org/version/1\": expected \"https://jsonfeed.org/version/1.1\"");
    }

    #[test]
    fn missing_field_in_item() {
        let mut v = valid();
        v["items"][1]["_gov"]
            .as_object_mut()
            .unwrap()
            .remove("publisher");
        let d = one_error(v, Kind::MissingField, "items[1]._gov.publisher");
        assert_eq!(d.item, Some(1));
        assert_eq!(d.id.as_deref(), Some("kjj1-2023-00027"));
        assert_eq!(d.to_string(), "error: items[1] (id \"kjj1-2023-00027\"): _gov.publisher: required field \"publisher\" is missing");
    }

    #[test]
    fn missing_body() {
        let mut v = valid();
        v["items"][1]
            .as_object_mut()
            .unwrap()
            .remove("content_text");
        let d = one_error(v, Kind::MissingField, "items[1].content_html");
        assert_eq!(d.message, "missing body: give content_html or content_text");
    }

    #[test]
    fn wrong_type() {
        let mut v = valid();
        v["items"][0]["title"] = json!(42);
        let d = one_error(v, Kind::WrongType, "items[0].title");
        assert_eq!(d.message, "expected a string, found a number");
    }

    #[test]
    fn empty_title() {
        let mut v = valid();
        v["items"][0]["title"] = json!("  ");
        let d = one_error(v, Kind::EmptyValue, "items[0].title");
        assert_eq!(d.message, "\"title\" must not be empty");
    }

    #[test]
    fn bad_date() {
        let mut v = valid();
        v["items"][0]["date_published"] = json!("2023-02-29T09:30:00+08:00");
        let d = one_error(v, Kind::BadDate, "items[0].date_published");
        assert_eq!(d.to_string(), "error: items[0] (id \"kjj1-2023-00026\"): date_published: invalid RFC 3339 date \"2023-02-29T09:30:00+08:00\": day 29 is out of range for 2023-02 (01-28)");
    }

    #[test]
    fn date_without_offset() {
        let mut v = valid();
        v["items"][0]["date_modified"] = json!("2023-07-10 09:30:00");
        let d = one_error(v, Kind::BadDate, "items[0].date_modified");
        assert!(d.message.contains("expected 'T'"), "{d}");
    }

    #[test]
    fn bad_written_date() {
        let mut v = valid();
        v["items"][0]["_gov"]["written_date"] = json!("2023年7月8日");
        let d = one_error(v, Kind::BadDate, "items[0]._gov.written_date");
        assert!(
            d.message.starts_with("invalid 成文日期 \"2023年7月8日\""),
            "{d}"
        );
    }

    #[test]
    fn bad_index_no() {
        let mut v = valid();
        v["items"][0]["id"] = json!("kjj1-2023-00007");
        v["items"][0]["_gov"]["index_no"] = json!("kjj1-2023-7");
        let d = one_error(v, Kind::BadIndexNo, "items[0]._gov.index_no");
        assert_eq!(d.to_string(), "error: items[0] (id \"kjj1-2023-00007\"): _gov.index_no: malformed 索引号 \"kjj1-2023-7\": expected <organisation code>/<yyyy>-<5 digits>, e.g. kjj1/2023-00026");
    }

    #[test]
    fn index_no_matcher() {
        for ok in ["kjj1/2023-00026", "A/0000-00000", "013930123/2020-12345"] {
            assert!(is_index_no(ok), "{ok}");
        }
        for bad in [
            "",
            "/2023-00026",
            "kjj1/2023-0002",
            "kjj1/2023-000260",
            "kjj-1/2023-00026",
            "kjj1/202a-00026",
            "kjj1/2023_00026",
            "kjj1/2023-00026/x",
            "科技/2023-00026",
            "kjj1/２023-00026",
        ] {
            assert!(!is_index_no(bad), "{bad}");
        }
    }

    #[test]
    fn duplicate_id_names_both_positions() {
        let mut v = valid();
        v["items"][1]["id"] = json!("kjj1-2023-00026");
        let d = one_error(v, Kind::DuplicateId, "items[1].id");
        assert_eq!(d.to_string(), "error: items[1] (id \"kjj1-2023-00026\"): id: duplicate id \"kjj1-2023-00026\": also used by items[0]");
    }

    #[test]
    fn bad_id() {
        for bad in ["../etc/passwd", ".hidden", "a b", "通知", ""] {
            let mut v = valid();
            v["items"][0]["id"] = json!(bad);
            let r = run(v);
            assert_eq!(r.errors.len(), 1, "{bad}: {:#?}", r.errors);
            let kind = if bad.is_empty() {
                Kind::EmptyValue
            } else {
                Kind::BadId
            };
            assert_eq!(r.errors[0].kind, kind, "{bad}");
            assert_eq!(r.errors[0].path, "items[0].id");
        }
        let mut v = valid();
        v["items"][0]["id"] = json!("a".repeat(81));
        assert_eq!(one_error(v, Kind::BadId, "items[0].id").item, Some(0));
    }

    #[test]
    fn bad_column_id() {
        let mut v = valid();
        v["_gov"]["columns"][1]["id"] = json!("Zhi Du");
        let d = one_error(v, Kind::BadColumnId, "_gov.columns[1].id");
        assert_eq!(d.to_string(), "error: _gov.columns[1].id: malformed column id \"Zhi Du\": use 1 to 40 of a-z, 0-9 and -");
        let mut v = valid();
        v["_gov"]["columns"][1]["id"] = json!("zn");
        let d = one_error(v, Kind::BadColumnId, "_gov.columns[1].id");
        assert_eq!(
            d.message,
            "duplicate column id \"zn\": also used by _gov.columns[0]"
        );
        let mut v = valid();
        v["_gov"]["columns"][1]["id"] = json!("all");
        one_error(v, Kind::BadColumnId, "_gov.columns[1].id");
    }

    #[test]
    fn unknown_column_lists_valid_ids() {
        let mut v = valid();
        v["items"][1]["_gov"]["category"] = json!("gkzn");
        let d = one_error(v, Kind::UnknownColumn, "items[1]._gov.category");
        assert_eq!(
            d.message,
            "unknown column \"gkzn\": expected one of zn, zd, fdzdgknr, nb"
        );
    }

    #[test]
    fn bad_urls() {
        for (path, bad) in [
            ("_gov.login_url", "javascript:alert(1)"),
            ("_gov.register_url", "/register"),
            ("home_page_url", "ftp://x.cn/"),
            ("items[0].url", "data:text/html,hi"),
            ("items[0].attachments[0].url", "a.pdf"),
        ] {
            let mut v = valid();
            let ptr = format!("/{}", path.replace('.', "/").replace("[0]", "/0"));
            let (parent, key) = ptr.rsplit_once('/').unwrap();
            let parent = v.pointer_mut(parent).unwrap().as_object_mut().unwrap();
            parent.insert(key.to_owned(), json!(bad));
            let d = one_error(v, Kind::BadUrl, path);
            assert_eq!(d.message, format!("not an absolute HTTP(S) URL: {bad:?}"));
        }
        assert!(is_http_url("HTTPS://x.cn/a?b#c"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("https://x.cn/a b"));
        assert!(
            is_http_url("http://中国.cn/政府信息公开"),
            "internationalised hosts and paths"
        );
        assert!(!is_http_url("http:/x.cn"));
    }

    /// Issue #15, fault 10: `"`, `<`, `>` and the other characters a URL
    /// must percent-encode passed, and broke the canonical links, the
    /// sitemap and robots.txt.
    #[test]
    fn unencoded_characters_in_urls() {
        // (URL, the character reported, its position in characters)
        let bad: &[(&str, char, usize)] = &[
            ("https://x.cn/a\"onmouseover=\"x", '"', 15),
            ("https://x.cn/<script>", '<', 14),
            ("https://x.cn/a>b", '>', 15),
            ("https://x.cn/a b", ' ', 15),
            ("https://x.cn/a\tb", '\t', 15),
            ("https://x.cn/a\nb", '\n', 15),
            ("https://x.cn/a\\b", '\\', 15),
            ("https://x.cn/{id}", '{', 14),
            ("https://x.cn/a}", '}', 15),
            ("https://x.cn/a|b", '|', 15),
            ("https://x.cn/a^b", '^', 15),
            ("https://x.cn/a`b", '`', 15),
            ("https://x.cn/a\u{7F}", '\u{7F}', 15),
            ("https://x.cn/政府\u{3000}公开", '\u{3000}', 16),
        ];
        for &(url, ch, at) in bad {
            assert_eq!(
                url_problem(url),
                Some(UrlProblem::Unencoded { ch, at }),
                "{url:?}"
            );
            let mut v = valid();
            v["items"][0]["url"] = json!(url);
            let d = one_error(v, Kind::BadUrl, "items[0].url");
            assert!(
                d.message.starts_with("URL ")
                    && d.message.contains(&format!(
                        "{ch:?} (U+{:04X}) at character {at} must be percent-encoded as %",
                        ch as u32
                    )),
                "{d}"
            );
        }
        let d = {
            let mut v = valid();
            v["_gov"]["login_url"] = json!("https://x.cn/login?next=\"/\"");
            one_error(v, Kind::BadUrl, "_gov.login_url")
        };
        assert_eq!(
            d.to_string(),
            "error: _gov.login_url: URL \"https://x.cn/login?next=\\\"/\\\"\": '\"' (U+0022) at character 25 must be percent-encoded as %22"
        );
        for ok in [
            "https://x.cn/a?b=1&c=2#d",
            "http://中国.cn/政府信息公开",
            "https://x.cn/%E4%B8%AD?q=%22",
            "https://user@x.cn:8443/a;b=c/~d!$'()*+,",
        ] {
            assert_eq!(url_problem(ok), None, "{ok}");
        }
        assert_eq!(
            UrlProblem::Unencoded {
                ch: '\u{3000}',
                at: 3
            }
            .to_string(),
            "'\\u{3000}' (U+3000) at character 3 must be percent-encoded as %E3%80%80"
        );
    }

    /// Issue #15, fault 9: device names Windows reserves passed as ids.
    #[test]
    fn ids_windows_reserves() {
        // (id, accepted)
        let table: &[(&str, bool)] = &[
            ("CON", false),
            ("con", false),
            ("Con", false),
            ("PRN", false),
            ("aux", false),
            ("nul", false),
            ("NUL", false),
            ("COM0", false),
            ("COM1", false),
            ("com9", false),
            ("LPT1", false),
            ("lpt9", false),
            ("con.txt", false),
            ("NUL.tar.gz", false),
            ("aux.json", false),
            ("notice.", false),
            ("CONT", true),
            ("console", true),
            ("con-1", true),
            ("nul_2023", true),
            ("COM10", true),
            ("LPT", true),
            ("com1x", true),
            ("a.con", true),
            ("x.aux.y", true),
            ("kjj1-2023-00026", true),
        ];
        for &(id, ok) in table {
            assert_eq!(is_item_id(id), ok, "is_item_id({id:?})");
            let mut v = valid();
            v["items"][0]["id"] = json!(id);
            let r = run(v);
            if ok {
                assert!(r.is_ok(), "{id}: {:#?}", r.errors);
            } else {
                assert_eq!(r.errors.len(), 1, "{id}: {:#?}", r.errors);
                let d = &r.errors[0];
                assert_eq!(
                    (d.kind, d.path.as_str()),
                    (Kind::BadId, "items[0].id"),
                    "{d}"
                );
                assert_eq!(d.id.as_deref(), Some(id));
            }
        }
        let mut v = valid();
        v["items"][1]["id"] = json!("Aux");
        let d = one_error(v, Kind::BadId, "items[1].id");
        assert_eq!(d.to_string(), "error: items[1] (id \"Aux\"): id: id \"Aux\" cannot be a file name: Windows reserves CON, PRN, AUX, NUL, COM0-COM9 and LPT0-LPT9 in any case, also with an extension (con.json), so the site could not be copied to or built on Windows");
    }

    /// Issue #15, fault 9: ids differing only in case are one file on a
    /// case-insensitive file system; both items are named.
    #[test]
    fn ids_differing_only_in_case() {
        let mut v = valid();
        v["items"][0]["id"] = json!("Notice-1");
        v["items"][1]["id"] = json!("notice-1");
        let d = one_error(v, Kind::DuplicateId, "items[1].id");
        assert_eq!(
            d.to_string(),
            "error: items[1] (id \"notice-1\"): id: id \"notice-1\" differs from items[0] (id \"Notice-1\") only in case: on Windows and macOS both are one file; rename one"
        );
    }

    /// Issue #15, fault 9: column ids become directory names too.
    #[test]
    fn column_ids_windows_reserves() {
        for (id, ok) in [
            ("con", false),
            ("aux", false),
            ("nul", false),
            ("prn", false),
            ("com1", false),
            ("lpt9", false),
            ("com10", true),
            ("console", true),
            ("lpt", true),
        ] {
            assert_eq!(is_column_id(id), ok, "{id}");
            let mut v = valid();
            v["_gov"]["columns"][1]["id"] = json!(id);
            let r = run(v);
            if ok {
                assert!(r.is_ok(), "{id}: {:#?}", r.errors);
            } else {
                let d = one_error_of(&r, Kind::BadColumnId, "_gov.columns[1].id");
                assert!(d.message.contains("Windows reserves"), "{d}");
            }
        }
    }

    /// Issue #15, fault 6: 200,000 nested `<div>`s passed `check` and took
    /// 392 s to build; `check` names the item, field and position.
    #[test]
    fn body_nested_too_deep() {
        let mut v = valid();
        v["items"][1]["content_html"] =
            json!(format!("<p>通知</p>\n{}正文", "<div>".repeat(200_000)));
        let d = one_error(v, Kind::TooDeep, "items[1].content_html");
        assert_eq!(d.to_string(), "error: items[1] (id \"kjj1-2023-00027\"): content_html: elements nested more than 256 deep: <div> at line 2, column 1281 (byte 1294) would be level 257: remove the extra wrapping elements (a notice with tables nests about 20 deep)");
        // 256 deep is fine, unclosed paragraphs are not nesting.
        let mut v = valid();
        v["items"][1]["content_html"] = json!("<div>".repeat(256));
        assert!(run(v).is_ok());
        let mut v = valid();
        v["items"][1]["content_html"] = json!("<p>段".repeat(10_000));
        assert!(run(v).is_ok());
    }

    #[test]
    fn body_too_large() {
        for field in ["content_html", "content_text"] {
            let mut v = valid();
            v["items"][0]
                .as_object_mut()
                .unwrap()
                .remove("content_html");
            v["items"][0][field] = json!("字".repeat(MAX_BODY_BYTES / 3 + 1));
            let d = one_error(v, Kind::BodyTooLarge, &format!("items[0].{field}"));
            assert_eq!(d.message, "the body is 2097153 bytes (2.0 MiB), more than the limit of 2097152 (2 MiB): split the notice, or give large tables as an attachment");
            let mut v = valid();
            v["items"][0]
                .as_object_mut()
                .unwrap()
                .remove("content_html");
            v["items"][0][field] = json!("字".repeat(MAX_BODY_BYTES / 3));
            assert!(run(v).is_ok(), "{field} at the limit");
        }
    }

    /// Issue #15, fault 10: Notepad's UTF-8 byte order mark gave "not valid
    /// JSON at line 1, column 1"; UTF-16 and GBK files get a clear error.
    #[test]
    fn encodings() {
        let json = valid().to_string();
        let utf16 = |le: bool, bom: bool| -> Vec<u8> {
            let units = bom.then_some(0xFEFF).into_iter().chain(json.encode_utf16());
            units
                .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
                .collect()
        };
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), json.as_bytes()].concat();
        assert!(check_bytes(&with_bom).is_ok(), "UTF-8 with a BOM");
        assert!(check(&format!("\u{FEFF}{json}")).is_ok());
        assert!(check_bytes(json.as_bytes()).is_ok());
        // (bytes, message)
        let wide: [(Vec<u8>, &str); 4] = [
            (
                utf16(true, true),
                "UTF-16 (little-endian, byte order mark FF FE)",
            ),
            (
                utf16(false, true),
                "UTF-16 (big-endian, byte order mark FE FF)",
            ),
            (utf16(true, false), "UTF-16 (little-endian)"),
            (utf16(false, false), "UTF-16 (big-endian)"),
        ];
        for (bytes, what) in wide {
            let r = check_bytes(&bytes);
            assert_eq!(r.errors.len(), 1);
            assert_eq!(
                r.errors[0].to_string(),
                format!("error: not UTF-8 at line 1, column 1 (byte 0): the file is {what}, not UTF-8: save it as UTF-8 (Notepad: 另存为, 编码 UTF-8)")
            );
        }
        // GBK: 科技局 is BF C6 BC BC BE D6.
        let gbk = [
            b"\xEF\xBB\xBF{\n  \"title\": \"".as_slice(),
            b"\xBF\xC6\xBC\xBC\xBE\xD6",
            b"\"\n}",
        ]
        .concat();
        let r = check_bytes(&gbk);
        assert_eq!(r.errors.len(), 1);
        let d = &r.errors[0];
        assert_eq!(
            d.kind,
            Kind::NotUtf8 {
                line: 2,
                column: 13,
                byte: 17
            }
        );
        assert_eq!(d.to_string(), "error: not UTF-8 at line 2, column 13 (byte 17): bytes BF C6 BC BC after \"\\\"title\\\": \\\"\" are not UTF-8; it looks like GBK/GB18030, the usual encoding of Chinese Windows programs: save the file as UTF-8 (Notepad: 另存为, 编码 UTF-8; iconv -f GB18030 -t UTF-8)");
        let latin1 = b"{\"title\": \"caf\xE9\"}";
        let d = &check_bytes(latin1).errors[0];
        assert_eq!(
            d.kind,
            Kind::NotUtf8 {
                line: 1,
                column: 15,
                byte: 14
            }
        );
        assert!(!d.message.contains("GBK"), "{d}");
    }

    #[test]
    fn bad_validity() {
        let mut v = valid();
        v["items"][0]["_gov"]["validity"] = json!("无效");
        let d = one_error(v, Kind::BadValidity, "items[0]._gov.validity");
        assert_eq!(
            d.message,
            "unknown 有效性 \"无效\": expected one of 有效, 已修订, 已废止, 已失效"
        );
    }

    #[test]
    fn bad_size() {
        let mut v = valid();
        v["items"][0]["attachments"][0]["size_in_bytes"] = json!(-5);
        let d = one_error(v, Kind::BadSize, "items[0].attachments[0].size_in_bytes");
        assert_eq!(d.message, "expected a non-negative integer, found -5");
    }

    #[test]
    fn not_an_object_item() {
        let mut v = valid();
        v["items"][1] = json!("item");
        let d = one_error(v, Kind::NotAnObject, "items[1]");
        assert_eq!(
            d.to_string(),
            "error: items[1]: an item must be an object, found a string"
        );
    }

    #[test]
    fn unknown_gov_keys_are_warnings() {
        let mut v = valid();
        v["items"][0]["_gov"]["indexno"] = json!("x");
        v["_gov"]["theme"] = json!("red");
        let r = run(v);
        assert!(r.errors.is_empty(), "{:#?}", r.errors);
        assert!(r.feed.is_some(), "warnings alone still give a feed");
        assert_eq!(r.warnings.len(), 2);
        let w = &r.warnings[0];
        assert_eq!(
            (w.kind, w.severity, w.path.as_str()),
            (Kind::UnknownGovKey, Severity::Warning, "_gov.theme")
        );
        let w = &r.warnings[1];
        assert_eq!(
            (w.kind, w.path.as_str(), w.id.as_deref()),
            (
                Kind::UnknownGovKey,
                "items[0]._gov.indexno",
                Some("kjj1-2023-00026")
            )
        );
        assert!(
            w.to_string().starts_with(
                "warning: items[0] (id \"kjj1-2023-00026\"): _gov.indexno: unknown key \"indexno\""
            ),
            "{w}"
        );
    }

    #[test]
    fn empty_feed_is_a_warning() {
        let mut v = valid();
        v["items"] = json!([]);
        let r = run(v);
        assert!(r.is_ok());
        assert_eq!(r.warnings[0].kind, Kind::EmptyFeed);
    }

    #[test]
    fn missing_top_level_fields() {
        let r = run(json!({}));
        let paths: Vec<_> = r.errors.iter().map(|d| (d.kind, d.path.as_str())).collect();
        assert_eq!(
            paths,
            [
                (Kind::MissingField, "version"),
                (Kind::MissingField, "title"),
                (Kind::MissingField, "_gov"),
                (Kind::MissingField, "items")
            ]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut v = valid();
        v["version"] = json!("1.0");
        v["_gov"]["login_url"] = json!("javascript:void(0)");
        v["items"][0]["_gov"]["index_no"] = json!("bad");
        v["items"][0]["date_published"] = json!("yesterday");
        v["items"][1]["id"] = json!("kjj1-2023-00026");
        v["items"][1]["_gov"]["category"] = json!("nope");
        v["items"][1]["_gov"]["validity"] = json!("maybe");
        v["items"][1]["_gov"]["extra"] = json!(1);
        let r = run(v);
        let kinds: Vec<_> = r.errors.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::WrongVersion,
                Kind::BadUrl,
                Kind::BadDate,
                Kind::BadIndexNo,
                Kind::UnknownColumn,
                Kind::BadValidity,
                Kind::DuplicateId
            ]
        );
        assert_eq!(r.warnings.len(), 1);
        assert!(r.feed.is_none());
    }

    #[test]
    fn site_columns_errors_do_not_cascade_to_items() {
        let mut v = valid();
        v["_gov"]["columns"] = json!([]);
        let d = one_error(v, Kind::EmptyValue, "_gov.columns");
        assert_eq!(d.message, "\"columns\" must list at least one column");
    }
}
