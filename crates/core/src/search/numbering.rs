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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{IndexBuilder, SearchDoc, Synonyms};

    /// The files of an index of `ids` (newest first), numbered as `previous` says.
    fn build(ids: &[&str], previous: Option<Numbering>) -> Vec<(String, Vec<u8>)> {
        let mut b = IndexBuilder::new(Synonyms::default());
        if let Some(p) = previous {
            b = b.numbering(p);
        }
        for id in ids {
            b.push(&SearchDoc {
                id,
                title: "科技活动周",
                text: id,
                date: "2024-05-01",
                column: "zn",
                ..SearchDoc::default()
            })
            .unwrap();
        }
        let mut files = Vec::new();
        b.finish(|p, bytes| {
            files.push((p, bytes));
            Ok(())
        })
        .unwrap();
        files
    }

    fn write(dir: &Path, files: &[(String, Vec<u8>)]) {
        let _ = std::fs::remove_dir_all(dir);
        for (p, bytes) in files {
            let path = dir.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }

    #[test]
    fn numbers_are_read_back_and_kept_and_bad_files_are_named() {
        let dir = std::env::temp_dir().join(format!("gongkai-numbering-{}", std::process::id()));
        write(&dir, &build(&["b", "a"], None));
        let n = Numbering::read(&dir).unwrap();
        assert_eq!((n.ids["b"], n.ids["a"], n.space), (0, 1, 2));
        // A newer notice gets the next number; the others keep theirs.
        write(&dir, &build(&["c", "b", "a"], Some(n)));
        let n = Numbering::read(&dir).unwrap();
        assert_eq!((n.ids["c"], n.ids["b"], n.ids["a"], n.space), (2, 0, 1, 3));
        // A damaged map, or none: the reason, with the file's path.
        std::fs::write(dir.join(ORDER_PATH), [9u8, 1]).unwrap();
        let e = Numbering::read(&dir).unwrap_err();
        assert!(e.contains("order.bin"), "{e}");
        std::fs::remove_file(dir.join(ORDER_PATH)).unwrap();
        let e = Numbering::read(&dir).unwrap_err();
        assert!(e.contains("order.bin"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
        let e = Numbering::read(&dir).unwrap_err();
        assert!(e.contains("index.json"), "{e}");
    }
}
