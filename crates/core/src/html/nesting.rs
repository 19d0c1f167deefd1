//! How deeply a body's elements nest, measured before the sanitiser parses it.
//!
//! The HTML parser inside the sanitiser (html5ever's tree builder) walks its
//! stack of open elements on most tags, so a body nested n deep costs about
//! n² steps: 200,000 nested `<div>`s took 392 s to build. `check` refuses a
//! body nested deeper than [`MAX_DEPTH`], found by [`max_depth`] in one pass
//! whose own stack never grows past the limit.
//!
//! [`max_depth`] follows the tree-construction rules of the HTML standard
//! that decide how deep ordinary markup nests, so what it counts is the depth
//! the parser builds, not the number of unclosed tags:
//!
//! - void elements (`<br>`, `<img>`…) hold nothing; raw text (`<script>`,
//!   `<style>`, `<textarea>`…) and comments hold no elements;
//! - end tags that authors may omit are implied: a new `<p>`, a heading or a
//!   block closes an open `<p>`, `<li>` closes `<li>`, `<dt>`/`<dd>` each
//!   other, `<tr>` and `<td>` the open row or cell, `<option>` the open option;
//!   `<tbody>` and `<tr>` are implied inside tables;
//! - an end tag closes its element and everything opened inside it, and is
//!   ignored when its element is not open (in scope);
//! - formatting elements (`<b>`, `<font>`…) closed early by a block are
//!   reopened where the next content goes (at most three alike, the
//!   standard's "Noah's Ark" rule), and a misnested `</b>` moves its
//!   element below the block instead of closing the block;
//! - in `<svg>` and `<math>`, `<x/>` is empty.
//!
//! What it leaves out (foster parenting of content misplaced in a table,
//! the rarer branches of the adoption agency, `<template>`, frames) changes
//! the depth of such markup by a level or two, not the order of magnitude.
//!
//! ```
//! use gongkai_core::html::nesting::{max_depth, MAX_DEPTH};
//! assert_eq!(max_depth("<p>一<p>二<ul><li>甲<li>乙</ul>", MAX_DEPTH), Ok(2));
//! let deep = "<div>".repeat(300);
//! let err = max_depth(&deep, MAX_DEPTH).unwrap_err();
//! assert_eq!((err.byte, err.column, err.tag.as_str()), (1280, 1281, "div"));
//! ```

use std::borrow::Cow;

/// The deepest nesting `check` accepts in a body. A real 公文 with tables
/// nests about 20 deep; browsers stop nesting at 512 (Chromium and WebKit put
/// deeper elements beside their parent), and the app's page adds about 20
/// levels around the body; 256 leaves room for both.
pub const MAX_DEPTH: usize = 256;

/// The first element nested deeper than the limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("elements nested more than {limit} deep: <{tag}> at line {line}, column {column} (byte {byte}) would be level {depth}")]
pub struct TooDeep {
    /// The limit that was passed.
    pub limit: usize,
    /// Its depth: `limit + 1`.
    pub depth: usize,
    /// The tag's name as written.
    pub tag: String,
    /// Byte offset of its `<` in the body.
    pub byte: usize,
    /// Line of its `<`, from 1.
    pub line: usize,
    /// Column of its `<` in characters, from 1.
    pub column: usize,
}

/// The depth of the deepest element of `html` (0 without elements; a
/// top-level element is at depth 1), or where it first goes past `limit`.
pub fn max_depth(html: &str, limit: usize) -> Result<usize, TooDeep> {
    let mut tree = Tree {
        limit,
        ..Tree::default()
    };
    let mut tokens = Tokens { html, pos: 0 };
    while let Some(token) = tokens.next_token() {
        let (at, tag) = match token {
            Token::Text { at, blank } => match tree.text(blank) {
                Ok(()) => continue,
                // A formatting element reopened for this text went too deep.
                Err(()) => (at, tree.failed.take().unwrap_or_default()),
            },
            Token::End { at, name } => match tree.end(&lower(name)) {
                Ok(()) => continue,
                Err(()) => (at, name.to_owned()),
            },
            Token::Start {
                at,
                name,
                attrs,
                self_closing,
            } => {
                let lname = lower(name);
                match tree.start(lname.clone(), attrs, self_closing) {
                    Ok(()) if tree.raw_text(&lname) => tokens.skip_raw_text(&lname),
                    Ok(()) => {}
                    Err(()) => return Err(too_deep(html, limit, at, name.to_owned())),
                }
                continue;
            }
        };
        return Err(too_deep(html, limit, at, tag));
    }
    Ok(tree.max)
}

