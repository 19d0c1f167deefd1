//! HTML sanitising for notice bodies (feature `build`).
//!
//! [`sanitize`] runs `ammonia` with an allowlist suited to notices and, so
//! that the builder can warn about it, lists what it removed. The list comes
//! from a scan of the same input with `html5ever`'s tokenizer (the tokenizer
//! ammonia's parser uses) applying the same allowlist and URL rules.
//!
//! ```
//! let s = gongkai_core::sanitize::sanitize(r#"<p onclick="x()">通知</p><script>alert(1)</script>"#);
//! assert_eq!(s.html, "<p>通知</p>");
//! assert_eq!(s.removed, ["onclick attribute on <p>", "<script> element"]);
//! ```

mod tables;

pub use tables::{accessible_tables, UNNAMED_TABLE};

use ammonia::{Builder, Url};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Elements kept (their disallowed attributes are dropped).
pub const ALLOWED_TAGS: &[&str] = &[
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "a",
    "img",
    "figure",
    "figcaption",
    "span",
    "div",
    "pre",
    "code",
    "hr",
];

/// Elements removed together with everything inside them.
pub const REMOVED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "template", "noscript", "noembed", "noframes", "textarea", "select", "title",
];

/// Attributes kept, per element; no attribute is allowed on every element.
pub const ALLOWED_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "title"]),
    ("img", &["src", "alt", "width", "height"]),
    ("td", &["colspan", "rowspan"]),
    ("th", &["colspan", "rowspan", "scope"]),
];

/// The values a `th`'s `scope` may have.
pub const SCOPES: &[&str] = &["row", "col", "rowgroup", "colgroup"];

/// URL schemes allowed in `href` and `src`; relative URLs are kept as they are.
pub const URL_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// `rel` given to every link.
pub const LINK_REL: &str = "noopener noreferrer";

/// Sanitised HTML and what was taken out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sanitized {
    /// Safe HTML.
    pub html: String,
    /// What was removed, in order of first appearance, one entry per kind of
    /// removal with a count when it happened more than once:
    /// `<script> element` (removed with its content), `<font> tag` (its
    /// content kept), `onclick attribute on <p>`, `javascript: URL in href on <a>`.
    pub removed: Vec<String>,
}

impl Sanitized {
    /// Whether nothing had to be removed.
    pub fn is_clean(&self) -> bool {
        self.removed.is_empty()
    }
}

static BUILDER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::empty();
    b.tags(ALLOWED_TAGS.iter().copied().collect())
        .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
        .tag_attributes(
            ALLOWED_ATTRIBUTES
                .iter()
                .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect::<HashSet<_>>()))
                .collect::<HashMap<_, _>>(),
        )
        .generic_attributes(HashSet::new())
        // `scope` keeps only the values HTML defines.
        .attribute_filter(|_, attr, value| {
            if attr == "scope" && !SCOPES.contains(&value) {
                None
            } else {
                Some(value.into())
            }
        })
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .link_rel(Some(LINK_REL))
        .strip_comments(true);
    b
});

/// Sanitises a notice body and lists what was removed.
pub fn sanitize(html: &str) -> Sanitized {
    Sanitized {
        html: BUILDER.clean(html).to_string(),
        removed: removals(html),
    }
}

/// Turns plain text into HTML: each non-blank line becomes an escaped `<p>`.
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str("<p>");
        escape_into(&mut out, line);
        out.push_str("</p>");
    }
    out
}

/// Escapes `& < > " '` for HTML text and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

