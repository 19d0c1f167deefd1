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
//! [`write_documents`] reads every article of a typed
//! [`Bundle`](gongkai_core::build::Bundle) (so the 繁體 text is the build's
//! own conversion), stages the documents straight to disk through the
//! bundle's [`Publication`] (10,000 notices' PDFs would not fit comfortably
//! in memory, and nothing is served before the commit), adds [`Download`]
//! entries to the articles and lists the documents in
//! [`Bundle::documents`](gongkai_core::build::Bundle::documents) for the
//! content hash, which the staging step computes. Documents whose article
//! file, generator and font are unchanged are not made again. Native only:
//! the app never links this crate.
//!
//! See `docs/downloads.md` for the design, the font and its licence.

pub mod docx;
pub mod font;
pub mod html;
pub mod notice;
pub mod pdf;

pub use font::{Font, FontError, DEFAULT_FONT};
pub use notice::Notice;

use gongkai_core::build::Bundle;
use gongkai_core::bundle::{
    download_path, item_path, ArticleFile, Download, DownloadKind, Fnv1a, Manifest, Variant,
    FILES_DIR,
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
    /// An article could not be serialised (for the key of its documents).
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

/// One article's documents, made or kept.
struct Made {
    docs: Vec<(String, CacheEntry, bool)>,
    warnings: Vec<DocWarning>,
}

/// What every article's documents share: the publication, the old cache,
/// the options and the manifest.
struct Context<'a> {
    publication: &'a Publication,
    cache: &'a Cache,
    opts: &'a DocOptions<'a>,
    manifest: &'a Manifest,
}

/// Stages the documents of every article of `bundle` under `files/` of the
/// bundle's publication, adds them to the article files' `downloads` and
/// to [`Bundle::documents`] (for the content hash the staging step
/// computes). Call it after the bundle is built and before it is staged:
/// [`stage_bundle`](gongkai_core::stage::stage_bundle) consumes the bundle.
pub fn write_documents(
    publication: &Publication,
    bundle: &mut Bundle,
    opts: &DocOptions<'_>,
) -> Result<DocsReport, DocsError> {
    let cache_rel = format!("{FILES_DIR}/{CACHE_FILE}");
    let cache = read_cache(&publication.root().join(&cache_rel));
    // A bundle folder from before the record of owned files: the cache
    // says which documents the earlier build made.
    for rel in cache.keys() {
        publication.adopt_legacy(rel);
    }
    let manifest = bundle.manifest.clone();
    let cx = Context {
        publication,
        cache: &cache,
        opts,
        manifest: &manifest,
    };
    let made: Vec<Made> = bundle
        .articles
        .par_iter_mut()
        .flat_map_iter(|a| a.variants_mut().collect::<Vec<_>>())
        .map(|(variant, article)| cx.article(variant, article))
        .collect::<Result<_, _>>()?;

    let mut report = DocsReport::default();
    let mut new_cache = Cache::new();
    for m in made {
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
    // The content hash covers the documents too, by their own hash, so a
    // changed PDF of the same size still gets a new `?v=`.
    bundle.documents.extend(new_cache.iter().map(|(p, e)| {
        (
            p.clone(),
            u128::from(u64::from_str_radix(&e.hash, 16).unwrap_or(0)),
        )
    }));
    Ok(report)
}

impl Context<'_> {
    /// The documents of one article file: kept when the cache vouches for
    /// the served file, else made and staged; each becomes a download of
    /// the article.
    fn article(&self, variant: Variant, article: &mut ArticleFile) -> Result<Made, DocsError> {
        let id = article.item.id.clone();
        article.downloads.clear();
        // The article as its file holds it before the downloads are added:
        // what the documents are made from.
        let path = item_path(variant, &id);
        let bytes = serde_json::to_vec(&*article).map_err(|source| DocsError::Json {
            path: path.clone(),
            source,
        })?;
        let font_id = self
            .opts
            .fonts
            .map_or("none".to_owned(), |f| f.get(variant).fingerprint.clone());
        let key = fnv(&[
            GENERATOR_VERSION.as_bytes(),
            &bytes,
            font_id.as_bytes(),
            self.manifest.site_text(variant).site_name.as_bytes(),
            self.manifest
                .home_page_url
                .as_deref()
                .unwrap_or("")
                .as_bytes(),
        ]);
        let mut notice = None;
        let mut docs = Vec::new();
        let mut warnings = Vec::new();
        for kind in [DownloadKind::Docx, DownloadKind::Pdf] {
            if has_attachment(article, kind) {
                continue;
            }
            let font = match kind {
                DownloadKind::Pdf => match self.opts.fonts {
                    Some(f) => Some(f.get(variant)),
                    None => continue,
                },
                DownloadKind::Docx => None,
            };
            let rel = download_path(variant, &id, kind);
            let (entry, fresh) = match self.kept(&rel, &key)? {
                Some(c) => (c, false),
                None => {
                    let n = notice.get_or_insert_with(|| {
                        Notice::from_article(
                            article,
                            variant,
                            &self.manifest.site_text(variant).site_name,
                            self.manifest.home_page_url.as_deref(),
                        )
                    });
                    (self.make(&rel, n, font, &key)?, true)
                }
            };
            if !entry.missing.is_empty() {
                warnings.push(missing_glyphs(&id, &rel, &entry.missing));
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
        Ok(Made { docs, warnings })
    }

    /// The cache's entry for `rel` if it was made from `key` and the served
    /// file is still the one it made (then kept as it is).
    fn kept(&self, rel: &str, key: &str) -> Result<Option<CacheEntry>, DocsError> {
        let dest = self.publication.root().join(rel);
        let cached = self
            .cache
            .get(rel)
            .filter(|c| c.key == key && std::fs::metadata(&dest).is_ok_and(|m| m.len() == c.size));
        Ok(match cached {
            Some(c) => self.publication.keep(rel)?.then(|| c.clone()),
            None => None,
        })
    }

    /// Makes one document (Word, or PDF with `font`) and stages it.
    fn make(
        &self,
        rel: &str,
        notice: &Notice,
        font: Option<&Font>,
        key: &str,
    ) -> Result<CacheEntry, DocsError> {
        let (data, missing) = match font {
            None => (docx::write(notice), String::new()),
            Some(font) => {
                let (data, info) = pdf::write(notice, font).map_err(|message| DocsError::Pdf {
                    path: rel.to_owned(),
                    message,
                })?;
                (data, info.missing.into_iter().collect())
            }
        };
        self.publication.stage(rel, &data)?;
        Ok(CacheEntry {
            key: key.to_owned(),
            size: data.len() as u64,
            missing,
            hash: fnv(&[&data]),
        })
    }
}

/// The warning for characters the PDF font lacks.
fn missing_glyphs(id: &str, rel: &str, missing: &str) -> DocWarning {
    let list: Vec<String> = missing
        .chars()
        .map(|c| format!("{c:?} U+{:04X}", c as u32))
        .collect();
    DocWarning {
        id: id.to_owned(),
        path: rel.to_owned(),
        message: format!(
            "no glyph in the font for {} (shown as an empty box)",
            list.join(", ")
        ),
    }
}
