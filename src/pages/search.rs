//! `/search`: results of a search, with filters, paging and highlights.

use crate::api::AppError;
use crate::app::Site;
use crate::components::{
    set_document_title, Breadcrumbs, Crumb, ErrorView, FavButtonVariant, FavouriteButton, Loading,
    Pager,
};
use crate::format::parse_page;
use crate::i18n::Msg;
use crate::routes::{encode_component, use_base, AppRoute, Base, SearchParams};
use crate::search::{
    run, snippet_for, suggestions, ColumnCount, ResultPage, ResultRow, SearchCache, Snippet,
    Widened,
};
use crate::state::Settings;
use gongkai_core::bundle::Variant;
use gongkai_core::search::{ExpansionKind, MatchMode, Query, QueryError, Scope};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::ops::Range;

/// `text` with the byte `ranges` wrapped in `<mark>`.
pub fn marked(text: &str, ranges: &[Range<usize>]) -> AnyView {
    let mut parts = Vec::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        if r.start > at {
            parts.push(text[at..r.start].to_owned().into_any());
        }
        parts.push(view! { <mark class="gk-mark">{text[r.clone()].to_owned()}</mark> }.into_any());
        at = r.end;
    }
    if at < text.len() {
        parts.push(text[at..].to_owned().into_any());
    }
    parts.into_any()
}

/// What the search page found to show.
#[derive(Clone)]
enum Outcome {
    /// The query cannot be searched; the message says why.
    Invalid(String),
    /// Results (maybe none), with the query for their marks and snippets.
    Found(Box<ResultPage>),
}

/// The search results page.
#[component]
pub fn SearchPage() -> impl IntoView {
    // The static pages never render this page: this runs in the browser.
    crate::search::warm_up_soon();
    let site = expect_context::<Site>();
    let settings = expect_context::<Settings>();
    let cache = expect_context::<SearchCache>();
    let base = use_base();
    let query = use_query_map();
    let params = Memo::new(move |_| SearchParams::from_query(|k| query.read().get(k)));
    let page = Memo::new(move |_| parse_page(query.read().get("page").as_deref()));
    let site_for_fetch = site.clone();
    let data = LocalResource::new(move || {
        let site = site_for_fetch.clone();
        let params = params.get();
        let page = page.get();
        let script = settings.script.get();
        async move {
            let manifest = site.manifest_ready().await?;
            let local = manifest.localize(script);
            let options = match params.options() {
                Ok(o) => o,
                Err(bad) => {
                    return Ok((
                        local,
                        script,
                        params,
                        Outcome::Invalid(Msg::BadDate.fill(script, &[&bad])),
                    ))
                }
            };
            let query = match Query::parse(&params.q, options) {
                Ok(q) => q,
                Err(e) => {
                    let message = match e {
                        QueryError::Empty => Msg::QueryEmpty.get(script).to_owned(),
                        QueryError::Blank => Msg::QueryBlank.get(script).to_owned(),
                        QueryError::NoWords => Msg::QueryNoWords.get(script).to_owned(),
                        QueryError::TooLong { chars, max } => {
                            Msg::QueryTooLong.fill(script, &[&max, &chars])
                        }
                    };
                    return Ok((local, script, params, Outcome::Invalid(message)));
                }
            };
            let page = page.ok_or(AppError::NotFound(crate::api::Missing::Page {
                page: 0,
                pages: 0,
            }))?;
            let started = crate::tasks::now();
            let found = run(cache, &site.bundle, &manifest, &query, page, script).await?;
            // A cold run (shards fetched and decoded, code compiled on first
            // use) and the results' render in tasks of their own
            // (crate::tasks); a quick warm query renders at once.
            crate::tasks::yield_if_past(started).await;
            Ok::<_, AppError>((local, script, params, Outcome::Found(Box::new(found))))
        }
    });
    let manifest = site.manifest;
    let site_for_rows = site.clone();
    let retry = move || {
        manifest.refetch();
        data.refetch();
    };

    view! {
        <Transition fallback=|| view! { <Loading/> }>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry/> }>
                {move || {
                let site = site_for_rows.clone();
                Suspend::new(async move {
                    let (manifest, script, params, outcome) = data.await?;
                    let shown_query = params.q.clone();
                    let shown_match = params.mode.as_str();
                    let shown_sort = params.sort.as_str();
                    let shown_page = match &outcome {
                        Outcome::Found(found) => Some(found.page.to_string()),
                        Outcome::Invalid(_) => None,
                    };
                    let heading = Msg::SearchResults.get(script);
                    let title = if params.q.trim().is_empty() {
                        heading.to_owned()
                    } else {
                        format!("{}:{}", heading, params.q)
                    };
                    set_document_title(&title, Some(&manifest));
                    let trail = vec![
                        Crumb::link(Msg::Home.get(script), AppRoute::Home { page: 1 }.href(base, script)),
                        Crumb::here(heading),
                    ];
                    let body = match outcome {
                        Outcome::Invalid(message) => view! {
                            <p class="gk-results__count" role="status">{message}</p>
                        }.into_any(),
                        Outcome::Found(found) => {
                            // Titles and snippets mark the widened words too.
                            let query = found.marks.clone();
                            results_view(*found, params.clone(), base, script, query, site).into_any()
                        }
                    };
                    Ok::<_, AppError>(view! {
                        <Breadcrumbs trail script/>
                        // The query the shown results are for: lets tests and
                        // benchmarks tell new results from old ones.
                        <section
                            class="gk-results"
                            data-query=shown_query
                            data-match=shown_match
                            data-sort=shown_sort
                            data-page=shown_page
                        >
                            <h1 class="gk-results__title">{heading}</h1>
                            <Filters params manifest/>
                            {body}
                        </section>
                    })
                })
                }}
            </ErrorBoundary>
        </Transition>
    }
}

