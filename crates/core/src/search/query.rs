//! Parsing a query, running it over loaded files (the phases are in
//! `engine.rs`), highlighting matches.

use super::engine::{
    best_of, candidates, load_lists, load_positions, merge, Conj, Ctx, Filter, Keep, Scorer,
};
use super::expand::{self, Expansion, Word};
use super::format::{
    Field, FormatError, SearchFile, SearchMeta, Shards, TermKey, MAX_GRAM, MAX_PHRASE,
};
use super::ids::IdKeys;
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
    /// A file that [`Query::step`] asks for was not loaded.
    #[error("search file {} is not loaded", .0.path())]
    Missing(SearchFile),
    /// The column filter names a column the index does not know.
    #[error("unknown column {0:?}")]
    UnknownColumn(String),
    /// A shard is corrupt.
    #[error(transparent)]
    Format(#[from] FormatError),
}

/// A token of the index, before a field is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    /// 1 to [`MAX_GRAM`] characters.
    Gram(String),
    Word(String),
}

impl Tok {
    pub(super) fn key(&self, field: Field) -> TermKey {
        match self {
            Tok::Gram(g) => TermKey::Gram(field, g.clone()),
            Tok::Word(w) => TermKey::Word(field, w.clone()),
        }
    }
}

/// Tokens that must all occur; with `require_phrase`, at their offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Group {
    pub toks: Vec<(Tok, u32)>,
    /// A document only matches if these tokens (indices into `toks`, a
    /// cover) occur at their offsets (exact mode, longer than [`MAX_GRAM`]);
    /// checked with positions. The other tokens only narrow the candidates.
    pub require_phrase: bool,
    pub verify: Vec<usize>,
    /// Exact mode, [`MAX_GRAM`]` + 1` to [`MAX_PHRASE`] characters: the
    /// literal itself, whose document list the index stores if it is a
    /// frequent phrase; then that list is the answer, without positions.
    pub whole: Option<Tok>,
    /// The first `scored` tokens count in the score (the cover, in exact
    /// mode); the others only narrow the candidates.
    pub scored: usize,
    /// Fuzzy mode: the group probably occurs as written if the document has
    /// all of these too (a ranking bonus; empty if no bonus).
    pub phrase: Vec<Tok>,
    /// The characters this group stands for, for highlighting.
    pub text: Vec<char>,
}

/// How a document matched: the first sort key of relevance order, best
/// last (`Ord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Tier {
    /// Through an expansion of the query: a pinyin reading or a synonym.
    Expanded,
    /// The text as typed.
    #[default]
    Text,
    /// The whole title is the query.
    Title,
    /// The year and number of the 文号 the query names (another 代字, or
    /// none in the query).
    Number,
    /// The 文号 or 索引号 the query names.
    Id,
}

/// A parsed query. Build with [`Query::parse`], then run
/// [`Query::step_matches`] (or [`Query::step`]) until it has every file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    text: String,
    options: Options,
    main: Conj,
    /// The normalised query, as exact mode reads it: the exact-title key
    /// and the suggestions work on it.
    lit: Vec<char>,
    ids: IdKeys,
    /// Latin letters that may be pinyin (tones, spaces and `'` dropped).
    pinyin: Option<String>,
    /// Words of expansions, for highlighting only ([`Query::expanded`]).
    extra: Vec<Vec<char>>,
}

/// One result: a document number (see [`SearchMeta::chunk_of`]) and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Document number.
    pub doc: u32,
    /// Relevance score within its tier (higher is better); 0 is never
    /// returned for a match.
    pub score: f32,
    /// How it matched: ranks before the score.
    pub tier: Tier,
}

/// All results, sorted; the caller pages them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    /// Number of matching documents.
    pub total: usize,
    /// The matches in the requested order: the first `limit` ([`Query::step`]).
    pub hits: Vec<Hit>,
}

/// The outcome of [`Query::step`].
#[derive(Debug, Clone, PartialEq)]
pub enum SearchStep {
    /// Fetch these files ([`SearchFile::path`]), sorted, without repeats,
    /// [`Shards::load`] them, then step again.
    Fetch(Vec<SearchFile>),
    /// Every file was there: the results.
    Done(Results),
}

/// Every match of a query with its score, in document order (newest first):
/// any page in either 排序 is cut from it ([`Matches::top`]), so a reader
/// who pages or switches the order does not wait for the query again. With
/// it, what the results page shows beside the rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matches {
    hits: Vec<Hit>,
    columns: Vec<(String, usize)>,
    expansions: Vec<Expansion>,
    suggestions: Vec<Word>,
}

impl Matches {
    /// Number of matching documents.
    pub fn total(&self) -> usize {
        self.hits.len()
    }

