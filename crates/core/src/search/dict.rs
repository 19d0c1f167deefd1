//! The site's vocabulary and its pinyin, as dictionary entries of the index
//! ([`DictKind`]; feature `build`). Pinyin comes from the `pinyin` crate
//! (MIT) at build time only: the app reads these entries and never needs a
//! dictionary of its own.
//!
//! The *vocabulary* is every run of 2 to [`MAX_WORD`] Chinese characters
//! in the normalised titles, counted by the titles it is in. Each word is
//! listed under its 全拼 (every combination of its characters' readings,
//! heteronyms included: 重庆 under `chongqing` and `zhongqing`), its 首字母
//! and, for 您是不是要找, each form with one character replaced by `?`.
//! A key keeps its [`MAX_EXPANSIONS`] most frequent words. Every Chinese
//! character of the site gets its readings and its 繁/简 variants
//! (OpenCC's `TSCharacters` values after the first, which folding never
//! reaches) that the vocabulary uses.

use super::expand::{is_han, Word, MAX_EXPANSIONS, MAX_WORD};
use super::fold::fold_char;
use super::format::{DictKind, TermKey};
use super::index::FastMap;
use pinyin::ToPinyinMulti;
use std::collections::{BTreeMap, BTreeSet};

/// Most reading combinations of one word (heteronyms multiply).
const MAX_READINGS: usize = 16;

