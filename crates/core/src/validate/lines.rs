//! `check` of a feed file in either layout (feature `build`), item by item:
//! one JSON Feed document, or JSON Lines — the feed's top-level fields on
//! the first line, then one item a line — which a province's export writes
//! and reads line by line. A JSON Lines feed gets the same rules as a JSON
//! one; every diagnostic about an item also names the item's line, and a
//! line that is not JSON is reported with its line and column while the
//! other lines are still checked.
//!
//! The file is read once ([`crate::source::scan_with_head`]): each item is
//! checked, turned into an [`Item`] and handed to the caller as it is read,
//! and only what the checks across items need (ids, 有效性, relations) is
//! kept besides what the caller keeps ([`Keep`]). The diagnostics are those
//! of [`check_bytes`], in the same order: the top-level fields' first
//! (they may come after the items), then the items' in file order.

use super::{feed_text, wide_encoding, Checker, Diagnostic, Items, Kind, Report, Severity};
use crate::feed::{Feed, Item};
use crate::source::{scan_with_head, Format, Head, LineError, ScanError, Span, Top};
use serde_json::Value;
use std::cell::RefCell;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

#[cfg(doc)]
use super::check_bytes;

/// What [`check_source`] keeps of each item in the report's feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The item whole.
    Whole,
    /// The item without its body (`content_html`, `content_text`): the
    /// build reads the bodies again by span, a batch at a time.
    NoBodies,
}

/// A feed file checked item by item.
#[derive(Debug)]
pub struct Checked {
    /// The diagnostics, and the feed (items as [`Keep`] says) when there
    /// is no error.
    pub report: Report,
    /// Each parsed item's place in the file, in feed order (empty when the
    /// file is not JSON or not UTF-8).
    pub spans: Vec<Span>,
}

/// Validates a feed file's bytes laid out as `format`: the diagnostics of
/// [`check_bytes`] (JSON Lines: with each item's line); see [`check_source`].
pub fn check_file(bytes: &[u8], format: Format) -> Report {
    let text = match feed_text(bytes) {
        Ok(text) => text,
        Err((kind, message)) => return only(kind, message),
    };
    match check_source(
        io::Cursor::new(text.as_bytes()),
        format,
        Keep::Whole,
        &mut |_, _| {},
    ) {
        Ok(checked) => checked.report,
        // Reading a byte slice cannot fail.
        Err(e) => only(Kind::NotJson { line: 1, column: 1 }, e.to_string()),
    }
}

/// Validates a JSON Lines feed: UTF-8 (a byte order mark is skipped), a
/// first line with the top-level fields and no `items`, then one item a
/// line; blank lines are skipped.
pub fn check_lines(bytes: &[u8]) -> Report {
    check_file(bytes, Format::JsonLines)
}

/// [`check_file`] of the file at `path`, read as a stream: the file is
/// never in memory whole. `each` gets every item that has passed its
/// checks (as long as no error has been found), before the report's feed
/// keeps it as `keep` says. A file that is not UTF-8 is read whole for the
/// error's place.
pub fn check_path(
    path: &Path,
    format: Format,
    keep: Keep,
    each: &mut dyn FnMut(usize, &mut Item),
) -> io::Result<Checked> {
    if !is_utf8_file(path)? {
        let bytes = std::fs::read(path)?;
        return Ok(Checked {
            report: check_file(&bytes, format),
            spans: Vec::new(),
        });
    }
    check_source(std::fs::File::open(path)?, format, keep, each)
}

/// Whether the file is UTF-8 (with or without a byte order mark), read a
/// megabyte at a time.
fn is_utf8_file(path: &Path) -> io::Result<bool> {
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0; 1 << 20];
    let mut carry = 0;
    let mut first = true;
    loop {
        let n = file.read(&mut buf[carry..])?;
        if n == 0 {
            return Ok(carry == 0);
        }
        let len = carry + n;
        if first {
            first = false;
            if wide_encoding(&buf[..len]).is_some() {
                return Ok(false);
            }
        }
        carry = match std::str::from_utf8(&buf[..len]) {
            Ok(_) => 0,
            Err(e) if e.error_len().is_some() => return Ok(false),
            // A character cut at the end of the buffer: its start goes first.
            Err(e) => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..len, 0);
                len - valid
            }
        };
    }
}

