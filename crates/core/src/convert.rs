//! 简体 → 繁體 conversion with OpenCC's `s2t` semantics (feature `build`).
//!
//! The bundle's `zh-Hant/` variant is converted here at build time, so the
//! browser never downloads a converter. The conversion is OpenCC's `s2t.json`
//! over OpenCC's own dictionaries (vendored in `crates/core/data/opencc/`,
//! Apache-2.0, embedded in the binary):
//!
//! 1. normalise CJK compatibility ideographs (`CJK_Compatibility_Ideographs`);
//! 2. at each position take the longest phrase in `STPhrases` ∪
//!    `STPhrases_GeneratedFromRegionalPhrases` (generated here exactly as
//!    OpenCC's build does: the keys of `HKPhrases` and `TWPhrases` converted
//!    with `t2s`, kept when at least three characters long);
//! 3. else the character's first candidate in `STCharacters`, else the
//!    character unchanged.
//!
//! Phrase lookups go through a table of the longest phrase for each leading
//! character pair, so most positions cost one or two hash lookups.
//!
//! ```
//! use gongkai_core::convert::{s2t, s2t_html};
//! assert_eq!(s2t("头发和发展"), "頭髮和發展");
//! assert_eq!(
//!     s2t_html(r#"<a href="https://x.cn/发" title="发展">发展</a>"#),
//!     r#"<a href="https://x.cn/发" title="發展">發展</a>"#
//! );
//! ```

mod bundle;
mod html;

pub use bundle::ToHant;
pub use html::HUMAN_ATTRS;

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

/// OpenCC's dictionaries, one `key<TAB>value[ value…]` a line, `#` comments.
pub(crate) mod data {
    pub const CJK_COMPATIBILITY: &str =
        include_str!("../data/opencc/CJK_Compatibility_Ideographs.txt");
    pub const ST_PHRASES: &str = include_str!("../data/opencc/STPhrases.txt");
    pub const ST_CHARACTERS: &str = include_str!("../data/opencc/STCharacters.txt");
    pub const TS_PHRASES: &str = include_str!("../data/opencc/TSPhrases.txt");
    pub const TS_CHARACTERS: &str = include_str!("../data/opencc/TSCharacters.txt");
    pub const HK_PHRASES: &str = include_str!("../data/opencc/HKPhrases.txt");
    pub const TW_PHRASES: &str = include_str!("../data/opencc/TWPhrases.txt");
}

/// Converts simplified text to traditional characters (OpenCC `s2t`).
pub fn s2t(text: &str) -> String {
    Converter::s2t().convert(text)
}

/// Converts the human-readable text of an HTML fragment (text nodes and the
/// `alt`, `title`, `aria-label` and `summary` attributes) to traditional
/// characters; tags, other attributes, URLs and entities are copied
/// unchanged. Phrases are matched across inline tags (`头<b>发</b>` →
/// `頭<b>髮</b>`) but not across block boundaries or entities.
pub fn s2t_html(html: &str) -> String {
    Converter::s2t().convert_html(html)
}

/// A dictionary-chain converter: normalisation, then longest phrase match
/// with a character-table fallback. [`Converter::s2t`] is the one the
/// builder uses; it is built on first use and shared.
#[derive(Debug)]
pub struct Converter {
    /// CJK compatibility ideograph → unified ideograph.
    normalize: FxHashMap<char, &'static str>,
    /// Phrases of two characters or more, keyed by the simplified phrase.
    phrases: FxHashMap<Cow<'static, str>, &'static str>,
    /// Longest phrase (in characters) starting with each pair of characters.
    longest: FxHashMap<u64, u8>,
    /// Single characters.
    chars: FxHashMap<char, &'static str>,
}

