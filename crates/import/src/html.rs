//! Clean HTML for notice bodies: what every import writes into
//! `content_html`, made only of the elements and attributes that the
//! builder's sanitiser keeps (`gongkai_core::sanitize`), so a build prints no
//! warning for an imported notice.
//!
//! Two ways in: [`Body`] builds a body from paragraphs, headings, tables and
//! lists (a .docx, a PDF's text); [`clean`] turns a part of a saved page into
//! the same kind of HTML, dropping the old site's styling, scripts and
//! attributes. Links and images to the old site's own host become paths
//! (`/art/…`, `/uploads/…`): after the switch the redirect map and the
//! copied files answer them on the new site (docs/import.md); links to
//! other hosts stay absolute.

use crate::text::{collapse, is_space, trim};
use gongkai_core::sanitize::escape_html;
use scraper::{ElementRef, Node};
use url::Url;

/// Heading levels a body uses for 一、 （一） 1. （1）: `h2`…`h5` (the
/// article's title is the page's `h1`).
pub const HEADING_LEVELS: [u8; 4] = [2, 3, 4, 5];

/// A table cell for [`Body::table`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// The cell's text, one entry a paragraph.
    pub paragraphs: Vec<String>,
    /// Columns spanned, from 1.
    pub colspan: u32,
    /// Rows spanned, from 1.
    pub rowspan: u32,
    /// A header cell (`th`).
    pub header: bool,
}

/// A body being written, block by block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    html: String,
}

impl Body {
    /// An empty body.
    pub fn new() -> Body {
        Body::default()
    }

    /// The HTML written so far.
    pub fn html(&self) -> &str {
        &self.html
    }

    /// The finished HTML.
    pub fn into_html(self) -> String {
        self.html
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.html.is_empty()
    }

    /// A paragraph of plain text; blank text writes nothing.
    pub fn paragraph(&mut self, text: &str) {
        let t = trim(text);
        if !t.is_empty() {
            self.html.push_str("<p>");
            self.html.push_str(&escape_html(t));
            self.html.push_str("</p>");
        }
    }

    /// A heading, `level` 2 to 6.
    pub fn heading(&mut self, level: u8, text: &str) {
        let level = level.clamp(2, 6);
        let t = trim(text);
        if !t.is_empty() {
            self.html
                .push_str(&format!("<h{level}>{}</h{level}>", escape_html(t)));
        }
    }

    /// A list of plain-text items (`ol` when `ordered`).
    pub fn list(&mut self, ordered: bool, items: &[String]) {
        let tag = if ordered { "ol" } else { "ul" };
        let items: Vec<&str> = items
            .iter()
            .map(|s| trim(s))
            .filter(|s| !s.is_empty())
            .collect();
        if items.is_empty() {
            return;
        }
        self.html.push_str(&format!("<{tag}>"));
        for i in items {
            self.html.push_str("<li>");
            self.html.push_str(&escape_html(i));
            self.html.push_str("</li>");
        }
        self.html.push_str(&format!("</{tag}>"));
    }

    /// Raw HTML made by this module (a nested list).
    pub fn push_raw(&mut self, html: &str) {
        self.html.push_str(html);
    }

