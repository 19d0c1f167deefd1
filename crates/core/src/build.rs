//! Building a bundle from a feed (feature `build`).
//!
//! [`Bundle::from_feed`] builds the bundle typed, in memory: manifest, list
//! pages, articles, and the parts that come serialised (search index,
//! 政策文件库, subscription feeds). The documents step adds to it (crate
//! `gongkai-docs`), then [`crate::stage::stage_bundle`] serialises and
//! hashes every file once and hands it to a
//! [`Publication`](crate::publish::Publication), which puts it on disk
//! without ever serving half a build; the static pages are rendered from the
//! staged bundle's typed data. [`crate::stage::build_bundle`] does it all
//! in memory, for tests. The stages are described in
//! `docs/pipeline.md`, the layout in [`crate::bundle`] and
//! `docs/bundle-format.md`.
//!
//! ```
//! # use gongkai_core::{build::BuildOptions, stage::build_bundle, validate::check};
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
    page_count, ArticleFile, BundleFile, ColumnInfo, ListGov, ListItem, ListItemGov, ListPage,
    Manifest, Neighbour, SiteText, Variant, ALL_LIST, BUNDLE_FORMAT, GOV_BADGE_FILE, PAGE_SIZE,
};
use crate::convert::{s2t, ToHant};
use crate::date::{format_rfc3339_utc, parse_rfc3339, DateError};
use crate::feed::{Column, Feed, Item};
use crate::html::nesting::{max_depth, TooDeep, MAX_DEPTH};
use crate::publish::PublishError;
use crate::rebuild::{item_digest, Previous, TableEntry};
use crate::sanitize::{accessible_tables, sanitize, text_to_html};
use crate::search::synonyms::Synonyms;
use crate::source::Span;
use crate::subscribe::{feed_files, FeedInput, SiteUrls, FEED_ITEMS};
use crate::validate::{is_column_id, is_item_id, MAX_BODY_BYTES};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The 党政机关网站标识 written as [`GOV_BADGE_FILE`]: a stand-in drawn for
/// gongkai (`public/gov-badge.svg`), to be replaced by the official image
/// the site received with its registration (docs/compliance.md).
pub const GOV_BADGE_SVG: &[u8] = include_bytes!("../../../public/gov-badge.svg");

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

/// A built bundle, typed: what [`Bundle::from_feed`] makes, the documents
/// step adds to ([`Bundle::documents`], each article's `downloads`), and
/// [`crate::stage::stage_bundle`] serialises, hashes and stages, once each.
/// Only the search index, the 政策文件库 and the subscription feeds come
/// serialised (their builders write binary or XML formats).
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    /// The manifest; its `content_hash` is empty until the bundle is
    /// serialised.
    pub manifest: Manifest,
    /// Every list page of every variant: `list_path(variant, gov.list, gov.page)`.
    pub lists: Vec<(Variant, ListPage)>,
    /// Every article in display order, in each variant.
    pub articles: Vec<BundleArticle>,
    /// The files built serialised: search index, 政策文件库, subscription
    /// feeds, the 党政机关网站标识.
    pub parts: Vec<BundleFile>,
    /// The Word and PDF files the documents step made or kept: path and
    /// digest, for the content hash (they are staged by that step).
    pub documents: Vec<(String, u128)>,
    /// Things the feed's author should know, e.g. what the sanitiser removed.
    pub warnings: Vec<BuildWarning>,
    /// Number of list pages of one variant, over all lists.
    pub list_pages: usize,
    /// Each item's id, [`crate::rebuild::item_digest`] and sanitiser
    /// message, for the next build's table.
    pub item_digests: Vec<TableEntry>,
    /// Articles whose bodies were taken from the previous build.
    pub reused: usize,
}

/// One notice's article file, in each variant the bundle has.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleArticle {
    /// `zh-Hans/items/<id>.json`.
    pub hans: ArticleFile,
    /// `zh-Hant/items/<id>.json`, unless the build skips the variant.
    pub hant: Option<ArticleFile>,
}

impl BundleArticle {
    /// The variants' articles, 简体 first.
    pub fn variants(&self) -> impl Iterator<Item = (Variant, &ArticleFile)> {
        std::iter::once((Variant::Hans, &self.hans))
            .chain(self.hant.as_ref().map(|a| (Variant::Hant, a)))
    }

