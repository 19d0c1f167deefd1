//! `gongkai build --site DIR`: the static HTML page of every list page and
//! article (both scripts), rendered natively from the app's own components
//! (`gongkai::static_render`) into the trunk-built `DIR/index.html`, plus
//! `sitemap.xml` and `robots.txt`. See docs/static-pages.md.

use crate::progress::Progress;
use gongkai::api::BundleLocation;
use gongkai::embed::normalize_base;
use gongkai::library::for_each_static_view;
use gongkai::routes::AppRoute;
use gongkai::static_render::{render_page, PageData, RenderedPage};
use gongkai_core::build::{name_gov_badge, BuildError, BuildSink, BundleArticle};
use gongkai_core::bundle::{ArticleFile, BundleFile, Manifest, Variant, ALL_LIST};
use gongkai_core::library::{LibraryFacets, LibraryIndex, FACETS_PATH, INDEX_PATH};
use gongkai_core::publish::{digest, Publication, PublishOptions, PublishReport, STATE_DIR};
use gongkai_core::sanitize::escape_html as escape;
use gongkai_core::stage::StagedBundle;
use gongkai_core::subscribe::{feed_path, FeedFormat};
use gongkai_core::validate::{url_problem, UrlProblem};
use rayon::prelude::*;
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Directory under the site root that holds the static pages; nginx maps a
/// route and its `?page=` / `?lang=` to a file in it (deploy/nginx.conf).
pub const STATIC_DIR: &str = "static";

/// Most URLs one sitemap file may list (sitemaps.org); above it the build
/// writes a sitemap index.
pub const SITEMAP_LIMIT: usize = 50_000;

/// What the command line says about the static pages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SiteArgs {
    /// `--site DIR`: the site root holding trunk's `index.html`.
    pub dir: Option<PathBuf>,
    /// `--site-url URL`: the public address of the site root, for canonical
    /// links and the sitemap; default the feed's `home_page_url`.
    pub url: Option<String>,
}

impl SiteArgs {
    /// Takes `a` (and its value from `it`) if it is a site option.
    /// `Ok(false)`: not ours.
    pub fn parse<'a>(
        &mut self,
        a: &str,
        it: &mut impl Iterator<Item = &'a String>,
    ) -> Result<bool, String> {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("build: {name} needs a value"))
        };
        if a == "--site" {
            self.dir = Some(PathBuf::from(value(a)?));
        } else if let Some(d) = a.strip_prefix("--site=") {
            self.dir = Some(PathBuf::from(d));
        } else if a == "--site-url" {
            self.url = Some(check_url(&value(a)?)?);
        } else if let Some(u) = a.strip_prefix("--site-url=") {
            self.url = Some(check_url(u)?);
        } else {
            return Ok(false);
        }
        Ok(true)
    }
}

/// The rule `check` applies to the feed's URLs ([`url_problem`]).
fn check_url(url: &str) -> Result<String, String> {
    match url_problem(url) {
        None => Ok(url.to_owned()),
        Some(UrlProblem::NotHttp) => Err(format!(
            "build: --site-url must be an absolute http(s) URL, got {url:?}"
        )),
        Some(p) => Err(format!("build: --site-url {url:?}: {p}")),
    }
}

/// The trunk-built `index.html`, cut where a page's parts go.
#[derive(Debug, Clone)]
pub struct Shell {
    html: String,
    /// Byte range of the `<html …>` start tag.
    html_tag: (usize, usize),
    /// Byte range of the `<title>`'s text.
    title: (usize, usize),
    /// Where `</head>` starts.
    head_end: usize,
    /// Byte range of the mount element's content (between its tags).
    mount: (usize, usize),
    /// `<base href>`, `/` if none.
    pub base_href: String,
    /// The mount element's `data-bundle`, `bundle/` if none.
    pub bundle: String,
    /// The mount element's `data-base`, the router's base path as the app
    /// normalizes it: empty at the site root, else `/xxgk`.
    pub router_base: String,
}

