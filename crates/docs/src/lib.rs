#![forbid(unsafe_code)]
//! `gongkai-docs`: the 下载Word / 下载PDF files of every notice, written by
//! `gongkai build` after the bundle is built and before it is written.
//!
//! ```text
//! bundle/files/zh-Hans/<id>.docx   Word, fonts named (Noto Sans CJK SC, 宋体 fallback), zh-CN
//! bundle/files/zh-Hans/<id>.pdf    PDF, Noto Sans CJK subset embedded, text copyable
//! bundle/files/zh-Hant/<id>.docx   the same from the 繁體 article file
//! bundle/files/.cache.json         what each file was made from, for incremental builds
//! ```
//!
//! [`write_documents`] reads every article file of a
//! [`BuildOutput`](gongkai_core::build::BuildOutput) (so the 繁體 text is the
//! build's own conversion), stages the documents straight to disk through
//! the bundle's [`Publication`] (10,000 notices' PDFs would not fit
//! comfortably in memory, and nothing is served before the commit), adds
//! [`Download`] entries to the article files and recomputes the bundle's
//! content hash. Documents whose article file, generator and font are
//! unchanged are not made again. Native only: the app never links this crate.
//!
//! See `docs/downloads.md` for the design, the font and its licence.

pub mod docx;
pub mod font;
pub mod html;
pub mod notice;
pub mod pdf;

pub use font::{Font, FontError, DEFAULT_FONT};
pub use notice::Notice;

use gongkai_core::build::{content_hash, BuildOutput, Fnv1a};
use gongkai_core::bundle::{
    download_path, ArticleFile, Download, DownloadKind, Variant, FILES_DIR, MANIFEST_FILE,
};
use gongkai_core::publish::{Publication, PublishError};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// Bumped whenever the output of the generators changes, so that an
/// incremental build makes every document again.
pub const GENERATOR_VERSION: &str = "gongkai-docs 1";

/// Name of the cache file inside `files/`.
pub const CACHE_FILE: &str = ".cache.json";

/// The fonts for the PDFs: one face per variant (Noto Sans CJK SC for 简体,
/// TC for 繁體 when the file is the collection).
#[derive(Debug)]
pub struct Fonts {
    /// Face for `zh-Hans`.
    pub hans: Font,
    /// Face for `zh-Hant`.
    pub hant: Font,
}

impl Fonts {
    /// Loads both faces from one font file or collection.
    pub fn load(path: &Path) -> Result<Fonts, FontError> {
        Ok(Fonts {
            hans: Font::load(path, "SC")?,
            hant: Font::load(path, "TC")?,
        })
    }

    fn get(&self, v: Variant) -> &Font {
        match v {
            Variant::Hans => &self.hans,
            Variant::Hant => &self.hant,
        }
    }
}

/// Settings of [`write_documents`].
#[derive(Debug, Default)]
pub struct DocOptions<'a> {
    /// The PDF fonts; `None` writes Word files only (the CLI warns).
    pub fonts: Option<&'a Fonts>,
}

/// A warning about one notice's documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocWarning {
    /// The item's id.
    pub id: String,
    /// The file concerned, relative to the bundle root.
    pub path: String,
    /// What happened.
    pub message: String,
}

impl fmt::Display for DocWarning {
    /// `warning: item "x": files/zh-Hans/x.pdf: no glyph in the font for …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning: item {:?}: {}: {}",
            self.id, self.path, self.message
        )
    }
}

/// What [`write_documents`] did.
#[derive(Debug, Default)]
pub struct DocsReport {
    /// Documents written by this run.
    pub written: usize,
    /// Documents left as they were (unchanged input).
    pub reused: usize,
    /// Stale documents removed.
    pub removed: usize,
    /// Total size of the documents.
    pub bytes: u64,
    /// Missing glyphs and the like, sorted by id.
    pub warnings: Vec<DocWarning>,
}

/// Why documents could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// Staging a document failed.
    #[error(transparent)]
    Publish(#[from] PublishError),
    /// An article file of the bundle could not be read back.
    #[error("{path}: {source}")]
    Json {
        /// The article file.
        path: String,
        /// The parse error.
        source: serde_json::Error,
    },
    /// The PDF could not be made (the font could not be subset).
    #[error("{path}: {message}")]
    Pdf {
        /// The PDF file.
        path: String,
        /// What failed.
        message: String,
    },
}

/// One document in the cache: the key of its input, its size and the
/// characters the font lacked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct CacheEntry {
    key: String,
    size: u64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    missing: String,
    hash: String,
}

