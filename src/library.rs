//! The 政策文件库's data in the browser, and the one function that turns a
//! state into a page of it ([`LibraryView::compute`]), which the build's
//! static pages call too (docs/library.md).
//!
//! The first view (everything, newest first) loads only `library/facets.json`
//! and page 1 of the `all` list: the counts are the facets file's, the rows
//! the list page's. Any other state needs `library/index.bin` (fetched once,
//! in the background after the first view) and the search index's document
//! table for its rows' titles ([`SearchCache::doc_rows`]).

use crate::api::{fetch_bytes, fetch_json, load_list, AppError, BundleLocation};
use crate::format::display_date;
use crate::routes::LibraryParams;
use crate::search::SearchCache;
use crate::state::Favourite;
use gongkai_core::bundle::{page_count, ListItem, Manifest, Variant, ALL_LIST, PAGE_SIZE};
use gongkai_core::docno::DocNo;
use gongkai_core::feed::Validity;
use gongkai_core::library::{
    Facet, LibraryFacets, LibraryIndex, Outcome, FACETS_PATH, INDEX_PATH, LIBRARY_FORMAT,
};
use gongkai_core::search::DocEntry;
use leptos::prelude::*;
use std::sync::Arc;

/// A document as a row of the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryRow {
    /// Item id.
    pub id: String,
    /// Title in the reader's script.
    pub title: String,
    /// Publication date, `YYYY-MM-DD` (Beijing).
    pub date: String,
    /// Publication time for a favourite made from the row.
    pub date_published: String,
    /// Column id.
    pub column_id: String,
    /// Column name in the reader's script.
    pub column: String,
    /// 有效性.
    pub validity: Option<Validity>,
    /// 文号, in the GB/T 9704 form where it could be read.
    pub doc_no: Option<String>,
    /// 成文日期, `YYYY-MM-DD`.
    pub written: Option<String>,
}

impl LibraryRow {
    /// The row of a list page's item (the first view, and the static pages).
    pub fn from_list_item(item: &ListItem, script: Variant) -> Self {
        let g = &item.gov;
        LibraryRow {
            id: item.id.clone(),
            title: item.title.clone(),
            date: display_date(&item.date_published),
            date_published: item.date_published.clone(),
            column_id: g.category.clone(),
            column: g.category_name.clone(),
            validity: g.validity,
            doc_no: g.doc_no.as_deref().map(|s| match DocNo::parse(s) {
                Ok(n) => n.display(script),
                Err(_) => s.to_owned(),
            }),
            written: g.written_date.clone(),
        }
    }

    /// The row of document `doc` from its document-table entry and the index.
    pub fn from_index(
        entry: DocEntry,
        doc: u32,
        index: &LibraryIndex,
        manifest: &Manifest,
        script: Variant,
    ) -> Self {
        let column = manifest
            .column(&entry.column)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| entry.column.clone());
        LibraryRow {
            date_published: format!("{}T00:00:00+08:00", entry.date),
            date: entry.date,
            id: entry.id,
            title: entry.title,
            column,
            column_id: entry.column,
            validity: index.validity(doc),
            doc_no: index.doc_no(doc, script),
            written: index.written(doc).map(|d| d.to_string()),
        }
    }

    /// The favourite the row's 收藏 button adds.
    pub fn favourite(&self) -> Favourite {
        Favourite::new(
            &self.id,
            &self.title,
            &self.date_published,
            &self.column_id,
            &self.column,
        )
    }
}

/// What the 文号 box found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocNoNote {
    /// No 文号 was asked for.
    None,
    /// The text is not a 文号; the list is not narrowed by it.
    NotADocNo(String),
    /// Documents with the 文号 (or the same year and number) are listed
    /// first; `exact` of them have the very 文号.
    Found {
        /// The 文号 as typed.
        text: String,
        /// Documents with the same 代字, year and number.
        exact: usize,
    },
}

/// One page of the library in a state: everything its view shows.
#[derive(Debug, Clone, PartialEq)]
pub struct LibraryView {
    /// The state.
    pub params: LibraryParams,
    /// The facet values and their names.
    pub facets: Arc<LibraryFacets>,
    /// Per facet (by [`Facet::index`]) and value code: its count in this state.
    pub counts: Vec<Vec<u32>>,
    /// Documents in this state.
    pub total: usize,
    /// This page, from 1.
    pub page: usize,
    /// Pages (at least 1).
    pub pages: usize,
    /// The rows of this page.
    pub rows: Vec<LibraryRow>,
    /// The 文号 box's outcome.
    pub docno: DocNoNote,
}

