//! 收藏: the reader's favourite notices, as a plain list type with its
//! stored and exported form.
//!
//! [`Favourites`] holds the list and its rules (newest-added first, no
//! duplicates, merge on import); [`format`] reads and writes the versioned
//! JSON value and migrates older versions; [`store`] keeps the list in
//! signals, in `localStorage` and in step with the reader's other tabs.
//!
//! ```
//! use gongkai::state::favourites::{Favourite, Favourites};
//! let mut favs = Favourites::default();
//! let entry = Favourite::new("kjj1-2023-00026", "通知", "2023-07-14T09:00:00+08:00", "fdzdgknr", "法定主动公开内容");
//! assert!(favs.toggle(entry.clone(), 1_700_000_000_000));
//! assert!(favs.contains("kjj1-2023-00026"));
//! assert!(!favs.toggle(entry, 1_700_000_000_001));
//! assert!(favs.is_empty());
//! ```

pub mod files;
pub mod format;
pub mod store;

pub use format::{
    check_import_size, EntryError, FavouritesError, ImportReport, Parsed, Problem,
    FAVOURITES_VERSION, MAX_IMPORT_BYTES,
};
pub use store::{FavouritesNotice, FavouritesStore, Persistence};

use gongkai_core::bundle::ListItem;
use gongkai_core::feed::{Column, Item};
use std::collections::HashSet;

/// Most favourites the list takes: far above real use (one a day for more
/// than 27 years), and small enough that the stored list stays well inside
/// the browser's `localStorage` quota and 我的收藏 stays quick. Adding or
/// importing beyond it is refused with a message that names it; a longer
/// list already stored (by another program) is kept whole.
pub const MAX_FAVOURITES: usize = 10_000;

/// Favourites shown on one page of 我的收藏, as many as on a list page.
pub const FAVOURITES_PER_PAGE: usize = gongkai_core::bundle::PAGE_SIZE;

/// Longest title kept, in characters: a favourite stays a few hundred bytes
/// however long the notice's title is (the article page has the full one).
pub const MAX_TITLE_CHARS: usize = 120;

/// Longest column name kept, in characters.
pub const MAX_COLUMN_NAME_CHARS: usize = 40;

/// One favourite notice: enough to list it and link to it even after it has
/// left the feed (已下线).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Favourite {
    /// The item id (`/article/<id>`).
    pub id: String,
    /// The title when it was added, at most [`MAX_TITLE_CHARS`] characters.
    pub title: String,
    /// `date_published` (RFC 3339), or empty when unknown (migrated entries).
    pub date: String,
    /// The column id, or empty when unknown.
    pub column: String,
    /// The column's name when it was added, or empty when unknown.
    pub column_name: String,
    /// When the reader added it, in Unix milliseconds (0 when unknown).
    pub added_at: u64,
}

/// `text` cut to `max` characters, with `…` when something was cut.
fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

impl Favourite {
    /// A favourite of item `id` (its `added_at` is set when it is added).
    pub fn new(id: &str, title: &str, date: &str, column: &str, column_name: &str) -> Self {
        Favourite {
            id: id.to_owned(),
            title: clip(title, MAX_TITLE_CHARS),
            date: date.to_owned(),
            column: column.to_owned(),
            column_name: clip(column_name, MAX_COLUMN_NAME_CHARS),
            added_at: 0,
        }
    }

    /// The favourite for a row of a list page.
    pub fn from_list_item(item: &ListItem) -> Self {
        Favourite::new(
            &item.id,
            &item.title,
            &item.date_published,
            &item.gov.category,
            &item.gov.category_name,
        )
    }

    /// The favourite for an article page.
    pub fn from_article(item: &Item, column: &Column) -> Self {
        Favourite::new(
            &item.id,
            &item.title,
            &item.date_published,
            &column.id,
            &column.name,
        )
    }
}

