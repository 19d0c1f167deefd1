//! `check` of a feed file in either layout (feature `build`): one JSON Feed
//! document, or JSON Lines — the feed's top-level fields on the first line,
//! then one item a line — which a province's export writes and reads line by
//! line. A JSON Lines feed gets the same rules as a JSON one; every
//! diagnostic about an item also names the item's line, and a line that is
//! not JSON is reported with its line and column while the other lines are
//! still checked.

use super::{check_bytes, check_value, feed_text, Checker, Diagnostic, Kind, Report, Severity};
use crate::source::{scan, Format, LineError, ScanError};
use serde_json::Value;

/// Validates a feed file's bytes laid out as `format`; see [`check_bytes`]
/// for a JSON document and [`check_lines`] for JSON Lines.
pub fn check_file(bytes: &[u8], format: Format) -> Report {
    match format {
        Format::Json => check_bytes(bytes),
        Format::JsonLines => check_lines(bytes),
    }
}

/// Validates a JSON Lines feed: UTF-8 (a byte order mark is skipped), a
/// first line with the top-level fields and no `items`, then one item a
/// line; blank lines are skipped.
pub fn check_lines(bytes: &[u8]) -> Report {
    let text = match feed_text(bytes) {
        Ok(text) => text,
        Err((kind, message)) => return only(kind, message),
    };
    let mut items = Vec::new();
    // For each parsed item: its line, and its position among all item lines
    // (broken ones included), which is what the reader counts.
    let mut lines = Vec::new();
    let mut order = Vec::new();
    let mut broken: Vec<(usize, LineError)> = Vec::new();
    let scanned = scan(text.as_bytes(), Format::JsonLines, &mut |span, item| {
        let ordinal = order.len() + broken.len();
        match item {
            Ok(value) => {
                items.push(value);
                lines.push(span.line);
                order.push(ordinal);
            }
            Err(e) => broken.push((ordinal, e)),
        }
        Ok(())
    });
    let top = match scanned {
        Ok(top) => top,
        Err(e) => return top_error(e),
    };
    let mut fields = top.fields;
    fields.insert("items".to_owned(), Value::Array(items));
    let mut report = check_value(Value::Object(fields));
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
    report.item_count = top.count;
    report
}

/// The report of a file whose first line or encoding is wrong.
fn only(kind: Kind, message: String) -> Report {
    let mut c = Checker::default();
    c.push(Severity::Error, kind, String::new(), message);
    c.into_report(None, 0)
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
