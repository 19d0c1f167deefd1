//! 分页: previous, numbered pages, next; the page number lives in the URL.

use crate::format::page_window;
use crate::i18n::Msg;
use crate::routes::{use_base, AppRoute};
use gongkai_core::bundle::Variant;
use leptos::prelude::*;

/// How many page numbers the pager shows at once.
const WINDOW: usize = 5;

/// The pager for the list `route` (its page is replaced). Renders nothing for
/// a single page.
#[component]
pub fn Pager(
    /// The list: [`AppRoute::Home`], [`AppRoute::Column`] or [`AppRoute::Search`].
    route: AppRoute,
    /// Current page, from 1.
    page: usize,
    /// Number of pages.
    pages: usize,
    /// The reader's script.
    #[prop(optional)]
    script: Variant,
) -> impl IntoView {
    if pages <= 1 {
        return ().into_any();
    }
    let base = use_base();
    let href = move |n: usize| route.with_page(n).href(base, script);
    let numbers = page_window(page, pages, WINDOW)
        .map(|n| {
            let current = (n == page).then_some("page");
            view! {
                <li class="gk-pager__item">
                    <a
                        class="gk-pager__link gk-pager__link--number"
                        href=href(n)
                        aria-label=Msg::PageN.fill(script, &[&n])
                        aria-current=current
                    >
                        {n}
                    </a>
                </li>
            }
        })
        .collect_view();
    let edge = |target: Option<usize>, label: Msg, rel: &'static str| match target {
        Some(n) => view! {
            <a class="gk-pager__link" href=href(n) rel=rel>{label.get(script)}</a>
        }
        .into_any(),
        None => view! {
            <span class="gk-pager__link gk-pager__link--disabled">{label.get(script)}</span>
        }
        .into_any(),
    };
    view! {
        <nav class="gk-pager" aria-label=Msg::Pager.get(script)>
            <ul class="gk-pager__list">
                <li class="gk-pager__item">
                    {edge((page > 1).then(|| page - 1), Msg::PrevPage, "prev")}
                </li>
                {numbers}
                <li class="gk-pager__item">
                    {edge((page < pages).then_some(page + 1), Msg::NextPage, "next")}
                </li>
            </ul>
            <p class="gk-pager__status">{Msg::PageStatus.fill(script, &[&page, &pages])}</p>
        </nav>
    }
    .into_any()
}