    /// The same, to change.
    pub fn variants_mut(&mut self) -> impl Iterator<Item = (Variant, &mut ArticleFile)> {
        std::iter::once((Variant::Hans, &mut self.hans))
            .chain(self.hant.as_mut().map(|a| (Variant::Hant, a)))
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
    /// Reading an item's body again from the feed file failed.
    #[error("cannot read the feed again: {0}")]
    Source(String),
    /// `_gov.synonyms` is not a valid synonym table.
    #[error("_gov.synonyms: {0}")]
    Synonyms(#[from] crate::search::synonyms::SynonymError),
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
    /// The search index's temporary files could not be written or read back.
    #[error("search index: {0}")]
    SearchIndex(#[from] std::io::Error),
    /// A [`BuildSink`]'s own step on a batch failed (e.g. the static pages).
    #[error("{0}")]
    Sink(String),
}

/// The feed's items in display order, and what follows from it.
struct Order {
    /// Item indexes, newest first (equal times by id).
    order: Vec<usize>,
    /// Item indexes of each column, in display order.
    by_column: HashMap<String, Vec<usize>>,
    /// Each item's neighbours within its column: (newer, older).
    neighbours: Vec<(Option<usize>, Option<usize>)>,
}

impl Bundle {
    /// Builds the bundle of `feed`, typed, with the subscription feeds when
    /// `site` says where the site is. Steps: check what the file layout
    /// relies on, order the items, the list pages, the articles (sanitised
    /// on every core), the serialised parts, the manifest.
    pub fn from_feed(
        feed: &Feed,
        opts: &BuildOptions,
        site: Option<&SiteUrls>,
    ) -> Result<Bundle, BuildError> {
        Bundle::rebuild(feed, opts, site, None)
    }

    /// [`Bundle::from_feed`], taking the bodies of the items unchanged
    /// since `previous` from its articles ([`crate::rebuild`]).
    pub fn rebuild(
        feed: &Feed,
        opts: &BuildOptions,
        site: Option<&SiteUrls>,
        previous: Option<&Previous>,
    ) -> Result<Bundle, BuildError> {
        let mut all = Collect::default();
        let order = Order::of(feed, &column_map(feed))?;
        let mut bundle = Bundle::build_in(
            feed,
            order,
            BodySource::Feed,
            opts,
            site,
            previous,
            BATCH,
            &mut all,
        )?;
        // In path order, as before: the bundle's parts are listed so.
        all.files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        bundle.articles = all.articles;
        bundle.parts.splice(0..0, all.files);
        Ok(bundle)
    }

    /// [`Bundle::rebuild`] in bounded memory: the articles are made
    /// [`BATCH`] at a time in display order, each batch's bodies handed to
    /// the search index, then the batch to `sink` (which stages and drops
    /// it); the search index's files go to `sink` one by one. Each item's
    /// body (`content_html`, `content_text`) is taken out of `feed` and
    /// dropped once its article is made: the feed comes back without
    /// bodies. The bundle returned has no articles and no search files:
    /// the rest (manifest, lists, 政策文件库, subscription feeds) is what the
    /// caller stages.
    pub fn stream(
        feed: &mut Feed,
        opts: &BuildOptions,
        site: Option<&SiteUrls>,
        previous: Option<&Previous>,
        sink: &mut dyn BuildSink,
    ) -> Result<Bundle, BuildError> {
        Bundle::stream_in(feed, opts, site, previous, BATCH, sink)
    }

    /// [`Bundle::stream`] of a feed whose items come without their bodies
    /// (`content_html`, `content_text`): `bodies` reads them, a batch at a
    /// time, and each is dropped once its article is made (the feed file
    /// is never parsed whole: [`crate::validate::check_path`] with
    /// [`crate::validate::Keep::NoBodies`], then [`FileBodies`]).
    pub fn stream_from(
        feed: &Feed,
        bodies: &mut dyn Bodies,
        opts: &BuildOptions,
        site: Option<&SiteUrls>,
        previous: Option<&Previous>,
        sink: &mut dyn BuildSink,
    ) -> Result<Bundle, BuildError> {
        let order = Order::of(feed, &column_map(feed))?;
        let source = BodySource::Read(bodies);
        Bundle::build_in(feed, order, source, opts, site, previous, BATCH, sink)
    }

    /// [`Bundle::stream`] with batches of `batch` articles.
    fn stream_in(
        feed: &mut Feed,
        opts: &BuildOptions,
        site: Option<&SiteUrls>,
        previous: Option<&Previous>,
        batch: usize,
        sink: &mut dyn BuildSink,
    ) -> Result<Bundle, BuildError> {
        // Checked (bodies included) before the bodies leave the feed.
        let order = Order::of(feed, &column_map(feed))?;
        let bodies = feed
            .items
            .iter_mut()
            .map(|i| (i.content_html.take(), i.content_text.take()))
            .collect();
        let source = BodySource::Taken(bodies);
        Bundle::build_in(feed, order, source, opts, site, previous, batch, sink)
    }

    /// The steps of [`Bundle::rebuild`] and [`Bundle::stream`], the items
    /// in `order`; `bodies`: where the items' bodies are.
    #[allow(clippy::too_many_arguments)]
    fn build_in(
        feed: &Feed,
        order: Order,
        bodies: BodySource<'_>,
        opts: &BuildOptions,
        site: Option<&SiteUrls>,
        previous: Option<&Previous>,
        batch: usize,
        sink: &mut dyn BuildSink,
    ) -> Result<Bundle, BuildError> {
        let columns = column_map(feed);
        let site_synonyms = Synonyms::new(feed.gov.synonyms.clone())?;
        let hant = opts.hant == HantVariant::Convert;
        let lists = list_pages(feed, &columns, &order, hant);
        let list_pages = lists.iter().filter(|(v, _)| *v == Variant::Hans).count();
        let synonyms = Synonyms::default_table().with_site(&site_synonyms);
        let cx = ArticleCx {
            feed,
            columns: &columns,
            order: &order,
            related: crate::library::closure(&feed.items, &rank(&order.order)),
            hant,
            previous,
            batch: batch.max(1),
            bodies: std::sync::Mutex::new(bodies),
        };
        // Known from the items' metadata, before any article is made: the
        // sink may render pages with them as the articles come.
        let mut parts = crate::library::library_files(&feed.items, &order.order, hant);
        let manifest = manifest(feed, opts, &order, site.is_some());
        sink.begin(&manifest, &parts)?;
        let MadeAll {
            mut warnings,
            feed_texts,
            item_digests,
            reused,
        } = cx.all(site.is_some(), &synonyms, sink)?;
        warnings.sort_by_key(|w| w.index);

        if let Some(urls) = site {
            let built_at = format_rfc3339_utc(opts.built_at);
            let input = FeedInput {
                feed,
                order: &order.order,
                texts: &feed_texts,
                built_at: &built_at,
            };
            parts.extend(feed_files(&input, urls, Variant::Hans, &|s| s.to_owned()));
            if hant {
                parts.extend(feed_files(&input, urls, Variant::Hant, &s2t));
            }
        }
        if manifest.gov_badge.is_some() {
            parts.push((GOV_BADGE_FILE.to_owned(), GOV_BADGE_SVG.to_vec()));
        }
        Ok(Bundle {
            manifest,
            lists,
            articles: Vec::new(),
            parts,
            documents: Vec::new(),
            warnings,
            list_pages,
            item_digests,
            reused,
        })
    }
}

/// How many articles [`Bundle::stream`] makes, hands on and drops at a
/// time: enough to keep every core busy, few enough to stay small.
pub const BATCH: usize = 2000;

/// Where [`Bundle::stream`] puts what it does not keep.
pub trait BuildSink {
    /// Before the first article: the manifest (without its content hash)
    /// and the 政策文件库's files, which the rest of the build does not
    /// change (but for [`replace_gov_badge`]), for a sink that renders
    /// pages as the articles come. Does nothing by default.
    fn begin(&mut self, _manifest: &Manifest, _library: &[BundleFile]) -> Result<(), BuildError> {
        Ok(())
    }
    /// The next articles, in display order.
    fn articles(&mut self, batch: Vec<BundleArticle>) -> Result<(), BuildError>;
    /// A search-index file (`search/...`), in no particular order.
    fn file(&mut self, path: String, bytes: Vec<u8>) -> Result<(), BuildError>;
}

/// A [`BuildSink`] that keeps everything: [`Bundle::rebuild`]'s.
#[derive(Default)]
struct Collect {
    articles: Vec<BundleArticle>,
    files: Vec<BundleFile>,
}

impl BuildSink for Collect {
    fn articles(&mut self, batch: Vec<BundleArticle>) -> Result<(), BuildError> {
        self.articles.extend(batch);
        Ok(())
    }

    fn file(&mut self, path: String, bytes: Vec<u8>) -> Result<(), BuildError> {
        self.files.push((path, bytes));
        Ok(())
    }
}

impl Order {
    /// Checks what the file layout relies on (in case the feed skipped
    /// `check`), then orders the items.
    fn of(feed: &Feed, columns: &HashMap<&str, &Column>) -> Result<Order, BuildError> {
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
        let mut by_column: HashMap<String, Vec<usize>> = HashMap::new();
        for &i in &order {
            by_column
                .entry(feed.items[i].gov.category.clone())
                .or_default()
                .push(i);
        }
        let mut neighbours = vec![(None, None); feed.items.len()];
        for list in by_column.values() {
            for (pos, &i) in list.iter().enumerate() {
                let newer = pos.checked_sub(1).map(|p| list[p]);
                let older = list.get(pos + 1).copied();
                neighbours[i] = (newer, older);
            }
        }
        Ok(Order {
            order,
            by_column,
            neighbours,
        })
    }

    fn column(&self, id: &str) -> &[usize] {
        self.by_column.get(id).map_or(&[][..], Vec::as_slice)
    }
}

/// The list pages: `all`, then each column, each page in 繁體 (if built)
/// and 简体.
fn list_pages(
    feed: &Feed,
    columns: &HashMap<&str, &Column>,
    order: &Order,
    hant: bool,
) -> Vec<(Variant, ListPage)> {
    // 繁體 rows, converted once per item: each item is in two lists.
    let hant_rows: Vec<ListItem> = if hant {
        feed.items
            .par_iter()
            .map(|item| list_item(item, columns[item.gov.category.as_str()]).to_hant())
            .collect()
    } else {
        Vec::new()
    };
    let mut lists: Vec<(&str, &str, &[usize])> =
        vec![(ALL_LIST, feed.gov.section.as_str(), &order.order)];
    for c in &feed.gov.columns {
        lists.push((c.id.as_str(), c.name.as_str(), order.column(&c.id)));
    }
    let mut pages_out = Vec::new();
    for (list, name, items) in lists {
        let pages = page_count(items.len());
        for page in 1..=pages {
            let chunk = items.chunks(PAGE_SIZE).nth(page - 1).unwrap_or(&[]);
            let lp = ListPage {
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
                pages_out.push((Variant::Hant, lp));
            }
            pages_out.push((Variant::Hans, lp));
        }
    }
    pages_out
}

/// What [`ArticleCx::batch`] makes of one batch.
struct Made {
    /// The articles in display order.
    articles: Vec<BundleArticle>,
    /// The sanitiser's warnings.
    warnings: Vec<BuildWarning>,
    /// Each article's sanitised body as plain text (what the search index
    /// reads).
    texts: Vec<String>,
    /// Each item's line of the next build's table.
    item_digests: Vec<TableEntry>,
    /// Articles whose bodies came from the previous build.
    reused: usize,
}

/// What [`ArticleCx::all`] keeps of every batch.
struct MadeAll {
    /// The sanitiser's warnings.
    warnings: Vec<BuildWarning>,
    /// The body text of the items the subscription feeds show, by position
    /// in display order; empty for the others.
    feed_texts: Vec<String>,
    /// Each item's line of the next build's table.
    item_digests: Vec<TableEntry>,
    /// Articles whose bodies came from the previous build.
    reused: usize,
}

/// What making the articles needs, made once for every batch.
struct ArticleCx<'a, 'b> {
    feed: &'a Feed,
    columns: &'a HashMap<&'a str, &'a Column>,
    order: &'a Order,
    /// Each item's related documents ([`crate::library::closure`]).
    related: Vec<Vec<(crate::library::RelationRole, usize)>>,
    hant: bool,
    previous: Option<&'a Previous>,
    /// Articles a batch.
    batch: usize,
    /// Where the items' bodies are.
    bodies: std::sync::Mutex<BodySource<'b>>,
}

/// An item's `content_html` and `content_text`.
pub type Body = (Option<String>, Option<String>);

/// Where the articles' bodies come from.
enum BodySource<'a> {
    /// In the feed's items.
    Feed,
    /// Taken out of the feed, by item: each is taken from here for its
    /// batch, and dropped with it.
    Taken(Vec<Body>),
    /// Read a batch at a time.
    Read(&'a mut dyn Bodies),
}

/// Reads the bodies of a feed's items for [`Bundle::stream_from`].
pub trait Bodies: Send {
    /// The bodies of the items at `items` (positions in the feed), in that
    /// order.
    fn read(&mut self, items: &[usize]) -> Result<Vec<Body>, BuildError>;
}

/// [`Bodies`] read again from the feed file, each item from its span
/// ([`crate::validate::Checked::spans`]); `fix` is applied to each item
/// read before its body is taken (as it was when the file was checked: the
/// personal-data redaction).
pub struct FileBodies<'a> {
    file: std::fs::File,
    spans: &'a [Span],
    fix: &'a (dyn Fn(usize, &mut Item) + Sync),
}

impl<'a> FileBodies<'a> {
    /// The bodies of the items of the file at `path`, at `spans`.
    pub fn open(
        path: &std::path::Path,
        spans: &'a [Span],
        fix: &'a (dyn Fn(usize, &mut Item) + Sync),
    ) -> std::io::Result<FileBodies<'a>> {
        Ok(FileBodies {
            file: std::fs::File::open(path)?,
            spans,
            fix,
        })
    }
}

impl Bodies for FileBodies<'_> {
    fn read(&mut self, items: &[usize]) -> Result<Vec<Body>, BuildError> {
        use std::io::{Read, Seek, SeekFrom};
        // In file order, so that the reads run forward.
        let mut by_offset: Vec<usize> = (0..items.len()).collect();
        by_offset.sort_unstable_by_key(|&k| self.spans.get(items[k]).map(|s| s.start));
        let mut bytes = vec![Vec::new(); items.len()];
        for k in by_offset {
            let span = self.spans.get(items[k]).ok_or_else(|| {
                BuildError::Source(format!("item {} has no place in the feed file", items[k]))
            })?;
            let mut buf = vec![0; span.len() as usize];
            self.file
                .seek(SeekFrom::Start(span.start))
                .and_then(|_| self.file.read_exact(&mut buf))
                .map_err(|e| BuildError::Source(format!("line {}: {e}", span.line)))?;
            bytes[k] = buf;
        }
        let fix = self.fix;
        let spans = self.spans;
        items
            .par_iter()
            .zip(bytes)
            .map(|(&i, bytes)| {
                let mut item: Item = serde_json::from_slice(&bytes).map_err(|e| {
                    BuildError::Source(format!(
                        "line {}: the item changed since it was checked: {e}",
                        spans[i].line
                    ))
                })?;
                fix(i, &mut item);
                check_body(&item)?;
                Ok((item.content_html, item.content_text))
            })
            .collect()
    }
}

