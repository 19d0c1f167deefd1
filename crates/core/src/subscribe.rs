//! 订阅: the public feeds of a section, for the whole
//! section and for each column, each as Atom 1.0 (RFC 4287) and JSON Feed
//! 1.1, with the newest [`FEED_ITEMS`] notices and absolute URLs:
//!
//! ```text
//! feeds/zh-Hans/all.atom, all.json                the section
//! feeds/zh-Hans/<column id>.atom, .json          one column
//! feeds/zh-Hant/…                                 the same in 繁體
//! ```
//!
//! They are written only when the build knows where the site is
//! (`SiteUrls`: `--site-url`, or the feed's `home_page_url`), since a feed
//! reader needs absolute links. An entry links the notice's page on this
//! site (`/article/<id>`); its text is the summary, or the first
//! [`EXCERPT_CHARS`] characters of the body. See `docs/subscriptions.md`.
//!
//! The paths are here for the app (its 订阅 links); writing the feeds is
//! `write` (feature `build`).

use crate::bundle::Variant;

#[cfg(feature = "build")]
mod write;

#[cfg(feature = "build")]
pub use write::{feed_files, feed_time, to_uri, xml_text, FeedInput, SiteUrls};

/// Notices in each feed, newest first.
pub const FEED_ITEMS: usize = 50;

/// Characters of body text an entry carries when the notice has no summary.
pub const EXCERPT_CHARS: usize = 200;

/// Directory of the feeds under the bundle root.
pub const FEEDS_DIR: &str = "feeds";

/// The two formats of a subscription feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedFormat {
    /// Atom 1.0, `application/atom+xml`.
    Atom,
    /// JSON Feed 1.1, `application/feed+json`.
    JsonFeed,
}

impl FeedFormat {
    /// Both formats, Atom first (what most readers know).
    pub const ALL: [FeedFormat; 2] = [FeedFormat::Atom, FeedFormat::JsonFeed];

    /// The file extension, and the name in docs: `atom` or `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom",
            FeedFormat::JsonFeed => "json",
        }
    }

    /// Its name for readers: `Atom` or `JSON Feed`.
    pub fn label(self) -> &'static str {
        match self {
            FeedFormat::Atom => "Atom",
            FeedFormat::JsonFeed => "JSON Feed",
        }
    }

    /// The media type, for `<link rel="alternate" type>`.
    pub fn mime_type(self) -> &'static str {
        match self {
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::JsonFeed => "application/feed+json",
        }
    }
}

/// Path of a list's feed (`all` or a column id), relative to the bundle root.
pub fn feed_path(variant: Variant, list: &str, format: FeedFormat) -> String {
    format!(
        "{FEEDS_DIR}/{}/{list}.{}",
        variant.as_str(),
        format.as_str()
    )
}
