//! One module per route.

mod article;
mod list;
mod not_found;

pub use article::ArticlePage;
pub use list::{ColumnPage, HomePage};
pub use not_found::NotFoundPage;
