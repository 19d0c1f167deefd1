//! The search box of every page, with 搜索位置, 匹配度 and 排序.
//!
//! Typing searches as you go (debounced, without ever touching what was
//! typed); the state lives in the URL (`/search?q=…&scope=…&match=…&sort=…`),
//! so reload, Back and shared links all work.

use crate::app::Site;
use crate::i18n::Msg;
use crate::routes::{use_base, AppRoute, Base, SearchParams};
use crate::state::Settings;
use gongkai_core::bundle::{Manifest, Variant};
use gongkai_core::search::{MatchMode, Scope, SortOrder};
use leptos::html::{Input, Select};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::time::Duration;

/// Pause in typing after which the results follow the box.
const DEBOUNCE: Duration = Duration::from_millis(250);

fn scope_label(s: Scope) -> Msg {
    match s {
        Scope::Title => Msg::ScopeTitle,
        Scope::Full => Msg::ScopeFull,
    }
}

fn mode_label(m: MatchMode) -> Msg {
    match m {
        MatchMode::Exact => Msg::MatchExact,
        MatchMode::Fuzzy => Msg::MatchFuzzy,
    }
}

fn sort_label(s: SortOrder) -> Msg {
    match s {
        SortOrder::Relevance => Msg::SortRelevance,
        SortOrder::Date => Msg::SortDate,
    }
}

/// A labelled `<select>` of one option enum.
#[component]
fn OptionSelect<T>(
    /// Its label (搜索位置, 匹配度, 排序).
    label: Msg,
    /// The `name` in the URL.
    name: &'static str,
    /// Every value.
    values: &'static [T],
    /// The label of a value.
    text: fn(T) -> Msg,
    /// The value the URL has.
    current: Signal<T>,
    /// The element, read on submit.
    node_ref: NodeRef<Select>,
    /// Runs after a change.
    on_change: Callback<()>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static + UrlValue,
{
    let settings = expect_context::<Settings>();
    let options = values
        .iter()
        .map(|&v| {
            view! {
                <option value=v.url_value() selected=move || current.get() == v>
                    {move || text(v).get(settings.script.get())}
                </option>
            }
        })
        .collect_view();
    view! {
        <label class="gk-search__option">
            <span class="gk-search__option-label">{move || label.get(settings.script.get())}</span>
            <select
                class="gk-search__select"
                name=name
                node_ref=node_ref
                on:change=move |_| on_change.run(())
            >
                {options}
            </select>
        </label>
    }
}

/// The enums' `as_str`, for the generic select.
pub trait UrlValue {
    /// The URL value.
    fn url_value(self) -> &'static str;
}

impl UrlValue for Scope {
    fn url_value(self) -> &'static str {
        self.as_str()
    }
}
impl UrlValue for MatchMode {
    fn url_value(self) -> &'static str {
        self.as_str()
    }
}
impl UrlValue for SortOrder {
    fn url_value(self) -> &'static str {
        self.as_str()
    }
}

