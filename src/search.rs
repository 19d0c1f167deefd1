//! Running a search in the browser: fetch the index meta once, fetch only
//! the shards a query needs (kept for later queries), run the core engine,
//! and fetch what one page of results shows: the document table at once,
//! the snippets afterwards ([`snippet_for`], each when its row comes near
//! the screen: src/pages/search.rs), so the list never waits for twenty
//! article files.

use crate::api::{fetch_bytes, fetch_json, fetch_text, parse_article, AppError, BundleLocation};
use crate::i18n::Msg;
use gongkai_core::bundle::{item_path, ArticleFile, Manifest, Variant};
use gongkai_core::search::{
    chunk_path, highlight_ranges, html_to_text, snippet, DocChunk, DocEntry, DocTable,
    ExpansionKind, MatchStep, Matches, Options, Query, SearchFile, SearchMeta, Shards, META_PATH,
    SEARCH_FORMAT,
};
use leptos::prelude::*;
use std::ops::Range;
use std::sync::Arc;

/// Results a page shows.
pub const RESULTS_PER_PAGE: usize = 20;

/// Characters of text around the first match in a snippet.
pub const SNIPPET_CHARS: usize = 90;

/// What the reader sees of one result.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    /// Item id.
    pub id: String,
    /// Title in the reader's script.
    pub title: String,
    /// Byte ranges of the title to mark.
    pub title_marks: Vec<Range<usize>>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Column name in the reader's script.
    pub column: String,
    /// Column id.
    pub column_id: String,
    /// Publication time for a favourite made from this row: the Beijing
    /// date at midnight Beijing time, in RFC 3339 (the document table keeps
    /// days only, and a favourite shows only the day).
    pub date_published: String,
}

impl ResultRow {
    /// The favourite this row's 收藏 button adds.
    pub fn favourite(&self) -> crate::state::Favourite {
        crate::state::Favourite::new(
            &self.id,
            &self.title,
            &self.date_published,
            &self.column_id,
            &self.column,
        )
    }
}

/// 结果分类: the matches of one column, before the column filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnCount {
    /// Column id.
    pub id: String,
    /// Column name in the reader's script.
    pub name: String,
    /// Matches in it.
    pub count: usize,
}

/// What the query was widened to, in the reader's script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Widened {
    /// Pinyin or synonyms.
    pub kind: ExpansionKind,
    /// The query's term.
    pub term: String,
    /// The words also searched.
    pub words: Vec<String>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultPage {
    /// Matching documents in all.
    pub total: usize,
    /// This page, from 1.
    pub page: usize,
    /// Pages in all (at least 1).
    pub pages: usize,
    /// The rows of this page.
    pub rows: Vec<ResultRow>,
    /// Matches per column (navigation order), without the column filter.
    pub columns: Vec<ColumnCount>,
    /// The pinyin readings and synonyms searched too.
    pub widened: Vec<Widened>,
    /// 您是不是要找: words the reader may have meant (few results only).
    pub suggestions: Vec<String>,
    /// The query with the widened words, for marking titles and snippets.
    pub marks: Query,
}

/// How many queries' matches [`SearchCache`] keeps (the latest first):
/// enough for Back and Forward between a few searches; 800 KB each at most
/// on a site of 100,000 notices.
const KEPT_MATCHES: usize = 4;

/// A query's matches do not depend on its 排序 or page: the typed text and
/// the other options.
type MatchKey = (String, Options);

/// The parts of the index downloaded so far, kept for the whole visit so
/// a later query only fetches what it does not have yet, and the matches
/// of the latest queries, so paging, switching 排序 and going Back do not
/// run a query again.
#[derive(Clone, Copy)]
pub struct SearchCache {
    meta: StoredValue<Option<Arc<SearchMeta>>>,
    /// Every search file loaded so far (shards, dates, columns).
    shards: StoredValue<Shards>,
    /// The document table of each script (简体, 繁體): each reader loads
    /// only the titles they read.
    docs: StoredValue<[DocTable; 2]>,
    matches: StoredValue<Vec<(MatchKey, Arc<Matches>)>>,
    /// The bundle's `content_hash` everything above came from.
    built: StoredValue<Option<String>>,
}

impl Default for SearchCache {
    fn default() -> Self {
        Self::new()
    }
}

