//! Parsing a query, running it over loaded shards, highlighting matches.

use super::format::{
    for_each_bit, shard_of, DateIndex, Fetch, Field, FormatError, PosIter, Positions, Postings,
    SearchMeta, Shards, TermKey, MAX_GRAM, MAX_PHRASE,
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
    /// A file returned by [`Query::shards_missing`] (or [`Query::shards_needed`]) was not loaded.
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
    /// 1 to [`MAX_GRAM`] characters.
    Gram(String),
    Word(String),
}

impl Tok {
    fn key(&self, field: Field) -> TermKey {
        match self {
            Tok::Gram(g) => TermKey::Gram(field, g.clone()),
            Tok::Word(w) => TermKey::Word(field, w.clone()),
        }
    }
}

/// Tokens that must all occur; with `require_phrase`, at their offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    toks: Vec<(Tok, u32)>,
    /// A document only matches if these tokens (indices into `toks`, a
    /// cover) occur at their offsets (exact mode, longer than [`MAX_GRAM`]);
    /// checked with positions. The other tokens only narrow the candidates.
    require_phrase: bool,
    verify: Vec<usize>,
    /// Exact mode, [`MAX_GRAM`]` + 1` to [`MAX_PHRASE`] characters: the
    /// literal itself, whose document list the index stores if it is a
    /// frequent phrase; then that list is the answer, without positions.
    whole: Option<Tok>,
    /// The first `scored` tokens count in the score (the cover, in exact
    /// mode); the others only narrow the candidates.
    scored: usize,
    /// Fuzzy mode: the group probably occurs as written if the document has
    /// all of these too (a ranking bonus; empty if no bonus).
    phrase: Vec<Tok>,
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
    /// Fuzzy mode: n-grams that suggest consecutive terms are side by side.
    junctions: Vec<Tok>,
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
    /// The matches in the requested order: every one ([`Query::search`]) or
    /// the first `limit` ([`Query::search_top`]).
    pub hits: Vec<Hit>,
}

/// The n-grams at offsets 0, 4, 8 … (plus the last) that cover every
/// character of `lit` (longer than [`MAX_GRAM`]).
fn cover(lit: &[char]) -> Vec<(Tok, u32)> {
    let n = lit.len();
    let mut offs: Vec<usize> = (0..=n - MAX_GRAM).step_by(MAX_GRAM).collect();
    if offs.last() != Some(&(n - MAX_GRAM)) {
        offs.push(n - MAX_GRAM);
    }
    offs.into_iter()
        .map(|o| (Tok::Gram(lit[o..o + MAX_GRAM].iter().collect()), o as u32))
        .collect()
}

/// Exact-mode tokens for a normalised literal: the literal itself up to
/// [`MAX_GRAM`] characters (its document list is the answer), else the
/// [`MAX_GRAM`]-grams that cover it, checked for a phrase with positions.
///
/// Up to [`EXACT_FILTER_MAX`] characters, every other [`MAX_GRAM`]-gram of
/// the literal must be in the document too: document lists are cheap, and
/// they leave fewer candidates whose positions must be fetched.
fn literal_group(lit: &[char]) -> Group {
    let long = lit.len() > MAX_GRAM;
    let mut toks = if long {
        cover(lit)
    } else {
        vec![(Tok::Gram(lit.iter().collect()), 0)]
    };
    let verify = if long {
        (0..toks.len()).collect()
    } else {
        Vec::new()
    };
    let scored = toks.len();
    if long && lit.len() <= EXACT_FILTER_MAX {
        for o in 0..=lit.len() - MAX_GRAM {
            if !toks.iter().any(|t| t.1 == o as u32) {
                toks.push((Tok::Gram(lit[o..o + MAX_GRAM].iter().collect()), o as u32));
            }
        }
    }
    Group {
        toks,
        require_phrase: long,
        verify,
        whole: (long && lit.len() <= MAX_PHRASE).then(|| Tok::Gram(lit.iter().collect())),
        scored,
        phrase: Vec::new(),
        text: lit.to_vec(),
    }
}