fn results_view(
    found: ResultPage,
    params: SearchParams,
    base: Base,
    script: gongkai_core::bundle::Variant,
    query: Query,
    site: Site,
) -> impl IntoView {
    let count = Msg::ResultCount.fill(script, &[&found.total]);
    let aside = view! {
        <ColumnFacets columns=found.columns.clone() params=params.clone() script/>
        <WidenedNote widened=found.widened.clone() script/>
        <DidYouMean suggestions=found.suggestions.clone() params=params.clone() script/>
    };
    if found.total == 0 {
        let tips = suggestions(
            params.mode == MatchMode::Exact,
            params.scope == Scope::Title,
        )
        .into_iter()
        .map(|tip| {
            let mut next = params.clone();
            match tip {
                Msg::TryFuzzy => next.mode = MatchMode::Fuzzy,
                _ => next.scope = Scope::Full,
            }
            let href = AppRoute::Search {
                params: next,
                page: 1,
            }
            .href(base, script);
            view! { <li class="gk-results__tip"><a href=href>{tip.get(script)}</a></li> }
        })
        .collect_view();
        return view! {
            <p class="gk-results__count" role="status">{count}</p>
            {aside}
            <p class="gk-results__none">{Msg::NoResults.fill(script, &[&params.q])}</p>
            <ul class="gk-results__tips">{tips}</ul>
        }
        .into_any();
    }
    let route = AppRoute::Search {
        params: params.clone(),
        page: found.page,
    };
    let hl = format!(
        "hl={}&match={}",
        encode_component(&params.q),
        params.mode.as_str()
    );
    let rows = found.rows;
    // A few rows a task (crate::components::rows_in_tasks): twenty rows,
    // each with its 收藏 button, in one task blocked a slowed phone.
    let total = rows.len();
    let shown = crate::components::rows_in_tasks(total);
    // A new render patches the old one in place, and `<For>` keeps rows
    // whose key it has seen: a key of the id alone would leave a document
    // found by the previous query with that query's marks and snippet.
    let stamp = format!(
        "{}|{}|{}|{}",
        params.q,
        params.mode.as_str(),
        params.scope.as_str(),
        script.as_str()
    );
    view! {
        <p class="gk-results__count" role="status">{count}</p>
        {aside}
        <ol
            class="gk-results__list"
            start=(found.page - 1) * crate::search::RESULTS_PER_PAGE + 1
            aria-busy=move || (shown.get() < total).then_some("true")
        >
            <For
                each=move || rows[..shown.get()].to_vec()
                key=move |row| format!("{stamp}|{}", row.id)
                children=move |row: ResultRow| {
                    let href = AppRoute::Article { id: row.id.clone() }.href(base, script);
                    let sep = if href.contains('?') { '&' } else { '?' };
                    let href = format!("{href}{sep}{hl}");
                    // The snippet needs the article file: fetched per row
                    // once the row is on or near the screen
                    // (`when_near_screen`), so the results never wait for
                    // it and a first load fetches a screenful, not twenty
                    // (issue 16). Its box keeps its height meanwhile
                    // (style/search.css). `None`: not loaded yet; `Some(None)`:
                    // the article failed, and the row simply has no snippet.
                    // The title and its link are there from the start.
                    let snippet = RwSignal::new(None);
                    let item = NodeRef::<leptos::html::Li>::new();
                    {
                        let (site, query, id) = (site.clone(), query.clone(), row.id.clone());
                        when_near_screen(item, move || {
                            leptos::task::spawn_local(async move {
                                let loaded = match site.manifest_ready().await {
                                    Ok(manifest) => {
                                        snippet_for(&site.bundle, &manifest, script, &id, &query).await.ok()
                                    }
                                    Err(_) => None,
                                };
                                // The row may be gone (a newer search): then this is a no-op.
                                let _ = snippet.try_set(Some(loaded));
                            });
                        });
                    }
                    view! {
                        <li class="gk-results__item" node_ref=item>
                            <a class="gk-results__link" href=href>{marked(&row.title, &row.title_marks)}</a>
                            <p class="gk-results__snippet">
                                {move || snippet.with(|s: &Option<Option<Snippet>>| match s {
                                    None => view! { <span class="gk-results__pending"></span> }.into_any(),
                                    Some(s) => s.as_ref().map(|(text, marks)| marked(text, marks)).into_any(),
                                })}
                            </p>
                            <span class="gk-results__meta">
                                <span class="gk-results__column">{row.column.clone()}</span>
                                <time class="gk-results__date" datetime=row.date.clone()>{row.date.clone()}</time>
                            </span>
                            <FavouriteButton entry=row.favourite() variant=FavButtonVariant::Compact/>
                        </li>
                    }
                }
            />
        </ol>
        <Pager route page=found.page pages=found.pages script/>
    }
    .into_any()
}

