//! Reusable view pieces.

mod a11y;
mod article_view;
mod breadcrumbs;
mod chrome;
mod error_view;
mod favourite_button;
mod footer;
mod notice_list;
mod pager;
mod related;
mod search_form;
mod subscribe;

pub use a11y::{
    event_target, on_pointer_move, run_aid, A11yBar, Aid, Captions, FontSizeControl, ReadingAids,
    ReadingGuide,
};
pub use article_view::{
    download_links, AttachmentList, DownloadLink, DownloadLinks, MetaBlock, NeighbourNav,
};
pub use breadcrumbs::{Breadcrumbs, Crumb};
pub use chrome::{set_document_title, Masthead, TopBar};
pub use error_view::{ErrorView, Loading, NotFound};
pub(crate) use favourite_button::script_signal;
pub use favourite_button::{
    BookmarkHelp, FavButtonVariant, FavouriteButton, FavouritesLink, FavouritesNoticeBar,
    TopBarFavourite, BOOKMARK_HELP_ID,
};
pub use footer::SiteFooter;
pub use notice_list::{rows_in_tasks, NoticeList};
pub use pager::Pager;
pub use related::{role_label, RelatedList, RelatedNotes};
pub use search_form::SearchForm;
pub use subscribe::{feed_href, set_feed_links, Subscribe};