/// The attributes of the start tag `tag` (`<div a=b c="d" e>`), names
/// lower-cased, values unescaped only of `&amp;` and `&quot;`.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    // `<br />` closes itself; `<base href=/>` is a value ending in `/`.
    let inner = match inner.strip_suffix('/') {
        Some(rest) if rest.ends_with(|c: char| c.is_whitespace() || c == '"' || c == '\'') => rest,
        _ => inner,
    };
    let mut rest = inner
        .trim_start_matches(|c: char| !c.is_whitespace())
        .trim_start();
    let mut out = Vec::new();
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (v, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = v.replace("&quot;", "\"").replace("&amp;", "&");
            rest = remaining.trim_start();
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

impl Shell {
    /// Finds the parts of `html`; `Err` names the one that is missing.
    pub fn parse(html: &str) -> Result<Shell, String> {
        let lower = html.to_ascii_lowercase();
        let tag_at = |start: usize| -> Result<(usize, usize), String> {
            let end = lower[start..]
                .find('>')
                .map(|e| start + e + 1)
                .ok_or("a start tag is not closed")?;
            Ok((start, end))
        };
        let html_tag = tag_at(lower.find("<html").ok_or("no <html> start tag")?)?;
        let title_open = tag_at(lower.find("<title").ok_or("no <title>")?)?;
        let title_close = lower[title_open.1..]
            .find("</title>")
            .map(|e| title_open.1 + e)
            .ok_or("no </title>")?;
        let head_end = lower.find("</head>").ok_or("no </head>")?;
        let base_href = match lower.find("<base") {
            Some(at) => {
                let (s, e) = tag_at(at)?;
                attributes(&html[s..e])
                    .into_iter()
                    .find(|(n, _)| n == "href")
                    .map(|(_, v)| v)
                    .unwrap_or_else(|| "/".to_owned())
            }
            None => "/".to_owned(),
        };
        // The mount element: the first <div> with a data-gongkai attribute.
        let mut search = 0;
        let (mount_tag, attrs) = loop {
            let at = lower[search..]
                .find("<div")
                .map(|a| search + a)
                .ok_or("no <div data-gongkai> mount element")?;
            let tag = tag_at(at)?;
            let attrs = attributes(&html[tag.0..tag.1]);
            if attrs.iter().any(|(n, _)| n == "data-gongkai") {
                break (tag, attrs);
            }
            search = tag.1;
        };
        // Its end: the </div> that balances it.
        let mut depth = 1;
        let mut at = mount_tag.1;
        let mount_end = loop {
            let open = lower[at..].find("<div").map(|o| at + o);
            let close = lower[at..]
                .find("</div")
                .map(|c| at + c)
                .ok_or("the mount element is not closed")?;
            match open {
                Some(o) if o < close => {
                    depth += 1;
                    at = o + 4;
                }
                _ => {
                    depth -= 1;
                    if depth == 0 {
                        break close;
                    }
                    at = close + 5;
                }
            }
        };
        let attr = |name: &str| {
            attrs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Ok(Shell {
            html: html.to_owned(),
            html_tag,
            title: (title_open.1, title_close),
            head_end,
            mount: (mount_tag.1, mount_end),
            base_href,
            bundle: attr("data-bundle").unwrap_or_else(|| "bundle/".to_owned()),
            // As the app reads it: a base it would refuse is named here.
            router_base: normalize_base(&attr("data-base").unwrap_or_default())
                .map_err(|e| format!("its data-base: {e}"))?,
        })
    }

    /// Where the site serves the bundle, as the app resolves `data-bundle`
    /// against `<base href>` (an absolute `data-bundle` is kept).
    pub fn bundle_location(&self) -> BundleLocation {
        if self.bundle.starts_with('/') || self.bundle.contains("://") {
            BundleLocation::new(&self.bundle)
        } else {
            BundleLocation::new(&format!("{}{}", self.base_href, self.bundle))
        }
    }

    /// The whole document of `page`: its body in the mount element, its
    /// title, language and head tags. `canonical` is the page's absolute
    /// URL; `feeds` its list's subscription feeds, as
    /// `<link rel="alternate">` (none when the bundle has no feeds).
    pub fn page(&self, page: &RenderedPage, canonical: Option<&str>, feeds: &[FeedLink]) -> String {
        let lang = match page.script {
            Variant::Hans => "zh-CN",
            Variant::Hant => "zh-Hant",
        };
        let mut html_attrs: Vec<String> = attributes(&self.html[self.html_tag.0..self.html_tag.1])
            .into_iter()
            .filter(|(n, _)| n != "lang")
            .map(|(n, v)| format!("{n}=\"{}\"", escape(&v)))
            .collect();
        html_attrs.insert(0, format!("lang=\"{lang}\""));
        let mut head = String::new();
        head.push_str(&format!(
            "<meta name=\"description\" content=\"{}\">",
            escape(&page.description)
        ));
        if let Some(url) = canonical {
            head.push_str(&format!(
                "<link rel=\"canonical\" href=\"{}\">",
                escape(url)
            ));
        }
        for feed in feeds {
            head.push_str(&format!(
                "<link rel=\"alternate\" type=\"{}\" title=\"{}\" href=\"{}\">",
                feed.format.mime_type(),
                escape(&feed.title),
                escape(&feed.href)
            ));
        }
        for (name, content) in &page.meta {
            head.push_str(&format!(
                "<meta name=\"{name}\" content=\"{}\">",
                escape(content)
            ));
        }
        if let Some(url) = canonical {
            head.push_str(&format!("<meta name=\"Url\" content=\"{}\">", escape(url)));
        }
        let h = &self.html;
        let mut out = String::with_capacity(h.len() + page.body.len() + head.len() + 64);
        out.push_str(&h[..self.html_tag.0]);
        out.push_str(&format!("<html {}>", html_attrs.join(" ")));
        out.push_str(&h[self.html_tag.1..self.title.0]);
        out.push_str(&escape(&page.title));
        out.push_str(&h[self.title.1..self.head_end]);
        out.push_str(&head);
        out.push_str(&h[self.head_end..self.mount.0]);
        out.push_str(&page.body);
        out.push_str(&h[self.mount.1..]);
        out
    }
}

/// A subscription feed as a page's head links it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLink {
    /// Atom or JSON Feed.
    pub format: FeedFormat,
    /// `工作动态 (Atom)`.
    pub title: String,
    /// Where it is: `/bundle/feeds/zh-Hans/gzdt.atom`.
    pub href: String,
}

/// The head links of `list`'s feeds in `script`, if the bundle has feeds.
pub fn feed_links(
    manifest: &Manifest,
    bundle: &BundleLocation,
    list: &str,
    title: &str,
    script: Variant,
) -> Vec<FeedLink> {
    if !manifest.feeds {
        return Vec::new();
    }
    let variant = if manifest.has_variant(script) {
        script
    } else {
        Variant::Hans
    };
    FeedFormat::ALL
        .into_iter()
        .map(|format| FeedLink {
            format,
            title: format!("{title} ({})", format.label()),
            href: format!("{}{}", bundle.base(), feed_path(variant, list, format)),
        })
        .collect()
}

/// The file of a route's static page under [`STATIC_DIR`]:
/// `<path>/index[.p<page>][.zh-Hant].html`, the name deploy/nginx.conf
/// builds from the request (`$uri`, `?page=`, `?lang=`).
pub fn static_file(route: &AppRoute, script: Variant) -> String {
    let (dir, page) = match route {
        AppRoute::Home { page } => (String::new(), *page),
        AppRoute::Column { id, page } => (format!("column/{id}/"), *page),
        AppRoute::Article { id } => (format!("article/{id}/"), 1),
        // The value as nginx's `$uri` has it: decoded (the feed's facet
        // values are checked to make file names, validate::library).
        AppRoute::Library { params, page } => match params.single() {
            Some((facet, value)) => (format!("library/{}/{value}/", facet.as_str()), *page),
            None => ("library/".to_owned(), *page),
        },
        AppRoute::Apply => ("apply/".to_owned(), 1),
        AppRoute::Search { .. } | AppRoute::Favourites { .. } => (String::new(), 1),
    };
    let page = if page > 1 {
        format!(".p{page}")
    } else {
        String::new()
    };
    let lang = if script == Variant::default() {
        String::new()
    } else {
        format!(".{}", script.as_str())
    };
    format!("{STATIC_DIR}/{dir}index{page}{lang}.html")
}

/// One page of the sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

/// `sitemap.xml` (and `sitemap-N.xml` when there are more than
/// [`SITEMAP_LIMIT`] pages): file name and content.
fn sitemaps(entries: &[SitemapEntry], site_url: &str) -> Vec<(String, String)> {
    let urlset = |chunk: &[SitemapEntry]| {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for e in chunk {
            xml.push_str(&format!("<url><loc>{}</loc>", escape(&e.loc)));
            if let Some(d) = &e.lastmod {
                xml.push_str(&format!("<lastmod>{}</lastmod>", escape(d)));
            }
            xml.push_str("</url>\n");
        }
        xml.push_str("</urlset>\n");
        xml
    };
    if entries.len() <= SITEMAP_LIMIT {
        return vec![("sitemap.xml".to_owned(), urlset(entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in entries.chunks(SITEMAP_LIMIT).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            escape(&join_url(site_url, &format!("/{name}")))
        ));
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".to_owned(), index));
    files
}

/// `site_url` (the public site root) joined with an app path (`/column/x`).
fn join_url(site_url: &str, path: &str) -> String {
    format!("{}{path}", site_url.trim_end_matches('/'))
}

fn robots(site_url: Option<&str>, base: &str) -> String {
    // Search results are endless combinations of a query; 我的收藏 is
    // personal. Neither is content to index.
    let mut text = format!("User-agent: *\nDisallow: {base}/search\nDisallow: {base}/favourites\n");
    if let Some(url) = site_url {
        text.push_str(&format!("\nSitemap: {}\n", join_url(url, "/sitemap.xml")));
    }
    text
}

/// The 政策文件库's facets and index, as the bundle holds them.
fn read_library(bundle: &StagedBundle) -> Result<(Arc<LibraryFacets>, LibraryIndex), String> {
    let file = |path: &str| {
        bundle
            .library_file(path)
            .ok_or_else(|| format!("the bundle has no {path}"))
    };
    let facets: LibraryFacets = serde_json::from_slice(file(FACETS_PATH)?)
        .map_err(|e| format!("the bundle's {FACETS_PATH} does not read: {e}"))?;
    let index = LibraryIndex::decode(file(INDEX_PATH)?, &facets)
        .map_err(|e| format!("the bundle's {INDEX_PATH} does not read: {e}"))?;
    Ok((Arc::new(facets), index))
}

/// What [`stage_site`] staged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SiteReport {
    /// Pages rendered.
    pub pages: usize,
    /// Pages kept as served: their inputs had not changed.
    pub kept: usize,
    /// Whether a sitemap was written (it needs a site URL).
    pub sitemap: bool,
    /// Each page's inputs, for the next build.
    pub table: PageTable,
}

/// Reads and parses the app's shell, `DIR/index.html`: done before anything
/// is built, so that a wrong `--site` changes nothing.
pub fn load_shell(dir: &Path) -> Result<Shell, String> {
    if !dir.is_dir() {
        return Err(format!(
            "--site {}: no such folder (it must hold the trunk-built index.html)",
            dir.display()
        ));
    }
    let shell_path = dir.join("index.html");
    let shell_html = std::fs::read_to_string(&shell_path).map_err(|e| {
        format!(
            "cannot read the app's {} (build it with trunk first): {e}",
            shell_path.display()
        )
    })?;
    Shell::parse(&shell_html)
        .map_err(|e| format!("{} is not the app's shell: {e}", shell_path.display()))
}

/// For a site folder written before gongkai kept a record of its files: the
/// names the build writes there (static pages, sitemaps, robots.txt), so that
/// the first recorded build removes the ones it no longer writes and leaves a
/// portal's `static/css/portal.css` or `sitemap-news.xml` alone.
pub fn legacy_site_file(rel: &str) -> bool {
    let rel = rel
        .strip_suffix(".gz")
        .or_else(|| rel.strip_suffix(".br"))
        .unwrap_or(rel);
    let numbered_sitemap = rel
        .strip_prefix("sitemap-")
        .and_then(|r| r.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    (rel.starts_with("static/") && rel.ends_with(".html"))
        || rel == "sitemap.xml"
        || numbered_sitemap
        || rel == "robots.txt"
}

/// Pages rendered at a time, on every core, before the next are read: the
/// static pages of a batch are in memory together (about 25 KB each).
const BATCH: usize = 256;

/// One page to render: what it is rendered from, and its sitemap date.
struct PageJob {
    data: PageData,
    script: Variant,
    lastmod: Option<String>,
}

/// One page of the sitemap's order: to render, or written already (an
/// article's, as its batch of the bundle was made: [`ArticleSink`]).
enum Job {
    Render(PageJob),
    Written(Written),
}

/// What every page of one build is written with: a page is kept from the
/// previous build only if these, and its own data, are what it was
/// rendered from.
struct Writer<'a> {
    publication: &'a Publication,
    shell: &'a Shell,
    manifest: Arc<Manifest>,
    bundle: BundleLocation,
    site_url: Option<String>,
    /// The inputs' table of the previous build, if it is to be trusted.
    previous: Option<&'a PageTable>,
    /// [`shared_key`] of this build.
    shared: u128,
    progress: &'a Progress,
}

/// What became of one page.
struct Written {
    rel: String,
    key: u128,
    kept: bool,
    sitemap: Option<SitemapEntry>,
}

impl<'a> Writer<'a> {
    /// The writer of the pages of a bundle with `manifest` and the
    /// 政策文件库's `facets` (file), the site at `url` (default the
    /// feed's home page).
    fn new(
        publication: &'a Publication,
        shell: &'a Shell,
        manifest: &Manifest,
        facets: &[u8],
        url: Option<&str>,
        previous: Option<&'a PageTable>,
        progress: &'a Progress,
    ) -> Writer<'a> {
        let site_url = url.map(str::to_owned).or(manifest.home_page_url.clone());
        let bundle = shell.bundle_location();
        Writer {
            publication,
            shared: shared_key(shell, manifest, facets, &bundle, site_url.as_deref()),
            shell,
            manifest: Arc::new(manifest.clone()),
            bundle,
            site_url,
            previous,
            progress,
        }
    }

    /// Renders `job` into the shell and stages it, or keeps the served
    /// page when its inputs have not changed.
    fn write(&self, job: PageJob) -> Result<Written, String> {
        let route = job.data.route();
        let rel = static_file(&route, job.script);
        let key = page_key(self.shared, &job.data, job.script);
        let href = route.href_under(&self.shell.router_base, job.script);
        let app_href = href
            .strip_prefix(self.shell.router_base.as_str())
            .unwrap_or(&href);
        let canonical = self.site_url.as_deref().map(|u| join_url(u, app_href));
        let unchanged = self.previous.and_then(|t| t.get(&rel)) == Some(key);
        let kept = unchanged
            && self
                .publication
                .keep_recorded(&rel)
                .map_err(|e| format!("cannot keep the static pages: {e}"))?;
        if !kept {
            let html = page_html(
                self.shell,
                &self.manifest,
                &self.bundle,
                job.data,
                job.script,
                canonical.as_deref(),
            );
            self.publication
                .stage(&rel, html.as_bytes())
                .map_err(|e| format!("cannot write the static pages: {e}"))?;
        }
        self.progress.inc();
        Ok(Written {
            rel,
            key,
            kept,
            sitemap: canonical.map(|loc| SitemapEntry {
                loc,
                lastmod: job.lastmod,
            }),
        })
    }

    /// Writes `jobs` on every core, in order (the sitemap's).
    fn write_batch(&self, jobs: &mut Vec<Job>, out: &mut Vec<Written>) -> Result<(), String> {
        let written: Vec<Written> = std::mem::take(jobs)
            .into_par_iter()
            .map(|job| match job {
                Job::Render(job) => self.write(job),
                Job::Written(w) => Ok(w),
            })
            .collect::<Result<_, _>>()?;
        out.extend(written);
        Ok(())
    }
}

/// The static page of `data` in `script`: rendered ([`render_page`]) into the shell with
/// its subscription feeds' links and its canonical URL.
fn page_html(
    shell: &Shell,
    manifest: &Arc<Manifest>,
    bundle: &BundleLocation,
    data: PageData,
    script: Variant,
    canonical: Option<&str>,
) -> String {
    let page = render_page(manifest, bundle, &shell.router_base, data, script);
    let feeds = feed_links(
        manifest,
        bundle,
        &page.feed_list,
        &page.feed_title,
        page.script,
    );
    shell.page(&page, canonical, &feeds)
}

/// The page of `article` in `script`, dated in the sitemap by its last change.
fn article_job(article: &ArticleFile, script: Variant) -> PageJob {
    let lastmod = article
        .item
        .date_modified
        .clone()
        .unwrap_or_else(|| article.item.date_published.clone());
    PageJob {
        data: PageData::Article(Box::new(article.clone())),
        script,
        lastmod: Some(lastmod),
    }
}

/// Every page of the bundle, in the order of the sitemap, handed to `each`:
/// per script, the list pages (each `all` page after its articles), the
/// 政策文件库's pages, then 依申请公开. The articles' pages are those
/// `written` already when it is given (the bundle streamed: `staged` holds
/// no article), else rendered from `staged`'s articles.
fn for_each_job(
    staged: &StagedBundle,
    manifest: &Manifest,
    mut written: Option<&mut ArticlePages>,
    mut each: impl FnMut(Job) -> Result<(), String>,
) -> Result<(), String> {
    let library = read_library(staged)?;
    for name in &manifest.variants {
        let script: Variant = name
            .parse()
            .map_err(|_| format!("the manifest names an unknown variant {name:?}"))?;
        // The `all` list's rows in order: the library's document `d`.
        let mut rows = Vec::with_capacity(manifest.item_count);
        // The articles in display order, as the `all` list's pages hold them.
        let mut articles = staged.articles.iter().map(|a| match script {
            Variant::Hans => Some(&a.hans),
            Variant::Hant => a.hant.as_ref(),
        });
        let missing = |id: &str| format!("the bundle has no {script} article {id:?}");
        for page in staged.list_pages(script) {
            let newest = page.items.first().map(|i| i.date_published.clone());
            if page.gov.list == ALL_LIST {
                rows.extend(page.items.iter().cloned());
                for item in &page.items {
                    let job = match written.as_deref_mut() {
                        Some(pages) => Job::Written(
                            pages
                                .next(script, &item.id)
                                .ok_or_else(|| missing(&item.id))?,
                        ),
                        None => {
                            let article = articles
                                .next()
                                .flatten()
                                .filter(|a| a.item.id == item.id)
                                .ok_or_else(|| missing(&item.id))?;
                            Job::Render(article_job(article, script))
                        }
                    };
                    each(job)?;
                }
            }
            each(Job::Render(PageJob {
                data: PageData::List(page.clone()),
                script,
                lastmod: newest,
            }))?;
        }
        let newest = rows.first().map(|i| i.date_published.clone());
        let (facets, index) = &library;
        for_each_static_view(facets, index, &rows, script, |view| {
            each(Job::Render(PageJob {
                data: PageData::Library(Box::new(view)),
                script,
                lastmod: newest.clone(),
            }))
        })?;
        // 依申请公开, when the section says how to apply.
        if manifest.apply.is_some() {
            each(Job::Render(PageJob {
                data: PageData::Apply,
                script,
                lastmod: None,
            }))?;
        }
    }
    Ok(())
}

/// Renders every page of the `staged` bundle into the shell and stages it in
/// `publication` (the site folder), on every core, then the sitemap and
/// robots.txt, counting the pages on `progress`. A page whose inputs are
/// those `previous` recorded for it is kept as served, not rendered again.
/// The articles' pages are those of `articles` when the bundle streamed
/// ([`ArticleSink`]: rendered with this manifest, batch by batch), else
/// rendered here from `staged`'s articles.
pub fn stage_site(
    publication: &Publication,
    shell: &Shell,
    staged: &StagedBundle,
    url: Option<&str>,
    previous: Option<&PageTable>,
    mut articles: Option<ArticlePages>,
    progress: &Progress,
) -> Result<SiteReport, String> {
    progress.counted("rendering the static pages");
    let facets = staged.library_file(FACETS_PATH).unwrap_or_default();
    let writer = Writer::new(
        publication,
        shell,
        &staged.manifest,
        facets,
        url,
        previous,
        progress,
    );
    if articles
        .as_ref()
        .is_some_and(|a| a.shared != Some(writer.shared))
    {
        return Err(
            "the articles' static pages were rendered for another manifest than the bundle's"
                .to_owned(),
        );
    }
    let mut written = Vec::new();
    let mut jobs = Vec::with_capacity(BATCH);
    for_each_job(staged, &writer.manifest, articles.as_mut(), |job| {
        jobs.push(job);
        if jobs.len() == BATCH {
            writer.write_batch(&mut jobs, &mut written)?;
        }
        Ok(())
    })?;
    writer.write_batch(&mut jobs, &mut written)?;
    let kept = written.iter().filter(|w| w.kept).count();
    let mut table = PageTable::default();
    let mut entries = Vec::new();
    for w in written {
        table.0.insert(w.rel, w.key);
        entries.extend(w.sitemap);
    }
    let files = writer
        .site_url
        .as_deref()
        .map(|url| sitemaps(&entries, url))
        .unwrap_or_default();
    let stage = |rel: &str, bytes: &[u8]| {
        publication
            .stage(rel, bytes)
            .map(drop)
            .map_err(|e| format!("cannot write the static pages: {e}"))
    };
    for (name, xml) in &files {
        stage(name, xml.as_bytes())?;
    }
    stage(
        "robots.txt",
        robots(writer.site_url.as_deref(), &shell.router_base).as_bytes(),
    )?;
    Ok(SiteReport {
        pages: table.0.len() - kept,
        kept,
        sitemap: !files.is_empty(),
        table,
    })
}

/// The article pages an [`ArticleSink`] wrote while the bundle streamed:
/// per script, in display order, for [`stage_site`] to place in the
/// sitemap's order.
#[derive(Default)]
pub struct ArticlePages {
    /// The [`shared_key`] they were rendered with (`None`: no article
    /// yet); the staged bundle's must be the same.
    shared: Option<u128>,
    by_script: Vec<(Variant, VecDeque<Written>)>,
    /// Time spent rendering them.
    took: Duration,
}

impl ArticlePages {
    /// The next article page of `script`, if it is item `id`'s.
    fn next(&mut self, script: Variant, id: &str) -> Option<Written> {
        let (_, queue) = self.by_script.iter_mut().find(|(v, _)| *v == script)?;
        let rel = static_file(&AppRoute::Article { id: id.to_owned() }, script);
        queue.front().filter(|w| w.rel == rel)?;
        queue.pop_front()
    }
}

/// The [`BuildSink`] of a streamed build with `--site`: renders and stages
/// the static pages of each batch of articles (every script, on every
/// core), then hands the batch on to the bundle's sink, so that no step
/// holds every article (docs/pipeline.md, "Memory"). The manifest and the
/// 政策文件库's facets every page is rendered with come first
/// ([`BuildSink::begin`]).
pub struct ArticleSink<'a> {
    step: &'a SiteStep,
    inner: &'a mut dyn BuildSink,
    /// `--gov-badge`'s format, which names the badge in the manifest.
    badge: Option<&'a str>,
    progress: &'a Progress,
    writer: Option<Writer<'a>>,
    pages: ArticlePages,
}