/// The vocabulary: every run of 2 to [`MAX_WORD`] Chinese characters in
/// `titles` (normalised), with the number of titles it is in; most frequent
/// first, then in character order.
pub(super) fn vocabulary<'a>(titles: impl Iterator<Item = &'a [char]>) -> Vec<(String, u32)> {
    let mut counts: FastMap<String, u32> = FastMap::default();
    let mut seen: BTreeSet<&[char]> = BTreeSet::new();
    for title in titles {
        seen.clear();
        for run in title.split(|&c| !is_han(c)) {
            for n in 2..=MAX_WORD.min(run.len()) {
                seen.extend(run.windows(n));
            }
        }
        for w in &seen {
            *counts.entry(w.iter().collect()).or_default() += 1;
        }
    }
    let mut out: Vec<(String, u32)> = counts.into_iter().collect();
    out.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The readings of a character without tones (`ü` as `v`), every
/// heteronym, in the crate's order; empty if it has none.
pub(crate) fn readings(c: char) -> Vec<String> {
    let Some(multi) = c.to_pinyin_multi() else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for p in multi {
        let r: String = p
            .plain()
            .chars()
            .map(|c| match c {
                'ü' => 'v',
                'ê' => 'e',
                c => c,
            })
            .collect();
        if !r.is_empty() && r.chars().all(|c| c.is_ascii_lowercase()) && !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// Every reading of a word (bounded by [`MAX_READINGS`]), as syllables.
fn word_readings(word: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    for c in word.chars() {
        let rs = readings(c);
        if rs.is_empty() {
            return Vec::new();
        }
        out = out
            .iter()
            .flat_map(|p| {
                rs.iter().map(move |r| {
                    let mut p = p.clone();
                    p.push(r.clone());
                    p
                })
            })
            .take(MAX_READINGS)
            .collect();
    }
    out
}

/// Pairs of characters that folding keeps apart but a reader may mix up:
/// for each `TSCharacters` line with several values, the first value (what
/// folding gives) and each later value that folding leaves as it is.
fn variant_pairs() -> Vec<(char, char)> {
    let mut out = Vec::new();
    for line in crate::convert::data::TS_CHARACTERS.lines() {
        let Some((_, values)) = line.split_once('\t') else {
            continue;
        };
        let vs: Vec<char> = values
            .split(' ')
            .filter_map(|v| {
                let mut cs = v.chars();
                cs.next().filter(|_| cs.next().is_none())
            })
            .collect();
        let Some((&first, rest)) = vs.split_first() else {
            continue;
        };
        for &v in rest {
            if v != first && fold_char(v) == v && fold_char(first) == first {
                out.push((first, v));
                out.push((v, first));
            }
        }
    }
    out
}

/// The dictionary entries of a site: pinyin, initials and one-off keys of
/// its vocabulary (words with their 繁體 form from `hant` when the bundle
/// has that variant), and the readings and variants of `chars` (every
/// Chinese character of the site).
pub(super) fn entries(
    vocab: &[(String, u32)],
    chars: &BTreeSet<char>,
    hant: Option<&dyn Fn(&str) -> String>,
) -> Vec<(TermKey, Vec<String>)> {
    let mut map: BTreeMap<TermKey, Vec<String>> = BTreeMap::new();
    let mut add = |key: TermKey, value: &String| {
        let list = map.entry(key).or_default();
        if list.len() < MAX_EXPANSIONS && !list.contains(value) {
            list.push(value.clone());
        }
    };
    for (word, _) in vocab {
        let value = match hant {
            Some(f) => Word::encode(word, &f(word)),
            None => word.clone(),
        };
        for syllables in word_readings(word) {
            add(TermKey::Dict(DictKind::Pinyin, syllables.concat()), &value);
            let initials: String = syllables.iter().filter_map(|s| s.chars().next()).collect();
            add(TermKey::Dict(DictKind::Initials, initials), &value);
        }
        let cs: Vec<char> = word.chars().collect();
        for i in 0..cs.len() {
            let mut k = cs.clone();
            k[i] = '?';
            add(
                TermKey::Dict(DictKind::OneOff, k.into_iter().collect()),
                &value,
            );
        }
    }
    let used: BTreeSet<char> = vocab.iter().flat_map(|(w, _)| w.chars()).collect();
    let mut variants: BTreeMap<char, Vec<char>> = BTreeMap::new();
    for (a, b) in variant_pairs() {
        if used.contains(&b) {
            variants.entry(a).or_default().push(b);
        }
    }
    for &c in chars.iter().chain(variants.keys()) {
        let mut values = readings(c);
        for v in variants.get(&c).into_iter().flatten() {
            values.push(format!("={v}"));
        }
        if !values.is_empty() {
            map.insert(TermKey::Dict(DictKind::Char, c.to_string()), values);
        }
    }
    map.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_include_heteronyms_without_tones() {
        assert!(readings('重').contains(&"chong".to_owned()));
        assert!(readings('重').contains(&"zhong".to_owned()));
        assert_eq!(readings('女')[0], "nv");
        assert!(readings('a').is_empty());
        let r = word_readings("重庆");
        assert!(r.contains(&vec!["chong".to_owned(), "qing".to_owned()]));
    }

    #[test]
    fn vocabulary_counts_titles_not_occurrences() {
        let t: Vec<Vec<char>> = ["科技局科技局通知", "县科技局"]
            .iter()
            .map(|s| s.chars().collect())
            .collect();
        let v = vocabulary(t.iter().map(Vec::as_slice));
        let df = |w: &str| v.iter().find(|x| x.0 == w).map(|x| x.1);
        assert_eq!(df("科技局"), Some(2));
        assert_eq!(df("局通知"), Some(1));
        assert_eq!(df("科技局科"), Some(1));
        assert_eq!(df("科"), None);
        assert_eq!(v[0].1, 2);
    }

    #[test]
    fn entries_list_a_word_under_its_keys() {
        let vocab = vec![("科技局".to_owned(), 3), ("重庆".to_owned(), 1)];
        let chars: BTreeSet<char> = "科技局重庆计".chars().collect();
        let e: BTreeMap<String, Vec<String>> = entries(&vocab, &chars, None)
            .into_iter()
            .map(|(k, v)| (k.key(), v))
            .collect();
        assert_eq!(e["ypkejiju"], ["科技局"]);
        assert_eq!(e["yikjj"], ["科技局"]);
        assert_eq!(e["yo科?局"], ["科技局"]);
        assert_eq!(e["ypchongqing"], ["重庆"]);
        assert_eq!(e["ypzhongqing"], ["重庆"]);
        assert_eq!(e["yc计"], ["ji"]);
        // Folding leaves both characters of a variant pair as they are.
        let pairs = variant_pairs();
        assert!(pairs.len() > 20, "{} pairs", pairs.len());
        assert!(pairs
            .iter()
            .all(|&(a, b)| fold_char(a) == a && fold_char(b) == b && a != b));
    }
}
