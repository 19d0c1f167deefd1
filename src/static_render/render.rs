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
    /// `/apply`, 依申请公开, from the manifest.
    Apply,
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
    /// The JSON Feed this page is a view of (a bundle list page), relative
    /// to the bundle.
    pub feed_path: String,
    /// The feed's title.
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

/// Renders the page of `data` in `script` with `<App/>`, exactly as the app
/// renders that route once its data has loaded (with default settings and
/// no favourites). `bundle` is where the site serves the bundle (for the
/// 下载 links), `manifest` the bundle's manifest.
pub fn render_page(
    manifest: &Arc<Manifest>,
    bundle: &BundleLocation,
    data: PageData,
    script: Variant,
) -> RenderedPage {
    // Already set by an earlier page: that is fine, it is the same executor.
    let _ = Executor::init_custom_executor(NoTasks);
    let localized = manifest.localize(script);
    let (route, title_page, description, mut meta, feed_list, content, entry) = match data {
        PageData::List(page) => {
            let gov = &page.gov;
            let route = if gov.list == ALL_LIST {
                AppRoute::Home { page: gov.page }
            } else {
                AppRoute::Column {
                    id: gov.list.clone(),
                    page: gov.page,
                }
            };
            let title = list_title(&localized, gov, script);
            let count = Msg::Count.fill(script, &[&gov.total]);
            let description = format!(
                "{} {} {}:{title},{count}",
                localized.site_name, localized.department, localized.section
            );
            let column = if gov.list == ALL_LIST {
                localized.section.clone()
            } else {
                localized
                    .column(&gov.list)
                    .map(|c| c.name.clone())
                    .unwrap_or_else(|| gov.list.clone())
            };
            let meta = vec![("ColumnName", column)];
            let list = gov.list.clone();
            (
                route,
                title,
                description,
                meta,
                list,
                Prerendered::List(Arc::new(page)),
                None,
            )
        }
        PageData::Article(article) => {
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
            (
                route,
                item.title.clone(),
                description,
                meta,
                article.column.id.clone(),
                Prerendered::Article(Arc::new(*article), bundle.clone()),
                Some(entry),
            )
        }
        PageData::Apply => {
            let title = Msg::ApplyTitle.get(script).to_owned();
            let description = format!(
                "{} {} {}:{title}",
                localized.site_name, localized.department, localized.section
            );
            (
                AppRoute::Apply,
                title.clone(),
                description,
                vec![("ColumnName", title)],
                ALL_LIST.to_owned(),
                Prerendered::Apply,
                None,
            )
        }
    };
    // 网站标识码 on every page, as the national monitoring reads it.
    if let Some(code) = localized.footer.as_ref().and_then(|f| f.site_code.clone()) {
        meta.insert(0, ("SiteIDCode", code));
    }
    meta.insert(0, ("SiteName", localized.site_name.clone()));
    let href = route.href(script);
    let owner = Owner::new();
    let body = owner.with(|| {
        provide_context(RequestUrl::new(&href));
        let favourites = FavouritesStore::new(Favourites::default());
        // The article page marks its notice as the top bar's 加入收藏 target
        // while it renders, after the top bar; the app's top bar then
        // re-renders. Set it first so the one-pass render matches.
        favourites.current.set(entry);
        provide_context(Prerender {
            manifest: manifest.clone(),
            script,
            favourites,
            content,
        });
        // A standalone page at the site root, themed by its stylesheet.
        let config = AppConfig {
            bundle: bundle.clone(),
            base: String::new(),
            mode: EmbedMode::Standalone,
            portal: PortalOverrides::default(),
            theme: Vec::new(),
        };
        // One render, never re-run: reading signals outside a tracking
        // context is the point here, not a mistake to warn about.
        let _quiet = leptos::reactive::diagnostics::SpecialNonReactiveZone::enter();
        view! { <App config/> }.to_html()
    });
    drop(owner);
    let feed_title = if feed_list == ALL_LIST {
        localized.section.clone()
    } else {
        localized
            .column(&feed_list)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| feed_list.clone())
    };
    RenderedPage {
        title: format!(
            "{title_page} - {} - {}",
            localized.department, localized.site_name
        ),
        route,
        script,
        href,
        body,
        description,
        meta,
        feed_path: gongkai_core::bundle::list_path(script, &feed_list, 1),
        feed_title,
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

    #[test]
    fn pub_dates_keep_beijing_time() {
        assert_eq!(pub_date("2023-05-04T10:30:00+08:00"), "2023-05-04 10:30");
        assert_eq!(pub_date("2023-05-04T02:30:00Z"), "2023-05-04");
    }
}
