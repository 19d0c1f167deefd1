//! A list of notices: title, column, date.

use crate::format::display_date;
use gongkai_core::bundle::ListItem;
use leptos::prelude::*;

/// The notices of one list page, newest first as the bundle stores them.
#[component]
pub fn NoticeList(
    /// Items to show.
    items: Vec<ListItem>,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="gk-list__empty">"本栏目暂无信息。"</p> }.into_any();
    }
    view! {
        <ul class="gk-list">
            <For
                each=move || items.clone()
                key=|item| item.id.clone()
                children=|item| {
                    let date = display_date(&item.date_published);
                    let void = item.gov.validity.filter(|v| v.is_void());
                    view! {
                        <li class="gk-list__item">
                            <a class="gk-list__title" href=format!("/article/{}", item.id)>
                                {item.title}
                            </a>
                            <span class="gk-list__meta">
                                {void.map(|v| view! {
                                    <span class=format!("gk-badge gk-badge--{}", v.slug())>{v.as_str()}</span>
                                })}
                                <span class="gk-list__column">{item.gov.category_name}</span>
                                <time class="gk-list__date" datetime=item.date_published>{date}</time>
                            </span>
                        </li>
                    }
                }
            />
        </ul>
    }
    .into_any()
}
