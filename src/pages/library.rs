//! `/library` and `/library/:facet/:value`: the 政策文件库. Every notice of
//! the section, narrowed by 有效性, 主题分类, 文种, 发文机关 and 成文年份 (a
//! checkbox group each), a range of years, or a 文号; the state lives in
//! the URL (crate::routes::LibraryParams), so Back restores it.
//!
//! The static pages (one per facet value, built by `gongkai build --site`)
//! render the same view with the facet values as links, since without
//! JavaScript a box could not apply itself; the controls that only the app
//! can run (the 文号 box, the year range, the order) are hidden there by
//! style/static.css.

use crate::api::AppError;
use crate::app::{KeepFocus, Site};
use crate::components::{
    set_document_title, set_feed_links, Breadcrumbs, Crumb, ErrorView, FavButtonVariant,
    FavouriteButton, Loading, Pager, Subscribe,
};
use crate::format::parse_page;
use crate::i18n::Msg;
use crate::library::{load, DocNoNote, LibraryCache, LibraryRow, LibraryView};
use crate::routes::{use_base, AppRoute, Base, LibraryParams, DOCNO_PARAM, MAX_DOCNO_CHARS};
use crate::search::SearchCache;
use crate::state::Settings;
#[cfg(feature = "prerender")]
use crate::static_render::{Prerender, Prerendered};
use gongkai_core::bundle::{Manifest, Variant, ALL_LIST};
use gongkai_core::feed::Validity;
use gongkai_core::library::{Facet, FacetValues, LibrarySort};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

/// The heading of a facet's group.
pub fn facet_label(facet: Facet) -> Msg {
    match facet {
        Facet::Validity => Msg::Validity,
        Facet::Topic => Msg::FacetTopic,
        Facet::DocType => Msg::FacetType,
        Facet::Issuer => Msg::FacetIssuer,
        Facet::Year => Msg::FacetYear,
    }
}

/// A value of a facet as a reader of `script` reads it.
fn value_label(values: &FacetValues, code: usize, script: Variant) -> String {
    match values.facet {
        Facet::Validity => values.values[code]
            .parse::<Validity>()
            .map(|v| Msg::validity(v).get(script).to_owned())
            .unwrap_or_else(|_| values.values[code].clone()),
        _ => values.label(code as u32, script).to_owned(),
    }
}

/// The library page: reads the state from the URL and loads its page.
#[component]
pub fn LibraryPage() -> impl IntoView {
    #[cfg(feature = "prerender")]
    if let Some(view) = prerendered() {
        return leptos::either::Either::Left(view);
    }
    let site = expect_context::<Site>();
    let settings = expect_context::<Settings>();
    let cache = expect_context::<LibraryCache>();
    let search = expect_context::<SearchCache>();
    let path = use_params_map();
    let query = use_query_map();
    let params = Memo::new(move |_| {
        let q = query.read();
        let p = LibraryParams::from_query(|k| q.get_all(k).unwrap_or_default());
        let path = path.read();
        match (path.get("facet"), path.get("value")) {
            (Some(f), Some(v)) => p.with_path(&f, &v),
            _ => p,
        }
    });
    // `/library/<facet>` alone (the route's value is optional) is no page.
    let pathname = use_location().pathname;
    let partial = Memo::new(move |_| {
        let path = path.read();
        (path.get("facet").is_some() && path.get("value").is_none())
            .then(|| pathname.get_untracked())
    });
    let page = Memo::new(move |_| parse_page(query.read().get("page").as_deref()));
    provide_context(UrlState::new());
    let site_for_fetch = site.clone();
    let data = LocalResource::new(move || {
        let site = site_for_fetch.clone();
        let params = params.get();
        let page = page.get();
        let script = settings.script.get();
        let partial = partial.get();
        async move {
            if let Some(path) = partial {
                return Err(AppError::NotFound(crate::api::Missing::Path(path)));
            }
            let manifest = site.manifest_ready().await?;
            let page = page.ok_or(AppError::NotFound(crate::api::Missing::Page {
                page: 0,
                pages: 0,
            }))?;
            let view = load(
                cache,
                search,
                &site.bundle,
                &manifest,
                &params,
                page,
                script,
            )
            .await?;
            if view.params.is_first_view() {
                // The reader's first choice should not wait for the index.
                cache.prefetch_index(site.bundle.clone(), manifest.clone());
            }
            Ok::<_, AppError>((manifest.localize(script), script, view))
        }
    });
    let manifest = site.manifest;
    let retry = move || {
        manifest.refetch();
        data.refetch();
    };
    // One live region for the whole visit: a region created with its text
    // is not read out, so the count is written into this one.
    let announce = RwSignal::new(String::new());
    let view = view! {
        <p class="gk-visually-hidden" role="status">{move || announce.get()}</p>
        <Transition fallback=|| view! { <Loading/> }>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry/> }>
                {move || {
                    let bundle = site.bundle.clone();
                    Suspend::new(async move {
                        let (manifest, script, view) = data.await?;
                        set_document_title(&library_title(&view, script), Some(&manifest));
                        set_feed_links(&bundle, &manifest, ALL_LIST, Msg::Library.get(script), script);
                        announce.set(Msg::LibraryAnnounce.fill(script, &[&view.total]));
                        Ok::<_, AppError>(view! { <LibraryMain manifest view script/> }.into_any())
                    })
                }}
            </ErrorBoundary>
        </Transition>
    }
    .into_any();
    #[cfg(feature = "prerender")]
    let view = leptos::either::Either::Right(view);
    view
}