    /// The first `limit` results in `sort` order, as [`Query::step`] with
    /// that order would return them.
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

    /// 结果分类: the matches per column, without the column filter (so a
    /// reader sees every column and can switch), in [`SearchMeta::columns`]
    /// order, columns without a match left out.
    pub fn columns(&self) -> &[(String, usize)] {
        &self.columns
    }

    /// The pinyin readings and synonyms the query was widened to.
    pub fn expansions(&self) -> &[Expansion] {
        &self.expansions
    }

    /// 您是不是要找: up to [`MAX_SUGGESTIONS`] words of the site's vocabulary
    /// that the reader may have meant, when the query found at most
    /// [`FEW_RESULTS`] documents; empty otherwise.
    pub fn suggestions(&self) -> &[Word] {
        &self.suggestions
    }
}

/// The outcome of [`Query::step_matches`].
#[derive(Debug, Clone, PartialEq)]
pub enum MatchStep {
    /// Fetch these files, as [`SearchStep::Fetch`], then step again.
    Fetch(Vec<SearchFile>),
    /// Every file was there: every match.
    Done(Matches),
}

/// A query with at most this many results gets suggestions (您是不是要找).
pub const FEW_RESULTS: usize = 2;

/// Most suggestions offered.
pub const MAX_SUGGESTIONS: usize = 3;

/// A conjunction after phases 1–3: its lists, candidates and positions,
/// and the tier of its matches.
type Phased<'c, 'f> = (
    &'c Conj,
    super::engine::Lists,
    super::engine::Cands,
    Option<Vec<Vec<super::format::Positions<'f>>>>,
    Tier,
);

/// What one pass over the loaded files gave.
enum Run {
    Need(Vec<SearchFile>),
    Done(Results, Box<Matches>),
}

