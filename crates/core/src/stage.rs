//! Writing a built bundle (feature `build`): every file serialised and
//! hashed once, here, then staged in the bundle folder's
//! [`Publication`](crate::publish::Publication).
//!
//! The build's stages are values, each made from the one before
//! (`docs/pipeline.md`): a [`Bundle`] (typed, from
//! [`Bundle::from_feed`](crate::build::Bundle::from_feed); the documents
//! step adds to it) is consumed by [`stage_bundle`], which returns a
//! [`StagedBundle`]: the typed data the static pages are rendered from, the
//! manifest with its content hash, and what was written. The
//! [`Publication`](crate::publish::Publication) computes each file's digest
//! as it stages it; the content hash is made from those digests
//! ([`content_hash`]), so no file is read or hashed twice, and a staged
//! file's bytes are dropped at once: the serialised bundle is never in memory
//! whole. [`build_bundle`] and [`Bundle::serialise`] go through the same
//! function into memory instead, for tests and tools.

use crate::build::{
    BuildError, BuildOptions, BuildSink, BuildWarning, Bundle, BundleArticle, GOV_BADGE_FORMATS,
};
use crate::bundle::{
    content_hash, item_path, list_path, BundleFile, ListPage, Manifest, Variant, MANIFEST_FILE,
};
use crate::feed::Feed;
use crate::library::{FACETS_PATH, INDEX_PATH};
use crate::publish::{Publication, STATE_DIR};
use crate::subscribe::SiteUrls;
use rayon::prelude::*;
use std::io;
use std::path::Path;

/// The bundle's files that a commit moves into place after all others: the
/// manifest, which names the content hash every other file is fetched with.
pub const BUNDLE_LAST: [&str; 1] = [MANIFEST_FILE];

/// A bundle whose files are staged: what the steps after staging read.
#[derive(Debug, Clone, PartialEq)]
pub struct StagedBundle {
    /// The manifest as written, with its content hash.
    pub manifest: Manifest,
    /// Every list page of every variant.
    pub lists: Vec<(Variant, ListPage)>,
    /// Every article in display order, with its downloads.
    pub articles: Vec<BundleArticle>,
    /// The 政策文件库's files (`library/`), which the static pages read.
    pub library: Vec<BundleFile>,
    /// The build's warnings.
    pub warnings: Vec<BuildWarning>,
    /// Number of list pages of one variant, over all lists.
    pub list_pages: usize,
    /// Files written, the manifest and the documents included.
    pub files: usize,
    /// Their bytes (the documents' not counted).
    pub bytes: u64,
    /// Each item's line of the next build's table ([`crate::rebuild`]).
    pub item_digests: Vec<crate::rebuild::TableEntry>,
    /// Articles whose bodies were taken from the previous build.
    pub reused: usize,
    /// The build's private files for the next build (path relative to the
    /// bundle folder, in its state folder: the search index's base,
    /// [`crate::search::BASE_PATH`]): not staged, not served, not in the
    /// content hash; [`write_state`] writes them after the commit.
    pub state: Vec<BundleFile>,
}

impl StagedBundle {
    /// The 简体 list pages in order: `all`, then each column.
    pub fn list_pages(&self, variant: Variant) -> impl Iterator<Item = &ListPage> {
        self.lists
            .iter()
            .filter(move |(v, _)| *v == variant)
            .map(|(_, p)| p)
    }

    /// The bundle's library file at `path`, if it has it.
    pub fn library_file(&self, path: &str) -> Option<&[u8]> {
        self.library
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| b.as_slice())
    }
}

/// Serialises, hashes and stages every file of `bundle` in `publication`
/// (the bundle's folder), in parallel, the manifest with its content hash
/// last. Nothing served changes until the caller commits it with the
/// manifest last ([`BUNDLE_LAST`]).
pub fn stage_bundle(publication: &Publication, bundle: Bundle) -> Result<StagedBundle, BuildError> {
    write_bundle(bundle, |path, bytes| {
        Ok(publication.stage(path, &bytes)?.digest)
    })
}

/// Serialises every file of `bundle` and hands it to `write`, which returns
/// its [`digest`](crate::publish::digest): the lists and articles on every
/// core, then the parts, then the manifest with the content hash of all
/// of them and of [`Bundle::documents`]. The one place files are serialised.
pub fn write_bundle<F>(bundle: Bundle, write: F) -> Result<StagedBundle, BuildError>
where
    F: Fn(&str, Vec<u8>) -> Result<u128, BuildError> + Sync,
{
    write_rest(bundle, Vec::new(), &write)
}

/// A file handed on: path, digest, size.
type Written = (String, u128, u64);

