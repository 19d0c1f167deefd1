//! The build's native render of one page: `<App/>` to an HTML string, plus
//! what the page's `<head>` says about it.

use super::{Prerender, Prerendered};
use crate::api::BundleLocation;
use crate::app::{App, AppConfig};
use crate::embed::{EmbedMode, PortalOverrides};
use crate::format::display_date;
use crate::i18n::Msg;
use crate::pages::list_title;
use crate::routes::AppRoute;
use crate::state::{Favourite, Favourites, FavouritesStore};
use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use gongkai_core::bundle::{ArticleFile, ListPage, Manifest, Variant, ALL_LIST};
use leptos::prelude::*;
use leptos_router::location::RequestUrl;
use std::sync::Arc;

/// The data of one page, as the bundle holds it.
#[derive(Debug, Clone)]
pub enum PageData {
    /// A list page: the home page (`all`) or a column, at a page.
    List(ListPage),
    /// An article (boxed: it is several times the size of a list page).
    Article(Box<ArticleFile>),
    /// A page of the 政策文件库 (one facet value, or everything).
    Library(Box<crate::library::LibraryView>),
    /// `/apply`, 依申请公开, from the manifest.
    Apply,
}

impl PageData {
    /// The app's route of the page, known before it is rendered (the build
    /// names a page's file and link by it, and keeps an unchanged page
    /// without rendering it).
    pub fn route(&self) -> AppRoute {
        match self {
            PageData::List(page) => list_route(&page.gov.list, page.gov.page),
            PageData::Article(article) => AppRoute::Article {
                id: article.item.id.clone(),
            },
            PageData::Library(view) => AppRoute::Library {
                params: view.params.clone(),
                page: view.page,
            },
            PageData::Apply => AppRoute::Apply,
        }
    }
}

/// The route of page `page` of the list `list` (`all`: the home page).
fn list_route(list: &str, page: usize) -> AppRoute {
    if list == ALL_LIST {
        AppRoute::Home { page }
    } else {
        AppRoute::Column {
            id: list.to_owned(),
            page,
        }
    }
}

/// One page rendered ahead of time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPage {
    /// The app's route of the page.
    pub route: AppRoute,
    /// Its script.
    pub script: Variant,
    /// The link the app uses for it (`/column/gzdt?page=2&lang=zh-Hant`).
    pub href: String,
    /// `<App/>` as HTML: what goes into the mount element.
    pub body: String,
    /// The document title, as the app sets it.
    pub title: String,
    /// One or two sentences for `<meta name="description">`.
    pub description: String,
    /// The government-site meta tags (`SiteName`, `ColumnName`,
    /// `ArticleTitle`, `PubDate`, `ContentSource`, …), name and content.
    pub meta: Vec<(&'static str, String)>,
    /// The list whose subscription feeds the page's head links: `all`
    /// or a column id (`gongkai_core::subscribe::feed_path`).
    pub feed_list: String,
    /// That list's name in the page's script.
    pub feed_title: String,
}

/// Effects and resources never run at build time: the page is rendered once,
/// as it looks before any browser-only work (storage, fetches, focus). Their
/// tasks are dropped, which is what a server render does too.
struct NoTasks;

impl CustomExecutor for NoTasks {
    fn spawn(&self, _fut: PinnedFuture<()>) {}
    fn spawn_local(&self, _fut: PinnedLocalFuture<()>) {}
    fn poll_local(&self) {}
}

