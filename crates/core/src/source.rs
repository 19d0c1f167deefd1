//! Reading a feed file as a stream (feature `build`): one item at a time,
//! so that a feed of a million notices (several GB of JSON) never has to be
//! in memory whole.
//!
//! A feed file is either one JSON Feed document ([`Format::Json`]) or JSON
//! Lines ([`Format::JsonLines`]): a first line with the feed's top-level
//! fields (everything but `items`), then one item a line, so that a
//! province's export can be written and read line by line.
//!
//! [`scan`] reads the file once from start to end and hands each item to a
//! callback with its [`Span`]: where it is in the file (byte range and
//! line). A later pass reads the items it needs again from their spans
//! ([`read_span`]), in any order and in parallel, without reading the rest.
//!
//! ```
//! use gongkai_core::source::{scan, Format};
//! let json = r#"{"title": "t", "items": [{"id": "a"},
//!   {"id": "b"}], "_gov": {}}"#;
//! let mut ids = Vec::new();
//! let top = scan(json.as_bytes(), Format::Json, &mut |span, item| {
//!     let item = item.unwrap();
//!     ids.push((item["id"].as_str().unwrap().to_owned(), span.line));
//!     Ok(())
//! })
//! .unwrap();
//! assert_eq!(ids, [("a".to_owned(), 1), ("b".to_owned(), 2)]);
//! assert!(top.fields.contains_key("_gov") && top.items_seen);
//! ```

use crate::validate::serde_message;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;
use std::str::FromStr;

/// How a feed file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One JSON Feed document.
    #[default]
    Json,
    /// JSON Lines: the top-level fields on the first line, one item a line.
    JsonLines,
}

impl Format {
    /// `json` or `jsonl`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::JsonLines => "jsonl",
        }
    }

    /// By the file's extension: `.jsonl` and `.ndjson` are JSON Lines,
    /// anything else one JSON document.
    pub fn of_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson") => {
                Format::JsonLines
            }
            _ => Format::Json,
        }
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "json" => Ok(Format::Json),
            "jsonl" | "ndjson" => Ok(Format::JsonLines),
            other => Err(format!(
                "unknown feed format {other:?}: expected json or jsonl"
            )),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an item is in the feed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// Offset of its first byte.
    pub start: u64,
    /// Offset just past its last byte.
    pub end: u64,
    /// The line it starts on, from 1.
    pub line: u32,
}

impl Span {
    /// Its length in bytes.
    pub fn len(&self) -> u64 {
        self.end - self.start
    }

    /// Whether it holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// A line of a JSON Lines file that is not JSON: 1-based line and column
/// in the file, and serde's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// Line in the file, from 1.
    pub line: u32,
    /// Column in that line, from 1.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// The feed's top level, as [`scan`] found it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Top {
    /// Every top-level field but `items`.
    pub fields: Map<String, Value>,
    /// Whether the feed has an `items` array (or, in JSON Lines, any item
    /// line).
    pub items_seen: bool,
    /// The JSON type `items` has when it is not an array.
    pub items_not_array: Option<&'static str>,
    /// Items passed to the callback.
    pub count: usize,
}

/// Why a scan stopped.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// Reading the file failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The file is not JSON (JSON Lines: the first line is not).
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// serde's message.
        message: String,
    },
    /// The top level is not an object.
    #[error("the feed must be a JSON object, found {found}")]
    NotAnObject {
        /// What it is.
        found: &'static str,
    },
    /// The first line of a JSON Lines file holds `items`.
    #[error("line 1 of a JSON Lines feed holds the top-level fields without \"items\": the items follow, one a line")]
    ItemsOnFirstLine,
    /// The callback stopped the scan.
    #[error("{0}")]
    Stopped(String),
}

/// What the callback receives for each item: its value, or, in JSON Lines,
/// the line's syntax error (the scan goes on with the next line).
pub type ItemResult = Result<Value, LineError>;

/// Reads a feed from `reader`, calling `on_item` for each item in file
/// order, and returns its top level. An `Err` from the callback stops the
/// scan with [`ScanError::Stopped`].
pub fn scan<R: Read>(
    reader: R,
    format: Format,
    on_item: &mut dyn FnMut(Span, ItemResult) -> Result<(), String>,
) -> Result<Top, ScanError> {
    scan_with_head(reader, format, &mut |_| {}, on_item)
}

/// The top-level fields that come before the items: handed to `on_head`
/// of [`scan_with_head`] before the first item.
pub type Head = Map<String, Value>;