impl ArticleSink<'_> {
    /// The article pages written, for [`SiteStep::stage`].
    pub fn finish(self) -> ArticlePages {
        self.pages
    }
}

impl BuildSink for ArticleSink<'_> {
    fn begin(&mut self, manifest: &Manifest, library: &[BundleFile]) -> Result<(), BuildError> {
        // The manifest as it will be staged (`replace_gov_badge`).
        let mut shown = manifest.clone();
        if let Some(ext) = self.badge {
            name_gov_badge(&mut shown, ext);
        }
        let facets = library
            .iter()
            .find(|(p, _)| p == FACETS_PATH)
            .map(|(_, b)| b.as_slice())
            .unwrap_or_default();
        let step = self.step;
        let writer = Writer::new(
            &step.publication,
            &step.shell,
            &shown,
            facets,
            step.url.as_deref(),
            step.previous.as_ref(),
            self.progress,
        );
        self.pages.shared = Some(writer.shared);
        self.pages.by_script = shown
            .variants
            .iter()
            .map(|name| {
                name.parse().map(|v| (v, VecDeque::new())).map_err(|_| {
                    BuildError::Sink(format!("the manifest names an unknown variant {name:?}"))
                })
            })
            .collect::<Result<_, _>>()?;
        self.writer = Some(writer);
        self.inner.begin(manifest, library)
    }

    fn articles(&mut self, batch: Vec<BundleArticle>) -> Result<(), BuildError> {
        let start = Instant::now();
        let writer = self.writer.as_ref().ok_or_else(|| {
            BuildError::Sink("the static pages: articles came before the manifest".to_owned())
        })?;
        for (script, queue) in &mut self.pages.by_script {
            let script = *script;
            let written: Vec<Written> = batch
                .par_iter()
                .map(|a| {
                    let article = match script {
                        Variant::Hans => Some(&a.hans),
                        Variant::Hant => a.hant.as_ref(),
                    }
                    .ok_or_else(|| {
                        format!("the bundle has no {script} article {:?}", a.hans.item.id)
                    })?;
                    writer.write(article_job(article, script))
                })
                .collect::<Result<_, _>>()
                .map_err(BuildError::Sink)?;
            queue.extend(written);
        }
        self.pages.took += start.elapsed();
        self.inner.articles(batch)
    }

    fn file(&mut self, path: String, bytes: Vec<u8>) -> Result<(), BuildError> {
        self.inner.file(path, bytes)
    }
}

