//! The 政策文件库 (policy library): every notice of the section findable by
//! 有效性, 主题分类, 文种, 发文机关 and year, and by its 文号, with the
//! relations between notices shown both ways. See `docs/library.md`.
//!
//! - [`relations`]: each relation a feed states once, seen from both notices
//!   (the article's 相关文件, written into its file at build time);
//! - [`index`]: the facets file and the columnar index the app loads, and
//!   the filtering and counting it does with them;
//! - `build` (feature `build`): writing those two files.

#[cfg(feature = "build")]
mod build;
pub mod index;
pub mod relations;

#[cfg(feature = "build")]
pub use build::library_files;
pub use index::{
    Facet, FacetValues, LibraryError, LibraryFacets, LibraryIndex, LibrarySort, Outcome, Selection,
    FACETS_PATH, INDEX_PATH, LIBRARY_FORMAT,
};
pub use relations::{closure, RelatedDoc, RelationRole};
