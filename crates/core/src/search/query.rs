//! Parsing a query, running it over loaded shards, highlighting matches.

use super::format::{
    shard_of, DateIndex, Field, FormatError, Postings, SearchMeta, Shards, TermKey,
};
use super::index_params::{PHRASE_BONUS, PROXIMITY_BONUS, TITLE_BOOST};
use super::text::{is_space, is_word_char, normalize, normalize_with_spans};
use crate::date::PlainDate;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// Longest accepted query, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

macro_rules! mode_enum {
    ($(#[$m:meta])* $name:ident, $err:literal, $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)?) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            $($(#[$vm])* $v),+
        }

        impl $name {
            /// All values.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// The value as written in URLs (`?scope=full`).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownOption;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok($name::$v),)+
                    _ => Err(UnknownOption { option: $err, value: s.to_owned() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

mode_enum!(
    /// 搜索位置: where to search.
    Scope, "scope",
    /// 全文: title, summary and body.
    #[default]
    Full = "full",
    /// 标题: the title only.
    Title = "title",
);

mode_enum!(
    /// 匹配度: how the query must match.
    MatchMode, "match",
    /// 精确: the folded text contains the folded query literally.
    #[default]
    Exact = "exact",
    /// 模糊: every term, in any order, ranked by BM25.
    Fuzzy = "fuzzy",
);

mode_enum!(
    /// 排序: result order.
    SortOrder, "sort",
    /// 相关度: best match first.
    #[default]
    Relevance = "relevance",
    /// 时间: newest first.
    Date = "date",
);

/// An option value that is not one of the known ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {option} {value:?}")]
pub struct UnknownOption {
    /// Which option: `scope`, `match` or `sort`.
    pub option: &'static str,
    /// The value given.
    pub value: String,
}

/// The options of a search, as on the original page plus filters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Options {
    /// 搜索位置.
    pub scope: Scope,
    /// 匹配度.
    pub mode: MatchMode,
    /// 排序.
    pub sort: SortOrder,
    /// Only this column (id), if set.
    pub column: Option<String>,
    /// Published on or after this day (Beijing time), if set.
    pub from: Option<PlainDate>,
    /// Published on or before this day (Beijing time), if set.
    pub to: Option<PlainDate>,
}

/// Why a query text cannot be searched. The messages are for readers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Nothing was typed.
    #[error("请输入要搜索的内容")]
    Empty,
    /// Only spaces were typed.
    #[error("搜索内容不能只有空格，请输入文字或数字")]
    Blank,
    /// Only punctuation or symbols were typed.
    #[error("搜索内容不能只有标点符号，请输入文字或数字")]
    NoWords,
    /// The query is longer than [`MAX_QUERY_CHARS`].
    #[error("搜索内容最多 {max} 个字，现在有 {chars} 个字")]
    TooLong {
        /// Characters typed (spaces at either end not counted).
        chars: usize,
        /// [`MAX_QUERY_CHARS`].
        max: usize,
    },
}

/// Why a parsed query could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// A shard returned by [`Query::shards_needed`] was not loaded.
    #[error("search shard {0} is not loaded")]
    MissingShard(u32),
    /// A date filter is set but `search/dates.bin` was not passed.
    #[error("the date index is not loaded")]
    MissingDates,
    /// The column filter names a column the index does not know.
    #[error("unknown column {0:?}")]
    UnknownColumn(String),
    /// A shard is corrupt.
    #[error(transparent)]
    Format(#[from] FormatError),
}

/// A token of the index, before a field is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Char(char),
    Bigram(char, char),
    Word(String),
}

impl Tok {
    fn key(&self, field: Field) -> TermKey {
        match self {
            Tok::Char(c) => TermKey::Char(field, *c),
            Tok::Bigram(a, b) => TermKey::Bigram(field, *a, *b),
            Tok::Word(w) => TermKey::Word(field, w.clone()),
        }
    }
}

/// Tokens that must all occur; with `offsets`, at those distances for a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    toks: Vec<(Tok, u32)>,
    /// Positions are stored for these tokens (bigrams and words).
    positional: bool,
    /// A document only matches if the tokens occur as a phrase (exact mode).
    require_phrase: bool,
    /// The characters this group stands for, for highlighting.
    text: Vec<char>,
}

/// A parsed query. Build with [`Query::parse`], then fetch
/// [`Query::shards_needed`] and run [`Query::search`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    text: String,
    options: Options,
    groups: Vec<Group>,
}

