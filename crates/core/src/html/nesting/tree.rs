//! The tree side: the stack of open elements and the list of active
//! formatting elements, following the HTML standard's tree-construction
//! rules in body (see the parent module for what is left out).

use std::borrow::Cow;

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

/// What the parser has open while it reads a body, and how deep it went.
#[derive(Default)]
pub(super) struct Tree<'a> {
    limit: usize,
    stack: Vec<Open<'a>>,
    formatting: Vec<Formatting<'a>>,
    next_id: u32,
    /// The deepest element so far.
    pub max: usize,
    /// The element that went past the limit.
    pub failed: Option<String>,
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
    /// A tree that refuses elements deeper than `limit`.
    pub fn new(limit: usize) -> Self {
        Tree {
            limit,
            ..Tree::default()
        }
    }

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

    /// Whether the start tag `name` just read makes its content raw text.
    pub fn raw_text(&self, name: &str) -> bool {
        is_raw_text(name) && !self.in_foreign()
    }

    /// Text (`blank`: only whitespace); `Err` past the limit.
    pub fn text(&mut self, blank: bool) -> Result<(), ()> {
        // Text reopens formatting elements, except whitespace between a
        // table's rows and cells.
        if blank && self.current_is(&["table", "tbody", "thead", "tfoot", "tr"]) {
            return Ok(());
        }
        self.reconstruct()
    }

    /// A start tag, its name lower-cased; `Err` past the limit.
    pub fn start(
        &mut self,
        name: Cow<'a, str>,
        attrs: &'a str,
        self_closing: bool,
    ) -> Result<(), ()> {
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
            _ if is_formatting(n) => self.formatting_start(name, attrs),
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

    /// A formatting element's start tag: `<a>` in an open `<a>`, and
    /// `<nobr>` in an open `<nobr>`, close it first.
    fn formatting_start(&mut self, name: Cow<'a, str>, attrs: &'a str) -> Result<(), ()> {
        match &*name {
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
            _ => {
                self.reconstruct()?;
                self.push_formatting(name, attrs)
            }
        }
    }

    /// An end tag, its name lower-cased; `Err` past the limit (`</p>` and
    /// `</br>` can add an element).
    pub fn end(&mut self, name: &str) -> Result<(), ()> {
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
}