/// The file, in the site folder's state folder, of the static pages'
/// inputs: for each page, the digest of what it was rendered from.
pub const PAGE_TABLE_FILE: &str = "static-pages";
const PAGE_TABLE_HEADER: &str =
    "# gongkai: the static pages' inputs (digest, file), one page a line";

/// The static pages' inputs as a build recorded them: file → [`page_key`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageTable(BTreeMap<String, u128>);

impl PageTable {
    /// The inputs' digest of the page file `rel`.
    pub fn get(&self, rel: &str) -> Option<u128> {
        self.0.get(rel).copied()
    }

    /// The table's text: the header, then `digest file` a line.
    pub fn to_text(&self) -> String {
        let mut text = format!("{PAGE_TABLE_HEADER}\n");
        for (rel, key) in &self.0 {
            text.push_str(&format!("{key:032x} {rel}\n"));
        }
        text
    }

    /// Reads [`PageTable::to_text`]'s form; `Err` says what is wrong.
    pub fn parse(text: &str) -> Result<PageTable, String> {
        let mut lines = text.lines().enumerate();
        if lines.next().map(|(_, l)| l) != Some(PAGE_TABLE_HEADER) {
            return Err("its first line is not gongkai's header".to_owned());
        }
        let mut table = BTreeMap::new();
        for (n, line) in lines {
            let parsed = line
                .split_once(' ')
                .filter(|(key, rel)| key.len() == 32 && !rel.is_empty())
                .and_then(|(key, rel)| Some((u128::from_str_radix(key, 16).ok()?, rel)));
            let Some((key, rel)) = parsed else {
                return Err(format!("line {} does not read: {line:?}", n + 1));
            };
            table.insert(rel.to_owned(), key);
        }
        Ok(PageTable(table))
    }
}