/// One result: a document number (see [`SearchMeta::chunk_of`]) and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Document number.
    pub doc: u32,
    /// Relevance score (higher is better); 0 is never returned for a match.
    pub score: f32,
}

/// All results, sorted; the caller pages them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    /// Number of matching documents.
    pub total: usize,
    /// Every match, in the requested order.
    pub hits: Vec<Hit>,
}

/// Exact-mode tokens for a normalised literal: the single character, the
/// single bigram, or bigrams at offsets 0, 2, 4 … (plus the last) that cover
/// every character, so a phrase check over them decides a literal match.
fn literal_group(lit: &[char]) -> Group {
    let toks = match lit.len() {
        1 => vec![(Tok::Char(lit[0]), 0)],
        n => {
            let mut offs: Vec<usize> = (0..n - 1).step_by(2).collect();
            if n % 2 == 1 && n > 2 {
                offs.push(n - 2);
            }
            offs.into_iter()
                .map(|o| (Tok::Bigram(lit[o], lit[o + 1]), o as u32))
                .collect()
        }
    };
    Group {
        positional: lit.len() > 1,
        require_phrase: lit.len() > 2,
        toks,
        text: lit.to_vec(),
    }
}

/// Fuzzy-mode groups: terms split at spaces and punctuation, then into runs
/// of ASCII letters/digits (a word) and of other word characters (one
/// character, or all its bigrams).
fn fuzzy_groups(lit: &[char]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut i = 0;
    while i < lit.len() {
        let c = lit[i];
        if !is_word_char(c) {
            i += 1;
            continue;
        }
        let ascii = c.is_ascii();
        let start = i;
        while i < lit.len() && is_word_char(lit[i]) && lit[i].is_ascii() == ascii {
            i += 1;
        }
        let run = &lit[start..i];
        let g = if ascii {
            Group {
                toks: vec![(Tok::Word(run.iter().collect()), 0)],
                positional: true,
                require_phrase: false,
                text: run.to_vec(),
            }
        } else if run.len() == 1 {
            Group {
                toks: vec![(Tok::Char(run[0]), 0)],
                positional: false,
                require_phrase: false,
                text: run.to_vec(),
            }
        } else {
            Group {
                toks: run
                    .windows(2)
                    .enumerate()
                    .map(|(o, w)| (Tok::Bigram(w[0], w[1]), o as u32))
                    .collect(),
                positional: true,
                require_phrase: false,
                text: run.to_vec(),
            }
        };
        if !groups.iter().any(|x| x.text == g.text) {
            groups.push(g);
        }
    }
    groups
}

