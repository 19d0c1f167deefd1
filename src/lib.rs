#![forbid(unsafe_code)]

//! The gongkai app: a Leptos single-page app that renders a government
//! information-disclosure section (政府信息公开) from a static bundle built by
//! the `gongkai` CLI.

// The static render belongs to the CLI. Cargo unifies features over the
// packages one build selects, so a wasm build that also selects the CLI
// (the workspace's default members) would compile it into the app and make
// every module about half as big again: refuse that build instead.
#[cfg(all(feature = "prerender", target_arch = "wasm32"))]
compile_error!(
    "the `prerender` feature is for the native CLI; build the app alone \
     (`-p gongkai`, or from the root, whose default members leave out crates/cli)"
);

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
pub mod tasks;

pub use app::{mount, App, AppConfig};
