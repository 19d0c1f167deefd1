//! How deeply a body's elements nest, measured before the sanitiser parses it.
//!
//! The HTML parser inside the sanitiser (html5ever's tree builder) walks its
//! stack of open elements on most tags, so a body nested n deep costs about
//! n² steps: 200,000 nested `<div>`s took minutes to build (bench/README.md).
//! `check` refuses a body nested deeper than [`MAX_DEPTH`], found by
//! [`max_depth`] in one pass whose own stack never grows past the limit:
//! the private `tokens` module reads the tags, `tree` applies the rules.
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

mod tokens;
mod tree;

use std::borrow::Cow;
use tokens::{Token, Tokens};
use tree::Tree;

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
    let mut tree = Tree::new(limit);
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn implied_parents_count() {
        // The implied <tbody> and <tr> of a cell are levels too.
        let body = "<table><td>".repeat(90);
        assert_eq!(max_depth(&body, 1000), Ok(360));
    }
}
