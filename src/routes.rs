//! The app's routes as a type, and the one place that turns a route into a
//! link. Every `href` the app renders comes from [`AppRoute::href`], so the
//! reader's script (`?lang=zh-Hant`), page number and the router's base path
//! (`data-base`, when the app is embedded under a sub-path) are never dropped.
//! The base is the [`Base`] of the `<App/>` making the link, passed to
//! `href` explicitly: there is no process- or thread-wide base.

mod library;

pub use library::{LibraryParams, DOCNO_PARAM, FROM_PARAM, MAX_DOCNO_CHARS, SORT_PARAM, TO_PARAM};

use gongkai_core::bundle::Variant;
use gongkai_core::date::parse_plain_date;
use gongkai_core::search::{MatchMode, Options, Scope, SortOrder};
use leptos::prelude::{use_context, GetValue, StoredValue};

/// Query parameter that carries the script in shareable links.
pub const LANG_PARAM: &str = "lang";

/// The router's base path of the app being rendered: empty at the site
/// root, else `/xxgk` (normalized by [`crate::embed::normalize_base`]).
///
/// `<App/>` makes one from its config and provides it as context; a
/// component reads it once with [`use_base`] and moves it (it is `Copy`)
/// into the closures and event handlers that make links, where no context
/// reaches. Each app has its own: the build renders pages of sites under
/// different bases in one process, one after another or interleaved, and
/// each page's links carry its own base only.
#[derive(Debug, Clone, Copy)]
pub struct Base(StoredValue<String>);

impl Base {
    /// The base `path` (already normalized), owned by the current reactive
    /// owner (the app's), so it goes when the app does.
    pub fn new(path: &str) -> Base {
        Base(StoredValue::new(path.to_owned()))
    }

    /// Calls `f` with the base path. An app that is gone renders nothing
    /// more; its base then reads as the root rather than failing.
    fn with<T>(self, f: impl FnOnce(&str) -> T) -> T {
        f(&self.0.try_get_value().unwrap_or_default())
    }

    /// `pathname` (a location's path, which includes the base) as the app's
    /// own path: `/xxgk/search` → `/search`, `/xxgk` → `/`. A path outside
    /// the base is returned as it is.
    pub fn app_path(self, pathname: &str) -> String {
        self.with(|base| match pathname.strip_prefix(base) {
            Some("") => "/".to_owned(),
            Some(rest) if base.is_empty() || rest.starts_with('/') => rest.to_owned(),
            _ => pathname.to_owned(),
        })
    }
}

/// The base of the `<App/>` rendering around the caller (a component or a
/// page's setup); the site root outside an app (a component mounted on its
/// own in a browser test).
pub fn use_base() -> Base {
    use_context::<Base>().unwrap_or_else(|| Base::new(""))
}

/// Whether two location paths name the same page (a trailing slash aside,
/// so `/xxgk` and `/xxgk/` are both the home page).
pub fn same_path(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// A place in the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppRoute {
    /// `/`, the list of every column, at a page.
    Home {
        /// Page from 1.
        page: usize,
    },
    /// `/column/<id>`, at a page.
    Column {
        /// Column id.
        id: String,
        /// Page from 1.
        page: usize,
    },
    /// `/article/<id>`.
    Article {
        /// Item id.
        id: String,
    },
    /// `/search?q=…`, at a page of results.
    Search {
        /// The query and its options.
        params: SearchParams,
        /// Page from 1.
        page: usize,
    },
    /// `/favourites`, 我的收藏, of one column or all, at a page.
    Favourites {
        /// Only this column id (`?column=`).
        column: Option<String>,
        /// Page from 1.
        page: usize,
    },
    /// `/library`, the 政策文件库, in a state, at a page.
    Library {
        /// What the reader chose.
        params: LibraryParams,
        /// Page from 1.
        page: usize,
    },
    /// `/apply`, 依申请公开: how to apply for disclosure.
    Apply,
}

/// The state of a search, as it appears in the URL:
/// `?q=…&scope=full&match=exact&sort=relevance&column=…&from=…&to=…`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchParams {
    /// What the reader typed, exactly (never converted).
    pub q: String,
    /// 搜索位置.
    pub scope: Scope,
    /// 匹配度.
    pub mode: MatchMode,
    /// 排序.
    pub sort: SortOrder,
    /// Only this column id.
    pub column: Option<String>,
    /// From this day, `YYYY-MM-DD`, as typed.
    pub from: Option<String>,
    /// To this day, `YYYY-MM-DD`, as typed.
    pub to: Option<String>,
}

