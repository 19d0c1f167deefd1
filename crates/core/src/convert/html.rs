//! Converting the text of an HTML fragment, leaving the markup alone.
//!
//! The input is the builder's sanitised HTML, so a small tokenizer is enough:
//! tags (attribute values quoted or not, `<` and `>` allowed inside quotes),
//! comments, character references, and raw text inside `script`/`style`.
//! Text between tags is converted; inside a tag only the values of
//! [`HUMAN_ATTRS`] are. Runs of text joined by inline tags are converted
//! together so that a phrase split by `<b>` still matches.

use super::Converter;
use std::borrow::Cow;

/// Attributes whose values are text for people (converted); every other
/// attribute (`href`, `src`, `class`, …) is copied unchanged.
pub const HUMAN_ATTRS: [&str; 4] = ["alt", "title", "aria-label", "summary"];

/// Inline elements: a phrase may continue across their tags.
const INLINE: [&str; 30] = [
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i",
    "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
    "time", "tt", "u", "var",
];

/// A piece of a run of text being collected.
enum Piece<'a> {
    /// Text to convert.
    Text(&'a str),
    /// An inline tag, emitted as is (its attributes already converted).
    Tag(Cow<'a, str>),
}

/// Output under construction: the current run of text and inline tags.
struct Writer<'c, 'a> {
    converter: &'c Converter,
    out: String,
    run: Vec<Piece<'a>>,
}

impl<'a> Writer<'_, 'a> {
    /// Converts and writes the pending run.
    fn flush(&mut self) {
        if self.run.is_empty() {
            return;
        }
        let texts: Vec<&str> = self
            .run
            .iter()
            .filter_map(|p| match p {
                Piece::Text(t) => Some(*t),
                Piece::Tag(_) => None,
            })
            .collect();
        let mut converted = self.converter.convert_pieces(&texts).into_iter();
        for p in self.run.drain(..) {
            match p {
                Piece::Text(_) => self.out.push_str(&converted.next().unwrap_or_default()),
                Piece::Tag(t) => self.out.push_str(&t),
            }
        }
    }

    /// Writes markup that ends the current run.
    fn markup(&mut self, s: &str) {
        self.flush();
        self.out.push_str(s);
    }
}