/// The static pages' renderer, by version: what a page's HTML is for the
/// same inputs (the app's `static_render`, [`Shell::page`], the feeds'
/// links). Bumped whenever that changes, which test
/// `the_render_version_changes_with_the_pages` catches on sample pages: a
/// page is rendered again when its inputs or this change, not whenever the
/// binary does.
pub const RENDER_VERSION: u32 = 1;

/// The digest of what renders every page: the renderer
/// ([`RENDER_VERSION`]), the shell, the manifest (but its build time and content hash,
/// which no page shows), the 政策文件库's facets, where the bundle is
/// served and the site's URL.
fn shared_key(
    shell: &Shell,
    manifest: &Manifest,
    facets: &[u8],
    bundle: &BundleLocation,
    site_url: Option<&str>,
) -> u128 {
    let shown = Manifest {
        built_at: String::new(),
        content_hash: String::new(),
        ..manifest.clone()
    };
    let text = format!(
        "{RENDER_VERSION}\n{}\n{shown:?}\n{:032x}\n{}\n{site_url:?}",
        shell.html,
        digest(facets),
        bundle.base()
    );
    digest(text.as_bytes())
}

/// The digest of one page's inputs: the build's [`shared_key`], the
/// script, and the page's typed data: a list page or an article as its
/// bundle file's JSON, a 政策文件库 page by its `Debug` form (every field).
fn page_key(shared: u128, data: &PageData, script: Variant) -> u128 {
    // Not the `Debug` form of lists and articles: it escapes every CJK
    // character of their bodies, a tenth of a fresh build's CPU time
    // (bench/README.md, "Build at scale").
    let data = match data {
        PageData::List(page) => json_or_debug("list", page),
        PageData::Article(article) => json_or_debug("article", article),
        // The facets are in the shared key; the view's own
        // fields are the rest.
        PageData::Library(view) => format!(
            "{:?} {:?} {} {} {} {:?} {:?}",
            view.params, view.counts, view.total, view.page, view.pages, view.rows, view.docno
        ),
        other => format!("{other:?}"),
    };
    digest(format!("{shared:032x} {script} {data}").as_bytes())
}

/// `value` tagged with `kind`: its JSON, or its `Debug` form if it has none.
fn json_or_debug<T: serde::Serialize + std::fmt::Debug>(kind: &str, value: &T) -> String {
    match serde_json::to_string(value) {
        Ok(json) => format!("{kind} {json}"),
        Err(_) => format!("{kind}? {value:?}"),
    }
}