/// [`scan`], calling `on_head` once with the top-level fields read before
/// the items (JSON Lines: the first line; one JSON document: the fields
/// before `items`, which may lack some that come after), before the first
/// item, so that the items can be read knowing them.
pub fn scan_with_head<R: Read>(
    reader: R,
    format: Format,
    on_head: &mut dyn FnMut(&Head),
    on_item: &mut dyn FnMut(Span, ItemResult) -> Result<(), String>,
) -> Result<Top, ScanError> {
    match format {
        Format::Json => scan_json(reader, on_head, on_item),
        Format::JsonLines => {
            scan_lines(BufReader::with_capacity(1 << 16, reader), on_head, on_item)
        }
    }
}

/// Reads the item at `span` of `file` again: its bytes, parsed.
pub fn read_span<F: Read + Seek>(file: &mut F, span: Span) -> Result<Value, ScanError> {
    let mut bytes = vec![0; span.len() as usize];
    file.seek(SeekFrom::Start(span.start))?;
    file.read_exact(&mut bytes)?;
    serde_json::from_slice(&bytes).map_err(|e| ScanError::Syntax {
        line: span.line as usize + e.line() - 1,
        column: e.column(),
        message: serde_message(&e),
    })
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

// ---- JSON Lines -------------------------------------------------------

fn scan_lines<R: BufRead>(
    mut reader: R,
    on_head: &mut dyn FnMut(&Head),
    on_item: &mut dyn FnMut(Span, ItemResult) -> Result<(), String>,
) -> Result<Top, ScanError> {
    let mut top = Top::default();
    let mut line = Vec::new();
    let mut offset: u64 = 0;
    let mut number: u32 = 0;
    let mut first = true;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        number += 1;
        let start = offset;
        offset += n as u64;
        let mut text: &[u8] = &line;
        let mut skipped = 0;
        if first {
            // A byte order mark (Windows Notepad writes one).
            if let Some(rest) = text.strip_prefix(b"\xEF\xBB\xBF") {
                text = rest;
                skipped = 3;
            }
        }
        let trimmed = text.trim_ascii_end();
        if trimmed.trim_ascii_start().is_empty() {
            continue;
        }
        let span = Span {
            start: start + skipped,
            end: start + skipped + trimmed.len() as u64,
            line: number,
        };
        let parsed: Result<Value, serde_json::Error> = serde_json::from_slice(trimmed);
        if first {
            first = false;
            let value = parsed.map_err(|e| ScanError::Syntax {
                line: number as usize,
                column: e.column(),
                message: serde_message(&e),
            })?;
            let Value::Object(fields) = value else {
                return Err(ScanError::NotAnObject {
                    found: type_name(&value),
                });
            };
            if fields.contains_key("items") {
                return Err(ScanError::ItemsOnFirstLine);
            }
            on_head(&fields);
            top.fields = fields;
            continue;
        }
        top.items_seen = true;
        top.count += 1;
        let item = parsed.map_err(|e| LineError {
            line: number,
            column: e.column(),
            message: serde_message(&e),
        });
        on_item(span, item).map_err(ScanError::Stopped)?;
    }
    if first {
        return Err(ScanError::Syntax {
            line: 1,
            column: 1,
            message: "EOF while parsing a value at line 1 column 0".to_owned(),
        });
    }
    Ok(top)
}

// ---- One JSON document ---------------------------------------------------

/// The reader's position, shared with the deserializer's seeds: the bytes
/// and lines consumed, and where the next `{` was (armed before each item).
#[derive(Debug, Default)]
struct Position {
    offset: Cell<u64>,
    line: Cell<u32>,
    armed: Cell<bool>,
    opened: Cell<Option<(u64, u32)>>,
}

/// Counts what serde_json consumes. serde_json reads one byte at a time
/// through its own reader and looks at most one byte ahead, and an object
/// ends at its `}`: so the offset after an item is exactly its end.
struct Counting<R> {
    inner: R,
    pos: Rc<Position>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let pos = &self.pos;
        for &b in &buf[..n] {
            if b == b'{' && pos.armed.get() {
                pos.armed.set(false);
                pos.opened.set(Some((pos.offset.get(), pos.line.get())));
            }
            if b == b'\n' {
                pos.line.set(pos.line.get() + 1);
            }
            pos.offset.set(pos.offset.get() + 1);
        }
        Ok(n)
    }
}

