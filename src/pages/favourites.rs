//! `/favourites`: 我的收藏, newest-added first, a page at a time, with
//! filter, 清空, 导出 and 导入.
//!
//! The column filter and the page are in the URL (`?column=…&page=…`), as
//! on the lists. Only the page shown is rendered and checked against the
//! feed, so 10,000 favourites open as fast as 20 (bench/README.md).

use crate::api::article_exists;
use crate::app::Site;
use crate::components::script_signal;
use crate::components::{set_document_title, Breadcrumbs, Crumb, Pager};
use crate::format::{display_date, parse_page};
use crate::i18n::Msg;
use crate::routes::{use_base, AppRoute, Base};
use crate::state::favourites::files::{chosen_file, read_text};
use crate::state::favourites::{
    check_import_size, Favourite, FavouritesStore, ImportReport, Persistence, MAX_FAVOURITES,
};
use futures::future::{AbortHandle, Abortable};
use leptos::html::{Button, Input};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};

/// How many rejected entries an import message names (the rest are counted).
const REJECTED_NAMED: usize = 3;

/// How many availability requests are in flight at once: the page's 20
/// rows are checked in a few round trips without crowding out the
/// requests of the page the reader goes to next.
const CHECKS_AT_ONCE: usize = 4;

/// Whether each favourite of the page shown is still in the feed, asked
/// with a `HEAD` request for its article file, [`CHECKS_AT_ONCE`] at a
/// time: a 404 means the notice has gone (已下线). Any other failure
/// (offline, server error) says nothing about the notice, so the row stays
/// unmarked. Turning the page or leaving 我的收藏 aborts the requests still
/// running; each id is checked once per visit of the page.
#[derive(Clone, Copy)]
struct Availability {
    site: Option<StoredValue<Site>>,
    checked: StoredValue<HashSet<String>>,
    gone: RwSignal<HashSet<String>>,
    running: StoredValue<Option<AbortHandle>>,
}

impl Availability {
    fn new() -> Self {
        let availability = Availability {
            site: use_context::<Site>().map(StoredValue::new),
            checked: StoredValue::new(HashSet::new()),
            gone: RwSignal::new(HashSet::new()),
            running: StoredValue::new(None),
        };
        on_cleanup(move || availability.stop());
        availability
    }

    /// Aborts the checks still running.
    fn stop(self) {
        if let Some(handle) = self.running.try_update_value(Option::take).flatten() {
            handle.abort();
        }
    }

    /// Checks `ids` (the page shown), after aborting the previous page's checks.
    fn check(self, ids: Vec<String>, script: gongkai_core::bundle::Variant) {
        self.stop();
        let Some(site) = self.site.and_then(|s| s.try_get_value()) else {
            return;
        };
        let todo: Vec<String> = self
            .checked
            .with_value(|c| ids.into_iter().filter(|id| !c.contains(id)).collect());
        if todo.is_empty() {
            return;
        }
        let (handle, registration) = AbortHandle::new_pair();
        self.running.set_value(Some(handle));
        let checks = async move {
            let Ok(manifest) = site.manifest_ready().await else {
                return;
            };
            // CHECKS_AT_ONCE workers take ids from one queue: a new request
            // starts only when one has ended.
            let queue = RefCell::new(VecDeque::from(todo));
            let worker = || async {
                loop {
                    let Some(id) = queue.borrow_mut().pop_front() else {
                        break;
                    };
                    match article_exists(&site.bundle, &manifest, script, &id).await {
                        Ok(false) => {
                            self.gone.try_update(|g| g.insert(id.clone()));
                        }
                        Ok(true) => {}
                        // Unknown: asked again on the next visit of the page.
                        Err(_) => continue,
                    }
                    self.checked.try_update_value(|c| c.insert(id));
                }
            };
            futures::future::join_all((0..CHECKS_AT_ONCE).map(|_| worker())).await;
        };
        spawn_local(async move {
            let _ = Abortable::new(checks, registration).await;
        });
    }
}