impl Query {
    /// Parses what the reader typed.
    ///
    /// ```
    /// use gongkai_core::search::{Query, Options, QueryError};
    /// assert!(Query::parse("科学 通知", Options::default()).is_ok());
    /// assert_eq!(Query::parse("  ", Options::default()), Err(QueryError::Blank));
    /// assert_eq!(Query::parse("，。！", Options::default()), Err(QueryError::NoWords));
    /// ```
    pub fn parse(text: &str, options: Options) -> Result<Query, QueryError> {
        if text.is_empty() {
            return Err(QueryError::Empty);
        }
        let trimmed = text.trim_matches(is_space);
        if trimmed.is_empty() {
            return Err(QueryError::Blank);
        }
        let chars = trimmed.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong {
                chars,
                max: MAX_QUERY_CHARS,
            });
        }
        let lit = normalize(trimmed);
        if !lit.iter().copied().any(is_word_char) {
            return Err(QueryError::NoWords);
        }
        let groups = match options.mode {
            MatchMode::Exact => vec![literal_group(&lit)],
            MatchMode::Fuzzy => {
                // Spaces separate terms even between CJK characters, where
                // normalising would drop them.
                let mut lit = Vec::new();
                for part in trimmed.split(is_space).filter(|p| !p.is_empty()) {
                    lit.extend(normalize(part));
                    lit.push(' ');
                }
                fuzzy_groups(&lit)
            }
        };
        Ok(Query {
            text: trimmed.to_owned(),
            options,
            groups,
        })
    }

    /// The query text as typed, without surrounding spaces.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Whether [`Query::search`] needs `search/dates.bin` (a date filter is set).
    pub fn needs_dates(&self) -> bool {
        self.options.from.is_some() || self.options.to.is_some()
    }

    fn fields(&self) -> &'static [Field] {
        match self.options.scope {
            Scope::Title => &[Field::Title],
            Scope::Full => &[Field::Full, Field::Title],
        }
    }

    fn keys(&self) -> Vec<TermKey> {
        let mut keys = Vec::new();
        for &f in self.fields() {
            for g in &self.groups {
                keys.extend(g.toks.iter().map(|(t, _)| t.key(f)));
            }
        }
        if let Some(c) = &self.options.column {
            keys.push(TermKey::Column(c.clone()));
        }
        keys
    }

    /// The shard numbers to fetch ([`crate::search::shard_path`]), sorted, without repeats.
    pub fn shards_needed(&self, meta: &SearchMeta) -> Vec<u32> {
        let mut s: Vec<u32> = self
            .keys()
            .iter()
            .map(|k| shard_of(&k.key(), meta.shards))
            .collect();
        s.sort_unstable();
        s.dedup();
        s
    }

    /// Runs the query. `dates` is required when [`Query::needs_dates`].
    pub fn search(
        &self,
        meta: &SearchMeta,
        shards: &Shards,
        dates: Option<&DateIndex>,
    ) -> Result<Results, SearchError> {
        let load = |key: &TermKey, positions: bool| -> Result<Option<Postings>, SearchError> {
            let k = key.key();
            let i = shard_of(&k, meta.shards);
            let shard = shards.get(i).ok_or(SearchError::MissingShard(i))?;
            Ok(shard.postings(&k, positions)?)
        };
        let range = if self.needs_dates() {
            dates
                .ok_or(SearchError::MissingDates)?
                .doc_range(self.options.from, self.options.to)
        } else {
            0..meta.docs
        };
        let column = match &self.options.column {
            Some(c) if !meta.columns.contains(c) => {
                return Err(SearchError::UnknownColumn(c.clone()))
            }
            Some(c) => Some(load(&TermKey::Column(c.clone()), false)?.unwrap_or_default()),
            None => None,
        };

        let field = self.fields()[0];
        // The postings of every token in the searched field; a missing token
        // means no document matches.
        let mut lists: Vec<Vec<Postings>> = Vec::new();
        for g in &self.groups {
            let mut gl = Vec::new();
            for (t, _) in &g.toks {
                match load(&t.key(field), g.positional)? {
                    Some(p) => gl.push(p),
                    None => return Ok(Results::default()),
                }
            }
            lists.push(gl);
        }
        // Title postings for the title boost in full-text scope.
        let mut title: Vec<Vec<Option<Postings>>> = Vec::new();
        if field == Field::Full {
            for g in &self.groups {
                let mut gl = Vec::new();
                for (t, _) in &g.toks {
                    gl.push(load(&t.key(Field::Title), false)?);
                }
                title.push(gl);
            }
        }

        let n = meta.docs as f32;
        let idf = |df: usize| (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln();

        // Intersect: walk the shortest list, galloping through the others.
        let all: Vec<&Postings> = lists.iter().flatten().collect();
        let shortest = (0..all.len())
            .min_by_key(|&i| all[i].docs.len())
            .unwrap_or(0);
        let mut cursors = vec![0usize; all.len()];
        let mut col_cursor = 0usize;
        let mut hits = Vec::new();
        let mut idx = vec![0usize; all.len()];
        'docs: for &doc in &all[shortest].docs {
            if !range.contains(&doc) {
                continue;
            }
            if let Some(c) = &column {
                col_cursor += c.docs[col_cursor..].partition_point(|&d| d < doc);
                if c.docs.get(col_cursor) != Some(&doc) {
                    continue;
                }
            }
            for (j, p) in all.iter().enumerate() {
                cursors[j] += p.docs[cursors[j]..].partition_point(|&d| d < doc);
                if p.docs.get(cursors[j]) != Some(&doc) {
                    continue 'docs;
                }
                idx[j] = cursors[j];
            }
            // Per group: phrase occurrences, then scores.
            let mut score = 0.0f32;
            let mut occurrences: Vec<Vec<u32>> = Vec::new();
            let mut j0 = 0;
            for (gi, g) in self.groups.iter().enumerate() {
                let k = g.toks.len();
                let gidx = &idx[j0..j0 + k];
                let gl = &lists[gi];
                j0 += k;
                for (ti, p) in gl.iter().enumerate() {
                    score += idf(p.docs.len()) * p.tf_part(gidx[ti]);
                }
                if !g.positional {
                    continue;
                }
                let phrase = phrase_positions(g, gl, gidx);
                if phrase.is_empty() {
                    if g.require_phrase {
                        continue 'docs;
                    }
                    occurrences.push(gl[0].positions_of(gidx[0]).to_vec());
                } else {
                    if g.toks.len() > 1 {
                        score += PHRASE_BONUS;
                    }
                    occurrences.push(phrase);
                }
            }
            if occurrences.len() > 1 {
                let w = min_window(&occurrences);
                score += PROXIMITY_BONUS / (1.0 + w as f32 / 8.0);
            }
            // Title boost: the title holds every token of the query.
            if !title.is_empty() {
                let mut t_score = 0.0;
                let mut complete = true;
                for gl in &title {
                    for p in gl {
                        match p.as_ref().map(|p| (p, p.docs.binary_search(&doc))) {
                            Some((p, Ok(i))) => t_score += idf(p.docs.len()) * p.tf_part(i),
                            _ => complete = false,
                        }
                    }
                }
                if complete {
                    score += TITLE_BOOST * t_score;
                }
            }
            hits.push(Hit {
                doc,
                score: score.max(f32::MIN_POSITIVE),
            });
        }
        match self.options.sort {
            SortOrder::Date => {}
            SortOrder::Relevance => {
                hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.doc.cmp(&b.doc)))
            }
        }
        Ok(Results {
            total: hits.len(),
            hits,
        })
    }

    /// The character sequences to highlight, normalised.
    fn patterns(&self) -> Vec<&[char]> {
        self.groups.iter().map(|g| g.text.as_slice()).collect()
    }
}