fn scan_json<R: Read>(
    reader: R,
    on_head: &mut dyn FnMut(&Head),
    on_item: &mut dyn FnMut(Span, ItemResult) -> Result<(), String>,
) -> Result<Top, ScanError> {
    let pos = Rc::new(Position::default());
    pos.line.set(1);
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    // A byte order mark (Windows Notepad writes one) is not JSON.
    if reader.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
        pos.offset.set(3);
    }
    let counting = Counting {
        inner: reader,
        pos: Rc::clone(&pos),
    };
    let mut stopped = None;
    let mut de = serde_json::Deserializer::from_reader(counting);
    let seed = TopSeed {
        pos: &pos,
        on_head,
        on_item,
        stopped: &mut stopped,
    };
    let result = seed
        .deserialize(&mut de)
        .and_then(|top| de.end().map(|()| top));
    if let Some(message) = stopped {
        return Err(ScanError::Stopped(message));
    }
    match result {
        Ok(Ok(top)) => Ok(top),
        Ok(Err(found)) => Err(ScanError::NotAnObject { found }),
        Err(e) if e.is_io() => Err(ScanError::Io(io::Error::other(e.to_string()))),
        Err(e) => Err(ScanError::Syntax {
            line: e.line(),
            column: e.column(),
            message: serde_message(&e),
        }),
    }
}

struct TopSeed<'a> {
    pos: &'a Position,
    on_head: &'a mut dyn FnMut(&Head),
    on_item: &'a mut dyn FnMut(Span, ItemResult) -> Result<(), String>,
    stopped: &'a mut Option<String>,
}

/// `Ok(Err(type))`: the top level is not an object.
type TopResult = Result<Top, &'static str>;

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = TopResult;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<TopResult, D::Error> {
        d.deserialize_any(self)
    }
}

