//! A list of notices: title, column, date.

use crate::components::{FavButtonVariant, FavouriteButton};
use crate::format::display_date;
use crate::i18n::Msg;
use crate::routes::AppRoute;
use crate::state::Favourite;
use gongkai_core::bundle::{ListItem, Variant};
use gongkai_core::feed::Validity;
use leptos::prelude::*;

/// The notices of one list page, newest first as the bundle stores them.
#[component]
pub fn NoticeList(
    /// Items to show.
    items: Vec<ListItem>,
    /// The script the items are written in (for links and labels).
    #[prop(optional)]
    script: Variant,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="gk-list__empty">{Msg::EmptyList.get(script)}</p> }.into_any();
    }
    view! {
        <ul class="gk-list">
            <For
                each=move || items.clone()
                key=|item| item.id.clone()
                children=move |item| {
                    let date = display_date(&item.date_published);
                    // Every 有效性 but 有效 is said in words (issue 19).
                    let void = item.gov.validity.filter(|v| *v != Validity::Valid);
                    let href = AppRoute::Article { id: item.id.clone() }.href(script);
                    let entry = Favourite::from_list_item(&item);
                    view! {
                        <li class="gk-list__item">
                            <a class="gk-list__title" href=href>
                                {item.title}
                            </a>
                            <span class="gk-list__meta">
                                {void.map(|v| view! {
                                    <span class=format!("gk-badge gk-badge--{}", v.slug())>
                                        {Msg::validity(v).get(script)}
                                    </span>
                                })}
                                <span class="gk-list__column">{item.gov.category_name}</span>
                                <time class="gk-list__date" datetime=item.date_published>{date}</time>
                            </span>
                            <FavouriteButton entry variant=FavButtonVariant::Compact/>
                        </li>
                    }
                }
            />
        </ul>
    }
    .into_any()
}
