//! The static bundle format written by `gongkai build` and read by the app.
//!
//! ```text
//! bundle/
//!   manifest.json                      Manifest: site, columns with counts, hash (short cache)
//!   zh-Hans/                           one directory per script variant
//!     list/all/1.json … N.json         ListPage: 20 items a page, newest first
//!     list/<column id>/1.json …        the same per column
//!     items/<item id>.json             ArticleFile: the full item plus its column neighbours
//!   zh-Hant/                           the 繁體 variant, same layout, converted at build time
//!   search/                            search index: index.json, shard/<i>.bin, docs/<i>.json,
//!                                      dates.bin (see crate::search, docs/search-format.md)
//!   files/zh-Hans/<id>.docx, <id>.pdf  下载Word / 下载PDF (crate gongkai-docs, docs/downloads.md)
//!   library/facets.json, index.bin     the 政策文件库's facets and index (crate::library, docs/library.md)
//!   feeds/zh-Hans/<list>.atom, .json   订阅: Atom and JSON Feed of each list (crate::subscribe)
//!   gov-badge.svg                      the 党政机关网站标识 the footer shows (docs/compliance.md)
//! ```
//!
//! Every path is relative to the bundle root and is produced by the functions
//! below, so the builder and the app can never disagree about a file name.
//! Files other than `manifest.json` are requested with `?v=<content_hash>` so a
//! CDN may cache them for a long time; only the manifest needs purging.

use crate::feed::{Column, Item, Validity};
use crate::gov::{Apply, ColumnKind, Footer};
use crate::library::RelatedDoc;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Version of the bundle layout; bumped on any incompatible change.
pub const BUNDLE_FORMAT: u32 = 2;

/// Items on one list page.
pub const PAGE_SIZE: usize = 20;

/// File name of the manifest at the bundle root.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The list that holds every column.
pub const ALL_LIST: &str = "all";

/// File name of the 党政机关网站标识 at the bundle root, written when the
/// footer links the badge (`_gov.footer.gov_badge_url`): the stand-in SVG,
/// or `gov-badge.<ext>` for the official image (`gongkai build --gov-badge`).
pub const GOV_BADGE_FILE: &str = "gov-badge.svg";

/// A script variant of the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Variant {
    /// 简体: simplified characters, as the feed is written.
    #[default]
    Hans,
    /// 繁體: traditional characters, converted at build time.
    Hant,
}

impl Variant {
    /// The directory name and BCP 47 tag: `zh-Hans` or `zh-Hant`.
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Hans => "zh-Hans",
            Variant::Hant => "zh-Hant",
        }
    }
}

/// Error for an unknown variant tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown script variant {0:?}: expected zh-Hans or zh-Hant")]
pub struct UnknownVariant(pub String);

impl FromStr for Variant {
    type Err = UnknownVariant;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "zh-Hans" => Ok(Variant::Hans),
            "zh-Hant" => Ok(Variant::Hant),
            other => Err(UnknownVariant(other.to_owned())),
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Path of a list page, relative to the bundle root. `page` starts at 1.
pub fn list_path(variant: Variant, list: &str, page: usize) -> String {
    format!("{}/list/{list}/{page}.json", variant.as_str())
}

/// Path of an article file, relative to the bundle root.
pub fn item_path(variant: Variant, id: &str) -> String {
    format!("{}/items/{id}.json", variant.as_str())
}

/// A file of the bundle: path relative to the bundle root, and content.
pub type BundleFile = (String, Vec<u8>);

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

/// The manifest's `content_hash` of a set of files given by path and
/// content digest (128-bit, the one the build's publication computes for
/// every file it writes): FNV-1a over each path, a zero byte and its digest
/// (16 bytes, little-endian), in path order, as 16 hex digits. The files
/// are sorted here.
pub fn content_hash(files: &mut [(String, u128)]) -> String {
    files.sort_unstable();
    let mut h = Fnv1a::default();
    for (path, digest) in files.iter() {
        h.write(path.as_bytes());
        h.write(&[0]);
        h.write(&digest.to_le_bytes());
    }
    format!("{:016x}", h.finish())
}

/// Number of list pages for `count` items. An empty list still has page 1.
pub fn page_count(count: usize) -> usize {
    count.div_ceil(PAGE_SIZE).max(1)
}

/// `manifest.json`: what the app needs before anything else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`BUNDLE_FORMAT`] of the builder that wrote it.
    pub format: u32,
    /// Feed title.
    pub title: String,
    /// 站点名称, e.g. `甘肃政务服务网-武山`.
    pub site_name: String,
    /// 部门, e.g. `科技局`.
    pub department: String,
    /// Section title, `政府信息公开`.
    pub section: String,
    /// Portal 登录 URL.
    pub login_url: String,
    /// Portal 注册 URL.
    pub register_url: String,
    /// Public home page of the section, if the feed gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_page_url: Option<String>,
    /// Columns in navigation order, with their item counts.
    pub columns: Vec<ColumnInfo>,
    /// Total number of items.
    pub item_count: usize,
    /// Number of pages of the `all` list.
    pub pages: usize,
    /// Items per list page.
    pub page_size: usize,
    /// Variants present in this bundle.
    pub variants: Vec<String>,
    /// Build time, RFC 3339 UTC.
    pub built_at: String,
    /// Hex hash over every file's content; appended as `?v=` to bundle URLs.
    pub content_hash: String,
    /// Whether the bundle has the subscription feeds (`feeds/`,
    /// `crate::subscribe`): written when the build knows the site's URL.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub feeds: bool,
    /// Site-level text in the variants other than 简体, keyed by variant tag
    /// (`zh-Hant`). The manifest's own fields are the 简体 text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub localized: BTreeMap<String, SiteText>,
    /// 依申请公开: the `/apply` page's channels (`notes` sanitised).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply: Option<Apply>,
    /// The footer's items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<Footer>,
    /// Path of the 党政机关网站标识 in the bundle, when the footer shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gov_badge: Option<String>,
}