    /// A table; the first rows whose cells are all headers go in `thead`.
    pub fn table(&mut self, rows: &[Vec<Cell>]) {
        if rows.iter().all(|r| r.is_empty()) {
            return;
        }
        let head = rows
            .iter()
            .take_while(|r| !r.is_empty() && r.iter().all(|c| c.header))
            .count()
            .min(rows.len().saturating_sub(1));
        self.html.push_str("<table>");
        let section = |name: &str, rows: &[Vec<Cell>], html: &mut String| {
            if rows.is_empty() {
                return;
            }
            html.push_str(&format!("<{name}>"));
            for row in rows {
                html.push_str("<tr>");
                for c in row {
                    let tag = if c.header { "th" } else { "td" };
                    html.push('<');
                    html.push_str(tag);
                    if c.colspan > 1 {
                        html.push_str(&format!(" colspan=\"{}\"", c.colspan));
                    }
                    if c.rowspan > 1 {
                        html.push_str(&format!(" rowspan=\"{}\"", c.rowspan));
                    }
                    html.push('>');
                    let paras: Vec<String> = c
                        .paragraphs
                        .iter()
                        .map(|p| trim(p))
                        .filter(|p| !p.is_empty())
                        .map(escape_html)
                        .collect();
                    html.push_str(&paras.join("<br>"));
                    html.push_str(&format!("</{tag}>"));
                }
                html.push_str("</tr>");
            }
            html.push_str(&format!("</{name}>"));
        };
        section("thead", &rows[..head], &mut self.html);
        section("tbody", &rows[head..], &mut self.html);
        self.html.push_str("</table>");
    }

    /// An image shown in the body (an absolute or site-relative URL).
    pub fn image(&mut self, src: &str, alt: &str) {
        self.html.push_str(&format!(
            "<p><img src=\"{}\" alt=\"{}\"></p>",
            escape_html(src),
            escape_html(alt)
        ));
    }
}

/// Plain text as a body: each non-blank line a paragraph.
pub fn text_body(text: &str) -> String {
    let mut b = Body::new();
    for line in text.lines() {
        b.paragraph(line);
    }
    b.into_html()
}

/// What [`clean`] left out that a report should mention.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// The clean HTML.
    pub html: String,
    /// Images without a usable address (`data:` URLs, none), dropped.
    pub dropped_images: usize,
    /// Links with a script or unknown scheme, kept as text.
    pub dropped_links: usize,
}

/// Elements removed with everything inside them: not content.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
    "svg", "math", "template", "textarea", "select", "button", "input", "title", "head", "meta",
    "link", "nav", "audio", "video", "canvas", "map",
];

/// Block containers: they end the current paragraph, their text makes new ones.
const BLOCKS: &[&str] = &[
    "div", "section", "article", "main", "center", "body", "html", "header", "footer", "aside",
    "address", "dl", "dt", "dd", "form", "fieldset", "details", "summary", "tbody", "thead",
    "tfoot", "tr", "td", "th", "caption",
];

/// Inline elements kept as they are.
const INLINE_KEPT: &[&str] = &["strong", "b", "em", "i", "u", "s", "sub", "sup", "code"];