fn too_deep(html: &str, limit: usize, at: usize, tag: String) -> TooDeep {
    let before = &html[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    TooDeep {
        limit,
        depth: limit + 1,
        tag,
        byte: at,
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

// ---------------------------------------------------------------------------
// Tokens: the HTML tokenizer's states that matter for elements.

enum Token<'a> {
    /// `<name attrs>`; `at` is the byte offset of `<`.
    Start {
        at: usize,
        name: &'a str,
        attrs: &'a str,
        self_closing: bool,
    },
    /// `</name …>`.
    End { at: usize, name: &'a str },
    /// Character data starting at `at`; `blank`: only whitespace.
    Text { at: usize, blank: bool },
}

struct Tokens<'a> {
    html: &'a str,
    pos: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

impl<'a> Tokens<'a> {
    /// The next token; markup declarations and stray `</…>` are skipped.
    fn next_token(&mut self) -> Option<Token<'a>> {
        let b = self.html.as_bytes();
        loop {
            if self.pos >= b.len() {
                return None;
            }
            if b[self.pos] != b'<' {
                let at = self.pos;
                self.pos = find(self.html, at, '<').unwrap_or(b.len());
                let blank = b[at..self.pos].iter().all(|&c| is_space(c));
                return Some(Token::Text { at, blank });
            }
            let at = self.pos;
            match b.get(at + 1) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let (name, attrs, self_closing) = self.tag(at + 1)?;
                    return Some(Token::Start {
                        at,
                        name,
                        attrs,
                        self_closing,
                    });
                }
                Some(b'/') => match b.get(at + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let (name, _, _) = self.tag(at + 2)?;
                        return Some(Token::End { at, name });
                    }
                    Some(b'>') => self.pos = at + 3,
                    Some(_) => self.pos = find(self.html, at, '>').map_or(b.len(), |i| i + 1),
                    None => {
                        self.pos = b.len();
                        return Some(Token::Text { at, blank: false });
                    }
                },
                Some(b'!') if b[at..].starts_with(b"<!--") => {
                    // `<!-->` and `<!--->` are whole comments.
                    let body = at + 4;
                    self.pos = if b[body..].starts_with(b">") {
                        body + 1
                    } else if b[body..].starts_with(b"->") {
                        body + 2
                    } else {
                        find_str(self.html, body, "-->").map_or(b.len(), |i| i + 3)
                    };
                }
                Some(b'!' | b'?') => self.pos = find(self.html, at, '>').map_or(b.len(), |i| i + 1),
                _ => {
                    self.pos = at + 1;
                    return Some(Token::Text { at, blank: false });
                }
            }
        }
    }

    /// Reads a tag whose name starts at `start`: (name, attributes as
    /// written, self-closing). `None` at the end of input inside the tag (the
    /// tokenizer drops such a tag).
    fn tag(&mut self, start: usize) -> Option<(&'a str, &'a str, bool)> {
        let b = self.html.as_bytes();
        let mut i = start;
        while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = &self.html[start..i];
        let attrs_start = i;
        let mut self_closing = false;
        loop {
            let Some(&c) = b.get(i) else {
                self.pos = b.len();
                return None;
            };
            match c {
                b'>' => break,
                b'/' => {
                    self_closing = b.get(i + 1) == Some(&b'>');
                    i += 1;
                    continue;
                }
                c if is_space(c) => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            // An attribute: its name (a leading `=` belongs to it), then an
            // optional value, quoted or not.
            i += 1;
            while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            if b.get(i) != Some(&b'=') {
                continue;
            }
            i += 1;
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    i = find(self.html, i + 1, char::from(q)).map_or(b.len(), |j| j + 1);
                }
                _ => {
                    while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                }
            }
        }
        self.pos = i + 1;
        Some((name, self.html[attrs_start..i].trim(), self_closing))
    }

    /// Skips the content of a raw-text element up to its end tag, which is
    /// left to be read next (`plaintext` has none: the rest is text).
    fn skip_raw_text(&mut self, name: &str) {
        let b = self.html.as_bytes();
        if name == "plaintext" {
            self.pos = b.len();
            return;
        }
        let mut i = self.pos;
        while let Some(lt) = find_str(self.html, i, "</") {
            let end = lt + 2 + name.len();
            if b.len() >= end
                && b[lt + 2..end].eq_ignore_ascii_case(name.as_bytes())
                && b.get(end)
                    .is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
            {
                self.pos = lt;
                return;
            }
            i = lt + 2;
        }
        self.pos = b.len();
    }
}

/// The first `needle` in `hay` from `from`.
/// The first `needle` in `hay` from `from` (std's memchr-based search: the
/// text between tags is most of a body). `from` is always just after an
/// ASCII byte, so on a character boundary.
fn find(hay: &str, from: usize, needle: char) -> Option<usize> {
    hay.get(from..)?.find(needle).map(|i| from + i)
}

/// [`find`] for a string.
fn find_str(hay: &str, from: usize, needle: &str) -> Option<usize> {
    hay.get(from..)?.find(needle).map(|i| from + i)
}

// ---------------------------------------------------------------------------
// Tree: the stack of open elements and the list of active formatting elements.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    MathMl,
}

#[derive(Debug, Clone)]
struct Open<'a> {
    name: Cow<'a, str>,
    ns: Ns,
    /// Identity, so the formatting list can tell whether it is still open.
    id: u32,
    /// Depth in the tree, which an element removed from the middle of the
    /// stack (a misnested `<a>`, say) keeps adding to.
    depth: usize,
    /// What the tree rules ask of it ([`SPECIAL`]…), worked out once.
    flags: u8,
}