/// The checks of the items as they are read, and where each item is.
#[derive(Default)]
struct ItemChecks {
    checks: Checker,
    seen: Items,
    /// Each parsed item's line, and its position among all item lines
    /// (broken ones included), which is what the reader counts.
    lines: Vec<u32>,
    order: Vec<usize>,
    broken: Vec<(usize, LineError)>,
}

impl ItemChecks {
    /// Checks the next item; returns its position among the parsed items
    /// and its value when it is JSON.
    fn push(
        &mut self,
        span: Span,
        item: Result<Value, LineError>,
        columns: Option<&[String]>,
    ) -> Option<(usize, Value)> {
        let ordinal = self.order.len() + self.broken.len();
        match item {
            Ok(value) => {
                let i = self.order.len();
                self.checks.next_item(&mut self.seen, i, &value, columns);
                self.lines.push(span.line);
                self.order.push(ordinal);
                Some((i, value))
            }
            Err(e) => {
                self.broken.push((ordinal, e));
                None
            }
        }
    }

    fn failed(&self) -> bool {
        !self.checks.errors.is_empty() || !self.broken.is_empty()
    }
}

/// The items as the caller keeps them.
struct Kept {
    items: Vec<Item>,
    spans: Vec<Span>,
    /// The first item the model refuses although its checks passed.
    model: Option<String>,
}

/// Validates the feed read from `reader` (rewound for a second read only
/// when a JSON document gives `_gov` after its items, whose columns the
/// items are checked against); see [`check_path`].
pub fn check_source<R: Read + Seek>(
    mut reader: R,
    format: Format,
    keep: Keep,
    each: &mut dyn FnMut(usize, &mut Item),
) -> io::Result<Checked> {
    let columns: RefCell<Option<Vec<String>>> = RefCell::new(None);
    let mut checks = ItemChecks::default();
    let mut kept = Kept {
        items: Vec::new(),
        spans: Vec::new(),
        model: None,
    };
    let scanned = scan_with_head(
        &mut reader,
        format,
        &mut |head: &Head| *columns.borrow_mut() = Checker::default().head(head),
        &mut |span, item| {
            let Some((i, value)) = checks.push(span, item, columns.borrow().as_deref()) else {
                return Ok(());
            };
            kept.spans.push(span);
            if checks.failed() || kept.model.is_some() {
                return Ok(());
            }
            match serde_json::from_value::<Item>(value) {
                Ok(mut item) => {
                    each(i, &mut item);
                    if keep == Keep::NoBodies {
                        item.content_html = None;
                        item.content_text = None;
                    }
                    kept.items.push(item);
                }
                Err(e) => kept.model = Some(e.to_string()),
            }
            Ok(())
        },
    );
    let top = match scanned {
        Ok(top) => top,
        Err(ScanError::Io(e)) => return Err(e),
        Err(e) => {
            return Ok(Checked {
                report: match format {
                    Format::Json => json_error(e),
                    Format::JsonLines => top_error(e),
                },
                spans: Vec::new(),
            })
        }
    };
    let mut head = Checker::default();
    let final_columns = head.head(&top.fields);
    if final_columns != *columns.borrow() {
        // `_gov` came after the items: check them again against its columns.
        reader.seek(SeekFrom::Start(0))?;
        checks = ItemChecks::default();
        let again = scan_with_head(&mut reader, format, &mut |_| {}, &mut |span, item| {
            checks.push(span, item, final_columns.as_deref());
            Ok(())
        });
        if let Err(ScanError::Io(e)) = again {
            return Err(e);
        }
    }
    let report = report(format, &top, head, checks, kept.items, kept.model);
    Ok(Checked {
        report,
        spans: kept.spans,
    })
}