/// [`write_bundle`], after the files in `written` (already staged by a
/// [`Stager`]): their digests are part of the content hash.
fn write_rest<F>(
    bundle: Bundle,
    mut written: Vec<Written>,
    write: &F,
) -> Result<StagedBundle, BuildError>
where
    F: Fn(&str, Vec<u8>) -> Result<u128, BuildError> + Sync,
{
    let Bundle {
        mut manifest,
        lists,
        articles,
        parts,
        documents,
        warnings,
        list_pages,
        item_digests,
        reused,
    } = bundle;
    let put = |path: String, bytes: Vec<u8>| -> Result<Written, BuildError> {
        let size = bytes.len() as u64;
        let digest = write(&path, bytes)?;
        Ok((path, digest, size))
    };
    let list_files: Vec<Written> = lists
        .par_iter()
        .map(|(variant, page)| {
            let path = list_path(*variant, &page.gov.list, page.gov.page);
            let bytes = to_json(&path, page)?;
            put(path, bytes)
        })
        .collect::<Result<_, _>>()?;
    written.extend(list_files);
    written.extend(article_files(&articles, write)?);
    let library: Vec<BundleFile> = parts
        .iter()
        .filter(|(p, _)| [FACETS_PATH, INDEX_PATH].contains(&p.as_str()))
        .cloned()
        .collect();
    let (state, parts): (Vec<BundleFile>, Vec<BundleFile>) =
        parts.into_iter().partition(|(p, _)| is_state(p));
    let staged_parts: Vec<Written> = parts
        .into_par_iter()
        .map(|(path, bytes)| put(path, bytes))
        .collect::<Result<_, _>>()?;
    written.extend(staged_parts);

    let mut digests: Vec<(String, u128)> = written
        .iter()
        .map(|(p, d, _)| (p.clone(), *d))
        .chain(documents.iter().cloned())
        .collect();
    manifest.content_hash = content_hash(&mut digests);
    let bytes = to_json(MANIFEST_FILE, &manifest)?;
    let manifest_bytes = bytes.len() as u64;
    write(MANIFEST_FILE, bytes)?;
    Ok(StagedBundle {
        manifest,
        lists,
        articles,
        library,
        warnings,
        list_pages,
        files: written.len() + documents.len() + 1,
        bytes: written.iter().map(|(_, _, s)| s).sum::<u64>() + manifest_bytes,
        item_digests,
        reused,
        state,
    })
}

/// A path in the bundle folder's state folder (not a bundle file).
fn is_state(path: &str) -> bool {
    path.split('/').next() == Some(STATE_DIR)
}

/// Removes the state files a build writes ([`StagedBundle::state`]) from
/// bundle folder `dir`, before a commit changes the bundle they describe:
/// a build stopped in between leaves none, and the next one builds the
/// search index whole.
pub fn remove_state(dir: &Path) -> io::Result<()> {
    let path = dir.join(crate::search::BASE_PATH);
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Writes `staged`'s state files into bundle folder `dir` (after its
/// commit), each through a temporary file renamed into place.
pub fn write_state(dir: &Path, staged: &StagedBundle) -> io::Result<()> {
    for (rel, bytes) in &staged.state {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)?;
    }
    Ok(())
}

/// Serialises the article files of `articles` (every variant) on every
/// core and hands each to `write`.
fn article_files<F>(articles: &[BundleArticle], write: &F) -> Result<Vec<Written>, BuildError>
where
    F: Fn(&str, Vec<u8>) -> Result<u128, BuildError> + Sync,
{
    let files: Vec<Vec<Written>> = articles
        .par_iter()
        .map(|a| {
            a.variants()
                .map(|(variant, article)| {
                    let path = item_path(variant, &article.item.id);
                    let bytes = to_json(&path, article)?;
                    let size = bytes.len() as u64;
                    Ok((path.clone(), write(&path, bytes)?, size))
                })
                .collect::<Result<Vec<_>, BuildError>>()
        })
        .collect::<Result<_, _>>()?;
    Ok(files.into_iter().flatten().collect())
}

/// The [`BuildSink`] of a build in bounded memory
/// ([`Bundle::stream`]): stages each batch of articles and each search
/// file in the publication as it comes and keeps only their digests, then
/// ([`Stager::finish`]) the rest of the bundle and the manifest, whose
/// content hash covers them all. The same files, byte for byte, as
/// [`stage_bundle`] of [`Bundle::rebuild`].
pub struct Stager<'p> {
    publication: &'p Publication,
    written: Vec<Written>,
    state: Vec<BundleFile>,
}

impl<'p> Stager<'p> {
    /// A stager into `publication`. The staged bundle it makes holds no
    /// article: a step that needs them sees each batch before it is
    /// staged (the static pages: a [`BuildSink`] around this one).
    pub fn new(publication: &'p Publication) -> Self {
        Stager {
            publication,
            written: Vec::new(),
            state: Vec::new(),
        }
    }

    fn write(&self) -> impl Fn(&str, Vec<u8>) -> Result<u128, BuildError> + Sync + 'p {
        let publication = self.publication;
        move |path: &str, bytes: Vec<u8>| Ok(publication.stage(path, &bytes)?.digest)
    }

    /// Stages the rest of `bundle` (what [`Bundle::stream`] returned, with
    /// any change made to it since), the manifest last.
    pub fn finish(self, bundle: Bundle) -> Result<StagedBundle, BuildError> {
        let write = self.write();
        let mut staged = write_rest(bundle, self.written, &write)?;
        staged.state.extend(self.state);
        Ok(staged)
    }
}

