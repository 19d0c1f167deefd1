//! Fetching bundle files, with typed errors that name what failed.
//!
//! Every request goes through [`fetch_json`], which aborts the HTTP request
//! when its future is dropped (the reader navigated away or retried), and
//! turns each failure into an [`AppError`] carrying the URL, so the error
//! page can say exactly what went wrong.

use crate::i18n::Msg;
use gongkai_core::bundle::{
    item_path, list_path, ArticleFile, ListPage, Manifest, Variant, BUNDLE_FORMAT, MANIFEST_FILE,
};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCache, RequestInit, Response};

/// Everything that can go wrong while loading the site.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// The request did not reach the server or was refused (offline, CSP, CORS).
    #[error("request for {url} failed: {message}")]
    Network {
        /// The URL requested.
        url: String,
        /// The browser's description of the failure.
        message: String,
    },
    /// The server answered with a non-success status.
    #[error("HTTP {status} for {url}")]
    Http {
        /// The URL requested.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// The file arrived but is not the JSON we expect.
    #[error("{url}: invalid data at line {line}, column {column}: {message}")]
    Parse {
        /// The URL requested.
        url: String,
        /// 1-based line of the problem (0 if unknown).
        line: usize,
        /// 1-based column of the problem (0 if unknown).
        column: usize,
        /// What serde found wrong (JSON syntax or shape).
        message: String,
    },
    /// The bundle (or its search index) was written by an incompatible builder.
    #[error("{url}: format {found}, this app reads {expected}")]
    Format {
        /// The manifest (or `search/index.json`) URL.
        url: String,
        /// Format number found.
        found: u32,
        /// Format number this app reads.
        expected: u32,
    },
    /// The route names something that does not exist (unknown article, page out of range).
    #[error("not found: {0:?}")]
    NotFound(Missing),
}

/// What a [`AppError::NotFound`] looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// An article id.
    Item(String),
    /// A column id.
    Column(String),
    /// A page number beyond the list (or not a number).
    Page {
        /// Requested page (0 if it was not a number).
        page: usize,
        /// Pages the list has.
        pages: usize,
    },
    /// A path no route matches.
    Path(String),
}

impl Missing {
    /// What was looked for, in `script`, for "未找到…".
    pub fn describe(&self, script: Variant) -> String {
        match self {
            Missing::Item(id) => Msg::WhatItem.fill(script, &[id]),
            Missing::Column(id) => Msg::WhatColumn.fill(script, &[id]),
            Missing::Page { page: 0, .. } => Msg::WhatPage.get(script).to_owned(),
            Missing::Page { page, pages } => Msg::WhatPageNumber.fill(script, &[page, pages]),
            Missing::Path(path) => Msg::WhatPath.fill(script, &[path]),
        }
    }
}

impl AppError {
    /// The message for readers, in `script`; it names the URL and the
    /// status or parse position so that a support request can quote it.
    pub fn describe(&self, script: Variant) -> String {
        match self {
            AppError::Network { url, message } => Msg::ErrNetwork.fill(script, &[url, message]),
            AppError::Http { url, status } => Msg::ErrHttp.fill(script, &[status, url]),
            AppError::Parse {
                url,
                line,
                column,
                message,
            } => Msg::ErrParse.fill(script, &[url, line, column, message]),
            AppError::Format {
                url,
                found,
                expected,
            } => Msg::ErrFormat.fill(script, &[url, found, expected]),
            AppError::NotFound(what) => what.describe(script),
        }
    }
}

mod read;

pub use read::{parse_article, parse_list_page, parse_manifest};

/// Where the bundle lives, resolved to an absolute URL ending in `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleLocation {
    base: Arc<str>,
}

impl BundleLocation {
    /// A bundle at `base`; a missing trailing slash is added.
    pub fn new(base: &str) -> Self {
        let base = if base.ends_with('/') {
            base.to_owned()
        } else {
            format!("{base}/")
        };
        BundleLocation { base: base.into() }
    }

    /// The bundle's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// URL of the manifest (never cache-busted: it is the one file that changes in place).
    pub fn manifest_url(&self) -> String {
        format!("{}{MANIFEST_FILE}", self.base)
    }

    /// URL of any bundle file by its path, tagged with the manifest's content hash.
    pub fn file_url(&self, manifest: &Manifest, path: &str) -> String {
        format!("{}{path}{}", self.base, manifest.cache_query())
    }

    /// URL of a list page, tagged with the manifest's content hash.
    pub fn list_url(
        &self,
        manifest: &Manifest,
        variant: Variant,
        list: &str,
        page: usize,
    ) -> String {
        format!(
            "{}{}{}",
            self.base,
            list_path(variant, list, page),
            manifest.cache_query()
        )
    }

