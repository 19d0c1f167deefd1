//! The page chrome: top bar, masthead with the column navigation (the
//! footer is `footer.rs`).

use crate::app::Site;
use crate::components::{FavouritesLink, TopBarFavourite};
use crate::i18n::Msg;
use crate::routes::{same_path, script_target, use_base, AppRoute};
use crate::state::{Settings, Toolbar};
use gongkai_core::bundle::{Manifest, Variant};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// Sets `document.title` to `page - department - site`, the order screen
/// readers and browser tabs make most useful (the specific part first).
/// Embedded in a host page, the title is the host's and is left alone.
pub fn set_document_title(page: &str, manifest: Option<&Manifest>) {
    if !crate::embed::owns_document() {
        return;
    }
    let title = match manifest {
        Some(m) => format!("{page} - {} - {}", m.department, m.site_name),
        None => page.to_owned(),
    };
    // The build's native render writes the title into the page's <head>.
    if !crate::static_render::RenderTarget::current().is_browser() {
        return;
    }
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&title);
    }
}

/// The manifest in the reader's script, once it has loaded.
pub(crate) fn localized_manifest(site: &Site, settings: Settings) -> Option<Manifest> {
    site.manifest_now()
        .map(|m| m.localize(settings.script.get()))
}

/// One of the 简体 / 繁體 buttons: switches the script in place, keeping
/// the route and the rest of the query.
#[component]
fn ScriptButton(
    /// The script this button selects.
    target: Variant,
    /// Its label, the same in both scripts.
    label: &'static str,
) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let location = use_location();
    let navigate = use_navigate();
    let select = move |_| {
        if settings.script.get_untracked() == target {
            return;
        }
        // A path on this site, whatever the location holds (`//host/`).
        let url = script_target(
            &location.pathname.get_untracked(),
            &location.search.get_untracked(),
            &location.hash.get_untracked(),
            target,
        );
        // Set the script first: the URL sync only ever reads `lang` when
        // present, and 简体 is expressed by its absence.
        settings.script.set(target);
        // Replace, not push: the script is a reading preference, and Back
        // should leave the page rather than flip the script again.
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                // The path already carries the router's base.
                resolve: false,
                ..Default::default()
            },
        );
    };
    view! {
        <button
            type="button"
            class="gk-topbar__button"
            lang=target.as_str()
            // Run by public/gk-boot.js until the app takes the page over.
            data-gk-set=format!("script:{}", target.as_str())
            aria-pressed=move || if settings.script.get() == target { "true" } else { "false" }
            on:click=select
        >
            {label}
        </button>
    }
}

/// The top bar of the original page: script, accessibility, elder mode,
/// favourites, and the portal's account links.
#[component]
pub fn TopBar() -> impl IntoView {
    let site = expect_context::<Site>();
    let settings = expect_context::<Settings>();
    let text = move |m: Msg| m.get(settings.script.get());
    let account = move || {
        site.manifest_now().map(|m| {
            view! {
                <a class="gk-topbar__link" href=m.login_url.clone()>{move || text(Msg::Login)}</a>
                <a class="gk-topbar__link" href=m.register_url.clone()>{move || text(Msg::Register)}</a>
            }
        })
    };
    view! {
        <div class="gk-topbar">
            <div class="gk-topbar__inner gk-container">
                <div class="gk-topbar__tools">
                    <div class="gk-topbar__group" role="group" aria-label=move || text(Msg::ScriptGroup)>
                        <ScriptButton target=Variant::Hans label="简体"/>
                        <ScriptButton target=Variant::Hant label="繁體"/>
                    </div>
                    <button
                        type="button"
                        class="gk-topbar__button"
                        aria-expanded=move || if settings.toolbar.get() == Toolbar::Open { "true" } else { "false" }
                        aria-controls="gk-a11ybar"
                        data-gk-set="toolbar:toggle"
                        on:click=move |_| settings.toolbar.update(|t| {
                            *t = if *t == Toolbar::Open { Toolbar::Closed } else { Toolbar::Open }
                        })
                    >
                        {move || text(Msg::Accessibility)}
                    </button>
                    <button
                        type="button"
                        class="gk-topbar__button"
                        aria-pressed=move || settings.elder.get().pressed()
                        data-gk-set="elder:toggle"
                        on:click=move |_| settings.elder.update(|m| *m = m.toggled())
                    >
                        {move || text(Msg::ElderMode)}
                    </button>
                    <TopBarFavourite/>
                </div>
                <div class="gk-topbar__account">
                    <FavouritesLink/>
                    {account}
                </div>
            </div>
        </div>
    }
}

/// Site name, department, section title and the column navigation.
#[component]
pub fn Masthead() -> impl IntoView {
    let site = expect_context::<Site>();
    let settings = expect_context::<Settings>();
    let location = use_location();
    let base = use_base();
    let site_for_head = site.clone();
    let head = move || {
        let script = settings.script.get();
        localized_manifest(&site_for_head, settings).map(|m| {
            view! {
                <a class="gk-masthead__site" href=AppRoute::Home { page: 1 }.href(base, script)>
                    {m.site_name}
                </a>
                <span class="gk-masthead__dept">{m.department}</span>
            }
        })
    };
    let site_for_section = site.clone();
    let section = move || {
        localized_manifest(&site_for_section, settings)
            .map(|m| m.section)
            .unwrap_or_else(|| Msg::Section.get(settings.script.get()).to_owned())
    };
    let nav = move || {
        let script = settings.script.get();
        localized_manifest(&site, settings).map(|m| {
            let path = location.pathname;
            let all = AppRoute::Home { page: 1 };
            let links = std::iter::once((all.path(base), all.href(base, script), Msg::AllColumns.get(script).to_owned()))
                .chain(m.columns.into_iter().map(|c| {
                    let route = AppRoute::Column { id: c.id, page: 1 };
                    (route.path(base), route.href(base, script), c.name)
                }))
                .chain(std::iter::once({
                    let library = AppRoute::Library { params: Default::default(), page: 1 };
                    (library.path(base), library.href(base, script), Msg::Library.get(script).to_owned())
                }))
                // 依申请公开, when the section says how to apply.
                .chain(m.apply.is_some().then(|| {
                    let route = AppRoute::Apply;
                    (route.path(base), route.href(base, script), Msg::ApplyTitle.get(script).to_owned())
                }))
                .collect::<Vec<_>>();
            view! {
                <nav class="gk-colnav" aria-label=Msg::ColumnNav.get(script)>
                    <ul class="gk-colnav__list gk-container">
                        <For
                            each=move || links.clone()
                            key=|(target, href, name)| (target.clone(), href.clone(), name.clone())
                            children=move |(target, href, name)| {
                                view! {
                                    <li class="gk-colnav__item">
                                        <a
                                            class="gk-colnav__link"
                                            href=href
                                            aria-current=move || same_path(&path.get(), &target).then_some("page")
                                        >
                                            {name}
                                        </a>
                                    </li>
                                }
                            }
                        />
                    </ul>
                </nav>
            }
        })
    };
    view! {
        <header class="gk-masthead">
            <div class="gk-masthead__inner gk-container">
                <div class="gk-masthead__brand">{head}</div>
                <p class="gk-masthead__section">{section}</p>
            </div>
        </header>
        <div class="gk-colnav-slot">{nav}</div>
    }
}