/// How far beyond the screen a result row counts as near it: half a
/// screen above and below, so a snippet is usually there before its row
/// scrolls in.
const NEAR_SCREEN: &str = "50% 0px 50% 0px";

/// Runs `load` once, when the element of `row` is first on or near the
/// screen ([`NEAR_SCREEN`]); at once where `IntersectionObserver` is
/// missing. Nothing runs if the row is gone first.
fn when_near_screen(row: NodeRef<leptos::html::Li>, load: impl FnOnce() + 'static) {
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::{closure::Closure, JsCast};
    type Watch = (
        web_sys::IntersectionObserver,
        Closure<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>,
    );
    // The observer and its callback live as long as the row.
    let kept = StoredValue::new_local(None::<Watch>);
    on_cleanup(move || {
        if let Some((observer, _callback)) = kept.try_update_value(Option::take).flatten() {
            observer.disconnect();
        }
    });
    row.on_load(move |element| {
        let load = Rc::new(Cell::new(Some(load)));
        let run = load.clone();
        let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
            move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
                let near = entries.iter().any(|entry| {
                    entry
                        .unchecked_into::<web_sys::IntersectionObserverEntry>()
                        .is_intersecting()
                });
                if near {
                    observer.disconnect();
                    if let Some(load) = run.take() {
                        load();
                    }
                }
            },
        );
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin(NEAR_SCREEN);
        match web_sys::IntersectionObserver::new_with_options(
            callback.as_ref().unchecked_ref(),
            &options,
        ) {
            Ok(observer) => {
                observer.observe(&element);
                kept.set_value(Some((observer, callback)));
            }
            Err(_) => {
                if let Some(load) = load.take() {
                    load();
                }
            }
        }
    });
}

/// 结果分类: the matches per column, each a link that filters by it, and
/// one for every column; the current choice is marked `aria-current`.
#[component]
fn ColumnFacets(
    /// Counts per column, before the column filter.
    columns: Vec<ColumnCount>,
    /// The current search.
    params: SearchParams,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    if columns.is_empty() {
        return ().into_any();
    }
    let all: usize = columns.iter().map(|c| c.count).sum();
    let base = use_base();
    let link = move |column: Option<String>, name: String, count: usize| {
        let current = params.column == column;
        let href = AppRoute::Search {
            params: SearchParams {
                column,
                ..params.clone()
            },
            page: 1,
        }
        .href(base, script);
        let label = Msg::FacetCount.fill(script, &[&name, &count]);
        view! {
            <li class="gk-facets__item">
                <a class="gk-facets__link" href=href aria-current=current.then_some("true")>{label}</a>
            </li>
        }
    };
    let mut items = vec![link(
        None,
        Msg::AllColumnsOption.get(script).to_owned(),
        all,
    )];
    items.extend(
        columns
            .into_iter()
            .map(|c| link(Some(c.id), c.name, c.count)),
    );
    view! {
        <nav class="gk-facets" aria-label=Msg::Facets.get(script)>
            <ul class="gk-facets__list">{items}</ul>
        </nav>
    }
    .into_any()
}

