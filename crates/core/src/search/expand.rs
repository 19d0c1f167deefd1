//! Widening a query beyond its literal text, and 您是不是要找, from the
//! dictionary entries of the index ([`super::format::DictKind`]) and its
//! synonym table. The query side holds no dictionary of its own: the index
//! carries the site's vocabulary with its pinyin (built with the `pinyin`
//! crate by `dict.rs`), so this only recognises Latin input and looks keys up.
//!
//! - **Pinyin**: a query of Latin letters only (tones, spaces and `'`
//!   dropped: `kējìjú`, `ke ji ju`) looks up its 全拼 and its 首字母 and
//!   runs each vocabulary word found as an expansion, ranked below the
//!   literal matches ([`super::Tier::Expanded`]).
//! - **Synonyms** (模糊 only): each term that contains a word of a synonym
//!   group is also tried with each other word of the group.
//! - **Suggestions**: a query of 2 to 4 Chinese characters with few results
//!   gets vocabulary words of the same pinyin, one character off, or
//!   differing by a 繁/简 variant.

use super::engine::{Conj, Ctx};
use super::fold::fold_char;
use super::format::{DictKind, SearchFile, TermKey};
use super::query::{conj, MatchMode, Query, SearchError, MAX_SUGGESTIONS};
use super::text::{is_space, normalize};
use crate::bundle::Variant;

/// Longest vocabulary word, in characters (and so in pinyin syllables).
pub const MAX_WORD: usize = 4;

/// Most words one query is widened to (each is run as a query): the
/// dictionary keeps the most frequent of a key's words first.
pub const MAX_EXPANSIONS: usize = 8;

/// Longest pinyin a query may be: six letters a syllable.
const MAX_PINYIN_LETTERS: usize = 6 * MAX_WORD;

/// A word of the site's vocabulary or synonym table, in both scripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// 简体, as the index folds it.
    pub hans: String,
    /// 繁體 (the same text when the scripts agree).
    pub hant: String,
}

impl Word {
    /// The word in the reader's script.
    pub fn text(&self, script: Variant) -> &str {
        match script {
            Variant::Hans => &self.hans,
            Variant::Hant => &self.hant,
        }
    }

    /// A stored value: `简` or `简\t繁`.
    pub(crate) fn decode(v: &str) -> Word {
        let (hans, hant) = v.split_once('\t').unwrap_or((v, v));
        Word {
            hans: hans.to_owned(),
            hant: hant.to_owned(),
        }
    }

    /// The stored value of a word.
    #[cfg(feature = "build")]
    pub(crate) fn encode(hans: &str, hant: &str) -> String {
        if hans == hant {
            hans.to_owned()
        } else {
            format!("{hans}\t{hant}")
        }
    }
}

/// How a query was widened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExpansionKind {
    /// The query's Latin letters read as 全拼 or 首字母.
    Pinyin,
    /// A term's synonyms.
    Synonym,
}

/// What a query was widened to: the results page says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// Pinyin or synonyms.
    pub kind: ExpansionKind,
    /// The query's term: the Latin letters read as pinyin, or the word of
    /// a synonym group found in it (in both scripts).
    pub term: Word,
    /// The words also searched.
    pub words: Vec<Word>,
}