impl SearchCache {
    /// An empty cache.
    pub fn new() -> Self {
        SearchCache {
            meta: StoredValue::new(None),
            shards: StoredValue::new(Shards::default()),
            docs: StoredValue::new(Default::default()),
            matches: StoredValue::new(Vec::new()),
            built: StoredValue::new(None),
        }
    }

    /// Makes the cache hold parts of the bundle `content_hash` only: if the
    /// site was rebuilt during the visit (a later manifest, fetched by
    /// 重试, names another hash), everything kept so far is dropped, since
    /// document numbers and shards of two builds must never mix. Returns
    /// whether anything was dropped.
    pub fn adopt(&self, content_hash: &str) -> bool {
        let stale = self
            .built
            .with_value(|b| b.as_deref().is_some_and(|b| b != content_hash));
        if stale {
            self.meta.set_value(None);
            self.shards.set_value(Shards::default());
            self.docs.set_value(Default::default());
            self.matches.set_value(Vec::new());
        }
        self.built.set_value(Some(content_hash.to_owned()));
        stale
    }

    /// The kept matches of `key`, moved to the front (most recent).
    fn kept_matches(&self, key: &MatchKey) -> Option<Arc<Matches>> {
        self.matches.try_update_value(|kept| {
            let i = kept.iter().position(|(k, _)| k == key)?;
            let entry = kept.remove(i);
            let found = entry.1.clone();
            kept.insert(0, entry);
            Some(found)
        })?
    }

    fn keep_matches(&self, key: MatchKey, matches: Arc<Matches>) {
        self.matches.update_value(|kept| {
            kept.retain(|(k, _)| *k != key);
            kept.insert(0, (key, matches));
            kept.truncate(KEPT_MATCHES);
        });
    }

    async fn meta(
        &self,
        bundle: &BundleLocation,
        manifest: &Manifest,
    ) -> Result<Arc<SearchMeta>, AppError> {
        if let Some(meta) = self.meta.get_value() {
            return Ok(meta);
        }
        let url = bundle.file_url(manifest, META_PATH);
        let meta: SearchMeta = fetch_json(&url, false).await?;
        // Files of another format decode without error but mean something
        // else: refuse them by name rather than return wrong results.
        if meta.format != SEARCH_FORMAT {
            return Err(AppError::Format {
                url,
                found: meta.format,
                expected: SEARCH_FORMAT,
            });
        }
        let meta = Arc::new(meta);
        self.meta.set_value(Some(meta.clone()));
        Ok(meta)
    }

    async fn load_files(
        &self,
        bundle: &BundleLocation,
        manifest: &Manifest,
        needed: Vec<SearchFile>,
    ) -> Result<(), AppError> {
        let missing: Vec<SearchFile> = self
            .shards
            .with_value(|s| needed.into_iter().filter(|f| !s.has(*f)).collect());
        let fetches = missing.into_iter().map(|f| async move {
            let url = bundle.file_url(manifest, &f.path());
            let bytes = fetch_bytes(&url).await?;
            Ok::<_, AppError>((f, url, bytes))
        });
        for loaded in futures::future::join_all(fetches).await {
            let (f, url, bytes) = loaded?;
            self.shards
                .try_update_value(|s| s.load(f, bytes))
                .unwrap_or(Ok(()))
                .map_err(|e| corrupt(&url, e))?;
        }
        Ok(())
    }

    async fn load_chunks(
        &self,
        bundle: &BundleLocation,
        manifest: &Manifest,
        meta: &SearchMeta,
        docs: &[u32],
        variant: Variant,
    ) -> Result<(), AppError> {
        let mut chunks: Vec<u32> = docs.iter().map(|d| meta.chunk_of(*d)).collect();
        chunks.sort_unstable();
        chunks.dedup();
        let v = table_of(variant);
        // A chunk is loaded whole, so its first document stands for it.
        let missing: Vec<u32> = self.docs.with_value(|t| {
            chunks
                .into_iter()
                .filter(|c| t[v].get(c * meta.doc_chunk.max(1)).is_none())
                .collect()
        });
        let fetches = missing.into_iter().map(|c| async move {
            let url = bundle.file_url(manifest, &chunk_path(c, variant));
            fetch_json::<DocChunk>(&url, false).await
        });
        for chunk in futures::future::join_all(fetches).await {
            let chunk = chunk?;
            self.docs.update_value(|t| t[v].insert(chunk));
        }
        Ok(())
    }