/// Start positions where every token of the group sits at its offset.
fn phrase_positions(g: &Group, lists: &[Postings], idx: &[usize]) -> Vec<u32> {
    let pos: Vec<&[u32]> = (0..lists.len())
        .map(|t| lists[t].positions_of(idx[t]))
        .collect();
    let anchor = (0..pos.len()).min_by_key(|&t| pos[t].len()).unwrap_or(0);
    let a_off = g.toks[anchor].1;
    let mut out = Vec::new();
    'p: for &p in pos[anchor] {
        let Some(start) = p.checked_sub(a_off) else {
            continue;
        };
        for (t, (_, off)) in g.toks.iter().enumerate() {
            if t != anchor && pos[t].binary_search(&(start + off)).is_err() {
                continue 'p;
            }
        }
        out.push(start);
    }
    out
}

/// Smallest distance between the first and last of one position from each list.
fn min_window(lists: &[Vec<u32>]) -> u32 {
    let mut all: Vec<(u32, usize)> = lists
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.iter().map(move |&p| (p, i)))
        .collect();
    all.sort_unstable();
    let k = lists.len();
    let mut count = vec![0usize; k];
    let (mut have, mut lo, mut best) = (0, 0, u32::MAX);
    for hi in 0..all.len() {
        if count[all[hi].1] == 0 {
            have += 1;
        }
        count[all[hi].1] += 1;
        while have == k {
            best = best.min(all[hi].0 - all[lo].0);
            count[all[lo].1] -= 1;
            if count[all[lo].1] == 0 {
                have -= 1;
            }
            lo += 1;
        }
    }
    best
}