impl Converter {
    /// Converts the human-readable text of an HTML fragment; see
    /// [`super::s2t_html`].
    pub fn convert_html(&self, html: &str) -> String {
        let mut w = Writer {
            converter: self,
            out: String::with_capacity(html.len() + html.len() / 8),
            run: Vec::new(),
        };
        let bytes = html.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'<' if html[i..].starts_with("<!--") => {
                    let end = html[i + 4..]
                        .find("-->")
                        .map_or(html.len(), |e| i + 4 + e + 3);
                    w.markup(&html[i..end]);
                    i = end;
                }
                b'<' if bytes.get(i + 1).is_some_and(|b| matches!(b, b'!' | b'?')) => {
                    let end = html[i..].find('>').map_or(html.len(), |e| i + e + 1);
                    w.markup(&html[i..end]);
                    i = end;
                }
                b'<' if bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphabetic())
                    || (bytes.get(i + 1) == Some(&b'/')
                        && bytes.get(i + 2).is_some_and(|b| b.is_ascii_alphabetic())) =>
                {
                    let tag = self.tag(html, i);
                    let name = tag.name.to_ascii_lowercase();
                    i = tag.end;
                    if INLINE.contains(&name.as_str()) {
                        w.run.push(Piece::Tag(tag.text));
                        continue;
                    }
                    w.markup(&tag.text);
                    if !tag.closing && matches!(name.as_str(), "script" | "style") {
                        // Raw text up to the end tag, never converted.
                        let close = format!("</{name}");
                        let end =
                            find_ignore_case(&html[i..], &close).map_or(html.len(), |e| i + e);
                        w.markup(&html[i..end]);
                        i = end;
                    }
                }
                b'&' => match entity_len(&html[i..]) {
                    Some(len) => {
                        // A character reference is a character of its own:
                        // phrases do not match across it.
                        w.markup(&html[i..i + len]);
                        i += len;
                    }
                    None => {
                        w.run.push(Piece::Text(&html[i..i + 1]));
                        i += 1;
                    }
                },
                _ => {
                    // Text up to the next `<` or `&` (a literal `<` is text too).
                    let from = if bytes[i] == b'<' { i + 1 } else { i };
                    let end = html[from..]
                        .find(['<', '&'])
                        .map_or(html.len(), |e| from + e);
                    w.run.push(Piece::Text(&html[i..end]));
                    i = end;
                }
            }
        }
        w.flush();
        w.out
    }

    /// Parses the tag starting at `start` (a `<`), converting the values of
    /// human-readable attributes.
    fn tag<'a>(&self, html: &'a str, start: usize) -> Tag<'a> {
        let bytes = html.as_bytes();
        let mut i = start + 1;
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && !is_tag_delimiter(bytes[i]) {
            i += 1;
        }
        let name = &html[name_start..i];
        let mut text: Option<String> = None;
        let mut copied = start;
        loop {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                None => break,
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(b'/') => {
                    i += 1;
                    continue;
                }
                Some(_) => {}
            }
            let attr_start = i;
            while i < bytes.len() && !is_tag_delimiter(bytes[i]) && bytes[i] != b'=' {
                i += 1;
            }
            let attr = &html[attr_start..i];
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if bytes.get(j) != Some(&b'=') {
                continue;
            }
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let (value_start, value_end, after) = match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[j + 1..]
                        .find(q as char)
                        .map_or(html.len(), |e| j + 1 + e);
                    (j + 1, end, (end + 1).min(html.len()))
                }
                _ => {
                    let end = html[j..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(html.len(), |e| j + e);
                    (j, end, end)
                }
            };
            i = after;
            if closing || !HUMAN_ATTRS.iter().any(|h| h.eq_ignore_ascii_case(attr)) {
                continue;
            }
            let t = text.get_or_insert_with(String::new);
            t.push_str(&html[copied..value_start]);
            t.push_str(&self.convert_text(&html[value_start..value_end]));
            copied = value_end;
        }
        let text = match text {
            Some(mut t) => {
                t.push_str(&html[copied..i]);
                Cow::Owned(t)
            }
            None => Cow::Borrowed(&html[start..i]),
        };
        Tag {
            name,
            closing,
            text,
            end: i,
        }
    }

    /// Converts text that may contain character references (an attribute
    /// value), leaving the references as they are.
    fn convert_text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(amp) = rest.find('&') {
            out.push_str(&self.convert(&rest[..amp]));
            let len = entity_len(&rest[amp..]).unwrap_or(1);
            out.push_str(&rest[amp..amp + len]);
            rest = &rest[amp + len..];
        }
        out.push_str(&self.convert(rest));
        out
    }
}

/// A parsed tag.
struct Tag<'a> {
    /// Element name as written.
    name: &'a str,
    /// `</name>`.
    closing: bool,
    /// The tag's text, with human-readable attribute values converted.
    text: Cow<'a, str>,
    /// Byte offset just past the tag.
    end: usize,
}

fn is_tag_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'>' || b == b'/'
}

/// Length of the character reference at the start of `s` (`&amp;`,
/// `&#21457;`, `&#x53D1;`), if there is one.
fn entity_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix('&')?;
    let end = body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))?;
    (end > 0 && body[end..].starts_with(';')).then_some(end + 2)
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use crate::convert::s2t_html;

    #[test]
    fn converts_text_but_not_markup() {
        for (html, want) in [
            (
                r#"<a href="https://x.cn/发">发展</a>"#,
                r#"<a href="https://x.cn/发">發展</a>"#,
            ),
            (
                r#"<img src="/发.png" alt="头发" title='发展' class="发">"#,
                r#"<img src="/发.png" alt="頭髮" title='發展' class="发">"#,
            ),
            (
                "<p>头&amp;发&nbsp;发展&#21457;</p>",
                "<p>頭&amp;發&nbsp;發展&#21457;</p>",
            ),
            (
                r#"<p title="a > b &amp; 发展 < c">x</p>"#,
                r#"<p title="a > b &amp; 發展 < c">x</p>"#,
            ),
            ("<p>头<b>发</b></p>", "<p>頭<b>髮</b></p>"),
            ("<p>头</p><p>发</p>", "<p>頭</p><p>發</p>"),
            (
                "<!-- 发展 --><p>1 < 2 & 发展</p>",
                "<!-- 发展 --><p>1 < 2 & 發展</p>",
            ),
            ("<style>.发{}</style>发", "<style>.发{}</style>發"),
            (
                r#"<td data-x=发 title=发展>干燥</td>"#,
                r#"<td data-x=发 title=發展>乾燥</td>"#,
            ),
            ("<br/>发展<br />", "<br/>發展<br />"),
            ("未完<a href=\"x", "未完<a href=\"x"),
        ] {
            assert_eq!(s2t_html(html), want, "s2t_html({html:?})");
        }
    }
}