/// The 导入 result as one message.
fn import_message(report: &ImportReport, script: gongkai_core::bundle::Variant) -> String {
    let mut text = Msg::FavImported.fill(script, &[&report.count.added, &report.count.already]);
    if report.count.over_limit > 0 {
        text.push(' ');
        text.push_str(&Msg::FavImportLimited.fill(
            script,
            &[
                &MAX_FAVOURITES,
                &report.count.over_limit,
                &report.count.added,
            ],
        ));
    }
    if !report.rejected.is_empty() {
        let mut named: Vec<String> = report
            .rejected
            .iter()
            .take(REJECTED_NAMED)
            .map(|e| e.describe(script))
            .collect();
        if report.rejected.len() > REJECTED_NAMED {
            named.push("…".to_owned());
        }
        text.push(' ');
        text.push_str(
            &Msg::FavImportRejected.fill(script, &[&report.rejected.len(), &named.join(";")]),
        );
    }
    text
}

/// Reads the file chosen in `input` and imports it: the message to show.
async fn import_chosen(
    store: FavouritesStore,
    input: &web_sys::HtmlInputElement,
    script: gongkai_core::bundle::Variant,
) -> Option<String> {
    let file = chosen_file(input)?;
    // The same file may be chosen again after a fix.
    input.set_value("");
    let failed = |e: String| Some(Msg::FavImportFailed.fill(script, &[&e]));
    if let Err(e) = check_import_size(file.size() as u64) {
        return failed(e.describe(script));
    }
    let text = match read_text(&file).await {
        Ok(text) => text,
        Err(e) => return failed(e),
    };
    match store.import(&text) {
        Ok(report) => {
            let mut message = import_message(&report, script);
            if store.persistence.get_untracked() == Persistence::Unsaved {
                message.push(' ');
                message.push_str(Msg::FavImportNotSaved.get(script));
            }
            Some(message)
        }
        Err(e) => failed(e.describe(script)),
    }
}