/// The clean HTML of `root`'s content. Links and images are resolved
/// against `base` (the page's URL on the old site): paths on its host,
/// absolute URLs elsewhere.
pub fn clean(root: ElementRef<'_>, base: Option<&Url>) -> Cleaned {
    let mut c = Cleaner {
        base,
        out: String::new(),
        para: Vec::new(),
        open: Vec::new(),
        dropped_images: 0,
        dropped_links: 0,
    };
    c.children(root);
    c.flush();
    Cleaned {
        html: c.out,
        dropped_images: c.dropped_images,
        dropped_links: c.dropped_links,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Text(String),
    Open(&'static str, String),
    Close(&'static str),
    Br,
    Img(String),
}

struct Cleaner<'u> {
    base: Option<&'u Url>,
    out: String,
    /// The paragraph being gathered.
    para: Vec<Tok>,
    /// Inline elements open in `para`.
    open: Vec<&'static str>,
    dropped_images: usize,
    dropped_links: usize,
}

fn kept_inline(name: &str) -> Option<&'static str> {
    INLINE_KEPT
        .iter()
        .copied()
        .find(|t| *t == name)
        .or(match name {
            "strike" | "del" => Some("s"),
            "ins" => Some("u"),
            _ => None,
        })
}

impl Cleaner<'_> {
    fn children(&mut self, el: ElementRef<'_>) {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.text(t),
                Node::Element(_) => {
                    if let Some(e) = ElementRef::wrap(child) {
                        self.element(e);
                    }
                }
                _ => {}
            }
        }
    }

    fn text(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        // HTML whitespace collapses; a run that held a line break between two
        // Chinese characters was only the source's line wrapping.
        let mut s = String::with_capacity(t.len());
        let mut pending: Option<bool> = None; // Some(had newline)
        for ch in t.chars() {
            if matches!(ch, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
                let nl = ch == '\n' || ch == '\r';
                pending = Some(pending.unwrap_or(false) || nl);
            } else {
                if let Some(nl) = pending.take() {
                    let prev_cjk = s.chars().last().is_some_and(crate::text::is_cjk);
                    if !(nl && prev_cjk && crate::text::is_cjk(ch)) {
                        s.push(' ');
                    }
                }
                s.push(ch);
            }
        }
        if pending.is_some() {
            s.push(' ');
        }
        self.para.push(Tok::Text(s));
    }

    fn element(&mut self, e: ElementRef<'_>) {
        let name = e.value().name();
        if SKIP.contains(&name) || hidden(e) {
            return;
        }
        match name {
            "p" => {
                self.flush();
                self.children(e);
                self.flush();
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let level = (name.as_bytes()[1] - b'0').max(2);
                let inner = self.inline_of(e);
                if !inner.trim().is_empty() {
                    self.out.push_str(&format!("<h{level}>{inner}</h{level}>"));
                }
            }
            "br" => self.para.push(Tok::Br),
            "hr" => {
                self.flush();
                self.out.push_str("<hr>");
            }
            "img" => self.img(e),
            "a" => self.link(e),
            "table" => {
                self.flush();
                self.table(e);
            }
            "ul" | "ol" => {
                self.flush();
                self.list(e, name);
            }
            "blockquote" | "pre" => {
                self.flush();
                let inner = if name == "pre" {
                    escape_html(&e.text().collect::<String>())
                } else {
                    self.blocks_of(e)
                };
                if !inner.trim().is_empty() {
                    self.out.push_str(&format!("<{name}>{inner}</{name}>"));
                }
            }
            _ if BLOCKS.contains(&name) => {
                self.flush();
                self.children(e);
                self.flush();
            }
            _ => match kept_inline(name) {
                Some(tag) => {
                    self.para.push(Tok::Open(tag, String::new()));
                    self.open.push(tag);
                    self.children(e);
                    self.close(tag);
                }
                None => self.children(e),
            },
        }
    }

    fn close(&mut self, tag: &'static str) {
        if let Some(pos) = self.open.iter().rposition(|t| *t == tag) {
            self.open.remove(pos);
            self.para.push(Tok::Close(tag));
        }
    }

    fn resolve(&self, href: &str) -> Option<String> {
        let href = trim(href);
        if href.is_empty() || href.starts_with('#') {
            return None;
        }
        let parsed = match self.base {
            Some(b) => b.join(href).ok()?,
            None => Url::parse(href).ok()?,
        };
        match parsed.scheme() {
            // The old site's own files and pages: a path on this site, where
            // the copied files and the redirect map answer them.
            "http" | "https" if self.base.is_some_and(|b| b.origin() == parsed.origin()) => {
                let mut path = parsed.path().to_owned();
                if let Some(q) = parsed.query() {
                    path.push('?');
                    path.push_str(q);
                }
                if let Some(f) = parsed.fragment() {
                    path.push('#');
                    path.push_str(f);
                }
                Some(path)
            }
            "http" | "https" | "mailto" => Some(parsed.to_string()),
            _ => None,
        }
    }

    fn img(&mut self, e: ElementRef<'_>) {
        let src = e.attr("src").and_then(|s| self.resolve(s));
        match src {
            Some(src) if !src.starts_with("mailto:") => {
                let mut attrs = format!(" src=\"{}\"", escape_html(&src));
                let alt = e.attr("alt").or(e.attr("title")).unwrap_or("");
                attrs.push_str(&format!(" alt=\"{}\"", escape_html(trim(alt))));
                for dim in ["width", "height"] {
                    if let Some(v) = e
                        .attr(dim)
                        .map(trim)
                        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                    {
                        attrs.push_str(&format!(" {dim}=\"{v}\""));
                    }
                }
                self.para.push(Tok::Img(attrs));
            }
            _ => self.dropped_images += 1,
        }
    }

    fn link(&mut self, e: ElementRef<'_>) {
        let raw = e.attr("href").unwrap_or("");
        match self.resolve(raw) {
            Some(href) => {
                let mut attrs = format!(" href=\"{}\"", escape_html(&href));
                if let Some(t) = e.attr("title").map(trim).filter(|t| !t.is_empty()) {
                    attrs.push_str(&format!(" title=\"{}\"", escape_html(t)));
                }
                self.para.push(Tok::Open("a", attrs));
                self.open.push("a");
                self.children(e);
                self.close("a");
            }
            None => {
                if !raw.is_empty() && !raw.starts_with('#') {
                    self.dropped_links += 1;
                }
                self.children(e);
            }
        }
    }

    /// The inline HTML of an element's content, as one paragraph's worth.
    fn inline_of(&mut self, e: ElementRef<'_>) -> String {
        let saved = (
            std::mem::take(&mut self.para),
            std::mem::take(&mut self.open),
        );
        let saved_out = std::mem::take(&mut self.out);
        self.children(e);
        // Blocks inside (a div in a cell) became paragraphs in `out`: join them.
        let mut parts: Vec<String> = Vec::new();
        let mut blocks = std::mem::take(&mut self.out);
        if !blocks.is_empty() {
            blocks = blocks
                .replace("</p><p>", "<br>")
                .replace("<p>", "")
                .replace("</p>", "<br>");
            parts.push(blocks.trim_end_matches("<br>").to_owned());
        }
        let tail = render_inline(&std::mem::take(&mut self.para), &mut self.open);
        if !tail.is_empty() {
            parts.push(tail);
        }
        self.out = saved_out;
        (self.para, self.open) = saved;
        strip_block_tags(&parts.join("<br>"))
    }

    /// The block HTML of an element's content (for blockquote, li with blocks).
    fn blocks_of(&mut self, e: ElementRef<'_>) -> String {
        self.flush();
        let saved_out = std::mem::take(&mut self.out);
        self.children(e);
        self.flush();
        std::mem::replace(&mut self.out, saved_out)
    }

    fn list(&mut self, e: ElementRef<'_>, tag: &str) {
        let mut items = String::new();
        for li in e.child_elements() {
            if li.value().name() != "li" {
                continue;
            }
            let has_sublist = li
                .child_elements()
                .any(|c| matches!(c.value().name(), "ul" | "ol"));
            let inner = if has_sublist {
                let mut s = String::new();
                let mut text_part = String::new();
                for c in li.children() {
                    match ElementRef::wrap(c) {
                        Some(ce) if matches!(ce.value().name(), "ul" | "ol") => {
                            let saved_out = std::mem::take(&mut self.out);
                            self.list(ce, ce.value().name());
                            let sub = std::mem::replace(&mut self.out, saved_out);
                            s.push_str(&text_part);
                            text_part.clear();
                            s.push_str(&sub);
                        }
                        Some(ce) => text_part.push_str(&self.inline_of_element(ce)),
                        None => {
                            if let Some(t) = c.value().as_text() {
                                text_part.push_str(&escape_html(&collapse(t)));
                            }
                        }
                    }
                }
                s.push_str(&text_part);
                s
            } else {
                self.inline_of(li)
            };
            if !inner.trim().is_empty() {
                items.push_str(&format!("<li>{inner}</li>"));
            }
        }
        if !items.is_empty() {
            self.out.push_str(&format!("<{tag}>{items}</{tag}>"));
        }
    }

    fn inline_of_element(&mut self, e: ElementRef<'_>) -> String {
        let saved = (
            std::mem::take(&mut self.para),
            std::mem::take(&mut self.open),
        );
        self.element(e);
        let html = render_inline(&std::mem::take(&mut self.para), &mut self.open);
        (self.para, self.open) = saved;
        html
    }

    fn table(&mut self, t: ElementRef<'_>) {
        let rows: Vec<ElementRef<'_>> = t
            .descendent_elements()
            .filter(|r| r.value().name() == "tr" && nearest_table(*r) == Some(t))
            .collect();
        // A layout table (one cell a row) is no data table: keep its content.
        if rows.iter().all(|r| cells_of(r).len() <= 1) {
            for r in &rows {
                for c in cells_of(r) {
                    self.flush();
                    self.children(c);
                    self.flush();
                }
            }
            return;
        }
        let mut html = String::from("<table>");
        if let Some(cap) = t.child_elements().find(|c| c.value().name() == "caption") {
            let inner = self.inline_of(cap);
            if !inner.trim().is_empty() {
                html.push_str(&format!("<caption>{inner}</caption>"));
            }
        }
        html.push_str("<tbody>");
        for r in &rows {
            html.push_str("<tr>");
            for c in cells_of(r) {
                let tag = c.value().name();
                html.push('<');
                html.push_str(tag);
                for span in ["colspan", "rowspan"] {
                    if let Some(n) = c
                        .attr(span)
                        .map(trim)
                        .and_then(|v| v.parse::<u32>().ok())
                        .filter(|n| *n > 1)
                    {
                        html.push_str(&format!(" {span}=\"{n}\""));
                    }
                }
                html.push('>');
                html.push_str(&self.inline_of(c));
                html.push_str(&format!("</{tag}>"));
            }
            html.push_str("</tr>");
        }
        html.push_str("</tbody></table>");
        self.out.push_str(&html);
    }

    /// Writes the gathered paragraph, if it has any content.
    fn flush(&mut self) {
        let toks = std::mem::take(&mut self.para);
        let mut open = std::mem::take(&mut self.open);
        let html = render_inline(&toks, &mut open);
        if !html.is_empty() {
            self.out.push_str("<p>");
            self.out.push_str(&html);
            self.out.push_str("</p>");
        }
        // Elements still open continue in the next paragraph.
        for tag in &open {
            let attrs = if *tag == "a" {
                toks.iter()
                    .rev()
                    .find_map(|t| match t {
                        Tok::Open("a", a) => Some(a.clone()),
                        _ => None,
                    })
                    .unwrap_or_default()
            } else {
                String::new()
            };
            self.para.push(Tok::Open(tag, attrs));
        }
        self.open = open;
    }
}