/// How many entries of an import or merge were new, how many the list had,
/// and how many did not fit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeCount {
    /// Entries added to the list.
    pub added: usize,
    /// Entries whose id was already in the list (kept once).
    pub already: usize,
    /// New entries left out because the list had reached [`MAX_FAVOURITES`]
    /// (the oldest-added ones of the file: the newest are taken first).
    pub over_limit: usize,
}

/// One page of 我的收藏: the entries shown and where they are in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FavouritesPage {
    /// The entries of the page, newest-added first.
    pub items: Vec<Favourite>,
    /// The page shown, from 1 (the asked-for page, brought within the list).
    pub page: usize,
    /// Number of pages (at least 1).
    pub pages: usize,
    /// Number of entries on all pages.
    pub total: usize,
}

/// The reader's favourites, newest-added first, each id at most once.
///
/// The ids are also kept in a set, so that `contains` (asked by every
/// favourite button on every change) and merging a large import take
/// constant time per entry instead of a walk through the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Favourites {
    items: Vec<Favourite>,
    ids: HashSet<String>,
}

impl Favourites {
    /// A list of `items`: sorted newest-added first (ties keep their order),
    /// a repeated id kept once (its first occurrence).
    pub fn from_items(items: Vec<Favourite>) -> Self {
        let mut ids = HashSet::with_capacity(items.len());
        let items: Vec<Favourite> = items
            .into_iter()
            .filter(|item| ids.insert(item.id.clone()))
            .collect();
        let mut favs = Favourites { items, ids };
        favs.sort();
        favs
    }

    fn sort(&mut self) {
        // Stable: entries added in the same millisecond (or migrated without
        // a time) keep their order.
        self.items.sort_by_key(|f| std::cmp::Reverse(f.added_at));
    }

    /// The favourites, newest-added first.
    pub fn items(&self) -> &[Favourite] {
        &self.items
    }

    /// Number of favourites.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether item `id` is a favourite.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// Whether the list has reached [`MAX_FAVOURITES`]: nothing more can be added.
    pub fn is_full(&self) -> bool {
        self.items.len() >= MAX_FAVOURITES
    }

    /// The favourite of item `id`.
    pub fn get(&self, id: &str) -> Option<&Favourite> {
        self.items.iter().find(|f| f.id == id)
    }

    /// Adds `entry` at the top, added at `now` (Unix ms); `false` if it was
    /// already there or the list is full ([`Favourites::is_full`]); then
    /// nothing changes.
    pub fn add(&mut self, mut entry: Favourite, now: u64) -> bool {
        if self.contains(&entry.id) || self.is_full() {
            return false;
        }
        entry.added_at = now;
        self.ids.insert(entry.id.clone());
        self.items.insert(0, entry);
        self.sort();
        true
    }

    /// Adds `entry` if it is not a favourite, removes it if it is. Returns
    /// whether it is a favourite afterwards.
    pub fn toggle(&mut self, entry: Favourite, now: u64) -> bool {
        if self.remove(&entry.id) {
            false
        } else {
            self.add(entry, now)
        }
    }

    /// Removes item `id`; `false` if it was not a favourite.
    pub fn remove(&mut self, id: &str) -> bool {
        if !self.ids.remove(id) {
            return false;
        }
        self.items.retain(|f| f.id != id);
        true
    }

    /// Removes every favourite.
    pub fn clear(&mut self) {
        self.items.clear();
        self.ids.clear();
    }