/// The report: the top level's diagnostics, then the items'; the feed when
/// there is no error.
fn report(
    format: Format,
    top: &Top,
    mut head: Checker,
    mut checks: ItemChecks,
    items: Vec<Item>,
    model: Option<String>,
) -> Report {
    match top.items_not_array {
        _ if format == Format::Json && !top.items_seen => head.err(
            Kind::MissingField,
            "items",
            "required field \"items\" is missing".to_owned(),
        ),
        Some(found) => head.err(
            Kind::WrongType,
            "items",
            format!("expected an array, found {found}"),
        ),
        None if top.count == 0 => head.empty_feed(),
        None => {}
    }
    checks.checks.relation_targets(&checks.seen.targets);
    head.errors.append(&mut checks.checks.errors);
    head.warnings.append(&mut checks.checks.warnings);
    let item_count = if top.items_not_array.is_some() {
        0
    } else {
        top.count
    };
    let feed = if head.errors.is_empty() && checks.broken.is_empty() {
        let mut fields = top.fields.clone();
        fields.insert("items".to_owned(), Value::Array(Vec::new()));
        let parsed = serde_json::from_value::<Feed>(Value::Object(fields));
        match (parsed.map_err(|e| e.to_string()), model) {
            (Ok(mut feed), None) => {
                feed.items = items;
                Some(feed)
            }
            (Err(e), _) | (Ok(_), Some(e)) => {
                head.model_error(&e);
                None
            }
        }
    } else {
        None
    };
    let mut report = head.into_report(feed, item_count);
    if format == Format::JsonLines {
        lines(&mut report, checks);
    }
    report
}

/// JSON Lines: each item's diagnostics name its line and its position
/// among all item lines; a line that is not JSON is an error of its own.
fn lines(report: &mut Report, checks: ItemChecks) {
    let ItemChecks {
        lines,
        order,
        broken,
        ..
    } = checks;
    for d in report.errors.iter_mut().chain(report.warnings.iter_mut()) {
        let Some(i) = d.item else { continue };
        d.line = lines.get(i).copied();
        let ordinal = order.get(i).copied().unwrap_or(i);
        if ordinal != i {
            d.path = d
                .path
                .replacen(&format!("items[{i}]"), &format!("items[{ordinal}]"), 1);
            d.item = Some(ordinal);
        }
    }
    if !broken.is_empty() {
        report.feed = None;
        let syntax = broken.into_iter().map(|(ordinal, e)| Diagnostic {
            severity: Severity::Error,
            kind: Kind::NotJson {
                line: e.line as usize,
                column: e.column,
            },
            item: Some(ordinal),
            id: None,
            path: format!("items[{ordinal}]"),
            message: format!(
                "{} (each line after the first holds one whole item)",
                e.message
            ),
            line: Some(e.line),
        });
        report.errors.splice(0..0, syntax);
    }
}

/// The report of a file whose first line or encoding is wrong.
fn only(kind: Kind, message: String) -> Report {
    let mut c = Checker::default();
    c.push(Severity::Error, kind, String::new(), message);
    c.into_report(None, 0)
}

/// A JSON document that is not JSON, or not an object: [`super::check`]'s
/// one error.
fn json_error(e: ScanError) -> Report {
    match e {
        ScanError::Syntax {
            line,
            column,
            message,
        } => only(Kind::NotJson { line, column }, message),
        ScanError::NotAnObject { found } => only(
            Kind::NotAnObject,
            format!("the feed must be a JSON object, found {found}"),
        ),
        other => only(Kind::NotJson { line: 1, column: 1 }, other.to_string()),
    }
}

fn top_error(e: ScanError) -> Report {
    let kind = match &e {
        ScanError::Syntax { line, column, .. } => Kind::NotJson {
            line: *line,
            column: *column,
        },
        ScanError::NotAnObject { .. } | ScanError::ItemsOnFirstLine => Kind::NotAnObject,
        // Reading a byte slice cannot fail, and the callback never stops.
        ScanError::Io(_) | ScanError::Stopped(_) => Kind::NotJson { line: 1, column: 1 },
    };
    let message = match e {
        ScanError::Syntax { message, .. } => {
            format!("{message} (line 1 of a JSON Lines feed holds the feed's top-level fields as one JSON object)")
        }
        ScanError::NotAnObject { found } => format!(
            "line 1 of a JSON Lines feed must be a JSON object with the feed's top-level fields, found {found}"
        ),
        other => other.to_string(),
    };
    only(kind, message)
}