/// The feed's columns by id.
fn column_map(feed: &Feed) -> HashMap<&str, &Column> {
    feed.gov
        .columns
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect()
}

impl ArticleCx<'_, '_> {
    /// Every article in display order, a batch at a time: each batch is
    /// made, its bodies indexed, and handed to `sink`; then the search
    /// index's files. `feeds`: keep the texts the subscription feeds show.
    fn all(
        &self,
        feeds: bool,
        synonyms: &Synonyms,
        sink: &mut dyn BuildSink,
    ) -> Result<MadeAll, BuildError> {
        let n = self.order.order.len();
        let shown = if feeds {
            self.feed_positions()
        } else {
            Vec::new()
        };
        let mut all = MadeAll {
            warnings: Vec::new(),
            feed_texts: vec![String::new(); shown.len()],
            item_digests: Vec::with_capacity(n),
            reused: 0,
        };
        let mut index = crate::search::IndexBuilder::new(synonyms.clone());
        // A rebuild keeps the previous build's term files and indexes only
        // the added and changed notices beside them (a delta segment); if
        // that build's index cannot be a base, it keeps its document
        // numbers, so that the term files of untouched notices come out
        // the same.
        if let Some(p) = self.previous {
            if let Err(e) = index.delta(p.dir()) {
                eprintln!("search index: no delta segment, the whole index is built: {e}");
                match crate::search::Numbering::read(p.dir()) {
                    Ok(n) => index = index.numbering(n),
                    Err(e) => eprintln!(
                        "search index: numbered afresh (every search file may change): {e}"
                    ),
                }
            }
        }
        for (b, chunk) in self.order.order.chunks(self.batch).enumerate() {
            let made = self.batch(chunk)?;
            index_batch(&mut index, self.feed, chunk, &made.texts, self.hant)?;
            for (k, text) in made.texts.into_iter().enumerate() {
                let pos = b * self.batch + k;
                if shown.get(pos) == Some(&true) {
                    all.feed_texts[pos] = text;
                }
            }
            all.warnings.extend(made.warnings);
            all.item_digests.extend(made.item_digests);
            all.reused += made.reused;
            sink.articles(made.articles)?;
        }
        // The sink's error, not the io::Error that carried it out.
        let mut failed = None;
        let done = index.finish(|path, bytes| {
            sink.file(path, bytes).map_err(|e| {
                let err = std::io::Error::other(e.to_string());
                failed = Some(e);
                err
            })
        });
        match (done, failed) {
            (Ok(_), _) => Ok(all),
            (Err(_), Some(e)) => Err(e),
            (Err(e), None) => Err(e.into()),
        }
    }