impl SearchParams {
    /// Reads the parameters with `get` (a URL query lookup). An option value
    /// the app does not know (a hand-edited link) falls back to its default
    /// rather than failing the search.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        SearchParams {
            q: get("q").unwrap_or_default(),
            scope: get("scope")
                .and_then(|v| v.parse().ok())
                .unwrap_or_default(),
            mode: get("match")
                .and_then(|v| v.parse().ok())
                .unwrap_or_default(),
            sort: get("sort").and_then(|v| v.parse().ok()).unwrap_or_default(),
            column: non_empty("column"),
            from: non_empty("from"),
            to: non_empty("to"),
        }
    }

    /// The engine's options; `Err` names a date that is not `YYYY-MM-DD`.
    pub fn options(&self) -> Result<Options, String> {
        let date = |v: &Option<String>| match v {
            None => Ok(None),
            Some(s) => parse_plain_date(s).map(Some).map_err(|_| s.clone()),
        };
        Ok(Options {
            scope: self.scope,
            mode: self.mode,
            sort: self.sort,
            column: self.column.clone(),
            from: date(&self.from)?,
            to: date(&self.to)?,
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            ("q", self.q.clone()),
            ("scope", self.scope.as_str().to_owned()),
            ("match", self.mode.as_str().to_owned()),
            ("sort", self.sort.as_str().to_owned()),
        ];
        for (key, value) in [
            ("column", &self.column),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if let Some(v) = value {
                pairs.push((key, v.clone()));
            }
        }
        pairs
    }
}

/// Decodes the `%XX` escapes of a URL part (a path segment as the location
/// has it); `None` when an escape is malformed or the bytes are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes a query value: everything but RFC 3986's unreserved
/// characters, so Chinese text, spaces and `&` survive a round trip.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl AppRoute {
    /// The location path without query, under `base` (`/xxgk/article/x`).
    pub fn path(&self, base: Base) -> String {
        base.with(|base| format!("{base}{}", self.app_path()))
    }

    /// The path within the app, without the base.
    fn app_path(&self) -> String {
        match self {
            AppRoute::Home { .. } => "/".to_owned(),
            AppRoute::Column { id, .. } => format!("/column/{id}"),
            AppRoute::Article { id } => format!("/article/{id}"),
            AppRoute::Favourites { .. } => "/favourites".to_owned(),
            AppRoute::Apply => "/apply".to_owned(),
            AppRoute::Search { .. } => "/search".to_owned(),
            AppRoute::Library { params, .. } => params.app_path(),
        }
    }

    /// 我的收藏 at its first page, all columns.
    pub fn favourites() -> AppRoute {
        AppRoute::Favourites {
            column: None,
            page: 1,
        }
    }

    /// The same list at page `page` (other routes are returned as they are).
    pub fn with_page(&self, page: usize) -> AppRoute {
        match self {
            AppRoute::Home { .. } => AppRoute::Home { page },
            AppRoute::Column { id, .. } => AppRoute::Column {
                id: id.clone(),
                page,
            },
            AppRoute::Search { params, .. } => AppRoute::Search {
                params: params.clone(),
                page,
            },
            AppRoute::Library { params, .. } => AppRoute::Library {
                params: params.clone(),
                page,
            },
            AppRoute::Favourites { column, .. } => AppRoute::Favourites {
                column: column.clone(),
                page,
            },
            other => other.clone(),
        }
    }

    /// The link to this route for a reader of `script`, under the base of
    /// the app being rendered ([`use_base`]): page 1 and 简体 are the
    /// defaults and stay out of the URL, so links are as short as they can be.
    pub fn href(&self, base: Base, script: Variant) -> String {
        base.with(|base| self.href_under(base, script))
    }

    /// [`AppRoute::href`] under the router base `base` (empty, or `/xxgk`).
    pub fn href_under(&self, base: &str, script: Variant) -> String {
        let mut query = Vec::new();
        if let AppRoute::Search { params, .. } = self {
            for (key, value) in params.pairs() {
                query.push(format!("{key}={}", encode_component(&value)));
            }
        }
        if let AppRoute::Library { params, .. } = self {
            query.extend(params.query());
        }
        if let AppRoute::Favourites {
            column: Some(column),
            ..
        } = self
        {
            query.push(format!("column={}", encode_component(column)));
        }
        match self {
            AppRoute::Home { page }
            | AppRoute::Column { page, .. }
            | AppRoute::Search { page, .. }
            | AppRoute::Library { page, .. }
            | AppRoute::Favourites { page, .. }
                if *page > 1 =>
            {
                query.push(format!("page={page}"));
            }
            _ => {}
        }
        if script != Variant::default() {
            query.push(format!("{LANG_PARAM}={}", script.as_str()));
        }
        let path = format!("{base}{}", self.app_path());
        if query.is_empty() {
            path
        } else {
            format!("{path}?{}", query.join("&"))
        }
    }
}