/// [`Open::flags`]: the standard's "special" elements.
const SPECIAL: u8 = 1;
/// Formatting elements (`<b>`, `<font>`…).
const FORMATTING: u8 = 1 << 1;
/// `<h1>`…`<h6>`.
const HEADING: u8 = 1 << 2;
/// Ends the default scope (also the list item and button scopes).
const SCOPE: u8 = 1 << 3;
/// Also ends the list item scope.
const LIST: u8 = 1 << 4;
/// Also ends the button scope.
const BUTTON: u8 = 1 << 5;
/// Ends the table scope.
const TABLE_SCOPE: u8 = 1 << 6;
/// Part of a table's structure: decides how table tags are read.
const TABLE_PART: u8 = 1 << 7;

fn flags(name: &str, ns: Ns) -> u8 {
    if ns != Ns::Html {
        let integrates = match ns {
            Ns::Svg => matches!(name, "foreignobject" | "desc" | "title"),
            _ => matches!(name, "mi" | "mo" | "mn" | "ms" | "mtext"),
        };
        return if integrates { SCOPE } else { 0 };
    }
    // One match, generated from the sets (the predicates above, and the
    // standard's "special" elements; a test checks they agree): comparing
    // tag names is most of the time spent.
    match name {
        "address" | "area" | "article" | "aside" | "base" | "basefont" | "bgsound"
        | "blockquote" | "body" | "br" | "center" | "col" | "colgroup" | "dd" | "details"
        | "dialog" | "dir" | "div" | "dl" | "dt" | "embed" | "fieldset" | "figcaption"
        | "figure" | "footer" | "form" | "frame" | "frameset" | "head" | "header" | "hgroup"
        | "hr" | "iframe" | "image" | "img" | "input" | "keygen" | "li" | "link" | "listing"
        | "main" | "menu" | "meta" | "nav" | "noembed" | "noframes" | "noscript" | "p"
        | "param" | "plaintext" | "pre" | "script" | "search" | "section" | "source" | "style"
        | "summary" | "textarea" | "title" | "track" | "wbr" | "xmp" => SPECIAL,
        "a" | "b" | "big" | "code" | "em" | "font" | "i" | "nobr" | "s" | "small" | "strike"
        | "strong" | "tt" | "u" => FORMATTING,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => SPECIAL | HEADING,
        "applet" | "marquee" | "object" | "select" => SPECIAL | SCOPE,
        "tbody" | "tfoot" | "thead" | "tr" => SPECIAL | TABLE_PART,
        "caption" | "td" | "th" => SPECIAL | SCOPE | TABLE_PART,
        "ol" | "ul" => SPECIAL | LIST,
        "html" | "template" => SPECIAL | SCOPE | TABLE_SCOPE,
        "button" => SPECIAL | BUTTON,
        "table" => SPECIAL | SCOPE | TABLE_SCOPE | TABLE_PART,
        _ => 0,
    }
}

/// An entry of the list of active formatting elements: `None` is a marker.
type Formatting<'a> = Option<(Cow<'a, str>, &'a str, u32)>;

#[derive(Default)]
struct Tree<'a> {
    limit: usize,
    stack: Vec<Open<'a>>,
    formatting: Vec<Formatting<'a>>,
    next_id: u32,
    max: usize,
    /// The element that went past the limit.
    failed: Option<String>,
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "image"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Start tags that close an open `<p>` first.
fn closes_p(name: &str) -> bool {
    is_heading(name)
        || matches!(
            name,
            "address"
                | "article"
                | "aside"
                | "blockquote"
                | "center"
                | "details"
                | "dialog"
                | "dir"
                | "div"
                | "dl"
                | "fieldset"
                | "figcaption"
                | "figure"
                | "footer"
                | "form"
                | "header"
                | "hgroup"
                | "hr"
                | "listing"
                | "main"
                | "menu"
                | "nav"
                | "ol"
                | "p"
                | "plaintext"
                | "pre"
                | "search"
                | "section"
                | "summary"
                | "table"
                | "ul"
                | "xmp"
        )
}

/// Elements whose content the tokenizer reads as text.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "textarea"
            | "title"
            | "plaintext"
    )
}

/// HTML start tags that leave `<svg>`/`<math>` content.
fn breaks_out_of_foreign(name: &str) -> bool {
    is_heading(name)
        || matches!(
            name,
            "b" | "big"
                | "blockquote"
                | "body"
                | "br"
                | "center"
                | "code"
                | "dd"
                | "div"
                | "dl"
                | "dt"
                | "em"
                | "embed"
                | "head"
                | "hr"
                | "i"
                | "img"
                | "li"
                | "listing"
                | "menu"
                | "meta"
                | "nobr"
                | "ol"
                | "p"
                | "pre"
                | "ruby"
                | "s"
                | "small"
                | "span"
                | "strong"
                | "strike"
                | "sub"
                | "sup"
                | "table"
                | "tt"
                | "u"
                | "ul"
                | "var"
        )
}

/// Which scope an "is it open?" question stops at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Default,
    ListItem,
    Button,
    Table,
}

impl Open<'_> {
    fn is(&self, name: &str) -> bool {
        self.ns == Ns::Html && self.name == name
    }

    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// An integration point: its content is HTML again.
    fn integrates(&self) -> bool {
        self.ns != Ns::Html && self.has(SCOPE)
    }

    fn bounds(&self, scope: Scope) -> bool {
        match scope {
            Scope::Table => self.has(TABLE_SCOPE),
            Scope::Default => self.has(SCOPE),
            Scope::ListItem => self.has(SCOPE | LIST),
            Scope::Button => self.has(SCOPE | BUTTON),
        }
    }
}