/// Longest exact query whose every [`MAX_GRAM`]-gram narrows the candidates.
const EXACT_FILTER_MAX: usize = 16;

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
        let (toks, phrase) = if ascii {
            (vec![(Tok::Word(run.iter().collect()), 0)], Vec::new())
        } else if run.len() == 1 {
            (vec![(Tok::Gram(run[0].to_string()), 0)], Vec::new())
        } else {
            let toks = run
                .windows(2)
                .enumerate()
                .map(|(o, w)| (Tok::Gram(w.iter().collect()), o as u32))
                .collect();
            let phrase = match run.len() {
                2 => Vec::new(),
                n if n <= MAX_GRAM => vec![Tok::Gram(run.iter().collect())],
                _ => cover(run).into_iter().map(|t| t.0).collect(),
            };
            (toks, phrase)
        };
        let g = Group {
            scored: toks.len(),
            toks,
            require_phrase: false,
            verify: Vec::new(),
            whole: None,
            phrase,
            text: run.to_vec(),
        };
        if !groups.iter().any(|x| x.text == g.text) {
            groups.push(g);
        }
    }
    groups
}

/// Fuzzy mode: for each pair of consecutive non-ASCII terms, the last two
/// characters of the first followed by the first two of the second; a
/// document that has it probably has the terms side by side.
fn junctions(groups: &[Group]) -> Vec<Tok> {
    groups
        .windows(2)
        .filter(|w| !w[0].text[0].is_ascii() && !w[1].text[0].is_ascii())
        .map(|w| {
            let a = &w[0].text[w[0].text.len().saturating_sub(2)..];
            let b = &w[1].text[..w[1].text.len().min(2)];
            Tok::Gram(a.iter().chain(b).collect())
        })
        .collect()
}

/// What a run of the query needs next.
enum Step {
    Need(Vec<u32>),
    Done(Results),
}

