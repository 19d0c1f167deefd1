//! The favourites as app state: signals, `localStorage`, the other tabs.
//!
//! Nothing the reader favourited is ever lost silently:
//! - a stored value that cannot be read (corrupt, or written by a newer
//!   version) is moved to `gongkai.favourites.corrupt`, the list starts
//!   empty, a notice says so and offers the value as a download; if even
//!   moving it fails the value is left where it is and nothing is written
//!   over it for the rest of the visit;
//! - a write refused by the browser (`QuotaExceededError`) keeps the list in
//!   memory for the visit and says it was not saved (an import says it in
//!   its own message too); the value stored before stays as it was;
//! - a full list ([`MAX_FAVOURITES`]) refuses another favourite and says so;
//! - without storage (disabled, private mode, sandboxed frame) the list
//!   works for the visit, with a notice.
//!
//! Another tab's change arrives as a `storage` event and replaces the list.

use super::files;
use super::format::{export_file_name, ImportReport};
use super::{Favourite, Favourites, FavouritesError, MAX_FAVOURITES};
use crate::i18n::Msg;
use crate::state::storage::{self, StorageError, KEY_PREFIX};
use gongkai_core::bundle::Variant;
use leptos::prelude::*;

/// Storage key of the favourites (prefixed by [`KEY_PREFIX`]).
pub const FAVOURITES_KEY: &str = "favourites";

/// Whether the list is being saved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Persistence {
    /// Every change is written to `localStorage`.
    #[default]
    Saved,
    /// The last write was refused (storage full); the list lives in memory.
    Unsaved,
    /// No storage at all; the list lives in memory for this visit.
    SessionOnly,
    /// An unreadable stored value could not be moved aside, so the app
    /// does not write over it; the list lives in memory.
    Blocked,
}

impl Persistence {
    /// Name for a data attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Persistence::Saved => "saved",
            Persistence::Unsaved => "unsaved",
            Persistence::SessionOnly => "session-only",
            Persistence::Blocked => "blocked",
        }
    }
}

/// A message about the favourites' storage, shown until dismissed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FavouritesNotice {
    /// The stored value could not be read; the list started empty.
    Corrupt {
        /// Why.
        error: FavouritesError,
        /// Whether it was moved to `gongkai.favourites.corrupt`.
        set_aside: bool,
    },
    /// Some stored entries could not be read and were left out.
    PartlyCorrupt {
        /// How many.
        rejected: usize,
        /// Whether the whole value was copied to `gongkai.favourites.corrupt`.
        set_aside: bool,
    },
    /// A write was refused (`QuotaExceededError`).
    NotSaved,
    /// No storage: favourites last for this visit.
    Unavailable,
    /// The list has [`MAX_FAVOURITES`] entries: a favourite was not added.
    Full,
}

impl FavouritesNotice {
    /// The message in `script`.
    pub fn describe(&self, script: Variant) -> String {
        let key = format!("{KEY_PREFIX}{FAVOURITES_KEY}.corrupt");
        match self {
            FavouritesNotice::Corrupt {
                error,
                set_aside: true,
            } => Msg::FavCorrupt.fill(script, &[&error.describe(script), &key]),
            FavouritesNotice::Corrupt {
                error,
                set_aside: false,
            } => Msg::FavCorruptKept.fill(script, &[&error.describe(script)]),
            FavouritesNotice::PartlyCorrupt { rejected, .. } => {
                Msg::FavPartlyCorrupt.fill(script, &[rejected, &key])
            }
            FavouritesNotice::NotSaved => Msg::FavNotSaved.get(script).to_owned(),
            FavouritesNotice::Unavailable => Msg::FavUnavailable.get(script).to_owned(),
            FavouritesNotice::Full => Msg::FavFull.fill(script, &[&MAX_FAVOURITES]),
        }
    }

    /// Whether the notice offers the unreadable value as a download.
    pub fn offers_backup(&self) -> bool {
        matches!(
            self,
            FavouritesNotice::Corrupt { .. } | FavouritesNotice::PartlyCorrupt { .. }
        )
    }
}

/// What reading the stored value found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// A readable value (or none): the list, and whether it was migrated
    /// from an older version (and should be written back as the current one).
    Ok(Favourites, bool),
    /// Part or all of the value could not be read: what could, the notice,
    /// and the original text (kept for download).
    Damaged(Favourites, FavouritesNotice, String),
    /// Storage cannot be used.
    Unavailable(StorageError),
}

