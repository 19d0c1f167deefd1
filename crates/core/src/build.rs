//! Building a bundle from a feed (feature `build`).
//!
//! [`build_bundle`] computes every file in memory, so it is deterministic and
//! easy to test; [`stage_bundle`] hands them to a [`Publication`], which
//! puts them on disk without ever serving half a build. See [`crate::bundle`] for
//! the layout and `docs/bundle-format.md` for the why.
//!
//! ```
//! # use gongkai_core::{build::{build_bundle, BuildOptions}, validate::check};
//! let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "t",
//!   "_gov": {"site_name": "s", "department": "d", "columns": [{"id": "zn", "name": "指南"}],
//!            "login_url": "https://x.cn/l", "register_url": "https://x.cn/r"},
//!   "items": [{"id": "a", "title": "t", "content_text": "x", "date_published": "2023-01-01T00:00:00Z",
//!              "_gov": {"index_no": "a/2023-00001", "publisher": "p", "category": "zn"}}]}"#;
//! let feed = check(json).feed.unwrap();
//! let out = build_bundle(&feed, &BuildOptions::default()).unwrap();
//! assert_eq!(out.manifest.item_count, 1);
//! assert!(out.file("zh-Hans/items/a.json").is_some());
//! assert!(out.file("zh-Hant/items/a.json").is_some());
//! ```

use crate::bundle::{
    item_path, list_path, page_count, ArticleFile, ColumnInfo, ListGov, ListItem, ListItemGov,
    ListPage, Manifest, Neighbour, SiteText, Variant, ALL_LIST, BUNDLE_FORMAT, GOV_BADGE_FILE,
    MANIFEST_FILE, PAGE_SIZE,
};
use crate::convert::{s2t, ToHant};
use crate::date::{format_rfc3339_utc, parse_rfc3339, DateError};
use crate::feed::{Column, Feed, Item, JSON_FEED_VERSION};
use crate::html::nesting::{max_depth, TooDeep, MAX_DEPTH};
use crate::publish::{Publication, PublishError};
use crate::sanitize::{accessible_tables, sanitize, text_to_html};
use crate::validate::{is_column_id, is_item_id, MAX_BODY_BYTES};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The 党政机关网站标识 written as [`GOV_BADGE_FILE`]: a stand-in drawn for
/// gongkai (`public/gov-badge.svg`), to be replaced by the official image
/// the site received with its registration (docs/compliance.md).
pub const GOV_BADGE_SVG: &[u8] = include_bytes!("../../../public/gov-badge.svg");

/// A file of the bundle: path relative to the bundle root, and content.
pub type BundleFile = (String, Vec<u8>);

/// Settings of a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BuildOptions {
    /// Build time in unix seconds, written to the manifest as `built_at`.
    /// Passed in (rather than read from the clock) so that builds are reproducible.
    pub built_at: i64,
    /// Whether to write the 繁體 variant (`zh-Hant/`) beside the 简体 one.
    pub hant: HantVariant,
}

/// Whether a build writes the 繁體 variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HantVariant {
    /// Convert every list and article to traditional characters (OpenCC
    /// `s2t`, see [`crate::convert`]) into `zh-Hant/`.
    #[default]
    Convert,
    /// Only `zh-Hans/` (`gongkai build --no-hant`).
    Skip,
}

impl HantVariant {
    /// `convert` or `skip`.
    pub fn as_str(self) -> &'static str {
        match self {
            HantVariant::Convert => "convert",
            HantVariant::Skip => "skip",
        }
    }
}

/// A built bundle, in memory.
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

/// A warning about one item found while building.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildWarning {
    /// 0-based position of the item in the feed.
    pub index: usize,
    /// The item's id.
    pub id: String,
    /// The field concerned, e.g. `content_html`.
    pub field: String,
    /// What happened.
    pub message: String,
}

impl fmt::Display for BuildWarning {
    /// `warning: items[3] (id "x"): content_html: sanitised, removed <script> element`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning: items[{}] (id {:?}): {}: {}",
            self.index, self.id, self.field, self.message
        )
    }
}

/// Why a bundle could not be built or written. Feeds that passed
/// [`crate::validate::check`] only fail on I/O.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// An item or column id is not usable as a file name.
    #[error("id {0:?} cannot be used as a file name")]
    BadId(String),
    /// Two items share an id, or ids differing only in case.
    #[error("duplicate item id {0:?} (ids are compared ignoring case)")]
    DuplicateId(String),
    /// A body is longer than [`MAX_BODY_BYTES`].
    #[error("item {id:?}: the body is {bytes} bytes, more than {MAX_BODY_BYTES}")]
    BodyTooLarge {
        /// Item id.
        id: String,
        /// The body's length.
        bytes: usize,
    },
    /// A body's elements nest deeper than [`MAX_DEPTH`].
    #[error("item {id:?}: content_html: {source}")]
    TooDeep {
        /// Item id.
        id: String,
        /// Where.
        source: TooDeep,
    },
    /// An item's `date_published` is not RFC 3339.
    #[error("item {id:?}: invalid date_published: {source}")]
    BadDate {
        /// Item id.
        id: String,
        /// The date problem.
        source: DateError,
    },
    /// An item's category is not a site column.
    #[error("item {id:?}: unknown column {category:?}")]
    UnknownColumn {
        /// Item id.
        id: String,
        /// The unknown column id.
        category: String,
    },
    /// The feed has more items than the search index can number.
    #[error("the feed has {count} items; a bundle holds at most {max}")]
    TooManyItems {
        /// Items in the feed.
        count: usize,
        /// [`crate::search::index::MAX_DOCS`].
        max: usize,
    },
    /// Serialising a file failed.
    #[error("could not serialise {path}: {source}")]
    Json {
        /// Bundle path.
        path: String,
        /// The serde error.
        source: serde_json::Error,
    },
    /// Staging or committing the bundle's files failed.
    #[error(transparent)]
    Publish(#[from] PublishError),
}