impl Converter {
    /// The shared `s2t` converter, built on first use (about 20 ms).
    pub fn s2t() -> &'static Converter {
        static S2T: OnceLock<Converter> = OnceLock::new();
        S2T.get_or_init(|| {
            let generated = regional_phrases();
            let phrases = entries(data::ST_PHRASES)
                .map(|(k, v)| (Cow::Borrowed(k), v))
                .chain(generated.into_iter().map(|(k, v)| (Cow::Owned(k), v)));
            Converter::new(phrases, entries(data::ST_CHARACTERS))
        })
    }

    /// OpenCC's `t2s` (with the `@tofu-risk` extension table, as OpenCC's
    /// build uses it to generate the regional phrases).
    fn t2s() -> Converter {
        // TSCharactersExt comes before TSCharacters in the chain: it wins.
        let chars = entries(data::TS_CHARACTERS).chain(tofu_risk(data::TS_CHARACTERS));
        Converter::new(
            entries(data::TS_PHRASES).map(|(k, v)| (Cow::Borrowed(k), v)),
            chars,
        )
    }

    /// Builds a converter. Earlier phrases win over later ones with the same
    /// key; later characters win over earlier ones.
    fn new(
        phrases: impl IntoIterator<Item = (Cow<'static, str>, &'static str)>,
        chars: impl IntoIterator<Item = (&'static str, &'static str)>,
    ) -> Converter {
        let single = |k: &str| {
            let mut it = k.chars();
            it.next().filter(|_| it.next().is_none())
        };
        let mut c = Converter {
            normalize: entries(data::CJK_COMPATIBILITY)
                .filter_map(|(k, v)| Some((single(k)?, v)))
                .collect(),
            phrases: FxHashMap::default(),
            longest: FxHashMap::default(),
            chars: chars
                .into_iter()
                .filter_map(|(k, v)| Some((single(k)?, v)))
                .collect(),
        };
        let mut one_char_phrases = Vec::new();
        for (k, v) in phrases {
            if let Some(ch) = single(&k) {
                // A one-character phrase is looked up before the character table.
                one_char_phrases.push((ch, v));
                continue;
            }
            let mut it = k.chars();
            let (Some(a), Some(b)) = (it.next(), it.next()) else {
                continue;
            };
            let len = u8::try_from(k.chars().count()).unwrap_or(u8::MAX);
            if c.phrases.contains_key(k.as_ref()) {
                continue;
            }
            c.phrases.insert(k, v);
            let m = c.longest.entry(pair(a, b)).or_insert(0);
            *m = (*m).max(len);
        }
        // In reverse so that the first of duplicate one-character phrases wins.
        for (ch, v) in one_char_phrases.into_iter().rev() {
            c.chars.insert(ch, v);
        }
        c
    }

    /// Converts `text`.
    pub fn convert(&self, text: &str) -> String {
        let text = self.normalized(text);
        let mut out = String::with_capacity(text.len());
        self.convert_bounded(&text, &[], &mut out, &mut Vec::new());
        out
    }

    /// Converts pieces of one text (e.g. the text nodes on either side of an
    /// inline tag) as if they were joined, so phrases match across piece
    /// boundaries, and returns the converted pieces. A phrase that crosses a
    /// boundary is used only if its conversion has as many characters as the
    /// phrase, so every piece keeps its own characters.
    pub fn convert_pieces(&self, pieces: &[&str]) -> Vec<String> {
        if pieces.is_empty() {
            return Vec::new();
        }
        let mut joined = String::new();
        let mut bounds = Vec::with_capacity(pieces.len().saturating_sub(1));
        for (i, p) in pieces.iter().enumerate() {
            if i > 0 {
                bounds.push(joined.len());
            }
            joined.push_str(&self.normalized(p));
        }
        let mut out = String::with_capacity(joined.len());
        let mut out_bounds = Vec::with_capacity(bounds.len());
        self.convert_bounded(&joined, &bounds, &mut out, &mut out_bounds);
        let mut result = Vec::with_capacity(pieces.len());
        let mut start = 0;
        for end in out_bounds.into_iter().chain([out.len()]) {
            result.push(out[start..end].to_owned());
            start = end;
        }
        result
    }

    /// `text` with compatibility ideographs replaced.
    fn normalized<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let is_compat = |c: char| matches!(c, '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}');
        if !text.chars().any(is_compat) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match self.normalize.get(&c) {
                Some(v) if is_compat(c) => out.push_str(v),
                _ => out.push(c),
            }
        }
        Cow::Owned(out)
    }

    /// Converts `text` into `out`. `bounds` are ascending byte offsets in
    /// `text` (piece boundaries); for each, the matching offset in `out` is
    /// pushed to `out_bounds`.
    fn convert_bounded(
        &self,
        text: &str,
        bounds: &[usize],
        out: &mut String,
        out_bounds: &mut Vec<usize>,
    ) {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let offset = |i: usize| chars.get(i).map_or(text.len(), |&(o, _)| o);
        let n = chars.len();
        let mut next_bound = 0;
        let mut i = 0;
        while i < n {
            let (start, c) = chars[i];
            while bounds.get(next_bound).is_some_and(|&b| b <= start) {
                out_bounds.push(out.len());
                next_bound += 1;
            }
            if c.is_ascii() {
                out.push(c);
                i += 1;
                continue;
            }
            let longest = chars
                .get(i + 1)
                .and_then(|&(_, d)| self.longest.get(&pair(c, d)))
                .map_or(0, |&m| usize::from(m).min(n - i));
            let mut matched = 0;
            for len in (2..=longest).rev() {
                let end = offset(i + len);
                let Some(value) = self.phrases.get(&text[start..end]) else {
                    continue;
                };
                if bounds.get(next_bound).is_some_and(|&b| b < end) {
                    // Crosses a piece boundary: split the value at the same
                    // character positions, if it has as many characters.
                    let value_offsets: Vec<usize> = value.char_indices().map(|(o, _)| o).collect();
                    if value_offsets.len() != len {
                        continue;
                    }
                    while let Some(&b) = bounds.get(next_bound).filter(|&&b| b < end) {
                        let k = chars[i..i + len].partition_point(|&(o, _)| o < b);
                        out_bounds.push(out.len() + value_offsets[k]);
                        next_bound += 1;
                    }
                }
                out.push_str(value);
                matched = len;
                break;
            }
            if matched == 0 {
                match self.chars.get(&c) {
                    Some(v) => out.push_str(v),
                    None => out.push(c),
                }
                matched = 1;
            }
            i += matched;
        }
        for _ in next_bound..bounds.len() {
            out_bounds.push(out.len());
        }
    }
}

