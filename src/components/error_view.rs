//! Loading placeholder, the error page with 重试, and the 404 page.

use crate::api::{AppError, Missing};
use crate::app::Site;
use crate::components::set_document_title;
use crate::i18n::Msg;
use crate::routes::{use_base, AppRoute};
use crate::state::Settings;
use gongkai_core::bundle::Variant;
use leptos::prelude::*;

/// The reader's script from context; 简体 where there are no settings
/// (components mounted on their own, as in tests).
pub(crate) fn current_script() -> Variant {
    use_context::<Settings>()
        .map(|s| s.script.get_untracked())
        .unwrap_or_default()
}

/// A placeholder shown while the first data of a page loads. It reserves the
/// space the content will take so that nothing jumps when it arrives.
#[component]
pub fn Loading() -> impl IntoView {
    let script = current_script();
    view! {
        <div class="gk-loading" role="status">
            <p class="gk-loading__text">{Msg::Loading.get(script)}</p>
        </div>
    }
}

/// 页面不存在: for unknown routes, article ids and page numbers.
#[component]
pub fn NotFound(
    /// What was looked for.
    what: Missing,
) -> impl IntoView {
    let script = current_script();
    let base = use_base();
    let manifest = use_context::<Site>().and_then(|s| s.manifest_now());
    let title = Msg::NotFoundTitle.get(script);
    set_document_title(title, manifest.map(|m| m.localize(script)).as_ref());
    view! {
        <section class="gk-status gk-status--not-found">
            <h1 class="gk-status__title">{title}</h1>
            <p class="gk-status__text">{Msg::NotFoundText.fill(script, &[&what.describe(script)])}</p>
            <p class="gk-status__text">
                <a class="gk-status__link" href=AppRoute::Home { page: 1 }.href(base, script)>
                    {Msg::BackHome.get(script)}
                </a>
            </p>
        </section>
    }
}

/// The error page: names what failed and offers 重试. A [`AppError::NotFound`]
/// among the errors renders the 404 page instead.
#[component]
pub fn ErrorView(
    /// The errors caught by the boundary.
    errors: ArcRwSignal<Errors>,
    /// Refetches what failed.
    #[prop(into)]
    retry: Callback<()>,
) -> impl IntoView {
    // The boundary renders its fallback once and keeps it while any error
    // remains, so a 重试 that fails in another way replaces the errors under
    // a standing fallback: read them tracked, or the page names the old one.
    move || error_panel(&errors.get(), retry)
}

fn error_panel(errors: &Errors, retry: Callback<()>) -> AnyView {
    let script = current_script();
    let app_errors: Vec<AppError> = errors
        .iter()
        .filter_map(|(_, e)| e.downcast_ref::<AppError>().cloned())
        .collect();
    if let Some(AppError::NotFound(what)) = app_errors
        .iter()
        .find(|e| matches!(e, AppError::NotFound(_)))
    {
        return view! { <NotFound what=what.clone()/> }.into_any();
    }
    let manifest = use_context::<Site>().and_then(|s| s.manifest_now());
    set_document_title(
        Msg::ErrorTitle.get(script),
        manifest.map(|m| m.localize(script)).as_ref(),
    );
    let messages: Vec<String> = if app_errors.is_empty() {
        errors.iter().map(|(_, e)| e.to_string()).collect()
    } else {
        app_errors.iter().map(|e| e.describe(script)).collect()
    };
    view! {
        <section class="gk-status gk-status--error" role="alert">
            <h1 class="gk-status__title">{Msg::ErrorTitle.get(script)}</h1>
            <p class="gk-status__text">{Msg::ErrorText.get(script)}</p>
            <ul class="gk-status__details">
                {messages
                    .into_iter()
                    .map(|m| view! { <li class="gk-status__detail">{m}</li> })
                    .collect_view()}
            </ul>
            <button type="button" class="gk-button" on:click=move |_| retry.run(())>
                {Msg::Retry.get(script)}
            </button>
        </section>
    }
    .into_any()
}
