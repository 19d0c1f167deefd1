//! Browser tests: the app mounting over a static page
//! (`static_render::takeover`) keeps the static page until the app's route
//! has rendered, then swaps in one step, moving focus along.
#![cfg(target_arch = "wasm32")]

use gongkai::static_render::takeover::mount_over;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Waits for `n` animation frames (the takeover checks once per frame).
async fn frames(n: u32) {
    for _ in 0..n {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .request_animation_frame(&resolve)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
}

/// A mount element holding a static page: a root with a link in `<main>`.
fn mount_element(static_page: bool) -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let el: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    el.set_attribute("data-gongkai", "").unwrap();
    el.set_inner_html(if static_page {
        r#"<div class="gk-app" id="static"><nav class="gk-colnav"></nav><main class="gk-main"><a href="/a" id="static-link">甲</a></main></div>"#
    } else {
        "<noscript><p>需要 JavaScript</p></noscript>"
    });
    document.body().unwrap().append_child(&el).unwrap();
    el
}

fn count(root: &web_sys::Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

#[wasm_bindgen_test]
async fn the_static_page_stays_until_the_route_has_rendered_then_swaps() {
    let el = mount_element(true);
    let ready = RwSignal::new(false);
    mount_over(el.clone(), move || {
        view! {
            <div class="gk-app" id="app">
                <nav class="gk-colnav"></nav>
                <main class="gk-main">
                    {move || if ready.get() {
                        view! { <a href="/a">"甲"</a> }.into_any()
                    } else {
                        view! { <div class="gk-loading">"正在加载"</div> }.into_any()
                    }}
                </main>
            </div>
        }
    });
    frames(3).await;
    // Still loading: the static page is what the reader sees.
    assert_eq!(count(&el, ":scope > #static"), 1, "static page kept");
    assert_eq!(
        count(&el, ".gk-takeover[hidden] #app"),
        1,
        "app rendered hidden"
    );

    ready.set(true);
    frames(3).await;
    assert_eq!(count(&el, "#static"), 0, "static page removed");
    assert_eq!(
        count(&el, ".gk-takeover:not([hidden]) > #app"),
        1,
        "app shown"
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn focus_moves_to_the_same_element_of_the_app() {
    let el = mount_element(true);
    let link: web_sys::HtmlElement = el
        .query_selector("#static-link")
        .unwrap()
        .unwrap()
        .unchecked_into();
    link.focus().unwrap();
    mount_over(el.clone(), || {
        view! {
            <div class="gk-app">
                <nav class="gk-colnav"></nav>
                <main class="gk-main"><a href="/a" id="app-link">"甲"</a></main>
            </div>
        }
    });
    frames(3).await;
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .unwrap();
    assert_eq!(active.id(), "app-link");
    el.remove();
}

#[wasm_bindgen_test]
async fn without_a_static_page_the_app_replaces_the_fallback() {
    let el = mount_element(false);
    mount_over(el.clone(), || view! { <div class="gk-app" id="app"></div> });
    assert_eq!(count(&el, "noscript"), 0, "the fallback is gone");
    assert_eq!(
        count(&el, ":scope > #app"),
        1,
        "the app is mounted directly"
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn a_standalone_page_without_a_static_page_is_shown_once_its_chrome_is_complete() {
    // Issue 16: /search and /favourites shifted by 0.1–0.2 as the manifest
    // arrived and the masthead and column navigation grew on screen.
    let el = mount_element(false);
    el.set_attribute("data-standalone", "").unwrap();
    let manifest = RwSignal::new(false);
    mount_over(el.clone(), move || {
        view! {
            <div class="gk-app" id="app">
                {move || manifest.get().then(|| view! { <nav class="gk-colnav"></nav> })}
                <main class="gk-main"></main>
            </div>
        }
    });
    assert_eq!(count(&el, "noscript"), 0, "the fallback is gone");
    frames(3).await;
    assert_eq!(
        count(&el, ".gk-takeover[hidden] > #app"),
        1,
        "hidden while the chrome waits for the manifest"
    );
    manifest.set(true);
    frames(3).await;
    assert_eq!(
        count(&el, ".gk-takeover:not([hidden]) > #app"),
        1,
        "shown once it is complete"
    );
    el.remove();
}