/// Why a page of the library cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageError {
    /// The page number is past the end.
    OutOfRange {
        /// The page asked for.
        page: usize,
        /// Pages there are.
        pages: usize,
    },
}

impl LibraryView {
    /// Page `page` of state `params`, with the index loaded, and the
    /// documents of its rows, in order: the caller makes the rows (from the
    /// document table in the browser, from the list pages at build time).
    pub fn compute(
        facets: Arc<LibraryFacets>,
        index: &LibraryIndex,
        params: &LibraryParams,
        page: usize,
    ) -> Result<(LibraryView, Vec<u32>), PageError> {
        let outcome = index.apply(&facets, &params.selection());
        LibraryView::paged(facets, params, &outcome, page)
    }

    /// Page `page` of an outcome of [`LibraryIndex::apply`] for `params`.
    pub fn paged(
        facets: Arc<LibraryFacets>,
        params: &LibraryParams,
        outcome: &Outcome,
        page: usize,
    ) -> Result<(LibraryView, Vec<u32>), PageError> {
        let total = outcome.docs.len();
        let pages = page_count(total);
        if page == 0 || page > pages {
            return Err(PageError::OutOfRange { page, pages });
        }
        let shown: Vec<u32> = outcome
            .docs
            .iter()
            .skip((page - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .copied()
            .collect();
        let docno = docno_note(params, || {
            outcome
                .docno
                .iter()
                .filter(|m| **m == gongkai_core::docno::DocNoMatch::Full)
                .count()
        });
        let view = LibraryView {
            params: params.clone(),
            facets,
            counts: outcome.counts.clone(),
            total,
            page,
            pages,
            rows: Vec::new(),
            docno,
        };
        Ok((view, shown))
    }

    /// The first view (see [`LibraryParams::is_first_view`]): the facets
    /// file's counts and a page of the `all` list.
    pub fn first_view(
        facets: Arc<LibraryFacets>,
        params: &LibraryParams,
        list: &gongkai_core::bundle::ListPage,
        script: Variant,
    ) -> LibraryView {
        let counts = Facet::ALL
            .iter()
            .map(|f| facets.get(*f).counts.clone())
            .collect();
        LibraryView {
            params: params.clone(),
            counts,
            total: list.gov.total,
            page: list.gov.page,
            pages: list.gov.pages,
            rows: list
                .items
                .iter()
                .map(|i| LibraryRow::from_list_item(i, script))
                .collect(),
            docno: DocNoNote::None,
            facets,
        }
    }
}

fn docno_note(params: &LibraryParams, exact: impl FnOnce() -> usize) -> DocNoNote {
    match (&params.docno, params.docno_query()) {
        (None, _) => DocNoNote::None,
        (Some(text), None) => DocNoNote::NotADocNo(text.clone()),
        (Some(text), Some(_)) => DocNoNote::Found {
            text: text.clone(),
            exact: exact(),
        },
    }
}

/// The library's files, loaded once a visit (per build: a new manifest
/// hash drops them).
#[derive(Clone, Copy)]
pub struct LibraryCache {
    facets: StoredValue<Option<Arc<LibraryFacets>>>,
    index: StoredValue<Option<Arc<LibraryIndex>>>,
    built: StoredValue<Option<String>>,
}

impl Default for LibraryCache {
    fn default() -> Self {
        Self::new()
    }
}

fn corrupt(url: &str, e: impl std::fmt::Display) -> AppError {
    AppError::Parse {
        url: url.to_owned(),
        line: 0,
        column: 0,
        message: e.to_string(),
    }
}

impl LibraryCache {
    /// An empty cache.
    pub fn new() -> Self {
        LibraryCache {
            facets: StoredValue::new(None),
            index: StoredValue::new(None),
            built: StoredValue::new(None),
        }
    }

    fn adopt(&self, content_hash: &str) {
        let stale = self
            .built
            .with_value(|b| b.as_deref().is_some_and(|b| b != content_hash));
        if stale {
            self.facets.set_value(None);
            self.index.set_value(None);
        }
        self.built.set_value(Some(content_hash.to_owned()));
    }

    /// `library/facets.json`.
    pub async fn facets(
        &self,
        bundle: &BundleLocation,
        manifest: &Manifest,
    ) -> Result<Arc<LibraryFacets>, AppError> {
        self.adopt(&manifest.content_hash);
        if let Some(f) = self.facets.get_value() {
            return Ok(f);
        }
        let url = bundle.file_url(manifest, FACETS_PATH);
        let facets: LibraryFacets = fetch_json(&url, false).await?;
        if facets.format != LIBRARY_FORMAT {
            return Err(AppError::Format {
                url,
                found: facets.format,
                expected: LIBRARY_FORMAT,
            });
        }
        let facets = Arc::new(facets);
        self.facets.set_value(Some(facets.clone()));
        Ok(facets)
    }

    /// `library/index.bin`, decoded against the facets.
    pub async fn index(
        &self,
        bundle: &BundleLocation,
        manifest: &Manifest,
    ) -> Result<Arc<LibraryIndex>, AppError> {
        let facets = self.facets(bundle, manifest).await?;
        if let Some(i) = self.index.get_value() {
            return Ok(i);
        }
        let url = bundle.file_url(manifest, INDEX_PATH);
        let bytes = fetch_bytes(&url).await?;
        let index = Arc::new(LibraryIndex::decode(&bytes, &facets).map_err(|e| corrupt(&url, e))?);
        self.index.set_value(Some(index.clone()));
        Ok(index)
    }

    /// Fetches the index in the background, so that the reader's first
    /// choice does not wait for it. A failure is left for the choice to
    /// report.
    pub fn prefetch_index(&self, bundle: BundleLocation, manifest: Arc<Manifest>) {
        if self.index.with_value(Option::is_some) {
            return;
        }
        let cache = *self;
        leptos::task::spawn_local(async move {
            let _ = cache.index(&bundle, &manifest).await;
        });
    }
}

/// Loads page `page` of the library in state `params`, in `script`.
pub async fn load(
    cache: LibraryCache,
    search: SearchCache,
    bundle: &BundleLocation,
    manifest: &Manifest,
    params: &LibraryParams,
    page: usize,
    script: Variant,
) -> Result<LibraryView, AppError> {
    let facets = cache.facets(bundle, manifest).await?;
    let local = manifest.localize(script);
    if params.is_first_view() {
        let list = load_list(bundle, manifest, script, ALL_LIST, page).await?;
        return Ok(LibraryView::first_view(facets, params, &list, script));
    }
    let index = cache.index(bundle, manifest).await?;
    let (mut view, docs) = LibraryView::compute(facets, &index, params, page).map_err(
        |PageError::OutOfRange { page, pages }| {
            AppError::NotFound(crate::api::Missing::Page { page, pages })
        },
    )?;
    let entries = search.doc_rows(bundle, manifest, &docs, script).await?;
    if entries.len() != docs.len() {
        return Err(corrupt(
            &bundle.file_url(manifest, INDEX_PATH),
            "the search index's document table lacks documents the library lists",
        ));
    }
    view.rows = entries
        .into_iter()
        .zip(docs)
        .map(|(e, d)| LibraryRow::from_index(e, d, &index, &local, script))
        .collect();
    Ok(view)
}

/// Calls `f` with every page of the library the build writes as a static
/// page, in `script`: everything (newest first), then each value of each
/// facet that has documents, page by page. `rows` are the `all` list's
/// items in order (document `d` is `rows[d]`).
#[cfg(feature = "prerender")]
pub fn for_each_static_view<E>(
    facets: &Arc<LibraryFacets>,
    index: &LibraryIndex,
    rows: &[ListItem],
    script: Variant,
    mut f: impl FnMut(LibraryView) -> Result<(), E>,
) -> Result<(), E> {
    let row = |d: &u32| {
        rows.get(*d as usize)
            .map(|i| LibraryRow::from_list_item(i, script))
    };
    let mut states = vec![LibraryParams::default()];
    for facet in Facet::ALL {
        let values = facets.get(facet);
        for (value, count) in values.values.iter().zip(&values.counts) {
            if *count > 0 {
                states.push(LibraryParams::only(facet, value));
            }
        }
    }
    for params in states {
        let outcome = index.apply(facets, &params.selection());
        for page in 1..=page_count(outcome.docs.len()) {
            if let Ok((mut view, docs)) =
                LibraryView::paged(facets.clone(), &params, &outcome, page)
            {
                view.rows = docs.iter().filter_map(row).collect();
                f(view)?;
            }
        }
    }
    Ok(())
}