    /// URL of an article file, tagged with the manifest's content hash.
    pub fn item_url(&self, manifest: &Manifest, variant: Variant, id: &str) -> String {
        format!(
            "{}{}{}",
            self.base,
            item_path(variant, id),
            manifest.cache_query()
        )
    }
}

/// Parses `text` fetched from `url` as `T`, keeping serde's line and column.
pub fn parse_json<T: DeserializeOwned>(url: &str, text: &str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(|e| AppError::Parse {
        url: url.to_owned(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// Aborts an in-flight request when dropped, so abandoned page loads stop
/// using the reader's bandwidth.
struct AbortOnDrop(Option<AbortController>);

impl AbortOnDrop {
    /// The body has been read: nothing is left to abort. `abort()` on a
    /// finished request does nothing useful and still costs the page a
    /// DOMException and an abort event, 20–30 times a search.
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(c) = &self.0 {
            c.abort();
        }
    }
}

fn js_message(value: &wasm_bindgen::JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// GETs `url` and returns the body's bytes (search shards are binary).
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, AppError> {
    let (response, guard) = fetch_ok(url, false).await?;
    let buffer = response
        .array_buffer()
        .map_err(|e| network_error(url, &e))?;
    let buffer = JsFuture::from(buffer)
        .await
        .map_err(|e| network_error(url, &e))?;
    guard.disarm();
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn network_error(url: &str, e: &wasm_bindgen::JsValue) -> AppError {
    AppError::Network {
        url: url.to_owned(),
        message: js_message(e),
    }
}

/// GETs `url` and returns the response if its status is a success.
/// The guard aborts the request (body included) if dropped before the
/// caller has read the body.
async fn fetch_ok(url: &str, revalidate: bool) -> Result<(Response, AbortOnDrop), AppError> {
    if let Some(response) = take_early(url).await {
        return checked(url, response).map(|r| (r, AbortOnDrop(None)));
    }
    let init = RequestInit::new();
    if revalidate {
        init.set_cache(RequestCache::NoCache);
    }
    fetch_with(url, init).await
}

/// Sends the request `init` for `url`, as [`fetch_ok`] does.
async fn fetch_with(url: &str, init: RequestInit) -> Result<(Response, AbortOnDrop), AppError> {
    let window = web_sys::window().ok_or_else(|| AppError::Network {
        url: url.to_owned(),
        message: "no browser window".into(),
    })?;
    let guard = AbortOnDrop(AbortController::new().ok());
    if let Some(c) = &guard.0 {
        init.set_signal(Some(&c.signal()));
    }
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|e| network_error(url, &e))?;
    let response: Response = response.dyn_into().map_err(|e| network_error(url, &e))?;
    Ok((checked(url, response)?, guard))
}

/// `response` if its status is a success.
fn checked(url: &str, response: Response) -> Result<Response, AppError> {
    if !response.ok() {
        return Err(AppError::Http {
            url: url.to_owned(),
            status: response.status(),
        });
    }
    Ok(response)
}

/// The window global where the boot module leaves the responses it
/// requested before the app started (scripts/trunk-post-build).
const EARLY: &str = "__gongkaiEarly";

/// The response to a GET of `url` that the boot module sent while the
/// wasm downloaded (the manifest, the search meta: docs/performance.md,
/// "Early requests"), taken once, so the app never fetches it twice. The
/// boot module files each under its URL without the query (it may learn
/// the query later, from the manifest); the response is used only if it
/// is for `url` itself. `None` (fetch it) when there is none, it failed,
/// or it is for another URL.
async fn take_early(url: &str) -> Option<Response> {
    let window = web_sys::window()?;
    let early: js_sys::Map = js_sys::Reflect::get(&window, &EARLY.into())
        .ok()?
        .dyn_into()
        .ok()?;
    let key = wasm_bindgen::JsValue::from(url.split('?').next().unwrap_or(url));
    let promise: js_sys::Promise = early.get(&key).dyn_into().ok()?;
    early.delete(&key);
    let response: Response = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    (response.url() == url).then_some(response)
}

/// GETs `url` and returns the body as text. `revalidate` asks caches to
/// check with the server first (for the manifest).
pub async fn fetch_text(url: &str, revalidate: bool) -> Result<String, AppError> {
    let (response, guard) = fetch_ok(url, revalidate).await?;
    let body = response.text().map_err(|e| network_error(url, &e))?;
    let text = JsFuture::from(body)
        .await
        .map_err(|e| network_error(url, &e))?
        .as_string()
        .unwrap_or_default();
    guard.disarm();
    Ok(text)
}

/// GETs `url` and parses the body as JSON, with serde (the search files,
/// read in the search chunk).
pub async fn fetch_json<T: DeserializeOwned>(url: &str, revalidate: bool) -> Result<T, AppError> {
    parse_json(url, &fetch_text(url, revalidate).await?)
}

/// Loads and checks the manifest.
pub async fn load_manifest(bundle: &BundleLocation) -> Result<Arc<Manifest>, AppError> {
    let url = bundle.manifest_url();
    let manifest = parse_manifest(&url, &fetch_text(&url, true).await?)?;
    if manifest.format != BUNDLE_FORMAT {
        return Err(AppError::Format {
            url,
            found: manifest.format,
            expected: BUNDLE_FORMAT,
        });
    }
    Ok(Arc::new(manifest))
}

/// Loads page `page` of list `list` (`all` or a column id). A page beyond the
/// list's end or an unknown column is [`AppError::NotFound`], not a fetch.
pub async fn load_list(
    bundle: &BundleLocation,
    manifest: &Manifest,
    variant: Variant,
    list: &str,
    page: usize,
) -> Result<ListPage, AppError> {
    let pages = if list == gongkai_core::bundle::ALL_LIST {
        manifest.pages
    } else {
        manifest
            .column(list)
            .ok_or_else(|| AppError::NotFound(Missing::Column(list.to_owned())))?
            .pages
    };
    if page == 0 || page > pages {
        return Err(AppError::NotFound(Missing::Page { page, pages }));
    }
    let variant = variant_or_hans(manifest, variant);
    let url = bundle.list_url(manifest, variant, list, page);
    parse_list_page(&url, &fetch_text(&url, false).await?)
}

/// Loads an article. A 404 for the file means the id is unknown.
pub async fn load_article(
    bundle: &BundleLocation,
    manifest: &Manifest,
    variant: Variant,
    id: &str,
) -> Result<ArticleFile, AppError> {
    let missing = || AppError::NotFound(Missing::Item(id.to_owned()));
    if !is_plausible_id(id) {
        return Err(missing());
    }
    let url = bundle.item_url(manifest, variant_or_hans(manifest, variant), id);
    match fetch_text(&url, false).await {
        Err(AppError::Http { status: 404, .. }) => Err(missing()),
        Err(other) => Err(other),
        Ok(text) => parse_article(&url, &text),
    }
}

/// Whether article `id` is still in the bundle, asked with a `HEAD` request
/// for its file (nothing but the headers comes back): `Ok(false)` for a 404
/// (the notice has left the feed). Any other failure (offline, a server
/// error) says nothing about the notice and is returned as it is. Dropping
/// the future aborts the request.
pub async fn article_exists(
    bundle: &BundleLocation,
    manifest: &Manifest,
    variant: Variant,
    id: &str,
) -> Result<bool, AppError> {
    if !is_plausible_id(id) {
        return Ok(false);
    }
    let url = bundle.item_url(manifest, variant_or_hans(manifest, variant), id);
    let init = RequestInit::new();
    init.set_method("HEAD");
    match fetch_with(&url, init).await {
        Ok((_, guard)) => {
            guard.disarm();
            Ok(true)
        }
        Err(AppError::Http { status: 404, .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `variant` if the bundle has it, else 简体: a bundle built without a 繁體
/// variant still shows its content (with 繁體 interface text) rather than 404s.
fn variant_or_hans(manifest: &Manifest, variant: Variant) -> Variant {
    if manifest.has_variant(variant) {
        variant
    } else {
        Variant::Hans
    }
}

/// Whether `id` could name an article file: the builder only writes ids made
/// of ASCII letters, digits, `.`, `_` and `-`, so anything else is a 404
/// without asking the server (and can never escape the bundle directory).
pub fn is_plausible_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_location_adds_slash() {
        assert_eq!(BundleLocation::new("https://x/b").base(), "https://x/b/");
        assert_eq!(
            BundleLocation::new("https://x/b/").manifest_url(),
            "https://x/b/manifest.json"
        );
    }

    #[test]
    fn parse_errors_keep_position() {
        let err = parse_json::<Manifest>("u", "{\n  \"format\": 1,").unwrap_err();
        match err {
            AppError::Parse { line, url, .. } => {
                assert_eq!(line, 2);
                assert_eq!(url, "u");
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn ids_that_cannot_be_files_are_rejected() {
        assert!(is_plausible_id("kjj1-2023-00026"));
        assert!(!is_plausible_id("../manifest"));
        assert!(!is_plausible_id(".hidden"));
        assert!(!is_plausible_id("a/b"));
        assert!(!is_plausible_id(""));
        assert!(!is_plausible_id("通知"));
    }
}
