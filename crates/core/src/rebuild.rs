//! Skipping unchanged work in a rebuild (feature `build`): the bodies of
//! items unchanged since the last build are taken from that build's
//! article files instead of being sanitised and converted to 繁體 again.
//!
//! After each build the CLI writes a table of every item's digest
//! ([`item_digest`]: the item as checked and redacted, the 繁體 setting and
//! the builder's version) into `DIR/.gongkai/items` ([`ITEMS_FILE`]). The
//! next build reads it ([`Previous::load`]); an item whose digest is in it
//! gets its sanitised body (and its 繁體 body) back from the served
//! `zh-Hans/items/<id>.json` (and `zh-Hant/…`), which that build wrote
//! ([`Previous::bodies`]). Everything else of the article (metadata,
//! neighbours, relations, the search text) is made again, so it follows
//! the rest of the feed. The table is removed before the bundle's commit
//! and written after it, so it never describes files other than the ones
//! served; a missing or unreadable table means a full build (and a
//! message, unless the folder holds no earlier build). The table also
//! keeps what the sanitiser said about each body, so that a kept body's
//! warning is printed again.

use crate::bundle::{item_path, ArticleFile, Variant};
use crate::feed::Item;
use crate::publish::{RECORD_FILE, STATE_DIR};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The table's file name in the bundle folder's `.gongkai/`.
pub const ITEMS_FILE: &str = "items";

/// The table's first line: its format.
const HEADER: &str = "gongkai item digests 1";

/// What makes an item's article: the item as the build reads it, whether
/// the 繁體 variant is made, and the builder (a new version may sanitise
/// differently).
pub fn item_digest(item: &Item, hant: bool) -> u128 {
    let mut bytes = serde_json::to_vec(item).unwrap_or_default();
    bytes.push(u8::from(hant));
    bytes.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
    crate::publish::digest(&bytes)
}

/// The previous build's item digests and where its articles are served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    dir: PathBuf,
    /// Id → digest and the sanitiser's message about the body ("" for none).
    digests: HashMap<String, (u128, String)>,
}

/// One item's line of the table: id, digest, and what the sanitiser said
/// about its body (empty when nothing), printed again when it is kept.
pub type TableEntry = (String, u128, String);

/// Why the previous build's table cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The folder has no earlier build (no record of its files): nothing
    /// to keep, nothing worth saying.
    #[error("no earlier build in this folder")]
    FirstBuild,
    /// An earlier build but no table: it did not finish, or it was made by
    /// a gongkai without one.
    #[error("{0}: no record of the previous build's items")]
    Missing(String),
    /// The file cannot be read or is not a table.
    #[error("{path}: {message}")]
    Corrupt {
        /// The table's path.
        path: String,
        /// What is wrong, and where.
        message: String,
    },
}

/// The table's path in bundle folder `dir`.
pub fn table_path(dir: &Path) -> PathBuf {
    dir.join(STATE_DIR).join(ITEMS_FILE)
}

impl Previous {
    /// Reads the table of bundle folder `dir`.
    pub fn load(dir: &Path) -> Result<Previous, TableError> {
        let path = table_path(dir);
        let shown = path.display().to_string();
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let earlier = dir.join(STATE_DIR).join(RECORD_FILE).exists();
                return Err(if earlier {
                    TableError::Missing(shown)
                } else {
                    TableError::FirstBuild
                });
            }
            Err(e) => {
                return Err(TableError::Corrupt {
                    path: shown,
                    message: e.to_string(),
                })
            }
        };
        let digests = parse(&text).map_err(|message| TableError::Corrupt {
            path: shown,
            message,
        })?;
        Ok(Previous {
            dir: dir.to_owned(),
            digests,
        })
    }

    /// The bundle folder the table was read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Number of items in the table.
    pub fn len(&self) -> usize {
        self.digests.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    /// The sanitised body of `item` (digest `digest`), with `hant` its
    /// 繁體 body, as the previous build wrote them, and the sanitiser's
    /// message about it ("" for none); `None` when the item changed or a
    /// file is missing or unreadable (it is then made anew).
    pub fn bodies(&self, item: &Item, digest: u128, hant: bool) -> Option<Kept> {
        let (recorded, message) = self.digests.get(&item.id)?;
        if *recorded != digest {
            return None;
        }
        let body = |variant: Variant| -> Option<String> {
            let bytes = fs::read(self.dir.join(item_path(variant, &item.id))).ok()?;
            let article: ArticleFile = serde_json::from_slice(&bytes).ok()?;
            (article.item.id == item.id).then_some(article.item.content_html)?
        };
        let hans = body(Variant::Hans)?;
        let hant = if hant {
            Some(body(Variant::Hant)?)
        } else {
            None
        };
        Some(Kept {
            hans,
            hant,
            message: message.clone(),
        })
    }
}

