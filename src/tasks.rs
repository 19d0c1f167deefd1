//! Splitting the app's work over several tasks of the main thread (issue 16).
//!
//! A slowed phone's main thread must never be held for more than 50 ms at
//! a time (Lighthouse's total blocking time, the reader's first tap): the
//! first render is cut where the app can wait a task without showing a
//! half-built page (the chrome, then the route; the search engine's work,
//! then its results; a list's first rows, then the others), and each part
//! runs in a task of its own. docs/performance.md, "The start in short
//! tasks", says where and why.

use leptos::prelude::*;
use std::time::Duration;

/// How long a piece of work may have run before what follows it waits for
/// a task of its own ([`yield_if_past`]): on a phone four times slower
/// than the desktop measured, a fifth of the 50 ms budget.
pub const SLICE_MS: f64 = 10.0;

/// Resolves in a later task of the event loop (a zero `setTimeout`), so the
/// browser can paint and handle input between what comes before and after.
pub async fn next_task() {
    let (done, wait) = futures::channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = done.send(());
        },
        Duration::ZERO,
    );
    // A dropped sender (the timer never fired: no window) just goes on.
    let _ = wait.await;
}

/// The clock [`yield_if_past`] reads, in milliseconds.
pub fn now() -> f64 {
    js_sys::Date::now()
}

/// Waits for a later task ([`next_task`]) if more than [`SLICE_MS`] have
/// passed since `since` (from [`now`]): a cold start's work (the search
/// index fetched and decoded, the code compiled on first use) is then not
/// followed by its render in the same task, and a quick warm query is not
/// delayed at all.
pub async fn yield_if_past(since: f64) {
    if now() - since > SLICE_MS {
        next_task().await;
    }
}

/// Which part of a render in `parts` parts is due: 1 at first, one more in
/// each later task until `parts` (all at once unless `staged`). A view
/// shows its part `n` once the signal is at least `n`.
pub fn parts_in_tasks(parts: u8, staged: bool) -> RwSignal<u8> {
    let part = RwSignal::new(if staged { 1 } else { parts });
    fn next(part: RwSignal<u8>, parts: u8) {
        set_timeout(
            move || {
                let Some(now) = part.try_update(|p| {
                    *p = (*p + 1).min(parts);
                    *p
                }) else {
                    return;
                };
                if now < parts {
                    next(part, parts);
                }
            },
            Duration::ZERO,
        );
    }
    if part.get_untracked() < parts {
        next(part, parts);
    }
    part
}
