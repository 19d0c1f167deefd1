//! Embedding: the mount element's settings (`config`) and, when the app runs
//! in an iframe, reporting its height to the parent page (`frame`).
//!
//! See `docs/embedding.md` for the attributes and the message format.

mod config;
mod frame;

pub use config::{
    contrast_ratio, normalize_base, parse_origin, ConfigError, EmbedMode, MountSettings,
    PortalOverrides, ThemeToken, FRAME_MESSAGE_TYPE, FRAME_MESSAGE_VERSION,
};
pub use frame::{owns_document, report_height, retarget_external_link, set_owns_document};