/// What a page says about itself besides its body: its route, title,
/// description, meta tags and feed, and what its route's loader would
/// have fetched.
struct Parts {
    route: AppRoute,
    /// The page's own title (the document title's first part).
    title: String,
    description: String,
    meta: Vec<(&'static str, String)>,
    feed_list: String,
    content: Prerendered,
    /// The article page's 加入收藏 target.
    entry: Option<Favourite>,
}

/// Renders the page of `data` in `script` with `<App/>`, exactly as the app
/// renders that route once its data has loaded (with default settings and
/// no favourites). `bundle` is where the site serves the bundle (for the
/// 下载 links), `base` the router base of the app's shell (`data-base`,
/// normalized: empty at the site root, else `/xxgk`), `manifest` the
/// bundle's manifest.
pub fn render_page(
    manifest: &Arc<Manifest>,
    bundle: &BundleLocation,
    base: &str,
    data: PageData,
    script: Variant,
) -> RenderedPage {
    let localized = manifest.localize(script);
    let mut parts = match data {
        PageData::List(page) => list_parts(page, &localized, script),
        PageData::Library(view) => library_parts(*view, &localized, script),
        PageData::Article(article) => article_parts(*article, bundle),
        PageData::Apply => apply_parts(&localized, script),
    };
    // 网站标识码 on every page, as the national monitoring reads it.
    if let Some(code) = localized.footer.as_ref().and_then(|f| f.site_code.clone()) {
        parts.meta.insert(0, ("SiteIDCode", code));
    }
    parts
        .meta
        .insert(0, ("SiteName", localized.site_name.clone()));
    let href = parts.route.href_under(base, script);
    // A standalone page under the shell's base, themed by its stylesheet.
    let config = AppConfig {
        bundle: bundle.clone(),
        base: base.to_owned(),
        mode: EmbedMode::Standalone,
        portal: PortalOverrides::default(),
        theme: Vec::new(),
    };
    let body = render_app(
        config,
        &href,
        (manifest.clone(), script, parts.content),
        parts.entry,
    );
    let feed_title = if parts.feed_list == ALL_LIST {
        localized.section.clone()
    } else {
        localized
            .column(&parts.feed_list)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| parts.feed_list.clone())
    };
    RenderedPage {
        title: format!(
            "{} - {} - {}",
            parts.title, localized.department, localized.site_name
        ),
        route: parts.route,
        script,
        href,
        body,
        description: parts.description,
        meta: parts.meta,
        feed_list: parts.feed_list,
        feed_title,
    }
}

/// `<App/>` for `config` at `href` (base included) as HTML, in one pass,
/// with the page's manifest, script and data in context.
fn render_app(
    config: AppConfig,
    href: &str,
    data: (Arc<Manifest>, Variant, Prerendered),
    entry: Option<Favourite>,
) -> String {
    AppPage::new(config, href, data, entry).into_html()
}

/// `<App/>` made for one page in an owner of its own, not yet rendered:
/// everything the app provides (its router base among it) lives in that
/// owner, so two pages made before either is rendered stay apart.
struct AppPage<V> {
    owner: Owner,
    view: V,
}

impl AppPage<()> {
    fn new(
        config: AppConfig,
        href: &str,
        (manifest, script, content): (Arc<Manifest>, Variant, Prerendered),
        entry: Option<Favourite>,
    ) -> AppPage<impl RenderHtml> {
        // Once per process, every other thread waiting for it: any_spawner
        // stores the executor before its functions, so a page rendering
        // on another thread in between would find no `spawn` and panic.
        static EXECUTOR: std::sync::Once = std::sync::Once::new();
        EXECUTOR.call_once(|| {
            // Set already (by a test's own render): the same executor.
            let _ = Executor::init_custom_executor(NoTasks);
        });
        let owner = Owner::new();
        let view = owner.with(|| {
            let _quiet = leptos::reactive::diagnostics::SpecialNonReactiveZone::enter();
            provide_context(RequestUrl::new(href));
            // Signals made in the page's owner go with it.
            let favourites = FavouritesStore::new(Favourites::default());
            // The article page marks its notice as the top bar's 加入收藏 target
            // while it renders, after the top bar; the app's top bar then
            // re-renders. Set it first so the one-pass render matches.
            favourites.current.set(entry);
            provide_context(Prerender {
                manifest,
                script,
                favourites,
                content,
            });
            view! { <App config/> }.into_view()
        });
        AppPage { owner, view }
    }
}