/// The build's static render of a library page (crate::static_render).
#[cfg(feature = "prerender")]
fn prerendered() -> Option<impl IntoView> {
    match crate::static_render::prerender()? {
        Prerender {
            manifest,
            script,
            content: Prerendered::Library(view),
            ..
        } => {
            let manifest = manifest.localize(script);
            let view = std::sync::Arc::unwrap_or_clone(view);
            Some(view! { <LibraryMain manifest view script/> })
        }
        _ => None,
    }
}

/// The page part of the library's document title: 政策文件库, the single
/// value it is narrowed to, and the page number after page 1.
pub fn library_title(view: &LibraryView, script: Variant) -> String {
    let mut title = Msg::Library.get(script).to_owned();
    if let Some((facet, value)) = view.params.single() {
        let values = view.facets.get(facet);
        let shown = values
            .code(value)
            .map(|c| value_label(values, c as usize, script))
            .unwrap_or_else(|| value.to_owned());
        title = format!("{}:{shown}", title);
    }
    if view.page > 1 {
        Msg::TitleWithPage.fill(script, &[&title, &view.page])
    } else {
        title
    }
}

/// The library's state as the URL has it now, which each control changes.
/// The page a control belongs to shows the state it was rendered with, and
/// a reader can change a second control before the first one's page has
/// rendered: built from the page's state, the second URL dropped the first
/// change (issue 19: 排序, then 从 at once, lost the order).
#[derive(Clone, Copy)]
struct UrlState {
    base: Base,
    pathname: Memo<String>,
    query: Memo<leptos_router::params::ParamsMap>,
}

impl UrlState {
    fn new() -> Self {
        let location = use_location();
        UrlState {
            base: use_base(),
            pathname: location.pathname,
            query: location.query,
        }
    }

    /// The state now: the URL's, or `shown` where there is no router state
    /// (the build's static render, whose controls are links).
    fn latest(this: Option<Self>, shown: &LibraryParams) -> LibraryParams {
        let Some(this) = this else {
            return shown.clone();
        };
        let query = this.query.get_untracked();
        LibraryParams::from_location(&this.base.app_path(&this.pathname.get_untracked()), |k| {
            query.get_all(k).unwrap_or_default()
        })
    }
}

/// Navigates to `route` in place: the page stays where it is, and keyboard
/// focus returns to the control `focus` (by id) once the new state shows.
fn go(
    navigate: &impl Fn(&str, NavigateOptions),
    base: Base,
    route: AppRoute,
    script: Variant,
    focus: &str,
) {
    if let Some(keep) = use_context::<KeepFocus>() {
        keep.keep(focus);
    }
    navigate(
        &route.href(base, script),
        NavigateOptions {
            resolve: false,
            scroll: false,
            ..Default::default()
        },
    );
}