/// 64-bit FNV-1a: fast, dependency-free, good enough to tell bundles apart.
/// Not for security: it only busts caches.
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    /// Feeds bytes into the hash.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// The hash so far.
    pub fn finish(self) -> u64 {
        self.0
    }
}

/// The content hash of a set of files: FNV-1a over each path, its length and
/// its content, in the given order, as 16 hex digits.
pub fn content_hash<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut h = Fnv1a::default();
    for (path, bytes) in files {
        h.write(path.as_bytes());
        h.write(&[0]);
        h.write(&(bytes.len() as u64).to_le_bytes());
        h.write(bytes);
    }
    format!("{:016x}", h.finish())
}

/// Builds every file of the bundle in memory.
pub fn build_bundle(feed: &Feed, opts: &BuildOptions) -> Result<BuildOutput, BuildError> {
    let variant = Variant::Hans;
    let columns: HashMap<&str, &Column> = feed
        .gov
        .columns
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect();

    // Check what the file layout relies on, in case the feed skipped `check`.
    if feed.items.len() > crate::search::index::MAX_DOCS {
        return Err(BuildError::TooManyItems {
            count: feed.items.len(),
            max: crate::search::index::MAX_DOCS,
        });
    }
    if let Some(c) = feed.gov.columns.iter().find(|c| !is_column_id(&c.id)) {
        return Err(BuildError::BadId(c.id.clone()));
    }
    // By lower case: ids differing only in case are one file on Windows and macOS.
    let mut ids = HashSet::new();
    let mut keys = Vec::with_capacity(feed.items.len());
    for (i, item) in feed.items.iter().enumerate() {
        if !is_item_id(&item.id) {
            return Err(BuildError::BadId(item.id.clone()));
        }
        if !ids.insert(item.id.to_ascii_lowercase()) {
            return Err(BuildError::DuplicateId(item.id.clone()));
        }
        check_body(item)?;
        if !columns.contains_key(item.gov.category.as_str()) {
            return Err(BuildError::UnknownColumn {
                id: item.id.clone(),
                category: item.gov.category.clone(),
            });
        }
        let t = parse_rfc3339(&item.date_published).map_err(|source| BuildError::BadDate {
            id: item.id.clone(),
            source,
        })?;
        keys.push((t.sort_key(), i));
    }

    // Newest first; equal times by id so the order never depends on the feed's.
    keys.sort_by(|(ka, a), (kb, b)| {
        kb.cmp(ka)
            .then_with(|| feed.items[*a].id.cmp(&feed.items[*b].id))
    });
    let order: Vec<usize> = keys.into_iter().map(|(_, i)| i).collect();

    let mut by_column: HashMap<&str, Vec<usize>> = HashMap::new();
    for &i in &order {
        by_column
            .entry(feed.items[i].gov.category.as_str())
            .or_default()
            .push(i);
    }
    // Neighbours within the column: (newer, older).
    let mut neighbours: Vec<(Option<usize>, Option<usize>)> = vec![(None, None); feed.items.len()];
    for list in by_column.values() {
        for (pos, &i) in list.iter().enumerate() {
            let newer = pos.checked_sub(1).map(|p| list[p]);
            let older = list.get(pos + 1).copied();
            neighbours[i] = (newer, older);
        }
    }

    let mut files: Vec<BundleFile> = Vec::new();
    let mut list_pages = 0;
    let hant = opts.hant == HantVariant::Convert;
    // 繁體 rows, converted once per item: each item is in two lists.
    let hant_rows: Vec<ListItem> = if hant {
        feed.items
            .par_iter()
            .map(|item| list_item(item, columns[item.gov.category.as_str()]).to_hant())
            .collect()
    } else {
        Vec::new()
    };

    // List pages: all, then each column.
    let mut lists: Vec<(&str, &str, &[usize])> =
        vec![(ALL_LIST, feed.gov.section.as_str(), &order)];
    for c in &feed.gov.columns {
        let items = by_column.get(c.id.as_str()).map_or(&[][..], Vec::as_slice);
        lists.push((c.id.as_str(), c.name.as_str(), items));
    }
    for (list, name, items) in lists {
        let pages = page_count(items.len());
        for page in 1..=pages {
            let chunk = items.chunks(PAGE_SIZE).nth(page - 1).unwrap_or(&[]);
            let lp = ListPage {
                version: JSON_FEED_VERSION.to_owned(),
                title: format!("{name} - 第 {page} 页"),
                home_page_url: feed.home_page_url.clone(),
                next_url: (page < pages).then(|| format!("{}.json", page + 1)),
                items: chunk
                    .iter()
                    .map(|&i| {
                        list_item(&feed.items[i], columns[feed.items[i].gov.category.as_str()])
                    })
                    .collect(),
                gov: ListGov {
                    list: list.to_owned(),
                    page,
                    pages,
                    total: items.len(),
                },
            };
            if hant {
                let lp = ListPage {
                    title: lp.title.to_hant(),
                    items: chunk.iter().map(|&i| hant_rows[i].clone()).collect(),
                    ..lp.clone()
                };
                let path = list_path(Variant::Hant, list, page);
                let bytes = to_json(&path, &lp)?;
                files.push((path, bytes));
            }
            let path = list_path(variant, list, page);
            let bytes = to_json(&path, &lp)?;
            files.push((path, bytes));
            list_pages += 1;
        }
    }

    // Articles: sanitising dominates the build, so run it on every core.
    #[allow(clippy::type_complexity)]
    let articles: Vec<Result<(Vec<BundleFile>, Option<BuildWarning>, String), BuildError>> = order
        .par_iter()
        .map(|&i| {
            let item = &feed.items[i];
            let (html, warning) = body(i, item);
            // The search index reads the text a reader sees: the sanitised body.
            let text = crate::search::html_to_text(&html);
            let neighbour = |j: Option<usize>| {
                j.map(|j| Neighbour {
                    id: feed.items[j].id.clone(),
                    title: feed.items[j].title.clone(),
                })
            };
            let article = ArticleFile {
                version: JSON_FEED_VERSION.to_owned(),
                item: Item {
                    content_html: Some(html),
                    ..item.clone()
                },
                column: columns[item.gov.category.as_str()].clone(),
                prev: neighbour(neighbours[i].0),
                next: neighbour(neighbours[i].1),
                downloads: Vec::new(),
            };
            let path = item_path(variant, &item.id);
            let bytes = to_json(&path, &article)?;
            let mut out = vec![(path, bytes)];
            if hant {
                let path = item_path(Variant::Hant, &item.id);
                let bytes = to_json(&path, &article.to_hant())?;
                out.push((path, bytes));
            }
            Ok((out, warning, text))
        })
        .collect();
    let mut warnings = Vec::new();
    let mut texts = Vec::with_capacity(order.len());
    for a in articles {
        let (article_files, warning, text) = a?;
        files.extend(article_files);
        warnings.extend(warning);
        texts.push(text);
    }
    files.extend(search_files(feed, &order, &texts, hant));
    warnings.sort_by_key(|w| w.index);
    let apply = feed.gov.apply.clone().map(|mut a| {
        a.notes = a.notes.as_deref().map(|n| sanitize(n).html);
        a
    });
    let badge = feed
        .gov
        .footer
        .as_ref()
        .is_some_and(|f| f.gov_badge_url.is_some());
    if badge {
        files.push((GOV_BADGE_FILE.to_owned(), GOV_BADGE_SVG.to_vec()));
    }

    files.sort_by(|a, b| a.0.cmp(&b.0));
    let hash = content_hash(files.iter().map(|(p, b)| (p.as_str(), b.as_slice())));

    let mut manifest = Manifest {
        format: BUNDLE_FORMAT,
        title: feed.title.clone(),
        site_name: feed.gov.site_name.clone(),
        department: feed.gov.department.clone(),
        section: feed.gov.section.clone(),
        login_url: feed.gov.login_url.clone(),
        register_url: feed.gov.register_url.clone(),
        home_page_url: feed.home_page_url.clone(),
        columns: feed
            .gov
            .columns
            .iter()
            .map(|c| ColumnInfo::from((c, by_column.get(c.id.as_str()).map_or(0, Vec::len))))
            .collect(),
        item_count: feed.items.len(),
        pages: page_count(feed.items.len()),
        page_size: PAGE_SIZE,
        variants: vec![variant.as_str().to_owned()],
        built_at: format_rfc3339_utc(opts.built_at),
        content_hash: hash,
        localized: Default::default(),
        apply: apply.clone(),
        footer: feed.gov.footer.clone(),
        gov_badge: badge.then(|| GOV_BADGE_FILE.to_owned()),
    };
    if hant {
        manifest.variants.push(Variant::Hant.as_str().to_owned());
        let site = SiteText {
            title: s2t(&feed.title),
            site_name: s2t(&feed.gov.site_name),
            department: s2t(&feed.gov.department),
            section: s2t(&feed.gov.section),
            columns: feed.gov.columns.iter().map(|c| s2t(&c.name)).collect(),
            apply: apply.to_hant(),
            footer: feed.gov.footer.to_hant(),
        };
        manifest
            .localized
            .insert(Variant::Hant.as_str().to_owned(), site);
    }
    let bytes = to_json(MANIFEST_FILE, &manifest)?;
    files.push((MANIFEST_FILE.to_owned(), bytes));
    files.sort_by(|a, b| a.0.cmp(&b.0));

    Ok(BuildOutput {
        files,
        warnings,
        manifest,
        list_pages,
    })
}