/// Renders a paragraph's tokens: spaces trimmed at both ends, line breaks
/// at the ends dropped, tags balanced; empty when there is no text or image.
fn render_inline(toks: &[Tok], open: &mut Vec<&'static str>) -> String {
    let visible = toks.iter().any(|t| match t {
        Tok::Text(s) => s.chars().any(|c| !is_space(c)),
        Tok::Img(_) => true,
        _ => false,
    });
    if !visible {
        return String::new();
    }
    // Drop leading and trailing breaks and blank text.
    let content = |t: &Tok| match t {
        Tok::Text(s) => s.chars().any(|c| !is_space(c)),
        Tok::Img(_) => true,
        _ => false,
    };
    let first = toks.iter().position(content).unwrap_or(0);
    let last = toks.iter().rposition(content).unwrap_or(0);
    let mut html = String::new();
    let mut stack: Vec<&'static str> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Text(s) => {
                let s = match (i == first, i == last) {
                    (true, true) => trim(s),
                    (true, false) => s.trim_start_matches(is_space),
                    (false, true) => s.trim_end_matches(is_space),
                    _ => s.as_str(),
                };
                if (i < first || i > last) && trim(s).is_empty() {
                    continue;
                }
                html.push_str(&escape_html(s));
            }
            Tok::Br if i > first && i < last => {
                if !html.ends_with("<br>") {
                    html.push_str("<br>");
                }
            }
            Tok::Br => {}
            Tok::Img(attrs) => html.push_str(&format!("<img{attrs}>")),
            Tok::Open(tag, attrs) => {
                html.push_str(&format!("<{tag}{attrs}>"));
                stack.push(tag);
            }
            Tok::Close(tag) => {
                if let Some(pos) = stack.iter().rposition(|t| t == tag) {
                    // Close what was opened inside it first.
                    while stack.len() > pos {
                        let t = stack.pop().expect("non-empty");
                        html.push_str(&format!("</{t}>"));
                    }
                }
            }
        }
    }
    while let Some(t) = stack.pop() {
        html.push_str(&format!("</{t}>"));
    }
    let _ = open;
    remove_empty_inline(&html)
}

