//! Full-text search over a bundle: a sharded index built with the bundle and
//! queried in the app (see `docs/search-format.md`).
//!
//! The app's order of calls:
//!
//! 1. fetch [`META_PATH`] → [`SearchMeta`];
//! 2. [`Query::parse`] the text and options (a [`QueryError`] is a message for the reader);
//! 3. if [`Query::needs_dates`], fetch [`DATES_PATH`] → [`DateIndex::decode`];
//!    then until [`Query::shards_missing`] is empty, fetch [`shard_path`]`(i)`
//!    for each `i` it returns (in parallel), [`Shard::decode`] and
//!    [`Shards::insert`] them: first the term shards ([`Query::shards_needed`]),
//!    then long document lists, then positions blocks (at most three rounds);
//! 4. [`Query::search_top`]`(…, page × 20)` → [`Results`]: the exact count
//!    and the hits up to the page, in order ([`Query::search`]: all of them);
//! 5. for each hit of the page fetch [`chunk_path`]`(meta.chunk_of(doc),
//!    variant)` → [`DocChunk`] into a [`DocTable`] (id, title in the
//!    reader's script, date, column)
//!    and show the rows, with [`highlight_ranges`] on the title;
//! 6. then, per row, the article file ([`crate::bundle::item_path`]) for the
//!    snippet: [`snippet`]`(&html_to_text(body), &query, n)`.
//!
//! ```
//! # #[cfg(feature = "build")] {
//! use gongkai_core::search::*;
//! let docs = [SearchDoc { id: "a", title: "关于开展科技活动周的通知", title_hant: None, summary: None,
//!     text: "各单位：现将有关事项通知如下。", date: "2024-05-01", column: "zn" }];
//! let files = build_search_index(&docs);
//! let file = |p: &str| files.iter().find(|f| f.0 == p).unwrap().1.clone();
//! let meta: SearchMeta = serde_json::from_slice(&file(META_PATH)).unwrap();
//! let q = Query::parse("科技活動", Options::default()).unwrap();
//! let mut shards = Shards::default();
//! loop {
//!     let missing = q.shards_missing(&meta, &shards, None);
//!     if missing.is_empty() {
//!         break;
//!     }
//!     for i in missing {
//!         shards.insert(i, Shard::decode(file(&shard_path(i))).unwrap());
//!     }
//! }
//! let results = q.search(&meta, &shards, None).unwrap();
//! assert_eq!(results.total, 1);
//! # }
//! ```

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
mod phrases;
pub mod query;
pub mod synonyms;
pub mod text;
pub mod warm;

pub use expand::{latin_letters, Expansion, ExpansionKind, Word};
pub use format::{
    chunk_path, DocChunk, DocEntry, DocTable, FormatError, SearchFile, SearchMeta, Shards,
    META_PATH, SEARCH_FORMAT,
};
#[cfg(feature = "build")]
pub use index::{build_search_index, SearchDoc};
#[cfg(feature = "build")]
#[doc(hidden)]
pub use index::{build_search_index_with, Layout};
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
}