/// The outcome of [`Query::step`].
#[derive(Debug, Clone, PartialEq)]
pub enum SearchStep {
    /// Fetch these files ([`crate::search::shard_path`]), sorted, without
    /// repeats, then step again.
    Fetch(Vec<u32>),
    /// Every file was there: the results, as from [`Query::search_top`].
    Done(Results),
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
        let groups: Vec<Group> = match options.mode {
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
        let junctions = match options.mode {
            MatchMode::Exact => Vec::new(),
            MatchMode::Fuzzy => junctions(&groups),
        };
        Ok(Query {
            text: trimmed.to_owned(),
            options,
            groups,
            junctions,
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
        for (i, &f) in self.fields().iter().enumerate() {
            for g in &self.groups {
                if i == 0 {
                    keys.extend(g.toks.iter().map(|(t, _)| t.key(f)));
                    keys.extend(g.whole.iter().map(|t| t.key(f)));
                    keys.extend(g.phrase.iter().map(|t| t.key(f)));
                } else {
                    keys.extend(g.toks[..g.scored].iter().map(|(t, _)| t.key(f)));
                }
            }
            if i == 0 {
                keys.extend(self.junctions.iter().map(|t| t.key(f)));
            }
        }
        if let Some(c) = &self.options.column {
            keys.push(TermKey::Column(c.clone()));
        }
        keys
    }

    /// The term shards to fetch first ([`crate::search::shard_path`]), sorted,
    /// without repeats. A query may need more files once these are loaded:
    /// [`Query::shards_missing`] says which.
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

    /// The files ([`crate::search::shard_path`]) still to fetch before
    /// [`Query::search`] can run, given those in `shards`; empty when it can.
    /// Fetch, [`Shards::insert`] and ask again: the first answer is
    /// [`Query::shards_needed`], then long document lists of frequent terms,
    /// then (exact queries longer than 4 characters) the positions blocks of
    /// the candidate documents only. Pass `dates` if already loaded.
    ///
    /// ```
    /// # #[cfg(feature = "build")] {
    /// use gongkai_core::search::*;
    /// let docs = [SearchDoc { id: "a", title: "关于开展科技活动周的通知", title_hant: None, summary: None,
    ///     text: "各单位：现将有关事项通知如下。", date: "2024-05-01", column: "zn" }];
    /// let files = build_search_index(&docs);
    /// let file = |p: &str| files.iter().find(|f| f.0 == p).unwrap().1.clone();
    /// let meta: SearchMeta = serde_json::from_slice(&file(META_PATH)).unwrap();
    /// let q = Query::parse("开展科技活动", Options::default()).unwrap();
    /// let mut shards = Shards::default();
    /// loop {
    ///     let missing = q.shards_missing(&meta, &shards, None);
    ///     if missing.is_empty() { break; }
    ///     for i in missing {
    ///         shards.insert(i, Shard::decode(file(&shard_path(i))).unwrap());
    ///     }
    /// }
    /// assert_eq!(q.search(&meta, &shards, None).unwrap().total, 1);
    /// # }
    /// ```
    pub fn shards_missing(
        &self,
        meta: &SearchMeta,
        shards: &Shards,
        dates: Option<&DateIndex>,
    ) -> Vec<u32> {
        match self.execute(meta, shards, dates, true, Keep::Top(0)) {
            Ok(Step::Need(mut v)) => {
                v.sort_unstable();
                v.dedup();
                v
            }
            _ => Vec::new(),
        }
    }

    /// Runs the query. `dates` is required when [`Query::needs_dates`]; every
    /// file of [`Query::shards_missing`] must be loaded, else
    /// [`SearchError::MissingShard`].
    pub fn search(
        &self,
        meta: &SearchMeta,
        shards: &Shards,
        dates: Option<&DateIndex>,
    ) -> Result<Results, SearchError> {
        self.search_top(meta, shards, dates, usize::MAX)
    }

    /// [`Query::search`] for a page of results: `hits` holds only the first
    /// `limit` results, in order, while `total` still counts every match.
    /// Cheaper than sorting every hit when a query matches thousands of
    /// documents: relevance order selects the best `limit` and sorts only
    /// those; date order scores only the first `limit` and counts the rest.
    ///
    /// ```
    /// # #[cfg(feature = "build")] {
    /// use gongkai_core::search::*;
    /// let docs: Vec<SearchDoc> = (0..30).map(|_| SearchDoc { id: "a", title: "通知", title_hant: None,
    ///     summary: None, text: "通知", date: "2024-05-01", column: "zn" }).collect();
    /// let files = build_search_index(&docs);
    /// let file = |p: &str| files.iter().find(|f| f.0 == p).unwrap().1.clone();
    /// let meta: SearchMeta = serde_json::from_slice(&file(META_PATH)).unwrap();
    /// let q = Query::parse("通知", Options::default()).unwrap();
    /// let mut shards = Shards::default();
    /// for i in q.shards_needed(&meta) {
    ///     shards.insert(i, Shard::decode(file(&shard_path(i))).unwrap());
    /// }
    /// let all = q.search(&meta, &shards, None).unwrap();
    /// let top = q.search_top(&meta, &shards, None, 20).unwrap();
    /// assert_eq!((top.total, top.hits.len()), (30, 20));
    /// assert_eq!(top.hits, all.hits[..20]);
    /// # }
    /// ```
    pub fn search_top(
        &self,
        meta: &SearchMeta,
        shards: &Shards,
        dates: Option<&DateIndex>,
        limit: usize,
    ) -> Result<Results, SearchError> {
        match self.execute(meta, shards, dates, false, Keep::Top(limit))? {
            Step::Done(r) => Ok(r),
            Step::Need(v) => Err(SearchError::MissingShard(v[0])),
        }
    }

    /// One round of the app's loop in one pass over the index: the files
    /// still missing ([`Query::shards_missing`]) or, once none is, the
    /// results ([`Query::search_top`]). Calling `shards_missing` until it is
    /// empty and then `search_top` does the last round's work twice.
    pub fn step(
        &self,
        meta: &SearchMeta,
        shards: &Shards,
        dates: Option<&DateIndex>,
        limit: usize,
    ) -> Result<SearchStep, SearchError> {
        Ok(
            match self.execute(meta, shards, dates, false, Keep::Top(limit))? {
                Step::Done(r) => SearchStep::Done(r),
                Step::Need(v) => SearchStep::Fetch(sorted_unique(v)),
            },
        )
    }

    /// [`Query::step`] keeping every match ([`Matches`]) instead of one page:
    /// the app keeps them, so paging and switching 排序 cut a page from them
    /// without running the query again. Costs about what `step` does: every
    /// match is scored either way.
    pub fn step_matches(
        &self,
        meta: &SearchMeta,
        shards: &Shards,
        dates: Option<&DateIndex>,
    ) -> Result<MatchStep, SearchError> {
        Ok(match self.execute(meta, shards, dates, false, Keep::All)? {
            Step::Done(r) => MatchStep::Done(Matches { hits: r.hits }),
            Step::Need(v) => MatchStep::Fetch(sorted_unique(v)),
        })
    }

    fn execute(
        &self,
        meta: &SearchMeta,
        shards: &Shards,
        dates: Option<&DateIndex>,
        plan: bool,
        keep: Keep,
    ) -> Result<Step, SearchError> {
        let mut need: Vec<u32> = Vec::new();
        let field = self.fields()[0];
        // Per group: whether the index has the literal's own list (a
        // frequent phrase); not known until its term shard is loaded.
        let listed: Vec<bool> = self
            .groups
            .iter()
            .map(|g| match &g.whole {
                Some(t) => match shards.has_term(meta.shards, &t.key(field).key()) {
                    Fetch::Ready(has) => has,
                    Fetch::Need(v) => {
                        need.extend(v);
                        false
                    }
                },
                None => false,
            })
            .collect();
        // `None`: a file is missing (noted in `need`); `Some(None)`: no such term.
        let mut load = |key: &TermKey| -> Result<Option<Option<Postings>>, SearchError> {
            match shards.postings(meta.shards, &key.key())? {
                Fetch::Ready(p) => Ok(Some(p)),
                Fetch::Need(v) => {
                    need.extend(v);
                    Ok(None)
                }
            }
        };
        let range = match (self.needs_dates(), dates) {
            (false, _) => 0..meta.docs,
            (true, Some(d)) => d.doc_range(self.options.from, self.options.to),
            (true, None) if plan => 0..meta.docs,
            (true, None) => return Err(SearchError::MissingDates),
        };
        let column = match &self.options.column {
            Some(c) if !meta.columns.contains(c) => {
                return Err(SearchError::UnknownColumn(c.clone()))
            }
            Some(c) => load(&TermKey::Column(c.clone()))?.map(Option::unwrap_or_default),
            None => None,
        };

        // Every token of every group in the searched field; one that the
        // index does not have means no document matches.
        // A frequent phrase's own list (the last of its group's lists)
        // stands for its filter tokens and its positions.
        let mut lists: Vec<Vec<Postings>> = Vec::new();
        for (g, &has_whole) in self.groups.iter().zip(&listed) {
            let toks = if has_whole {
                &g.toks[..g.scored]
            } else {
                &g.toks[..]
            };
            let mut gl = Vec::new();
            let whole = g.whole.iter().filter(|_| has_whole);
            for t in toks.iter().map(|(t, _)| t).chain(whole) {
                match load(&t.key(field))? {
                    Some(Some(p)) => gl.push(p),
                    Some(None) => return Ok(Step::Done(Results::default())),
                    None => {}
                }
            }
            lists.push(gl);
        }
        // Title postings for the title boost in full-text scope, and the
        // n-grams of the ranking bonuses.
        let mut opt = |t: &Tok, f: Field| load(&t.key(f)).map(|p| p.flatten());
        let mut title: Vec<Option<Postings>> = Vec::new();
        if field == Field::Full {
            for g in &self.groups {
                for (t, _) in &g.toks[..g.scored] {
                    title.push(opt(t, Field::Title)?);
                }
            }
        }
        let mut phrases: Vec<Vec<Option<Postings>>> = Vec::new();
        for g in &self.groups {
            phrases.push(
                g.phrase
                    .iter()
                    .map(|t| opt(t, field))
                    .collect::<Result<_, _>>()?,
            );
        }
        let junctions: Vec<Option<Postings>> = self
            .junctions
            .iter()
            .map(|t| opt(t, field))
            .collect::<Result<_, _>>()?;
        if !need.is_empty() {
            return Ok(Step::Need(need));
        }

        // Intersect. The documents to try: the shortest list kept as
        // numbers, or, when every list is a bitmap (terms in more than one
        // document in eight), the AND of the bitmaps, 64 documents a step.
        // Each is then checked against every list (a galloping cursor for
        // numbers, one bit for a bitmap).
        let all: Vec<&Postings> = lists.iter().flatten().collect();
        let shortest = (0..all.len())
            .filter(|&i| all[i].list().is_some())
            .min_by_key(|&i| all[i].df());
        let mut tries: Vec<u32> = Vec::new();
        match shortest {
            Some(i) => tries.extend_from_slice(all[i].list().unwrap_or_default()),
            None if !all.is_empty() => {
                let mut and: Vec<u64> = all[0].bits().unwrap_or_default().to_vec();
                for p in &all[1..] {
                    let w = p.bits().unwrap_or_default();
                    and.truncate(w.len());
                    and.iter_mut().zip(w).for_each(|(a, b)| *a &= b);
                }
                tries.reserve(and.iter().map(|w| w.count_ones() as usize).sum());
                for_each_bit(&and, |d| tries.push(d));
            }
            None => {}
        }
        let mut cursors = vec![0usize; all.len()];
        let mut col_cursor = 0usize;
        let mut cands: Vec<u32> = Vec::with_capacity(tries.len());
        // Per candidate, the index of its impact in each list that has
        // impacts (`slot[j]`: list `j`'s place in that row). The others
        // score every document alike, and dense queries have none: no
        // row of 4 × lists bytes for every document of the site.
        let mut slot = vec![usize::MAX; all.len()];
        let mut k = 0;
        for (j, p) in all.iter().enumerate() {
            if !p.impacts.is_empty() {
                slot[j] = k;
                k += 1;
            }
        }
        let mut cand_idx: Vec<u32> = Vec::with_capacity(tries.len() * k);
        let mut idx = vec![0u32; k];
        'docs: for &doc in &tries {
            if !range.contains(&doc) {
                continue;
            }
            if let Some(c) = &column {
                if c.find(&mut col_cursor, doc).is_none() {
                    continue;
                }
            }
            for (j, p) in all.iter().enumerate() {
                match p.find(&mut cursors[j], doc) {
                    Some(i) => {
                        if let Some(x) = idx.get_mut(slot[j]) {
                            *x = i as u32;
                        }
                    }
                    None => continue 'docs,
                }
            }
            cands.push(doc);
            cand_idx.extend_from_slice(&idx);
        }

        // Positions of the candidates only, for the groups that must be phrases.
        let mut positions: Vec<Vec<Positions>> = Vec::new();
        for ((g, gl), &listed) in self.groups.iter().zip(&lists).zip(&listed) {
            let mut gp = Vec::new();
            if g.require_phrase && !listed && !cands.is_empty() {
                for &v in &g.verify {
                    match shards.positions(&g.toks[v].0.key(field).key(), &gl[v], &cands)? {
                        Fetch::Ready(x) => gp.push(x),
                        Fetch::Need(v) => need.extend(v),
                    }
                }
            }
            positions.push(gp);
        }
        if !need.is_empty() {
            return Ok(Step::Need(need));
        }
        if plan {
            return Ok(Step::Done(Results::default()));
        }

        let n = meta.docs as f32;
        let idf = |p: &Postings| {
            let df = p.df() as f32;
            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
        };
        // Per list, not per document: `ln` is the costliest step of scoring.
        let idfs: Vec<Vec<f32>> = lists
            .iter()
            .map(|gl| gl.iter().map(idf).collect())
            .collect();
        let title_idfs: Vec<f32> = title.iter().map(|p| p.as_ref().map_or(0.0, idf)).collect();
        // Candidates come in ascending order: each optional list keeps a
        // cursor and gallops forward instead of a binary search per document.
        let mut phrase_at: Vec<Vec<usize>> = phrases.iter().map(|g| vec![0; g.len()]).collect();
        let mut junction_at = vec![0usize; junctions.len()];
        // The documents whose title holds every token, with their title
        // score (summed in the order of `title`, as it always was): the
        // intersection of the title lists, which are short, walked once
        // here rather than sought in for every candidate.
        let mut title_docs: Vec<(u32, f32)> = Vec::new();
        if let Some(lists) = title
            .iter()
            .map(Option::as_ref)
            .collect::<Option<Vec<&Postings>>>()
        {
            let mut title_at = vec![0usize; lists.len()];
            let drive = lists
                .iter()
                .filter_map(|p| p.list())
                .min_by_key(|l| l.len());
            let mut walk = |doc: u32| {
                let mut t_score = 0.0;
                for ((p, w), at) in lists.iter().zip(&title_idfs).zip(&mut title_at) {
                    match p.find(at, doc) {
                        Some(i) => t_score += w * p.tf_part(i),
                        None => return,
                    }
                }
                title_docs.push((doc, t_score));
            };
            match drive {
                Some(docs) => docs.iter().for_each(|&d| walk(d)),
                None if !lists.is_empty() => {
                    let mut and = lists[0].bits().unwrap_or_default().to_vec();
                    for p in &lists[1..] {
                        let w = p.bits().unwrap_or_default();
                        and.truncate(w.len());
                        and.iter_mut().zip(w).for_each(|(a, b)| *a &= b);
                    }
                    for_each_bit(&and, walk);
                }
                None => {}
            }
        }
        let mut title_next = 0usize;
        let has = |p: &Option<Postings>, at: &mut usize, doc: u32| {
            p.as_ref().is_some_and(|p| p.find(at, doc).is_some())
        };
        // Every match, scored, in document order (for `Matches`); or the
        // page's `limit` in the query's order.
        let (every, limit) = match keep {
            Keep::All => (true, usize::MAX),
            Keep::Top(limit) => (false, limit),
        };
        let by_date = !every && self.options.sort == SortOrder::Date;
        let mut total = 0;
        let mut hits = Vec::with_capacity(if every { cands.len() } else { 0 });
        // Relevance: only the best `limit` matter. Hits collect in a buffer
        // that is cut back to the best `limit` whenever it fills; the worst
        // of those (`floor`) then turns away any hit that cannot beat it, so
        // a query matching every document neither stores nor orders them all.
        let cap = limit.saturating_mul(2).max(64);
        let mut floor: Option<Hit> = None;
        let mut buf = Vec::new();
        let mut pos_at: Vec<Vec<usize>> = positions.iter().map(|p| vec![0; p.len()]).collect();
        'cands: for (ci, &doc) in cands.iter().enumerate() {
            for (gi, g) in self.groups.iter().enumerate() {
                if g.require_phrase
                    && !listed[gi]
                    && !is_phrase(g, &positions[gi], &mut pos_at[gi], doc, &mut buf)
                {
                    continue 'cands;
                }
            }
            total += 1;
            // Newest first is document order: past the page, only count.
            if by_date && hits.len() >= limit {
                continue;
            }
            let idx = &cand_idx[ci * k..ci * k + k];
            let mut score = 0.0f32;
            let mut j = 0;
            for (gi, g) in self.groups.iter().enumerate() {
                for (i, (p, w)) in lists[gi].iter().zip(&idfs[gi]).enumerate() {
                    if i < g.scored {
                        // Without impacts every document reads tf part 1:
                        // `w × 1.0` is `w` exactly.
                        score += match idx.get(slot[j]) {
                            Some(&at) => w * p.tf_part(at as usize),
                            None => *w,
                        };
                    }
                    j += 1;
                }
                let written = if g.phrase.is_empty() {
                    g.toks.len() > 1
                } else {
                    // Every cursor moves to `doc`, not just up to the first miss.
                    phrases[gi]
                        .iter()
                        .zip(&mut phrase_at[gi])
                        .fold(true, |all, (p, at)| has(p, at, doc) && all)
                };
                if written {
                    score += PHRASE_BONUS;
                }
            }
            for (p, at) in junctions.iter().zip(&mut junction_at) {
                if has(p, at, doc) {
                    score += PROXIMITY_BONUS;
                }
            }
            // Title boost: the title holds every token of the query.
            while title_docs.get(title_next).is_some_and(|&(d, _)| d < doc) {
                title_next += 1;
            }
            if let Some(&(d, t_score)) = title_docs.get(title_next) {
                if d == doc {
                    score += TITLE_BOOST * t_score;
                }
            }
            let hit = Hit {
                doc,
                score: score.max(f32::MIN_POSITIVE),
            };
            if by_date || every {
                hits.push(hit);
                continue;
            }
            if limit == 0 || floor.is_some_and(|f| by_relevance(&hit, &f).is_ge()) {
                continue;
            }
            hits.push(hit);
            if hits.len() >= cap {
                hits.select_nth_unstable_by(limit - 1, by_relevance);
                hits.truncate(limit);
                floor = Some(hits[limit - 1]);
            }
        }
        if !by_date && !every {
            best_first(&mut hits, limit);
        }
        Ok(Step::Done(Results { total, hits }))
    }