/// An unchanged item's bodies, kept from the previous build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The sanitised body.
    pub hans: String,
    /// Its 繁體 conversion, when the build makes that variant.
    pub hant: Option<String>,
    /// What the sanitiser said about it ("" for nothing).
    pub message: String,
}

fn parse(text: &str) -> Result<HashMap<String, (u128, String)>, String> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Err(format!("line 1: expected {HEADER:?}"));
    }
    let mut digests = HashMap::new();
    for (n, line) in lines.enumerate() {
        let mut fields = line.splitn(3, '\t');
        let digest = fields
            .next()
            .and_then(|hex| u128::from_str_radix(hex, 16).ok());
        let id = fields.next().filter(|id| !id.is_empty());
        let (Some(digest), Some(id)) = (digest, id) else {
            return Err(format!(
                "line {}: expected a digest, a tab and an id",
                n + 2
            ));
        };
        let message = fields.next().unwrap_or_default().to_owned();
        digests.insert(id.to_owned(), (digest, message));
    }
    Ok(digests)
}

/// Removes the table of bundle folder `dir` (before a commit changes the
/// files it describes).
pub fn remove_table(dir: &Path) -> io::Result<()> {
    match fs::remove_file(table_path(dir)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Writes the table of bundle folder `dir`: each item's id, digest and
/// the sanitiser's message (tabs and line breaks in it made spaces).
pub fn write_table(dir: &Path, entries: &[TableEntry]) -> io::Result<()> {
    let mut text = String::with_capacity(50 * entries.len() + HEADER.len() + 1);
    text.push_str(HEADER);
    text.push('\n');
    for (id, digest, message) in entries {
        let message = message.replace(['\t', '\n', '\r'], " ");
        let _ = writeln!(text, "{digest:032x}\t{id}\t{message}");
    }
    let path = table_path(dir);
    let tmp = path.with_extension("tmp");
    fs::write(&tmp, text)?;
    fs::rename(&tmp, &path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_round_trips_and_refuses_what_it_did_not_write() {
        let dir = std::env::temp_dir().join(format!("gongkai-rebuild-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join(STATE_DIR)).unwrap();
        assert!(matches!(Previous::load(&dir), Err(TableError::FirstBuild)));
        fs::write(dir.join(STATE_DIR).join(RECORD_FILE), "").unwrap();
        assert!(matches!(Previous::load(&dir), Err(TableError::Missing(_))));
        write_table(
            &dir,
            &[
                ("a".into(), 1, String::new()),
                ("b-2".into(), u128::MAX, "removed\t<script>".into()),
            ],
        )
        .unwrap();
        let p = Previous::load(&dir).unwrap();
        assert_eq!(
            p.digests.get("b-2"),
            Some(&(u128::MAX, "removed <script>".to_owned()))
        );
        assert_eq!(p.len(), 2);
        fs::write(table_path(&dir), format!("{HEADER}\nzz\ta\n")).unwrap();
        let err = Previous::load(&dir).unwrap_err().to_string();
        assert!(
            err.ends_with("items: line 2: expected a digest, a tab and an id"),
            "{err}"
        );
        fs::write(table_path(&dir), "something else\n").unwrap();
        assert!(matches!(
            Previous::load(&dir),
            Err(TableError::Corrupt { .. })
        ));
        remove_table(&dir).unwrap();
        remove_table(&dir).unwrap();
        assert!(matches!(Previous::load(&dir), Err(TableError::Missing(_))));
        fs::remove_dir_all(&dir).unwrap();
    }
}
