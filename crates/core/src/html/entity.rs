//! Character references (`&amp;`, `&#x4E2D;`) in sanitised HTML.
//!
//! The sanitiser's serializer (html5ever) writes text with `&amp;`, `&lt;`,
//! `&gt;` and `&nbsp;`, attribute values also with `&quot;`, and every other
//! character as itself; `sanitize::escape_html` (feature `build`) also writes `&#39;`.
//! [`decode`] turns those back, and `&apos;` and any numeric reference, so it
//! reads everything the bundle holds: the search text, the app's snippets,
//! the Word/PDF text. It is not a full HTML decoder: the ~2,200 other named
//! references, and references without their `;`, are left as written (a
//! sanitised body has none: the sanitiser's parser decoded them already).
//!
//! Only ASCII bytes are ever inspected to find a reference's end, so a
//! reference next to Chinese text never splits a character.
//!
//! ```
//! use gongkai_core::html::entity::decode;
//! assert_eq!(decode("依据&lt;&lt;条例&gt;&gt;规定"), "依据<<条例>>规定");
//! assert_eq!(decode("科技&amp;创新&#x9A71;&#21160;"), "科技&创新驱动");
//! assert_eq!(decode("&copy; &amp &#xD800;"), "&copy; &amp &#xD800;");
//! ```

/// The named references decoded, with their characters.
pub const NAMED: [(&str, char); 6] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{A0}'),
];

/// The character reference at the start of `s`: its character and its
/// length in bytes, `;` included. `None` when `s` does not start with a
/// reference this module decodes: an unknown name, no `;`, or a number that
/// is not a Unicode scalar value (`&#xD800;`, `&#99999999999;`).
pub fn reference(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    let rest = b.strip_prefix(b"&")?;
    let (c, len) = match rest.strip_prefix(b"#") {
        Some(num) => {
            let (radix, prefix) = match num.first() {
                Some(b'x' | b'X') => (16, 1),
                _ => (10, 0),
            };
            let digits = &num[prefix..];
            let n = digits
                .iter()
                .take_while(|d| char::from(**d).is_digit(radix))
                .count();
            if n == 0 {
                return None;
            }
            let mut value: u32 = 0;
            for d in &digits[..n] {
                let d = char::from(*d).to_digit(radix)?;
                value = value.checked_mul(radix)?.checked_add(d)?;
            }
            (char::from_u32(value)?, 2 + prefix + n)
        }
        None => {
            let n = rest
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
            // `rest[..n]` is ASCII, so this slice of `s` is on char boundaries.
            let name = &s[1..1 + n];
            let (_, c) = NAMED.iter().find(|(k, _)| *k == name)?;
            (*c, 1 + n)
        }
    };
    (b.get(len) == Some(&b';')).then_some((c, len + 1))
}

/// `s` with its character references decoded (see the module documentation).
pub fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    decode_into(&mut out, s);
    out
}

/// Appends `s` to `out` with its character references decoded.
pub fn decode_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_table() {
        // (input, decoded): one row per case.
        let table: &[(&str, &str)] = &[
            ("&amp;", "&"),
            ("&lt;", "<"),
            ("&gt;", ">"),
            ("&quot;", "\""),
            ("&apos;", "'"),
            ("&nbsp;", "\u{A0}"),
            ("&#39;", "'"),
            ("&#20108;", "二"),
            ("&#x4E8C;", "二"),
            ("&#X4e8c;", "二"),
            ("&#x1F600;", "😀"),
            ("&#0000065;", "A"),
            ("&#x10FFFF;", "\u{10FFFF}"),
            // Not decoded: left exactly as written.
            ("&#x110000;", "&#x110000;"),
            ("&#xD800;", "&#xD800;"),
            ("&#99999999999999999999;", "&#99999999999999999999;"),
            ("&#;", "&#;"),
            ("&#x;", "&#x;"),
            ("&#65", "&#65"),
            ("&amp", "&amp"),
            ("&AMP;", "&AMP;"),
            ("&copy;", "&copy;"),
            ("&unknown;", "&unknown;"),
            ("&;", "&;"),
            ("&", "&"),
            ("&&amp;", "&&"),
            ("&amp;amp;", "&amp;"),
            ("a & b", "a & b"),
            // Issue #15, fault 1: a reference or `&` followed by Chinese
            // text; the old decoder cut the string at byte 12 and panicked.
            (
                "依据&lt;&lt;中华人民共和国政府信息公开条例&gt;&gt;规定",
                "依据<<中华人民共和国政府信息公开条例>>规定",
            ),
            ("科技&amp;创新驱动发展", "科技&创新驱动发展"),
            ("科技&创新驱动发展", "科技&创新驱动发展"),
            ("&#中华人民共和国;", "&#中华人民共和国;"),
            ("&#x中华人民共和国;", "&#x中华人民共和国;"),
            ("&中华人民共和国;", "&中华人民共和国;"),
            ("&amp中华人民共和国;", "&amp中华人民共和国;"),
            ("&#1中华;", "&#1中华;"),
        ];
        for (input, want) in table {
            assert_eq!(decode(input), *want, "decode({input:?})");
        }
    }

    #[test]
    fn reference_length_covers_the_semicolon() {
        assert_eq!(reference("&amp;x"), Some(('&', 5)));
        assert_eq!(reference("&#x4E8C;x"), Some(('二', 8)));
        assert_eq!(reference("x&amp;"), None, "must start with &");
        assert_eq!(reference(""), None);
    }
}