/// 我的收藏.
#[component]
pub fn FavouritesPage() -> impl IntoView {
    let store = use_context::<FavouritesStore>()
        .unwrap_or_else(|| FavouritesStore::new(Default::default()));
    let script = script_signal();
    let base = use_base();
    let t = move |m: Msg| m.get(script.get());
    let site = use_context::<Site>();
    Effect::new(move |_| {
        let script = script.get();
        let manifest = site
            .as_ref()
            .and_then(|s| s.manifest_now())
            .map(|m| m.localize(script));
        set_document_title(Msg::MyFavourites.get(script), manifest.as_ref());
    });

    let query = use_query_map();
    let navigate = use_navigate();
    let message = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let availability = Availability::new();
    let heading = NodeRef::<leptos::html::H1>::new();
    let clear_button = NodeRef::<Button>::new();
    let cancel_button = NodeRef::<Button>::new();
    let file_input = NodeRef::<Input>::new();

    let columns = Memo::new(move |_| store.list.with(|l| l.columns()));
    // The URL's column if the list has favourites of it: a filter whose
    // last favourite was removed falls back to 全部栏目.
    let active_filter = Memo::new(move |_| {
        query
            .read()
            .get("column")
            .filter(|f| columns.with(|cs| cs.iter().any(|(id, _)| id == f)))
    });
    // An unreadable ?page= is page 1; one past the end is the last page.
    let requested_page =
        Memo::new(move |_| parse_page(query.read().get("page").as_deref()).unwrap_or(1));
    let shown = Memo::new(move |_| {
        let filter = active_filter.get();
        let page = requested_page.get();
        store.list.with(|l| l.page(filter.as_deref(), page))
    });
    let total = Memo::new(move |_| store.count());
    let shown_ids = Memo::new(move |_| {
        shown.with(|p| {
            p.items
                .iter()
                .map(|f| f.id.clone())
                .collect::<Vec<String>>()
        })
    });
    Effect::new(move |_| availability.check(shown_ids.get(), script.get_untracked()));

    let focus_heading = move || {
        if let Some(h) = heading.get_untracked() {
            let _ = h.focus();
        }
    };
    // The confirmation takes focus on its safe choice, 取消.
    Effect::new(move |_| {
        if confirming.get() {
            if let Some(b) = cancel_button.get() {
                let _ = b.focus();
            }
        }
    });

    let export = move |_| {
        let script = script.get_untracked();
        message.set(Some(match store.export() {
            Ok(()) => Msg::FavExported.fill(script, &[&total.get_untracked()]),
            Err(e) => Msg::FavExportFailed.fill(script, &[&e]),
        }));
    };
    let choose_file = move |_| {
        if let Some(input) = file_input.get_untracked() {
            input.click();
        }
    };
    let import = move |_| {
        let Some(input) = file_input.get_untracked() else {
            return;
        };
        spawn_local(async move {
            if let Some(text) = import_chosen(store, &input, script.get_untracked()).await {
                message.set(Some(text));
            }
        });
    };
    let filter_to = move |column: String| {
        let route = AppRoute::Favourites {
            column: (!column.is_empty()).then_some(column),
            page: 1,
        };
        navigate(
            &route.href(base, script.get_untracked()),
            NavigateOptions {
                replace: true,
                scroll: false,
                // `href` already carries the router's base.
                resolve: false,
                ..Default::default()
            },
        );
    };

    let trail = move || {
        let script = script.get();
        vec![
            Crumb::link(
                Msg::Home.get(script),
                AppRoute::Home { page: 1 }.href(base, script),
            ),
            Crumb::here(Msg::MyFavourites.get(script)),
        ]
    };

    let filter_control = move || {
        let filter_to = filter_to.clone();
        (!columns.with(Vec::is_empty)).then(|| {
            view! {
                <label class="gk-favs__filter">
                    <span class="gk-favs__filter-label">{move || t(Msg::FavFilter)}</span>
                    <select
                        class="gk-favs__select"
                        prop:value=move || active_filter.get().unwrap_or_default()
                        on:change=move |e| filter_to(event_target_value(&e))
                    >
                        <option value="">{move || t(Msg::FavFilterAll)}</option>
                        <For
                            each=move || columns.get()
                            key=|(id, name)| (id.clone(), name.clone())
                            children=move |(id, name)| {
                                let selected = id.clone();
                                view! {
                                    <option
                                        value=id
                                        selected=move || active_filter.get().as_deref() == Some(selected.as_str())
                                    >
                                        {name}
                                    </option>
                                }
                            }
                        />
                    </select>
                </label>
            }
        })
    };

    let confirm = move || {
        confirming.get().then(|| {
            view! {
                <div class="gk-favs__confirm" role="group" aria-labelledby="gk-favs-confirm-text">
                    <p id="gk-favs-confirm-text" class="gk-favs__confirm-text">
                        {move || Msg::FavClearConfirm.fill(script.get(), &[&total.get()])}
                    </p>
                    <button
                        type="button"
                        class="gk-button gk-favs__confirm-yes"
                        on:click=move |_| {
                            store.clear();
                            confirming.set(false);
                            message.set(Some(t(Msg::FavCleared).to_owned()));
                            focus_heading();
                        }
                    >
                        {move || t(Msg::Confirm)}
                    </button>
                    <button
                        type="button"
                        class="gk-button gk-favs__confirm-no"
                        node_ref=cancel_button
                        on:click=move |_| {
                            confirming.set(false);
                            if let Some(b) = clear_button.get_untracked() {
                                let _ = b.focus();
                            }
                        }
                    >
                        {move || t(Msg::Cancel)}
                    </button>
                </div>
            }
        })
    };

    let row = move |f: Favourite| {
        let on_remove = move |title: String| {
            message.set(Some(
                Msg::FavRemoved.fill(script.get_untracked(), &[&title]),
            ));
            focus_heading();
        };
        favourite_row(f, store, availability, base, script, on_remove)
    };

    let body = move || {
        if store.list.with(|l| l.is_empty()) {
            return view! { <p class="gk-favs__empty">{move || t(Msg::FavEmpty)}</p> }.into_any();
        }
        if shown.with(|p| p.items.is_empty()) {
            return view! { <p class="gk-favs__empty">{move || t(Msg::FavEmptyFiltered)}</p> }
                .into_any();
        }
        view! {
            <ul class="gk-favs__list" aria-label=move || t(Msg::FavListLabel)>
                <For each=move || shown.with(|p| p.items.clone()) key=|f| f.id.clone() children=row/>
            </ul>
        }
        .into_any()
    };
    // The pager of the lists, for the filter in the URL.
    let pager = move || {
        let (page, pages) = shown.with(|p| (p.page, p.pages));
        let route = AppRoute::Favourites {
            column: active_filter.get(),
            page,
        };
        view! { <Pager route page pages script=script.get()/> }
    };

    view! {
        <Breadcrumbs trail=trail() script=script.get_untracked()/>
        <section class="gk-favs" aria-labelledby="gk-favs-title">
            <h1 id="gk-favs-title" class="gk-favs__title" tabindex="-1" node_ref=heading>
                {move || t(Msg::MyFavourites)}
            </h1>
            <p class="gk-favs__count">{move || Msg::Count.fill(script.get(), &[&total.get()])}</p>
            <div class="gk-favs__toolbar" role="group" aria-label=move || t(Msg::FavToolsLabel)>
                {filter_control}
                <button
                    type="button"
                    class="gk-button gk-favs__export"
                    disabled=move || total.get() == 0
                    on:click=export
                >
                    {move || t(Msg::FavExport)}
                </button>
                <button type="button" class="gk-button gk-favs__import" on:click=choose_file>
                    {move || t(Msg::FavImport)}
                </button>
                <input
                    type="file"
                    class="gk-favs__file"
                    accept=".json,application/json"
                    hidden=true
                    aria-label=move || t(Msg::FavImportLabel)
                    node_ref=file_input
                    on:change=import
                />
                <button
                    type="button"
                    class="gk-button gk-favs__clear"
                    node_ref=clear_button
                    aria-expanded=move || if confirming.get() { "true" } else { "false" }
                    disabled=move || total.get() == 0
                    on:click=move |_| confirming.set(true)
                >
                    {move || t(Msg::FavClear)}
                </button>
            </div>
            <p class="gk-favs__hint">{move || Msg::FavLimitHint.fill(script.get(), &[&MAX_FAVOURITES])}</p>
            {confirm}
            <p class="gk-favs__message" role="status">{move || message.get()}</p>
            {body}
            {pager}
        </section>
    }
}

