//! `/article/:id`: one notice with its metadata, body and attachments.

use crate::api::{load_article, AppError};
use crate::app::Site;
use crate::components::{
    set_document_title, AttachmentList, Breadcrumbs, Crumb, ErrorView, Loading, MetaBlock,
    NeighbourNav,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The article page.
#[component]
pub fn ArticlePage() -> impl IntoView {
    let site = expect_context::<Site>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let site_for_fetch = site.clone();
    let data = LocalResource::new(move || {
        let site = site_for_fetch.clone();
        let id = id.get();
        async move {
            let manifest = site.manifest.await?;
            let article = load_article(&site.bundle, &manifest, &id).await?;
            Ok::<_, AppError>((manifest, article))
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
                    let (manifest, article) = data.await?;
                    let item = article.item;
                    let column = article.column;
                    set_document_title(&item.title, Some(&manifest));
                    let trail = vec![
                        Crumb::link("首页", "/"),
                        Crumb::link(manifest.section.clone(), "/"),
                        Crumb::link(column.name.clone(), format!("/column/{}", column.id)),
                        Crumb::here(item.title.clone()),
                    ];
                    let void = item.gov.validity.filter(|v| v.is_void()).map(|v| {
                        view! {
                            <p class=format!("gk-article__status gk-article__status--{}", v.slug()) role="note">
                                <strong>{format!("本文件{}", v.as_str())}</strong>
                                ",内容仅供查阅,不再作为办事依据。"
                            </p>
                        }
                    });
                    let body = item.content_html.clone().unwrap_or_default();
                    let attachments = item.attachments.clone();
                    Ok::<_, AppError>(view! {
                        <Breadcrumbs trail/>
                        <article class="gk-article">
                            <h1 class="gk-article__title">{item.title.clone()}</h1>
                            {void}
                            <MetaBlock item=item column=column/>
                            <div class="gk-article__body" inner_html=body></div>
                            <AttachmentList attachments/>
                        </article>
                        <NeighbourNav prev=article.prev next=article.next/>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