/// The letters of a query that may be pinyin: ASCII letters only after
/// folding, tone marks dropped (`ā` → `a`, `ü` → `v`), spaces and
/// apostrophes removed; 2 to 24 letters. None for anything else.
///
/// ```
/// # use gongkai_core::search::latin_letters;
/// assert_eq!(latin_letters("kējìjú").as_deref(), Some("kejiju"));
/// assert_eq!(latin_letters("Ke Ji Ju").as_deref(), Some("kejiju"));
/// assert_eq!(latin_letters("xi'an").as_deref(), Some("xian"));
/// assert_eq!(latin_letters("lǜ").as_deref(), Some("lv"));
/// assert_eq!(latin_letters("wifi6"), None);
/// assert_eq!(latin_letters("科技"), None);
/// ```
pub fn latin_letters(text: &str) -> Option<String> {
    let mut out = String::new();
    for c in text.chars() {
        let c = fold_char(c);
        let c = c.to_lowercase().next().unwrap_or(c);
        let c = match c {
            'ā' | 'á' | 'ǎ' | 'à' => 'a',
            'ē' | 'é' | 'ě' | 'è' => 'e',
            'ī' | 'í' | 'ǐ' | 'ì' => 'i',
            'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
            'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
            'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' | 'ü' => 'v',
            c => c,
        };
        match c {
            'a'..='z' => out.push(c),
            '\'' | '’' => {}
            c if is_space(c) => {}
            _ => return None,
        }
    }
    (2..=MAX_PINYIN_LETTERS).contains(&out.len()).then_some(out)
}

/// A query's expansions: the conjunctions to run besides the text, and
/// what the results page says of them.
#[derive(Default)]
pub(super) struct Expanded {
    pub conjs: Vec<Conj>,
    pub expansions: Vec<Expansion>,
}

/// The expansions of `q`. Files still missing are noted in `ctx` (and the
/// expansions are then incomplete).
pub(super) fn expand(q: &Query, ctx: &mut Ctx<'_>) -> Result<Expanded, SearchError> {
    let mut out = Expanded::default();
    if let Some(letters) = q.pinyin() {
        let mut words: Vec<Word> = Vec::new();
        for kind in [DictKind::Pinyin, DictKind::Initials] {
            if kind == DictKind::Initials && letters.len() > MAX_WORD {
                continue;
            }
            let key = TermKey::Dict(kind, letters.to_owned());
            for w in ctx.values(&key)?.unwrap_or_default() {
                let w = Word::decode(&w);
                if !words.iter().any(|x| x.hans == w.hans) {
                    words.push(w);
                }
            }
        }
        words.truncate(MAX_EXPANSIONS);
        if !words.is_empty() {
            out.conjs
                .extend(words.iter().map(|w| conj(&w.hans, q.mode())));
            out.expansions.push(Expansion {
                kind: ExpansionKind::Pinyin,
                term: Word {
                    hans: letters.to_owned(),
                    hant: letters.to_owned(),
                },
                words,
            });
        }
    }
    if q.mode() == MatchMode::Fuzzy {
        if let Some(n) = ctx.meta.synonyms {
            if ctx.want(SearchFile::Shard(n)) {
                synonyms(q, ctx, n, &mut out)?;
            }
        }
    }
    Ok(out)
}

/// 模糊: each term that contains a word of a synonym group is also tried
/// with the group's other words in its place; the alternatives are every
/// combination of the terms' choices (the text as typed left out), at most
/// [`MAX_EXPANSIONS`].
fn synonyms(q: &Query, ctx: &Ctx<'_>, file: u32, out: &mut Expanded) -> Result<(), SearchError> {
    let Some(shard) = ctx.files.get(file) else {
        return Ok(());
    };
    let groups = shard.word_groups()?;
    // Per term of the query: its text, then each alternative.
    let mut choices: Vec<Vec<String>> = Vec::new();
    for g in q.groups() {
        let text: String = g.text.iter().collect();
        let mut options = vec![text.clone()];
        // A word can only be in the term if its first character is: a
        // comparison of characters turns away nearly every group before
        // the substring searches, which cost 模糊 queries 12–15 µs.
        let may_hold = |w: &Word| w.hans.chars().next().is_none_or(|c| g.text.contains(&c));
        for group in groups.iter().filter(|group| group.iter().any(may_hold)) {
            // The longest word of the group in the term (高速公路, not 高速).
            let Some((found, at)) = group
                .iter()
                .filter_map(|w| text.find(w.hans.as_str()).map(|at| (w, at)))
                .max_by_key(|(w, _)| w.hans.len())
            else {
                continue;
            };
            let others: Vec<Word> = group
                .iter()
                .filter(|w| w.hans != found.hans)
                .cloned()
                .collect();
            for w in &others {
                let rest = &text[at + found.hans.len()..];
                options.push(format!("{} {} {rest}", &text[..at], w.hans));
            }
            out.expansions.push(Expansion {
                kind: ExpansionKind::Synonym,
                term: found.clone(),
                words: others,
            });
        }
        choices.push(options);
    }
    let mut combos: Vec<Vec<&str>> = vec![Vec::new()];
    for options in &choices {
        combos = combos
            .iter()
            .flat_map(|c| {
                options.iter().map(move |o| {
                    let mut c = c.clone();
                    c.push(o.as_str());
                    c
                })
            })
            .take(MAX_EXPANSIONS + 1)
            .collect();
    }
    out.conjs.extend(
        combos
            .iter()
            .skip(1)
            .map(|c| conj(&c.join(" "), MatchMode::Fuzzy)),
    );
    Ok(())
}