    /// The character sequences to highlight, normalised.
    fn patterns(&self) -> Vec<&[char]> {
        self.groups.iter().map(|g| g.text.as_slice()).collect()
    }
}

fn sorted_unique(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v.dedup();
    v
}

/// Relevance order: higher score first, then newer (lower number) first.
fn by_relevance(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then_with(|| a.doc.cmp(&b.doc))
}

/// Keeps the best `limit` of `hits`, in relevance order: a selection, then
/// a sort of those only.
fn best_first(hits: &mut Vec<Hit>, limit: usize) {
    if limit < hits.len() {
        if limit == 0 {
            hits.clear();
        } else {
            hits.select_nth_unstable_by(limit - 1, by_relevance);
            hits.truncate(limit);
        }
    }
    hits.sort_unstable_by(by_relevance);
}

/// The best `limit` of `all`, in relevance order, without copying them
/// all: a buffer cut back to the best `limit` whenever it fills, whose
/// worst (`floor`) then turns away any hit that cannot beat it.
fn best_of(all: &[Hit], limit: usize) -> Vec<Hit> {
    if limit == 0 {
        return Vec::new();
    }
    let cap = limit.saturating_mul(2).max(64);
    let mut buf = Vec::with_capacity(cap.min(all.len()));
    let mut floor: Option<Hit> = None;
    for &h in all {
        if floor.is_some_and(|f| by_relevance(&h, &f).is_ge()) {
            continue;
        }
        buf.push(h);
        if buf.len() >= cap {
            buf.select_nth_unstable_by(limit - 1, by_relevance);
            buf.truncate(limit);
            floor = Some(buf[limit - 1]);
        }
    }
    best_first(&mut buf, limit);
    buf
}

