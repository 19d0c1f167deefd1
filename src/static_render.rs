//! Static pages: every list page and article rendered ahead of time by
//! `gongkai build`, from the very components the app renders, so that a page
//! works without JavaScript and the app can take it over without a jump.
//!
//! The build renders `<App/>` natively (tachys' `ssr` renderer, behind the
//! `prerender` cargo feature that only the CLI enables) with a [`Prerender`]
//! in context: the data the page's loader would fetch. The loaders hand it
//! to the same pure views (`ListView`, `ArticleView`) they use once their
//! fetch completes; the chrome is `<App/>`'s own. `<App/>` then renders for
//! [`RenderTarget::StaticPage`], which the components that touch the browser
//! (window listeners, `document.title`, the head's feed links) ask instead of
//! the compilation target. Without the feature (trunk's wasm build)
//! [`prerender`] is always `None` and none of this is compiled in.
//! [`takeover`] mounts the app over a static page in the browser.

pub mod takeover;

#[cfg(feature = "prerender")]
mod render;

#[cfg(feature = "prerender")]
pub use render::{render_page, PageData, RenderedPage};

use crate::api::BundleLocation;
use crate::state::FavouritesStore;
use gongkai_core::bundle::{ArticleFile, ListPage, Manifest, Variant};
use std::str::FromStr;
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
    /// A page of the 政策文件库.
    Library(Arc<crate::library::LibraryView>),
    /// The 依申请公开 page (its data is the manifest's).
    Apply,
}

impl Prerendered {
    /// When the app starts on the static page of this route: list and
    /// article pages are complete documents that `public/gk-boot.js` runs
    /// by itself, so their wasm waits for a control only the app has
    /// (docs/performance.md); the 政策文件库 and 依申请公开 pages need
    /// the app for their main content and start it at once.
    pub fn start_mode(&self) -> StartMode {
        match self {
            Prerendered::List(_) | Prerendered::Article(..) => StartMode::OnDemand,
            Prerendered::Library(_) | Prerendered::Apply => StartMode::Now,
        }
    }
}

/// When the boot module (scripts/trunk-post-build) starts the app on a
/// static page: the static root's `data-start` attribute, written by the
/// build's render. A page without one (the shell, an embedded app) starts
/// it at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartMode {
    /// After the static page's first paint.
    Now,
    /// Not until the reader uses a control only the app runs (指读, 连读,
    /// 帮助, 语速, 加入收藏 off an article, the Alt+Shift shortcuts); that
    /// press is then replayed on the app's copy of the control.
    OnDemand,
}

impl StartMode {
    /// Every mode.
    pub const ALL: [StartMode; 2] = [StartMode::Now, StartMode::OnDemand];

    /// Its name, as `data-start` carries it.
    pub fn as_str(self) -> &'static str {
        match self {
            StartMode::Now => "now",
            StartMode::OnDemand => "on-demand",
        }
    }
}

impl FromStr for StartMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StartMode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| format!("unknown start mode {s:?} (now, on-demand)"))
    }
}

/// The page being rendered ahead of time, if this is the build's native
/// render; always `None` in the browser.
pub fn prerender() -> Option<Prerender> {
    #[cfg(feature = "prerender")]
    {
        leptos::prelude::use_context::<Prerender>()
    }
    #[cfg(not(feature = "prerender"))]
    {
        None
    }
}

/// What `<App/>` renders for: the reader's browser, or a static page
/// written by the build. `<App/>` gives it as context; components read it
/// with [`RenderTarget::current`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RenderTarget {
    /// The running app in a browser.
    #[default]
    Browser,
    /// The build's one-pass render of a static page: no window, no
    /// document, no storage; the CLI writes the head.
    StaticPage,
}

impl RenderTarget {
    /// Every target.
    pub const ALL: [RenderTarget; 2] = [RenderTarget::Browser, RenderTarget::StaticPage];

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            RenderTarget::Browser => "browser",
            RenderTarget::StaticPage => "static-page",
        }
    }

    /// The target of the app rendering around the caller: `Browser` outside
    /// an `<App/>` (a component mounted on its own in a browser test), and
    /// always without the `prerender` feature, a constant the compiler
    /// folds (the wasm keeps no static-page branch).
    pub fn current() -> RenderTarget {
        #[cfg(feature = "prerender")]
        {
            leptos::prelude::use_context::<RenderTarget>().unwrap_or_default()
        }
        #[cfg(not(feature = "prerender"))]
        {
            RenderTarget::Browser
        }
    }

    /// Whether this is the running app (window listeners, `document`).
    pub fn is_browser(self) -> bool {
        self == RenderTarget::Browser
    }
}

impl FromStr for RenderTarget {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RenderTarget::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| format!("unknown render target {s:?} (browser, static-page)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_targets_round_trip() {
        for t in RenderTarget::ALL {
            assert_eq!(t.as_str().parse::<RenderTarget>(), Ok(t));
        }
        assert!("wasm".parse::<RenderTarget>().is_err());
    }

    #[test]
    fn start_modes_round_trip() {
        for m in StartMode::ALL {
            assert_eq!(m.as_str().parse::<StartMode>(), Ok(m));
        }
        assert!("later".parse::<StartMode>().is_err());
    }

    #[test]
    fn list_and_article_pages_start_the_app_on_demand() {
        assert_eq!(Prerendered::Apply.start_mode(), StartMode::Now);
        let list: ListPage = serde_json::from_value(serde_json::json!({
            "version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [],
            "_gov": {"list": "all", "page": 1, "pages": 1, "total": 0}
        }))
        .expect("a list page");
        assert_eq!(
            Prerendered::List(Arc::new(list)).start_mode(),
            StartMode::OnDemand
        );
    }

    #[cfg(feature = "prerender")]
    #[test]
    fn the_target_is_the_browser_outside_an_app() {
        let owner = leptos::prelude::Owner::new();
        owner.with(|| {
            assert_eq!(RenderTarget::current(), RenderTarget::Browser);
            leptos::prelude::provide_context(RenderTarget::StaticPage);
            assert_eq!(RenderTarget::current(), RenderTarget::StaticPage);
        });
    }
}