impl CacheEntry {
    /// Whether the entry is one this crate writes: keys and hashes of 16
    /// lower-case hex digits (an edited or damaged cache may hold anything).
    fn is_well_formed(&self) -> bool {
        let hex16 =
            |s: &str| s.len() == 16 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        hex16(&self.key) && hex16(&self.hash)
    }
}

type Cache = BTreeMap<String, CacheEntry>;

/// The cache of an earlier build. A missing or unreadable file is an empty
/// cache, and a malformed entry is left out: either way the documents
/// concerned are made again, never an error.
fn read_cache(path: &Path) -> Cache {
    let Some(entries) = std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<BTreeMap<String, serde_json::Value>>(&b).ok())
    else {
        return Cache::new();
    };
    entries
        .into_iter()
        .filter_map(|(path, v)| {
            let entry: CacheEntry = serde_json::from_value(v).ok()?;
            (entry.is_well_formed() && article_doc_path(&path).is_some()).then_some((path, entry))
        })
        .collect()
}

/// `files/zh-Hans/<id>.pdf` → (variant, id, kind), for paths this crate writes.
fn article_doc_path(rel: &str) -> Option<(Variant, &str, DownloadKind)> {
    let rest = rel.strip_prefix(FILES_DIR)?.strip_prefix('/')?;
    let (variant, file) = rest.split_once('/')?;
    let (id, ext) = file.rsplit_once('.')?;
    let variant: Variant = variant.parse().ok()?;
    let kind: DownloadKind = ext.parse().ok()?;
    (download_path(variant, id, kind) == rel).then_some((variant, id, kind))
}

fn fnv(parts: &[&[u8]]) -> String {
    let mut h = Fnv1a::default();
    for p in parts {
        h.write(&(p.len() as u64).to_le_bytes());
        h.write(p);
    }
    format!("{:016x}", h.finish())
}

/// `zh-Hans/items/<id>.json` → (variant, id).
fn article_path(path: &str) -> Option<(Variant, &str)> {
    let (variant, rest) = path.split_once('/')?;
    let id = rest.strip_prefix("items/")?.strip_suffix(".json")?;
    Some((variant.parse().ok()?, id))
}

/// Whether the item already has an attachment of this format: then the
/// app's link offers that file and none is generated.
fn has_attachment(article: &ArticleFile, kind: DownloadKind) -> bool {
    article.item.attachments.iter().any(|a| {
        a.mime_type == kind.mime_type()
            || a.url
                .rsplit('/')
                .next()
                .and_then(|f| f.split(['?', '#']).next())
                .is_some_and(|f| {
                    f.to_ascii_lowercase()
                        .ends_with(&format!(".{}", kind.as_str()))
                })
    })
}

struct Made {
    index: usize,
    bytes: Vec<u8>,
    docs: Vec<(String, CacheEntry, bool)>,
    warnings: Vec<DocWarning>,
}