/// The page or the matches, and whether to gather what the results page
/// shows beside them (counts per column, suggestions).
#[derive(Clone, Copy)]
struct Want {
    keep: Keep,
    extras: bool,
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
        let main = conj(trimmed, options.mode);
        Ok(Query {
            text: trimmed.to_owned(),
            main,
            ids: IdKeys::of(trimmed),
            pinyin: expand::latin_letters(trimmed),
            lit,
            options,
            extra: Vec::new(),
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

    /// The query with the words of `expansions` marked too
    /// ([`highlight_ranges`], [`snippet`]): what the results show of a
    /// pinyin or synonym match.
    pub fn expanded(&self, expansions: &[Expansion]) -> Query {
        let mut q = self.clone();
        q.extra = expansions
            .iter()
            .flat_map(|e| &e.words)
            .map(|w| normalize(&w.hans))
            .collect();
        q
    }

    pub(super) fn mode(&self) -> MatchMode {
        self.options.mode
    }

    pub(super) fn groups(&self) -> &[Group] {
        &self.main.groups
    }

    pub(super) fn literal(&self) -> &[char] {
        &self.lit
    }

    pub(super) fn pinyin(&self) -> Option<&str> {
        self.pinyin.as_deref()
    }

    fn needs_dates(&self) -> bool {
        self.options.from.is_some() || self.options.to.is_some()
    }

    fn fields(&self) -> &'static [Field] {
        match self.options.scope {
            Scope::Title => &[Field::Title],
            Scope::Full => &[Field::Full, Field::Title],
        }
    }

    /// One round of the app's loop: the files still missing, or, once
    /// every one is loaded, the first `limit` results in the query's order
    /// (`total` counts every match). Fetch, [`Shards::load`] and step
    /// again: first the term shards (and the date, column and synonym
    /// files the options need), then what they point to (long lists, the
    /// expansions' shards), then positions blocks of candidate documents.
    ///
    /// ```
    /// # #[cfg(feature = "build")] {
    /// use gongkai_core::search::*;
    /// let docs: Vec<SearchDoc> = (0..30).map(|_| SearchDoc { id: "a", title: "通知",
    ///     text: "通知", date: "2024-05-01", column: "zn", ..SearchDoc::default() }).collect();
    /// let files = build_search_index(&docs, &Synonyms::default());
    /// let file = |p: &str| files.iter().find(|f| f.0 == p).unwrap().1.clone();
    /// let meta: SearchMeta = serde_json::from_slice(&file(META_PATH)).unwrap();
    /// let q = Query::parse("通知", Options::default()).unwrap();
    /// let mut loaded = Shards::default();
    /// let top = loop {
    ///     match q.step(&meta, &loaded, 20).unwrap() {
    ///         SearchStep::Fetch(missing) => for f in missing {
    ///             loaded.load(f, file(&f.path())).unwrap();
    ///         },
    ///         SearchStep::Done(r) => break r,
    ///     }
    /// };
    /// assert_eq!((top.total, top.hits.len()), (30, 20));
    /// # }
    /// ```
    pub fn step(
        &self,
        meta: &SearchMeta,
        files: &Shards,
        limit: usize,
    ) -> Result<SearchStep, SearchError> {
        let want = Want {
            keep: Keep::Top(limit),
            extras: false,
        };
        Ok(match self.execute(meta, files, want)? {
            Run::Need(v) => SearchStep::Fetch(v),
            Run::Done(r, _) => SearchStep::Done(r),
        })
    }

    /// [`Query::step`] once every file is loaded (a missing one is
    /// [`SearchError::Missing`]): what the benchmarks time.
    pub fn search_top(
        &self,
        meta: &SearchMeta,
        files: &Shards,
        limit: usize,
    ) -> Result<Results, SearchError> {
        match self.step(meta, files, limit)? {
            SearchStep::Done(r) => Ok(r),
            SearchStep::Fetch(v) => Err(SearchError::Missing(v[0])),
        }
    }

    /// [`Query::step`] keeping every match ([`Matches`]) instead of one page,
    /// with the counts per column and, for a query with few results, the
    /// suggestions: the app keeps them, so paging and switching 排序 cut a
    /// page from them without running the query again.
    pub fn step_matches(
        &self,
        meta: &SearchMeta,
        files: &Shards,
    ) -> Result<MatchStep, SearchError> {
        let want = Want {
            keep: Keep::All,
            extras: true,
        };
        Ok(match self.execute(meta, files, want)? {
            Run::Need(v) => MatchStep::Fetch(v),
            Run::Done(r, mut m) => {
                m.hits = r.hits;
                MatchStep::Done(*m)
            }
        })
    }

    /// Runs the phases over every conjunction (the text and its
    /// expansions), adds the documents the identifiers name, then counts
    /// and cuts. Every lookup of a pass is made even when an earlier one
    /// misses a file, so that one round fetches all it can.
    fn execute(&self, meta: &SearchMeta, files: &Shards, want: Want) -> Result<Run, SearchError> {
        let mut ctx = Ctx::new(meta, files);
        let field = self.fields()[0];
        let (range, column) = self.filter_bounds(&mut ctx)?;
        if want.extras {
            ctx.want(SearchFile::Columns);
        }
        let expanded = expand::expand(self, &mut ctx)?;
        let ids = self.id_lists(&mut ctx)?;
        let title_is = ctx.optional(&TermKey::TitleIs(self.lit.clone()))?;
        let main = load_lists(&self.main, field, &mut ctx)?;
        let alts: Vec<_> = expanded
            .conjs
            .iter()
            .map(|c| load_lists(c, field, &mut ctx))
            .collect::<Result<_, _>>()?;
        if !ctx.need.is_empty() {
            return Ok(Run::Need(ctx.take_need()));
        }

        // The app counts per column before the column filter applies.
        let index = files.columns();
        let filter = Filter {
            range: range.clone(),
            column: column.zip(index),
        };
        let unfiltered = Filter {
            range,
            column: None,
        };
        let first = if want.extras { &unfiltered } else { &filter };
        let mut runs: Vec<Phased<'_, '_>> = Vec::new();
        let conjs = std::iter::once((&self.main, main, Tier::Text)).chain(
            expanded
                .conjs
                .iter()
                .zip(alts)
                .map(|(c, l)| (c, l, Tier::Expanded)),
        );
        for (conj, lists, tier) in conjs {
            let Some(lists) = lists else { continue };
            let cands = candidates(&lists, first);
            let positions = load_positions(conj, &lists, &cands, field, &mut ctx)?;
            runs.push((conj, lists, cands, positions, tier));
        }
        if !ctx.need.is_empty() {
            return Ok(Run::Need(ctx.take_need()));
        }

        let sort = self.options.sort;
        let title_is = title_is.as_ref();
        let score = |run: Phased<'_, '_>, keep: Keep| {
            let (conj, lists, cands, positions, tier) = run;
            let title_is = title_is.filter(|_| tier == Tier::Text);
            let positions = positions.unwrap_or_default();
            Scorer::new(conj, &lists, &cands, positions, title_is, meta, tier).run(keep, sort)
        };
        if runs.len() <= 1 && ids.is_empty() && !want.extras {
            let results = match runs.pop() {
                Some(run) => score(run, want.keep),
                None => Results::default(),
            };
            return Ok(Run::Done(results, Box::default()));
        }
        let mut lists: Vec<Vec<Hit>> = runs
            .into_iter()
            .map(|run| score(run, Keep::All).hits)
            .collect();
        for (p, tier) in &ids {
            let docs = p.doc_list().into_iter().filter(|&d| first.admits(d));
            lists.push(
                docs.map(|doc| Hit {
                    doc,
                    score: 1.0,
                    tier: *tier,
                })
                .collect(),
            );
        }
        let mut all = merge(lists);
        let mut extras = Matches::default();
        if want.extras {
            extras.columns = count_columns(&all, meta, index);
            if filter.column.is_some() {
                all.retain(|h| filter.admits(h.doc));
            }
            extras.expansions = expanded.expansions;
            if all.len() <= FEW_RESULTS {
                match expand::suggest(self, &mut ctx)? {
                    Some(s) => extras.suggestions = s,
                    None => return Ok(Run::Need(ctx.take_need())),
                }
            }
        }
        let results = match want.keep {
            Keep::All => Results {
                total: all.len(),
                hits: all,
            },
            Keep::Top(limit) => Matches {
                hits: all,
                ..Matches::default()
            }
            .top(sort, limit),
        };
        Ok(Run::Done(results, Box::new(extras)))
    }

    /// The phase before the lists: the documents the date options admit
    /// (a range of document numbers, [`super::format::DateIndex::doc_range`])
    /// and the column filter's index in `meta.columns`, asking for the date
    /// and column files they need.
    fn filter_bounds(
        &self,
        ctx: &mut Ctx<'_>,
    ) -> Result<(std::ops::Range<u32>, Option<u16>), SearchError> {
        let meta = ctx.meta;
        let range = match (self.needs_dates(), ctx.files.dates()) {
            (false, _) => 0..meta.docs,
            (true, Some(d)) => d.doc_range(self.options.from, self.options.to),
            (true, None) => {
                ctx.want(SearchFile::Dates);
                0..0
            }
        };
        let column = match &self.options.column {
            Some(c) => {
                let i = meta.columns.iter().position(|x| x == c);
                let i = i.ok_or_else(|| SearchError::UnknownColumn(c.clone()))?;
                ctx.want(SearchFile::Columns);
                Some(i as u16)
            }
            None => None,
        };
        Ok((range, column))
    }

    /// The documents that the identifiers of the query name, with their
    /// tier: the 索引号 and the whole 文号; the year and number alone when
    /// the query has no 代字 or no document has the whole 文号.
    fn id_lists(
        &self,
        ctx: &mut Ctx<'_>,
    ) -> Result<Vec<(super::format::Postings, Tier)>, SearchError> {
        let mut out = Vec::new();
        if let Some(k) = &self.ids.index_no {
            out.extend(ctx.optional(k)?.map(|p| (p, Tier::Id)));
        }
        let full = match &self.ids.doc_no {
            Some(k) => ctx.optional(k)?,
            None => None,
        };
        let found = full.is_some();
        out.extend(full.map(|p| (p, Tier::Id)));
        if let Some(k) = &self.ids.number {
            if let Some(p) = ctx.optional(k)? {
                if !found {
                    out.push((p, Tier::Number));
                }
            }
        }
        Ok(out)
    }

    /// The character sequences to highlight, normalised.
    fn patterns(&self) -> Vec<&[char]> {
        self.main
            .groups
            .iter()
            .map(|g| g.text.as_slice())
            .chain(self.extra.iter().map(Vec::as_slice))
            .collect()
    }
}

/// The matches per column, in `meta.columns` order, without empty ones.
fn count_columns(
    hits: &[Hit],
    meta: &SearchMeta,
    index: Option<&super::format::ColumnIndex>,
) -> Vec<(String, usize)> {
    let Some(index) = index else {
        return Vec::new();
    };
    let mut counts = vec![0usize; meta.columns.len()];
    for h in hits {
        if let Some(n) = index.of(h.doc).and_then(|c| counts.get_mut(usize::from(c))) {
            *n += 1;
        }
    }
    meta.columns
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(c, n)| (c.clone(), n))
        .collect()
}

/// The conjunction of a text in a mode: one literal (exact), or terms
/// split at spaces and punctuation (fuzzy).
pub(super) fn conj(text: &str, mode: MatchMode) -> Conj {
    match mode {
        MatchMode::Exact => Conj {
            groups: vec![literal_group(&normalize(text))],
            junctions: Vec::new(),
        },
        MatchMode::Fuzzy => {
            // Spaces separate terms even between CJK characters, where
            // normalising would drop them.
            let mut lit = Vec::new();
            for part in text.split(is_space).filter(|p| !p.is_empty()) {
                lit.extend(normalize(part));
                lit.push(' ');
            }
            let groups = fuzzy_groups(&lit);
            let junctions = junctions(&groups);
            Conj { groups, junctions }
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
        let texts: Vec<String> = q
            .main
            .groups
            .iter()
            .map(|g| g.text.iter().collect())
            .collect();
        assert_eq!(texts, ["科学", "2023", "年", "wi", "fi", "通"]);
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
