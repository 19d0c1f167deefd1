//! Full-text search over a bundle: a sharded index built with the bundle and
//! queried in the app (format [`SEARCH_FORMAT`], see `docs/search-format.md`).
//!
//! Besides the text as typed, a query finds: the notice whose whole title it
//! is (first, ties by date); the notice of a 文号 or 索引号 it names in any
//! common form (first of all, `ids.rs`, with the shared [`crate::docno`]
//! parser); for Latin letters, the vocabulary words their 全拼 or 首字母
//! spell (below the literal matches); in 模糊, the synonyms of its terms
//! (the default table and the site's `_gov.synonyms`). With the matches
//! come the counts per 栏目 and, for a query with few results, 您是不是要找
//! from the site's own vocabulary. The ranking's first key is the [`Tier`].
//!
//! Modules: `format.rs` (files, encoding), `index.rs` (building, with
//! `phrases.rs`, `dict.rs` for the vocabulary and its pinyin, and
//! [`synonyms`]), `query.rs` (parsing, [`Query::step`]), `engine.rs` (the
//! phases of a run), `expand.rs` (pinyin, synonyms, suggestions),
//! [`text`] and [`fold`] (normalising), [`warm`] (warming the code up).
//!
//! The app's order of calls:
//!
//! 1. fetch [`META_PATH`] → [`SearchMeta`];
//! 2. [`Query::parse`] the text and options (a [`QueryError`] is a message for the reader);
//! 3. [`Query::step_matches`] until it is done: each time it names files
//!    ([`SearchFile`]), fetch their [`SearchFile::path`] in parallel and
//!    [`Shards::load`] them (term shards and the date, column and synonym
//!    files the options need; then long lists and the expansions' shards;
//!    then positions blocks; for few results, the dictionary entries of
//!    the suggestions). Done gives [`Matches`]: every match, the counts per
//!    column, the expansions, the suggestions;
//! 4. [`Matches::top`]`(sort, page × 20)` → [`Results`] (any page, either order);
//! 5. for each hit of the page fetch [`chunk_path`]`(meta.chunk_of(doc),
//!    variant)` → [`DocChunk`] into a [`DocTable`] (id, title in the
//!    reader's script, date, column) and show the rows, with
//!    [`highlight_ranges`] of [`Query::expanded`] on the title;
//! 6. then, per row, the article file ([`crate::bundle::item_path`]) for the
//!    snippet: [`snippet`]`(&html_to_text(body), &query, n)`.
//!
//! ```
//! # #[cfg(feature = "build")] {
//! use gongkai_core::search::*;
//! let docs = [SearchDoc { id: "a", title: "关于开展科技活动周的通知",
//!     text: "各单位：现将有关事项通知如下。", date: "2024-05-01", column: "zn",
//!     doc_no: Some("武科发〔2024〕3号"), ..SearchDoc::default() }];
//! let files = build_search_index(&docs, &Synonyms::default_table());
//! let file = |p: &str| files.iter().find(|f| f.0 == p).unwrap().1.clone();
//! let meta: SearchMeta = serde_json::from_slice(&file(META_PATH)).unwrap();
//! let mut loaded = Shards::default();
//! let mut search = |text: &str| {
//!     let q = Query::parse(text, Options::default()).unwrap();
//!     loop {
//!         match q.step_matches(&meta, &loaded).unwrap() {
//!             MatchStep::Fetch(missing) => for f in missing {
//!                 loaded.load(f, file(&f.path())).unwrap();
//!             },
//!             MatchStep::Done(m) => break m,
//!         }
//!     }
//! };
//! assert_eq!(search("科技活動").total(), 1);
//! assert_eq!(search("武科发 2024 3").top(SortOrder::Relevance, 1).hits[0].tier, Tier::Id);
//! assert_eq!(search("kejihuodong").expansions()[0].words[0].hans, "科技活动");
//! assert_eq!(search("科技活动").columns(), [("zn".to_owned(), 1)]);
//! assert_eq!(search("科计活动").suggestions()[0].hans, "科技活动");
//! # }
//! ```

#[cfg(feature = "build")]
mod builder;
#[cfg(feature = "build")]
mod delta;
#[cfg(feature = "build")]
mod dict;
mod engine;
mod expand;
pub mod fold;
mod fold_table;
pub mod format;
mod ids;
#[cfg(feature = "build")]
pub mod index;
#[cfg(feature = "build")]
mod numbering;
#[cfg(feature = "build")]
mod phrases;
pub mod query;
#[cfg(feature = "build")]
mod spill;
pub mod synonyms;
pub mod text;
pub mod warm;

#[cfg(feature = "build")]
pub use builder::{IndexBuilder, IndexSummary, DEFAULT_BUDGET};
#[cfg(feature = "build")]
pub use delta::{BASE_PATH, LEGACY_BASE_PATH};
pub use expand::{latin_letters, Expansion, ExpansionKind, Word};
pub use format::{
    chunk_path, DeltaMeta, DocChunk, DocEntry, DocTable, FormatError, OrderMap, SearchFile,
    SearchMeta, Shards, META_PATH, ORDER_PATH, SEARCH_FORMAT,
};
#[cfg(feature = "build")]
pub use index::{build_search_index, SearchDoc};
#[cfg(feature = "build")]
#[doc(hidden)]
pub use index::{build_search_index_with, Layout};
#[cfg(feature = "build")]
pub use numbering::Numbering;
pub use query::{
    highlight_ranges, snippet, Hit, MatchMode, MatchStep, Matches, Options, Query, QueryError,
    Results, Scope, SearchError, SearchStep, SortOrder, Tier, UnknownOption, FEW_RESULTS,
    MAX_QUERY_CHARS, MAX_SUGGESTIONS,
};
#[cfg(feature = "build")]
pub use synonyms::Synonyms;
pub use text::html_to_text;

/// Ranking constants shared by the builder (impacts) and the query.
pub(crate) mod index_params {
    /// BM25 term-frequency saturation.
    pub const K1: f32 = 1.2;
    /// BM25 length normalisation.
    #[cfg(feature = "build")]
    pub const B: f32 = 0.75;
    /// Weight of the title field's score in full-text scope.
    pub const TITLE_BOOST: f32 = 2.0;
    /// Added when a multi-character term occurs as written.
    pub const PHRASE_BONUS: f32 = 1.0;
    /// Added for terms close together, divided by 1 + distance / 8.
    pub const PROXIMITY_BONUS: f32 = 2.0;
    /// A term in more than one document in this many has no impacts in the
    /// ranking (its idf is under ln 9): every document counts as one
    /// average occurrence.
    pub const IMPACT_MAX_DF_SHARE: usize = 8;
    /// The builder stores impacts up to `IMPACT_MARGIN / 10` times that
    /// share (the query ignores those past it): a delta segment's base then
    /// still has them for a term that edits bring back under the share.
    #[cfg(feature = "build")]
    pub const IMPACT_MARGIN: usize = 11;
}
