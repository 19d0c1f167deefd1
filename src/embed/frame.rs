//! The app in an iframe: its height posted to the parent page, and links to
//! other sites opened in the top window. Also whether the app owns the
//! document at all (an in-page embed leaves the title and `<html lang>` to
//! the host).

use super::config::{EmbedMode, FRAME_MESSAGE_TYPE, FRAME_MESSAGE_VERSION, FRAME_NAVIGATION_TYPE};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    // The parent window and the origins to post to, once `report_height`
    // has found them; `report_navigation` posts to the same.
    static PARENT: RefCell<Option<(web_sys::Window, Vec<String>)>> = const { RefCell::new(None) };
}

/// Whether the app may set the document title and `<html lang>`: from the
/// [`EmbedMode`] that `<App/>` gives as context (its mount setting). True
/// outside an `<App/>`, so components mounted on their own (tests) behave
/// like the standalone page.
pub fn owns_document() -> bool {
    leptos::prelude::use_context::<EmbedMode>().is_none_or(|m| m.owns_document())
}

/// The origin to post to: the framing page's, if the browser tells us
/// (`location.ancestorOrigins`, Chromium and Safari) and it is allowed;
/// otherwise every allowed origin (the browser drops a message whose target
/// origin is not the parent's, so only the real parent can receive it).
fn targets(window: &web_sys::Window, allowed: &[String]) -> Vec<String> {
    let ancestor = js_sys::Reflect::get(&window.location(), &"ancestorOrigins".into())
        .ok()
        .filter(|list| !list.is_undefined() && !list.is_null())
        .and_then(|list| js_sys::Reflect::get(&list, &0.into()).ok())
        .and_then(|origin| origin.as_string());
    match ancestor {
        Some(origin) if allowed.contains(&origin) => vec![origin],
        Some(origin) => {
            web_sys::console::error_1(
                &format!(
                    "gongkai: this page is framed by {origin}, which data-frame-parent-origin \
                     does not list ({}); the frame height is not reported",
                    allowed.join(" ")
                )
                .into(),
            );
            Vec::new()
        }
        None => allowed.to_vec(),
    }
}

/// A message to the parent: `{type, version}` plus `height` (CSS pixels,
/// rounded up so the frame never needs a scrollbar) for a height report.
fn message(kind: &str, height: Option<u32>) -> JsValue {
    let message = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&message, &k.into(), &v);
    };
    set("type", kind.into());
    set("version", FRAME_MESSAGE_VERSION.into());
    if let Some(height) = height {
        set("height", height.into());
    }
    message.into()
}

/// Tells the parent that the reader went to another page inside the frame,
/// so that it can bring the top of the frame into view (the new page starts
/// there, and the reader may have scrolled the portal far down). Does
/// nothing unless `report_height` is reporting to a parent.
pub fn report_navigation() {
    PARENT.with(|p| {
        if let Some((parent, targets)) = &*p.borrow() {
            let message = message(FRAME_NAVIGATION_TYPE, None);
            for origin in targets {
                let _ = parent.post_message(&message, origin);
            }
        }
    });
}

/// Posts the height of `root` to the parent window each time it changes
/// (a `ResizeObserver`), to the allowed `origins` only. Does nothing when
/// the page is not framed. The observer lives as long as the page: the app
/// is mounted once and never unmounted.
pub fn report_height(root: &web_sys::Element, origins: &[String]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let parent = match window.parent() {
        Ok(Some(parent)) if parent != window => parent,
        _ => return,
    };
    let targets = targets(&window, origins);
    if targets.is_empty() {
        return;
    }
    PARENT.with(|p| *p.borrow_mut() = Some((parent.clone(), targets.clone())));
    let last = Cell::new(0u32);
    let measured = root.clone();
    let callback = Closure::<dyn Fn()>::new(move || {
        let height = measured.get_bounding_client_rect().height().ceil().max(0.0) as u32;
        if height == last.get() {
            return;
        }
        last.set(height);
        let message = message(FRAME_MESSAGE_TYPE, Some(height));
        for origin in &targets {
            let _ = parent.post_message(&message, origin);
        }
    });
    match web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        Ok(observer) => {
            observer.observe(root);
            callback.forget();
        }
        Err(e) => web_sys::console::error_2(
            &"gongkai: ResizeObserver is unavailable; the frame height is not reported".into(),
            &e,
        ),
    }
}

/// In a frame, a link to another site (or outside the app's base path on
/// this one) opens in the top window: called on clicks inside the app root,
/// before the router sees them, it gives such links `target="_top"`, which
/// the router leaves to the browser.
pub fn retarget_external_link(event: &web_sys::MouseEvent, base: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(anchor) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("a[href]").ok().flatten())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    if !anchor.target().is_empty() || anchor.has_attribute("download") {
        return;
    }
    let Ok(origin) = window.location().origin() else {
        return;
    };
    let inside = anchor.origin() == origin
        && (base.is_empty()
            || anchor.pathname() == base
            || anchor.pathname().starts_with(&format!("{base}/")));
    if !inside {
        anchor.set_target("_top");
    }
}
