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

pub use format::{EntryError, FavouritesError, ImportReport, Parsed, Problem, FAVOURITES_VERSION};
pub use store::{FavouritesNotice, FavouritesStore, Persistence};

use gongkai_core::bundle::ListItem;
use gongkai_core::feed::{Column, Item};

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

/// How many entries of an import or merge were new and how many the list had.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeCount {
    /// Entries added to the list.
    pub added: usize,
    /// Entries whose id was already in the list (kept once).
    pub already: usize,
}

/// The reader's favourites, newest-added first, each id at most once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Favourites {
    items: Vec<Favourite>,
}

impl Favourites {
    /// A list of `items`: sorted newest-added first (ties keep their order),
    /// a repeated id kept once (its first occurrence).
    pub fn from_items(items: Vec<Favourite>) -> Self {
        let mut favs = Favourites { items: Vec::new() };
        for item in items {
            if !favs.contains(&item.id) {
                favs.items.push(item);
            }
        }
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
        self.items.iter().any(|f| f.id == id)
    }

    /// The favourite of item `id`.
    pub fn get(&self, id: &str) -> Option<&Favourite> {
        self.items.iter().find(|f| f.id == id)
    }

    /// Adds `entry` at the top, added at `now` (Unix ms); `false` if it was
    /// already there (then nothing changes).
    pub fn add(&mut self, mut entry: Favourite, now: u64) -> bool {
        if self.contains(&entry.id) {
            return false;
        }
        entry.added_at = now;
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
        let before = self.items.len();
        self.items.retain(|f| f.id != id);
        self.items.len() != before
    }

    /// Removes every favourite.
    pub fn clear(&mut self) {
        self.items.clear();
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

    /// The columns the favourites belong to, as `(id, name)`, each once, in
    /// the order they first appear (entries of an unknown column are left out).
    pub fn columns(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for f in &self.items {
            if !f.column.is_empty() && !out.iter().any(|(id, _)| *id == f.column) {
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
    /// favourited long ago.
    pub fn merge(&mut self, other: Favourites) -> MergeCount {
        let mut count = MergeCount::default();
        for entry in other.items {
            match self.items.iter_mut().find(|f| f.id == entry.id) {
                Some(existing) => {
                    existing.added_at = existing.added_at.min(entry.added_at);
                    count.already += 1;
                }
                None => {
                    self.items.push(entry);
                    count.added += 1;
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
                already: 2
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