macro_rules! not_an_object {
    ($($method:ident: $ty:ty => $name:expr),* $(,)?) => {
        $(fn $method<E: de::Error>(self, _: $ty) -> Result<Self::Value, E> {
            Ok(Err($name))
        })*
    };
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = TopResult;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON Feed object")
    }

    not_an_object! {
        visit_bool: bool => "a boolean",
        visit_i64: i64 => "a number",
        visit_u64: u64 => "a number",
        visit_f64: f64 => "a number",
        visit_str: &str => "a string",
    }

    fn visit_unit<E: de::Error>(self) -> Result<TopResult, E> {
        Ok(Err("null"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TopResult, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Err("an array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopResult, A::Error> {
        let mut top = Top::default();
        while let Some(key) = map.next_key::<String>()? {
            if key == "items" {
                top.items_seen = true;
                (self.on_head)(&top.fields);
                let seed = ItemsSeed {
                    pos: self.pos,
                    on_item: &mut *self.on_item,
                    stopped: &mut *self.stopped,
                    count: &mut top.count,
                };
                top.items_not_array = map.next_value_seed(seed)?;
            } else {
                let value: Value = map.next_value()?;
                top.fields.insert(key, value);
            }
        }
        Ok(Ok(top))
    }
}

struct ItemsSeed<'a> {
    pos: &'a Position,
    on_item: &'a mut dyn FnMut(Span, ItemResult) -> Result<(), String>,
    stopped: &'a mut Option<String>,
    count: &'a mut usize,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    /// The JSON type of `items` when it is not an array.
    type Value = Option<&'static str>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

macro_rules! not_an_array {
    ($($method:ident: $ty:ty => $name:expr),* $(,)?) => {
        $(fn $method<E: de::Error>(self, _: $ty) -> Result<Self::Value, E> {
            Ok(Some($name))
        })*
    };
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of items")
    }

    not_an_array! {
        visit_bool: bool => "a boolean",
        visit_i64: i64 => "a number",
        visit_u64: u64 => "a number",
        visit_f64: f64 => "a number",
        visit_str: &str => "a string",
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Some("null"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Some("an object"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        loop {
            let before = (self.pos.offset.get(), self.pos.line.get());
            self.pos.armed.set(true);
            self.pos.opened.set(None);
            let Some(value) = seq.next_element::<Value>()? else {
                break;
            };
            self.pos.armed.set(false);
            // An object item starts at its `{`; anything else (an error
            // for the checker) at the end of the one before.
            let (start, line) = match (&value, self.pos.opened.get()) {
                (Value::Object(_), Some(at)) => at,
                _ => before,
            };
            let span = Span {
                start,
                end: self.pos.offset.get(),
                line,
            };
            *self.count += 1;
            if let Err(message) = (self.on_item)(span, Ok(value)) {
                *self.stopped = Some(message.clone());
                return Err(de::Error::custom(message));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn collect(text: &str, format: Format) -> (Result<Top, ScanError>, Vec<(Span, ItemResult)>) {
        let mut items = Vec::new();
        let top = scan(text.as_bytes(), format, &mut |span, item| {
            items.push((span, item));
            Ok(())
        });
        (top, items)
    }

    #[test]
    fn json_items_come_with_their_exact_bytes() {
        let text = "\u{FEFF}{\n  \"version\": \"v\",\n  \"items\": [\n    {\"id\": \"a\", \"t\": \"科技\"},\n    {\"id\": \"b\",\n     \"x\": [1, {\"y\": 2}]}\n  ],\n  \"_gov\": {\"site_name\": \"s\"}\n}\n";
        let (top, items) = collect(text, Format::Json);
        let top = top.unwrap();
        assert_eq!(top.count, 2);
        assert!(top.fields.contains_key("version") && top.fields.contains_key("_gov"));
        assert!(!top.fields.contains_key("items"));
        let bytes = text.as_bytes();
        let lines: Vec<u32> = items.iter().map(|(s, _)| s.line).collect();
        assert_eq!(lines, [4, 5]);
        for (span, item) in &items {
            let slice = &bytes[span.start as usize..span.end as usize];
            assert_eq!(slice.first(), Some(&b'{'));
            assert_eq!(slice.last(), Some(&b'}'));
            let again: Value = serde_json::from_slice(slice).unwrap();
            assert_eq!(&again, item.as_ref().unwrap());
            let mut file = Cursor::new(bytes);
            assert_eq!(
                &read_span(&mut file, *span).unwrap(),
                item.as_ref().unwrap()
            );
        }
    }

    #[test]
    fn json_errors_say_where() {
        let (top, items) = collect("{\"items\": [{\"id\": \"a\"},\n {\"id\": }]}", Format::Json);
        assert_eq!(items.len(), 1);
        match top.unwrap_err() {
            ScanError::Syntax { line, column, .. } => assert_eq!((line, column), (2, 9)),
            e => panic!("{e}"),
        }
        assert!(matches!(
            collect("[1, 2]", Format::Json).0,
            Err(ScanError::NotAnObject { found: "an array" })
        ));
        let top = collect("{\"items\": 3}", Format::Json).0.unwrap();
        assert_eq!(top.items_not_array, Some("a number"));
        assert!(matches!(
            collect("{} x", Format::Json).0,
            Err(ScanError::Syntax { .. })
        ));
        assert!(matches!(
            collect("", Format::Json).0,
            Err(ScanError::Syntax { .. })
        ));
    }

    #[test]
    fn a_callback_error_stops_the_scan() {
        let mut seen = 0;
        let err = scan(
            "{\"items\": [{}, {}, {}]}".as_bytes(),
            Format::Json,
            &mut |_, _| {
                seen += 1;
                if seen == 2 {
                    Err("disk full".to_owned())
                } else {
                    Ok(())
                }
            },
        )
        .unwrap_err();
        assert_eq!(seen, 2);
        assert_eq!(err.to_string(), "disk full");
    }

    #[test]
    fn json_lines_report_each_bad_line_and_go_on() {
        let text = "\u{FEFF}{\"version\": \"v\", \"title\": \"t\"}\r\n{\"id\": \"a\"}\n\n{\"id\": }\n{\"id\": \"c\"}";
        let (top, items) = collect(text, Format::JsonLines);
        let top = top.unwrap();
        assert_eq!(top.count, 3);
        assert_eq!(top.fields["title"], "t");
        let lines: Vec<u32> = items.iter().map(|(s, _)| s.line).collect();
        assert_eq!(lines, [2, 4, 5]);
        let err = items[1].1.as_ref().unwrap_err();
        assert_eq!((err.line, err.column), (4, 8));
        let bytes = text.as_bytes();
        for (span, item) in [&items[0], &items[2]] {
            let mut file = Cursor::new(bytes);
            assert_eq!(
                &read_span(&mut file, *span).unwrap(),
                item.as_ref().unwrap()
            );
        }
        assert!(matches!(
            collect("{\"items\": []}\n", Format::JsonLines).0,
            Err(ScanError::ItemsOnFirstLine)
        ));
        assert!(matches!(
            collect("\n\n", Format::JsonLines).0,
            Err(ScanError::Syntax { line: 1, .. })
        ));
        assert!(matches!(
            collect("[1]\n", Format::JsonLines).0,
            Err(ScanError::NotAnObject { .. })
        ));
    }

    #[test]
    fn formats_by_name_and_extension() {
        assert_eq!(Format::of_path(Path::new("feed.jsonl")), Format::JsonLines);
        assert_eq!(
            Format::of_path(Path::new("a/feed.NDJSON")),
            Format::JsonLines
        );
        assert_eq!(Format::of_path(Path::new("feed.json")), Format::Json);
        for f in [Format::Json, Format::JsonLines] {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
        }
        assert!("xml".parse::<Format>().is_err());
    }
}