/// Stages the documents of every article in `out` under `files/` of the
/// bundle's publication, records them in the article files and updates the
/// manifest's content hash. Call it after `build_bundle` and before the
/// bundle is staged.
pub fn write_documents(
    publication: &Publication,
    out: &mut BuildOutput,
    opts: &DocOptions<'_>,
) -> Result<DocsReport, DocsError> {
    let out_dir = publication.root();
    let cache_rel = format!("{FILES_DIR}/{CACHE_FILE}");
    let cache = read_cache(&out_dir.join(&cache_rel));
    // A bundle folder from before the record of owned files: the cache
    // says which documents the earlier build made.
    for rel in cache.keys() {
        publication.adopt_legacy(rel);
    }
    let font_id = |v: Variant| {
        opts.fonts
            .map_or("none".to_owned(), |f| f.get(v).fingerprint.clone())
    };
    let manifest = out.manifest.clone();

    let made: Vec<Result<Made, DocsError>> = out
        .files
        .par_iter()
        .enumerate()
        .filter_map(|(index, (path, bytes))| {
            let (variant, id) = article_path(path)?;
            Some((index, path, bytes, variant, id))
        })
        .map(|(index, path, bytes, variant, id)| {
            let article: ArticleFile =
                serde_json::from_slice(bytes).map_err(|source| DocsError::Json {
                    path: path.clone(),
                    source,
                })?;
            let mut article = ArticleFile {
                downloads: Vec::new(),
                ..article
            };
            let key = fnv(&[
                GENERATOR_VERSION.as_bytes(),
                bytes,
                font_id(variant).as_bytes(),
                manifest.site_text(variant).site_name.as_bytes(),
                manifest.home_page_url.as_deref().unwrap_or("").as_bytes(),
            ]);
            let mut notice = None;
            let mut docs = Vec::new();
            let mut warnings = Vec::new();
            for kind in [DownloadKind::Docx, DownloadKind::Pdf] {
                if has_attachment(&article, kind) {
                    continue;
                }
                let font = match kind {
                    DownloadKind::Pdf => match opts.fonts {
                        Some(f) => Some(f.get(variant)),
                        None => continue,
                    },
                    DownloadKind::Docx => None,
                };
                let rel = download_path(variant, id, kind);
                let dest = out_dir.join(&rel);
                let cached = cache.get(&rel).filter(|c| {
                    c.key == key && std::fs::metadata(&dest).is_ok_and(|m| m.len() == c.size)
                });
                let kept = match cached {
                    Some(c) => publication.keep(&rel)?.then(|| c.clone()),
                    None => None,
                };
                let (entry, fresh) = match kept {
                    Some(c) => (c, false),
                    None => {
                        let n = notice.get_or_insert_with(|| {
                            Notice::from_article(
                                &article,
                                variant,
                                &manifest.site_text(variant).site_name,
                                manifest.home_page_url.as_deref(),
                            )
                        });
                        let (data, missing) = match font {
                            None => (docx::write(n), String::new()),
                            Some(font) => {
                                let (data, info) =
                                    pdf::write(n, font).map_err(|message| DocsError::Pdf {
                                        path: rel.clone(),
                                        message,
                                    })?;
                                (data, info.missing.into_iter().collect())
                            }
                        };
                        publication.stage(&rel, &data)?;
                        let entry = CacheEntry {
                            key: key.clone(),
                            size: data.len() as u64,
                            missing,
                            hash: fnv(&[&data]),
                        };
                        (entry, true)
                    }
                };
                if !entry.missing.is_empty() {
                    let list: Vec<String> = entry
                        .missing
                        .chars()
                        .map(|c| format!("{c:?} U+{:04X}", c as u32))
                        .collect();
                    warnings.push(DocWarning {
                        id: id.to_owned(),
                        path: rel.clone(),
                        message: format!(
                            "no glyph in the font for {} (shown as an empty box)",
                            list.join(", ")
                        ),
                    });
                }
                article.downloads.push(Download {
                    kind,
                    path: rel.clone(),
                    mime_type: kind.mime_type().to_owned(),
                    size_in_bytes: entry.size,
                    file_name: notice::file_name(
                        &article.item.gov.index_no,
                        &article.item.title,
                        kind.as_str(),
                    ),
                });
                docs.push((rel, entry, fresh));
            }
            let bytes = serde_json::to_vec(&article).map_err(|source| DocsError::Json {
                path: path.clone(),
                source,
            })?;
            Ok(Made {
                index,
                bytes,
                docs,
                warnings,
            })
        })
        .collect();

    let mut report = DocsReport::default();
    let mut new_cache = Cache::new();
    for m in made {
        let m = m?;
        out.files[m.index].1 = m.bytes;
        report.warnings.extend(m.warnings);
        for (rel, entry, fresh) in m.docs {
            if fresh {
                report.written += 1;
            } else {
                report.reused += 1;
            }
            report.bytes += entry.size;
            new_cache.insert(rel, entry);
        }
    }
    report
        .warnings
        .sort_by(|a, b| (&a.id, &a.path).cmp(&(&b.id, &b.path)));

    // Documents of removed items, or of formats now given as attachments:
    // the publication removes them, as the previous build's own files.
    report.removed = cache.keys().filter(|r| !new_cache.contains_key(*r)).count();
    let json = serde_json::to_vec_pretty(&new_cache).expect("a map of strings serialises");
    publication.stage(&cache_rel, &json)?;

    // The content hash covers the documents too (by their own hash), so a
    // changed PDF of the same size still gets a new `?v=`.
    let hash = content_hash(
        out.files
            .iter()
            .filter(|(p, _)| p != MANIFEST_FILE)
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .chain(
                new_cache
                    .iter()
                    .map(|(p, e)| (p.as_str(), e.hash.as_bytes())),
            ),
    );
    out.manifest.content_hash = hash;
    let bytes = serde_json::to_vec(&out.manifest).map_err(|source| DocsError::Json {
        path: MANIFEST_FILE.to_owned(),
        source,
    })?;
    if let Some(f) = out.files.iter_mut().find(|(p, _)| p == MANIFEST_FILE) {
        f.1 = bytes;
    }
    Ok(report)
}
