//! One module per route.

mod article;
mod favourites;
mod list;
mod not_found;
mod search;

pub use article::ArticlePage;
pub use favourites::FavouritesPage;
pub use list::{ColumnPage, HomePage};
pub use not_found::NotFoundPage;
pub use search::{marked, SearchPage};
