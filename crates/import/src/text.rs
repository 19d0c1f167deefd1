//! Small text helpers shared by every source: whitespace as Chinese
//! documents use it (full-width spaces, `&nbsp;`), full-width ASCII, and
//! decoding bytes that are UTF-8 or GB18030.

use encoding_rs::{GB18030, UTF_8};

/// Whitespace in any form a notice uses: ASCII, no-break space (U+00A0),
/// the ideographic space (U+3000) and the other Unicode spaces.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' || c == '\u{feff}' || c == '\u{200b}'
}

/// Trims [`is_space`] characters at both ends.
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Removes every [`is_space`] character: `标　　题` → `标题`.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !is_space(*c)).collect()
}

/// Collapses runs of [`is_space`] into one ASCII space and trims.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if is_space(c) {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Full-width ASCII forms (`ＡＢＣ１２３／`, U+FF01–FF5E) as ASCII, and the
/// ideographic space as a space; everything else unchanged.
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// Whether `c` is a CJK ideograph or CJK punctuation (for joining lines
/// without a space, and for counting the text of a page).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303f}'   // CJK punctuation
        | '\u{3400}'..='\u{4dbf}' // Extension A
        | '\u{4e00}'..='\u{9fff}' // Unified ideographs
        | '\u{f900}'..='\u{faff}' // Compatibility ideographs
        | '\u{ff00}'..='\u{ffef}' // Full-width forms
        | '\u{20000}'..='\u{2ffff}')
}

/// Number of CJK characters in `s`.
pub fn cjk_count(s: &str) -> usize {
    s.chars().filter(|c| is_cjk(*c)).count()
}

/// Bytes decoded as text: a UTF-8 or UTF-16 byte-order mark wins, then valid
/// UTF-8, else GB18030 (a superset of GBK and GB2312, what older Chinese
/// systems write). Returns the text and the encoding's name.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), enc.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), UTF_8.name()),
        Err(_) => {
            let (text, _) = GB18030.decode_without_bom_handling(bytes);
            (text.into_owned(), GB18030.name())
        }
    }
}

/// Joins the lines of text extracted from a PDF or a plain-text file into
/// paragraphs: a blank line ends a paragraph; lines inside one are joined
/// without a space between CJK characters, with one otherwise.
pub fn join_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    for line in lines {
        let line = trim(line);
        if line.is_empty() {
            continue;
        }
        let glue = match (out.chars().last(), line.chars().next()) {
            (Some(a), Some(b)) if !(is_cjk(a) || is_cjk(b)) => " ",
            _ => "",
        };
        out.push_str(glue);
        out.push_str(line);
    }
    out
}

/// Removes a single space that a PDF's layout put between a CJK character
/// and a Latin letter or digit (`开展 2023 年` → `开展2023年`): the text was
/// typed without it, and the gap comes from the font change.
pub fn close_cjk_gaps(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 && i + 1 < chars.len() {
            let (a, b) = (chars[i - 1], chars[i + 1]);
            let latin = |c: char| c.is_ascii_alphanumeric();
            if (is_cjk(a) && (latin(b) || is_cjk(b))) || (latin(a) && is_cjk(b)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Splits a list of keywords written with any of the usual separators:
/// `科技，活动周、科普;农业 展会` → five words.
pub fn split_words(s: &str) -> Vec<String> {
    s.split(|c: char| matches!(c, ',' | '，' | '、' | ';' | '；' | '|' | '/') || is_space(c))
        .map(trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The first `n` characters of `s`, with `…` when cut (for messages).
pub fn excerpt(s: &str, n: usize) -> String {
    let mut chars = s.chars();
    let head: String = chars.by_ref().take(n).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// `%E9%80%9A` → `通`: a URL path as the server sees it (nginx's `$uri`).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_of_every_kind() {
        assert_eq!(squeeze("标　　题 \u{a0}"), "标题");
        assert_eq!(trim("\u{3000}\u{3000}近年来，\u{a0}"), "近年来，");
        assert_eq!(collapse("  a \u{3000} b\n c "), "a b c");
    }

    #[test]
    fn full_width_ascii() {
        assert_eq!(
            half_width("ｋｊｊ１／２０２３－０００２６"),
            "kjj1/2023-00026"
        );
        assert_eq!(half_width("武科发〔2023〕"), "武科发〔2023〕");
    }

    #[test]
    fn decodes_utf8_gb18030_and_boms() {
        let (gbk, _, _) = encoding_rs::GBK.encode("科技局通知");
        assert_eq!(decode(&gbk), ("科技局通知".to_owned(), "gb18030"));
        assert_eq!(decode("科技".as_bytes()), ("科技".to_owned(), "UTF-8"));
        let mut bom = vec![0xef, 0xbb, 0xbf];
        bom.extend_from_slice("索引号".as_bytes());
        assert_eq!(decode(&bom).0, "索引号");
    }

    #[test]
    fn joins_pdf_lines() {
        assert_eq!(
            join_lines(&["为深入实施创新驱动", "发展战略，现将", "2023 plan", "text"]),
            "为深入实施创新驱动发展战略，现将2023 plan text"
        );
        assert_eq!(
            close_cjk_gaps("关于开展 2023 年科技活动周"),
            "关于开展2023年科技活动周"
        );
        assert_eq!(close_cjk_gaps("see page 2 of 3"), "see page 2 of 3");
    }

    #[test]
    fn splits_keywords() {
        assert_eq!(
            split_words("科技，活动周、科普;农业 展会"),
            ["科技", "活动周", "科普", "农业", "展会"]
        );
    }
}
