//! A list of notices: title, column, date.

use crate::components::{FavButtonVariant, FavouriteButton};
use crate::format::display_date;
use crate::i18n::Msg;
use crate::routes::{use_base, AppRoute};
use crate::state::Favourite;
use gongkai_core::bundle::{ListItem, Variant};
use gongkai_core::feed::Validity;
use leptos::prelude::*;

/// Rows the app renders in its first task; [`ROWS_PER_TASK`] more follow
/// in each later task (issue 16: a whole page of rows in one task blocked
/// a slowed phone's main thread for over 100 ms).
pub const FIRST_ROWS: usize = 5;

/// Rows added in each task after the first.
pub const ROWS_PER_TASK: usize = 5;

/// Rows shown after `tasks` tasks of a list of `total`.
pub fn rows_after(tasks: usize, total: usize) -> usize {
    FIRST_ROWS
        .saturating_add(tasks.saturating_mul(ROWS_PER_TASK))
        .min(total)
}

/// How many of `total` rows a list shows: in the browser the first
/// [`FIRST_ROWS`] at once and [`ROWS_PER_TASK`] more in each later task,
/// until all are there; a static page (or any other render) all at once.
/// Shared by the notice lists and the search results.
pub fn rows_in_tasks(total: usize) -> RwSignal<usize> {
    let shown = RwSignal::new(
        if crate::static_render::RenderTarget::current().is_browser() {
            rows_after(0, total)
        } else {
            total
        },
    );
    if shown.get_untracked() < total {
        show_more(shown, total);
    }
    shown
}

/// Adds [`ROWS_PER_TASK`] rows to `shown` in a task of its own, again
/// until all `total` are there; stops if the list is gone.
fn show_more(shown: RwSignal<usize>, total: usize) {
    set_timeout(
        move || {
            let Some(now) = shown.try_update(|n| {
                *n = (*n + ROWS_PER_TASK).min(total);
                *n
            }) else {
                return;
            };
            if now < total {
                show_more(shown, total);
            }
        },
        std::time::Duration::ZERO,
    );
}

/// The notices of one list page, newest first as the bundle stores them.
///
/// The app renders the first [`FIRST_ROWS`] rows at once and the others a
/// few per task, so no task blocks the main thread long; the list says
/// `aria-busy="true"` until all are there (the takeover of a static page
/// waits for that). The static page renders every row.
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
    let total = items.len();
    let base = use_base();
    // A static page is written whole; the browser renders a few rows a task.
    let shown = rows_in_tasks(total);
    view! {
        <ul class="gk-list" aria-busy=move || (shown.get() < total).then_some("true")>
            <For
                each=move || items[..shown.get()].to_vec()
                key=|item| item.id.clone()
                children=move |item| {
                    let date = display_date(&item.date_published);
                    // Every 有效性 but 有效 is said in words (issue 19).
                    let void = item.gov.validity.filter(|v| *v != Validity::Valid);
                    let href = AppRoute::Article { id: item.id.clone() }.href(base, script);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_a_few_per_task_until_all_are_there() {
        assert_eq!(rows_after(0, 20), FIRST_ROWS);
        assert_eq!(rows_after(1, 20), FIRST_ROWS + ROWS_PER_TASK);
        assert_eq!(rows_after(100, 20), 20);
        assert_eq!(rows_after(0, 3), 3, "a short list at once");
        assert_eq!(rows_after(usize::MAX, 20), 20, "no overflow");
    }
}
