//! `/` and `/column/:id`: a paginated list of notices.

use crate::api::{load_list, AppError};
use crate::app::Site;
use crate::components::{
    set_document_title, Breadcrumbs, Crumb, ErrorView, Loading, NoticeList, Pager,
};
use crate::format::parse_page;
use gongkai_core::bundle::ALL_LIST;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The home page: every column's notices, newest first.
#[component]
pub fn HomePage() -> impl IntoView {
    view! { <ListPage list=Signal::stored(ALL_LIST.to_owned())/> }
}

/// One column's notices.
#[component]
pub fn ColumnPage() -> impl IntoView {
    let params = use_params_map();
    let list = Signal::derive(move || params.read().get("id").unwrap_or_default());
    view! { <ListPage list/> }
}

/// A list page of `list` (`all` or a column id); the page number is `?page=`.
#[component]
fn ListPage(
    /// `all` or a column id.
    list: Signal<String>,
) -> impl IntoView {
    let site = expect_context::<Site>();
    let query = use_query_map();
    let page = Memo::new(move |_| parse_page(query.read().get("page").as_deref()));
    let site_for_fetch = site.clone();
    let data = LocalResource::new(move || {
        let site = site_for_fetch.clone();
        let list = list.get();
        let page = page.get();
        async move {
            let manifest = site.manifest.await?;
            let page = page.ok_or_else(|| AppError::NotFound("该页码".to_owned()))?;
            let data = load_list(&site.bundle, &manifest, &list, page).await?;
            Ok::<_, AppError>((manifest, data))
        }
    });
    let manifest = site.manifest;
    let retry = move || {
        manifest.refetch();
        data.refetch();
    };

    view! {
        <Transition fallback=|| view! { <Loading/> }>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry/> }>
                {move || Suspend::new(async move {
                    let (manifest, page) = data.await?;
                    let gov = page.gov;
                    let (heading, path) = if gov.list == ALL_LIST {
                        (manifest.section.clone(), "/".to_owned())
                    } else {
                        let name = manifest
                            .column(&gov.list)
                            .map(|c| c.name.clone())
                            .unwrap_or_else(|| gov.list.clone());
                        (name, format!("/column/{}", gov.list))
                    };
                    let title = if gov.page > 1 {
                        format!("{heading}(第 {} 页)", gov.page)
                    } else {
                        heading.clone()
                    };
                    set_document_title(&title, Some(&manifest));
                    let mut trail = vec![Crumb::link("首页", "/")];
                    if gov.list == ALL_LIST {
                        trail.push(Crumb::here(manifest.section.clone()));
                    } else {
                        trail.push(Crumb::link(manifest.section.clone(), "/"));
                        trail.push(Crumb::here(heading.clone()));
                    }
                    Ok::<_, AppError>(view! {
                        <Breadcrumbs trail/>
                        <section class="gk-listing">
                            <h1 class="gk-listing__title">{heading}</h1>
                            <p class="gk-listing__count">{format!("共 {} 条", gov.total)}</p>
                            <NoticeList items=page.items/>
                            <Pager path page=gov.page pages=gov.pages/>
                        </section>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