    /// Which positions in display order the subscription feeds show: the
    /// newest [`FEED_ITEMS`] of the section and of each column.
    fn feed_positions(&self) -> Vec<bool> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        self.order
            .order
            .iter()
            .enumerate()
            .map(|(pos, &i)| {
                let n = seen
                    .entry(self.feed.items[i].gov.category.as_str())
                    .or_default();
                *n += 1;
                pos < FEED_ITEMS || *n <= FEED_ITEMS
            })
            .collect()
    }

    /// The articles of `chunk` (item indexes in display order), sanitised
    /// on every core (sanitising dominates the build) unless `previous` has
    /// the item's bodies.
    fn batch(&self, chunk: &[usize]) -> Result<Made, BuildError> {
        let feed = self.feed;
        let hant = self.hant;
        let neighbour = |j: Option<usize>| {
            j.map(|j| Neighbour {
                id: feed.items[j].id.clone(),
                title: feed.items[j].title.clone(),
            })
        };
        // Each item whole, its body taken from `bodies` if it left the feed.
        let items: Vec<Item> = {
            let mut source = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
            let with = |i: usize, (content_html, content_text): Body| Item {
                content_html,
                content_text,
                ..feed.items[i].clone()
            };
            match &mut *source {
                BodySource::Feed => chunk.iter().map(|&i| feed.items[i].clone()).collect(),
                BodySource::Taken(b) => chunk
                    .iter()
                    .map(|&i| with(i, std::mem::take(&mut b[i])))
                    .collect(),
                BodySource::Read(r) => {
                    let bodies = r.read(chunk)?;
                    chunk.iter().zip(bodies).map(|(&i, b)| with(i, b)).collect()
                }
            }
        };
        type One = (BundleArticle, Option<BuildWarning>, String, u128, bool);
        let built: Vec<One> = chunk
            .par_iter()
            .zip(&items)
            .map(|(&i, item)| {
                let digest = item_digest(item, hant);
                let kept = self.previous.and_then(|p| p.bodies(item, digest, hant));
                let reused = kept.is_some();
                let (html, hant_html, warning) = match kept {
                    Some(k) => {
                        let warning = (!k.message.is_empty()).then(|| BuildWarning {
                            index: i,
                            id: item.id.clone(),
                            field: "content_html".to_owned(),
                            message: k.message,
                        });
                        (k.hans, k.hant, warning)
                    }
                    None => {
                        let (html, warning) = body(i, item);
                        (html, None, warning)
                    }
                };
                let text = crate::search::html_to_text(&html);
                let mut article = ArticleFile {
                    item: Item {
                        content_html: None,
                        ..item.clone()
                    },
                    column: self.columns[item.gov.category.as_str()].clone(),
                    prev: neighbour(self.order.neighbours[i].0),
                    next: neighbour(self.order.neighbours[i].1),
                    downloads: Vec::new(),
                    related: self.related[i]
                        .iter()
                        .map(|&(role, j)| crate::library::RelatedDoc {
                            role,
                            id: feed.items[j].id.clone(),
                            title: feed.items[j].title.clone(),
                        })
                        .collect(),
                };
                // The body is converted only when it was not kept.
                let hant = hant.then(|| {
                    let mut a = article.to_hant();
                    a.item.content_html =
                        Some(hant_html.unwrap_or_else(|| crate::convert::s2t_html(&html)));
                    a
                });
                article.item.content_html = Some(html);
                (
                    BundleArticle {
                        hans: article,
                        hant,
                    },
                    warning,
                    text,
                    digest,
                    reused,
                )
            })
            .collect();
        let mut made = Made {
            articles: Vec::with_capacity(built.len()),
            warnings: Vec::new(),
            texts: Vec::with_capacity(built.len()),
            item_digests: Vec::with_capacity(built.len()),
            reused: 0,
        };
        for (article, warning, text, digest, reused) in built {
            let message = warning
                .as_ref()
                .map(|w| w.message.clone())
                .unwrap_or_default();
            made.item_digests
                .push((article.hans.item.id.clone(), digest, message));
            made.articles.push(article);
            made.warnings.extend(warning);
            made.texts.push(text);
            made.reused += usize::from(reused);
        }
        Ok(made)
    }
}

