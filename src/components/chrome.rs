//! The page chrome: top bar, masthead with the column navigation, footer.

use crate::app::Site;
use gongkai_core::bundle::Manifest;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Sets `document.title` to `page - department - site`, the order screen
/// readers and browser tabs make most useful (the specific part first).
pub fn set_document_title(page: &str, manifest: Option<&Manifest>) {
    let title = match manifest {
        Some(m) => format!("{page} - {} - {}", m.department, m.site_name),
        None => page.to_owned(),
    };
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&title);
    }
}

/// The top bar of the original page: script, accessibility, elder mode,
/// favourites, and the portal's account links.
#[component]
pub fn TopBar() -> impl IntoView {
    let site = expect_context::<Site>();
    let account = move || {
        site.manifest_now().map(|m| {
            view! {
                <a class="gk-topbar__link" href=m.login_url.clone()>"登录"</a>
                <a class="gk-topbar__link" href=m.register_url.clone()>"注册"</a>
            }
        })
    };
    view! {
        <div class="gk-topbar">
            <div class="gk-topbar__inner gk-container">
                <div class="gk-topbar__tools">
                    <div class="gk-topbar__group" role="group" aria-label="字形">
                        <button type="button" class="gk-topbar__button" aria-pressed="true">
                            "简体"
                        </button>
                        <button type="button" class="gk-topbar__button" aria-pressed="false">
                            "繁體"
                        </button>
                    </div>
                    <button type="button" class="gk-topbar__button">"无障碍阅读"</button>
                    <button type="button" class="gk-topbar__button">"长者模式"</button>
                    <button type="button" class="gk-topbar__button">"加入收藏"</button>
                </div>
                <div class="gk-topbar__account">{account}</div>
            </div>
        </div>
    }
}

/// Site name, department, section title and the column navigation.
#[component]
pub fn Masthead() -> impl IntoView {
    let site = expect_context::<Site>();
    let location = use_location();
    let site_for_head = site.clone();
    let head = move || {
        site_for_head.manifest_now().map(|m| {
            view! {
                <a class="gk-masthead__site" href="/">{m.site_name.clone()}</a>
                <span class="gk-masthead__dept">{m.department.clone()}</span>
            }
        })
    };
    let nav = move || {
        site.manifest_now().map(|m| {
            let path = location.pathname;
            let columns = m.columns.clone();
            view! {
                <nav class="gk-colnav" aria-label="栏目">
                    <ul class="gk-colnav__list gk-container">
                        <li class="gk-colnav__item">
                            <a
                                class="gk-colnav__link"
                                href="/"
                                aria-current=move || (path.get() == "/").then_some("page")
                            >
                                "全部"
                            </a>
                        </li>
                        <For
                            each=move || columns.clone()
                            key=|c| c.id.clone()
                            children=move |c| {
                                let href = format!("/column/{}", c.id);
                                let target = href.clone();
                                view! {
                                    <li class="gk-colnav__item">
                                        <a
                                            class="gk-colnav__link"
                                            href=href
                                            aria-current=move || (path.get() == target).then_some("page")
                                        >
                                            {c.name}
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
                <p class="gk-masthead__section">"政府信息公开"</p>
            </div>
        </header>
        <div class="gk-colnav-slot">{nav}</div>
    }
}

/// The footer: who publishes the site.
#[component]
pub fn SiteFooter() -> impl IntoView {
    let site = expect_context::<Site>();
    let text = move || {
        site.manifest_now()
            .map(|m| format!("{} {} 主办", m.site_name, m.department))
    };
    view! {
        <footer class="gk-footer">
            <div class="gk-container">
                <p class="gk-footer__text">{text}</p>
            </div>
        </footer>
    }
}