/// The search form.
#[component]
pub fn SearchForm() -> impl IntoView {
    let settings = expect_context::<Settings>();
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let base = use_base();
    let on_search_page = move || base.app_path(&location.pathname.get_untracked()) == "/search";
    let params = Memo::new(move |_| {
        if base.app_path(&location.pathname.get()) == "/search" {
            SearchParams::from_query(|k| query.read().get(k))
        } else {
            SearchParams::default()
        }
    });
    let input = NodeRef::<Input>::new();
    let scope = NodeRef::<Select>::new();
    let mode = NodeRef::<Select>::new();
    let sort = NodeRef::<Select>::new();
    let timer = StoredValue::new(None::<TimeoutHandle>);

    // Back / Forward / a link changes the URL: show its query in the box,
    // unless the reader is typing in it (never rewrite what they type).
    Effect::new(move |_| {
        let q = params.get().q;
        if let Some(el) = input.get() {
            let focused = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .is_some_and(|a| a == **el);
            if !focused && el.value() != q {
                el.set_value(&q);
            }
        }
    });

    let go = move |replace: bool| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let read = |r: NodeRef<Select>| r.get_untracked().map(|s| s.value()).unwrap_or_default();
        let current = params.get_untracked();
        let next = SearchParams {
            q: el.value(),
            scope: read(scope).parse().unwrap_or_default(),
            mode: read(mode).parse().unwrap_or_default(),
            sort: read(sort).parse().unwrap_or_default(),
            // Filters set on the results page stay while the query changes.
            ..current
        };
        let href = AppRoute::Search {
            params: next,
            page: 1,
        }
        .href(base, settings.script.get_untracked());
        navigate(
            &href,
            NavigateOptions {
                replace,
                // `href` already carries the router's base.
                resolve: false,
                ..Default::default()
            },
        );
    };
    let go_now = go.clone();
    let on_input = move |_| {
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        let go = go.clone();
        let replace = on_search_page();
        timer.set_value(set_timeout_with_handle(move || go(replace), DEBOUNCE).ok());
    };
    let go_submit = go_now.clone();
    let on_change = Callback::new(move |_| {
        if on_search_page() {
            go_now(true);
        }
    });
    let t = move |m: Msg| m.get(settings.script.get());
    // A static page read without JavaScript: the box cannot search, so
    // style/static.css shows this note (and the column lists) in its place.
    // The list is markup from a plain function: a view of its own would add
    // kilobytes to the wasm for something the app never shows.
    let site = use_context::<Site>();
    let column_links = move || {
        let script = settings.script.get();
        site.as_ref()
            .and_then(Site::manifest_now)
            .map(|m| column_links_html(&m.localize(script), base, script))
            .unwrap_or_default()
    };

    // A real GET form to /search: on a static page, before the app has
    // started, the browser submits it and the app opens on the results
    // (the app's own submit handler navigates in place instead). `lang`
    // goes as a field, as a GET form drops the action's query.
    let action = AppRoute::Search {
        params: SearchParams::default(),
        page: 1,
    }
    .path(base);
    let lang = move || {
        (settings.script.get() == Variant::Hant).then(|| {
            view! { <input type="hidden" name="lang" value=Variant::Hant.as_str()/> }
        })
    };
    view! {
        <form
            class="gk-search"
            method="get"
            action=action
            role="search"
            aria-label=move || t(Msg::SearchLabel)
            on:focusin=move |_| leptos::task::spawn_local(crate::split::warm_up_search())
            on:submit=move |ev| {
                ev.prevent_default();
                if let Some(h) = timer.get_value() {
                    h.clear();
                }
                go_submit(on_search_page());
            }
        >
            <div class="gk-search__inner gk-container">
                <div class="gk-search__box">
                    <label class="gk-search__label" for="gk-search-q">{move || t(Msg::Search)}</label>
                    <input
                        class="gk-search__input"
                        id="gk-search-q"
                        type="search"
                        name="q"
                        autocomplete="off"
                        maxlength="200"
                        node_ref=input
                        prop:value=move || params.get_untracked().q
                        on:input=on_input
                    />
                    <button type="submit" class="gk-button gk-search__submit">{move || t(Msg::Search)}</button>
                </div>
                <div class="gk-search__options">
                    <OptionSelect label=Msg::SearchScope name="scope" values=Scope::ALL text=scope_label
                        current=Signal::derive(move || params.get().scope) node_ref=scope on_change/>
                    <OptionSelect label=Msg::SearchMatch name="match" values=MatchMode::ALL text=mode_label
                        current=Signal::derive(move || params.get().mode) node_ref=mode on_change/>
                    <OptionSelect label=Msg::SearchSort name="sort" values=SortOrder::ALL text=sort_label
                        current=Signal::derive(move || params.get().sort) node_ref=sort on_change/>
                </div>
                {lang}
                <div class="gk-search__nojs">
                    <p class="gk-search__nojs-text">{move || t(Msg::NoJsSearch)}</p>
                    <ul class="gk-search__nojs-list" inner_html=column_links></ul>
                </div>
            </div>
        </form>
    }
}

/// The no-JavaScript note's links: 全部 and every column's list, as
/// `<li><a>` markup (names escaped).
fn column_links_html(manifest: &Manifest, base: Base, script: Variant) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let all = (AppRoute::Home { page: 1 }, Msg::AllColumns.get(script));
    std::iter::once(all)
        .chain(manifest.columns.iter().map(|c| {
            (
                AppRoute::Column {
                    id: c.id.clone(),
                    page: 1,
                },
                c.name.as_str(),
            )
        }))
        .map(|(route, name)| {
            format!(
                "<li class=\"gk-search__nojs-item\"><a class=\"gk-search__nojs-link\" href=\"{}\">{}</a></li>",
                escape(&route.href(base, script)),
                escape(name)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nojs_links_name_every_column_escaped() {
        let manifest: Manifest = serde_json::from_value(serde_json::json!({
            "format": 1, "title": "t", "site_name": "s", "department": "d", "section": "x",
            "login_url": "", "register_url": "",
            "columns": [{"id": "gzdt", "name": "工作<动态>", "count": 1, "pages": 1}],
            "item_count": 1, "pages": 1, "page_size": 20, "variants": ["zh-Hans"],
            "built_at": "", "content_hash": "h"
        }))
        .unwrap();
        assert_eq!(
            column_links_html(&manifest, Base::new("/xxgk"), Variant::Hant),
            "<li class=\"gk-search__nojs-item\"><a class=\"gk-search__nojs-link\" href=\"/xxgk/?lang=zh-Hant\">全部</a></li>\
             <li class=\"gk-search__nojs-item\"><a class=\"gk-search__nojs-link\" href=\"/xxgk/column/gzdt?lang=zh-Hant\">工作&lt;动态&gt;</a></li>"
        );
    }
}