/// Byte ranges of `text` to highlight: every occurrence of the query (exact)
/// or of each term (fuzzy), after folding, merged and sorted.
///
/// ```
/// use gongkai_core::search::{highlight_ranges, Options, Query};
/// let q = Query::parse("科學", Options::default()).unwrap();
/// let text = "发展科学，科学技术";
/// let r = highlight_ranges(text, &q);
/// assert_eq!(r.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>(), ["科学", "科学"]);
/// ```
pub fn highlight_ranges(text: &str, query: &Query) -> Vec<Range<usize>> {
    let (chars, spans) = normalize_with_spans(text);
    let mut ranges = Vec::new();
    for pat in query.patterns() {
        let found = occurrences(&chars, pat);
        let found = if found.is_empty() && pat.len() > 2 && query.options.mode == MatchMode::Fuzzy {
            // Fuzzy terms need not be contiguous: mark their bigrams.
            pat.windows(2)
                .flat_map(|w| occurrences(&chars, w))
                .map(|(s, _)| (s, s + 2))
                .collect()
        } else {
            found
        };
        for (s, e) in found {
            ranges.push(spans[s].start..spans[e - 1].end);
        }
    }
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(m) if r.start <= m.end => m.end = m.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Non-overlapping occurrences of `pat` in `chars`, as char index ranges.
fn occurrences(chars: &[char], pat: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if pat.is_empty() || pat.len() > chars.len() {
        return out;
    }
    let mut i = 0;
    while i + pat.len() <= chars.len() {
        if chars[i..i + pat.len()] == *pat {
            out.push((i, i + pat.len()));
            i += pat.len();
        } else {
            i += 1;
        }
    }
    out
}

/// A snippet of at most `max_chars` characters (plus `…` at cut ends) around
/// the first match, whitespace collapsed, with the byte ranges to highlight
/// in the returned string. Without a match, the start of the text.
///
/// ```
/// use gongkai_core::search::{snippet, Options, Query};
/// let q = Query::parse("评审", Options::default()).unwrap();
/// let (s, marks) = snippet("前言。\n县科技局将组织专家进行评审，结果公示。", &q, 12);
/// assert_eq!(s, "…专家进行评审，结果公示。");
/// assert_eq!(&s[marks[0].clone()], "评审");
/// ```
pub fn snippet(text: &str, query: &Query, max_chars: usize) -> (String, Vec<Range<usize>>) {
    let mut flat = String::with_capacity(text.len());
    for part in text.split(is_space).filter(|p| !p.is_empty()) {
        if !flat.is_empty() {
            flat.push(' ');
        }
        flat.push_str(part);
    }
    let ranges = highlight_ranges(&flat, query);
    let bounds: Vec<usize> = flat
        .char_indices()
        .map(|(i, _)| i)
        .chain([flat.len()])
        .collect();
    let len = bounds.len() - 1;
    let first = ranges
        .first()
        .map_or(0, |r| bounds.partition_point(|&b| b < r.start));
    let last = ranges
        .first()
        .map_or(0, |r| bounds.partition_point(|&b| b < r.end));
    // Room before the match: a third of the snippet, less if the match is long.
    let lead = (max_chars.saturating_sub(last - first)) / 3;
    let mut start = first.saturating_sub(lead);
    let end = (start + max_chars).min(len);
    if end - start < max_chars {
        start = end.saturating_sub(max_chars);
    }
    let (bs, be) = (bounds[start], bounds[end]);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let shift = out.len();
    out.push_str(&flat[bs..be]);
    if end < len {
        out.push('…');
    }
    let marks = ranges
        .into_iter()
        .filter(|r| r.start < be && r.end > bs)
        .map(|r| r.start.max(bs) - bs + shift..r.end.min(be) - bs + shift)
        .collect();
    (out, marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(mode: MatchMode) -> Options {
        Options {
            mode,
            ..Options::default()
        }
    }

    #[test]
    fn enums_round_trip() {
        for s in Scope::ALL {
            assert_eq!(s.as_str().parse::<Scope>(), Ok(*s));
        }
        for m in MatchMode::ALL {
            assert_eq!(m.as_str().parse::<MatchMode>(), Ok(*m));
        }
        for o in SortOrder::ALL {
            assert_eq!(o.as_str().parse::<SortOrder>(), Ok(*o));
        }
        let names: Vec<&str> = [Scope::Title.as_str(), Scope::Full.as_str()].into();
        assert_eq!(names, ["title", "full"]);
        assert_eq!(MatchMode::Fuzzy.to_string(), "fuzzy");
        assert_eq!(SortOrder::Date.as_str(), "date");
        let err = "Full".parse::<Scope>().unwrap_err();
        assert_eq!(err.to_string(), "unknown scope \"Full\"");
    }

    #[test]
    fn parse_errors() {
        let long = "字".repeat(101);
        let cases: [(&str, QueryError); 6] = [
            ("", QueryError::Empty),
            ("   \u{3000}\n", QueryError::Blank),
            ("，。！？", QueryError::NoWords),
            ("  ...  -- ", QueryError::NoWords),
            ("《》、“”", QueryError::NoWords),
            (
                &long,
                QueryError::TooLong {
                    chars: 101,
                    max: 100,
                },
            ),
        ];
        for (text, want) in cases {
            for mode in MatchMode::ALL {
                assert_eq!(
                    Query::parse(text, opts(*mode)),
                    Err(want.clone()),
                    "{text:?}"
                );
            }
        }
        assert!(Query::parse(&"字".repeat(100), Options::default()).is_ok());
        assert!(Query::parse(" 、a ", Options::default()).is_ok());
        assert_eq!(
            QueryError::TooLong {
                chars: 101,
                max: 100
            }
            .to_string(),
            "搜索内容最多 100 个字，现在有 101 个字"
        );
    }

    #[test]
    fn fuzzy_terms() {
        let q = Query::parse("科學 ２０２３年,Wi-Fi 通", opts(MatchMode::Fuzzy)).unwrap();
        let texts: Vec<String> = q.groups.iter().map(|g| g.text.iter().collect()).collect();
        assert_eq!(texts, ["科学", "2023", "年", "wi", "fi", "通"]);
    }

    #[test]
    fn exact_cover_offsets() {
        let lit: Vec<char> = "abcdefg".chars().collect();
        let offs: Vec<u32> = literal_group(&lit).toks.iter().map(|t| t.1).collect();
        assert_eq!(offs, [0, 2, 4, 5]);
        let lit: Vec<char> = "abcd".chars().collect();
        let offs: Vec<u32> = literal_group(&lit).toks.iter().map(|t| t.1).collect();
        assert_eq!(offs, [0, 2]);
    }

    #[test]
    fn highlight_mixed_text() {
        let q = Query::parse("ＷＩ-fi 6", Options::default()).unwrap();
        let text = "支持Wi-Fi 6和wi-fi  6，不是wifi 6";
        let r = highlight_ranges(text, &q);
        let marked: Vec<&str> = r.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(marked, ["Wi-Fi 6", "wi-fi  6"]);

        let q = Query::parse("科技 發展", opts(MatchMode::Fuzzy)).unwrap();
        let text = "發展科技，促进发展";
        let marked: Vec<&str> = highlight_ranges(text, &q)
            .iter()
            .map(|r| &text[r.clone()])
            .collect();
        assert_eq!(marked, ["發展科技", "发展"]);
    }

    #[test]
    fn min_window_of_lists() {
        assert_eq!(min_window(&[vec![1, 50], vec![10, 48]]), 2);
        assert_eq!(min_window(&[vec![5], vec![5]]), 0);
    }
}