/// Each item's position in display order.
fn rank(order: &[usize]) -> Vec<usize> {
    let mut rank = vec![0; order.len()];
    for (pos, &i) in order.iter().enumerate() {
        rank[i] = pos;
    }
    rank
}

/// The manifest, without its content hash (the staging step adds it).
fn manifest(feed: &Feed, opts: &BuildOptions, order: &Order, feeds: bool) -> Manifest {
    let variant = Variant::Hans;
    let apply = feed.gov.apply.clone().map(|mut a| {
        a.notes = a.notes.as_deref().map(|n| sanitize(n).html);
        a
    });
    let badge = feed
        .gov
        .footer
        .as_ref()
        .is_some_and(|f| f.gov_badge_url.is_some());
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
            .map(|c| ColumnInfo::from((c, order.column(&c.id).len())))
            .collect(),
        item_count: feed.items.len(),
        pages: page_count(feed.items.len()),
        page_size: PAGE_SIZE,
        variants: vec![variant.as_str().to_owned()],
        built_at: format_rfc3339_utc(opts.built_at),
        content_hash: String::new(),
        feeds,
        localized: Default::default(),
        apply: apply.clone(),
        footer: feed.gov.footer.clone(),
        gov_badge: badge.then(|| GOV_BADGE_FILE.to_owned()),
    };
    if opts.hant == HantVariant::Convert {
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
    manifest
}

/// The image formats the 党政机关网站标识 may come in (file extensions).
pub const GOV_BADGE_FORMATS: [&str; 4] = ["svg", "png", "gif", "jpg"];

/// Puts `bytes` (an image in format `ext`, one of [`GOV_BADGE_FORMATS`]) in
/// place of the stand-in 党政机关网站标识 as `gov-badge.<ext>`, and names it
/// in the manifest. `false`: the footer shows no badge (no
/// `gov_badge_url`), nothing changed.
pub fn replace_gov_badge(bundle: &mut Bundle, ext: &str, bytes: Vec<u8>) -> bool {
    let Some(old) = name_gov_badge(&mut bundle.manifest, ext) else {
        return false;
    };
    let name = bundle.manifest.gov_badge.clone().unwrap_or_default();
    bundle.parts.retain(|(p, _)| *p != old);
    bundle.parts.push((name, bytes));
    true
}