/// The site step, prepared before the build: the shell read and the site
/// folder locked.
pub struct SiteStep {
    /// The site folder's publication.
    pub publication: Publication,
    shell: Shell,
    url: Option<String>,
    /// The previous build's [`PageTable`], if it was there and read.
    previous: Option<PageTable>,
    /// This build's, once staged: written after the commit.
    table: Mutex<Option<PageTable>>,
}

/// Checks `--site` and opens its folder, if it was given.
pub fn prepare(args: &SiteArgs, options: PublishOptions) -> Result<Option<SiteStep>, String> {
    let Some(dir) = &args.dir else {
        return Ok(None);
    };
    let shell = load_shell(dir)?;
    let options = PublishOptions {
        legacy: Some(legacy_site_file),
        ..options
    };
    let publication = Publication::begin(dir, options).map_err(|e| e.to_string())?;
    let previous = read_page_table(&publication);
    Ok(Some(SiteStep {
        publication,
        shell,
        url: args.url.clone(),
        previous,
        table: Mutex::new(None),
    }))
}

/// Where the site folder keeps its [`PageTable`].
fn page_table_path(root: &Path) -> PathBuf {
    root.join(STATE_DIR).join(PAGE_TABLE_FILE)
}

/// The previous build's table of the static pages' inputs. Missing after a
/// previous build, or unreadable, it is said on standard error and every
/// page is rendered.
fn read_page_table(publication: &Publication) -> Option<PageTable> {
    let path = page_table_path(publication.root());
    let problem = match std::fs::read_to_string(&path) {
        Ok(text) => match PageTable::parse(&text) {
            Ok(table) => return Some(table),
            Err(e) => format!("{} does not read ({e})", path.display()),
        },
        // A first build: nothing to keep, nothing to say.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !publication.has_record() => {
            return None
        }
        Err(e) => format!("{}: {e}", path.display()),
    };
    eprintln!("note: the static pages' inputs are not known: {problem}; rendering every page");
    None
}

impl SiteStep {
    /// The mount element's `data-bundle`: where the site serves the bundle.
    pub fn bundle_attr(&self) -> &str {
        &self.shell.bundle
    }

