//! Code the reader downloads only when it is needed (issue 16).
//!
//! The site's build (trunk, with the `split` feature: see index.html)
//! cuts the wasm at every function marked `#[lazy]` here: each becomes a
//! chunk the browser fetches the first time the function runs, with the
//! code only it needs (scripts/trunk-post-build, docs/performance.md). A
//! reader of lists never downloads the article page, search or 我的收藏.
//! Without the feature (native and wasm tests, clippy, the CLI's static
//! render) these are plain async functions that run at once.
//!
//! The chunk names are read by scripts/trunk-post-build: `page_<route>`
//! is the page of a route, which the boot module fetches ahead, alongside
//! the app's own wasm, when the reader opens that route; every other
//! chunk is fetched when first used.

use crate::components::{Aid, ReadingAids};
use crate::pages::{
    ApplyPage, ArticlePage, ColumnPage, FavouritesPage, HomePage, LibraryPage, SearchPage,
};
use crate::state::Settings;
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// The home page (`column` false) or a column's list.
#[cfg_attr(feature = "split", leptos::lazy(page_list))]
async fn page_list(column: bool) -> AnyView {
    if column {
        view! { <ColumnPage/> }.into_any()
    } else {
        view! { <HomePage/> }.into_any()
    }
}

/// An article.
#[cfg_attr(feature = "split", leptos::lazy(page_article))]
async fn page_article() -> AnyView {
    view! { <ArticlePage/> }.into_any()
}

/// Search results (with the engine).
#[cfg_attr(feature = "split", leptos::lazy(page_search))]
async fn page_search() -> AnyView {
    view! { <SearchPage/> }.into_any()
}

/// 我的收藏 (with import and export).
#[cfg_attr(feature = "split", leptos::lazy(page_favourites))]
async fn page_favourites() -> AnyView {
    view! { <FavouritesPage/> }.into_any()
}

/// 政策文件库 (`/library`, `/library/:facet/:value`): facets and the 文号 box.
#[cfg_attr(feature = "split", leptos::lazy(page_library))]
async fn page_library() -> AnyView {
    view! { <LibraryPage/> }.into_any()
}

/// 依申请公开 (`/apply`): how to apply for information.
#[cfg_attr(feature = "split", leptos::lazy(page_apply))]
async fn page_apply() -> AnyView {
    view! { <ApplyPage/> }.into_any()
}

/// Warms the search code up while the reader types a query
/// ([`crate::search::warm_up_soon`]): the engine arrives with it.
#[cfg_attr(feature = "split", leptos::lazy(search_warm))]
pub async fn warm_up_search() {
    crate::search::warm_up_soon();
}

/// Marks the terms of the search that led to an article (`?hl=…&match=…`)
/// in its body `body`: the query is parsed and matched by the search
/// engine, so the engine comes with this chunk.
#[cfg_attr(feature = "split", leptos::lazy(mark_search_terms))]
pub async fn mark_search_terms(body: web_sys::Element, text: String, mode: String) {
    let options = gongkai_core::search::Options {
        mode: mode.parse().unwrap_or_default(),
        ..Default::default()
    };
    if let Ok(query) = gongkai_core::search::Query::parse(&text, options) {
        crate::search::highlight_element(&body, &query);
    }
}

/// The reading aids: the 无障碍阅读 toolbar, 十字线, 大字幕, 指读 and 连读
/// (with speech), fetched when the reader first turns one on.
#[cfg_attr(feature = "split", leptos::lazy(reading_aids))]
pub async fn reading_aids(aid: Aid, settings: Settings, aids: ReadingAids) -> Option<AnyView> {
    crate::components::run_aid(aid, settings, aids)
}

/// `/`: [`HomePage`], on demand.
pub struct HomeRoute;

impl LazyRoute for HomeRoute {
    fn data() -> Self {
        HomeRoute
    }

    async fn view(_: Self) -> AnyView {
        page_list(false).await
    }
}

/// `/column/:id`: [`ColumnPage`], on demand.
pub struct ColumnRoute;

impl LazyRoute for ColumnRoute {
    fn data() -> Self {
        ColumnRoute
    }

    async fn view(_: Self) -> AnyView {
        page_list(true).await
    }
}

/// `/article/:id`: [`ArticlePage`], on demand.
pub struct ArticleRoute;

impl LazyRoute for ArticleRoute {
    fn data() -> Self {
        ArticleRoute
    }

    async fn view(_: Self) -> AnyView {
        page_article().await
    }
}

/// `/search`: [`SearchPage`], on demand.
pub struct SearchRoute;

impl LazyRoute for SearchRoute {
    fn data() -> Self {
        SearchRoute
    }

    async fn view(_: Self) -> AnyView {
        page_search().await
    }
}

/// `/favourites`: [`FavouritesPage`], on demand.
pub struct FavouritesRoute;

impl LazyRoute for FavouritesRoute {
    fn data() -> Self {
        FavouritesRoute
    }

    async fn view(_: Self) -> AnyView {
        page_favourites().await
    }
}

/// `/library` and `/library/:facet/:value`: [`LibraryPage`], on demand.
pub struct LibraryRoute;

impl LazyRoute for LibraryRoute {
    fn data() -> Self {
        LibraryRoute
    }

    async fn view(_: Self) -> AnyView {
        page_library().await
    }
}

/// `/apply`: [`ApplyPage`], on demand.
pub struct ApplyRoute;

impl LazyRoute for ApplyRoute {
    fn data() -> Self {
        ApplyRoute
    }

    async fn view(_: Self) -> AnyView {
        page_apply().await
    }
}
