//! The 政策文件库 (policy library): every notice of the section findable by
//! 有效性, 主题分类, 文种, 发文机关 and year, and by its 文号, with the
//! relations between notices shown both ways. See `docs/library.md`.
//!
//! - [`relations`]: each relation a feed states once, seen from both notices
//!   (the article's 相关文件, written into its file at build time).

pub mod relations;

pub use relations::{closure, RelatedDoc, RelationRole};