/// Interprets the stored text, setting aside a value that cannot be fully read.
pub fn interpret(text: Option<String>) -> Loaded {
    let Some(text) = text else {
        return Loaded::Ok(Favourites::default(), false);
    };
    match Favourites::parse_lenient(&text) {
        Ok(parsed) if parsed.rejected.is_empty() => {
            Loaded::Ok(parsed.favourites, parsed.migrated_from.is_some())
        }
        Ok(parsed) => {
            // Keep the readable entries; the original, with the others,
            // goes aside whole.
            let set_aside = storage::set_aside(FAVOURITES_KEY, &text).is_ok();
            let notice = FavouritesNotice::PartlyCorrupt {
                rejected: parsed.rejected.len(),
                set_aside,
            };
            Loaded::Damaged(parsed.favourites, notice, text)
        }
        Err(error) => {
            let set_aside = storage::set_aside(FAVOURITES_KEY, &text).is_ok();
            let notice = FavouritesNotice::Corrupt { error, set_aside };
            Loaded::Damaged(Favourites::default(), notice, text)
        }
    }
}

/// Reads the stored favourites.
pub fn load() -> Loaded {
    match storage::read(FAVOURITES_KEY) {
        Ok(text) => interpret(text),
        Err(e) => Loaded::Unavailable(e),
    }
}

/// The current time in Unix milliseconds.
fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// The favourites as app state. `Copy`; provided once above the router with
/// [`FavouritesStore::provide`] and read with `use_context` (components
/// mounted without it, as in tests, simply show no favourite controls).
///
/// Changes go through the methods, which save at once; there is no effect
/// that writes on every change, so a list that arrives from another tab is
/// never written back.
#[derive(Debug, Clone, Copy)]
pub struct FavouritesStore {
    /// The list, newest-added first.
    pub list: RwSignal<Favourites>,
    /// A message about storage, until dismissed.
    pub notice: RwSignal<Option<FavouritesNotice>>,
    /// Whether changes reach `localStorage`.
    pub persistence: RwSignal<Persistence>,
    /// The unreadable stored value, for 下载原数据.
    pub backup: RwSignal<Option<String>>,
    /// The article being read, if any: the top bar's 加入收藏 toggles it.
    pub current: RwSignal<Option<Favourite>>,
}

impl FavouritesStore {
    /// A store holding `list`, saved on change.
    pub fn new(list: Favourites) -> Self {
        FavouritesStore {
            list: RwSignal::new(list),
            notice: RwSignal::new(None),
            persistence: RwSignal::new(Persistence::Saved),
            backup: RwSignal::new(None),
            current: RwSignal::new(None),
        }
    }

    /// The store as found in `localStorage`, with a notice if the stored
    /// value was damaged or storage is unavailable.
    pub fn from_storage() -> Self {
        let store = FavouritesStore::new(Favourites::default());
        match load() {
            Loaded::Ok(list, migrated) => {
                store.list.set(list);
                if migrated {
                    store.save();
                }
            }
            Loaded::Unavailable(_) => {
                store.persistence.set(Persistence::SessionOnly);
                store.notice.set(Some(FavouritesNotice::Unavailable));
            }
            Loaded::Damaged(list, notice, text) => store.apply_damaged(list, notice, text),
        }
        store
    }

    fn apply_damaged(&self, list: Favourites, notice: FavouritesNotice, text: String) {
        let set_aside = matches!(
            notice,
            FavouritesNotice::Corrupt {
                set_aside: true,
                ..
            } | FavouritesNotice::PartlyCorrupt {
                set_aside: true,
                ..
            }
        );
        self.list.set(list);
        self.backup.set(Some(text));
        self.notice.set(Some(notice));
        if set_aside {
            // The readable part becomes the stored value again.
            self.save();
        } else {
            self.persistence.set(Persistence::Blocked);
        }
    }

    /// Loads the store, provides it as context, and follows changes made in
    /// the reader's other tabs. Call once, in `<App/>`.
    pub fn provide() -> Self {
        let store = FavouritesStore::from_storage();
        provide_context(store);
        store.follow_other_tabs();
        store
    }

    /// Replaces the list whenever another tab changes the stored value (the
    /// `storage` event fires only in the other tabs), or the static page's
    /// boot script stored a press (`gongkai:favourites`). A damaged value
    /// is handled as at start.
    pub fn follow_other_tabs(self) {
        let wanted = format!("{KEY_PREFIX}{FAVOURITES_KEY}");
        let handle = window_event_listener(leptos::ev::storage, move |e| match e.key() {
            Some(key) if key == wanted => self.reload(e.new_value()),
            // `localStorage.clear()` in another tab.
            None => self.reload(storage::read(FAVOURITES_KEY).ok().flatten()),
            Some(_) => {}
        });
        // public/gk-boot.js runs the static page's 收藏 buttons until the
        // takeover; a press it stored after the list was read above comes
        // with this event (docs/performance.md).
        let boot = window_event_listener_untyped("gongkai:favourites", move |_| {
            self.reload(storage::read(FAVOURITES_KEY).ok().flatten())
        });
        on_cleanup(move || {
            handle.remove();
            boot.remove();
        });
    }

