//! Mounting the app over a static page without a visible jump.
//!
//! The static page stays on screen while the app renders the same route
//! into a hidden holder beside it; once the app's route has rendered its
//! content (no loading placeholder left), the static page is removed and
//! the holder shown in the same frame, so the reader never sees an empty
//! or half-built page. Focus moves to the app's copy of the focused
//! element; the scroll position stays, as the layout is the same.
//!
//! A standalone page the build writes no static page for (`/search`,
//! `/favourites`) is rendered hidden the same way and shown once its chrome
//! is complete, so it does not grow and shift while the manifest arrives.

use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// The holder's class: `display: contents`, so the app's root lays out as
/// the static root did (style/static.css).
const HOLDER_CLASS: &str = "gk-takeover";

/// After this long the app is shown even if its route is still loading (a
/// very slow network): the static page has been readable all along, and the
/// app's own placeholder says what is happening.
const GIVE_UP: Duration = Duration::from_secs(15);

/// What can take focus, in document order (to find the app's copy of the
/// static page's focused element).
const FOCUSABLE: &str = "a[href], button, input, select, textarea, [tabindex]";

/// The static page's root in `element`, if the page was built with one.
pub fn static_root(element: &Element) -> Option<Element> {
    element.query_selector(":scope > .gk-app").ok().flatten()
}

/// Mounts `app` into `element`: over its static page if it has one (see the
/// module docs). A standalone page without one (`/search`, `/favourites`:
/// the build writes no static page for them) is mounted hidden too, and
/// shown once its chrome has the manifest (site name, column navigation):
/// shown earlier, the chrome would grow under the reader's eyes and push
/// the search box and the page down (issue 16, CLS). An embedded app
/// mounts into the emptied element at once.
pub fn mount_over<V: IntoView + 'static>(element: HtmlElement, app: impl FnOnce() -> V + 'static) {
    let Some(document) = element.owner_document() else {
        return;
    };
    let found = static_root(&element);
    if found.is_none() {
        // The element holds only the <noscript> fallback.
        element.set_inner_html("");
    }
    let standalone = element.has_attribute("data-standalone");
    let holder = document.create_element("div");
    let holder = match holder {
        Ok(holder) if found.is_some() || standalone => holder,
        _ => {
            leptos::mount::mount_to(element, app).forget();
            return;
        }
    };
    let _ = holder.set_attribute("class", HOLDER_CLASS);
    let _ = holder.set_attribute("hidden", "");
    let _ = element.append_child(&holder);
    let Ok(holder) = holder.dyn_into::<HtmlElement>() else {
        return;
    };
    leptos::mount::mount_to(holder.clone(), app).forget();
    let done = Rc::new(Cell::new(false));
    let ready: fn(&Element) -> bool = if found.is_some() {
        app_ready
    } else {
        chrome_ready
    };
    let swap = {
        let done = done.clone();
        move || {
            if done.replace(true) {
                return;
            }
            let Some(static_root) = &found else {
                let _ = holder.remove_attribute("hidden");
                return;
            };
            let focus = focused_index(static_root);
            carry_search_form(static_root, &holder);
            static_root.remove();
            let _ = holder.remove_attribute("hidden");
            if let Some(i) = focus {
                focus_nth(&holder, i);
            }
        }
    };
    let give_up = swap.clone();
    set_timeout(give_up, GIVE_UP);
    poll(element.into(), ready, swap, done);
}

/// Checks once per frame whether the app is `ready` to be shown, and swaps
/// when it is (in the frame callback, so before the next paint).
fn poll(
    element: Element,
    ready: fn(&Element) -> bool,
    swap: impl Fn() + Clone + 'static,
    done: Rc<Cell<bool>>,
) {
    request_animation_frame(move || {
        if done.get() {
            return;
        }
        if ready(&element) {
            swap();
        } else {
            poll(element, ready, swap, done);
        }
    });
}

/// The app's chrome has what it shows from the manifest (the column
/// navigation), or the page is an error page (which renders without one).
fn chrome_ready(element: &Element) -> bool {
    let find = |selector: &str| {
        element
            .query_selector(&format!(".{HOLDER_CLASS} {selector}"))
            .ok()
            .flatten()
    };
    find(".gk-colnav").is_some() || find(".gk-main .gk-status").is_some()
}

