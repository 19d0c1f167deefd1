//! The sanitised `content_html` of an article as a list of blocks.
//!
//! The input is the sanitiser's output (crate `gongkai-core`, `sanitize`):
//! well-formed, a known set of tags, attributes quoted, text escaped. So a
//! small tokenizer is enough; anything unexpected is read as text or
//! ignored, never an error. Character references are decoded by core's
//! [`gongkai_core::html::entity`], the decoder the search text uses.

use gongkai_core::html::entity::decode;

/// A run of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The text, entities decoded, whitespace collapsed.
    pub text: String,
    /// Inside `<strong>`/`<b>` (or a heading or table header).
    pub bold: bool,
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `<h2>`…`<h6>`: level 2 to 6.
    Heading(u8, Vec<Run>),
    /// A paragraph (also `<div>`, `<blockquote>`, `<pre>`, `<caption>`…).
    Paragraph(Vec<Run>),
    /// A list item; `marker` is `1.`, `2.` … or `•`, `depth` counts from 0.
    ListItem {
        /// The marker shown before the text.
        marker: String,
        /// Nesting depth.
        depth: u8,
        /// The item's text.
        runs: Vec<Run>,
    },
    /// A table as rows of cells.
    Table(Vec<Vec<Cell>>),
    /// `<hr>`.
    Rule,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// The cell's text; paragraphs inside the cell are separated by `\n`.
    pub text: String,
    /// A `<th>`.
    pub header: bool,
}

impl Block {
    /// The block's plain text (cells joined by tabs, rows by newlines).
    pub fn text(&self) -> String {
        match self {
            Block::Heading(_, runs) | Block::Paragraph(runs) | Block::ListItem { runs, .. } => {
                runs.iter().map(|r| r.text.as_str()).collect()
            }
            Block::Table(rows) => rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| c.text.as_str())
                        .collect::<Vec<_>>()
                        .join("\t")
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Rule => String::new(),
        }
    }
}

