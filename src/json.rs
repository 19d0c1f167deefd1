//! A small JSON reader and writer for what the app reads before any chunk
//! has loaded: the manifest, the stored settings and the stored favourites.
//!
//! `serde_json` with derived deserializers costs the main module about
//! 15 KB of brotli wasm (its parser monomorphised per type, `Value`, float
//! parsing and printing tables); the list and article pages keep it, in
//! their own chunks (bench/README.md, "Issue 16"). This reader keeps
//! numbers as their text ([`Json::as_u64`] reads integers), so no float
//! code comes with it, and it reports where the text stopped making sense
//! as serde_json does (1-based line and column).

use std::fmt::Write as _;

/// A parsed JSON value. Objects keep their members in order; when a key
/// is repeated, [`Json::get`] returns the last, as `serde_json::Value` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written (valid JSON number syntax).
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object's members, in order.
    Object(Vec<(String, Json)>),
}

/// Where and why a text is not JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at line {line} column {column}")]
pub struct JsonError {
    /// 1-based line of the offending character.
    pub line: usize,
    /// 1-based column of the offending character, in bytes (as serde_json
    /// counts); at the end of the text, the last character's.
    pub column: usize,
    /// What was wrong.
    pub message: &'static str,
}

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 128;

struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    /// An error at the current character; at the end of the text, at the
    /// last character (as serde_json counts: "" fails at column 0).
    fn error(&self, message: &'static str) -> JsonError {
        let before = &self.text[..self.at.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let on_line = before.rsplit('\n').next().map_or(0, str::len);
        let column = on_line + usize::from(self.at < self.text.len());
        JsonError {
            line,
            column,
            message,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8, message: &'static str) -> Result<(), JsonError> {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(message))
        }
    }

    fn value(&mut self) -> Result<Json, JsonError> {
        self.skip_space();
        match self.peek() {
            None => Err(self.error("EOF while parsing a value")),
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'n') => self.word("null", Json::Null),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(_) => Err(self.error("expected value")),
        }
    }

    /// `null`, `true` or `false`, whose first letter has been seen.
    fn word(&mut self, word: &str, value: Json) -> Result<Json, JsonError> {
        for expected in word.bytes() {
            match self.peek() {
                None => return Err(self.error("EOF while parsing a value")),
                Some(b) if b == expected => self.at += 1,
                Some(_) => return Err(self.error("expected ident")),
            }
        }
        Ok(value)
    }

    fn nested(&mut self, f: fn(&mut Self) -> Result<Json, JsonError>) -> Result<Json, JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        self.at += 1;
        let value = f(self);
        self.depth -= 1;
        value
    }

    fn object(&mut self) -> Result<Json, JsonError> {
        let mut members = Vec::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.error("key must be a string"));
            }
            let key = self.string()?;
            self.expect(b':', "expected `:`")?;
            members.push((key, self.value()?));
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Json::Object(members));
                }
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self) -> Result<Json, JsonError> {
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                None => return Err(self.error("EOF while parsing a list")),
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        // A leading zero is a whole integer part: `01` is `0` and then
        // something that is not JSON, as serde_json reads it.
        if self.peek() == Some(b'0') {
            self.at += 1;
        } else if self.digits() == 0 {
            return Err(self.error("invalid number"));
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        Ok(Json::Number(self.text[start..self.at].to_owned()))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let hex = self
            .text
            .get(self.at..self.at + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid escape"))?;
        self.at += 4;
        u32::from_str_radix(hex, 16).map_err(|_| self.error("invalid escape"))
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1; // the opening quote
        let mut out = String::new();
        loop {
            let rest = &self.text[self.at..];
            let Some(plain) = rest.find(|c: char| c == '"' || c == '\\' || c < ' ') else {
                self.at = self.text.len();
                return Err(self.error("EOF while parsing a string"));
            };
            out.push_str(&rest[..plain]);
            self.at += plain;
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let escaped = self.unicode_escape()?;
                            out.push(escaped);
                            continue;
                        }
                        _ => return Err(self.error("invalid escape")),
                    };
                    self.at += 1;
                    out.push(escaped);
                }
                _ => return Err(self.error("control character in a string")),
            }
        }
    }

    /// After `\u`: one escaped character, or a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let high = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&high) {
            if !self.text[self.at..].starts_with("\\u") {
                return Err(self.error("lone leading surrogate in hex escape"));
            }
            self.at += 2;
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.error("unexpected end of hex escape"));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
    }
}

/// Parses `text`: one JSON value, with nothing but white space after it.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut parser = Parser {
        text,
        at: 0,
        depth: 0,
    };
    let value = parser.value()?;
    parser.skip_space();
    if parser.at < text.len() {
        return Err(parser.error("trailing characters"));
    }
    Ok(value)
}

impl Json {
    /// The value of member `key` of an object (the last, if repeated).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number as an unsigned integer, if it is one that fits (`3`,
    /// not `3.0`, `-3` or `1e3`).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }

    /// The JSON text, compact (`{"v":1,"items":[]}`), as
    /// `serde_json::to_string` writes it.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, None, 0);
        out
    }

    /// The JSON text indented by two spaces per level, as
    /// `serde_json::to_string_pretty` writes it.
    pub fn to_pretty_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, Some(2), 0);
        out
    }

    fn write(&self, out: &mut String, indent: Option<usize>, level: usize) {
        let newline = |out: &mut String, level: usize| {
            if let Some(width) = indent {
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', width * level));
            }
        };
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_string(out, s),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Object(members) if members.is_empty() => out.push_str("{}"),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, level + 1);
                    item.write(out, indent, level + 1);
                }
                newline(out, level);
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, level + 1);
                    write_string(out, key);
                    out.push(':');
                    if indent.is_some() {
                        out.push(' ');
                    }
                    value.write(out, indent, level + 1);
                }
                newline(out, level);
                out.push('}');
            }
        }
    }
}

/// `value` as a JSON string literal, escaped as serde_json escapes it.
pub fn write_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl From<&str> for Json {
    fn from(s: &str) -> Self {
        Json::String(s.to_owned())
    }
}

impl From<u64> for Json {
    fn from(n: u64) -> Self {
        Json::Number(n.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts serde_json reads, and how: every one must come out the same.
    const SAMPLES: &[&str] = &[
        r#"{"v":1,"items":[{"id":"a-1","title":"通知 \"引号\" \\ /","added_at":1700000000000}]}"#,
        "[1, -2, 3.25, 4e5, -0.5E-3, 0, true, false, null, \"\", [], {}]",
        "  {\n \"a\" : [ 1 , { \"b\" : \"\\u00e9\\ud83d\\ude00\\n\\t\" } ] }\n",
        r#"{"k":1,"k":2}"#,
        r#""\u001f control \b\f\r""#,
    ];

    fn to_serde(json: &Json) -> serde_json::Value {
        match json {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => serde_json::Value::Bool(*b),
            Json::Number(n) => serde_json::from_str(n).unwrap(),
            Json::String(s) => serde_json::Value::String(s.clone()),
            Json::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
            Json::Object(members) => {
                let mut map = serde_json::Map::new();
                for (k, v) in members {
                    map.insert(k.clone(), to_serde(v));
                }
                serde_json::Value::Object(map)
            }
        }
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for text in SAMPLES {
            let ours = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(to_serde(&ours), theirs, "{text}");
        }
        assert_eq!(
            parse(r#"{"k":1,"k":2}"#).unwrap().get("k"),
            Some(&Json::from(2))
        );
    }

    #[test]
    fn writes_text_serde_json_reads_back() {
        for text in SAMPLES.iter().filter(|t| !t.contains(r#""k":1"#)) {
            let ours = parse(text).unwrap();
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            for written in [ours.to_text(), ours.to_pretty_text()] {
                let back: serde_json::Value = serde_json::from_str(&written).unwrap();
                assert_eq!(back, theirs, "{written}");
            }
        }
        let value = parse(r#"{"v":1,"items":[{"id":"a","n":[]}],"o":{}}"#).unwrap();
        assert_eq!(
            value.to_text(),
            r#"{"v":1,"items":[{"id":"a","n":[]}],"o":{}}"#
        );
        assert_eq!(
            value.to_pretty_text(),
            "{\n  \"v\": 1,\n  \"items\": [\n    {\n      \"id\": \"a\",\n      \"n\": []\n    }\n  ],\n  \"o\": {}\n}"
        );
    }

    #[test]
    fn bad_text_is_refused_with_the_place_of_the_fault() {
        // (text, line, column): the offending character, or the last one
        // when the text ends too soon, as serde_json reports them.
        let cases = [
            ("", 1, 0),
            ("{", 1, 1),
            ("{\"a\" 1}", 1, 6),
            ("{\"a\":1,}", 1, 8),
            ("[1,]", 1, 4),
            ("[1 2]", 1, 4),
            ("01", 1, 2),
            ("1.", 1, 2),
            ("-", 1, 1),
            ("1e", 1, 2),
            ("tru", 1, 3),
            ("\"abc", 1, 4),
            ("\"\\x\"", 1, 3),
            ("\"\\ud800\"", 1, 8),
            ("\"a\u{1}b\"", 1, 3),
            ("{1:2}", 1, 2),
            ("[]]", 1, 3),
            ("nul", 1, 3),
            ("{\"a\":\n  [1,\n   ?]}", 3, 4),
            ("\"汉字\\q\"", 1, 9),
        ];
        for (text, line, column) in
            cases
                .into_iter()
                .chain([("[01]", 1, 3), ("[tx]", 1, 3), ("-01", 1, 3)])
        {
            let ours = parse(text).expect_err(text);
            assert_eq!((ours.line, ours.column), (line, column), "{text:?}: {ours}");
            let theirs = serde_json::from_str::<serde_json::Value>(text).expect_err(text);
            assert_eq!(
                (theirs.line(), theirs.column()),
                (line, column),
                "{text:?}: serde_json"
            );
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(10_000);
        assert_eq!(
            parse(&text).unwrap_err().message,
            "recursion limit exceeded"
        );
    }

    #[test]
    fn integers_only() {
        assert_eq!(
            parse("1700000000000").unwrap().as_u64(),
            Some(1_700_000_000_000)
        );
        for text in ["3.0", "-3", "1e3", "\"3\""] {
            assert_eq!(parse(text).unwrap().as_u64(), None, "{text}");
        }
    }
}