    /// The document-table rows of `docs` (search document numbers) in the
    /// reader's `script` (简体 when the bundle has no such variant), fetched
    /// as needed and kept for the visit. The 政策文件库 shows its rows with
    /// them.
    pub async fn doc_rows(
        &self,
        bundle: &BundleLocation,
        manifest: &Manifest,
        docs: &[u32],
        script: Variant,
    ) -> Result<Vec<DocEntry>, AppError> {
        self.adopt(&manifest.content_hash);
        let meta = self.meta(bundle, manifest).await?;
        let table = if manifest.has_variant(script) {
            script
        } else {
            Variant::Hans
        };
        self.load_chunks(bundle, manifest, &meta, docs, table)
            .await?;
        Ok(self.rows(docs, table))
    }

    /// The rows of `docs` in the table of `variant`, as loaded.
    fn rows(&self, docs: &[u32], variant: Variant) -> Vec<DocEntry> {
        let v = table_of(variant);
        self.docs
            .with_value(|t| docs.iter().filter_map(|d| t[v].get(*d).cloned()).collect())
    }
}

/// The index of a script's document table in [`SearchCache`].
fn table_of(variant: Variant) -> usize {
    usize::from(variant == Variant::Hant)
}

fn corrupt(url: &str, e: impl std::fmt::Display) -> AppError {
    AppError::Parse {
        url: url.to_owned(),
        line: 0,
        column: 0,
        message: e.to_string(),
    }
}

/// Runs `query` and prepares page `page` of its results in `script`.
pub async fn run(
    cache: SearchCache,
    bundle: &BundleLocation,
    manifest: &Manifest,
    query: &Query,
    page: usize,
    script: Variant,
) -> Result<ResultPage, AppError> {
    cache.adopt(&manifest.content_hash);
    let meta = cache.meta(bundle, manifest).await?;
    // Term shards first; what they point to (long lists, position blocks)
    // in later rounds; at most three rounds, each fetched in parallel. The
    // round that finds everything loaded is the search itself. Every match
    // is kept; only this page and those before it are put in order (top-k).
    let limit = page.saturating_mul(RESULTS_PER_PAGE);
    let mut options = query.options().clone();
    let sort = std::mem::take(&mut options.sort);
    let key: MatchKey = (query.text().to_owned(), options);
    #[cfg(feature = "bench")]
    bench::mark_start();
    let matches = match cache.kept_matches(&key) {
        Some(matches) => matches,
        None => {
            let mut round = 0;
            let matches = loop {
                #[cfg(feature = "bench")]
                bench::mark_start();
                let step = cache
                    .shards
                    .with_value(|shards| query.step_matches(&meta, shards))
                    .map_err(|e| corrupt(&bundle.file_url(manifest, META_PATH), e))?;
                match step {
                    MatchStep::Done(matches) => break Arc::new(matches),
                    // A sound index needs three rounds; more means it points in circles.
                    MatchStep::Fetch(_) if round == 8 => {
                        return Err(corrupt(
                            &bundle.file_url(manifest, META_PATH),
                            "the index keeps asking for more shards",
                        ));
                    }
                    MatchStep::Fetch(missing) => {
                        cache.load_files(bundle, manifest, missing).await?;
                        round += 1;
                    }
                }
            };
            cache.keep_matches(key, matches.clone());
            matches
        }
    };
    let results = matches.top(sort, limit);
    #[cfg(feature = "bench")]
    bench::measure();
    let pages = results.total.div_ceil(RESULTS_PER_PAGE).max(1);
    if page == 0 || page > pages {
        return Err(AppError::NotFound(crate::api::Missing::Page {
            page,
            pages,
        }));
    }
    let docs: Vec<u32> = results
        .hits
        .iter()
        .skip((page - 1) * RESULTS_PER_PAGE)
        .take(RESULTS_PER_PAGE)
        .map(|h| h.doc)
        .collect();
    // 繁體 readers get the 繁體 titles when the bundle has them.
    let table = if manifest.has_variant(script) {
        script
    } else {
        Variant::Hans
    };
    cache
        .load_chunks(bundle, manifest, &meta, &docs, table)
        .await?;
    let entries = cache.rows(&docs, table);
    let local = manifest.localize(script);
    let marks = query.expanded(matches.expansions());
    let rows = entries
        .into_iter()
        .map(|entry| {
            let title = entry.title;
            let column = local
                .column(&entry.column)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| entry.column.clone());
            ResultRow {
                id: entry.id,
                title_marks: highlight_ranges(&title, &marks),
                title,
                date_published: format!("{}T00:00:00+08:00", entry.date),
                date: entry.date,
                column,
                column_id: entry.column,
            }
        })
        .collect();
    let columns = local
        .columns
        .iter()
        .filter_map(|c| {
            let (_, count) = matches.columns().iter().find(|(id, _)| *id == c.id)?;
            Some(ColumnCount {
                id: c.id.clone(),
                name: c.name.clone(),
                count: *count,
            })
        })
        .collect();
    let widened = matches
        .expansions()
        .iter()
        .map(|e| Widened {
            kind: e.kind,
            term: e.term.text(table).to_owned(),
            words: e.words.iter().map(|w| w.text(table).to_owned()).collect(),
        })
        .collect();
    let suggestions = matches
        .suggestions()
        .iter()
        .map(|w| w.text(table).to_owned())
        .collect();
    Ok(ResultPage {
        total: results.total,
        page,
        pages,
        rows,
        columns,
        widened,
        suggestions,
        marks,
    })
}