/// What [`Query::execute`] returns as hits.
#[derive(Debug, Clone, Copy)]
enum Keep {
    /// The first `n` in the query's order.
    Top(usize),
    /// Every match, in document order.
    All,
}

/// Every match of a query with its score, in document order (newest first):
/// any page in either 排序 is cut from it ([`Matches::top`]), so a reader
/// who pages or switches the order does not wait for the query again.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matches {
    hits: Vec<Hit>,
}

impl Matches {
    /// Number of matching documents.
    pub fn total(&self) -> usize {
        self.hits.len()
    }

    /// The first `limit` results in `sort` order, as
    /// [`Query::search_top`] with that order would return them.
    pub fn top(&self, sort: SortOrder, limit: usize) -> Results {
        let hits = match sort {
            SortOrder::Date => self.hits[..limit.min(self.hits.len())].to_vec(),
            SortOrder::Relevance => best_of(&self.hits, limit),
        };
        Results {
            total: self.hits.len(),
            hits,
        }
    }
}

/// The outcome of [`Query::step_matches`].
#[derive(Debug, Clone, PartialEq)]
pub enum MatchStep {
    /// Fetch these files, as [`SearchStep::Fetch`], then step again.
    Fetch(Vec<u32>),
    /// Every file was there: every match.
    Done(Matches),
}