#[cfg(test)]
mod tests {
    use super::super::check_bytes;
    use super::*;
    use serde_json::json;

    fn top() -> String {
        json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": "武山县科学技术局",
            "_gov": {
                "site_name": "甘肃政务服务网",
                "department": "科技局",
                "columns": [{"id": "tzgg", "name": "通知公告"}],
                "login_url": "https://portal.example.gov.cn/login",
                "register_url": "https://portal.example.gov.cn/register"
            }
        })
        .to_string()
    }

    fn item(n: u32) -> String {
        json!({
            "id": format!("kjj1-2023-{n:05}"),
            "title": format!("通知 {n}"),
            "content_text": "正文",
            "date_published": "2023-07-14T09:00:00+08:00",
            "_gov": {"index_no": format!("kjj1/2023-{n:05}"), "publisher": "科技局", "category": "tzgg"}
        })
        .to_string()
    }

    /// The same feed as one JSON document.
    fn as_json(items: &[String]) -> String {
        let mut top: Value = serde_json::from_str(&top()).unwrap();
        let items: Vec<Value> = items
            .iter()
            .map(|i| serde_json::from_str(i).unwrap())
            .collect();
        top["items"] = Value::Array(items);
        top.to_string()
    }

    #[test]
    fn a_json_lines_feed_gives_the_same_feed_as_its_json_document() {
        let items: Vec<String> = (1..=3).map(item).collect();
        let text = format!(
            "\u{FEFF}{}\n{}\n\n{}\r\n{}\n",
            top(),
            items[0],
            items[1],
            items[2]
        );
        let lines = check_lines(text.as_bytes());
        assert!(lines.is_ok(), "{:?}", lines.errors);
        let json = check_bytes(as_json(&items).as_bytes());
        assert_eq!(lines.feed, json.feed);
        assert_eq!(lines.item_count, 3);
        assert_eq!(
            check_file(text.as_bytes(), Format::JsonLines).feed,
            json.feed
        );
    }

    #[test]
    fn an_item_error_names_its_line() {
        let mut bad = item(2);
        bad = bad.replace("kjj1/2023-00002", "bad index");
        let text = format!("{}\n{}\n\n{}\n", top(), item(1), bad);
        let r = check_lines(text.as_bytes());
        let d = r
            .errors
            .iter()
            .find(|d| d.path.ends_with("index_no"))
            .unwrap();
        assert_eq!((d.item, d.line), (Some(1), Some(4)));
        assert!(
            d.to_string()
                .starts_with("error: line 4, items[1] (id \"kjj1-2023-00002\"): _gov.index_no:"),
            "{d}"
        );
    }

    #[test]
    fn a_broken_line_is_reported_and_the_others_still_checked() {
        let text = format!("{}\n{}\n{{\"id\": \"x\",\n{}\n", top(), item(1), item(1));
        let r = check_lines(text.as_bytes());
        assert!(r.feed.is_none());
        // Line 4 is the third item line: items[2], although line 3 is not parsed.
        let dup = r.errors.iter().find(|d| d.line == Some(4)).unwrap();
        assert_eq!((dup.item, dup.path.as_str()), (Some(2), "items[2].id"));
        let first = &r.errors[0];
        assert_eq!(first.line, Some(3));
        assert!(
            matches!(first.kind, Kind::NotJson { line: 3, .. }),
            "{first:?}"
        );
        assert!(
            first
                .to_string()
                .starts_with("error: not valid JSON at line 3, column"),
            "{first}"
        );
        assert!(!first.to_string().contains("at line 1 column"), "{first}");
        // Line 4 repeats line 2's id: found although line 3 is broken.
        assert!(
            r.errors
                .iter()
                .any(|d| d.line == Some(4) && d.path.ends_with("id")),
            "{:?}",
            r.errors
        );
        assert_eq!(r.item_count, 3);
    }

    #[test]
    fn a_wrong_first_line_says_what_line_1_holds() {
        let with_items = format!("{}\n", as_json(&[item(1)]));
        let r = check_lines(with_items.as_bytes());
        assert!(
            r.errors[0].message.contains("without \"items\""),
            "{:?}",
            r.errors
        );
        let r = check_lines(format!("[1]\n{}\n", item(1)).as_bytes());
        assert!(
            r.errors[0].message.contains("found an array"),
            "{:?}",
            r.errors
        );
        let r = check_lines(b"{\"title\": \n");
        assert!(
            matches!(r.errors[0].kind, Kind::NotJson { line: 1, .. }),
            "{:?}",
            r.errors
        );
        let r = check_lines(b"\xFF\xFE{\x00");
        assert!(
            matches!(r.errors[0].kind, Kind::NotUtf8 { .. }),
            "{:?}",
            r.errors
        );
    }
}

