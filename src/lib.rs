#![forbid(unsafe_code)]
//! The gongkai app: a Leptos single-page app that renders a government
//! information-disclosure section (政府信息公开) from a static bundle built by
//! the `gongkai` CLI.

pub mod api;
pub mod app;
pub mod components;
pub mod embed;
pub mod format;
pub mod i18n;
pub mod json;
pub mod library;
pub mod pages;
pub mod routes;
pub mod search;
pub mod speech;
pub mod split;
pub mod state;
pub mod static_render;

pub use app::{mount, App, AppConfig};