impl<V: RenderHtml> AppPage<V> {
    /// The page as HTML; the owner, and all the page made, go with it.
    fn into_html(self) -> String {
        let AppPage { owner, view } = self;
        let body = owner.with(|| {
            // One render, never re-run: reading signals outside a tracking
            // context is the point here, not a mistake to warn about.
            let _quiet = leptos::reactive::diagnostics::SpecialNonReactiveZone::enter();
            view.to_html()
        });
        drop(owner);
        body
    }
}

/// The description's opening: `site department section:`.
fn site_prefix(localized: &Manifest) -> String {
    format!(
        "{} {} {}",
        localized.site_name, localized.department, localized.section
    )
}

/// The home page (`all`) or a column, at a page.
fn list_parts(page: ListPage, localized: &Manifest, script: Variant) -> Parts {
    let gov = &page.gov;
    let route = list_route(&gov.list, gov.page);
    let title = list_title(localized, gov, script);
    let count = Msg::Count.fill(script, &[&gov.total]);
    let description = format!("{}:{title},{count}", site_prefix(localized));
    let column = if gov.list == ALL_LIST {
        localized.section.clone()
    } else {
        localized
            .column(&gov.list)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| gov.list.clone())
    };
    Parts {
        route,
        title,
        description,
        meta: vec![("ColumnName", column)],
        feed_list: gov.list.clone(),
        content: Prerendered::List(Arc::new(page)),
        entry: None,
    }
}

/// A page of the 政策文件库.
fn library_parts(
    view: crate::library::LibraryView,
    localized: &Manifest,
    script: Variant,
) -> Parts {
    let route = AppRoute::Library {
        params: view.params.clone(),
        page: view.page,
    };
    let title = crate::pages::library_title(&view, script);
    let count = Msg::LibraryCount.fill(script, &[&view.total]);
    Parts {
        route,
        description: format!("{}:{title},{count}", site_prefix(localized)),
        title,
        meta: vec![("ColumnName", Msg::Library.get(script).to_owned())],
        feed_list: ALL_LIST.to_owned(),
        content: Prerendered::Library(Arc::new(view)),
        entry: None,
    }
}

/// An article, its 下载 links into `bundle`.
fn article_parts(article: ArticleFile, bundle: &BundleLocation) -> Parts {
    let item = &article.item;
    let route = AppRoute::Article {
        id: item.id.clone(),
    };
    let mut description = item
        .summary
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| excerpt(item.content_html.as_deref().unwrap_or(""), 120));
    if description.is_empty() {
        description = item.title.clone();
    }
    let mut meta = vec![
        ("ColumnName", article.column.name.clone()),
        ("ArticleTitle", item.title.clone()),
        ("PubDate", pub_date(&item.date_published)),
        (
            "ContentSource",
            item.gov
                .source
                .clone()
                .unwrap_or_else(|| item.gov.publisher.clone()),
        ),
    ];
    if !item.gov.keywords.is_empty() {
        meta.push(("Keywords", item.gov.keywords.join(",")));
    }
    if !item.authors.is_empty() {
        meta.push(("Author", item.author_names()));
    }
    let entry = Favourite::from_article(item, &article.column);
    Parts {
        route,
        title: item.title.clone(),
        description,
        meta,
        feed_list: article.column.id.clone(),
        entry: Some(entry),
        content: Prerendered::Article(Arc::new(article), bundle.clone()),
    }
}

/// `/apply`, 依申请公开.
fn apply_parts(localized: &Manifest, script: Variant) -> Parts {
    let title = Msg::ApplyTitle.get(script).to_owned();
    Parts {
        route: AppRoute::Apply,
        description: format!("{}:{title}", site_prefix(localized)),
        meta: vec![("ColumnName", title.clone())],
        title,
        feed_list: ALL_LIST.to_owned(),
        content: Prerendered::Apply,
        entry: None,
    }
}