/// Moves `at` forward to the first document of `docs` (ascending) not
/// below `doc`, galloping (1, 2, 4 … ahead, then a binary search), and
/// returns its index if it is `doc`. Walking a list in order this way costs
/// about one step per document for dense lists and few for sparse ones.
pub(crate) fn seek(docs: &[u32], at: &mut usize, doc: u32) -> Option<usize> {
    let mut lo = *at;
    let mut step = 1;
    let mut hi = lo;
    while hi < docs.len() && docs[hi] < doc {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    let hi = hi.min(docs.len());
    *at = lo + docs[lo..hi].partition_point(|&d| d < doc);
    (docs.get(*at) == Some(&doc)).then_some(*at)
}

/// Whether every token of the group's cover (`pos`, in `g.verify` order)
/// sits at its offset from one start in `doc`: a leapfrog join of the
/// tokens' start positions, decoded only as far as the first common start
/// (usually the document's first occurrence). `buf` is scratch space,
/// reused across documents: this runs once per candidate, thousands of
/// times for a frequent phrase, and an allocation each time would cost more
/// than the check.
#[inline(never)]
fn is_phrase<'a>(
    g: &Group,
    pos: &[Positions<'a>],
    at: &mut [usize],
    doc: u32,
    buf: &mut Vec<(PosIter<'a>, u32, Option<u32>)>,
) -> bool {
    buf.clear();
    buf.extend(
        pos.iter()
            .zip(at.iter_mut())
            .zip(&g.verify)
            .map(|((p, at), &v)| (p.of_from(doc, at), g.toks[v].1, None)),
    );
    if buf.is_empty() {
        return false;
    }
    let mut target = 0u32;
    loop {
        let mut agreed = true;
        for (it, off, cur) in buf.iter_mut() {
            // The token's first start at or after `target` (its current
            // one if that is not behind).
            let start = match *cur {
                Some(s) if s >= target => s,
                _ => loop {
                    match it.next() {
                        None => return false,
                        Some(p) if p >= *off && p - *off >= target => break p - *off,
                        Some(_) => {}
                    }
                },
            };
            *cur = Some(start);
            if start > target {
                target = start;
                agreed = false;
            }
        }
        if agreed {
            return true;
        }
    }
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
    fn seek_gallops_to_each_document() {
        let docs: Vec<u32> = (0..200).map(|i| i * 3).collect();
        let mut at = 0;
        for doc in 0..620u32 {
            let want = docs.binary_search(&doc).ok();
            assert_eq!(seek(&docs, &mut at, doc), want, "doc {doc}");
            assert_eq!(at, docs.partition_point(|&d| d < doc), "cursor after {doc}");
        }
        // Sparse probes jump far ahead.
        let mut at = 0;
        assert_eq!(seek(&docs, &mut at, 300), Some(100));
        assert_eq!(seek(&docs, &mut at, 301), None);
        assert_eq!(seek(&docs, &mut at, 597), Some(199));
        assert_eq!(seek(&docs, &mut at, 9999), None);
        assert_eq!(at, docs.len());
        assert_eq!(seek(&[], &mut 0, 1), None);
    }

    #[test]
    fn exact_cover_offsets() {
        let offs = |s: &str| -> Vec<u32> {
            let lit: Vec<char> = s.chars().collect();
            literal_group(&lit).toks.iter().map(|t| t.1).collect()
        };
        assert_eq!(offs("abcdefg"), [0, 3, 1, 2]);
        assert_eq!(offs("abcdefgh"), [0, 4, 1, 2, 3]);
        assert_eq!(offs("abcdefghi"), [0, 4, 5, 1, 2, 3]);
        assert_eq!(offs(&"a".repeat(17)), [0, 4, 8, 12, 13]);
        assert_eq!(offs("abcd"), [0]);
        assert_eq!(offs("a"), [0]);
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
}