    /// The sink that renders the article pages as the bundle streams,
    /// each batch then handed to `inner` ([`ArticleSink`]); `badge`:
    /// `--gov-badge`'s format.
    pub fn article_sink<'a>(
        &'a self,
        inner: &'a mut dyn BuildSink,
        badge: Option<&'a str>,
        progress: &'a Progress,
    ) -> ArticleSink<'a> {
        ArticleSink {
            step: self,
            inner,
            badge,
            progress,
            writer: None,
            pages: ArticlePages::default(),
        }
    }

    /// Renders and stages every page (but `articles`, the article pages
    /// written as the bundle streamed) and prints what happened.
    pub fn stage(
        &self,
        bundle: &StagedBundle,
        articles: Option<ArticlePages>,
        progress: &Progress,
    ) -> Result<(), String> {
        let start = Instant::now();
        let before = articles.as_ref().map(|a| a.took).unwrap_or_default();
        let report = stage_site(
            &self.publication,
            &self.shell,
            bundle,
            self.url.as_deref(),
            self.previous.as_ref(),
            articles,
            progress,
        )?;
        progress.done();
        println!(
            "static pages: {} rendered, {} kept (inputs unchanged) for {}/{STATIC_DIR}, {}robots.txt, {} ms",
            report.pages,
            report.kept,
            self.publication.root().display(),
            if report.sitemap {
                "sitemap.xml, "
            } else {
                "no sitemap (no --site-url and no home_page_url), "
            },
            (before + start.elapsed()).as_millis()
        );
        *self.table.lock().unwrap_or_else(|e| e.into_inner()) = Some(report.table);
        Ok(())
    }

    /// Moves the staged pages into place, then records their inputs. The
    /// previous record goes first: a build stopped in between leaves none,
    /// and the next renders every page.
    pub fn commit(self) -> Result<PublishReport, String> {
        let path = page_table_path(self.publication.root());
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(format!("cannot remove {}: {e}", path.display()))
            }
            _ => {}
        }
        let table = self.table.into_inner().unwrap_or_else(|e| e.into_inner());
        let report = self.publication.commit(&[]).map_err(|e| e.to_string())?;
        if let Some(table) = table {
            let tmp = path.with_extension("tmp");
            std::fs::write(&tmp, table.to_text())
                .and_then(|()| std::fs::rename(&tmp, &path))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHELL: &str = "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>政府信息公开</title><base href=/><br/><script src=/gk-boot.js></script>\n</head><body class=gk-page><div data-bundle=bundle/ data-gongkai><noscript><div>x</div></noscript></div><footer></footer></body></html>";

    /// Each [`RENDER_VERSION`] and the digest of the sample pages it
    /// renders ([`sample_pages`]): a change to the pages adds a line.
    const RENDERS: &[(u32, &str)] = &[(1, "523d975d7402861908ff3442e624b804")];

    /// A feed with every kind of page: articles in two columns (HTML and
    /// text bodies, 政策文件库 fields, a relation), 依申请公开, a footer.
    const SAMPLE: &str = r#"{
      "version": "https://jsonfeed.org/version/1.1", "title": "武山县科学技术局 政府信息公开",
      "home_page_url": "https://www.example.gov.cn/kjj/",
      "_gov": {"site_name": "甘肃政务服务网-武山", "department": "武山县科学技术局",
        "columns": [{"id": "zcwj", "name": "政策文件"}, {"id": "tzgg", "name": "通知公告"}],
        "login_url": "https://portal.example.gov.cn/login", "register_url": "https://portal.example.gov.cn/register",
        "apply": {"online_url": "https://zwfw.example.gov.cn/ysqgk/", "recipient": "办公室", "phone": "0938-3422615"},
        "footer": {"sponsor": "武山县人民政府", "organizer": "武山县科学技术局", "icp": "陇ICP备12345678号-1"}},
      "items": [
        {"id": "kjj1-2023-00001", "title": "武山县科技项目管理办法", "date_published": "2023-03-01T09:00:00+08:00",
         "content_html": "<p>第一条　为规范管理，制定本办法。</p><table><tr><th>项目</th><th>金额</th></tr><tr><td>甲</td><td>10万元</td></tr></table>",
         "attachments": [{"url": "https://www.example.gov.cn/kjj/a.pdf", "mime_type": "application/pdf", "title": "附件1"}],
         "_gov": {"index_no": "kjj1/2023-00001", "publisher": "武山县科学技术局", "category": "zcwj",
                  "doc_no": "武科发〔2023〕3号", "written_date": "2023-02-27", "doc_type": "办法",
                  "issuer": "武山县科学技术局", "topics": ["科技"], "validity": "有效"}},
        {"id": "kjj1-2023-00002", "title": "《武山县科技项目管理办法》解读", "date_published": "2023-03-02T09:00:00+08:00",
         "content_text": "一、起草背景\n二、主要内容",
         "_gov": {"index_no": "kjj1/2023-00002", "publisher": "武山县科学技术局", "category": "zcwj",
                  "doc_type": "解读", "issuer": "武山县科学技术局",
                  "relations": [{"type": "interprets", "id": "kjj1-2023-00001"}]}},
        {"id": "kjj1-2023-00003", "title": "关于开展科技活动周的通知", "date_published": "2023-05-10T09:00:00+08:00",
         "summary": "科技活动周", "content_html": "<p>各乡镇：</p><ul><li>一</li><li>二</li></ul>",
         "_gov": {"index_no": "kjj1/2023-00003", "publisher": "武山县科学技术局", "category": "tzgg"}}
      ]
    }"#;

    /// Every static page of [`SAMPLE`] in both scripts, as `stage_site`
    /// writes them: file and HTML.
    fn sample_pages() -> Vec<(String, String)> {
        use gongkai_core::build::{BuildOptions, Bundle};
        use gongkai_core::stage::write_bundle;
        use gongkai_core::subscribe::SiteUrls;
        let feed = gongkai_core::validate::check(SAMPLE)
            .feed
            .expect("a valid feed");
        let urls = SiteUrls::new("https://www.example.gov.cn/kjj/", "bundle/");
        let bundle = Bundle::from_feed(&feed, &BuildOptions::default(), Some(&urls)).unwrap();
        let staged = write_bundle(bundle, |_, bytes| Ok(digest(&bytes))).unwrap();
        let shell = Shell::parse(SHELL).unwrap();
        let location = shell.bundle_location();
        let manifest = Arc::new(staged.manifest.clone());
        let mut pages = Vec::new();
        for_each_job(&staged, &manifest, None, |job| {
            let Job::Render(job) = job else {
                panic!("an article page written before")
            };
            let rel = static_file(&job.data.route(), job.script);
            let html = page_html(&shell, &manifest, &location, job.data, job.script, None);
            pages.push((rel, html));
            Ok(())
        })
        .unwrap();
        pages
    }

    /// Every file under `dir` but the state folder: path and content.
    fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut dirs = vec![dir.to_owned()];
        while let Some(d) = dirs.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if rel.starts_with(STATE_DIR) {
                    continue;
                }
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    files.insert(rel, std::fs::read(&path).unwrap());
                }
            }
        }
        files
    }

    /// Issue 21: with `--site` the bundle streams, and the article pages
    /// are rendered from each batch ([`ArticleSink`]) instead of from every
    /// article kept to the end; the site is the same, byte for byte, as
    /// the one rendered from the whole staged bundle (the Word/PDF path).
    #[test]
    fn the_pages_rendered_as_the_bundle_streams_are_those_of_the_whole_bundle() {
        use gongkai_core::build::{BuildOptions, Bundle};
        use gongkai_core::stage::{stage_bundle, Stager};
        use gongkai_core::subscribe::SiteUrls;
        let feed = gongkai_core::validate::check(SAMPLE)
            .feed
            .expect("a valid feed");
        let urls = SiteUrls::new("https://www.example.gov.cn/kjj/", "bundle/");
        let site = |streamed: bool| {
            let root = std::env::temp_dir()
                .join(format!("gk-site-stream-{}-{streamed}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(root.join("site")).unwrap();
            std::fs::write(root.join("site/index.html"), SHELL).unwrap();
            let args = SiteArgs {
                dir: Some(root.join("site")),
                url: None,
            };
            let step = prepare(&args, PublishOptions::default()).unwrap().unwrap();
            let out = Publication::begin(&root.join("out"), PublishOptions::default()).unwrap();
            let progress = Progress::hidden();
            let opts = BuildOptions::default();
            let (staged, pages) = if streamed {
                let mut stager = Stager::new(&out);
                let mut sink = step.article_sink(&mut stager, None, &progress);
                let mut feed = feed.clone();
                let bundle =
                    Bundle::stream(&mut feed, &opts, Some(&urls), None, &mut sink).unwrap();
                let pages = sink.finish();
                (stager.finish(bundle).unwrap(), Some(pages))
            } else {
                let bundle = Bundle::from_feed(&feed, &opts, Some(&urls)).unwrap();
                (stage_bundle(&out, bundle).unwrap(), None)
            };
            assert_eq!(staged.articles.is_empty(), streamed);
            step.stage(&staged, pages, &progress).unwrap();
            step.commit().unwrap();
            let files = files_under(&root.join("site"));
            let _ = std::fs::remove_dir_all(&root);
            files
        };
        let whole = site(false);
        let articles = whole.keys().filter(|k| k.contains("/article/")).count();
        assert_eq!(articles, 6, "{:?}", whole.keys());
        assert!(whole.contains_key("sitemap.xml"));
        assert_eq!(site(true), whole);
    }

    // Keys are no longer the pages' `Debug` form (which cost a tenth of a
    // fresh build's CPU): each page's is still its own, and any change to an
    // article's fields changes it.
    #[test]
    fn every_page_has_its_own_key_and_a_changed_article_a_new_one() {
        use gongkai_core::build::{BuildOptions, Bundle};
        use gongkai_core::stage::write_bundle;
        let feed = gongkai_core::validate::check(SAMPLE)
            .feed
            .expect("a valid feed");
        let bundle = Bundle::from_feed(&feed, &BuildOptions::default(), None).unwrap();
        let staged = write_bundle(bundle, |_, bytes| Ok(digest(&bytes))).unwrap();
        let manifest = Arc::new(staged.manifest.clone());
        let mut jobs = Vec::new();
        for_each_job(&staged, &manifest, None, |job| {
            let Job::Render(job) = job else {
                panic!("an article page written before")
            };
            jobs.push(job);
            Ok(())
        })
        .unwrap();
        let keys: std::collections::BTreeSet<u128> = jobs
            .iter()
            .map(|j| page_key(7, &j.data, j.script))
            .collect();
        assert_eq!(keys.len(), jobs.len(), "two pages share a key");
        let article = jobs
            .iter()
            .find_map(|j| match &j.data {
                PageData::Article(a) => Some(a.clone()),
                _ => None,
            })
            .expect("an article page");
        let key =
            |a: &ArticleFile| page_key(7, &PageData::Article(Box::new(a.clone())), Variant::Hans);
        assert_eq!(key(&article), key(&article.clone()));
        assert_ne!(
            page_key(8, &PageData::Article(article.clone()), Variant::Hans),
            key(&article)
        );
        let mut body = (*article).clone();
        body.item.content_html = Some(format!(
            "{}<p>又及</p>",
            body.item.content_html.unwrap_or_default()
        ));
        assert_ne!(key(&body), key(&article));
        let mut title = (*article).clone();
        title.item.title.push('。');
        assert_ne!(key(&title), key(&article));
        let mut next = (*article).clone();
        next.next = None;
        next.prev = None;
        next.related.clear();
        if next != *article {
            assert_ne!(key(&next), key(&article));
        }
    }

    #[test]
    fn the_render_version_changes_with_the_pages() {
        let pages = sample_pages();
        let rels: Vec<&str> = pages.iter().map(|(rel, _)| rel.as_str()).collect();
        for kind in ["article/", "column/", "library/", "apply/", ".zh-Hant.html"] {
            assert!(rels.iter().any(|r| r.contains(kind)), "{kind}: {rels:?}");
        }
        let all: String = pages
            .iter()
            .map(|(rel, html)| format!("{rel}\n{html}\n"))
            .collect();
        let now = format!("{:032x}", digest(all.as_bytes()));
        let (version, recorded) = RENDERS[RENDERS.len() - 1];
        assert_eq!(
            version, RENDER_VERSION,
            "RENDERS ends with RENDER_VERSION's line"
        );
        assert_eq!(
            now,
            recorded,
            "the static pages are rendered differently: set RENDER_VERSION to {next} and add ({next}, \"{now}\") as RENDERS' last line",
            next = RENDER_VERSION + 1
        );
        for (k, (v, d)) in RENDERS.iter().enumerate() {
            assert!(RENDERS[..k].iter().all(|(w, e)| w < v && e != d), "{v}");
        }
    }

    #[test]
    fn reads_attributes_quoted_or_not() {
        assert_eq!(
            attributes("<div data-bundle=bundle/ data-gongkai class=\"a b\" x='1'>"),
            vec![
                ("data-bundle".to_owned(), "bundle/".to_owned()),
                ("data-gongkai".to_owned(), String::new()),
                ("class".to_owned(), "a b".to_owned()),
                ("x".to_owned(), "1".to_owned()),
            ]
        );
    }

    #[test]
    fn the_shell_takes_the_page() {
        let shell = Shell::parse(SHELL).unwrap();
        assert_eq!(shell.bundle_location().base(), "/bundle/");
        let page = RenderedPage {
            route: AppRoute::Column {
                id: "gzdt".into(),
                page: 2,
            },
            script: Variant::Hant,
            href: "/column/gzdt?page=2&lang=zh-Hant".into(),
            body: "<div class=\"gk-app\">內容</div>".into(),
            title: "工作動態 <2>".into(),
            description: "說明 \"引號\"".into(),
            meta: vec![("ColumnName", "工作動態".into())],
            feed_list: "gzdt".into(),
            feed_title: "工作動態".into(),
        };
        let feeds = [FeedLink {
            format: FeedFormat::Atom,
            title: "工作動態 (Atom)".into(),
            href: "/bundle/feeds/zh-Hant/gzdt.atom".into(),
        }];
        let html = shell.page(
            &page,
            Some("https://example.gov.cn/column/gzdt?page=2&lang=zh-Hant"),
            &feeds,
        );
        assert!(html.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"工作動態 (Atom)\" href=\"/bundle/feeds/zh-Hant/gzdt.atom\">"), "{html}");
        assert!(html.contains("<html lang=\"zh-Hant\">"), "{html}");
        assert!(html.contains("<title>工作動態 &lt;2&gt;</title>"), "{html}");
        assert!(html.contains("<meta name=\"description\" content=\"說明 &quot;引號&quot;\">"));
        assert!(html.contains("<link rel=\"canonical\" href=\"https://example.gov.cn/column/gzdt?page=2&amp;lang=zh-Hant\">"));
        assert!(html.contains("<meta name=\"ColumnName\" content=\"工作動態\">"));
        assert!(html.contains(
            "<div data-bundle=bundle/ data-gongkai><div class=\"gk-app\">內容</div></div><footer>"
        ), "{html}");
        assert!(!html.contains("noscript"));
    }

    #[test]
    fn a_shell_without_a_mount_element_is_named() {
        let err = Shell::parse("<html><title>t</title></head><body><div></div></body></html>")
            .unwrap_err();
        assert_eq!(err, "no <div data-gongkai> mount element");
    }

    #[test]
    fn the_router_base_is_read_as_the_app_reads_it() {
        let shell = |base: &str| {
            Shell::parse(&format!(
                "<html><title>t</title></head><body><div data-gongkai data-base=\"{base}\"></div></body></html>"
            ))
        };
        assert_eq!(shell("/xxgk/").unwrap().router_base, "/xxgk");
        assert_eq!(shell("/").unwrap().router_base, "");
        let err = shell("/xxgk/../admin").unwrap_err();
        assert!(err.starts_with("its data-base: "), "{err}");
    }

    #[test]
    fn static_files_follow_the_nginx_map() {
        let home = AppRoute::Home { page: 1 };
        assert_eq!(static_file(&home, Variant::Hans), "static/index.html");
        assert_eq!(
            static_file(&AppRoute::Home { page: 3 }, Variant::Hant),
            "static/index.p3.zh-Hant.html"
        );
        assert_eq!(
            static_file(&AppRoute::Article { id: "a-1".into() }, Variant::Hans),
            "static/article/a-1/index.html"
        );
        let only = |facet, value| AppRoute::Library {
            params: gongkai::routes::LibraryParams::only(facet, value),
            page: 2,
        };
        use gongkai_core::library::Facet;
        assert_eq!(
            static_file(&only(Facet::Validity, "有效"), Variant::Hant),
            "static/library/validity/有效/index.p2.zh-Hant.html"
        );
        assert_eq!(
            static_file(&only(Facet::Topic, "科技、教育"), Variant::Hans),
            "static/library/topic/科技、教育/index.p2.html"
        );
        assert_eq!(
            static_file(
                &AppRoute::Library {
                    params: Default::default(),
                    page: 1
                },
                Variant::Hans
            ),
            "static/library/index.html"
        );
        assert_eq!(
            static_file(&AppRoute::Apply, Variant::Hant),
            "static/apply/index.zh-Hant.html"
        );
    }

    #[test]
    fn legacy_site_names() {
        for ours in [
            "static/index.html",
            "static/article/a/index.html.br",
            "sitemap.xml",
            "sitemap-2.xml.gz",
            "robots.txt",
        ] {
            assert!(legacy_site_file(ours), "{ours}");
        }
        for theirs in [
            "static/css/portal.css",
            "static/img/logo.png",
            "sitemap-news.xml",
            "index.html",
            "bundle/manifest.json",
        ] {
            assert!(!legacy_site_file(theirs), "{theirs}");
        }
    }

    #[test]
    fn large_sites_get_a_sitemap_index() {
        let entries: Vec<SitemapEntry> = (0..SITEMAP_LIMIT + 1)
            .map(|i| SitemapEntry {
                loc: format!("https://x.cn/article/{i}"),
                lastmod: None,
            })
            .collect();
        let files = sitemaps(&entries, "https://x.cn/");
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        assert!(files[0].1.contains("<loc>https://x.cn/sitemap-2.xml</loc>"));
        assert_eq!(files[2].1.matches("<url>").count(), 1);
        assert_eq!(sitemaps(&entries[..2], "https://x.cn").len(), 1);
    }
}
