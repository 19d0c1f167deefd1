//! HTML helpers that need no parser, so they also reach the app's wasm:
//! decoding the character references of sanitised HTML ([`entity`]) and
//! measuring how deeply a body's elements nest before the sanitiser's parser
//! sees it ([`nesting`]).

pub mod entity;
pub mod nesting;
