//! `/` and `/column/:id`: a paginated list of notices.

use crate::api::{load_list, AppError, Missing};
use crate::app::Site;
use crate::components::{
    set_document_title, set_feed_links, Breadcrumbs, Crumb, ErrorView, Loading, NoticeList, Pager,
    Subscribe,
};
use crate::format::parse_page;
use crate::i18n::Msg;
use crate::routes::{use_base, AppRoute};
use crate::state::Settings;
#[cfg(feature = "prerender")]
use crate::static_render::{Prerender, Prerendered};
use gongkai_core::bundle::{ListGov, ListPage, Manifest, Variant, ALL_LIST};
use gongkai_core::gov::ColumnKind;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
#[cfg(feature = "prerender")]
use std::sync::Arc;

/// The home page: every column's notices, newest first.
#[component]
pub fn HomePage() -> impl IntoView {
    view! { <ListLoader list=Signal::stored(ALL_LIST.to_owned())/> }
}

/// One column's notices.
#[component]
pub fn ColumnPage() -> impl IntoView {
    let params = use_params_map();
    let list = Signal::derive(move || params.read().get("id").unwrap_or_default());
    view! { <ListLoader list/> }
}

/// A list page of `list` (`all` or a column id); the page number is `?page=`.
#[component]
fn ListLoader(
    /// `all` or a column id.
    list: Signal<String>,
) -> impl IntoView {
    // The build's static render: the data is already here. (Not in the
    // browser, where the wasm then carries no second copy of the view.)
    #[cfg(feature = "prerender")]
    if let Some(view) = prerendered() {
        return leptos::either::Either::Left(view);
    }
    let site = expect_context::<Site>();
    let settings = expect_context::<Settings>();
    let query = use_query_map();
    let page = Memo::new(move |_| parse_page(query.read().get("page").as_deref()));
    let site_for_fetch = site.clone();
    let data = LocalResource::new(move || {
        let site = site_for_fetch.clone();
        let list = list.get();
        let page = page.get();
        let script = settings.script.get();
        async move {
            let manifest = site.manifest_ready().await?;
            let page = page.ok_or(AppError::NotFound(Missing::Page { page: 0, pages: 0 }))?;
            let data = load_list(&site.bundle, &manifest, script, &list, page).await?;
            Ok::<_, AppError>((manifest.localize(script), script, data))
        }
    });
    let manifest = site.manifest;
    let retry = move || {
        manifest.refetch();
        data.refetch();
    };

    let view = view! {
        <Transition fallback=|| view! { <Loading/> }>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry/> }>
                {move || {
                let site_for_links = site.clone();
                Suspend::new(async move {
                    let (manifest, script, page) = data.await?;
                    set_document_title(&list_title(&manifest, &page.gov, script), Some(&manifest));
                    let (name, _) = heading(&manifest, &page.gov);
                    set_feed_links(&site_for_links.bundle, &manifest, &page.gov.list, &name, script);
                    Ok::<_, AppError>(view! { <ListView manifest page script/> })
                })
                }}
            </ErrorBoundary>
        </Transition>
    };
    #[cfg(feature = "prerender")]
    let view = leptos::either::Either::Right(view);
    view
}

/// The build's static render of a list page: its view, with the data the
/// build provides (crate::static_render).
#[cfg(feature = "prerender")]
fn prerendered() -> Option<impl IntoView> {
    match crate::static_render::prerender()? {
        Prerender {
            manifest,
            script,
            content: Prerendered::List(page),
            ..
        } => {
            let manifest = manifest.localize(script);
            let page = Arc::unwrap_or_clone(page);
            Some(view! { <ListView manifest page script/> })
        }
        _ => None,
    }
}

/// The heading of a list (the section for `all`, else the column's name)
/// and the route it is at.
fn heading(manifest: &Manifest, gov: &ListGov) -> (String, AppRoute) {
    if gov.list == ALL_LIST {
        (manifest.section.clone(), AppRoute::Home { page: gov.page })
    } else {
        let name = manifest
            .column(&gov.list)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| gov.list.clone());
        (
            name,
            AppRoute::Column {
                id: gov.list.clone(),
                page: gov.page,
            },
        )
    }
}

/// The page part of a list's document title: its heading, with the page
/// number after page 1. `manifest` is already in `script`.
pub fn list_title(manifest: &Manifest, gov: &ListGov, script: Variant) -> String {
    let (heading, _) = heading(manifest, gov);
    if gov.page > 1 {
        Msg::TitleWithPage.fill(script, &[&heading, &gov.page])
    } else {
        heading
    }
}

/// A loaded list page: breadcrumbs, heading, count, notices and pager. Pure:
/// the app renders it once the data has arrived, and `gongkai build` renders
/// it natively into the static page of the same URL.
#[component]
pub fn ListView(
    /// The manifest, already in `script`.
    manifest: Manifest,
    /// The list page.
    page: ListPage,
    /// The reader's script.
    script: Variant,
) -> impl IntoView {
    let gov = page.gov;
    let bundle = expect_context::<Site>().bundle;
    let base = use_base();
    let home = AppRoute::Home { page: 1 };
    let (heading, route) = heading(&manifest, &gov);
    let mut trail = vec![Crumb::link(Msg::Home.get(script), home.href(base, script))];
    if gov.list == ALL_LIST {
        trail.push(Crumb::here(manifest.section.clone()));
    } else {
        trail.push(Crumb::link(
            manifest.section.clone(),
            home.href(base, script),
        ));
        trail.push(Crumb::here(heading.clone()));
    }
    // The 指南 column leads to 依申请公开 (条例 Art. 12: the guide names
    // how to apply).
    let is_guide = manifest
        .column(&gov.list)
        .is_some_and(|c| c.kind == Some(ColumnKind::Guide));
    let apply = (is_guide && manifest.apply.is_some()).then(|| {
        view! {
            <p class="gk-listing__apply">
                <a class="gk-listing__apply-link" href=AppRoute::Apply.href(base, script)>
                    {Msg::ApplyFromGuide.get(script)}
                </a>
            </p>
        }
    });
    view! {
        <Breadcrumbs trail script/>
        <section class="gk-listing">
            <h1 class="gk-listing__title">{heading}</h1>
            {apply}
            <p class="gk-listing__count">{Msg::Count.fill(script, &[&gov.total])}</p>
            <NoticeList items=page.items script/>
            <Pager route page=gov.page pages=gov.pages script/>
            <Subscribe manifest=manifest.clone() bundle=bundle list=gov.list.clone() script/>
        </section>
    }
}
