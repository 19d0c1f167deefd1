//! App state that outlives a page: the reader's settings and where they are kept.

pub mod favourites;
pub mod modes;
pub mod settings;
pub mod storage;

pub use favourites::{Favourite, Favourites, FavouritesStore};
pub use modes::{ColorScheme, ElderMode, FontStep, SpeechRate, Switch, TextZoom, Toolbar};
pub use settings::{Settings, SettingsRecord};