/// The site-level text of one variant: what the masthead, navigation and
/// titles show before any list or article is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteText {
    /// Feed title.
    pub title: String,
    /// 站点名称.
    pub site_name: String,
    /// 部门.
    pub department: String,
    /// Section title.
    pub section: String,
    /// Column names, in the manifest's column order.
    pub columns: Vec<String>,
    /// 依申请公开 in this variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply: Option<Apply>,
    /// The footer in this variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<Footer>,
}

impl Manifest {
    /// The site-level text of `variant`.
    pub fn site_text(&self, variant: Variant) -> SiteText {
        if let Some(text) = self.localized.get(variant.as_str()) {
            return text.clone();
        }
        SiteText {
            title: self.title.clone(),
            site_name: self.site_name.clone(),
            department: self.department.clone(),
            section: self.section.clone(),
            columns: self.columns.iter().map(|c| c.name.clone()).collect(),
            apply: self.apply.clone(),
            footer: self.footer.clone(),
        }
    }

    /// A copy of the manifest with its names in `variant`; the manifest
    /// itself if that variant has no text of its own (or is 简体).
    pub fn localize(&self, variant: Variant) -> Manifest {
        let mut m = self.clone();
        if let Some(text) = self.localized.get(variant.as_str()) {
            m.title = text.title.clone();
            m.site_name = text.site_name.clone();
            m.department = text.department.clone();
            m.section = text.section.clone();
            for (column, name) in m.columns.iter_mut().zip(&text.columns) {
                column.name = name.clone();
            }
            if text.apply.is_some() {
                m.apply = text.apply.clone();
            }
            if text.footer.is_some() {
                m.footer = text.footer.clone();
            }
        }
        m
    }

    /// Whether the bundle has `variant`'s files.
    pub fn has_variant(&self, variant: Variant) -> bool {
        self.variants.iter().any(|v| v == variant.as_str())
    }

    /// Looks up a column by id.
    pub fn column(&self, id: &str) -> Option<&ColumnInfo> {
        self.columns.iter().find(|c| c.id == id)
    }

    /// The column of a statutory kind, if the section has one.
    pub fn column_of_kind(&self, kind: ColumnKind) -> Option<&ColumnInfo> {
        self.columns.iter().find(|c| c.kind == Some(kind))
    }

    /// Query string to append to every bundle file URL except the manifest.
    pub fn cache_query(&self) -> String {
        format!("?v={}", self.content_hash)
    }
}

/// A column with its size, as listed in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnInfo {
    /// Column id (route and file name).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Number of items in the column.
    pub count: usize,
    /// Number of list pages of the column (at least 1).
    pub pages: usize,
    /// Which statutory column it is, if marked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ColumnKind>,
}

impl From<(&Column, usize)> for ColumnInfo {
    fn from((c, count): (&Column, usize)) -> Self {
        ColumnInfo {
            id: c.id.clone(),
            name: c.name.clone(),
            count,
            pages: page_count(count),
            kind: c.kind,
        }
    }
}

/// One list page of the app's data. Not a JSON Feed (bundle format 1
/// declared the version without being one): the subscription feeds
/// (`feeds/`, [`crate::subscribe`]) are the public ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListPage {
    /// e.g. `法定主动公开内容 - 第 2 页`.
    pub title: String,
    /// Public home page of the section, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_page_url: Option<String>,
    /// Relative URL of the next page, if any (relative to this file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_url: Option<String>,
    /// The page's items, newest first, without bodies.
    pub items: Vec<ListItem>,
    /// Paging information.
    #[serde(rename = "_gov")]
    pub gov: ListGov,
}

