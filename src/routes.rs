//! The app's routes as a type, and the one place that turns a route into a
//! link. Every `href` the app renders comes from [`AppRoute::href`], so the
//! reader's script (`?lang=zh-Hant`) and page number are never dropped.

use gongkai_core::bundle::Variant;

/// Query parameter that carries the script in shareable links.
pub const LANG_PARAM: &str = "lang";

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
}

impl AppRoute {
    /// The path without query.
    pub fn path(&self) -> String {
        match self {
            AppRoute::Home { .. } => "/".to_owned(),
            AppRoute::Column { id, .. } => format!("/column/{id}"),
            AppRoute::Article { id } => format!("/article/{id}"),
        }
    }

    /// The link to this route for a reader of `script`: page 1 and 简体 are
    /// the defaults and stay out of the URL, so links are as short as they can be.
    pub fn href(&self, script: Variant) -> String {
        let mut query = Vec::new();
        match self {
            AppRoute::Home { page } | AppRoute::Column { page, .. } if *page > 1 => {
                query.push(format!("page={page}"));
            }
            _ => {}
        }
        if script != Variant::default() {
            query.push(format!("{LANG_PARAM}={}", script.as_str()));
        }
        if query.is_empty() {
            self.path()
        } else {
            format!("{}?{}", self.path(), query.join("&"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_keep_page_and_script() {
        assert_eq!(AppRoute::Home { page: 1 }.href(Variant::Hans), "/");
        assert_eq!(AppRoute::Home { page: 2 }.href(Variant::Hans), "/?page=2");
        assert_eq!(
            AppRoute::Home { page: 2 }.href(Variant::Hant),
            "/?page=2&lang=zh-Hant"
        );
        let col = AppRoute::Column {
            id: "gzdt".into(),
            page: 1,
        };
        assert_eq!(col.href(Variant::Hant), "/column/gzdt?lang=zh-Hant");
        let art = AppRoute::Article { id: "a-1".into() };
        assert_eq!(art.href(Variant::Hans), "/article/a-1");
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