/// A loaded page of the library. Pure: the app renders it once the data
/// has arrived, and `gongkai build` renders it natively into the static
/// page of its URL.
#[component]
pub fn LibraryMain(
    /// The manifest, already in `script`.
    manifest: Manifest,
    /// The page.
    view: LibraryView,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    let site = expect_context::<Site>();
    let base = use_base();
    let params = view.params.clone();
    let home = AppRoute::Home { page: 1 };
    let everything = AppRoute::Library {
        params: LibraryParams::default(),
        page: 1,
    };
    let trail = vec![
        Crumb::link(Msg::Home.get(script), home.href(base, script)),
        Crumb::link(manifest.section.clone(), home.href(base, script)),
        Crumb::here(Msg::Library.get(script)),
    ];
    let route = AppRoute::Library {
        params: params.clone(),
        page: view.page,
    };
    let groups = Facet::ALL
        .into_iter()
        .map(|f| facet_group(f, &view, script))
        .collect_view();
    let narrowed = !params.is_first_view() || params.sort != LibrarySort::Published;
    let clear = narrowed.then(|| {
        view! {
            <p class="gk-facets__clear">
                <a class="gk-facets__clear-link" href=everything.href(base, script)>{Msg::ClearFilters.get(script)}</a>
            </p>
        }
    });
    let state = params.key();
    // Back where the reader was: the box (or list) they changed, rendered anew.
    if let Some(keep) = use_context::<KeepFocus>() {
        Effect::new(move |_| keep.restore());
    }
    // Pieces as `AnyView`: one nested type for the whole page would be
    // deeper than the compiler's limits in a release build.
    let facets = view! {
        <div class="gk-facets" role="group" aria-label=Msg::FacetsLabel.get(script)>
            {groups}
            <YearRange view=view.clone() script/>
            {clear}
        </div>
    }
    .into_any();
    let results = view! {
        <div class="gk-library__results">
            <DocNoMessage note=view.docno.clone() total=view.total script/>
            <div class="gk-library__bar">
                <p class="gk-library__count">{Msg::LibraryCount.fill(script, &[&view.total])}</p>
                <SortControl params=params.clone() script/>
            </div>
            <LibraryList rows=view.rows.clone() script/>
            <Pager route page=view.page pages=view.pages script/>
            <Subscribe manifest=manifest.clone() bundle=site.bundle.clone() list=ALL_LIST.to_owned() script/>
        </div>
    }
    .into_any();
    view! {
        <Breadcrumbs trail script/>
        <section class="gk-library" data-state=state>
            <h1 class="gk-library__title">{library_title(&view, script)}</h1>
            <p class="gk-library__intro">{Msg::LibraryIntro.get(script)}</p>
            <DocNoBox params=params.clone() script/>
            <div class="gk-library__layout">{facets}{results}</div>
        </section>
    }
    .into_any()
}

