//! App state that outlives a page: the reader's settings and where they are kept.

pub mod settings;
pub mod storage;

pub use settings::{Settings, SettingsRecord};
