//! The fallback route: 页面不存在.

use crate::app::Site;
use crate::components::{set_document_title, NotFound};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Any route the app does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let site = expect_context::<Site>();
    let path = use_location().pathname.get_untracked();
    Effect::new(move |_| set_document_title("页面不存在", site.manifest_now().as_deref()));
    view! { <NotFound what=format!("地址“{path}”对应的页面")/> }
}
