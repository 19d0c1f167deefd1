//! Reusable view pieces.

mod a11y;
mod article_view;
mod breadcrumbs;
mod chrome;
mod error_view;
mod notice_list;
mod pager;

pub use a11y::{
    event_target, on_pointer_move, A11yBar, Captions, FontSizeControl, ReadingAids, ReadingGuide,
};
pub use article_view::{AttachmentList, MetaBlock, NeighbourNav};
pub use breadcrumbs::{Breadcrumbs, Crumb};
pub use chrome::{set_document_title, Masthead, SiteFooter, TopBar};
pub use error_view::{ErrorView, Loading, NotFound};
pub use notice_list::NoticeList;
pub use pager::Pager;