fn escape_into(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Scans `html` with the HTML tokenizer and lists what [`BUILDER`] removes.
fn removals(html: &str) -> Vec<String> {
    // Fast path: no markup, nothing to remove.
    if !html.contains('<') {
        return Vec::new();
    }
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tok = Tokenizer::new(Scan::default(), Default::default());
    // The sink never returns `Script`, so one feed consumes all the input.
    let _ = tok.feed(&input);
    tok.end();
    let found = tok.sink.found.into_inner();
    found
        .into_iter()
        .map(|(what, n)| {
            if n > 1 {
                format!("{what} ({n} times)")
            } else {
                what
            }
        })
        .collect()
}

#[derive(Default)]
struct Scan {
    /// What was found, with counts, in order of first appearance.
    found: RefCell<Vec<(String, usize)>>,
    /// Inside an element removed with its content: its name and nesting depth.
    skip: RefCell<Option<(String, usize)>>,
}

impl Scan {
    fn note(&self, what: String) {
        let mut found = self.found.borrow_mut();
        match found.iter_mut().find(|(w, _)| *w == what) {
            Some((_, n)) => *n += 1,
            None => found.push((what, 1)),
        }
    }

    fn check_attributes(&self, tag: &str, attrs: &[html5ever::Attribute]) {
        let allowed: &[&str] = ALLOWED_ATTRIBUTES
            .iter()
            .find(|(t, _)| *t == tag)
            .map_or(&[], |(_, a)| a);
        for attr in attrs {
            let name = &*attr.name.local;
            if !allowed.contains(&name) {
                // ammonia replaces `rel` on links with LINK_REL: not worth a warning.
                if !(tag == "a" && name == "rel") {
                    self.note(format!("{name} attribute on <{tag}>"));
                }
            } else if name == "href" || name == "src" {
                // The same test as ammonia's.
                match Url::parse(&attr.value) {
                    Ok(url) if URL_SCHEMES.contains(&url.scheme()) => {}
                    Ok(url) => self.note(format!("{}: URL in {name} on <{tag}>", url.scheme())),
                    Err(ammonia::url::ParseError::RelativeUrlWithoutBase) => {}
                    Err(_) => self.note(format!("malformed URL in {name} on <{tag}>")),
                }
            }
        }
    }
}

impl TokenSink for Scan {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        let name = &*tag.name;
        let start = tag.kind == TagKind::StartTag;
        let opens = start && !tag.self_closing && !VOID.contains(&name);
        {
            let mut skip = self.skip.borrow_mut();
            if let Some((skipped, depth)) = skip.as_mut() {
                if skipped == name {
                    if opens {
                        *depth += 1;
                    } else if !start {
                        *depth -= 1;
                    }
                    if *depth == 0 {
                        *skip = None;
                    }
                }
            } else if start {
                if REMOVED_WITH_CONTENT.contains(&name) {
                    self.note(format!("<{name}> element"));
                    if opens && raw_kind(name).is_none() {
                        *skip = Some((name.to_owned(), 1));
                    }
                } else if ALLOWED_TAGS.contains(&name) {
                    self.check_attributes(name, &tag.attrs);
                } else {
                    self.note(format!("<{name}> tag"));
                }
            }
        }
        // Switch the tokenizer into raw text where the tree builder would.
        match (start, raw_kind(name)) {
            (true, Some(Some(kind))) => TokenSinkResult::RawData(kind),
            (true, Some(None)) => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

/// `Some(Some(kind))` for raw-text elements, `Some(None)` for `plaintext`.
fn raw_kind(name: &str) -> Option<Option<RawKind>> {
    match name {
        "script" => Some(Some(RawKind::ScriptData)),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            Some(Some(RawKind::Rawtext))
        }
        "textarea" | "title" => Some(Some(RawKind::Rcdata)),
        "plaintext" => Some(None),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_inputs_are_defused() {
        // (input, text that must survive, fragments that must not, expected `removed`)
        let table: &[(&str, &str, &[&str], &[&str])] = &[
            (
                "<p>通知</p><script>alert('x')</script>",
                "通知",
                &["script", "alert"],
                &["<script> element"],
            ),
            (
                r#"<img src="x.png" onerror="alert(1)">图片"#,
                "图片",
                &["onerror", "alert"],
                &["onerror attribute on <img>"],
            ),
            (
                r#"<a href="JaVaScRiPt:alert(1)">点击</a>"#,
                "点击",
                &["javascript", "alert"],
                &["javascript: URL in href on <a>"],
            ),
            (
                r#"<a href="jav&#x61;script&colon;alert(1)">实体</a>"#,
                "实体",
                &["script", "alert"],
                &["javascript: URL in href on <a>"],
            ),
            (
                "<a href=\" \tjava\nscript:alert(1)\">空白</a>",
                "空白",
                &["script", "alert"],
                &["javascript: URL in href on <a>"],
            ),
            (
                r#"<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="图">"#,
                "alt=\"图\"",
                &["data:", "base64"],
                &["data: URL in src on <img>"],
            ),
            (
                r#"<p>前</p><iframe src="https://evil.example/">框架内容</iframe><p>后</p>"#,
                "<p>前</p><p>后</p>",
                &["iframe", "evil", "框架内容"],
                &["<iframe> element"],
            ),
            (
                r#"<object data="x.swf"><param name="a" value="b">备用</object>正文"#,
                "正文",
                &["object", "param", "备用", "swf"],
                &["<object> element"],
            ),
            (
                "<embed src=\"x.swf\">正文",
                "正文",
                &["embed", "swf"],
                &["<embed> element"],
            ),
            (
                "<style>body{display:none}</style><p>正文</p>",
                "<p>正文</p>",
                &["style", "display"],
                &["<style> element"],
            ),
            (
                r#"<p style="position:fixed;top:0">正文</p>"#,
                "<p>正文</p>",
                &["style", "fixed"],
                &["style attribute on <p>"],
            ),
            (
                r#"<svg onload="alert(1)"><circle r="5"/></svg>正文"#,
                "正文",
                &["svg", "onload", "alert", "circle"],
                &["<svg> element"],
            ),
            (
                r#"<form action="https://evil.example/"><input name="q" value="x">表单</form>"#,
                "表单",
                &["form", "input", "evil"],
                &["<form> tag", "<input> tag"],
            ),
            (
                r#"<meta http-equiv="refresh" content="0;url=https://evil.example/">正文"#,
                "正文",
                &["meta", "refresh", "evil"],
                &["<meta> tag"],
            ),
            (
                r#"<base href="https://evil.example/"><a href="/x">链接</a>"#,
                "链接",
                &["base", "evil"],
                &["<base> tag"],
            ),
            (
                "<div><p>未闭合<b>粗体<i>斜体</div><script>alert(1)",
                "斜体",
                &["script", "alert"],
                &["<script> element"],
            ),
            (
                r#"<a href="https://www.example.gov.cn/" target="_blank">官网</a>"#,
                r#"<a href="https://www.example.gov.cn/" rel="noopener noreferrer">官网</a>"#,
                &["target", "_blank"],
                &["target attribute on <a>"],
            ),
            (
                r#"<a href="https://x.cn/" rel="opener">链接</a>"#,
                r#"rel="noopener noreferrer""#,
                &["\"opener\""],
                &[],
            ),
            (
                "<p onclick=\"a()\" onmouseover=\"b()\">一</p><p onclick=\"c()\">二</p>",
                "<p>一</p><p>二</p>",
                &["onclick", "onmouseover"],
                &[
                    "onclick attribute on <p> (2 times)",
                    "onmouseover attribute on <p>",
                ],
            ),
            (
                "<!-- <script>alert(1)</script> --><p>注释</p>",
                "<p>注释</p>",
                &["script", "<!--"],
                &[],
            ),
            (
                "<noscript><img src=x onerror=alert(1)></noscript>正文",
                "正文",
                &["onerror", "img"],
                &["<noscript> element"],
            ),
            (
                "<textarea><script>alert(1)</script></textarea>正文",
                "正文",
                &["alert", "textarea"],
                &["<textarea> element"],
            ),
        ];
        for (input, keep, gone, removed) in table {
            let out = sanitize(input);
            assert!(
                out.html.contains(keep),
                "{input}\n  => {}\n  should keep {keep}",
                out.html
            );
            for g in *gone {
                assert!(
                    !out.html
                        .to_ascii_lowercase()
                        .contains(&g.to_ascii_lowercase()),
                    "{input}\n  => {}\n  should not contain {g}",
                    out.html
                );
            }
            assert_eq!(&out.removed, removed, "removed for {input}");
        }
    }

    #[test]
    fn safe_notice_html_is_kept() {
        let input = concat!(
            "<h2>一、总体要求</h2><p>各乡镇：<strong>请</strong>于<em>7月</em>前报送。</p>",
            "<table><thead><tr><th colspan=\"2\">表</th></tr></thead>",
            "<tbody><tr><td rowspan=\"2\">甲</td><td>乙</td></tr></tbody></table>",
            "<ul><li>一</li></ul><img src=\"https://x.cn/a.png\" alt=\"图\" width=\"10\" height=\"20\">",
            "<a href=\"mailto:kjj@example.gov.cn\" title=\"邮件\">邮件</a><hr>"
        );
        let out = sanitize(input);
        assert!(out.is_clean(), "{:?}", out.removed);
        assert!(
            out.html.contains("<th colspan=\"2\">表</th>"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<td rowspan=\"2\">甲</td>"),
            "{}",
            out.html
        );
        assert!(out.html.contains("width=\"10\""), "{}", out.html);
        assert!(
            out.html.contains("href=\"mailto:kjj@example.gov.cn\""),
            "{}",
            out.html
        );
        assert!(out.html.contains("<h2>一、总体要求</h2>"), "{}", out.html);
    }

    #[test]
    fn relative_links_pass_through() {
        let out = sanitize("<a href=\"/kjj/a.html\">相对</a>");
        assert_eq!(
            out.html,
            "<a href=\"/kjj/a.html\" rel=\"noopener noreferrer\">相对</a>"
        );
        assert!(out.is_clean());
    }

    #[test]
    fn text_becomes_escaped_paragraphs() {
        assert_eq!(
            text_to_html("第一段 <b>\n\n  第二段 & \"引号\"\r\n第三段\n"),
            "<p>第一段 &lt;b&gt;</p><p>第二段 &amp; &quot;引号&quot;</p><p>第三段</p>"
        );
        assert_eq!(text_to_html("  \n\n"), "");
    }
}