#[cfg(test)]
mod same_as_whole {
    use super::super::check;
    use super::*;

    /// Feeds whose diagnostics the item-by-item check must give exactly as
    /// the whole-document one: top-level errors after the items, `_gov`
    /// after the items (its columns checked against them), repeated ids,
    /// relations, wrong types, syntax errors.
    const FEEDS: &[&str] = &[
        r#"{"items": [{"id": "a", "title": "t", "content_text": "x", "date_published": "2023-01-01T00:00:00Z",
            "_gov": {"index_no": "a/2023-00001", "publisher": "p", "category": "nope"}},
           {"id": "A", "title": "", "content_text": "x", "date_published": "bad",
            "_gov": {"index_no": "a/2023-00002", "publisher": "p", "category": "c",
                     "relations": [{"type": "repeals", "id": "a"}, {"type": "amends", "id": "zz"}]}}],
           "version": "1", "_gov": {"site_name": "s", "department": "d", "columns": [{"id": "c", "name": "C"}],
                     "login_url": "https://x.cn/l", "register_url": "https://x.cn/r"}}"#,
        r#"{"version": "https://jsonfeed.org/version/1.1", "title": "t",
           "_gov": {"site_name": "s", "department": "d", "columns": [{"id": "c", "name": "C"}],
                    "login_url": "https://x.cn/l", "register_url": "https://x.cn/r"},
           "items": [{"id": "a", "title": "t", "content_text": "x", "date_published": "2023-01-01T00:00:00Z",
                      "_gov": {"index_no": "a/2023-00001", "publisher": "p", "category": "c", "validity": "有效"}},
                     {"id": "b", "title": "t", "content_text": "x", "date_published": "2023-01-01T00:00:00Z",
                      "_gov": {"index_no": "a/2023-00002", "publisher": "p", "category": "c",
                               "relations": [{"type": "amends", "id": "a"}]}}, 3]}"#,
        r#"{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": 3}"#,
        r#"{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}"#,
        r#"{"version": "https://jsonfeed.org/version/1.1", "title": "t"}"#,
        r#"{"items": [{"id": "a"}], "title": 3"#,
        r#"[1, 2]"#,
        r#"{} x"#,
        "",
    ];

    #[test]
    fn item_by_item_gives_the_whole_checks_diagnostics() {
        for text in FEEDS {
            let whole = check(text);
            let streamed = check_file(text.as_bytes(), Format::Json);
            assert_eq!(streamed, whole, "{text}");
            assert!(!whole.errors.is_empty() || !whole.warnings.is_empty());
        }
    }

    #[test]
    fn without_bodies_the_feed_is_the_same_but_its_bodies() {
        let text = FEEDS[1].replace(", 3]", "]").replace("有效", "已修订");
        let whole = check(&text).feed.expect("a valid feed");
        let mut seen = Vec::new();
        let checked = check_source(
            io::Cursor::new(text.as_bytes()),
            Format::Json,
            Keep::NoBodies,
            &mut |i, item| seen.push((i, item.content_text.clone())),
        )
        .unwrap();
        let mut feed = checked.report.feed.expect("a valid feed");
        assert!(feed.items.iter().all(|i| i.content_text.is_none()));
        assert_eq!(seen, [(0, Some("x".to_owned())), (1, Some("x".to_owned()))]);
        for (item, span) in feed.items.iter_mut().zip(&checked.spans) {
            let again: Item =
                serde_json::from_slice(&text.as_bytes()[span.start as usize..span.end as usize])
                    .unwrap();
            item.content_text = again.content_text;
        }
        assert_eq!(feed, whole);
    }
}