/// `2023-05-04 10:30` in Beijing time, the form portals index; the date
/// alone if the time cannot be read.
fn pub_date(rfc3339: &str) -> String {
    let date = display_date(rfc3339);
    // Feed dates carry +08:00 (docs/feed-format.md), so the written time is
    // already Beijing time.
    match rfc3339.get(11..16) {
        Some(time) if rfc3339.ends_with("+08:00") => format!("{date} {time}"),
        _ => date,
    }
}

/// The first `max` characters of the text of `html` (tags dropped, the
/// common entities decoded, white space collapsed), with … when cut.
pub fn excerpt(html: &str, max: usize) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let words: Vec<&str> = text.split_whitespace().collect();
    let text = words.join(" ");
    if text.chars().count() > max {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_plain_text() {
        assert_eq!(
            excerpt("<p>一、&nbsp;通知</p>\n<p>A &amp; B</p>", 100),
            "一、 通知 A & B"
        );
        assert_eq!(excerpt("<p>一二三四五</p>", 3), "一二三…");
        assert_eq!(excerpt("", 3), "");
    }

    fn manifest() -> Arc<Manifest> {
        Arc::new(
            serde_json::from_value(serde_json::json!({
                "format": 1, "title": "t", "site_name": "武山县人民政府",
                "department": "武山县科学技术局", "section": "政府信息公开",
                "login_url": "", "register_url": "",
                "columns": [
                    {"id": "fdzdgknr", "name": "法定主动公开内容", "count": 2, "pages": 1},
                    {"id": "xxgkzd", "name": "政府信息公开制度", "count": 1, "pages": 1}
                ],
                "item_count": 3, "pages": 3, "page_size": 20, "variants": ["zh-Hans"],
                "built_at": "", "content_hash": "h"
            }))
            .unwrap(),
        )
    }

    /// The `href`s of `html` that are paths on the site (`/…`).
    fn site_links(html: &str) -> Vec<&str> {
        html.split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|link| link.starts_with('/'))
            .collect()
    }

    // Issue 21: the router base was one value per thread, set by each
    // `<App/>` as it was made. Two pages made before either was rendered
    // (as an async render, or any render that does not run each app to
    // completion in turn, interleaves them) gave the first page's links
    // the second one's base.
    #[test]
    fn pages_of_two_bases_rendered_interleaved_keep_their_own_base() {
        let manifest = manifest();
        let list: ListPage =
            serde_json::from_str(include_str!("../../tests/fixtures/list-page.json")).unwrap();
        let page = |base: &str| {
            let config = AppConfig {
                bundle: BundleLocation::new(&format!("https://example.gov.cn{base}/bundle")),
                base: base.to_owned(),
                mode: EmbedMode::Standalone,
                portal: PortalOverrides::default(),
                theme: Vec::new(),
            };
            let content = Prerendered::List(Arc::new(list.clone()));
            let href = AppRoute::Home { page: 1 }.href_under(base, Variant::Hans);
            AppPage::new(
                config,
                &href,
                (manifest.clone(), Variant::Hans, content),
                None,
            )
        };
        let a = page("/a");
        let b = page("/b");
        let (a, b) = (a.into_html(), b.into_html());
        for (base, html) in [("/a", &a), ("/b", &b)] {
            let links = site_links(html);
            assert!(
                links.contains(&format!("{base}/article/kjj1-2023-00026").as_str()),
                "{base}: no article link in {links:?}"
            );
            assert!(links.len() > 10, "{base}: only {links:?}");
            for link in links {
                assert!(
                    link == base || link.starts_with(&format!("{base}/")),
                    "a page under {base} links to {link}"
                );
            }
        }
    }

    #[test]
    fn pub_dates_keep_beijing_time() {
        assert_eq!(pub_date("2023-05-04T10:30:00+08:00"), "2023-05-04 10:30");
        assert_eq!(pub_date("2023-05-04T02:30:00Z"), "2023-05-04");
    }
}