enum Token<'a> {
    Open(&'a str),
    Close(&'a str),
    Text(&'a str),
}

fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            if let Some(c) = after.strip_prefix("!--") {
                rest = c.find("-->").map_or("", |e| &c[e + 3..]);
                continue;
            }
            let end = after.find('>').unwrap_or(after.len());
            let tag = &after[..end];
            rest = after.get(end + 1..).unwrap_or("");
            let (closing, tag) = match tag.strip_prefix('/') {
                Some(t) => (true, t),
                None => (false, tag),
            };
            let name_end = tag
                .find(|c: char| c.is_whitespace() || c == '/')
                .unwrap_or(tag.len());
            let name = &tag[..name_end];
            if name.is_empty() {
                continue;
            }
            out.push(if closing {
                Token::Close(name)
            } else {
                Token::Open(name)
            });
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            out.push(Token::Text(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

struct Parser {
    blocks: Vec<Block>,
    runs: Vec<Run>,
    bold: u32,
    heading: Option<u8>,
    /// Open lists: ordered?, next number.
    lists: Vec<(bool, u32)>,
    in_li: bool,
    pre: u32,
    table: Option<Vec<Vec<Cell>>>,
    cell: Option<Cell>,
    table_depth: u32,
}

impl Parser {
    fn push_text(&mut self, text: &str) {
        let text = decode(text);
        if let Some(cell) = &mut self.cell {
            let t = collapse(&text);
            if !(cell.text.is_empty() || cell.text.ends_with('\n')) || !t.trim().is_empty() {
                cell.text.push_str(&t);
            }
            return;
        }
        if self.table.is_some() {
            return; // whitespace between rows
        }
        let t = if self.pre > 0 { text } else { collapse(&text) };
        if t.is_empty() {
            return;
        }
        let bold = self.bold > 0 || self.heading.is_some();
        match self.runs.last_mut() {
            Some(r) if r.bold == bold => r.text.push_str(&t),
            _ => self.runs.push(Run { text: t, bold }),
        }
    }

    /// Ends the current block of text, if it has any.
    fn flush(&mut self) {
        let mut runs = std::mem::take(&mut self.runs);
        if let Some(first) = runs.first_mut() {
            first.text = first.text.trim_start().to_owned();
        }
        if let Some(last) = runs.last_mut() {
            last.text = last.text.trim_end().to_owned();
        }
        runs.retain(|r| !r.text.is_empty());
        if runs.is_empty() {
            return;
        }
        let block = if let Some(level) = self.heading {
            Block::Heading(level, runs)
        } else if self.in_li && !self.lists.is_empty() {
            let depth = (self.lists.len() - 1) as u8;
            let (ordered, n) = self.lists.last_mut().expect("checked above");
            let marker = if *ordered {
                format!("{n}.")
            } else {
                "•".to_owned()
            };
            if *ordered {
                *n += 1;
            }
            self.in_li = false; // a second paragraph of the item has no marker
            Block::ListItem {
                marker,
                depth,
                runs,
            }
        } else {
            Block::Paragraph(runs)
        };
        self.blocks.push(block);
    }

    fn cell_break(&mut self) {
        if let Some(cell) = &mut self.cell {
            let t = cell.text.trim_end().len();
            cell.text.truncate(t);
            if !cell.text.is_empty() {
                cell.text.push('\n');
            }
        }
    }

    fn open(&mut self, name: &str) {
        match name {
            "table" => {
                self.table_depth += 1;
                if self.table_depth == 1 {
                    self.flush();
                    self.table = Some(Vec::new());
                }
            }
            _ if self.table_depth > 1 => {}
            "tr" if self.table.is_some() => {
                self.table.as_mut().expect("checked").push(Vec::new());
            }
            "td" | "th" if self.table.is_some() => {
                self.close_cell();
                self.cell = Some(Cell {
                    text: String::new(),
                    header: name == "th",
                });
            }
            "caption" if self.table.is_some() => {}
            "br" if self.cell.is_some() => self.cell_break(),
            "p" | "div" | "li" | "figcaption" | "figure" | "blockquote" | "pre" | "ul" | "ol"
            | "h2" | "h3" | "h4" | "h5" | "h6"
                if self.cell.is_some() =>
            {
                self.cell_break()
            }
            "strong" | "b" => self.bold += 1,
            "br" => {
                self.flush();
            }
            "hr" => {
                self.flush();
                self.blocks.push(Block::Rule);
            }
            "p" | "div" | "blockquote" | "figure" | "figcaption" => self.flush(),
            "pre" => {
                self.flush();
                self.pre += 1;
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                self.heading = Some(name.as_bytes()[1] - b'0');
            }
            "ul" | "ol" => {
                self.flush();
                self.lists.push((name == "ol", 1));
            }
            "li" => {
                self.flush();
                self.in_li = true;
            }
            _ => {}
        }
    }

    fn close_cell(&mut self) {
        if let (Some(mut cell), Some(table)) = (self.cell.take(), self.table.as_mut()) {
            cell.text = cell.text.trim().to_owned();
            if table.is_empty() {
                table.push(Vec::new());
            }
            table.last_mut().expect("pushed above").push(cell);
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "table" => {
                self.table_depth = self.table_depth.saturating_sub(1);
                if self.table_depth == 0 {
                    self.close_cell();
                    if let Some(mut rows) = self.table.take() {
                        rows.retain(|r| !r.is_empty());
                        if !rows.is_empty() {
                            self.blocks.push(Block::Table(rows));
                        }
                    }
                }
            }
            _ if self.table_depth > 1 => {}
            "td" | "th" => self.close_cell(),
            _ if self.cell.is_some() => {}
            "strong" | "b" => self.bold = self.bold.saturating_sub(1),
            "p" | "div" | "blockquote" | "figure" | "figcaption" | "li" => self.flush(),
            "pre" => {
                self.flush();
                self.pre = self.pre.saturating_sub(1);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                self.heading = None;
            }
            "ul" | "ol" => {
                self.flush();
                self.lists.pop();
                self.in_li = false;
            }
            _ => {}
        }
    }
}

/// Collapses runs of ASCII whitespace to one space (CJK text has none).
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_ascii_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// The blocks of a sanitised HTML body.
pub fn parse(html: &str) -> Vec<Block> {
    let mut p = Parser {
        blocks: Vec::new(),
        runs: Vec::new(),
        bold: 0,
        heading: None,
        lists: Vec::new(),
        in_li: false,
        pre: 0,
        table: None,
        cell: None,
        table_depth: 0,
    };
    for t in tokens(html) {
        match t {
            Token::Open(n) => p.open(&n.to_ascii_lowercase()),
            Token::Close(n) => p.close(&n.to_ascii_lowercase()),
            Token::Text(s) => p.push_text(s),
        }
    }
    p.close("table");
    p.table_depth = 0;
    p.close("table");
    p.flush();
    p.blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(html: &str) -> Vec<String> {
        parse(html).iter().map(Block::text).collect()
    }

    #[test]
    fn paragraphs_headings_lists() {
        let b = parse("<h2>一、总则</h2><p>第一段&amp;<strong>重点</strong>。</p><ol><li>甲</li><li>乙<ul><li>丙</li></ul></li></ol>");
        assert_eq!(
            b[0],
            Block::Heading(
                2,
                vec![Run {
                    text: "一、总则".into(),
                    bold: true
                }]
            )
        );
        assert_eq!(b[1].text(), "第一段&重点。");
        assert!(matches!(&b[2], Block::ListItem { marker, depth: 0, .. } if marker == "1."));
        assert!(matches!(&b[3], Block::ListItem { marker, depth: 0, .. } if marker == "2."));
        assert!(matches!(&b[4], Block::ListItem { marker, depth: 1, .. } if marker == "•"));
        assert_eq!(b.len(), 5);
    }

    #[test]
    fn tables_and_breaks() {
        let b = parse("<table><thead><tr><th>名称</th><th>数量</th></tr></thead>\n<tbody><tr><td><p>甲</p><p>乙</p></td><td>1</td></tr></tbody></table><p>a<br>b</p>");
        let Block::Table(rows) = &b[0] else {
            panic!("{b:?}")
        };
        assert_eq!(rows.len(), 2);
        assert!(rows[0][0].header);
        assert_eq!(rows[1][0].text, "甲\n乙");
        assert_eq!(texts("<p>a<br>b</p>"), ["a", "b"]);
    }

    /// Issue #15, fault 1: `&`, `<` or `>` before Chinese text panicked
    /// ("end byte index 12 is not a char boundary") in the Word/PDF step.
    #[test]
    fn references_before_chinese_text() {
        for (html, text) in [
            (
                "<p>依据&lt;&lt;中华人民共和国政府信息公开条例&gt;&gt;规定</p>",
                "依据<<中华人民共和国政府信息公开条例>>规定",
            ),
            ("<p>科技&amp;创新驱动发展</p>", "科技&创新驱动发展"),
            ("<p>科技&创新驱动发展</p>", "科技&创新驱动发展"),
            (
                "<table><tr><td>甲&amp;乙&#x4E19;丁</td></tr></table>",
                "甲&乙丙丁",
            ),
        ] {
            assert_eq!(texts(html), [text], "{html}");
        }
    }

    #[test]
    fn odd_input_is_text_not_error() {
        assert!(parse("").is_empty());
        assert_eq!(texts("a &unknown; &#x4E2D;"), ["a &unknown; 中"]);
        assert_eq!(texts("<table><tr><td>x"), ["x"]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 2000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(15),
            failure_persistence: None,
            ..Default::default()
        })]

        /// Any input, markup and references among Chinese text: blocks,
        /// never a panic.
        #[test]
        fn any_input_parses(html in "([<>&;#/a-z1 =\"]|&amp;|&lt;|&#x4E2D;|<p>|<td>|</table>|[\u{4E00}-\u{4E20}]){0,60}") {
            let _ = parse(&html);
        }
    }
}