impl BuildSink for Stager<'_> {
    fn articles(&mut self, batch: Vec<BundleArticle>) -> Result<(), BuildError> {
        let files = article_files(&batch, &self.write())?;
        self.written.extend(files);
        Ok(())
    }

    fn file(&mut self, path: String, bytes: Vec<u8>) -> Result<(), BuildError> {
        if is_state(&path) {
            self.state.push((path, bytes));
            return Ok(());
        }
        let size = bytes.len() as u64;
        let digest = self.publication.stage(&path, &bytes)?.digest;
        self.written.push((path, digest, size));
        Ok(())
    }
}

/// A built bundle serialised in memory ([`Bundle::serialise`]): for tests,
/// benchmarks and tools that read files rather than write them.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildOutput {
    /// Every file: path relative to the bundle root and content, sorted by path.
    pub files: Vec<BundleFile>,
    /// Things the feed's author should know, e.g. what the sanitiser removed.
    pub warnings: Vec<BuildWarning>,
    /// The manifest, also present serialised in `files`.
    pub manifest: Manifest,
    /// Number of list pages of one variant, over all lists.
    pub list_pages: usize,
}

impl BuildOutput {
    /// Total size of all files in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|(_, b)| b.len() as u64).sum()
    }

    /// The content of the file at `path`, if the bundle has it.
    pub fn file(&self, path: &str) -> Option<&[u8]> {
        self.files
            .binary_search_by(|(p, _)| p.as_str().cmp(path))
            .ok()
            .map(|i| self.files[i].1.as_slice())
    }
}

/// Builds every file of the bundle in memory, without subscription feeds
/// (they need the site's URL: [`build_bundle_with`]), serialised.
pub fn build_bundle(feed: &Feed, opts: &BuildOptions) -> Result<BuildOutput, BuildError> {
    build_bundle_with(feed, opts, None)
}

/// Builds every file of the bundle in memory, serialised, with the
/// subscription feeds (`feeds/`, [`crate::subscribe`]) when `site` says
/// where the site is.
pub fn build_bundle_with(
    feed: &Feed,
    opts: &BuildOptions,
    site: Option<&SiteUrls>,
) -> Result<BuildOutput, BuildError> {
    Bundle::from_feed(feed, opts, site)?.serialise()
}

impl Bundle {
    /// Every file serialised in memory, with the manifest and its content
    /// hash, sorted by path (the same bytes [`stage_bundle`]
    /// writes).
    pub fn serialise(self) -> Result<BuildOutput, BuildError> {
        let files = std::sync::Mutex::new(Vec::new());
        let staged = write_bundle(self, |path, bytes| {
            let digest = crate::publish::digest(&bytes);
            files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((path.to_owned(), bytes));
            Ok(digest)
        })?;
        let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(BuildOutput {
            files,
            warnings: staged.warnings,
            manifest: staged.manifest,
            list_pages: staged.list_pages,
        })
    }
}

/// For a bundle folder written before gongkai kept a record of its files:
/// the names a build writes (the manifest, the variants' lists and articles,
/// the search index, the documents' cache), so that the first recorded build
/// removes the ones it no longer writes and nothing else. The Word and PDF
/// files are adopted from that cache by the documents step.
pub fn legacy_bundle_file(rel: &str) -> bool {
    let rel = ["gz", "br"]
        .iter()
        .find_map(|ext| rel.strip_suffix(&format!(".{ext}")[..]))
        .unwrap_or(rel);
    let in_variant = [Variant::Hans, Variant::Hant].iter().any(|v| {
        rel.strip_prefix(v.as_str())
            .and_then(|r| r.strip_prefix('/'))
            .is_some_and(|r| {
                (r.starts_with("list/") || r.starts_with("items/")) && r.ends_with(".json")
            })
    });
    let search = rel
        .strip_prefix("search/")
        .is_some_and(|r| r.ends_with(".bin") || r.ends_with(".json"));
    in_variant
        || search
        || rel == MANIFEST_FILE
        || rel == "manifest.json.tmp"
        || rel
            .strip_prefix("gov-badge.")
            .is_some_and(|ext| GOV_BADGE_FORMATS.contains(&ext))
}

/// A file's JSON.
fn to_json<T: serde::Serialize>(path: &str, value: &T) -> Result<Vec<u8>, BuildError> {
    serde_json::to_vec(value).map_err(|source| BuildError::Json {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_bundle_names() {
        for ours in [
            "manifest.json",
            "manifest.json.br",
            "zh-Hans/list/all/1.json",
            "zh-Hant/items/a.json.gz",
            "search/index.json",
            "search/shard/3.bin",
            "search/docs-hant/0.json",
        ] {
            assert!(legacy_bundle_file(ours), "{ours}");
        }
        for theirs in [
            "search/index.html",
            "files/zh-Hans/report-2023.pdf",
            "zh-Hans/notes.txt",
            "portal.json",
            "zh-Hans/list/all/1.json.bak",
        ] {
            assert!(!legacy_bundle_file(theirs), "{theirs}");
        }
    }
}