/// Stages every file of a built bundle into `publication` (the bundle's
/// folder), in parallel. Nothing served changes until the caller commits it
/// with the manifest last ([`BUNDLE_LAST`]).
pub fn stage_bundle(publication: &Publication, out: &BuildOutput) -> Result<(), BuildError> {
    out.files
        .par_iter()
        .try_for_each(|(p, bytes)| publication.stage(p, bytes).map(drop))
        .map_err(BuildError::Publish)
}

/// The bundle's files that a commit moves into place after all others: the
/// manifest, which names the content hash every other file is fetched with.
pub const BUNDLE_LAST: [&str; 1] = [MANIFEST_FILE];

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

/// The image formats the 党政机关网站标识 may come in (file extensions).
pub const GOV_BADGE_FORMATS: [&str; 4] = ["svg", "png", "gif", "jpg"];

/// Puts `bytes` (an image in format `ext`, one of [`GOV_BADGE_FORMATS`]) in
/// place of the stand-in 党政机关网站标识 as `gov-badge.<ext>`, and updates
/// the manifest and its content hash. `Ok(false)`: the footer shows no
/// badge (no `gov_badge_url`), nothing changed.
pub fn replace_gov_badge(
    out: &mut BuildOutput,
    ext: &str,
    bytes: Vec<u8>,
) -> Result<bool, BuildError> {
    let Some(old) = out.manifest.gov_badge.clone() else {
        return Ok(false);
    };
    let name = format!("gov-badge.{ext}");
    out.files.retain(|(p, _)| *p != old && p != MANIFEST_FILE);
    out.files.push((name.clone(), bytes));
    out.files.sort_by(|a, b| a.0.cmp(&b.0));
    out.manifest.gov_badge = Some(name);
    out.manifest.content_hash =
        content_hash(out.files.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    let bytes = to_json(MANIFEST_FILE, &out.manifest)?;
    out.files.push((MANIFEST_FILE.to_owned(), bytes));
    out.files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(true)
}

/// The limits `check` puts on bodies, so that sanitising stays fast.
fn check_body(item: &Item) -> Result<(), BuildError> {
    for body in [&item.content_html, &item.content_text]
        .into_iter()
        .flatten()
    {
        if body.len() > MAX_BODY_BYTES {
            return Err(BuildError::BodyTooLarge {
                id: item.id.clone(),
                bytes: body.len(),
            });
        }
    }
    if let Some(html) = &item.content_html {
        max_depth(html, MAX_DEPTH).map_err(|source| BuildError::TooDeep {
            id: item.id.clone(),
            source,
        })?;
    }
    Ok(())
}

/// The sanitised body of an item and a warning if anything was removed.
fn body(index: usize, item: &Item) -> (String, Option<BuildWarning>) {
    match (&item.content_html, &item.content_text) {
        (Some(html), _) => {
            let s = sanitize(html);
            let warning = (!s.removed.is_empty()).then(|| BuildWarning {
                index,
                id: item.id.clone(),
                field: "content_html".to_owned(),
                message: format!("sanitised, removed {}", s.removed.join(", ")),
            });
            // Tables become data tables that scroll in their own box.
            (accessible_tables(&s.html), warning)
        }
        (None, Some(text)) => (text_to_html(text), None),
        (None, None) => (String::new(), None),
    }
}

/// The search files (`search/`) for the items in display order; `texts`
/// are their sanitised bodies as plain text; `hant`: the bundle has a
/// `zh-Hant` variant, so result rows need its titles.
fn search_files(feed: &Feed, order: &[usize], texts: &[String], hant: bool) -> Vec<BundleFile> {
    let titles_hant: Vec<Option<String>> = order
        .iter()
        .map(|&i| hant.then(|| feed.items[i].title.to_hant()))
        .collect();
    let dates: Vec<String> = order
        .iter()
        .map(|&i| {
            parse_rfc3339(&feed.items[i].date_published)
                .map(|t| t.beijing_date())
                .unwrap_or_default()
        })
        .collect();
    let docs: Vec<crate::search::SearchDoc<'_>> = order
        .iter()
        .zip(texts)
        .zip(&dates)
        .zip(&titles_hant)
        .map(|(((&i, text), date), title_hant)| {
            let item = &feed.items[i];
            crate::search::SearchDoc {
                id: &item.id,
                title: &item.title,
                title_hant: title_hant.as_deref(),
                summary: item.summary.as_deref(),
                text,
                date,
                column: &item.gov.category,
            }
        })
        .collect();
    crate::search::build_search_index(&docs)
}

fn list_item(item: &Item, column: &Column) -> ListItem {
    ListItem {
        id: item.id.clone(),
        url: item.url.clone(),
        title: item.title.clone(),
        summary: item.summary.clone(),
        date_published: item.date_published.clone(),
        gov: ListItemGov {
            index_no: item.gov.index_no.clone(),
            category: column.id.clone(),
            category_name: column.name.clone(),
            validity: item.gov.validity,
        },
    }
}

fn to_json<T: serde::Serialize>(path: &str, value: &T) -> Result<Vec<u8>, BuildError> {
    serde_json::to_vec(value).map_err(|source| BuildError::Json {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::{ItemGov, SiteGov};
    use serde_json::Map;

    fn item(n: usize, column: &str) -> Item {
        Item {
            id: format!("kjj1-2023-{n:05}"),
            url: None,
            title: format!("通知{n}"),
            content_html: Some(format!("<p>正文{n}</p>")),
            content_text: None,
            summary: None,
            // One notice a day, n = 1 oldest.
            date_published: format_rfc3339_utc(1_672_531_200 + n as i64 * 86_400),
            date_modified: None,
            authors: Vec::new(),
            tags: Vec::new(),
            attachments: Vec::new(),
            gov: ItemGov {
                index_no: format!("kjj1/2023-{n:05}"),
                publisher: "武山县科技局".to_owned(),
                source: None,
                doc_no: None,
                written_date: None,
                category: column.to_owned(),
                keywords: Vec::new(),
                validity: None,
                report_year: None,
                extra: Map::new(),
            },
            extra: Map::new(),
        }
    }

    fn feed(items: Vec<Item>) -> Feed {
        Feed {
            version: JSON_FEED_VERSION.to_owned(),
            title: "科技局 政府信息公开".to_owned(),
            home_page_url: Some("https://www.example.gov.cn/kjj/".to_owned()),
            feed_url: None,
            description: None,
            language: None,
            gov: SiteGov {
                site_name: "甘肃政务服务网-武山".to_owned(),
                department: "科技局".to_owned(),
                section: "政府信息公开".to_owned(),
                columns: vec![
                    Column::new("zn", "政府信息公开指南"),
                    Column::new("fdzdgknr", "法定主动公开内容"),
                ],
                login_url: "https://x.cn/login".to_owned(),
                register_url: "https://x.cn/register".to_owned(),
                apply: None,
                footer: None,
                extra: Map::new(),
            },
            items,
            extra: Map::new(),
        }
    }

    fn n_items(n: usize) -> Vec<Item> {
        (1..=n).map(|i| item(i, "fdzdgknr")).collect()
    }

    fn build(items: Vec<Item>) -> BuildOutput {
        build_bundle(
            &feed(items),
            &BuildOptions {
                built_at: 1_700_000_000,
                ..BuildOptions::default()
            },
        )
        .unwrap()
    }

    fn page(out: &BuildOutput, list: &str, n: usize) -> ListPage {
        let path = list_path(Variant::Hans, list, n);
        let bytes = out.file(&path).unwrap_or_else(|| panic!("{path} missing"));
        serde_json::from_slice(bytes).unwrap()
    }

    fn article(out: &BuildOutput, id: &str) -> ArticleFile {
        serde_json::from_slice(out.file(&item_path(Variant::Hans, id)).unwrap()).unwrap()
    }

    fn ids(p: &ListPage) -> Vec<String> {
        p.items.iter().map(|i| i.id.clone()).collect()
    }

    #[test]
    fn pagination_edges() {
        // (items, pages of `all`, items on the last page)
        for (n, pages, last) in [
            (0, 1, 0),
            (1, 1, 1),
            (20, 1, 20),
            (21, 2, 1),
            (40, 2, 20),
            (41, 3, 1),
        ] {
            let out = build(n_items(n));
            assert_eq!(out.manifest.pages, pages, "{n} items");
            for p in 1..=pages {
                let lp = page(&out, ALL_LIST, p);
                assert_eq!(
                    lp.gov,
                    ListGov {
                        list: "all".into(),
                        page: p,
                        pages,
                        total: n
                    },
                    "{n} items, page {p}"
                );
                let want_len = if p == pages { last } else { PAGE_SIZE };
                assert_eq!(lp.items.len(), want_len, "{n} items, page {p}");
                let want_next = (p < pages).then(|| format!("{}.json", p + 1));
                assert_eq!(lp.next_url, want_next, "{n} items, page {p}");
            }
            assert!(out
                .file(&list_path(Variant::Hans, ALL_LIST, pages + 1))
                .is_none());
        }
    }

    #[test]
    fn list_page_is_a_json_feed() {
        let out = build(n_items(21));
        let v: serde_json::Value =
            serde_json::from_slice(out.file("zh-Hans/list/all/1.json").unwrap()).unwrap();
        assert_eq!(v["version"], JSON_FEED_VERSION);
        assert_eq!(v["title"], "政府信息公开 - 第 1 页");
        assert_eq!(v["next_url"], "2.json");
        assert!(v["items"][0]["id"].is_string() && v["items"][0]["date_published"].is_string());
    }

    #[test]
    fn newest_first_with_ties_broken_by_id() {
        let mut items = n_items(3);
        let mut tie = item(9, "zn");
        tie.date_published = items[2].date_published.clone(); // same instant as item 3
        tie.id = "a-same-time".to_owned();
        // Same instant written with another offset.
        let mut tie2 = item(8, "zn");
        tie2.id = "b-same-time".to_owned();
        tie2.date_published = "2023-01-04T08:00:00+08:00".to_owned();
        assert_eq!(items[2].date_published, "2023-01-04T00:00:00Z");
        items.insert(0, tie2);
        items.push(tie);
        let out = build(items);
        assert_eq!(
            ids(&page(&out, ALL_LIST, 1)),
            [
                "a-same-time",
                "b-same-time",
                "kjj1-2023-00003",
                "kjj1-2023-00002",
                "kjj1-2023-00001"
            ]
        );
    }

    #[test]
    fn column_lists_and_empty_columns() {
        let items = vec![item(1, "zn"), item(2, "fdzdgknr"), item(3, "zn")];
        let out = build(items);
        assert_eq!(
            ids(&page(&out, "zn", 1)),
            ["kjj1-2023-00003", "kjj1-2023-00001"]
        );
        assert_eq!(ids(&page(&out, "fdzdgknr", 1)), ["kjj1-2023-00002"]);
        assert_eq!(page(&out, "zn", 1).title, "政府信息公开指南 - 第 1 页");
        let row = &page(&out, "zn", 1).items[0];
        assert_eq!(
            (row.gov.category.as_str(), row.gov.category_name.as_str()),
            ("zn", "政府信息公开指南")
        );

        let out = build(vec![item(1, "zn")]);
        let empty = page(&out, "fdzdgknr", 1);
        assert_eq!(
            (empty.items.len(), empty.gov.pages, empty.next_url),
            (0, 1, None)
        );
        assert_eq!(
            out.manifest.columns[1],
            ColumnInfo {
                id: "fdzdgknr".into(),
                name: "法定主动公开内容".into(),
                count: 0,
                pages: 1,
                kind: None,
            }
        );
    }

    #[test]
    fn prev_and_next_stay_in_the_column() {
        let items = vec![
            item(1, "zn"),
            item(2, "fdzdgknr"),
            item(3, "zn"),
            item(4, "zn"),
        ];
        let out = build(items);
        let a = article(&out, "kjj1-2023-00003");
        assert_eq!(
            a.prev.map(|n| n.id).as_deref(),
            Some("kjj1-2023-00004"),
            "newer neighbour"
        );
        assert_eq!(
            a.next.as_ref().map(|n| n.id.as_str()),
            Some("kjj1-2023-00001"),
            "older neighbour"
        );
        assert_eq!(a.next.unwrap().title, "通知1");
        let newest = article(&out, "kjj1-2023-00004");
        assert!(newest.prev.is_none());
        let alone = article(&out, "kjj1-2023-00002");
        assert!(alone.prev.is_none() && alone.next.is_none());
        assert_eq!(alone.column.name, "法定主动公开内容");
    }

    #[test]
    fn bodies_are_sanitised_and_reported() {
        let mut a = item(1, "zn");
        a.content_html = Some("<p onclick=\"x()\">正文</p><script>alert(1)</script>".to_owned());
        let mut b = item(2, "zn");
        b.content_html = None;
        b.content_text = Some("第一段\n第二段 <b>".to_owned());
        let out = build(vec![a, b]);
        assert_eq!(
            article(&out, "kjj1-2023-00001")
                .item
                .content_html
                .as_deref(),
            Some("<p>正文</p>")
        );
        assert_eq!(
            article(&out, "kjj1-2023-00002")
                .item
                .content_html
                .as_deref(),
            Some("<p>第一段</p><p>第二段 &lt;b&gt;</p>")
        );
        assert_eq!(out.warnings.len(), 1);
        assert_eq!(
            out.warnings[0].to_string(),
            "warning: items[0] (id \"kjj1-2023-00001\"): content_html: sanitised, removed onclick attribute on <p>, <script> element"
        );
    }

    #[test]
    fn manifest_counts() {
        let items: Vec<Item> = (1..=45)
            .map(|i| item(i, if i % 3 == 0 { "zn" } else { "fdzdgknr" }))
            .collect();
        let out = build(items);
        let m: Manifest = serde_json::from_slice(out.file(MANIFEST_FILE).unwrap()).unwrap();
        assert_eq!(m, out.manifest);
        assert_eq!((m.item_count, m.pages, m.page_size), (45, 3, 20));
        assert_eq!((m.columns[0].count, m.columns[0].pages), (15, 1));
        assert_eq!((m.columns[1].count, m.columns[1].pages), (30, 2));
        assert_eq!(m.built_at, "2023-11-14T22:13:20Z");
        assert_eq!(m.variants, ["zh-Hans", "zh-Hant"]);
        assert_eq!(m.content_hash.len(), 16);
        // 3 + 1 + 2 list pages and 45 articles in each variant, 1 manifest.
        assert_eq!(out.list_pages, 6);
        // Search: 6 document-table chunks of 8 in each script, index.json,
        // dates.bin and the shards.
        let count = |prefix: &str| out.files.iter().filter(|f| f.0.starts_with(prefix)).count();
        assert_eq!(count("search/docs/"), 6);
        assert_eq!(count("search/docs-hant/"), 6);
        let search = count("search/");
        assert!(count("search/shard/") >= 1);
        assert_eq!(search, 12 + 2 + count("search/shard/"));
        assert_eq!(out.files.len(), 2 * (6 + 45) + 1 + search);
        assert_eq!(
            out.total_bytes(),
            out.files.iter().map(|f| f.1.len() as u64).sum::<u64>()
        );
    }

    #[test]
    fn same_input_same_bytes() {
        let mut items = n_items(50);
        items.reverse();
        let a = build(items.clone());
        items.reverse();
        let b = build(items);
        assert_eq!(a.files, b.files, "feed order must not matter");
        let mut changed = n_items(50);
        changed[7].title.push('!');
        assert_ne!(
            build(changed).manifest.content_hash,
            a.manifest.content_hash
        );
    }

    #[test]
    fn unsafe_ids_are_refused() {
        let mut bad = item(1, "zn");
        bad.id = "../x".to_owned();
        let err = build_bundle(&feed(vec![bad]), &BuildOptions::default()).unwrap_err();
        assert!(matches!(err, BuildError::BadId(_)), "{err}");
    }

    /// Issue #15, faults 6 and 9, for feeds that skip `check`.
    #[test]
    fn what_check_refuses_build_refuses() {
        let build = |items: Vec<Item>| build_bundle(&feed(items), &BuildOptions::default());
        let with_id = |id: &str| Item {
            id: id.to_owned(),
            ..item(1, "zn")
        };
        let err = build(vec![with_id("Notice-1"), with_id("notice-1")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "duplicate item id \"notice-1\" (ids are compared ignoring case)"
        );
        assert!(matches!(
            build(vec![with_id("con.x")]),
            Err(BuildError::BadId(_))
        ));
        let mut deep = item(1, "zn");
        deep.content_html = Some("<div>".repeat(300));
        assert_eq!(
            build(vec![deep]).unwrap_err().to_string(),
            "item \"kjj1-2023-00001\": content_html: elements nested more than 256 deep: <div> at line 1, column 1281 (byte 1280) would be level 257"
        );
        let mut large = item(1, "zn");
        large.content_html = None;
        large.content_text = Some("x".repeat(MAX_BODY_BYTES + 1));
        assert!(matches!(
            build(vec![large]),
            Err(BuildError::BodyTooLarge { .. })
        ));
        let mut f = feed(vec![item(1, "zn")]);
        f.gov.columns[0].id = "aux".to_owned();
        assert!(matches!(
            build_bundle(&f, &BuildOptions::default()),
            Err(BuildError::BadId(_))
        ));
    }

    #[test]
    fn publishing_replaces_stale_files() {
        use crate::publish::PublishOptions;
        let dir = std::env::temp_dir().join(format!("gongkai-build-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let shards = |b: &BuildOutput| {
            b.files
                .iter()
                .filter(|f| f.0.starts_with("search/shard/"))
                .count()
        };
        let publish = |out: &BuildOutput| {
            let p = Publication::begin(&dir, PublishOptions::default()).unwrap();
            stage_bundle(&p, out).unwrap();
            p.commit(&BUNDLE_LAST).unwrap()
        };
        let (big, small) = (build(n_items(25)), build(n_items(3)));
        publish(&big);
        assert!(dir.join("zh-Hans/list/all/2.json").is_file());
        assert!(dir.join("zh-Hans/items/kjj1-2023-00025.json").is_file());
        std::fs::write(dir.join("keep-me.txt"), "x").unwrap();
        std::fs::write(dir.join("zh-Hans/keep-me.txt"), "x").unwrap();

        let report = publish(&small);
        // 22 articles, page 2 of `all` and page 2 of `fdzdgknr`, in both
        // variants; search document-table chunks 1–3 (8 documents each) in
        // both scripts; the shards the smaller index does not have.
        assert_eq!(
            report.removed.len(),
            2 * 24 + 2 * 3 + shards(&big) - shards(&small)
        );
        assert!(!dir.join("zh-Hans/list/all/2.json").exists());
        assert!(!dir.join("zh-Hans/items/kjj1-2023-00025.json").exists());
        for keep in ["keep-me.txt", "zh-Hans/keep-me.txt"] {
            assert!(
                dir.join(keep).is_file(),
                "{keep}: not the build's, left alone"
            );
        }
        let m: Manifest =
            serde_json::from_slice(&std::fs::read(dir.join(MANIFEST_FILE)).unwrap()).unwrap();
        assert_eq!(m.item_count, 3);
        std::fs::remove_dir_all(&dir).unwrap();
    }

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

    #[test]
    fn hant_variant_mirrors_hans() {
        let mut items = n_items(25);
        items[0].title = "武山县科学技术局关于头发的通知".to_owned();
        items[0].content_html = Some(r#"<p><a href="https://x.cn/发">发展</a></p>"#.to_owned());
        items[0].authors = vec![crate::feed::Author {
            name: "李凤林".to_owned(),
            url: None,
        }];
        let out = build(items);
        let hans: Vec<&str> = out
            .files
            .iter()
            .filter_map(|(p, _)| p.strip_prefix("zh-Hans/"))
            .collect();
        let hant: Vec<&str> = out
            .files
            .iter()
            .filter_map(|(p, _)| p.strip_prefix("zh-Hant/"))
            .collect();
        assert_eq!(hans, hant, "the same files in both variants");

        for list in [ALL_LIST, "fdzdgknr", "zn"] {
            let a = page(&out, list, 1);
            let path = list_path(Variant::Hant, list, 1);
            let b: ListPage = serde_json::from_slice(out.file(&path).unwrap()).unwrap();
            assert_eq!(ids(&a), ids(&b), "{path}: same ids in the same order");
            assert_eq!((&a.gov, &a.next_url), (&b.gov, &b.next_url), "{path}");
        }
        let row = &serde_json::from_slice::<ListPage>(
            out.file(&list_path(Variant::Hant, "fdzdgknr", 2)).unwrap(),
        )
        .unwrap()
        .items[4];
        assert_eq!(row.title, "武山縣科學技術局關於頭髮的通知");
        assert_eq!(row.gov.category_name, "法定主動公開內容");
        assert_eq!(row.gov.index_no, "kjj1/2023-00001");

        let a: ArticleFile = serde_json::from_slice(
            out.file(&item_path(Variant::Hant, "kjj1-2023-00001"))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(a.item.id, "kjj1-2023-00001");
        assert_eq!(a.item.title, "武山縣科學技術局關於頭髮的通知");
        let hans_html = article(&out, "kjj1-2023-00001").item.content_html.unwrap();
        assert!(
            hans_html.contains(r#"href="https://x.cn/发""#),
            "{hans_html}"
        );
        assert_eq!(
            a.item.content_html.unwrap(),
            hans_html.replace(">发展<", ">發展<"),
            "text converted, href kept"
        );
        assert_eq!(a.item.authors[0].name, "李鳳林");
        assert_eq!(a.item.gov.publisher, "武山縣科技局");
        assert_eq!(a.item.date_published, "2023-01-02T00:00:00Z");
        assert_eq!(a.column.name, "法定主動公開內容");
        assert_eq!(a.prev.unwrap().title, "通知2");

        let m = &out.manifest;
        let site = m.site_text(Variant::Hant);
        assert_eq!(site.title, "科技局 政府信息公開");
        assert_eq!(site.site_name, "甘肅政務服務網-武山");
        assert_eq!(site.columns, ["政府信息公開指南", "法定主動公開內容"]);
        assert_eq!(m.site_text(Variant::Hans).title, "科技局 政府信息公开");
    }

    #[test]
    fn the_manifest_carries_apply_footer_and_kinds_in_both_scripts() {
        let mut f = feed(vec![item(1, "zn")]);
        f.gov.columns[0].kind = Some(crate::gov::ColumnKind::Guide);
        f.gov.apply = Some(crate::gov::Apply {
            email: Some("wsxkjj@163.com".into()),
            recipient: Some("科学技术局办公室".into()),
            notes: Some("<p onclick=\"x()\">信函请注明</p><script>alert(1)</script>".into()),
            ..Default::default()
        });
        f.gov.footer = Some(crate::gov::Footer {
            sponsor: Some("武山县人民政府".into()),
            site_code: Some("6205240001".into()),
            gov_badge_url: Some("https://bszs.conac.cn/sitename?id=1".into()),
            ..Default::default()
        });
        let out = build_bundle(&f, &BuildOptions::default()).unwrap();
        let m = &out.manifest;
        assert_eq!(m.columns[0].kind, Some(crate::gov::ColumnKind::Guide));
        let apply = m.apply.as_ref().unwrap();
        assert_eq!(
            apply.notes.as_deref(),
            Some("<p>信函请注明</p>"),
            "notes are sanitised"
        );
        assert_eq!(
            m.footer.as_ref().unwrap().site_code.as_deref(),
            Some("6205240001")
        );
        let hant = m.localize(Variant::Hant);
        assert_eq!(
            hant.apply.unwrap().recipient.as_deref(),
            Some("科學技術局辦公室")
        );
        let footer = hant.footer.unwrap();
        assert_eq!(footer.sponsor.as_deref(), Some("武山縣人民政府"));
        assert_eq!(footer.site_code.as_deref(), Some("6205240001"));
        assert_eq!(out.file(GOV_BADGE_FILE), Some(GOV_BADGE_SVG));
        assert_eq!(m.gov_badge.as_deref(), Some(GOV_BADGE_FILE));
        let without = build_bundle(&feed(vec![item(1, "zn")]), &BuildOptions::default()).unwrap();
        assert!(without.file(GOV_BADGE_FILE).is_none());
        assert_eq!(without.manifest.gov_badge, None);
        // The official image in place of the stand-in: a new file, manifest
        // and ?v= hash.
        let mut official = out.clone();
        assert!(replace_gov_badge(&mut official, "png", b"\x89PNG".to_vec()).unwrap());
        assert!(official.file(GOV_BADGE_FILE).is_none());
        assert_eq!(official.file("gov-badge.png"), Some(&b"\x89PNG"[..]));
        assert_ne!(official.manifest.content_hash, out.manifest.content_hash);
        let written: Manifest =
            serde_json::from_slice(official.file(MANIFEST_FILE).unwrap()).unwrap();
        assert_eq!(written, official.manifest);
        assert_eq!(written.gov_badge.as_deref(), Some("gov-badge.png"));
        let mut plain = without.clone();
        assert!(!replace_gov_badge(&mut plain, "png", vec![1]).unwrap());
        assert_eq!(plain, without);
    }

    #[test]
    fn body_tables_become_data_tables_in_a_scroll_box() {
        let mut it = item(1, "zn");
        it.content_html = Some(
            "<table><caption>表一</caption><tr><th>信息内容</th><th scope=\"bogus\">件数</th></tr><tr><th>规章</th><td>0</td></tr></table>".into(),
        );
        let out = build(vec![it]);
        let html = article(&out, "kjj1-2023-00001").item.content_html.unwrap();
        assert_eq!(
            html,
            "<div class=\"gk-table\" role=\"region\" tabindex=\"0\" aria-labelledby=\"gk-table-1\"><table><caption id=\"gk-table-1\">表一</caption>\
             <tbody><tr><th scope=\"col\">信息内容</th><th scope=\"col\">件数</th></tr><tr><th scope=\"row\">规章</th><td>0</td></tr></tbody></table></div>"
        );
    }

    #[test]
    fn hant_variant_can_be_skipped() {
        let opts = BuildOptions {
            built_at: 1_700_000_000,
            hant: HantVariant::Skip,
        };
        let out = build_bundle(&feed(n_items(3)), &opts).unwrap();
        assert!(out.files.iter().all(|(p, _)| !p.starts_with("zh-Hant/")));
        assert_eq!(out.manifest.variants, ["zh-Hans"]);
        assert!(out.manifest.localized.is_empty());
        let with = build(n_items(3));
        assert_ne!(with.manifest.content_hash, out.manifest.content_hash);
    }
}
