//! The fallback route: 页面不存在.

use crate::api::Missing;
use crate::app::Site;
use crate::components::NotFound;
use crate::state::Settings;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Any route the app does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let site = expect_context::<Site>();
    let settings = expect_context::<Settings>();
    let path = use_location().pathname;
    move || {
        // Re-render when the manifest arrives (for the document title) or
        // the script changes.
        let _ = site.manifest.get();
        let _ = settings.script.get();
        view! { <NotFound what=Missing::Path(path.get())/> }
    }
}