/// Hash key of a pair of characters.
fn pair(a: char, b: char) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// The `(key, first value)` pairs of an OpenCC text dictionary.
fn entries(src: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    src.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (k, v) = l.split_once('\t')?;
            Some((k, v.split_whitespace().next()?))
        })
}

/// OpenCC's `TSCharactersExt`: the mapping after each `# @tofu-risk:` line,
/// without the candidate equal to the key (`extract_tofu_risk.py`).
fn tofu_risk(src: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    let mut lines = src.lines().peekable();
    std::iter::from_fn(move || loop {
        let line = lines.next()?;
        if !line.starts_with("# @tofu-risk:") {
            continue;
        }
        let Some((k, v)) = lines.peek().and_then(|l| l.split_once('\t')) else {
            continue;
        };
        if let Some(v) = v.split_whitespace().find(|v| *v != k) {
            return Some((k, v));
        }
    })
}

/// OpenCC's `STPhrases_GeneratedFromRegionalPhrases`: each key of
/// `HKPhrases` then `TWPhrases`, converted with `t2s`, maps to the key
/// itself, if the converted key has at least three characters (shorter ones
/// would split longer simplified words). On a conflict the first key wins
/// (OpenCC's build refuses conflicts; the vendored data has none, see the
/// tests).
fn regional_phrases() -> Vec<(String, &'static str)> {
    let t2s = Converter::t2s();
    let mut seen: FxHashMap<String, &'static str> = FxHashMap::default();
    let mut out = Vec::new();
    for (key, _) in entries(data::HK_PHRASES).chain(entries(data::TW_PHRASES)) {
        let simplified = t2s.convert(key);
        if simplified.chars().count() < 3 || seen.contains_key(&simplified) {
            continue;
        }
        seen.insert(simplified.clone(), key);
        out.push((simplified, key));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_examples() {
        for (s, t) in [
            ("头发", "頭髮"),
            ("发展", "發展"),
            ("干燥", "乾燥"),
            ("干涉", "干涉"),
            ("武山县科学技术局", "武山縣科學技術局"),
            ("李凤林", "李鳳林"),
            ("", ""),
            ("ASCII only, 2023-07-10", "ASCII only, 2023-07-10"),
        ] {
            assert_eq!(s2t(s), t, "s2t({s:?})");
        }
    }

    #[test]
    fn compatibility_ideographs_are_normalised() {
        // U+F900 豈 (compatibility) → U+8C48 豈.
        assert_eq!(s2t("\u{F900}"), "\u{8C48}");
    }

    #[test]
    fn regional_phrases_are_generated_without_conflicts() {
        let t2s = Converter::t2s();
        let mut seen: FxHashMap<String, &str> = FxHashMap::default();
        let mut conflicts = Vec::new();
        for (key, _) in entries(data::HK_PHRASES).chain(entries(data::TW_PHRASES)) {
            let s = t2s.convert(key);
            if s.chars().count() < 3 {
                continue;
            }
            if let Some(prev) = seen.insert(s.clone(), key) {
                if prev != key {
                    conflicts.push(format!("{s}: {prev} {key}"));
                }
            }
        }
        assert!(
            conflicts.is_empty(),
            "conflicting projections: {conflicts:?}"
        );
        let generated = regional_phrases();
        println!("{} regional phrases generated", generated.len());
        assert!(
            generated.len() > 300,
            "{} generated phrases",
            generated.len()
        );
        assert!(generated.iter().all(|(k, _)| k.chars().count() >= 3));
    }

    #[test]
    fn tofu_risk_table_skips_the_key_itself() {
        let ext: Vec<_> = tofu_risk("# @tofu-risk: x\n㑮\t㑮 𫝈\n㑯\t㑔\n").collect();
        assert_eq!(ext, [("㑮", "𫝈")]);
    }

    #[test]
    fn pieces_match_phrases_across_boundaries() {
        let c = Converter::s2t();
        assert_eq!(c.convert_pieces(&["头", "发"]), ["頭", "髮"]);
        assert_eq!(c.convert_pieces(&["", "头发", ""]), ["", "頭髮", ""]);
        assert_eq!(c.convert_pieces(&["a头", "", "发b"]), ["a頭", "", "髮b"]);
        assert_eq!(c.convert_pieces(&["发展"]), ["發展"]);
        assert!(c.convert_pieces(&[]).is_empty());
    }
}