/// Whether `c` is a CJK ideograph (the vocabulary's characters).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// 您是不是要找 for a query of 2 to [`MAX_WORD`] Chinese characters:
/// vocabulary words that differ from it by a 繁/简 variant, then those of
/// the same pinyin, then those one character off, the most frequent first;
/// at most [`MAX_SUGGESTIONS`]. `None` while files are missing (noted).
pub(super) fn suggest(q: &Query, ctx: &mut Ctx<'_>) -> Result<Option<Vec<Word>>, SearchError> {
    let lit = q.literal();
    if !(2..=MAX_WORD).contains(&lit.len()) || !lit.iter().all(|&c| is_han(c)) {
        return Ok(Some(Vec::new()));
    }
    let before = ctx.need.len();
    let mut chars = Vec::new();
    for &c in lit {
        chars.push(ctx.values(&TermKey::Dict(DictKind::Char, c.to_string()))?);
    }
    let mut off = Vec::new();
    for i in 0..lit.len() {
        let mut k = lit.to_vec();
        k[i] = '?';
        off.push(ctx.values(&TermKey::Dict(DictKind::OneOff, k.into_iter().collect()))?);
    }
    if ctx.need.len() > before {
        return Ok(None);
    }
    let chars: Vec<Vec<String>> = chars.into_iter().flatten().collect();
    let off: Vec<Vec<Word>> = off
        .into_iter()
        .map(|v| {
            v.unwrap_or_default()
                .iter()
                .map(|w| Word::decode(w))
                .collect()
        })
        .collect();
    // Readings of the whole query: each character's, combined (bounded).
    let mut readings = vec![String::new()];
    for rs in &chars {
        let rs: Vec<&String> = rs.iter().filter(|r| !r.starts_with('=')).collect();
        if rs.is_empty() {
            readings.clear();
            break;
        }
        readings = readings
            .iter()
            .flat_map(|p| rs.iter().map(move |r| format!("{p}{r}")))
            .take(MAX_EXPANSIONS)
            .collect();
    }
    let mut same = Vec::new();
    for r in readings {
        if let Some(v) = ctx.values(&TermKey::Dict(DictKind::Pinyin, r))? {
            same.extend(v.iter().map(|w| Word::decode(w)));
        }
    }
    if ctx.need.len() > before {
        return Ok(None);
    }
    let variant = |i: usize, w: &Word| {
        let c = w.hans.chars().nth(i).unwrap_or_default();
        chars[i]
            .iter()
            .any(|v| v.strip_prefix('=') == Some(c.encode_utf8(&mut [0; 4])))
    };
    let variants = off
        .iter()
        .enumerate()
        .flat_map(|(i, ws)| ws.iter().filter(move |w| variant(i, w)));
    let query: String = lit.iter().collect();
    let mut out: Vec<Word> = Vec::new();
    for w in variants.chain(&same).chain(off.iter().flatten()) {
        if w.hans != query && normalize(&w.hans) != lit && !out.iter().any(|x| x.hans == w.hans) {
            out.push(w.clone());
        }
        if out.len() == MAX_SUGGESTIONS {
            break;
        }
    }
    Ok(Some(out))
}
