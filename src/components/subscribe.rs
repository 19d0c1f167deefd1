//! 订阅: the visible subscription links of a list, with one sentence for
//! readers who do not know feed readers, and the `<link rel="alternate">`
//! of the page's head (docs/subscriptions.md).

use crate::api::BundleLocation;
use crate::i18n::Msg;
use gongkai_core::bundle::{Manifest, Variant, ALL_LIST};
use gongkai_core::subscribe::{feed_path, FeedFormat};
use leptos::prelude::*;

/// Where `list`'s feed of `format` is, for a reader of `script` (the 简体
/// feed when the bundle has no 繁體 variant).
pub fn feed_href(
    bundle: &BundleLocation,
    manifest: &Manifest,
    list: &str,
    format: FeedFormat,
    script: Variant,
) -> String {
    let variant = if manifest.has_variant(script) {
        script
    } else {
        Variant::Hans
    };
    format!("{}{}", bundle.base(), feed_path(variant, list, format))
}

/// The 订阅 block of a list (`all` or a column id); nothing when the bundle
/// has no feeds (built without the site's URL).
#[component]
pub fn Subscribe(
    /// The manifest, in `script`.
    manifest: Manifest,
    /// Where the bundle is.
    bundle: BundleLocation,
    /// `all` or a column id.
    list: String,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    if !manifest.feeds {
        return ().into_any();
    }
    let whom = if list == ALL_LIST {
        Msg::SubscribeSection.get(script).to_owned()
    } else {
        let name = manifest
            .column(&list)
            .map_or(list.as_str(), |c| c.name.as_str());
        Msg::SubscribeColumn.fill(script, &[&name])
    };
    let link = |format: FeedFormat, label: Msg| {
        view! {
            <li class="gk-subscribe__item">
                <a
                    class="gk-subscribe__link"
                    href=feed_href(&bundle, &manifest, &list, format, script)
                    type=format.mime_type()
                >
                    {label.get(script)}
                </a>
            </li>
        }
    };
    view! {
        <section class="gk-subscribe" aria-labelledby="gk-subscribe-title">
            <h2 class="gk-subscribe__title" id="gk-subscribe-title">{Msg::Subscribe.get(script)}</h2>
            <p class="gk-subscribe__text">{Msg::SubscribeText.fill(script, &[&whom])}</p>
            <ul class="gk-subscribe__list">
                {link(FeedFormat::Atom, Msg::SubscribeAtom)}
                {link(FeedFormat::JsonFeed, Msg::SubscribeJson)}
            </ul>
        </section>
    }
    .into_any()
}

/// Points the document's `<link rel="alternate">` feeds at `list`'s feeds
/// (the static page wrote them for the page it was; the app keeps them
/// right as the reader moves on). Embedded in a host page, whose head is
/// the host's, and in the build's native render, it does nothing.
pub fn set_feed_links(
    bundle: &BundleLocation,
    manifest: &Manifest,
    list: &str,
    title: &str,
    script: Variant,
) {
    if !crate::static_render::RenderTarget::current().is_browser() || !crate::embed::owns_document()
    {
        return;
    }
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let selector = FeedFormat::ALL
        .iter()
        .map(|f| format!("head link[rel=\"alternate\"][type=\"{}\"]", f.mime_type()))
        .collect::<Vec<_>>()
        .join(", ");
    if let Ok(old) = doc.query_selector_all(&selector) {
        for i in 0..old.length() {
            if let Some(node) = old.item(i) {
                if let Some(parent) = node.parent_node() {
                    let _ = parent.remove_child(&node);
                }
            }
        }
    }
    let (true, Ok(Some(head))) = (manifest.feeds, doc.query_selector("head")) else {
        return;
    };
    for format in FeedFormat::ALL {
        let Ok(link) = doc.create_element("link") else {
            continue;
        };
        let _ = link.set_attribute("rel", "alternate");
        let _ = link.set_attribute("type", format.mime_type());
        let _ = link.set_attribute("title", &format!("{title} ({})", format.label()));
        let _ = link.set_attribute("href", &feed_href(bundle, manifest, list, format, script));
        let _ = head.append_child(&link);
    }
}
