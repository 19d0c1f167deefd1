//! The one place that touches `localStorage`.
//!
//! Storage is fragile: it may be disabled, blocked inside a sandboxed iframe
//! (reading `window.localStorage` throws), full, or hold a value an older
//! version wrote. Every access returns a typed [`StorageError`]; callers fall
//! back to defaults and keep working. A value that cannot be read is moved
//! aside to `<key>.corrupt` instead of being overwritten, so nothing is lost.

use std::fmt;

/// Prefix of every key the app writes, so a host page's keys never clash.
pub const KEY_PREFIX: &str = "gongkai.";

/// Why storage could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// No `localStorage` (disabled, sandboxed iframe, no window).
    #[error("浏览器存储不可用:{0}")]
    Unavailable(String),
    /// The write was refused, usually `QuotaExceededError`.
    #[error("浏览器存储已满或拒绝写入:{0}")]
    WriteFailed(String),
}

/// A stored value that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrupt {
    /// The key it was read from.
    pub key: String,
    /// Why it was rejected.
    pub reason: String,
}

impl fmt::Display for Corrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.reason)
    }
}

/// The browser's `localStorage`, if the page may use it.
fn local_storage() -> Result<web_sys::Storage, StorageError> {
    // Natively (the build's static render, unit tests) there is no browser
    // to ask, and wasm-bindgen's imports would panic: a platform fact, not a
    // mode, so the one check of the compilation target left in the app.
    if !cfg!(target_arch = "wasm32") {
        return Err(StorageError::Unavailable("not in a browser".into()));
    }
    let window = web_sys::window().ok_or_else(|| StorageError::Unavailable("no window".into()))?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(StorageError::Unavailable("localStorage is null".into())),
        Err(e) => Err(StorageError::Unavailable(js_text(&e))),
    }
}

fn js_text(value: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| format!("{}: {}", String::from(e.name()), String::from(e.message())))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// Reads `key` (without prefix).
pub fn read(key: &str) -> Result<Option<String>, StorageError> {
    local_storage()?
        .get_item(&format!("{KEY_PREFIX}{key}"))
        .map_err(|e| StorageError::Unavailable(js_text(&e)))
}

/// Writes `value` under `key` (without prefix).
pub fn write(key: &str, value: &str) -> Result<(), StorageError> {
    local_storage()?
        .set_item(&format!("{KEY_PREFIX}{key}"), value)
        .map_err(|e| StorageError::WriteFailed(js_text(&e)))
}

/// Moves an unreadable value of `key` to `<key>.corrupt`, keeping it for the
/// reader or a support request, and removes the original.
pub fn set_aside(key: &str, value: &str) -> Result<(), StorageError> {
    let storage = local_storage()?;
    storage
        .set_item(&format!("{KEY_PREFIX}{key}.corrupt"), value)
        .map_err(|e| StorageError::WriteFailed(js_text(&e)))?;
    storage
        .remove_item(&format!("{KEY_PREFIX}{key}"))
        .map_err(|e| StorageError::WriteFailed(js_text(&e)))
}
