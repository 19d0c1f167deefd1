//! The 政策文件库's state in the URL: the chosen values of each facet, the
//! year range, the 文号 and the order.
//!
//! A state with exactly one facet value and nothing else has a path of its
//! own, `/library/<facet>/<value>`, which is also the URL of its static page
//! (nginx serves it without JavaScript); every other state is a query on
//! `/library`: `?validity=有效&validity=已修订&type=办法&from=2020&to=2024&sort=written&docno=…`.

use super::{encode_component, percent_decode};
use gongkai_core::docno::DocNoQuery;
use gongkai_core::library::{Facet, LibrarySort, Selection};

/// Query parameters of the year range, the 文号 and the order.
pub const FROM_PARAM: &str = "from";
/// See [`FROM_PARAM`].
pub const TO_PARAM: &str = "to";
/// See [`FROM_PARAM`].
pub const DOCNO_PARAM: &str = "docno";
/// See [`FROM_PARAM`].
pub const SORT_PARAM: &str = "sort";

/// The longest 文号 the box takes, in characters.
pub const MAX_DOCNO_CHARS: usize = 40;

/// What a reader chose in the library, as the URL says it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LibraryParams {
    /// Chosen values of each facet, by [`Facet::index`], in the order chosen.
    pub chosen: [Vec<String>; 5],
    /// From this year (of 成文日期), inclusive.
    pub from: Option<u16>,
    /// To this year, inclusive.
    pub to: Option<u16>,
    /// The 文号 as typed.
    pub docno: Option<String>,
    /// The order.
    pub sort: LibrarySort,
}

impl LibraryParams {
    /// Reads the query with `get_all` (every value of a key). Values the app
    /// cannot use (a year that is not a number, an unknown order) are left
    /// out rather than failing the page.
    pub fn from_query(get_all: impl Fn(&str) -> Vec<String>) -> Self {
        let mut p = LibraryParams::default();
        for f in Facet::ALL {
            for v in get_all(f.as_str()) {
                let v = v.trim().to_owned();
                if !v.is_empty() && !p.chosen[f.index()].contains(&v) {
                    p.chosen[f.index()].push(v);
                }
            }
        }
        let first = |k: &str| get_all(k).into_iter().next().map(|v| v.trim().to_owned());
        let year = |k: &str| first(k).and_then(|v| v.parse::<u16>().ok());
        p.from = year(FROM_PARAM);
        p.to = year(TO_PARAM);
        p.docno = first(DOCNO_PARAM)
            .filter(|v| !v.is_empty())
            .map(|v| v.chars().take(MAX_DOCNO_CHARS).collect());
        p.sort = first(SORT_PARAM)
            .and_then(|v| v.parse().ok())
            .unwrap_or_default();
        p
    }

    /// The state of `/library/<facet>/<value>`, plus the query (the order
    /// and any other choice a hand-edited link adds).
    pub fn with_path(mut self, facet: &str, value: &str) -> Self {
        if let Ok(f) = facet.parse::<Facet>() {
            let v = value.trim().to_owned();
            if !v.is_empty() && !self.chosen[f.index()].contains(&v) {
                self.chosen[f.index()].insert(0, v);
            }
        }
        self
    }