    /// The favourites of column `column` (all of them for `None`), newest-added first.
    pub fn filter_column<'a>(
        &'a self,
        column: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Favourite> + 'a {
        self.items
            .iter()
            .filter(move |f| column.is_none_or(|c| f.column == c))
    }

    /// Page `page` (from 1) of the favourites of `column` (all for `None`),
    /// [`FAVOURITES_PER_PAGE`] to a page. A page past the end gives the last
    /// one (a reader who removed the last entry of a page stays in the list);
    /// page 0 gives the first.
    pub fn page(&self, column: Option<&str>, page: usize) -> FavouritesPage {
        let total = self.filter_column(column).count();
        let pages = total.div_ceil(FAVOURITES_PER_PAGE).max(1);
        let page = page.clamp(1, pages);
        let items = self
            .filter_column(column)
            .skip((page - 1) * FAVOURITES_PER_PAGE)
            .take(FAVOURITES_PER_PAGE)
            .cloned()
            .collect();
        FavouritesPage {
            items,
            page,
            pages,
            total,
        }
    }

    /// The columns the favourites belong to, as `(id, name)`, each once, in
    /// the order they first appear (entries of an unknown column are left out).
    pub fn columns(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for f in &self.items {
            if !f.column.is_empty() && seen.insert(f.column.as_str()) {
                let name = if f.column_name.is_empty() {
                    f.column.clone()
                } else {
                    f.column_name.clone()
                };
                out.push((f.column.clone(), name));
            }
        }
        out
    }

    /// Adds the favourites of `other` that this list lacks, keeping their
    /// `added_at`. An id present in both keeps this list's entry (the
    /// reader's current title and column) with the *earlier* `added_at`, so
    /// importing an old backup puts nothing back on top that the reader
    /// favourited long ago. New entries stop at [`MAX_FAVOURITES`]: `other`'s
    /// newest-added are taken first, and the rest are counted in
    /// [`MergeCount::over_limit`].
    pub fn merge(&mut self, other: Favourites) -> MergeCount {
        self.merge_up_to(other, MAX_FAVOURITES)
    }

    /// [`Favourites::merge`] with the list's limit `limit`.
    fn merge_up_to(&mut self, other: Favourites, limit: usize) -> MergeCount {
        let mut count = MergeCount::default();
        // The earlier time of each id present in both lists, found with
        // the set; the list is then walked once to apply them.
        let mut earlier: std::collections::HashMap<String, u64> = Default::default();
        for entry in other.items {
            if self.ids.contains(&entry.id) {
                count.already += 1;
                earlier
                    .entry(entry.id)
                    .and_modify(|t| *t = (*t).min(entry.added_at))
                    .or_insert(entry.added_at);
            } else if self.items.len() < limit {
                self.ids.insert(entry.id.clone());
                self.items.push(entry);
                count.added += 1;
            } else {
                count.over_limit += 1;
            }
        }
        if !earlier.is_empty() {
            for existing in &mut self.items {
                if let Some(t) = earlier.get(&existing.id) {
                    existing.added_at = existing.added_at.min(*t);
                }
            }
        }
        self.sort();
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fav(id: &str) -> Favourite {
        Favourite::new(
            id,
            &format!("标题 {id}"),
            "2023-07-14T09:00:00+08:00",
            "fdzdgknr",
            "法定主动公开内容",
        )
    }

    fn ids(favs: &Favourites) -> Vec<&str> {
        favs.items().iter().map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn toggle_adds_on_top_and_removes() {
        let mut favs = Favourites::default();
        assert!(favs.toggle(fav("a"), 10));
        assert!(favs.toggle(fav("b"), 20));
        assert!(favs.toggle(fav("c"), 30));
        assert_eq!(ids(&favs), ["c", "b", "a"]);
        assert_eq!(favs.get("b").unwrap().added_at, 20);
        assert!(!favs.toggle(fav("b"), 40));
        assert_eq!(ids(&favs), ["c", "a"]);
        assert!(favs.toggle(fav("b"), 50));
        assert_eq!(ids(&favs), ["b", "c", "a"], "re-adding puts it back on top");
    }

    #[test]
    fn same_millisecond_keeps_the_latest_on_top() {
        let mut favs = Favourites::default();
        favs.add(fav("a"), 5);
        favs.add(fav("b"), 5);
        assert_eq!(ids(&favs), ["b", "a"]);
    }

    #[test]
    fn add_twice_changes_nothing() {
        let mut favs = Favourites::default();
        assert!(favs.add(fav("a"), 1));
        assert!(!favs.add(fav("a"), 2));
        assert_eq!(favs.len(), 1);
        assert_eq!(favs.get("a").unwrap().added_at, 1);
    }

    #[test]
    fn remove_and_clear() {
        let mut favs = Favourites::default();
        favs.add(fav("a"), 1);
        favs.add(fav("b"), 2);
        assert!(favs.remove("a"));
        assert!(!favs.remove("a"));
        assert!(!favs.contains("a"));
        favs.clear();
        assert!(favs.is_empty());
    }

    #[test]
    fn filter_by_column_and_list_columns() {
        let mut favs = Favourites::default();
        let mut other = fav("x");
        other.column = "gzdt".into();
        other.column_name = "工作动态".into();
        favs.add(fav("a"), 1);
        favs.add(other, 2);
        favs.add(fav("b"), 3);
        let in_column: Vec<&str> = favs
            .filter_column(Some("fdzdgknr"))
            .map(|f| f.id.as_str())
            .collect();
        assert_eq!(in_column, ["b", "a"]);
        assert_eq!(favs.filter_column(None).count(), 3);
        assert_eq!(
            favs.columns(),
            [
                ("fdzdgknr".to_owned(), "法定主动公开内容".to_owned()),
                ("gzdt".to_owned(), "工作动态".to_owned())
            ]
        );
    }

    #[test]
    fn merge_adds_only_new_ids_and_keeps_the_earlier_time() {
        let mut mine = Favourites::default();
        mine.add(fav("a"), 100);
        mine.add(fav("b"), 200);
        let mut theirs = Favourites::default();
        let mut renamed = fav("a");
        renamed.title = "旧标题".into();
        theirs.add(renamed, 50);
        theirs.add(fav("c"), 150);
        theirs.add(fav("b"), 300);
        let count = mine.merge(theirs);
        assert_eq!(
            count,
            MergeCount {
                added: 1,
                already: 2,
                over_limit: 0
            }
        );
        assert_eq!(ids(&mine), ["b", "c", "a"]);
        assert_eq!(mine.get("a").unwrap().added_at, 50);
        assert_eq!(
            mine.get("a").unwrap().title,
            "标题 a",
            "existing entry kept"
        );
        assert_eq!(mine.get("b").unwrap().added_at, 200);
        // Merging the same list again adds nothing.
        let again = mine.clone();
        assert_eq!(mine.merge(again).added, 0);
    }

    /// `n` favourites `prefix-0` … added at 1 … n (the last is the newest).
    fn many(prefix: &str, n: usize) -> Vec<Favourite> {
        (0..n)
            .map(|i| {
                let mut f = fav(&format!("{prefix}-{i}"));
                f.added_at = i as u64 + 1;
                f
            })
            .collect()
    }

    // Issue 15, fault 7: `from_items` and `merge` looked each id up by
    // walking the list, so importing 20,000 favourites froze the tab for
    // 29 s. With the id set, the same lists take milliseconds natively
    // (bench/README.md has the browser figures).
    #[test]
    fn merging_20000_into_20000_keeps_each_id_once_with_the_earlier_time() {
        let mut mine = Favourites::from_items(many("n", 20_000));
        let mut theirs = many("n", 20_000).split_off(10_000);
        for f in &mut theirs {
            f.added_at = 0;
        }
        theirs.extend(many("m", 10_000));
        let count = mine.merge_up_to(Favourites::from_items(theirs), usize::MAX);
        assert_eq!(
            count,
            MergeCount {
                added: 10_000,
                already: 10_000,
                over_limit: 0
            }
        );
        assert_eq!(mine.len(), 30_000);
        assert!(mine.contains("n-19999") && mine.contains("m-0"));
        assert_eq!(mine.get("n-15000").unwrap().added_at, 0, "the earlier time");
        assert_eq!(mine.get("n-5000").unwrap().added_at, 5001, "untouched");
        let unique: HashSet<&str> = mine.items().iter().map(|f| f.id.as_str()).collect();
        assert_eq!(unique.len(), 30_000);
        assert!(
            mine.items()
                .windows(2)
                .all(|w| w[0].added_at >= w[1].added_at),
            "newest-added first"
        );
    }

    #[test]
    fn from_items_of_20000_with_every_id_twice_keeps_20000() {
        let mut items = many("a", 20_000);
        items.extend(many("a", 20_000));
        let favs = Favourites::from_items(items);
        assert_eq!(favs.len(), 20_000);
        assert_eq!(favs.items()[0].id, "a-19999");
        assert_eq!(favs.items()[19_999].id, "a-0");
    }

    #[test]
    fn merge_stops_at_the_limit_taking_the_newest_first() {
        let mut mine = Favourites::from_items(many("old", 3));
        let theirs = Favourites::from_items(many("new", 5));
        let count = mine.merge_up_to(theirs, 6);
        assert_eq!(
            count,
            MergeCount {
                added: 3,
                already: 0,
                over_limit: 2
            }
        );
        assert_eq!(mine.len(), 6);
        assert!(mine.contains("new-4") && mine.contains("new-2"));
        assert!(!mine.contains("new-1") && !mine.contains("new-0"));
        // Entries already present are still counted (and merged) when full.
        let again = Favourites::from_items(many("new", 5));
        let count = mine.merge_up_to(again, 6);
        assert_eq!(
            count,
            MergeCount {
                added: 0,
                already: 3,
                over_limit: 2
            }
        );
    }

    #[test]
    fn a_full_list_refuses_another_favourite() {
        let mut favs = Favourites::from_items(many("a", MAX_FAVOURITES));
        assert!(favs.is_full());
        assert!(!favs.add(fav("one-more"), 1));
        assert!(!favs.toggle(fav("one-more"), 1));
        assert_eq!(favs.len(), MAX_FAVOURITES);
        assert!(!favs.contains("one-more"));
        // Removing one makes room again.
        assert!(favs.remove("a-0"));
        assert!(favs.add(fav("one-more"), u64::MAX));
        assert!(favs.is_full());
    }

    #[test]
    fn pages_of_twenty_within_the_list_and_the_column() {
        let favs = Favourites::from_items(many("a", 45));
        let first = favs.page(None, 1);
        assert_eq!((first.page, first.pages, first.total), (1, 3, 45));
        assert_eq!(first.items.len(), FAVOURITES_PER_PAGE);
        assert_eq!(first.items[0].id, "a-44");
        let last = favs.page(None, 3);
        assert_eq!(last.items.len(), 5);
        assert_eq!(last.items[4].id, "a-0");
        assert_eq!(favs.page(None, 99), last, "past the end: the last page");
        assert_eq!(favs.page(None, 0), first, "page 0: the first");
        let none = favs.page(Some("gzdt"), 2);
        assert_eq!((none.page, none.pages, none.total), (1, 1, 0));
        assert!(none.items.is_empty());
        let empty = Favourites::default().page(None, 1);
        assert_eq!((empty.page, empty.pages, empty.total), (1, 1, 0));
    }

    #[test]
    fn from_items_drops_repeated_ids() {
        let favs = Favourites::from_items(vec![fav("a"), fav("b"), fav("a")]);
        assert_eq!(ids(&favs), ["a", "b"]);
    }

    #[test]
    fn long_titles_are_clipped() {
        let long = "长".repeat(500);
        let f = Favourite::new("a", &long, "", "", "");
        assert_eq!(f.title.chars().count(), MAX_TITLE_CHARS);
        assert!(f.title.ends_with('…'));
        assert_eq!(Favourite::new("a", " 短 ", "", "", "").title, "短");
    }
}
