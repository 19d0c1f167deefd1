//! One module per route.

mod apply;
mod article;
mod favourites;
mod list;
mod not_found;
mod search;

pub use apply::{ApplyPage, ApplyView};
pub use article::{ArticlePage, ArticleView};
pub use favourites::FavouritesPage;
pub use list::{list_title, ColumnPage, HomePage, ListView};
pub use not_found::NotFoundPage;
pub use search::{marked, SearchPage};