/// `search` (a location's query string, with or without `?`) with `lang` set
/// for `script`, other parameters kept in order. Used when the reader
/// switches script in place.
pub fn with_script(search: &str, script: Variant) -> String {
    let mut parts: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some(LANG_PARAM))
        .collect();
    let lang = format!("{LANG_PARAM}={}", script.as_str());
    if script != Variant::default() {
        parts.push(&lang);
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Where a switch to `script` goes from the location `pathname` + `search` +
/// `hash` (the location's parts, as the router reports them): the same
/// page with only `lang` changed, as a path on this site.
///
/// The path's leading slashes and backslashes (and the tabs and line
/// breaks a URL parser drops between them) become one `/`. A location
/// such as `//evil.example/` (a link to the site written that way) would
/// otherwise give the target `//evil.example/?lang=zh-Hant`, which a
/// browser and the router read as the address of another host: the site
/// would send the reader there (issue 15, an open redirect).
pub fn script_target(pathname: &str, search: &str, hash: &str, script: Variant) -> String {
    let rest = pathname.trim_start_matches(['/', '\\', '\t', '\n', '\r']);
    format!("/{rest}{}{hash}", with_script(search, script))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_keep_page_and_script() {
        assert_eq!(
            AppRoute::Home { page: 1 }.href_under("", Variant::Hans),
            "/"
        );
        assert_eq!(
            AppRoute::Home { page: 2 }.href_under("", Variant::Hans),
            "/?page=2"
        );
        assert_eq!(
            AppRoute::Home { page: 2 }.href_under("", Variant::Hant),
            "/?page=2&lang=zh-Hant"
        );
        let col = AppRoute::Column {
            id: "gzdt".into(),
            page: 1,
        };
        assert_eq!(
            col.href_under("", Variant::Hant),
            "/column/gzdt?lang=zh-Hant"
        );
        let art = AppRoute::Article { id: "a-1".into() };
        assert_eq!(art.href_under("", Variant::Hans), "/article/a-1");
        assert_eq!(
            AppRoute::favourites().href_under("", Variant::Hans),
            "/favourites"
        );
        assert_eq!(
            AppRoute::Apply.href_under("", Variant::Hant),
            "/apply?lang=zh-Hant"
        );
        assert_eq!(
            AppRoute::favourites().href_under("", Variant::Hant),
            "/favourites?lang=zh-Hant"
        );
        let second = AppRoute::Favourites {
            column: Some("gzdt".into()),
            page: 2,
        };
        assert_eq!(
            second.href_under("", Variant::Hant),
            "/favourites?column=gzdt&page=2&lang=zh-Hant"
        );
        assert_eq!(
            second.with_page(1).href_under("", Variant::Hans),
            "/favourites?column=gzdt"
        );
    }

    #[test]
    fn hrefs_and_paths_carry_the_base_path() {
        let xxgk = Base::new("/xxgk");
        assert_eq!(
            AppRoute::Home { page: 1 }.href(xxgk, Variant::Hans),
            "/xxgk/"
        );
        assert_eq!(
            AppRoute::Article { id: "a-1".into() }.href(xxgk, Variant::Hant),
            "/xxgk/article/a-1?lang=zh-Hant"
        );
        assert_eq!(
            AppRoute::Column {
                id: "gzdt".into(),
                page: 2
            }
            .path(xxgk),
            "/xxgk/column/gzdt"
        );
        assert_eq!(xxgk.app_path("/xxgk/search"), "/search");
        assert_eq!(xxgk.app_path("/xxgk"), "/");
        assert_eq!(xxgk.app_path("/xxgk/"), "/");
        // A sibling path that merely starts with the base is not inside it.
        assert_eq!(xxgk.app_path("/xxgkfoo/search"), "/xxgkfoo/search");
        assert!(same_path("/xxgk", &AppRoute::Home { page: 1 }.path(xxgk)));
        // Another app's base, made after, leaves this one's as it was.
        let root = Base::new("");
        assert_eq!(root.app_path("/search"), "/search");
        assert_eq!(AppRoute::Home { page: 1 }.href(root, Variant::Hans), "/");
        assert_eq!(
            AppRoute::Home { page: 1 }.href(xxgk, Variant::Hans),
            "/xxgk/"
        );
        assert_eq!(
            AppRoute::Column {
                id: "gzdt".into(),
                page: 2
            }
            .href_under("/xxgk", Variant::Hant),
            "/xxgk/column/gzdt?page=2&lang=zh-Hant"
        );
    }

    #[test]
    fn search_state_round_trips_through_the_url() {
        let params = SearchParams {
            q: "科技 特派员&a=b".into(),
            scope: Scope::Title,
            mode: MatchMode::Fuzzy,
            sort: SortOrder::Date,
            column: Some("gzdt".into()),
            from: Some("2023-01-01".into()),
            to: None,
        };
        let href = AppRoute::Search {
            params: params.clone(),
            page: 2,
        }
        .href_under("", Variant::Hant);
        assert_eq!(
            href,
            "/search?q=%E7%A7%91%E6%8A%80%20%E7%89%B9%E6%B4%BE%E5%91%98%26a%3Db&scope=title\
             &match=fuzzy&sort=date&column=gzdt&from=2023-01-01&page=2&lang=zh-Hant"
        );
        // Decode the way a browser's URLSearchParams would.
        let query = href.split_once('?').unwrap().1;
        let pairs: Vec<(String, String)> = query
            .split('&')
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k.to_owned(), percent_decode(v))
            })
            .collect();
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(SearchParams::from_query(get), params);
    }

    pub(super) fn percent_decode(s: &str) -> String {
        super::percent_decode(s).unwrap()
    }

    #[test]
    fn unknown_options_fall_back_and_bad_dates_are_named() {
        let params = SearchParams::from_query(|k| match k {
            "q" => Some("通知".into()),
            "scope" => Some("everywhere".into()),
            "from" => Some("2023-13-01".into()),
            _ => None,
        });
        assert_eq!(params.scope, Scope::Full);
        assert_eq!(params.options(), Err("2023-13-01".to_owned()));
    }

    // Issue 15, fault 2: with 繁體 stored, `//evil.example/` became the
    // target `//evil.example/?lang=zh-Hant`, and the router left the site.
    #[test]
    fn a_script_switch_never_targets_another_host() {
        let hant = Variant::Hant;
        assert_eq!(
            script_target("/article/a-1", "?page=2", "#top", hant),
            "/article/a-1?page=2&lang=zh-Hant#top"
        );
        assert_eq!(script_target("/", "", "", Variant::Hans), "/");
        assert_eq!(script_target("", "", "", hant), "/?lang=zh-Hant");
        for path in [
            "//evil.example/",
            "/\\evil.example/",
            "///evil.example",
            "/\\/evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
        ] {
            let target = script_target(path, "", "", hant);
            assert!(
                target.starts_with('/') && !target[1..].starts_with(['/', '\\']),
                "{path} gave {target}"
            );
            assert!(target.starts_with("/evil.example"), "{path} gave {target}");
        }
        // A percent-encoded backslash stays encoded: a path, never a host.
        assert_eq!(
            script_target("/%5Cevil.example/", "", "", hant),
            "/%5Cevil.example/?lang=zh-Hant"
        );
    }

    #[test]
    fn library_hrefs_keep_state_page_and_script() {
        use gongkai_core::library::Facet;
        let one = LibraryParams::only(Facet::DocType, "办法");
        let route = AppRoute::Library {
            params: one.clone(),
            page: 2,
        };
        assert_eq!(
            route.href_under("", Variant::Hant),
            "/library/type/%E5%8A%9E%E6%B3%95?page=2&lang=zh-Hant"
        );
        let two = AppRoute::Library {
            params: one.toggled(Facet::Year, "2024"),
            page: 1,
        };
        assert_eq!(
            two.href_under("", Variant::Hans),
            "/library?type=%E5%8A%9E%E6%B3%95&year=2024"
        );
        assert_eq!(
            two.with_page(3).href_under("", Variant::Hans),
            "/library?type=%E5%8A%9E%E6%B3%95&year=2024&page=3"
        );
    }

    #[test]
    fn switching_script_rewrites_only_lang() {
        assert_eq!(with_script("", Variant::Hant), "?lang=zh-Hant");
        assert_eq!(
            with_script("?page=2", Variant::Hant),
            "?page=2&lang=zh-Hant"
        );
        assert_eq!(
            with_script("?lang=zh-Hant&page=2", Variant::Hans),
            "?page=2"
        );
        assert_eq!(with_script("?lang=zh-Hant", Variant::Hans), "");
        assert_eq!(
            with_script("?q=%E9%80%9A&lang=zh-Hans", Variant::Hant),
            "?q=%E9%80%9A&lang=zh-Hant"
        );
    }
}