    /// The state of a location: its path without the base (as
    /// [`crate::routes::app_path`] gives it, still percent-encoded) and its
    /// query, read with `get_all`. Only `/library/<facet>/<value>` adds to
    /// the query's state.
    pub fn from_location(app_path: &str, get_all: impl Fn(&str) -> Vec<String>) -> Self {
        let p = LibraryParams::from_query(get_all);
        let mut parts = app_path.trim_end_matches('/').split('/');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(""), Some("library"), Some(facet), Some(value)) if parts.next().is_none() => {
                match percent_decode(value) {
                    Some(value) => p.with_path(facet, &value),
                    None => p,
                }
            }
            _ => p,
        }
    }

    /// The one facet value this state is, if it is nothing else: such a
    /// state has a path of its own (and a static page).
    pub fn single(&self) -> Option<(Facet, &str)> {
        let mut chosen = Facet::ALL
            .into_iter()
            .flat_map(|f| self.chosen[f.index()].iter().map(move |v| (f, v.as_str())));
        let one = chosen.next()?;
        let alone = chosen.next().is_none()
            && self.from.is_none()
            && self.to.is_none()
            && self.docno.is_none()
            && self.sort == LibrarySort::default();
        alone.then_some(one)
    }

    /// Whether `value` of `facet` is chosen.
    pub fn has(&self, facet: Facet, value: &str) -> bool {
        self.chosen[facet.index()].iter().any(|v| v == value)
    }

    /// The state with `value` of `facet` chosen if it was not, and not if it was.
    pub fn toggled(&self, facet: Facet, value: &str) -> Self {
        let mut p = self.clone();
        let values = &mut p.chosen[facet.index()];
        match values.iter().position(|v| v == value) {
            Some(i) => {
                values.remove(i);
            }
            None => values.push(value.to_owned()),
        }
        p
    }

    /// The state with only `value` of `facet` (the static pages' links).
    pub fn only(facet: Facet, value: &str) -> Self {
        LibraryParams::default().toggled(facet, value)
    }

    /// The engine's selection. A 文号 that is not one is left out (the page
    /// says so).
    pub fn selection(&self) -> Selection {
        Selection {
            chosen: self.chosen.clone(),
            from: self.from,
            to: self.to,
            docno: self.docno_query(),
            sort: self.sort,
        }
    }

    /// The 文号 query, if one was typed and reads as a 文号.
    pub fn docno_query(&self) -> Option<DocNoQuery> {
        self.docno.as_deref().and_then(DocNoQuery::parse)
    }

    /// Whether the state shows every document newest first: the first view,
    /// whose rows are the `all` list's pages and whose counts are the facets
    /// file's (no index needed).
    pub fn is_first_view(&self) -> bool {
        self.chosen.iter().all(Vec::is_empty)
            && self.from.is_none()
            && self.to.is_none()
            && self.docno.is_none()
            && self.sort == LibrarySort::Published
    }

    /// The path within the app: `/library` or `/library/<facet>/<value>`.
    pub fn app_path(&self) -> String {
        match self.single() {
            Some((f, v)) => format!("/library/{}/{}", f.as_str(), encode_component(v)),
            None => "/library".to_owned(),
        }
    }

    /// The query pairs of the state, encoded, when it has no path of its own.
    pub fn query(&self) -> Vec<String> {
        if self.single().is_some() {
            return Vec::new();
        }
        let mut q = Vec::new();
        for f in Facet::ALL {
            for v in &self.chosen[f.index()] {
                q.push(format!("{}={}", f.as_str(), encode_component(v)));
            }
        }
        for (k, v) in [(FROM_PARAM, self.from), (TO_PARAM, self.to)] {
            if let Some(y) = v {
                q.push(format!("{k}={y}"));
            }
        }
        if self.sort != LibrarySort::default() {
            q.push(format!("{SORT_PARAM}={}", self.sort.as_str()));
        }
        if let Some(d) = &self.docno {
            q.push(format!("{DOCNO_PARAM}={}", encode_component(d)));
        }
        q
    }

    /// A short key of the state, for tests and benchmarks to tell one
    /// rendering from the next (`data-state`).
    pub fn key(&self) -> String {
        let mut parts = vec![self.app_path()];
        parts.extend(self.query());
        parts.join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(pairs: &[(&str, &str)]) -> LibraryParams {
        LibraryParams::from_query(|k| {
            pairs
                .iter()
                .filter(|(key, _)| *key == k)
                .map(|(_, v)| (*v).to_owned())
                .collect()
        })
    }

    #[test]
    fn a_location_reads_back_as_the_state_that_made_it() {
        let one = LibraryParams {
            sort: LibrarySort::Written,
            ..LibraryParams::only(Facet::Validity, "有效")
        };
        let two = one.toggled(Facet::DocType, "办法");
        for p in [LibraryParams::default(), one, two] {
            let query: Vec<(String, String)> = p
                .query()
                .iter()
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap();
                    (k.to_owned(), percent_decode(v).unwrap())
                })
                .collect();
            let get_all = |k: &str| {
                query
                    .iter()
                    .filter(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
                    .collect()
            };
            assert_eq!(LibraryParams::from_location(&p.app_path(), get_all), p);
        }
        // Other paths, and an escape that is not one, add nothing.
        let none = |_: &str| Vec::new();
        assert_eq!(
            LibraryParams::from_location("/library/validity/%E6%9C", none),
            LibraryParams::default()
        );
        assert_eq!(
            LibraryParams::from_location("/library/validity/a/b", none),
            LibraryParams::default()
        );
        assert_eq!(
            LibraryParams::from_location("/column/validity/a", none),
            LibraryParams::default()
        );
    }

    #[test]
    fn one_value_is_a_path_anything_else_a_query() {
        let one = LibraryParams::only(Facet::Validity, "有效");
        assert_eq!(one.app_path(), "/library/validity/%E6%9C%89%E6%95%88");
        assert!(one.query().is_empty());
        let two = one.toggled(Facet::DocType, "办法");
        assert_eq!(two.app_path(), "/library");
        assert_eq!(
            two.query(),
            ["validity=%E6%9C%89%E6%95%88", "type=%E5%8A%9E%E6%B3%95"]
        );
        let sorted = LibraryParams {
            sort: LibrarySort::Written,
            ..one.clone()
        };
        assert_eq!(sorted.app_path(), "/library");
        assert_eq!(sorted.query().last().unwrap(), "sort=written");
        assert_eq!(LibraryParams::default().app_path(), "/library");
        assert!(LibraryParams::default().is_first_view());
        assert!(!sorted.is_first_view());
    }

    #[test]
    fn the_state_round_trips_through_the_query() {
        let p = from(&[
            ("validity", "有效"),
            ("validity", "已修订"),
            ("validity", "有效"),
            ("topic", "科技、教育"),
            ("year", "2024"),
            ("from", "2020"),
            ("to", "x"),
            ("sort", "written"),
            ("docno", " 武科发〔2023〕12号 "),
            ("page", "2"),
        ]);
        assert_eq!(p.chosen[Facet::Validity.index()], ["有效", "已修订"]);
        assert_eq!((p.from, p.to), (Some(2020), None));
        assert_eq!(p.docno.as_deref(), Some("武科发〔2023〕12号"));
        assert_eq!(p.sort, LibrarySort::Written);
        assert_eq!(p.docno_query().unwrap().number, 12);
        let decoded: Vec<(String, String)> = p
            .query()
            .iter()
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_owned(), crate::routes::tests::percent_decode(v))
            })
            .collect();
        let again = LibraryParams::from_query(|k| {
            decoded
                .iter()
                .filter(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .collect()
        });
        assert_eq!(again, p);
    }

    #[test]
    fn the_path_value_comes_first_and_unknown_facets_are_ignored() {
        let p = from(&[("type", "办法")]).with_path("validity", "有效");
        assert_eq!(p.chosen[Facet::Validity.index()], ["有效"]);
        assert_eq!(p.chosen[Facet::DocType.index()], ["办法"]);
        assert_eq!(
            LibraryParams::default().with_path("colour", "红"),
            LibraryParams::default()
        );
        let toggled = LibraryParams::only(Facet::Year, "2024").toggled(Facet::Year, "2024");
        assert_eq!(toggled, LibraryParams::default());
    }
}