/// The app has rendered its route: its `<main>` has content, no loading
/// placeholder and no list still adding rows (`aria-busy`), and the column
/// navigation is there unless the page is an error page (which renders
/// without a manifest). Where the static page
/// shows the 无障碍阅读 toolbar (kept open), the app's must be there too:
/// it comes in a chunk of its own, and swapping before it arrived would
/// pull the page up and push it down again.
fn app_ready(element: &Element) -> bool {
    let find = |selector: &str| {
        element
            .query_selector(&format!(".{HOLDER_CLASS} {selector}"))
            .ok()
            .flatten()
    };
    let Some(main) = find(".gk-main") else {
        return false;
    };
    let toolbar_shown = element
        .query_selector(
            ":scope > .gk-app[data-toolbar=\"open\"][data-js] > .gk-a11ybar[data-static]",
        )
        .ok()
        .flatten()
        .is_some();
    main.child_element_count() > 0
        && find(".gk-main .gk-loading").is_none()
        // A list still adding its rows (NoticeList).
        && find(".gk-main [aria-busy=\"true\"]").is_none()
        && (find(".gk-colnav").is_some() || find(".gk-main .gk-status").is_some())
        && (!toolbar_shown || find(".gk-a11ybar").is_some())
}

/// What the reader typed or chose in the static page's search form while
/// the app started (a real form, usable from the first paint) goes into
/// the app's copy of it: nothing they did is lost at the swap.
fn carry_search_form(from: &Element, to: &Element) {
    const FIELDS: &str = "form.gk-search input[name], form.gk-search select[name]";
    let Ok(fields) = from.query_selector_all(FIELDS) else {
        return;
    };
    for field in (0..fields.length()).filter_map(|i| fields.item(i)) {
        let Some(field) = field.dyn_ref::<Element>() else {
            continue;
        };
        let name = field.get_attribute("name").unwrap_or_default();
        let Some(copy) = to
            .query_selector(&format!("form.gk-search [name=\"{name}\"]"))
            .ok()
            .flatten()
        else {
            continue;
        };
        if let (Some(input), Some(copy)) = (
            field.dyn_ref::<web_sys::HtmlInputElement>(),
            copy.dyn_ref::<web_sys::HtmlInputElement>(),
        ) {
            if input.value() != input.default_value() {
                copy.set_value(&input.value());
            }
        } else if let (Some(select), Some(copy)) = (
            field.dyn_ref::<web_sys::HtmlSelectElement>(),
            copy.dyn_ref::<web_sys::HtmlSelectElement>(),
        ) {
            let initial = select
                .query_selector("option[selected]")
                .ok()
                .flatten()
                .and_then(|o| o.get_attribute("value"));
            if initial.as_deref() != Some(select.value().as_str()) {
                copy.set_value(&select.value());
            }
        }
    }
}

/// Position of the focused element among `root`'s focusable elements.
/// The static page's copy of the 无障碍阅读 toolbar (`data-static`) counts
/// only where it is shown: the app renders its toolbar only then.
fn focused_index(root: &Element) -> Option<u32> {
    let document = root.owner_document()?;
    let active = document.active_element()?;
    if !root.contains(Some(&active)) {
        return None;
    }
    let active: web_sys::Node = active.into();
    let all = root.query_selector_all(FOCUSABLE).ok()?;
    let counted = |n: &web_sys::Node| {
        n.dyn_ref::<Element>()
            .and_then(|e| e.closest("[data-static]").ok().flatten())
            .is_none_or(|copy| copy.client_height() > 0)
    };
    let mut i = 0;
    for n in (0..all.length()).filter_map(|k| all.item(k)) {
        if n == active {
            return Some(i);
        }
        if counted(&n) {
            i += 1;
        }
    }
    None
}

/// Focuses the `i`th focusable element of `root` (it is where the static
/// one was, so the browser has no reason to scroll).
fn focus_nth(root: &Element, i: u32) {
    let target = root
        .query_selector_all(FOCUSABLE)
        .ok()
        .and_then(|all| all.item(i))
        .and_then(|n| n.dyn_into::<HtmlElement>().ok());
    if let Some(target) = target {
        let _ = target.focus();
    }
}