/// [`replace_gov_badge`]'s change to the manifest alone: it names
/// `gov-badge.<ext>`. Returns the name it had; `None`: the footer shows no
/// badge, nothing changed.
pub fn name_gov_badge(manifest: &mut Manifest, ext: &str) -> Option<String> {
    let old = manifest.gov_badge.take()?;
    manifest.gov_badge = Some(format!("gov-badge.{ext}"));
    Some(old)
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

/// Hands the search index the documents of one batch (`order`: item
/// indexes in display order); `texts` are their sanitised bodies as plain
/// text; `hant`: the bundle has a `zh-Hant` variant, so result rows need
/// its titles. [`ArticleCx::all`] finishes the index into the sink.
fn index_batch(
    index: &mut crate::search::IndexBuilder,
    feed: &Feed,
    order: &[usize],
    texts: &[String],
    hant: bool,
) -> Result<(), std::io::Error> {
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
                doc_no: item.gov.doc_no.as_deref(),
                index_no: &item.gov.index_no,
            }
        })
        .collect();
    index.push_batch(&docs)
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
            doc_no: item.gov.doc_no.clone(),
            written_date: item.gov.written_date.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{item_path, list_path, MANIFEST_FILE};
    use crate::feed::{ItemGov, SiteGov, JSON_FEED_VERSION};
    use crate::publish::Publication;
    use crate::stage::{build_bundle, build_bundle_with, stage_bundle, BuildOutput, BUNDLE_LAST};
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
                doc_type: None,
                issuer: Vec::new(),
                topics: Vec::new(),
                relations: Vec::new(),
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
                synonyms: Vec::new(),
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

    /// Issue #19: list pages and article files declared
    /// `"version": "https://jsonfeed.org/version/1.1"` but were not JSON
    /// Feeds (items without a body, a relative `next_url`); the bundle's
    /// files now declare no version, and the subscription feeds are the
    /// public ones.
    #[test]
    fn bundle_files_do_not_claim_to_be_json_feeds() {
        let out = build(n_items(21));
        let v: serde_json::Value =
            serde_json::from_slice(out.file("zh-Hans/list/all/1.json").unwrap()).unwrap();
        assert_eq!(v["title"], "政府信息公开 - 第 1 页");
        assert_eq!(v["next_url"], "2.json");
        assert!(v["items"][0]["id"].is_string() && v["items"][0]["date_published"].is_string());
        for (path, bytes) in &out.files {
            if path.ends_with(".json") {
                let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                assert!(v.get("version").is_none(), "{path} declares a version");
            }
        }
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
        // dates.bin, columns.bin and the shards (the synonym table among
        // them); the base a rebuild's delta segment compares with is state,
        // not a bundle file (`StagedBundle::state`).
        let count = |prefix: &str| out.files.iter().filter(|f| f.0.starts_with(prefix)).count();
        assert_eq!(count("search/docs/"), 6);
        assert_eq!(count("search/docs-hant/"), 6);
        let search = count("search/");
        assert!(count("search/shard/") >= 1);
        assert_eq!(search, 12 + 3 + count("search/shard/"));
        assert_eq!(count(".gongkai/"), 0);
        // The library: facets.json and index.bin.
        assert_eq!(count("library/"), 2);
        assert_eq!(out.files.len(), 2 * (6 + 45) + 1 + search + 2);
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
        let publish = |items: Vec<Item>| {
            let bundle = Bundle::from_feed(&feed(items), &BuildOptions::default(), None).unwrap();
            let p = Publication::begin(&dir, PublishOptions::default()).unwrap();
            stage_bundle(&p, bundle).unwrap();
            p.commit(&BUNDLE_LAST).unwrap()
        };
        let (big, small) = (build(n_items(25)), build(n_items(3)));
        publish(n_items(25));
        assert!(dir.join("zh-Hans/list/all/2.json").is_file());
        assert!(dir.join("zh-Hans/items/kjj1-2023-00025.json").is_file());
        std::fs::write(dir.join("keep-me.txt"), "x").unwrap();
        std::fs::write(dir.join("zh-Hans/keep-me.txt"), "x").unwrap();

        let report = publish(n_items(3));
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

    /// Issue 21: the streaming build (articles staged a batch at a time,
    /// the search files staged one by one) writes the very files of the
    /// in-memory build, subscription feeds and 繁體 included, whatever the
    /// batch size (batches of 4 over 25 items: the last one short), and
    /// leaves the feed without its bodies.
    #[test]
    fn a_build_reading_the_bodies_from_the_feed_file_writes_the_same_files() {
        use crate::publish::PublishOptions;
        use crate::source::Format;
        use crate::stage::Stager;
        use crate::validate::{check_path, Keep};
        let dir = std::env::temp_dir().join(format!("gongkai-span-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let urls = SiteUrls::new("https://www.example.gov.cn/kjj/", "bundle/");
        let mut items = n_items(25);
        items[3].content_html = Some("<p>电话13812345678<script>x()</script></p>".to_owned());
        let f = feed(items);
        let opts = BuildOptions::default();
        let whole = Bundle::from_feed(&f, &opts, Some(&urls))
            .unwrap()
            .serialise()
            .unwrap();
        // The feed as JSON Lines, in an order other than the display order.
        let mut top = serde_json::to_value(&f).unwrap();
        let lines: Vec<String> = std::iter::once({
            top.as_object_mut().unwrap().remove("items");
            top.to_string()
        })
        .chain(
            f.items
                .iter()
                .rev()
                .map(|i| serde_json::to_string(i).unwrap()),
        )
        .collect();
        let path = dir.join("feed.jsonl");
        std::fs::write(&path, lines.join("\n")).unwrap();
        let mut read = 0;
        let checked = check_path(&path, Format::JsonLines, Keep::NoBodies, &mut |_, _| {
            read += 1
        })
        .unwrap();
        assert_eq!(read, 25);
        let light = checked.report.feed.expect("a valid feed");
        assert!(light.items.iter().all(|i| i.content_html.is_none()));
        let out = dir.join("out");
        for batch in [4, BATCH] {
            let p = Publication::begin(&out, PublishOptions::default()).unwrap();
            let mut stager = Stager::new(&p);
            let fix = |_: usize, _: &mut Item| {};
            let mut bodies = FileBodies::open(&path, &checked.spans, &fix).unwrap();
            let order = Order::of(&light, &column_map(&light)).unwrap();
            let source = BodySource::Read(&mut bodies);
            let rest = Bundle::build_in(
                &light,
                order,
                source,
                &opts,
                Some(&urls),
                None,
                batch,
                &mut stager,
            )
            .unwrap();
            let staged = stager.finish(rest).unwrap();
            p.commit(&BUNDLE_LAST).unwrap();
            for (path, bytes) in &whole.files {
                assert_eq!(
                    std::fs::read(out.join(path)).ok().as_ref(),
                    Some(bytes),
                    "{path}, batches of {batch}"
                );
            }
            assert_eq!(staged.files, whole.files.len(), "batches of {batch}");
            // The items are in the file in reverse: their positions differ.
            let said = |w: &[BuildWarning]| -> Vec<String> {
                w.iter()
                    .map(|w| format!("{} {} {}", w.id, w.field, w.message))
                    .collect()
            };
            assert_eq!(said(&staged.warnings), said(&whole.warnings));
            assert_eq!(staged.warnings.len(), 1);
        }
        // A feed file changed since it was checked is an error, not a panic.
        std::fs::write(&path, "x".repeat(10_000)).unwrap();
        let fix = |_: usize, _: &mut Item| {};
        let mut bodies = FileBodies::open(&path, &checked.spans, &fix).unwrap();
        let p = Publication::begin(&out, PublishOptions::default()).unwrap();
        let mut stager = Stager::new(&p);
        let err =
            Bundle::stream_from(&light, &mut bodies, &opts, None, None, &mut stager).unwrap_err();
        assert!(
            err.to_string().contains("changed since it was checked"),
            "{err}"
        );
        drop(p);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_streaming_build_writes_the_same_files() {
        use crate::publish::PublishOptions;
        use crate::stage::Stager;
        let dir = std::env::temp_dir().join(format!("gongkai-stream-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let urls = SiteUrls::new("https://www.example.gov.cn/kjj/", "bundle/");
        let f = feed(n_items(25));
        let opts = BuildOptions::default();
        let whole = Bundle::from_feed(&f, &opts, Some(&urls))
            .unwrap()
            .serialise()
            .unwrap();
        for batch in [4, BATCH] {
            let p = Publication::begin(&dir, PublishOptions::default()).unwrap();
            let mut stager = Stager::new(&p);
            let mut taken = f.clone();
            let rest = Bundle::stream_in(&mut taken, &opts, Some(&urls), None, batch, &mut stager)
                .unwrap();
            assert!(rest.articles.is_empty());
            assert!(
                taken
                    .items
                    .iter()
                    .all(|i| i.content_html.is_none() && i.content_text.is_none()),
                "the bodies are taken out of the feed"
            );
            let staged = stager.finish(rest).unwrap();
            assert!(staged.articles.is_empty(), "not kept unless asked");
            p.commit(&BUNDLE_LAST).unwrap();
            for (path, bytes) in &whole.files {
                assert_eq!(
                    std::fs::read(dir.join(path)).ok().as_ref(),
                    Some(bytes),
                    "{path}, batches of {batch}"
                );
            }
            assert_eq!(staged.files, whole.files.len(), "batches of {batch}");
            assert_eq!(staged.manifest, whole.manifest);
            assert_eq!(staged.warnings, whole.warnings);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Issue 21: a rebuild sanitised and converted every body again; now
    /// an item unchanged since the last build keeps its bodies from that
    /// build's articles (the proof: a body altered on disk comes back as
    /// altered), a changed one is made anew, and the bytes are those of a
    /// fresh build.
    #[test]
    fn a_rebuild_keeps_the_bodies_of_unchanged_items() {
        use crate::publish::PublishOptions;
        use crate::rebuild::{write_table, Previous};
        let dir = std::env::temp_dir().join(format!("gongkai-rebuild-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let opts = BuildOptions {
            built_at: 1_700_000_000,
            ..BuildOptions::default()
        };
        let publish = |items: Vec<Item>, previous: Option<&Previous>| {
            let bundle = Bundle::rebuild(&feed(items), &opts, None, previous).unwrap();
            let p = Publication::begin(&dir, PublishOptions::default()).unwrap();
            let staged = stage_bundle(&p, bundle).unwrap();
            p.commit(&BUNDLE_LAST).unwrap();
            write_table(&dir, &staged.item_digests).unwrap();
            staged
        };
        let mut items = n_items(5);
        items[0].content_html = Some("<p>头发<script>x()</script></p>".to_owned());
        let first = publish(items.clone(), None);
        assert_eq!(first.reused, 0);
        assert_eq!(first.item_digests.len(), 5);

        let mut changed = items.clone();
        changed[2].title.push('!');
        let previous = Previous::load(&dir).unwrap();
        let again = Bundle::rebuild(&feed(changed.clone()), &opts, None, Some(&previous)).unwrap();
        assert_eq!(again.reused, 4, "all but item 3");
        assert_eq!(again.warnings.len(), 1, "item 1's warning is printed again");
        assert_eq!(
            again.serialise().unwrap(),
            build(changed.clone()),
            "the bytes of a fresh build"
        );

        // Item 2's bodies as served, altered: they come back as they are.
        for variant in [Variant::Hans, Variant::Hant] {
            let path = dir.join(item_path(variant, "kjj1-2023-00002"));
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, text.replace("正文2", "正文2（旧）")).unwrap();
        }
        let out = Bundle::rebuild(&feed(changed), &opts, None, Some(&previous))
            .unwrap()
            .serialise()
            .unwrap();
        let kept = article(&out, "kjj1-2023-00002").item.content_html.unwrap();
        assert_eq!(kept, "<p>正文2（旧）</p>");
        let remade = article(&out, "kjj1-2023-00003").item.content_html.unwrap();
        assert_eq!(remade, "<p>正文3</p>");
        std::fs::remove_dir_all(&dir).unwrap();
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

    /// Issue #19: a relation stated once shows on both articles, in both
    /// scripts.
    #[test]
    fn relations_show_on_both_articles() {
        use crate::feed::{Relation, RelationType};
        use crate::library::{RelatedDoc, RelationRole};
        let mut items = n_items(3);
        items[2].title = "关于印发管理办法的通知".to_owned();
        items[0].gov.relations = vec![Relation {
            kind: RelationType::Interprets,
            id: items[2].id.clone(),
        }];
        items[1].gov.relations = vec![Relation {
            kind: RelationType::Repeals,
            id: items[2].id.clone(),
        }];
        let out = build(items);
        let original = article(&out, "kjj1-2023-00003");
        assert_eq!(
            original.related,
            [
                RelatedDoc {
                    role: RelationRole::RepealedBy,
                    id: "kjj1-2023-00002".into(),
                    title: "通知2".into()
                },
                RelatedDoc {
                    role: RelationRole::Interpretation,
                    id: "kjj1-2023-00001".into(),
                    title: "通知1".into()
                },
            ]
        );
        let jiedu = article(&out, "kjj1-2023-00001");
        assert_eq!(jiedu.related.len(), 1);
        assert_eq!(
            (jiedu.related[0].role, jiedu.related[0].title.as_str()),
            (RelationRole::Original, "关于印发管理办法的通知")
        );
        let hant: ArticleFile = serde_json::from_slice(
            out.file(&item_path(Variant::Hant, "kjj1-2023-00001"))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(hant.related[0].title, "關於印發管理辦法的通知");
        let plain = article(&out, "kjj1-2023-00002");
        assert_eq!(plain.related[0].role, RelationRole::Repeals);
    }

    /// Issue #19, 订阅: an Atom and a JSON Feed for the section and each
    /// column, the newest 50, absolute URLs, in both scripts.
    #[test]
    fn subscription_feeds() {
        let mut items = n_items(60);
        items[59].title = "最新\u{1}通知 <b> & 頭".to_owned();
        items[59].summary = Some("摘要".to_owned());
        let site = SiteUrls::new("https://x.gov.cn/xxgk/", "bundle/");
        let out = build_bundle_with(
            &feed(items),
            &BuildOptions {
                built_at: 1_700_000_000,
                ..BuildOptions::default()
            },
            Some(&site),
        )
        .unwrap();
        assert!(out.manifest.feeds);
        let feeds: Vec<&str> = out
            .files
            .iter()
            .map(|f| f.0.as_str())
            .filter(|p| p.starts_with("feeds/"))
            .collect();
        assert_eq!(
            feeds,
            [
                "feeds/zh-Hans/all.atom",
                "feeds/zh-Hans/all.json",
                "feeds/zh-Hans/fdzdgknr.atom",
                "feeds/zh-Hans/fdzdgknr.json",
                "feeds/zh-Hans/zn.atom",
                "feeds/zh-Hans/zn.json",
                "feeds/zh-Hant/all.atom",
                "feeds/zh-Hant/all.json",
                "feeds/zh-Hant/fdzdgknr.atom",
                "feeds/zh-Hant/fdzdgknr.json",
                "feeds/zh-Hant/zn.atom",
                "feeds/zh-Hant/zn.json",
            ]
        );
        let json: serde_json::Value =
            serde_json::from_slice(out.file("feeds/zh-Hans/all.json").unwrap()).unwrap();
        assert_eq!(json["version"], JSON_FEED_VERSION);
        assert_eq!(
            json["feed_url"],
            "https://x.gov.cn/xxgk/bundle/feeds/zh-Hans/all.json"
        );
        assert_eq!(json["home_page_url"], "https://x.gov.cn/xxgk/");
        let items = json["items"].as_array().unwrap();
        assert_eq!(items.len(), 50);
        assert_eq!(
            items[0]["url"],
            "https://x.gov.cn/xxgk/article/kjj1-2023-00060"
        );
        assert_eq!(items[0]["content_text"], "摘要");
        assert_eq!(items[1]["content_text"], "正文59");
        assert_eq!(items[0]["date_published"], "2023-03-02T00:00:00Z");
        let atom = String::from_utf8(out.file("feeds/zh-Hant/zn.atom").unwrap().to_vec()).unwrap();
        assert!(
            atom.contains("<id>https://x.gov.cn/xxgk/column/zn?lang=zh-Hant</id>"),
            "{atom}"
        );
        assert!(
            atom.contains(
                "<title type=\"text\">政府信息公開指南 - 科技局 - 甘肅政務服務網-武山</title>"
            ),
            "{atom}"
        );
        let all = String::from_utf8(out.file("feeds/zh-Hans/all.atom").unwrap().to_vec()).unwrap();
        assert!(
            all.contains("<title type=\"text\">最新通知 &lt;b&gt; &amp; 頭</title>"),
            "{all}"
        );
        assert!(!all.contains('\u{1}'));
        assert_eq!(all.matches("<entry>").count(), 50);
        // Without the site's URL: no feeds.
        assert!(!build(n_items(3)).manifest.feeds);
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
        let mut official = Bundle::from_feed(&f, &BuildOptions::default(), None).unwrap();
        assert!(replace_gov_badge(&mut official, "png", b"\x89PNG".to_vec()));
        let official = official.serialise().unwrap();
        assert!(official.file(GOV_BADGE_FILE).is_none());
        assert_eq!(official.file("gov-badge.png"), Some(&b"\x89PNG"[..]));
        assert_ne!(official.manifest.content_hash, out.manifest.content_hash);
        let written: Manifest =
            serde_json::from_slice(official.file(MANIFEST_FILE).unwrap()).unwrap();
        assert_eq!(written, official.manifest);
        assert_eq!(written.gov_badge.as_deref(), Some("gov-badge.png"));
        let mut plain =
            Bundle::from_feed(&feed(vec![item(1, "zn")]), &BuildOptions::default(), None).unwrap();
        assert!(!replace_gov_badge(&mut plain, "png", vec![1]));
        assert_eq!(plain.serialise().unwrap(), without);
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