impl<'a> Tree<'a> {
    fn current(&self) -> Option<&Open<'a>> {
        self.stack.last()
    }

    fn current_is(&self, names: &[&str]) -> bool {
        self.current()
            .is_some_and(|o| names.iter().any(|n| o.is(n)))
    }

    /// Position of the open element `name` in `scope`.
    fn in_scope(&self, name: &str, scope: Scope) -> Option<usize> {
        for (i, o) in self.stack.iter().enumerate().rev() {
            if o.is(name) {
                return Some(i);
            }
            if o.bounds(scope) {
                return None;
            }
        }
        None
    }

    /// Counts a new element `extra` levels inside the current node (or
    /// the stack, when that is longer): its depth, or `Err` past the limit.
    fn reach(&mut self, extra: usize) -> Result<usize, ()> {
        let depth = self.current().map_or(0, |o| o.depth) + extra;
        if depth.max(self.stack.len() + extra) > self.limit {
            return Err(());
        }
        self.max = self.max.max(depth);
        Ok(depth)
    }

    fn push(&mut self, name: Cow<'a, str>, ns: Ns) -> Result<u32, ()> {
        let Ok(depth) = self.reach(1) else {
            self.failed = Some(name.into_owned());
            return Err(());
        };
        self.next_id += 1;
        let flags = flags(&name, ns);
        self.stack.push(Open {
            name,
            ns,
            id: self.next_id,
            depth,
            flags,
        });
        Ok(self.next_id)
    }

    /// Pops down to and including position `i`. Leaving a cell or caption
    /// also ends the formatting elements opened inside it.
    fn pop_to(&mut self, i: usize) {
        while self.stack.len() > i {
            self.pop();
        }
    }

    fn clear_formatting_to_marker(&mut self) {
        while let Some(entry) = self.formatting.pop() {
            if entry.is_none() {
                break;
            }
        }
    }

    fn pop(&mut self) {
        if let Some(o) = self.stack.pop() {
            if o.ns == Ns::Html && matches!(&*o.name, "td" | "th" | "caption") {
                self.clear_formatting_to_marker();
            }
        }
    }

    /// Closes the elements whose end tags are implied (`<p>`, `<li>`,
    /// `<option>`…) at the top of the stack, but not `except`.
    fn implied_end_tags(&mut self, except: Option<&str>) {
        const IMPLIED: [&str; 10] = [
            "dd", "dt", "li", "option", "optgroup", "p", "rb", "rp", "rt", "rtc",
        ];
        while self.current_is(&IMPLIED) && !except.is_some_and(|e| self.current_is(&[e])) {
            self.pop();
        }
    }

    fn close_p(&mut self) {
        if let Some(i) = self.in_scope("p", Scope::Button) {
            self.pop_to(i);
        }
    }

    fn is_open(&self, id: u32) -> bool {
        self.stack.iter().rev().any(|o| o.id == id)
    }

    /// Reopens formatting elements closed early (the standard's "reconstruct
    /// the active formatting elements").
    fn reconstruct(&mut self) -> Result<(), ()> {
        let mut first = self.formatting.len();
        while first > 0 {
            match &self.formatting[first - 1] {
                Some((_, _, id)) if !self.is_open(*id) => first -= 1,
                _ => break,
            }
        }
        for k in first..self.formatting.len() {
            let (name, attrs, _) = self.formatting[k].clone().expect("not a marker");
            let id = self.push(name.clone(), Ns::Html)?;
            self.formatting[k] = Some((name, attrs, id));
        }
        Ok(())
    }

    fn push_formatting(&mut self, name: Cow<'a, str>, attrs: &'a str) -> Result<(), ()> {
        let id = self.push(name.clone(), Ns::Html)?;
        // Noah's Ark: at most three alike since the last marker.
        let since = self
            .formatting
            .iter()
            .rposition(Option::is_none)
            .map_or(0, |m| m + 1);
        let alike: Vec<usize> = (since..self.formatting.len())
            .filter(|&k| {
                self.formatting[k]
                    .as_ref()
                    .is_some_and(|(n, a, _)| *n == name && *a == attrs)
            })
            .collect();
        if alike.len() >= 3 {
            self.formatting.remove(alike[0]);
        }
        self.formatting.push(Some((name, attrs, id)));
        Ok(())
    }

    /// The innermost open element of a table's structure: it decides how
    /// table tags are read (the standard's insertion modes).
    fn table_context(&self) -> Option<&'static str> {
        const PARTS: [&str; 8] = [
            "table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption",
        ];
        let o = self.stack.iter().rev().find(|o| o.has(TABLE_PART))?;
        PARTS.into_iter().find(|p| o.name == *p)
    }

    fn in_foreign(&self) -> bool {
        self.current()
            .is_some_and(|o| o.ns != Ns::Html && !o.integrates())
    }

    fn raw_text(&self, name: &str) -> bool {
        is_raw_text(name) && !self.in_foreign()
    }

    fn text(&mut self, blank: bool) -> Result<(), ()> {
        // Text reopens formatting elements, except whitespace between a
        // table's rows and cells.
        if blank && self.current_is(&["table", "tbody", "thead", "tfoot", "tr"]) {
            return Ok(());
        }
        self.reconstruct()
    }

    fn start(&mut self, name: Cow<'a, str>, attrs: &'a str, self_closing: bool) -> Result<(), ()> {
        if self.in_foreign() {
            if breaks_out_of_foreign(&name) {
                while self.in_foreign() {
                    self.pop();
                }
            } else {
                let ns = self.current().map_or(Ns::Html, |o| o.ns);
                return if self_closing {
                    self.reach(1).map(drop)
                } else {
                    self.push(name, ns).map(drop)
                };
            }
        }
        if let Some(context) = self.table_context() {
            if self.table_start(context, name.clone())? {
                return Ok(());
            }
        }
        self.body_start(name, attrs, self_closing)
    }

    /// Table structure start tags; `Ok(false)`: not one, handle as in body.
    fn table_start(&mut self, context: &str, tag: Cow<'a, str>) -> Result<bool, ()> {
        let name = &*tag;
        let table_part = matches!(
            name,
            "caption" | "col" | "colgroup" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th"
        );
        if !table_part && name != "table" {
            return Ok(false);
        }
        if name == "table" && matches!(context, "td" | "th" | "caption") {
            return Ok(false); // a table inside a cell
        }
        // Leave an open cell or caption, then clear back to the table part
        // that the new element belongs in.
        if matches!(context, "td" | "th" | "caption") {
            for n in ["td", "th", "caption"] {
                if let Some(i) = self.in_scope(n, Scope::Table) {
                    self.pop_to(i);
                    break;
                }
            }
        }
        let keep: &[&str] = match name {
            "td" | "th" => &["tr", "tbody", "thead", "tfoot", "table"],
            "tr" => &["tbody", "thead", "tfoot", "table"],
            _ => &["table"],
        };
        while !self.current_is(keep) && !self.stack.is_empty() {
            if self.current_is(&["html"]) {
                break;
            }
            self.pop();
        }
        if self.stack.is_empty() {
            return Ok(false);
        }
        match name {
            "table" => {
                // `<table>` in a table ends it and starts another.
                if let Some(i) = self.in_scope("table", Scope::Table) {
                    self.pop_to(i);
                }
                self.push("table".into(), Ns::Html)?;
            }
            "col" => {
                self.reach(2)?; // an implied <colgroup>, then the <col>
            }
            "tr" => {
                if self.current_is(&["table"]) {
                    self.push("tbody".into(), Ns::Html)?;
                }
                self.push("tr".into(), Ns::Html)?;
            }
            "td" | "th" => {
                if self.current_is(&["table"]) {
                    self.push("tbody".into(), Ns::Html)?;
                }
                if !self.current_is(&["tr"]) {
                    self.push("tr".into(), Ns::Html)?;
                }
                self.push(tag.clone(), Ns::Html)?;
                self.formatting.push(None);
            }
            "caption" => {
                self.push("caption".into(), Ns::Html)?;
                self.formatting.push(None);
            }
            _ => {
                self.push(tag.clone(), Ns::Html)?;
            }
        }
        Ok(true)
    }

    fn body_start(
        &mut self,
        name: Cow<'a, str>,
        attrs: &'a str,
        self_closing: bool,
    ) -> Result<(), ()> {
        let n = &*name;
        match n {
            "html" | "body" | "head" | "frameset" | "frame" | "caption" | "col" | "colgroup"
            | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" => Ok(()), // ignored here
            "svg" | "math" => {
                self.reconstruct()?;
                let ns = if n == "svg" { Ns::Svg } else { Ns::MathMl };
                if self_closing {
                    self.reach(1).map(drop)
                } else {
                    self.push(name, ns).map(drop)
                }
            }
            "li" | "dd" | "dt" => {
                let closes: &[&str] = if n == "li" { &["li"] } else { &["dd", "dt"] };
                for i in (0..self.stack.len()).rev() {
                    let o = &self.stack[i];
                    if closes.iter().any(|c| o.is(c)) {
                        self.pop_to(i);
                        break;
                    }
                    if o.has(SPECIAL) && !matches!(&*o.name, "address" | "div" | "p") {
                        break;
                    }
                }
                self.close_p();
                self.push(name, Ns::Html).map(drop)
            }
            _ if closes_p(n) => {
                self.close_p();
                if is_heading(n) && self.current().is_some_and(|o| o.has(HEADING)) {
                    self.pop();
                }
                if n == "hr" {
                    // A rule in a <select> separates options: it ends them.
                    if self.in_scope("select", Scope::Default).is_some() {
                        self.implied_end_tags(None);
                    }
                    return self.reach(1).map(drop);
                }
                if n == "table" {
                    return self.push(name, Ns::Html).map(drop);
                }
                if is_raw_text(n) {
                    self.reconstruct()?;
                    return self.reach(1).map(drop); // xmp, plaintext
                }
                self.push(name, Ns::Html).map(drop)
            }
            _ if is_raw_text(n) => self.reach(1).map(drop),
            _ if is_void(n) => {
                self.reconstruct()?;
                self.reach(1).map(drop)
            }
            "a" => {
                // `<a>` inside an open `<a>` closes it first.
                let since = self
                    .formatting
                    .iter()
                    .rposition(Option::is_none)
                    .map_or(0, |m| m + 1);
                if let Some(k) = (since..self.formatting.len()).rev().find(|&k| {
                    self.formatting[k]
                        .as_ref()
                        .is_some_and(|(f, _, _)| f == "a")
                }) {
                    self.adoption_agency("a")?;
                    if k < self.formatting.len()
                        && self.formatting[k]
                            .as_ref()
                            .is_some_and(|(f, _, _)| f == "a")
                    {
                        let (_, _, id) = self.formatting.remove(k).expect("checked");
                        self.stack.retain(|o| o.id != id);
                    }
                }
                self.reconstruct()?;
                self.push_formatting(name, attrs)
            }
            "nobr" => {
                self.reconstruct()?;
                if self.in_scope("nobr", Scope::Default).is_some() {
                    self.adoption_agency("nobr")?;
                    self.reconstruct()?;
                }
                self.push_formatting(name, attrs)
            }
            _ if is_formatting(n) => {
                self.reconstruct()?;
                self.push_formatting(name, attrs)
            }
            "button" => {
                if let Some(i) = self.in_scope("button", Scope::Default) {
                    self.pop_to(i);
                }
                self.reconstruct()?;
                self.push(name, Ns::Html).map(drop)
            }
            "applet" | "marquee" | "object" => {
                self.reconstruct()?;
                self.push(name, Ns::Html)?;
                self.formatting.push(None);
                Ok(())
            }
            "select" => {
                // A `<select>` in an open one closes it.
                if let Some(i) = self.in_scope("select", Scope::Default) {
                    self.pop_to(i);
                    return Ok(());
                }
                self.reconstruct()?;
                self.push(name, Ns::Html).map(drop)
            }
            "option" | "optgroup" => {
                if self.in_scope("select", Scope::Default).is_some() {
                    self.implied_end_tags((n == "option").then_some("optgroup"));
                } else if self.current_is(&["option"]) {
                    self.pop();
                }
                self.reconstruct()?;
                self.push(name, Ns::Html).map(drop)
            }
            "rb" | "rtc" | "rp" | "rt" => {
                if self.in_scope("ruby", Scope::Default).is_some() {
                    self.implied_end_tags(matches!(n, "rp" | "rt").then_some("rtc"));
                }
                self.push(name, Ns::Html).map(drop)
            }
            _ => {
                self.reconstruct()?;
                self.push(name, Ns::Html).map(drop)
            }
        }
    }

    fn end(&mut self, name: &str) -> Result<(), ()> {
        // In foreign content an end tag closes the matching foreign element;
        // `</p>` and `</br>` leave the foreign content first.
        if self.in_foreign() && matches!(name, "p" | "br") {
            while self.in_foreign() {
                self.pop();
            }
        } else if self.in_foreign() {
            for i in (0..self.stack.len()).rev() {
                let o = &self.stack[i];
                if o.ns == Ns::Html {
                    break;
                }
                if o.name.eq_ignore_ascii_case(name) {
                    self.pop_to(i);
                    return Ok(());
                }
            }
        }
        match name {
            "p" => {
                // `</p>` without an open `<p>` makes an empty one.
                if self.in_scope("p", Scope::Button).is_none() {
                    self.reach(1)?;
                }
                self.close_p();
            }
            "br" => {
                // `</br>` is read as `<br>`.
                self.reconstruct()?;
                self.reach(1)?;
            }
            "li" => {
                if let Some(i) = self.in_scope("li", Scope::ListItem) {
                    self.pop_to(i);
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                for i in (0..self.stack.len()).rev() {
                    let o = &self.stack[i];
                    if o.has(HEADING) {
                        self.pop_to(i);
                        break;
                    }
                    if o.bounds(Scope::Default) {
                        break;
                    }
                }
            }
            "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption" => {
                let scope = if matches!(name, "td" | "th" | "caption") {
                    Scope::Default
                } else {
                    Scope::Table
                };
                if let Some(i) = self.in_scope(name, scope) {
                    self.pop_to(i);
                    if matches!(name, "td" | "th" | "caption") {}
                }
            }
            "applet" | "marquee" | "object" => {
                if let Some(i) = self.in_scope(name, Scope::Default) {
                    self.pop_to(i);
                    self.clear_formatting_to_marker();
                }
            }
            "body" | "html" => {}
            _ if flags(name, Ns::Html) & FORMATTING != 0 => self.adoption_agency(name)?,
            _ if flags(name, Ns::Html) & SPECIAL != 0 => {
                if let Some(i) = self.in_scope(name, Scope::Default) {
                    self.pop_to(i);
                }
            }
            _ => {
                // Any other end tag: the nearest open element of that name,
                // unless a special element is open inside it.
                for i in (0..self.stack.len()).rev() {
                    let o = &self.stack[i];
                    if o.is(name) {
                        self.pop_to(i);
                        break;
                    }
                    if o.has(SPECIAL) {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// The end tag of a formatting element (the standard's "adoption
    /// agency"): without a block opened inside the element, close it; with
    /// one, the element moves inside that block, then again (up to eight
    /// times) while blocks are open inside it.
    fn adoption_agency(&mut self, name: &str) -> Result<(), ()> {
        if self.current().is_some_and(|o| o.is(name))
            && !self
                .formatting
                .iter()
                .flatten()
                .any(|(_, _, id)| Some(*id) == self.current().map(|o| o.id))
        {
            self.pop();
            return Ok(());
        }
        for _ in 0..8 {
            if !self.adoption_step(name)? {
                break;
            }
        }
        Ok(())
    }

    /// One pass of the adoption agency; `Ok(true)`: run another.
    fn adoption_step(&mut self, name: &str) -> Result<bool, ()> {
        let Some(k) = self
            .formatting
            .iter()
            .rposition(|f| f.as_ref().is_none_or(|(n, _, _)| n == name))
            .filter(|&k| self.formatting[k].is_some())
        else {
            // Not a formatting element in the list: any other end tag.
            if let Some(i) = self.stack.iter().rposition(|o| o.is(name)) {
                if !self.stack[i + 1..].iter().any(|o| o.has(SPECIAL)) {
                    self.pop_to(i);
                }
            }
            return Ok(false);
        };
        let (_, _, id) = self.formatting[k].clone().expect("checked");
        let Some(i) = self.stack.iter().rposition(|o| o.id == id) else {
            self.formatting.remove(k);
            return Ok(false);
        };
        if self.stack[i + 1..].iter().any(|o| o.bounds(Scope::Default)) {
            return Ok(false); // not in scope
        }
        let block = (i + 1..self.stack.len()).find(|&j| self.stack[j].has(SPECIAL));
        match block {
            None => {
                self.pop_to(i);
                self.formatting.remove(k);
                Ok(false)
            }
            Some(b) => {
                // The elements between it and the block close, except
                // formatting ones, which reopen as a chain in its place with
                // the block at the end; the element reopens inside the block
                // and takes the block's content.
                let moved = self.stack[i].clone();
                let base = moved.depth;
                let kept: Vec<Open<'a>> = self.stack[i + 1..b]
                    .iter()
                    .filter(|o| o.has(FORMATTING))
                    .enumerate()
                    .map(|(j, o)| Open {
                        depth: base + j,
                        ..o.clone()
                    })
                    .collect();
                let block_depth = base + kept.len();
                let mut rest = self.stack.drain(i..).skip(b - i);
                let Some(block) = rest.next() else {
                    return Ok(false);
                };
                let old = block.depth;
                let rest: Vec<Open<'a>> = rest
                    .map(|o| Open {
                        depth: o.depth + block_depth + 1 - old,
                        ..o
                    })
                    .collect();
                self.stack.extend(kept);
                self.stack.push(Open {
                    depth: block_depth,
                    ..block
                });
                self.stack.push(Open {
                    depth: block_depth + 1,
                    ..moved
                });
                self.stack.extend(rest);
                let deepest = self.stack[i..].iter().map(|o| o.depth).max().unwrap_or(0);
                if deepest > self.limit {
                    return Err(());
                }
                self.max = self.max.max(deepest);
                Ok(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The standard's "special" elements (HTML namespace): the set [`SPECIAL`]
    /// stands for.
    fn is_special(name: &str) -> bool {
        closes_p(name)
            || is_void(name)
            || matches!(
                name,
                "applet"
                    | "body"
                    | "button"
                    | "caption"
                    | "colgroup"
                    | "dd"
                    | "dt"
                    | "frame"
                    | "frameset"
                    | "head"
                    | "html"
                    | "iframe"
                    | "li"
                    | "marquee"
                    | "noembed"
                    | "noframes"
                    | "noscript"
                    | "object"
                    | "script"
                    | "select"
                    | "style"
                    | "tbody"
                    | "td"
                    | "template"
                    | "textarea"
                    | "tfoot"
                    | "th"
                    | "thead"
                    | "title"
                    | "tr"
            )
    }

    fn depth(html: &str) -> usize {
        max_depth(html, MAX_DEPTH).unwrap_or_else(|e| panic!("{html}: {e}"))
    }

    #[test]
    fn depth_table() {
        // (body, depth the HTML parser builds): one row per rule.
        let table: &[(&str, usize)] = &[
            ("", 0),
            ("纯文本，没有标签", 0),
            ("<p>一</p><p>二</p>", 1),
            ("<div><p>一<b>粗</b></p></div>", 3),
            ("<br><img src=x><hr><input>", 1),
            ("<p>一<p>二<p>三", 1),
            ("<ul><li>甲<li>乙<li>丙</ul>", 2),
            ("<dl><dt>甲<dd>乙<dt>丙<dd>丁</dl>", 2),
            ("<p>段<div>块</div>", 1),
            ("<p><span>一<p>二", 2),
            ("<h2>标题<h3>小标题</h3>", 1),
            ("<table><tr><td>一<td>二<tr><td>三</table>", 4),
            ("<table><tbody><tr><td>一</td></tr></tbody></table>", 4),
            ("<table><td>一</table>", 4),
            ("<table><tr><td><table><tr><td>嵌套</table></table>", 8),
            ("<table><col><col><tr><td>x</table>", 4),
            ("<select><option>a<option>b</select>", 2),
            ("<script>if (a<b) { '<div><div><div>' }</script>", 1),
            ("<style>p>div{}</style><p>x", 1),
            ("<textarea><div><div></textarea>", 1),
            ("<!-- <div><div><div> --><p>x", 1),
            ("<!--><div>x</div>", 1),
            ("<![CDATA[<div><div>]]>", 1),
            ("<div title='a>b'><p>x</p></div>", 2),
            ("<div title=\"<div><div>\">x</div>", 1),
            ("<svg><g/><g/><circle r=1 /></svg>", 2),
            ("<svg><g><g></g></g></svg>", 3),
            ("<svg><p>out</p>", 1),
            ("<p><b>粗<p>续", 2),
            ("<b><div>块</b>文</div>", 2),
            ("<a href=1>一<a href=2>二", 1),
            ("<p><span></p><p><span></p>", 2),
            ("</div></p></b>x", 1),
            ("<DIV><P>大写</P></DIV>", 2),
            ("<div><span>x</div></span>", 2),
            ("1 < 2 <中文 <", 0),
            ("<div", 0),
        ];
        for (html, want) in table {
            assert_eq!(max_depth(html, MAX_DEPTH), Ok(*want), "{html}");
        }
    }

    #[test]
    fn formatting_elements_reopen_at_most_three_alike() {
        // Unclosed <font> in every paragraph: the parser reopens only the
        // last three alike, so this stays shallow however long it gets.
        let body = "<p><font face=宋体>段".repeat(1000);
        assert_eq!(depth(&body), 5);
        // Different ones each reopen: that nests.
        let body: String = (0..300).map(|i| format!("<p><font size={i}>段")).collect();
        let err = max_depth(&body, MAX_DEPTH).unwrap_err();
        assert_eq!(err.tag, "font");
    }

    /// Issue #15, fault 6: 200,000 nested `<div>`s passed `check` and took
    /// 392 s to sanitise.
    #[test]
    fn too_deep_names_the_first_element_past_the_limit() {
        let body = format!("<p>前言</p>\n{}正文", "<div class=x>".repeat(200_000));
        let err = max_depth(&body, MAX_DEPTH).unwrap_err();
        let at = "<p>前言</p>\n".len() + 256 * "<div class=x>".len();
        assert_eq!(
            err,
            TooDeep {
                limit: 256,
                depth: 257,
                tag: "div".to_owned(),
                byte: at,
                line: 2,
                column: 256 * 13 + 1,
            }
        );
        assert_eq!(&body[err.byte..err.byte + 4], "<div");
        assert_eq!(
            err.to_string(),
            "elements nested more than 256 deep: <div> at line 2, column 3329 (byte 3342) would be level 257"
        );
        assert_eq!(depth(&"<div>".repeat(256)), 256);
    }

    #[test]
    fn flags_follow_the_element_sets() {
        let names = [
            "a",
            "address",
            "applet",
            "area",
            "article",
            "aside",
            "b",
            "base",
            "basefont",
            "bgsound",
            "big",
            "blockquote",
            "body",
            "br",
            "button",
            "caption",
            "center",
            "code",
            "col",
            "colgroup",
            "dd",
            "details",
            "dialog",
            "dir",
            "div",
            "dl",
            "dt",
            "em",
            "embed",
            "fieldset",
            "figcaption",
            "figure",
            "font",
            "footer",
            "form",
            "frame",
            "frameset",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "head",
            "header",
            "hgroup",
            "hr",
            "html",
            "i",
            "iframe",
            "image",
            "img",
            "input",
            "keygen",
            "li",
            "link",
            "listing",
            "main",
            "marquee",
            "menu",
            "meta",
            "nav",
            "nobr",
            "noembed",
            "noframes",
            "noscript",
            "object",
            "ol",
            "p",
            "param",
            "plaintext",
            "pre",
            "s",
            "script",
            "search",
            "section",
            "select",
            "small",
            "source",
            "span",
            "strike",
            "strong",
            "style",
            "summary",
            "table",
            "tbody",
            "td",
            "template",
            "textarea",
            "tfoot",
            "th",
            "thead",
            "title",
            "tr",
            "track",
            "tt",
            "u",
            "ul",
            "wbr",
            "xmp",
            "x-custom",
        ];
        for n in names {
            let want = [
                (SPECIAL, is_special(n)),
                (FORMATTING, is_formatting(n)),
                (HEADING, is_heading(n)),
                (
                    SCOPE,
                    matches!(
                        n,
                        "applet"
                            | "caption"
                            | "html"
                            | "table"
                            | "td"
                            | "th"
                            | "marquee"
                            | "object"
                            | "select"
                            | "template"
                    ),
                ),
                (LIST, matches!(n, "ol" | "ul")),
                (BUTTON, n == "button"),
                (TABLE_SCOPE, matches!(n, "html" | "table" | "template")),
                (
                    TABLE_PART,
                    matches!(
                        n,
                        "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption"
                    ),
                ),
            ]
            .iter()
            .filter(|(_, on)| *on)
            .fold(0, |f, (flag, _)| f | flag);
            assert_eq!(flags(n, Ns::Html), want, "{n}");
        }
    }

    #[test]
    fn implied_parents_count() {
        // The implied <tbody> and <tr> of a cell are levels too.
        let body = "<table><td>".repeat(90);
        assert_eq!(max_depth(&body, 1000), Ok(360));
    }
}