/// One facet's checkbox group: its values with their counts in this state,
/// those with none left out (unless chosen, so they can be unchosen). In
/// the build's static pages the values are links to their own pages.
fn facet_group(facet: Facet, view: &LibraryView, script: Variant) -> impl IntoView {
    let values = view.facets.get(facet).clone();
    let counts = view.counts.get(facet.index()).cloned().unwrap_or_default();
    let params = view.params.clone();
    let options: Vec<(usize, String, String, u32, bool)> = values
        .values
        .iter()
        .enumerate()
        .map(|(code, value)| {
            let count = counts.get(code).copied().unwrap_or(0);
            let chosen = params.has(facet, value);
            (
                code,
                value.clone(),
                value_label(&values, code, script),
                count,
                chosen,
            )
        })
        .filter(|(_, _, _, count, chosen)| *count > 0 || *chosen)
        .collect();
    if options.is_empty() {
        return ().into_any();
    }
    // The build renders links: without JavaScript a box cannot apply itself.
    let links = !crate::static_render::RenderTarget::current().is_browser();
    let navigate = use_navigate();
    let base = use_base();
    let now = use_context::<UrlState>();
    let items = options
        .into_iter()
        .map(|(code, value, label, count, chosen)| {
            let id = format!("gk-facet-{}-{code}", facet.as_str());
            let text = view! {
                <span class="gk-facet__value">{label}</span>
                " "
                <span class="gk-facet__count">{format!("({count})")}</span>
            };
            if links {
                let href = AppRoute::Library {
                    params: LibraryParams::only(facet, &value),
                    page: 1,
                }
                .href(base, script);
                view! {
                    <li class="gk-facet__option">
                        <a
                            class="gk-facet__link"
                            href=href
                            aria-current=chosen.then_some("page")
                            data-checked=if chosen { "true" } else { "false" }
                        >
                            {text}
                        </a>
                    </li>
                }
                .into_any()
            } else {
                let params = params.clone();
                let focus = id.clone();
                let navigate = navigate.clone();
                view! {
                    <li class="gk-facet__option">
                        <input
                            class="gk-facet__box"
                            type="checkbox"
                            id=id.clone()
                            checked=chosen
                            // A box the reader ticked keeps its state when the
                            // page is rebuilt in place (Back): set the property.
                            prop:checked=chosen
                            on:change=move |_| {
                                let next = UrlState::latest(now, &params).toggled(facet, &value);
                                go(&navigate, base, AppRoute::Library { params: next, page: 1 }, script, &focus)
                            }
                        />
                        <label class="gk-facet__label" for=id>{text}</label>
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <fieldset class=format!("gk-facet gk-facet--{}", facet.as_str())>
            <legend class="gk-facet__legend">{facet_label(facet).get(script)}</legend>
            <ul class="gk-facet__list">{items}</ul>
        </fieldset>
    }
    .into_any()
}

/// 成文年份范围: from and to, among the years the section has.
#[component]
fn YearRange(
    /// The page.
    view: LibraryView,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    let mut years: Vec<u16> = view
        .facets
        .get(Facet::Year)
        .values
        .iter()
        .filter_map(|y| y.parse().ok())
        .collect();
    years.sort_unstable();
    if years.len() < 2 {
        return ().into_any();
    }
    let params = view.params.clone();
    let navigate = use_navigate();
    let base = use_base();
    let now = use_context::<UrlState>();
    let select = move |id: &'static str, label: Msg, current: Option<u16>, to: bool| {
        let params = params.clone();
        let navigate = navigate.clone();
        let options = years
            .iter()
            .map(|y| {
                view! { <option value=y.to_string() selected=current == Some(*y)>{y.to_string()}</option> }
            })
            .collect_view();
        view! {
            <label class="gk-range__label" for=id>{label.get(script)}</label>
            <select
                class="gk-range__select"
                id=id
                on:change=move |e| {
                    let year = event_target_value(&e).parse::<u16>().ok();
                    let mut next = UrlState::latest(now, &params);
                    if to {
                        next.to = year;
                    } else {
                        next.from = year;
                    }
                    go(&navigate, base, AppRoute::Library { params: next, page: 1 }, script, id);
                }
            >
                <option value="" selected=current.is_none()>{Msg::AnyYear.get(script)}</option>
                {options}
            </select>
        }
    };
    view! {
        <fieldset class="gk-facet gk-facet--range gk-library__js">
            <legend class="gk-facet__legend">{Msg::YearRange.get(script)}</legend>
            <div class="gk-range">
                {select("gk-year-from", Msg::YearFrom, view.params.from, false)}
                {select("gk-year-to", Msg::YearTo, view.params.to, true)}
            </div>
        </fieldset>
    }
    .into_any()
}

/// 排序: by publication date or by 成文日期.
#[component]
fn SortControl(
    /// The state.
    params: LibraryParams,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    let current = params.sort;
    let navigate = use_navigate();
    let base = use_base();
    let now = use_context::<UrlState>();
    let options = [
        (LibrarySort::Published, Msg::SortPublished),
        (LibrarySort::Written, Msg::SortWritten),
    ]
    .into_iter()
    .map(|(sort, label)| {
        view! { <option value=sort.as_str() selected=sort == current>{label.get(script)}</option> }
    })
    .collect_view();
    view! {
        <div class="gk-library__sort gk-library__js">
            <label class="gk-library__sort-label" for="gk-library-sort">{Msg::SearchSort.get(script)}</label>
            <select
                class="gk-library__sort-select"
                id="gk-library-sort"
                on:change=move |e| {
                    let sort = event_target_value(&e).parse().unwrap_or_default();
                    let next = LibraryParams { sort, ..UrlState::latest(now, &params) };
                    go(&navigate, base, AppRoute::Library { params: next, page: 1 }, script, "gk-library-sort");
                }
            >
                {options}
            </select>
        </div>
    }
}

/// 按文号查找: finds a notice by its 文号 in any common form.
#[component]
fn DocNoBox(
    /// The state (the box shows its 文号).
    params: LibraryParams,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let navigate = use_navigate();
    let base = use_base();
    let now = use_context::<UrlState>();
    let shown = params.clone();
    let on_submit = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let text = input
            .get_untracked()
            .map(|i| i.value())
            .unwrap_or_default()
            .trim()
            .to_owned();
        // A 文号 names one notice: it is looked for among them all.
        let next = LibraryParams {
            docno: (!text.is_empty()).then_some(text),
            sort: UrlState::latest(now, &shown).sort,
            ..LibraryParams::default()
        };
        go(
            &navigate,
            base,
            AppRoute::Library {
                params: next,
                page: 1,
            },
            script,
            "gk-docno",
        );
    };
    view! {
        <form class="gk-docno gk-library__js" role="search" aria-label=Msg::DocNoBox.get(script) on:submit=on_submit>
            <label class="gk-docno__label" for="gk-docno">{Msg::DocNoBox.get(script)}</label>
            <input
                class="gk-docno__input"
                id="gk-docno"
                type="search"
                name=DOCNO_PARAM
                maxlength=MAX_DOCNO_CHARS.to_string()
                aria-describedby="gk-docno-hint"
                value=params.docno.clone().unwrap_or_default()
                node_ref=input
            />
            <button class="gk-docno__button" type="submit">{Msg::DocNoButton.get(script)}</button>
            <p class="gk-docno__hint" id="gk-docno-hint">{Msg::DocNoHint.get(script)}</p>
        </form>
    }
}

/// What the 文号 box found, in words.
#[component]
fn DocNoMessage(
    /// The outcome.
    note: DocNoNote,
    /// Documents listed.
    total: usize,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    let text = match note {
        DocNoNote::None => return ().into_any(),
        DocNoNote::NotADocNo(text) => Msg::DocNoInvalid.fill(script, &[&text]),
        DocNoNote::Found { text, .. } if total == 0 => Msg::DocNoNone.fill(script, &[&text]),
        DocNoNote::Found { text, exact: 0 } => Msg::DocNoSimilar.fill(script, &[&text]),
        DocNoNote::Found { text, exact } => Msg::DocNoFound.fill(script, &[&text, &exact]),
    };
    view! { <p class="gk-docno__result">{text}</p> }.into_any()
}

/// The documents of the page, with their 文号, 成文日期 and 有效性 (in words
/// where it is not 有效).
#[component]
fn LibraryList(
    /// The rows.
    rows: Vec<LibraryRow>,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="gk-list__empty">{Msg::NoMatches.get(script)}</p> }.into_any();
    }
    let base = use_base();
    view! {
        <ul class="gk-list gk-library__list">
            <For
                each=move || rows.clone()
                key=|row| row.id.clone()
                children=move |row| {
                    let href = AppRoute::Article { id: row.id.clone() }.href(base, script);
                    let entry = row.favourite();
                    let status = row.validity.filter(|v| *v != Validity::Valid).map(|v| view! {
                        <span class=format!("gk-badge gk-badge--{}", v.slug())>{Msg::validity(v).get(script)}</span>
                    });
                    let doc_no = row.doc_no.clone().map(|d| view! {
                        <span class="gk-list__docno">{format!("{}:{d}", Msg::DocNo.get(script))}</span>
                    });
                    let written = row.written.clone().map(|w| view! {
                        <span class="gk-list__written">{format!("{}:{w}", Msg::WrittenDate.get(script))}</span>
                    });
                    view! {
                        <li class="gk-list__item">
                            <a class="gk-list__title" href=href>{row.title.clone()}</a>
                            <span class="gk-list__meta">
                                {status}
                                {doc_no}
                                {written}
                                <span class="gk-list__column">{row.column.clone()}</span>
                                <time class="gk-list__date" datetime=row.date_published.clone()>{row.date.clone()}</time>
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