/// A snippet: text around the first match, and the byte ranges to mark.
pub type Snippet = (String, Vec<Range<usize>>);

/// The snippet of result `id` in `script`: the text around the first match
/// in its article file, and the byte ranges to mark. Fetched per row after
/// the list is shown.
pub async fn snippet_for(
    bundle: &BundleLocation,
    manifest: &Manifest,
    script: Variant,
    id: &str,
    query: &Query,
) -> Result<Snippet, AppError> {
    let variant = if manifest.has_variant(script) {
        script
    } else {
        Variant::Hans
    };
    let url = bundle.file_url(manifest, &item_path(variant, id));
    let article = parse_article(&url, &fetch_text(&url, false).await?)?;
    Ok(article_snippet(&article, query))
}

/// The snippet of an article: the text of its (sanitised) body around the
/// first match of `query`, and the byte ranges to mark.
pub fn article_snippet(article: &ArticleFile, query: &Query) -> Snippet {
    let text = html_to_text(article.item.content_html.as_deref().unwrap_or_default());
    snippet(&text, query, SNIPPET_CHARS)
}

/// User Timing for bench builds (`--features bench`): the in-memory search
/// as `performance.measure("gk-search-lookup")`.
#[cfg(feature = "bench")]
mod bench {
    const START: &str = "gk-search-lookup-start";

    fn performance() -> Option<web_sys::Performance> {
        web_sys::window()?.performance()
    }

    pub fn mark_start() {
        if let Some(p) = performance() {
            let _ = p.mark(START);
        }
    }

    pub fn measure() {
        if let Some(p) = performance() {
            let _ = p.measure_with_start_mark("gk-search-lookup", START);
        }
    }
}

/// Query runs of the warm-up ([`gongkai_core::search::warm`]): enough for
/// the engine to optimise the search code.
const WARM_RUNS: usize = 600;

/// Runs per idle slice: a few milliseconds each, even on a slow phone
/// before the code is optimised.
const WARM_SLICE: usize = 40;

