//! Browser tests: the mount element's data attributes as the app reads them
//! (`config_from_element`), in headless Chromium.
#![cfg(target_arch = "wasm32")]

use gongkai::embed::{EmbedMode, ThemeToken};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn element(attrs: &[(&str, &str)]) -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let el = document.create_element("div").unwrap();
    el.set_attribute("data-gongkai", "").unwrap();
    for (name, value) in attrs {
        el.set_attribute(name, value).unwrap();
    }
    el
}

#[wasm_bindgen_test]
fn an_element_without_settings_is_an_in_page_app_at_the_root() {
    let config = gongkai::app::config_from_element(&element(&[]));
    assert_eq!(config.base, "");
    assert_eq!(config.mode, EmbedMode::InPage);
    assert!(config.theme.is_empty());
}

#[wasm_bindgen_test]
fn portal_settings_are_read_from_the_mount_element() {
    let config = gongkai::app::config_from_element(&element(&[
        ("data-base", "/xxgk/"),
        ("data-bundle", "https://cdn.example.org/bundle"),
        ("data-login-url", "https://uc.example.gov.cn/login"),
        ("data-site-name", "示例门户"),
        ("data-theme-link", "#0B4F8A"),
        ("data-frame-parent-origin", "https://www.example.gov.cn"),
    ]));
    assert_eq!(config.base, "/xxgk");
    assert_eq!(config.bundle.base(), "https://cdn.example.org/bundle/");
    assert_eq!(
        config.portal.login_url.as_deref(),
        Some("https://uc.example.gov.cn/login")
    );
    assert_eq!(config.portal.site_name.as_deref(), Some("示例门户"));
    assert_eq!(config.theme, vec![(ThemeToken::Link, "#0b4f8a".to_owned())]);
    assert_eq!(
        config.mode,
        EmbedMode::Frame {
            parent_origins: vec!["https://www.example.gov.cn".to_owned()]
        }
    );
}

#[wasm_bindgen_test]
fn bad_values_fall_back_and_the_app_still_gets_a_config() {
    // Each bad value is also reported on the console (checked by
    // e2e/embed-inpage.test.mjs); here: the safe defaults.
    let config = gongkai::app::config_from_element(&element(&[
        ("data-base", "xxgk"),
        ("data-register-url", "javascript:alert(1)"),
        ("data-theme-brand", "red"),
        ("data-frame-parent-origin", "*"),
    ]));
    assert_eq!(config.base, "");
    assert_eq!(config.portal.register_url, None);
    assert!(config.theme.is_empty());
    assert_eq!(config.mode, EmbedMode::Standalone);
}