    /// Takes the stored value `text` (as another tab wrote it) as the list.
    pub fn reload(&self, text: Option<String>) {
        if self.persistence.get_untracked() == Persistence::Blocked {
            return;
        }
        match interpret(text) {
            Loaded::Ok(list, _) => self.list.set(list),
            Loaded::Damaged(list, notice, text) => self.apply_damaged(list, notice, text),
            Loaded::Unavailable(_) => {}
        }
    }

    /// Writes the list; a refused write keeps it in memory and says so.
    pub fn save(&self) {
        let persistence = self.persistence.get_untracked();
        if matches!(persistence, Persistence::Blocked | Persistence::SessionOnly) {
            return;
        }
        let json = self.list.with_untracked(Favourites::to_json);
        match storage::write(FAVOURITES_KEY, &json) {
            Ok(()) => {
                if persistence == Persistence::Unsaved {
                    self.persistence.set(Persistence::Saved);
                    if self.notice.get_untracked() == Some(FavouritesNotice::NotSaved) {
                        self.notice.set(None);
                    }
                }
            }
            Err(StorageError::WriteFailed(_)) => {
                self.persistence.set(Persistence::Unsaved);
                self.notice.set(Some(FavouritesNotice::NotSaved));
            }
            Err(StorageError::Unavailable(_)) => {
                self.persistence.set(Persistence::SessionOnly);
                self.notice.set(Some(FavouritesNotice::Unavailable));
            }
        }
    }

    /// Whether item `id` is a favourite (tracked).
    pub fn contains(&self, id: &str) -> bool {
        self.list.with(|l| l.contains(id))
    }

    /// Number of favourites (tracked).
    pub fn count(&self) -> usize {
        self.list.with(Favourites::len)
    }

    /// Adds or removes `entry`, saves, and returns whether it is a favourite
    /// now. A full list adds nothing and says so ([`FavouritesNotice::Full`]).
    pub fn toggle(&self, entry: Favourite) -> bool {
        let full = self
            .list
            .with_untracked(|l| l.is_full() && !l.contains(&entry.id));
        if full {
            self.notice.set(Some(FavouritesNotice::Full));
            return false;
        }
        let now = now_ms();
        let mut on = false;
        self.list.update(|l| on = l.toggle(entry, now));
        self.save();
        on
    }

    /// Removes item `id` and saves.
    pub fn remove(&self, id: &str) {
        let mut changed = false;
        self.list.update(|l| changed = l.remove(id));
        if changed {
            self.save();
        }
    }

    /// Removes every favourite and saves.
    pub fn clear(&self) {
        self.list.update(Favourites::clear);
        self.save();
    }

    /// Merges an exported file's favourites and saves; a wrong file changes
    /// nothing. A save refused by the browser keeps the merged list for the
    /// visit, as [`FavouritesStore::save`] does: check
    /// [`FavouritesStore::persistence`] afterwards to say so.
    pub fn import(&self, text: &str) -> Result<ImportReport, FavouritesError> {
        let mut list = self.list.get_untracked();
        let report = list.import(text)?;
        if report.count.added > 0 || report.count.already > 0 {
            self.list.set(list);
            self.save();
        }
        Ok(report)
    }

    /// Downloads the list as `gongkai-favourites-YYYYMMDD.json`.
    pub fn export(&self) -> Result<(), String> {
        let now = now_ms();
        let stamp = gongkai_core::date::format_rfc3339_utc((now / 1000) as i64);
        let json = self.list.with_untracked(|l| l.export_json(&stamp));
        files::download(&export_file_name(now), &json)
    }

    /// Downloads the unreadable stored value, as it was.
    pub fn download_backup(&self) -> Result<(), String> {
        match self.backup.get_untracked() {
            Some(text) => files::download("gongkai-favourites-corrupt.json", &text),
            None => Ok(()),
        }
    }

    /// Records `entry` as the article being read until the calling
    /// component is cleaned up (call from the article page's view).
    pub fn track_current(&self, entry: Favourite) {
        let id = entry.id.clone();
        self.current.set(Some(entry));
        let current = self.current;
        on_cleanup(move || {
            // A newer article page may already have taken over.
            if current.with_untracked(|c| c.as_ref().is_some_and(|c| c.id == id)) {
                current.set(None);
            }
        });
    }
}
