#![forbid(unsafe_code)]
//! `gongkai-core`: the feed model (JSON Feed 1.1 with a `_gov` extension), its
//! validation, and the static bundle format that the app reads.
//!
//! Everything here is plain Rust with no Leptos and no browser APIs, so it
//! compiles for `wasm32-unknown-unknown` (the app) and natively (the CLI and
//! tests). Building a bundle (sanitising HTML, writing files) sits behind the
//! `build` feature so that the app's wasm never carries the HTML sanitiser.

pub mod bundle;
pub mod date;
pub mod docno;
pub mod feed;
pub mod gov;
pub mod html;
pub mod library;
pub mod search;
pub mod subscribe;
pub mod validate;

#[cfg(feature = "build")]
pub mod audit;
#[cfg(feature = "build")]
pub mod build;
#[cfg(feature = "build")]
pub mod convert;
#[cfg(feature = "build")]
pub mod pii;
#[cfg(feature = "build")]
pub mod publish;
#[cfg(feature = "build")]
pub mod rebuild;
#[cfg(feature = "build")]
pub mod sanitize;
#[cfg(feature = "build")]
pub mod source;
#[cfg(feature = "build")]
pub mod stage;