/// One row of 我的收藏: the link, 已下线 when the notice has gone, the
/// column and date, and 移除 (`on_remove` gets the title once removed).
fn favourite_row(
    f: Favourite,
    store: FavouritesStore,
    availability: Availability,
    base: Base,
    script: Signal<gongkai_core::bundle::Variant>,
    on_remove: impl Fn(String) + Clone + 'static,
) -> impl IntoView {
    let t = move |m: Msg| m.get(script.get());
    let id = f.id.clone();
    let gone = move || availability.gone.with(|g| g.contains(&id));
    let gone_class = gone.clone();
    let href = {
        let id = f.id.clone();
        move || AppRoute::Article { id: id.clone() }.href(base, script.get())
    };
    let title = f.title.clone();
    let remove = {
        let id = f.id.clone();
        let title = f.title.clone();
        move |_| {
            store.remove(&id);
            on_remove(title.clone());
        }
    };
    let date = (!f.date.is_empty()).then(|| {
        view! { <time class="gk-favs__date" datetime=f.date.clone()>{display_date(&f.date)}</time> }
    });
    let column = (!f.column_name.is_empty())
        .then(|| view! { <span class="gk-favs__column">{f.column_name.clone()}</span> });
    view! {
        <li class="gk-favs__item" class:gk-favs__item--gone=gone_class>
            <a class="gk-favs__link" href=href>{f.title.clone()}</a>
            <span class="gk-favs__meta">
                {move || gone().then(|| view! {
                    <span class="gk-badge gk-badge--offline">{t(Msg::FavOffline)}</span>
                })}
                {column}
                {date}
            </span>
            <button type="button" class="gk-button gk-favs__remove" on:click=remove>
                {move || t(Msg::FavRemove)}
                <span class="gk-visually-hidden">{format!(":{title}")}</span>
            </button>
        </li>
    }
}
