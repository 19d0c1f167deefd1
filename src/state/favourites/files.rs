//! Files in and out of the browser: a JSON download and reading a chosen file.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn js_text(value: &wasm_bindgen::JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// Offers `text` as a download named `name` (`application/json`).
///
/// A `blob:` URL opened through a temporary `<a download>`: a download is a
/// navigation, not a fetch, so `default-src 'self'` does not block it (the
/// e2e export test runs under the production CSP). The URL is revoked a
/// minute later, after the browser has read it.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| js_text(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| js_text(&e))?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| js_text(&e))?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    // Inside the app's root, so that an embedding host page's <body> is never
    // touched (docs/embedding.md); the body only if there is no root.
    let parent: web_sys::Node = match document.query_selector(".gk-app").ok().flatten() {
        Some(root) => root.into(),
        None => document.body().ok_or("no body")?.into(),
    };
    parent.append_child(&link).map_err(|e| js_text(&e))?;
    link.click();
    link.remove();
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

/// The first file chosen in `input`, if any.
pub fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<web_sys::File> {
    input.files().and_then(|files| files.get(0))
}

/// The text of `file` (check its size first: the whole file is read).
pub async fn read_text(file: &web_sys::File) -> Result<String, String> {
    let text = JsFuture::from(file.text()).await.map_err(|e| js_text(&e))?;
    Ok(text.as_string().unwrap_or_default())
}
