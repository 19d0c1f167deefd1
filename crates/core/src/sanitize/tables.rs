//! Data tables a reader can use: [`accessible_tables`] runs on sanitised
//! HTML (as html5ever serialises it: tags well formed, attribute values
//! double-quoted, `<` in text escaped) and
//!
//! - wraps each outermost `<table>` in a `<div class="gk-table">` that
//!   scrolls sideways on its own (a 年报's wide table at 320 px), focusable
//!   so that a keyboard can scroll it, a named region (by the caption) so
//!   that a screen reader says what it is;
//! - gives a `th` without `scope` one: `col` in the head or in a row of
//!   headers only, `row` for the first cell of a body row, else `col`.
//!
//! ```
//! use gongkai_core::sanitize::accessible_tables;
//! let html = accessible_tables("<table><caption>表1</caption><tr><th>项目</th><th>数量</th></tr><tr><th>行政许可</th><td>0</td></tr></table>");
//! assert!(html.starts_with("<div class=\"gk-table\" role=\"region\" tabindex=\"0\" aria-labelledby=\"gk-table-1\"><table><caption id=\"gk-table-1\">"));
//! assert!(html.contains("<th scope=\"col\">数量</th></tr><tr><th scope=\"row\">行政许可</th><td>0</td>"));
//! assert!(html.ends_with("</table></div>"));
//! ```

/// The accessible name of a table without a caption (the same in 简体 and
/// 繁體).
pub const UNNAMED_TABLE: &str = "表格";

/// The length of the tag at the start of `s`, up to and including `>`.
fn tag_len(s: &str) -> usize {
    let mut quoted = false;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'>' if !quoted => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// `(closing, lower-case name)` of a tag.
fn tag_name(tag: &str) -> (bool, String) {
    let inner = tag.trim_start_matches('<');
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    (closing, name)
}

/// See the module documentation.
pub fn accessible_tables(html: &str) -> String {
    if !html.contains("<table") {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut depth = 0usize;
    let mut tables = 0usize;
    let mut in_head = false;
    let mut row_of_headers = false;
    let mut cell = 0usize;
    let mut i = 0;
    while let Some(rel) = html[i..].find('<') {
        let at = i + rel;
        out.push_str(&html[i..at]);
        let end = at + tag_len(&html[at..]);
        let tag = &html[at..end];
        i = end;
        match tag_name(tag) {
            (false, name) if name == "table" => {
                if depth == 0 {
                    tables += 1;
                    let next = html[end..].trim_start();
                    if next.starts_with("<caption") {
                        out.push_str(&format!(
                            "<div class=\"gk-table\" role=\"region\" tabindex=\"0\" aria-labelledby=\"gk-table-{tables}\">"
                        ));
                    } else {
                        out.push_str(&format!(
                            "<div class=\"gk-table\" role=\"region\" tabindex=\"0\" aria-label=\"{UNNAMED_TABLE}\">"
                        ));
                    }
                }
                depth += 1;
                out.push_str(tag);
            }
            (true, name) if name == "table" => {
                out.push_str(tag);
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push_str("</div>");
                }
            }
            (false, name) if name == "caption" && depth == 1 && tag == "<caption>" => {
                out.push_str(&format!("<caption id=\"gk-table-{tables}\">"));
            }
            (closing, name) if name == "thead" => {
                in_head = !closing;
                out.push_str(tag);
            }
            (false, name) if name == "tr" => {
                cell = 0;
                let row_end = html[end..].find("</tr>").map_or(html.len(), |e| end + e);
                row_of_headers = !html[end..row_end].contains("<td");
                out.push_str(tag);
            }
            (false, name) if name == "th" => {
                if depth > 0 && !tag.contains(" scope=") {
                    let scope = if in_head || row_of_headers || cell > 0 {
                        "col"
                    } else {
                        "row"
                    };
                    out.push_str(&format!("{} scope=\"{scope}\">", &tag[..tag.len() - 1]));
                } else {
                    out.push_str(tag);
                }
                cell += 1;
            }
            (false, name) if name == "td" => {
                cell += 1;
                out.push_str(tag);
            }
            _ => out.push_str(tag),
        }
    }
    out.push_str(&html[i..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_rows_and_nested_tables() {
        let html = accessible_tables(
            "<p>一</p><table><thead><tr><th>类别</th><th scope=\"colgroup\" colspan=\"2\">结果</th></tr></thead>\
             <tbody><tr><th>行政复议</th><td>0</td><td><table><tr><td>x</td></tr></table></td></tr></tbody></table><p>二</p><table><tr><td>1</td></tr></table>",
        );
        assert_eq!(
            html,
            "<p>一</p><div class=\"gk-table\" role=\"region\" tabindex=\"0\" aria-label=\"表格\"><table><thead><tr><th scope=\"col\">类别</th><th scope=\"colgroup\" colspan=\"2\">结果</th></tr></thead>\
             <tbody><tr><th scope=\"row\">行政复议</th><td>0</td><td><table><tr><td>x</td></tr></table></td></tr></tbody></table></div><p>二</p>\
             <div class=\"gk-table\" role=\"region\" tabindex=\"0\" aria-label=\"表格\"><table><tr><td>1</td></tr></table></div>"
        );
    }

    #[test]
    fn text_that_looks_like_a_tag_is_left_alone() {
        let html = "<p title=\"<table>\">a &lt;table&gt; b</p>";
        assert_eq!(accessible_tables(html), html);
    }
}
