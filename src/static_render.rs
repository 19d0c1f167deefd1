//! Static pages: every list page and article rendered ahead of time by
//! `gongkai build`, from the very components the app renders, so that a page
//! works without JavaScript and the app can take it over without a jump.
//!
//! The build renders `<App/>` natively (tachys' `ssr` renderer) with a
//! [`Prerender`] in context: the data the page's loader would fetch. The
//! loaders hand it to the same pure views (`ListView`, `ArticleView`) they
//! use once their fetch completes; the chrome is `<App/>`'s own. In the
//! browser [`prerender`] is always `None`, so none of this reaches the wasm.
//! [`takeover`] mounts the app over a static page in the browser.

pub mod takeover;

#[cfg(not(target_arch = "wasm32"))]
mod render;

#[cfg(not(target_arch = "wasm32"))]
pub use render::{render_page, PageData, RenderedPage};

use crate::api::BundleLocation;
use crate::state::FavouritesStore;
use gongkai_core::bundle::{ArticleFile, ListPage, Manifest, Variant};
use std::sync::Arc;

/// The data of a page rendered ahead of time, provided as context above
/// `<App/>` by [`render_page`].
#[derive(Clone)]
pub struct Prerender {
    /// The manifest (in 简体; views localize it).
    pub manifest: Arc<Manifest>,
    /// The page's script.
    pub script: Variant,
    /// An empty 收藏 list (no browser storage at build time), tracking the
    /// article of an article page as the app does.
    pub favourites: FavouritesStore,
    /// What the route's loader would have fetched.
    pub content: Prerendered,
}

/// The route's data.
#[derive(Clone)]
pub enum Prerendered {
    /// A list page (home or column).
    List(Arc<ListPage>),
    /// An article, with the bundle its 下载 links point into.
    Article(Arc<ArticleFile>, BundleLocation),
    /// The 依申请公开 page (its data is the manifest's).
    Apply,
}

/// The page being rendered ahead of time, if this is the build's native
/// render; always `None` in the browser.
pub fn prerender() -> Option<Prerender> {
    #[cfg(target_arch = "wasm32")]
    {
        None
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        leptos::prelude::use_context::<Prerender>()
    }
}