/// `<strong></strong>`, `<a href="…"> </a>` and the like, left by stripped
/// content: removed, their spaces kept.
fn remove_empty_inline(html: &str) -> String {
    let mut s = html.to_owned();
    loop {
        let before = s.len();
        for tag in INLINE_KEPT.iter().chain(["a"].iter()) {
            let open = format!("<{tag}");
            let close = format!("</{tag}>");
            let mut out = String::with_capacity(s.len());
            let mut rest = s.as_str();
            while let Some(i) = rest.find(&open) {
                let after = &rest[i..];
                let Some(gt) = after.find('>') else { break };
                // Only this exact tag (`<s` must not match `<strong`).
                let next = after.as_bytes().get(open.len()).copied();
                if !matches!(next, Some(b'>') | Some(b' ')) {
                    out.push_str(&rest[..i + open.len()]);
                    rest = &rest[i + open.len()..];
                    continue;
                }
                let inner_start = gt + 1;
                if after[inner_start..].starts_with(&close) {
                    out.push_str(&rest[..i]);
                    rest = &after[inner_start + close.len()..];
                } else {
                    out.push_str(&rest[..i + inner_start]);
                    rest = &after[inner_start..];
                }
            }
            out.push_str(rest);
            s = out;
        }
        if s.len() == before {
            return s;
        }
    }
}

