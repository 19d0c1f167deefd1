//! `/article/:id`: one notice with its metadata, body and attachments.

use crate::api::{load_article, AppError, BundleLocation};
use crate::app::Site;
use crate::components::{download_links, set_feed_links, DownloadLinks, FavouriteButton};
use crate::components::{
    set_document_title, AttachmentList, Breadcrumbs, Crumb, ErrorView, FontSizeControl, Loading,
    MetaBlock, NeighbourNav,
};
use crate::components::{RelatedList, RelatedNotes};
use crate::i18n::Msg;
use crate::routes::{use_base, AppRoute};
use crate::state::{Favourite, FavouritesStore, Settings};
#[cfg(feature = "prerender")]
use crate::static_render::{Prerender, Prerendered};
use gongkai_core::bundle::{ArticleFile, Manifest, Variant};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
#[cfg(feature = "prerender")]
use std::sync::Arc;

/// The article page.
#[component]
pub fn ArticlePage() -> impl IntoView {
    // The build's static render: the data is already here. (Not in the
    // browser, where the wasm then carries no second copy of the view.)
    #[cfg(feature = "prerender")]
    if let Some(view) = prerendered() {
        return leptos::either::Either::Left(view);
    }
    let site = expect_context::<Site>();
    let settings = expect_context::<Settings>();
    let params = use_params_map();
    let query = use_query_map();
    // `?hl=…&match=…`: the search that led here; its terms are marked by
    // the search engine, which comes in a chunk of its own (crate::split)
    // only when there is something to mark.
    let highlight = Memo::new(move |_| {
        let q = query.read();
        Some((q.get("hl")?, q.get("match").unwrap_or_default()))
    });
    let body_ref = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let (Some(body), Some((text, mode))) = (body_ref.get(), highlight.get()) {
            let body: web_sys::Element = (*body).clone().into();
            leptos::task::spawn_local(crate::split::mark_search_terms(body, text, mode));
        }
    });
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let site_for_fetch = site.clone();
    let data = LocalResource::new(move || {
        let site = site_for_fetch.clone();
        let id = id.get();
        let script = settings.script.get();
        async move {
            let manifest = site.manifest_ready().await?;
            let article = load_article(&site.bundle, &manifest, script, &id).await?;
            Ok::<_, AppError>((
                manifest.localize(script),
                script,
                article,
                site.bundle.clone(),
            ))
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
                {move || Suspend::new(async move {
                    let (manifest, script, article, bundle) = data.await?;
                    set_document_title(&article.item.title, Some(&manifest));
                    set_feed_links(&bundle, &manifest, &article.column.id, &article.column.name, script);
                    Ok::<_, AppError>(view! { <ArticleView manifest article bundle script body_ref/> })
                })}
            </ErrorBoundary>
        </Transition>
    };
    #[cfg(feature = "prerender")]
    let view = leptos::either::Either::Right(view);
    view
}

/// The build's static render of an article: its view, with the data the
/// build provides (crate::static_render).
#[cfg(feature = "prerender")]
fn prerendered() -> Option<impl IntoView> {
    match crate::static_render::prerender()? {
        Prerender {
            manifest,
            script,
            content: Prerendered::Article(article, bundle),
            ..
        } => {
            let manifest = manifest.localize(script);
            let article = Arc::unwrap_or_clone(article);
            Some(view! { <ArticleView manifest article bundle script/> })
        }
        _ => None,
    }
}

/// A loaded notice: breadcrumbs, title, status, metadata, tools, body,
/// attachments and neighbours. Pure: the app renders it once the data has
/// arrived, and `gongkai build` renders it natively into the static page.
#[component]
pub fn ArticleView(
    /// The manifest, already in `script`.
    manifest: Manifest,
    /// The notice.
    article: ArticleFile,
    /// Where the bundle is (the 下载 links point into it).
    bundle: BundleLocation,
    /// The reader's script.
    script: Variant,
    /// The body element, for marking search terms.
    #[prop(optional)]
    body_ref: NodeRef<leptos::html::Div>,
) -> impl IntoView {
    let downloads = download_links(&article, script, |path| bundle.file_url(&manifest, path));
    let item = article.item;
    let column = article.column;
    let base = use_base();
    let home = AppRoute::Home { page: 1 }.href(base, script);
    let trail = vec![
        Crumb::link(Msg::Home.get(script), home.clone()),
        Crumb::link(manifest.section.clone(), home),
        Crumb::link(
            column.name.clone(),
            AppRoute::Column {
                id: column.id.clone(),
                page: 1,
            }
            .href(base, script),
        ),
        Crumb::here(item.title.clone()),
    ];
    // A notice another repeals says so by name (RelatedNotes); the plain
    // note is for one whose 有效性 alone says it no longer applies.
    let named = article
        .related
        .iter()
        .any(|r| r.role == gongkai_core::library::RelationRole::RepealedBy);
    let void = item.gov.validity.filter(|v| v.is_void() && !named).map(|v| {
        view! {
            <p class=format!("gk-article__status gk-article__status--{}", v.slug()) role="note">
                <strong>{Msg::VoidPrefix.fill(script, &[&Msg::validity(v).get(script)])}</strong>
                {Msg::VoidSuffix.get(script)}
            </p>
        }
    });
    let entry = Favourite::from_article(&item, &column);
    if let Some(store) = use_context::<FavouritesStore>() {
        store.track_current(entry.clone());
    }
    let body = item.content_html.clone().unwrap_or_default();
    let attachments = item.attachments.clone();
    let related = article.related.clone();
    view! {
        <Breadcrumbs trail script/>
        <article class="gk-article">
            <h1 class="gk-article__title">{item.title.clone()}</h1>
            {void}
            <RelatedNotes related=related.clone() script/>
            <MetaBlock item=item column=column script/>
            <div class="gk-article__tools">
                <FontSizeControl/>
                <DownloadLinks links=downloads script/>
                <FavouriteButton entry/>
            </div>
            <div class="gk-article__body" node_ref=body_ref inner_html=body></div>
            <AttachmentList attachments script/>
            <RelatedList related script/>
        </article>
        <NeighbourNav prev=article.prev next=article.next script/>
    }
}
