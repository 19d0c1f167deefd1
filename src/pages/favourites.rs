//! `/favourites`: 我的收藏, newest-added first, with filter, 清空, 导出 and 导入.

use crate::api::{load_article, AppError};
use crate::app::Site;
use crate::components::script_signal;
use crate::components::{set_document_title, Breadcrumbs, Crumb};
use crate::format::display_date;
use crate::i18n::Msg;
use crate::routes::AppRoute;
use crate::state::favourites::files::read_chosen_file;
use crate::state::favourites::{Favourite, FavouritesStore, ImportReport};
use leptos::html::{Button, Input};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashSet;

/// How many rejected entries an import message names (the rest are counted).
const REJECTED_NAMED: usize = 3;

/// Whether each favourite is still in the feed. Only the rows shown are
/// checked, once each per visit of the page, by loading the article file:
/// a 404 means the notice has gone (已下线). Any other failure (offline,
/// server error) says nothing about the notice, so the row stays unmarked.
#[derive(Clone, Copy)]
struct Availability {
    checked: StoredValue<HashSet<String>>,
    gone: RwSignal<HashSet<String>>,
}

impl Availability {
    fn new() -> Self {
        Availability {
            checked: StoredValue::new(HashSet::new()),
            gone: RwSignal::new(HashSet::new()),
        }
    }

    fn check(self, id: String) {
        let Some(site) = use_context::<Site>() else {
            return;
        };
        let settings_script = script_signal();
        if !self
            .checked
            .try_update_value(|c| c.insert(id.clone()))
            .unwrap_or(false)
        {
            return;
        }
        spawn_local(async move {
            let Ok(manifest) = site.manifest_ready().await else {
                return;
            };
            let script = settings_script.get_untracked();
            if let Err(AppError::NotFound(_)) =
                load_article(&site.bundle, &manifest, script, &id).await
            {
                self.gone.update(|g| {
                    g.insert(id);
                });
            }
        });
    }
}

/// The 导入 result as one message.
fn import_message(report: &ImportReport, script: gongkai_core::bundle::Variant) -> String {
    let mut text = Msg::FavImported.fill(script, &[&report.count.added, &report.count.already]);
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

/// 我的收藏.
#[component]
pub fn FavouritesPage() -> impl IntoView {
    let store = use_context::<FavouritesStore>()
        .unwrap_or_else(|| FavouritesStore::new(Default::default()));
    let script = script_signal();
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

    let filter = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let availability = Availability::new();
    let heading = NodeRef::<leptos::html::H1>::new();
    let clear_button = NodeRef::<Button>::new();
    let cancel_button = NodeRef::<Button>::new();
    let file_input = NodeRef::<Input>::new();

    let columns = Memo::new(move |_| store.list.with(|l| l.columns()));
    // A filter whose last favourite was removed falls back to 全部栏目.
    let active_filter = Memo::new(move |_| {
        let f = filter.get();
        columns
            .with(|cs| cs.iter().any(|(id, _)| *id == f))
            .then_some(f)
    });
    let visible = Memo::new(move |_| {
        let f = active_filter.get();
        store.list.with(|l| {
            l.filter_column(f.as_deref())
                .cloned()
                .collect::<Vec<Favourite>>()
        })
    });
    let total = Memo::new(move |_| store.count());

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
            let script = script.get_untracked();
            let text = match read_chosen_file(&input).await {
                Ok(Some(text)) => text,
                Ok(None) => return,
                Err(e) => {
                    message.set(Some(Msg::FavImportFailed.fill(script, &[&e])));
                    return;
                }
            };
            // The same file may be chosen again after a fix.
            input.set_value("");
            message.set(Some(match store.import(&text) {
                Ok(report) => import_message(&report, script),
                Err(e) => Msg::FavImportFailed.fill(script, &[&e.describe(script)]),
            }));
        });
    };

    let trail = move || {
        let script = script.get();
        vec![
            Crumb::link(
                Msg::Home.get(script),
                AppRoute::Home { page: 1 }.href(script),
            ),
            Crumb::here(Msg::MyFavourites.get(script)),
        ]
    };

    let filter_control = move || {
        (!columns.with(Vec::is_empty)).then(|| {
            view! {
                <label class="gk-favs__filter">
                    <span class="gk-favs__filter-label">{move || t(Msg::FavFilter)}</span>
                    <select
                        class="gk-favs__select"
                        prop:value=move || active_filter.get().unwrap_or_default()
                        on:change=move |e| filter.set(event_target_value(&e))
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
        availability.check(f.id.clone());
        let id = f.id.clone();
        let gone = move || availability.gone.with(|g| g.contains(&id));
        let gone_class = gone.clone();
        let href = {
            let id = f.id.clone();
            move || AppRoute::Article { id: id.clone() }.href(script.get())
        };
        let title = f.title.clone();
        let remove = {
            let id = f.id.clone();
            let title = f.title.clone();
            move |_| {
                store.remove(&id);
                message.set(Some(
                    Msg::FavRemoved.fill(script.get_untracked(), &[&title]),
                ));
                focus_heading();
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
    };

    let body = move || {
        if store.list.with(|l| l.is_empty()) {
            return view! { <p class="gk-favs__empty">{move || t(Msg::FavEmpty)}</p> }.into_any();
        }
        if visible.with(Vec::is_empty) {
            return view! { <p class="gk-favs__empty">{move || t(Msg::FavEmptyFiltered)}</p> }
                .into_any();
        }
        view! {
            <ul class="gk-favs__list" aria-label=move || t(Msg::FavListLabel)>
                <For each=move || visible.get() key=|f| f.id.clone() children=row/>
            </ul>
        }
        .into_any()
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
            {confirm}
            <p class="gk-favs__message" role="status">{move || message.get()}</p>
            {body}
        </section>
    }
}
