//! 当前位置: 首页 > 政府信息公开 > column > title.

use crate::i18n::Msg;
use gongkai_core::bundle::Variant;
use leptos::prelude::*;

/// One step of the trail; the last one is the current page and has no link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crumb {
    /// Visible text.
    pub label: String,
    /// Link target; `None` for the current page.
    pub href: Option<String>,
}

impl Crumb {
    /// A linked step.
    pub fn link(label: impl Into<String>, href: impl Into<String>) -> Self {
        Crumb {
            label: label.into(),
            href: Some(href.into()),
        }
    }

    /// The current page.
    pub fn here(label: impl Into<String>) -> Self {
        Crumb {
            label: label.into(),
            href: None,
        }
    }
}

/// The breadcrumb trail, as a navigation landmark named 当前位置.
#[component]
pub fn Breadcrumbs(
    /// Steps from 首页 to the current page.
    trail: Vec<Crumb>,
    /// The reader's script.
    #[prop(optional)]
    script: Variant,
) -> impl IntoView {
    let items = trail
        .into_iter()
        .map(|c| match c.href {
            Some(href) => view! {
                <li class="gk-crumbs__item">
                    <a class="gk-crumbs__link" href=href>{c.label}</a>
                </li>
            }
            .into_any(),
            None => view! {
                <li class="gk-crumbs__item">
                    <span class="gk-crumbs__current" aria-current="page">{c.label}</span>
                </li>
            }
            .into_any(),
        })
        .collect_view();
    view! {
        <nav class="gk-crumbs" aria-label=Msg::Breadcrumb.get(script)>
            <ol class="gk-crumbs__list">{items}</ol>
        </nav>
    }
}
