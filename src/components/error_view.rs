//! Loading placeholder, the error page with 重试, and the 404 page.

use crate::api::AppError;
use crate::app::Site;
use leptos::prelude::*;

/// A placeholder shown while the first data of a page loads. It reserves the
/// space the content will take so that nothing jumps when it arrives.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="gk-loading" role="status">
            <p class="gk-loading__text">"正在加载…"</p>
        </div>
    }
}

/// 页面不存在: for unknown routes, article ids and page numbers.
#[component]
pub fn NotFound(
    /// What was looked for, e.g. `编号为“x”的信息`.
    #[prop(into)]
    what: String,
) -> impl IntoView {
    view! {
        <section class="gk-status gk-status--not-found">
            <h1 class="gk-status__title">"页面不存在"</h1>
            <p class="gk-status__text">{format!("未找到{what}。它可能已被移动或删除,或者链接有误。")}</p>
            <p class="gk-status__text">
                <a class="gk-status__link" href="/">"返回首页"</a>
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
    let manifest = use_context::<Site>().and_then(|s| s.manifest_now());
    let errors = errors.get_untracked();
    let app_errors: Vec<AppError> = errors
        .iter()
        .filter_map(|(_, e)| e.downcast_ref::<AppError>().cloned())
        .collect();
    if let Some(AppError::NotFound(what)) = app_errors
        .iter()
        .find(|e| matches!(e, AppError::NotFound(_)))
    {
        crate::components::set_document_title("页面不存在", manifest.as_deref());
        return view! { <NotFound what=what.clone()/> }.into_any();
    }
    crate::components::set_document_title("加载失败", manifest.as_deref());
    let messages: Vec<String> = if app_errors.is_empty() {
        errors.iter().map(|(_, e)| e.to_string()).collect()
    } else {
        app_errors.iter().map(ToString::to_string).collect()
    };
    view! {
        <section class="gk-status gk-status--error" role="alert">
            <h1 class="gk-status__title">"加载失败"</h1>
            <p class="gk-status__text">"页面内容未能加载。请检查网络后重试;如果问题持续,请联系网站管理员并告知以下信息:"</p>
            <ul class="gk-status__details">
                {messages
                    .into_iter()
                    .map(|m| view! { <li class="gk-status__detail">{m}</li> })
                    .collect_view()}
            </ul>
            <button type="button" class="gk-button" on:click=move |_| retry.run(())>
                "重试"
            </button>
        </section>
    }
    .into_any()
}