fn strip_block_tags(s: &str) -> String {
    s.replace("<hr>", "")
}

/// Elements a page hides (`display:none`, `hidden`): not content.
fn hidden(e: ElementRef<'_>) -> bool {
    if e.attr("hidden").is_some() {
        return true;
    }
    e.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

fn cells_of<'a>(r: &ElementRef<'a>) -> Vec<ElementRef<'a>> {
    r.child_elements()
        .filter(|c| matches!(c.value().name(), "td" | "th"))
        .collect()
}

fn nearest_table(e: ElementRef<'_>) -> Option<ElementRef<'_>> {
    e.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "table")
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::sanitize::sanitize;
    use scraper::Html;

    fn clean_str(html: &str, base: Option<&str>) -> String {
        let doc = Html::parse_document(html);
        let base = base.map(|b| Url::parse(b).unwrap());
        let out = clean(doc.root_element(), base.as_ref()).html;
        let s = sanitize(&out);
        assert!(
            s.is_clean(),
            "the sanitiser removed {:?} from {out}",
            s.removed
        );
        out
    }

    #[test]
    fn word_styling_and_scripts_go_text_stays() {
        let out = clean_str(
            r#"<div class="TRS_Editor" style="font-family:仿宋"><p class="MsoNormal" style="text-indent:2em"><span style="font-size:16pt"><font face="仿宋_GB2312">　　近年来，</font></span>在县文明办的指导下<o:p></o:p></p><script>var a=1;</script><style>p{}</style><p>&nbsp;</p><p onclick="x()">二是<b>践行</b>核心价值观</p></div>"#,
            None,
        );
        assert_eq!(
            out,
            "<p>近年来，在县文明办的指导下</p><p>二是<b>践行</b>核心价值观</p>"
        );
    }

    #[test]
    fn links_and_images_resolved_scripts_dropped() {
        let doc = Html::parse_document(
            r##"<p>附件：<a href="../../files/a.pdf" target="_blank" title="下载">活动安排</a> <a href="javascript:void(0)">打印</a> <a href="#top">顶部</a> <a href="https://www.gov.cn/zhengce/1.htm?a=1">国务院</a><img src="/img/1.png" style="width:10px" alt="图1" width="300"><img src="data:image/png;base64,xx"></p>"##,
        );
        let base = Url::parse("http://www.example.gov.cn/art/2023/7/14/art_1_2.html").unwrap();
        let c = clean(doc.root_element(), Some(&base));
        assert_eq!(
            c.html,
            r#"<p>附件：<a href="/art/2023/files/a.pdf" title="下载">活动安排</a> 打印 顶部 <a href="https://www.gov.cn/zhengce/1.htm?a=1">国务院</a><img src="/img/1.png" alt="图1" width="300"></p>"#
        );
        assert_eq!((c.dropped_images, c.dropped_links), (1, 1));
        assert!(sanitize(&c.html).is_clean());
    }

    #[test]
    fn divs_and_brs_become_paragraphs() {
        let out = clean_str("<div>第一段<br><br>第二段<div>第三段</div>尾</div>", None);
        assert_eq!(out, "<p>第一段<br>第二段</p><p>第三段</p><p>尾</p>");
    }

    #[test]
    fn tables_keep_spans_and_drop_layout() {
        let out = clean_str(
            r#"<table border=1 style="x"><tr><th colspan="2" width="50">项目</th></tr><tr><td rowspan=2><p>科技</p><p>活动</p></td><td>1</td></tr><tr><td>2</td></tr></table><table><tr><td><p>排版表格里的正文</p></td></tr></table>"#,
            None,
        );
        assert_eq!(
            out,
            r#"<table><tbody><tr><th colspan="2">项目</th></tr><tr><td rowspan="2">科技<br>活动</td><td>1</td></tr><tr><td>2</td></tr></tbody></table><p>排版表格里的正文</p>"#
        );
    }

    #[test]
    fn lists_nest() {
        let out = clean_str(
            "<ul><li>甲<ol><li>一</li></ol></li><li><p>乙</p></li></ul>",
            None,
        );
        assert_eq!(out, "<ul><li>甲<ol><li>一</li></ol></li><li>乙</li></ul>");
    }

    #[test]
    fn headings_start_at_h2() {
        let out = clean_str("<h1>标题</h1><h3 style='x'>（一）小节</h3>", None);
        assert_eq!(out, "<h2>标题</h2><h3>（一）小节</h3>");
    }

    #[test]
    fn lines_wrapped_in_the_source_join_without_a_space() {
        let out = clean_str(
            "<p>近年来，在县文明办\n    的关心指导下 and\n more</p>",
            None,
        );
        assert_eq!(out, "<p>近年来，在县文明办的关心指导下 and more</p>");
    }

    #[test]
    fn written_bodies_are_clean() {
        let mut b = Body::new();
        b.heading(2, "一、活动时间");
        b.paragraph("　　各乡镇人民政府 <县直> & 有关部门：");
        b.list(true, &["甲".into(), " ".into()]);
        b.table(&[
            vec![Cell {
                paragraphs: vec!["序号".into()],
                colspan: 1,
                rowspan: 1,
                header: true,
            }],
            vec![Cell {
                paragraphs: vec!["1".into(), "2".into()],
                colspan: 2,
                rowspan: 1,
                header: false,
            }],
        ]);
        b.image("/media/a.png", "图");
        let html = b.into_html();
        assert_eq!(
            html,
            "<h2>一、活动时间</h2><p>各乡镇人民政府 &lt;县直&gt; &amp; 有关部门：</p><ol><li>甲</li></ol><table><thead><tr><th>序号</th></tr></thead><tbody><tr><td colspan=\"2\">1<br>2</td></tr></tbody></table><p><img src=\"/media/a.png\" alt=\"图\"></p>"
        );
        assert!(sanitize(&html).is_clean(), "{:?}", sanitize(&html).removed);
        assert_eq!(text_body("a\n\n b \n"), "<p>a</p><p>b</p>");
    }
}