/// Says what the query was widened to: pinyin readings, synonyms.
#[component]
fn WidenedNote(
    /// The expansions of the query.
    widened: Vec<Widened>,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    widened
        .into_iter()
        .map(|w| {
            let words = w.words.join(Msg::ListSeparator.get(script));
            let text = match w.kind {
                ExpansionKind::Pinyin => Msg::WidenedPinyin.fill(script, &[&w.term, &words]),
                ExpansionKind::Synonym => Msg::WidenedSynonyms.fill(script, &[&w.term, &words]),
            };
            view! { <p class="gk-results__widened">{text}</p> }
        })
        .collect_view()
}

/// 您是不是要找: each suggestion a link that searches it.
#[component]
fn DidYouMean(
    /// Words of the site's vocabulary.
    suggestions: Vec<String>,
    /// The current search.
    params: SearchParams,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    if suggestions.is_empty() {
        return ().into_any();
    }
    let base = use_base();
    let links = suggestions
        .into_iter()
        .map(|q| {
            let href = AppRoute::Search {
                params: SearchParams {
                    q: q.clone(),
                    ..params.clone()
                },
                page: 1,
            }
            .href(base, script);
            view! { <li class="gk-suggest__item"><a class="gk-suggest__link" href=href>{q}</a></li> }
        })
        .collect_view();
    view! {
        <div class="gk-suggest">
            <p class="gk-suggest__label" id="gk-suggest-label">{Msg::DidYouMean.get(script)}</p>
            <ul class="gk-suggest__list" aria-labelledby="gk-suggest-label">{links}</ul>
        </div>
    }
    .into_any()
}

/// 栏目 and date-range filters of the results page.
#[component]
fn Filters(
    /// The current search.
    params: SearchParams,
    /// The manifest in the reader's script (for column names).
    manifest: gongkai_core::bundle::Manifest,
) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let navigate = use_navigate();
    let script = settings.script.get_untracked();
    let column = NodeRef::<leptos::html::Select>::new();
    let from = NodeRef::<leptos::html::Input>::new();
    let to = NodeRef::<leptos::html::Input>::new();
    let base = use_base();
    let shown = params.clone();
    let apply = move || {
        let value = |v: String| Some(v).filter(|v| !v.is_empty());
        let next = SearchParams {
            column: column.get_untracked().and_then(|c| value(c.value())),
            from: from.get_untracked().and_then(|c| value(c.value())),
            to: to.get_untracked().and_then(|c| value(c.value())),
            ..shown.clone()
        };
        navigate(
            &AppRoute::Search {
                params: next,
                page: 1,
            }
            .href(base, script),
            NavigateOptions {
                replace: true,
                // `href` already carries the router's base.
                resolve: false,
                ..Default::default()
            },
        );
    };
    let apply2 = apply.clone();
    let apply3 = apply.clone();
    let options = manifest
        .columns
        .iter()
        .map(|c| {
            let selected = params.column.as_deref() == Some(c.id.as_str());
            view! { <option value=c.id.clone() selected=selected>{c.name.clone()}</option> }
        })
        .collect_view();
    view! {
        <div class="gk-filters" role="group" aria-label=Msg::Filter.get(script)>
            <label class="gk-filters__field">
                <span class="gk-filters__label">{Msg::FilterColumn.get(script)}</span>
                <select class="gk-filters__select" node_ref=column on:change=move |_| apply()>
                    <option value="" selected=params.column.is_none()>{Msg::AllColumnsOption.get(script)}</option>
                    {options}
                </select>
            </label>
            <label class="gk-filters__field">
                <span class="gk-filters__label">{Msg::DateFrom.get(script)}</span>
                <input class="gk-filters__date" type="date" node_ref=from
                    value=params.from.clone().unwrap_or_default() on:change=move |_| apply2()/>
            </label>
            <label class="gk-filters__field">
                <span class="gk-filters__label">{Msg::DateTo.get(script)}</span>
                <input class="gk-filters__date" type="date" node_ref=to
                    value=params.to.clone().unwrap_or_default() on:change=move |_| apply3()/>
            </label>
        </div>
    }
}
