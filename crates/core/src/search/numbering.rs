//! Stable document numbers (feature `build`): the numbers a previous
//! build gave its notices, read back from its output folder, so that a
//! rebuild gives each notice the same number and the term files of the
//! notices it did not touch come out byte for byte the same
//! (`docs/search-format.md`, "Stable document numbers").

use super::format::{
    chunk_path, DocChunk, OrderMap, SearchMeta, META_PATH, ORDER_PATH, SEARCH_FORMAT,
};
use crate::bundle::Variant;
use std::collections::HashMap;
use std::path::Path;

/// The document numbers of a previous build, and its shard count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Numbering {
    /// Item id → its number.
    pub(super) ids: HashMap<String, u32>,
    /// Size of the number space (numbers `0..space`, holes included).
    pub(super) space: u32,
    /// The previous build's shard count, kept while the index's size stays
    /// within a factor of two of what it suits.
    pub(super) shards: u32,
}

impl Numbering {
    /// Reads the numbering of the search index under `dir` (an output
    /// folder: `dir/search/index.json`, the document table, and
    /// `dir/search/order.bin` when its numbers are not ranks).
    ///
    /// # Errors
    ///
    /// What is missing or malformed, with its path: the caller then numbers
    /// every document afresh.
    pub fn read(dir: &Path) -> Result<Numbering, String> {
        let read = |rel: &str| {
            let path = dir.join(rel);
            std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
        };
        let bad =
            |rel: &str, e: &dyn std::fmt::Display| format!("{}: {e}", dir.join(rel).display());
        let meta: SearchMeta =
            serde_json::from_slice(&read(META_PATH)?).map_err(|e| bad(META_PATH, &e))?;
        if meta.format != SEARCH_FORMAT {
            return Err(bad(
                META_PATH,
                &format!("search format {}, not {SEARCH_FORMAT}", meta.format),
            ));
        }
        let mut ids = Vec::with_capacity(meta.docs as usize);
        for c in 0..meta.chunk_count() {
            let rel = chunk_path(c, Variant::Hans);
            let chunk: DocChunk =
                serde_json::from_slice(&read(&rel)?).map_err(|e| bad(&rel, &e))?;
            if chunk.first as usize != ids.len() {
                return Err(bad(
                    &rel,
                    &format!("starts at {}, not {}", chunk.first, ids.len()),
                ));
            }
            ids.extend(chunk.docs.into_iter().map(|d| d.id));
        }
        if ids.len() != meta.docs as usize {
            return Err(bad(
                META_PATH,
                &format!("{} documents, the table has {}", meta.docs, ids.len()),
            ));
        }
        let (numbers, space): (Vec<u32>, u32) = if meta.order {
            let order = OrderMap::decode(&read(ORDER_PATH)?).map_err(|e| bad(ORDER_PATH, &e))?;
            if order.docs() != meta.docs {
                return Err(bad(
                    ORDER_PATH,
                    &format!("{} documents, not {}", order.docs(), meta.docs),
                ));
            }
            (
                (0..meta.docs).map(|r| order.number(r)).collect(),
                order.space(),
            )
        } else {
            ((0..meta.docs).collect(), meta.docs)
        };
        let mut map = HashMap::with_capacity(ids.len());
        for (id, d) in ids.into_iter().zip(numbers) {
            if map.insert(id, d).is_some() {
                return Err(bad(META_PATH, &"an id listed twice in the document table"));
            }
        }
        Ok(Numbering {
            ids: map,
            space,
            shards: meta.shards,
        })
    }

    /// Documents numbered.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no document is numbered.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}
