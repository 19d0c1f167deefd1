//! Plain text for searching: HTML to text, and the normalised character
//! sequence that the index and exact matching work on.
//!
//! Normalising folds every character ([`fold_char`]) and drops whitespace,
//! except that a run of whitespace between two ASCII letters or digits
//! becomes one space (it separates words there; between Chinese characters it
//! is only layout). So `关于 开展` matches `关于开展`, and `wi fi` does not match
//! `wifi`.

use super::fold::fold_char;
use crate::html::entity::reference;
use std::ops::Range;

/// Whitespace for normalising: ASCII, no-break, ideographic and zero-width spaces.
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\n'
            | '\r'
            | '\u{0B}'
            | '\u{0C}'
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'
            ..='\u{200B}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// Whether a *folded* character is part of a word (searchable on its own):
/// ASCII letters and digits, and every non-ASCII character outside the
/// punctuation and symbol blocks (CJK ideographs, kana, other scripts).
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !matches!(c,
        '\u{80}'..='\u{BF}'            // Latin-1 punctuation and symbols
        | '\u{D7}' | '\u{F7}'
        | '\u{2000}'..='\u{2BFF}'      // general punctuation … arrows, shapes, symbols
        | '\u{2E00}'..='\u{2E7F}'      // supplemental punctuation
        | '\u{3000}'..='\u{303F}'      // CJK symbols and punctuation
        | '\u{FE10}'..='\u{FE1F}'      // vertical forms
        | '\u{FE30}'..='\u{FE6F}'      // CJK compatibility forms, small forms
        | '\u{FF00}'..='\u{FF0F}'      // full-width punctuation left after folding
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '\u{FFF0}'..='\u{FFFF}'
        | '\u{E000}'..='\u{F8FF}'      // private use
    )
}

/// The normalised characters of `text` (see the module documentation).
pub fn normalize(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len() / 2);
    normalize_into(text, &mut out, |_| {});
    out
}

/// The normalised characters of `text` with, for each, the byte range of the
/// original text it stands for (a kept space stands for its whole run).
pub fn normalize_with_spans(text: &str) -> (Vec<char>, Vec<Range<usize>>) {
    let mut chars = Vec::new();
    let mut spans = Vec::new();
    normalize_into(text, &mut chars, |r| spans.push(r));
    (chars, spans)
}

fn normalize_into(text: &str, out: &mut Vec<char>, mut span: impl FnMut(Range<usize>)) {
    let mut space: Option<Range<usize>> = None;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if is_space(c) {
            space = Some(space.map_or(i..end, |s| s.start..end));
            continue;
        }
        let f = fold_char(c);
        if let Some(s) = space.take() {
            if f.is_ascii_alphanumeric() && out.last().is_some_and(char::is_ascii_alphanumeric) {
                out.push(' ');
                span(s);
            }
        }
        out.push(f);
        span(i..end);
    }
}

/// Plain text of (sanitised) HTML: tags removed, character references
/// decoded ([`crate::html::entity`]), a line break at block boundaries,
/// `script`/`style` content skipped.
/// Small on purpose: it is compiled into the app to build snippets.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find(['<', '&']) {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with('&') {
            let (c, len) = reference(rest).unwrap_or(('&', 1));
            out.push(c);
            rest = &rest[len..];
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !tag.starts_with('/') && (name == "script" || name == "style") {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = lower.find(&close).map_or("", |i| &rest[i..]);
            continue;
        }
        if matches!(
            name.as_str(),
            "p" | "div"
                | "br"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "li"
                | "tr"
                | "td"
                | "th"
                | "table"
                | "ul"
                | "ol"
                | "blockquote"
                | "pre"
                | "section"
                | "hr"
        ) && !out.ends_with('\n')
        {
            out.push('\n');
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize(s).into_iter().collect()
    }

    #[test]
    fn whitespace_is_kept_only_between_words() {
        assert_eq!(n("  关于 开展\n科技 "), "关于开展科技");
        assert_eq!(n("Wi  Fi 6 通知 ABC"), "wi fi 6通知abc");
        assert_eq!(n("第１２３号　ＡＢ"), "第123号ab");
    }

    #[test]
    fn spans_point_into_the_source() {
        let s = "Ａ b 學";
        let (chars, spans) = normalize_with_spans(s);
        assert_eq!(chars, ['a', ' ', 'b', '学']);
        assert_eq!(&s[spans[0].clone()], "Ａ");
        assert_eq!(&s[spans[1].clone()], " ");
        assert_eq!(&s[spans[3].clone()], "學");
    }

    #[test]
    fn html_to_text_strips_and_decodes() {
        assert_eq!(
            html_to_text(
                "<p>第一段&amp;<b>粗</b></p><script>x<y</script><p>二&#x4E8C;&#20108;&lt;</p>"
            ),
            "\n第一段&粗\n二二二<\n"
        );
        assert_eq!(html_to_text("a &unknown; b"), "a &unknown; b");
    }

    /// Issue #15, fault 1: `gongkai build` panicked ("end byte index 12 is
    /// not a char boundary") on these sanitised bodies.
    #[test]
    fn html_to_text_of_references_before_chinese() {
        for (html, text) in [
            (
                "<p>依据&lt;&lt;中华人民共和国政府信息公开条例&gt;&gt;规定</p>",
                "\n依据<<中华人民共和国政府信息公开条例>>规定\n",
            ),
            ("<p>科技&amp;创新驱动发展</p>", "\n科技&创新驱动发展\n"),
            ("科技&创新驱动发展", "科技&创新驱动发展"),
        ] {
            assert_eq!(html_to_text(html), text, "{html}");
        }
    }

    #[test]
    fn word_chars() {
        for c in ['a', '7', '中', 'é', 'ア'] {
            assert!(is_word_char(c), "{c}");
        }
        for c in ['，', '。', '、', '(', ' ', '《', '—', '“', '·'] {
            assert!(!is_word_char(fold_char(c)), "{c}");
        }
    }
}
