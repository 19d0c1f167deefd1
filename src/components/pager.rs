//! 分页: previous, numbered pages, next; the page number lives in the URL.

use crate::format::page_window;
use leptos::prelude::*;

/// How many page numbers the pager shows at once.
const WINDOW: usize = 5;

fn page_href(path: &str, page: usize) -> String {
    if page == 1 {
        path.to_owned()
    } else {
        format!("{path}?page={page}")
    }
}

/// The pager for a list at `path`. Renders nothing for a single page.
#[component]
pub fn Pager(
    /// The list's path, e.g. `/` or `/column/fdzdgknr`.
    #[prop(into)]
    path: String,
    /// Current page, from 1.
    page: usize,
    /// Number of pages.
    pages: usize,
) -> impl IntoView {
    if pages <= 1 {
        return ().into_any();
    }
    let prev = (page > 1).then(|| page_href(&path, page - 1));
    let next = (page < pages).then(|| page_href(&path, page + 1));
    let numbers = page_window(page, pages, WINDOW)
        .map(|n| {
            let current = (n == page).then_some("page");
            view! {
                <li class="gk-pager__item">
                    <a
                        class="gk-pager__link gk-pager__link--number"
                        href=page_href(&path, n)
                        aria-label=format!("第 {n} 页")
                        aria-current=current
                    >
                        {n}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="gk-pager" aria-label="分页">
            <ul class="gk-pager__list">
                <li class="gk-pager__item">
                    {match prev {
                        Some(href) => view! { <a class="gk-pager__link" href=href rel="prev">"上一页"</a> }.into_any(),
                        None => view! { <span class="gk-pager__link gk-pager__link--disabled">"上一页"</span> }.into_any(),
                    }}
                </li>
                {numbers}
                <li class="gk-pager__item">
                    {match next {
                        Some(href) => view! { <a class="gk-pager__link" href=href rel="next">"下一页"</a> }.into_any(),
                        None => view! { <span class="gk-pager__link gk-pager__link--disabled">"下一页"</span> }.into_any(),
                    }}
                </li>
            </ul>
            <p class="gk-pager__status">{format!("第 {page} 页,共 {pages} 页")}</p>
        </nav>
    }
    .into_any()
}