thread_local! {
    static WARMING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Warms the search code up in idle time, once per page life, so that the
/// reader's first query runs optimised code (3–5 ms → under 1 ms in the
/// lookup, `bench/search/app.sh`). Called when a search box takes focus
/// and when the search page opens; later calls do nothing.
pub fn warm_up_soon() {
    if WARMING.with(|w| w.replace(true)) {
        return;
    }
    fn slice(left: usize) {
        let n = left.min(WARM_SLICE);
        std::hint::black_box(gongkai_core::search::warm::warm_up(n));
        if left > n {
            request_idle_callback(move || slice(left - n));
        }
    }
    request_idle_callback(|| slice(WARM_RUNS));
}

/// The no-results advice for `query`'s options.
pub fn suggestions(mode_is_exact: bool, scope_is_title: bool) -> Vec<Msg> {
    let mut out = Vec::new();
    if mode_is_exact {
        out.push(Msg::TryFuzzy);
    }
    if scope_is_title {
        out.push(Msg::TryFull);
    }
    out
}

/// Marks every match of `query` inside `root` (the article body) with
/// `<mark class="gk-mark">`, text node by text node, so the sanitised HTML
/// is never re-parsed. Returns how many marks were added.
pub fn highlight_element(root: &web_sys::Element, query: &Query) -> usize {
    use wasm_bindgen::JsCast;
    let Some(document) = root.owner_document() else {
        return 0;
    };
    // Collect first: splitting text nodes while walking would revisit them.
    let mut texts = Vec::new();
    let mut stack = vec![root.clone().unchecked_into::<web_sys::Node>()];
    while let Some(node) = stack.pop() {
        let children = node.child_nodes();
        for i in 0..children.length() {
            let Some(child) = children.item(i) else {
                continue;
            };
            match child.node_type() {
                web_sys::Node::TEXT_NODE => texts.push(child.unchecked_into::<web_sys::Text>()),
                web_sys::Node::ELEMENT_NODE if child.node_name() != "MARK" => stack.push(child),
                _ => {}
            }
        }
    }
    let mut added = 0;
    for text in texts {
        let content = text.data();
        let ranges = highlight_ranges(&content, query);
        // From the end, so earlier offsets stay valid after each split.
        for r in ranges.into_iter().rev() {
            let utf16 = |byte: usize| content[..byte].encode_utf16().count() as u32;
            let (start, end) = (utf16(r.start), utf16(r.end));
            if text.split_text(end).is_err() {
                continue;
            }
            let Ok(middle) = text.split_text(start) else {
                continue;
            };
            let Ok(mark) = document.create_element("mark") else {
                continue;
            };
            mark.set_class_name("gk-mark");
            if let Some(parent) = middle.parent_node() {
                if parent.replace_child(&mark, &middle).is_ok()
                    && mark.append_child(&middle).is_ok()
                {
                    added += 1;
                }
            }
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rebuilt_bundle_drops_what_was_kept() {
        let cache = SearchCache::new();
        assert!(!cache.adopt("h1"), "nothing kept yet");
        let meta = SearchMeta {
            format: SEARCH_FORMAT,
            docs: 3,
            shards: 1,
            doc_chunk: 8,
            avg_title_len: 1.0,
            avg_full_len: 1.0,
            columns: Vec::new(),
            synonyms: None,
            order: false,
            delta: None,
        };
        cache.meta.set_value(Some(Arc::new(meta)));
        cache.keep_matches(
            ("q".into(), Options::default()),
            Arc::new(Matches::default()),
        );
        assert!(!cache.adopt("h1"), "the same build keeps everything");
        assert!(cache.meta.with_value(Option::is_some));
        assert!(cache
            .kept_matches(&("q".into(), Options::default()))
            .is_some());
        assert!(cache.adopt("h2"), "another build drops everything");
        assert!(cache.meta.with_value(Option::is_none));
        assert!(cache
            .kept_matches(&("q".into(), Options::default()))
            .is_none());
    }

    /// Issue #15, fault 1: a snippet of a body with `&`, `<` or `>` before
    /// Chinese text panicked in the entity decoder (the tab's wasm aborts).
    #[test]
    fn snippets_of_references_before_chinese_text() {
        let mut article: ArticleFile =
            serde_json::from_str(include_str!("../tests/fixtures/article.json")).unwrap();
        for (body, query, text, marked) in [
            (
                "<p>依据&lt;&lt;中华人民共和国政府信息公开条例&gt;&gt;规定</p>",
                "信息公开条例",
                "依据<<中华人民共和国政府信息公开条例>>规定",
                "信息公开条例",
            ),
            (
                "<p>科技&amp;创新驱动发展</p>",
                "创新驱动",
                "科技&创新驱动发展",
                "创新驱动",
            ),
        ] {
            article.item.content_html = Some(body.to_owned());
            let query = Query::parse(query, Options::default()).unwrap();
            let (snippet, ranges) = article_snippet(&article, &query);
            assert_eq!(snippet, text);
            assert_eq!(&snippet[ranges[0].clone()], marked);
        }
    }

    #[test]
    fn kept_matches_are_the_latest_four() {
        let cache = SearchCache::new();
        let key = |q: &str| (q.to_owned(), Options::default());
        for q in ["a", "b", "c", "d"] {
            cache.keep_matches(key(q), Arc::new(Matches::default()));
        }
        // Using "a" makes it the latest: "b" is the one to go.
        assert!(cache.kept_matches(&key("a")).is_some());
        cache.keep_matches(key("e"), Arc::new(Matches::default()));
        assert!(cache.kept_matches(&key("b")).is_none());
        for q in ["a", "c", "d", "e"] {
            assert!(cache.kept_matches(&key(q)).is_some(), "{q} kept");
        }
    }
}