/// Paging information of a list page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListGov {
    /// `all` or a column id.
    pub list: String,
    /// This page, from 1.
    pub page: usize,
    /// Number of pages in this list.
    pub pages: usize,
    /// Number of items in this list.
    pub total: usize,
}

/// An item as it appears in a list: a JSON Feed item without a body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListItem {
    /// Item id.
    pub id: String,
    /// Canonical URL, if the feed gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Title.
    pub title: String,
    /// Summary, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// RFC 3339 publication time.
    pub date_published: String,
    /// Compact metadata for the row.
    #[serde(rename = "_gov")]
    pub gov: ListItemGov,
}

/// The metadata a list row shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItemGov {
    /// 索引号.
    pub index_no: String,
    /// Column id.
    pub category: String,
    /// Column name, so that a row renders without the manifest.
    pub category_name: String,
    /// 有效性, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<Validity>,
    /// 文号, if given (the 政策文件库's rows show it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_no: Option<String>,
    /// 成文日期, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_date: Option<String>,
}

/// A neighbour in the column, for 上一篇 / 下一篇 links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Neighbour {
    /// Item id.
    pub id: String,
    /// Title.
    pub title: String,
}

/// `items/<id>.json`: the full, sanitised item and its neighbours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleFile {
    /// The full item; `content_html` is sanitised.
    pub item: Item,
    /// The item's column.
    pub column: Column,
    /// The newer item in the same column (上一篇).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<Neighbour>,
    /// The older item in the same column (下一篇).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Neighbour>,
    /// The notice as Word and PDF files (下载Word / 下载PDF), written by
    /// `gongkai build` (crate `gongkai-docs`); empty when none were built.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub downloads: Vec<Download>,
    /// 相关文件: the notices this one is related to, either way
    /// ([`crate::library::closure`]), in the order the article shows them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedDoc>,
}

/// A file of the notice offered for download, in the article's variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Download {
    /// `docx` or `pdf`.
    pub kind: DownloadKind,
    /// Path relative to the bundle root, see [`download_path`].
    pub path: String,
    /// MIME type, e.g. `application/pdf`.
    pub mime_type: String,
    /// Size of the file.
    pub size_in_bytes: u64,
    /// File name to save it under (the `download` attribute):
    /// `<索引号, / replaced by ->-<title>.<ext>`.
    pub file_name: String,
}

/// The format of a [`Download`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DownloadKind {
    /// Word (Office Open XML), 下载Word.
    Docx,
    /// PDF, 下载PDF.
    Pdf,
}

impl DownloadKind {
    /// The file extension and serialised name: `docx` or `pdf`.
    pub fn as_str(self) -> &'static str {
        match self {
            DownloadKind::Docx => "docx",
            DownloadKind::Pdf => "pdf",
        }
    }

    /// The MIME type of the format.
    pub fn mime_type(self) -> &'static str {
        match self {
            DownloadKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            DownloadKind::Pdf => "application/pdf",
        }
    }
}

impl FromStr for DownloadKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "docx" => Ok(DownloadKind::Docx),
            "pdf" => Ok(DownloadKind::Pdf),
            other => Err(format!(
                "unknown download kind {other:?}: expected docx or pdf"
            )),
        }
    }
}

/// Directory (under the bundle root) of the downloadable files, written by
/// `gongkai-docs` straight to the publication's staging area (too large to
/// hold 10,000 in memory).
pub const FILES_DIR: &str = "files";

/// Path of a notice's downloadable file, relative to the bundle root:
/// `files/zh-Hans/<id>.pdf`.
pub fn download_path(variant: Variant, id: &str, kind: DownloadKind) -> String {
    format!("{FILES_DIR}/{}/{id}.{}", variant.as_str(), kind.as_str())
}

impl ListPage {
    /// An empty page, used when a column has no items yet.
    pub fn empty(list: &str, title: String) -> Self {
        ListPage {
            title,
            home_page_url: None,
            next_url: None,
            items: Vec::new(),
            gov: ListGov {
                list: list.to_owned(),
                page: 1,
                pages: 1,
                total: 0,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_count_edges() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(1), 1);
        assert_eq!(page_count(20), 1);
        assert_eq!(page_count(21), 2);
        assert_eq!(page_count(100_000), 5000);
    }

    #[test]
    fn variant_round_trips() {
        for v in [Variant::Hans, Variant::Hant] {
            assert_eq!(v.as_str().parse::<Variant>(), Ok(v));
        }
        assert!("zh".parse::<Variant>().is_err());
    }

    #[test]
    fn paths() {
        assert_eq!(
            list_path(Variant::Hans, "all", 2),
            "zh-Hans/list/all/2.json"
        );
        assert_eq!(
            item_path(Variant::Hant, "kjj1-2023-00026"),
            "zh-Hant/items/kjj1-2023-00026.json"
        );
    }
}
