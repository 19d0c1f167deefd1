//! `<App/>`: the site context, the router and the routes.

use crate::api::{load_manifest, AppError, BundleLocation};
use crate::components::{
    event_target, on_pointer_move, A11yBar, Captions, FavouritesNoticeBar, Masthead, ReadingAids,
    ReadingGuide, SearchForm, SiteFooter, TopBar,
};
use crate::embed::{EmbedMode, MountSettings, PortalOverrides, ThemeToken};
use crate::i18n::Msg;
use crate::pages::NotFoundPage;
use crate::routes::{script_target, with_script, Base, LANG_PARAM};
use crate::search::SearchCache;
use crate::split::{
    ApplyRoute, ArticleRoute, ColumnRoute, FavouritesRoute, HomeRoute, LibraryRoute, SearchRoute,
};
use crate::state::Settings;
use crate::state::{ElderMode, FavouritesStore, SettingsRecord};
use crate::static_render::RenderTarget;
use gongkai_core::bundle::Manifest;
use gongkai_core::bundle::Variant;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::path;
use leptos_router::{Lazy, NavigateOptions};
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The parts of the first render, each in a task of its own ([`App`]).
const RENDER_PARTS: u8 = 5;

/// Default bundle location, relative to the document's base URL.
pub const DEFAULT_BUNDLE: &str = "bundle/";

/// How the app was mounted: read once from the mount element's data
/// attributes (docs/embedding.md lists them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    /// Where the bundle lives (`data-bundle`).
    pub bundle: BundleLocation,
    /// Router base path: empty, or `/xxgk` (`data-base`).
    pub base: String,
    /// Standalone page, in-page embed or iframe.
    pub mode: EmbedMode,
    /// The portal's 登录 / 注册 URLs and site name, over the manifest's.
    pub portal: PortalOverrides,
    /// Theme colours for the root's `--gk-theme-*` properties.
    pub theme: Vec<(ThemeToken, String)>,
}

/// The site-wide context: where the bundle is and the manifest resource.
///
/// The manifest is one resource for the whole app so that every page, the
/// masthead and the top bar share a single request, and a 重试 on any page
/// refetches it for all of them.
#[derive(Clone)]
pub struct Site {
    /// Where the bundle lives.
    pub bundle: BundleLocation,
    /// `manifest.json`, loaded once.
    pub manifest: LocalResource<Result<Arc<Manifest>, AppError>>,
}

impl Site {
    /// The manifest if it has loaded successfully (for chrome that can wait).
    pub fn manifest_now(&self) -> Option<Arc<Manifest>> {
        self.manifest.get().and_then(Result::ok)
    }

    /// The manifest, once loaded, awaited without subscribing the caller to
    /// it. A loader that awaited the resource itself would be re-run when
    /// the manifest arrives and fetch its data a second time on every cold
    /// start; retrying refetches both explicitly instead.
    pub async fn manifest_ready(&self) -> Result<Arc<Manifest>, AppError> {
        let manifest = std::future::IntoFuture::into_future(self.manifest);
        leptos::reactive::computed::ScopedFuture::new_untracked(manifest).await
    }
}

/// The whole app.
#[component]
pub fn App(
    /// Mount configuration.
    config: AppConfig,
) -> impl IntoView {
    // This app's router base, for every link it makes (crate::routes::Base).
    provide_context(Base::new(&config.base));
    // How the app is embedded and what it renders for: fixed for its life,
    // read by the components that touch the document.
    provide_context(config.mode.clone());
    let prerender = crate::static_render::prerender();
    let target = if prerender.is_some() {
        RenderTarget::StaticPage
    } else {
        RenderTarget::Browser
    };
    provide_context(target);
    let bundle = config.bundle.clone();
    let portal = config.portal.clone();
    let preloaded = prerender.as_ref().map(|p| p.manifest.clone());
    let start = prerender.as_ref().map(|p| p.content.start_mode().as_str());
    let manifest = LocalResource::new(move || {
        let bundle = bundle.clone();
        let portal = portal.clone();
        let preloaded = preloaded.clone();
        async move {
            // The build's static render has the manifest already (and no
            // browser to fetch with); the resource is then ready at once.
            let loaded = match preloaded {
                Some(m) => Ok(m),
                None => load_manifest(&bundle).await,
            };
            loaded.map(|m| Arc::new(portal.apply(Arc::unwrap_or_clone(m))))
        }
    });
    provide_context(Site {
        bundle: config.bundle,
        manifest,
    });
    let settings = Settings::from_storage();
    provide_context(settings);
    match prerender {
        // A static page is the page in its own script, with no favourites.
        Some(p) => {
            settings.script.set(p.script);
            provide_context(p.favourites);
        }
        None => {
            FavouritesStore::provide();
        }
    }
    let root = NodeRef::<Div>::new();
    let aids = ReadingAids::new(root);
    provide_context(aids);
    provide_context(SearchCache::new());
    provide_context(crate::library::LibraryCache::new());
    provide_context(KeepFocus::default());
    // Persist every change; the first run only records the loaded state.
    Effect::new(move |previous: Option<SettingsRecord>| {
        let record = settings.record();
        if previous.is_some_and(|p| p != record) {
            settings.save(record);
        }
        record
    });

    // Until the takeover, public/gk-boot.js runs the static page's settings
    // buttons; a press it stored after the settings were read above comes
    // with this event (docs/performance.md).
    if target.is_browser() && config.mode.owns_document() {
        let handle = window_event_listener_untyped("gongkai:settings", move |_| settings.reload());
        on_cleanup(move || handle.remove());
    }

    // The first render of a page the app owns in five tasks
    // (crate::tasks): the root alone (the app's state, the router: the
    // wasm's first run, its functions compiled as they are first called,
    // docs/performance.md); the top bar and the 无障碍阅读 bar; the search
    // box and the masthead; the route; the footer and the reading aids'
    // overlays.
    // The page is hidden until all are there (crate::static_render::takeover),
    // so nothing jumps. Embedded in a host page, whose text would move as
    // the parts came, it renders at once.
    let staged = target.is_browser() && config.mode.owns_document();
    let part = crate::tasks::parts_in_tasks(RENDER_PARTS, staged);
    let bars_shown = Memo::new(move |_| part.get() >= 2);
    let chrome_shown = Memo::new(move |_| part.get() >= 3);
    let route_shown = Memo::new(move |_| part.get() >= 4);
    let footer_shown = Memo::new(move |_| part.get() >= 5);
    let search_first =
        Memo::new(move |_| chrome_shown.get() && settings.elder.get() == ElderMode::On);
    let search_after =
        Memo::new(move |_| chrome_shown.get() && settings.elder.get() == ElderMode::Off);
    let main_ref = NodeRef::<leptos::html::Main>::new();
    let base = config.base.clone();
    let framed = matches!(config.mode, EmbedMode::Frame { .. }) && in_frame();
    // `data-embed` on the root: "inpage" or "frame" (only when really framed);
    // none for the standalone page. CSS drops the full-viewport minimum
    // heights when embedded (in a frame they would pin its height).
    let embed = match &config.mode {
        EmbedMode::InPage => Some("inpage"),
        EmbedMode::Frame { .. } if framed => Some("frame"),
        _ => None,
    };
    let theme = config.theme.clone();
    let mode = config.mode.clone();
    // Theme colours go through the CSSOM (`style.setProperty`), which the
    // Content-Security-Policy allows, unlike a `style` attribute.
    Effect::new(move |_| {
        let Some(el) = root.get() else { return };
        let style = web_sys::HtmlElement::style(&el);
        for (token, colour) in &theme {
            let _ = style.set_property(&token.property(), colour);
        }
        if let EmbedMode::Frame { parent_origins } = &mode {
            crate::embed::report_height(&el, parent_origins);
        }
    });

    view! {
        <div
            class="gk-app"
            node_ref=root
            data-script=move || settings.script.get().as_str()
            data-zoom=move || settings.zoom.get().as_str()
            data-elder=move || settings.elder.get().as_str()
            data-scheme=move || settings.scheme.get().as_str()
            data-font=move || settings.font.get().as_str()
            data-cursor=move || settings.cursor.get().as_str()
            data-guide=move || settings.guide.get().as_str()
            data-captions=move || settings.captions.get().as_str()
            data-textonly=move || settings.textonly.get().as_str()
            data-embed=embed
            // The app is running: style/static.css shows what needs
            // JavaScript and hides the static page's explanations of it.
            data-js=target.is_browser().then_some("on")
            // When the boot module starts the app on this static page.
            data-start=start
            lang=move || lang_tag(settings.script.get())
            on:click=move |e| {
                if framed {
                    crate::embed::retarget_external_link(&e, &base);
                }
            }
            on:pointermove=move |e| on_pointer_move(&e, settings, aids)
            on:pointerover=move |e| aids.point_at(&event_target(&e), settings)
            on:focusin=move |e| {
                let target = event_target(&e);
                aids.note_position(&target);
                aids.point_at(&target, settings);
            }
        >
            <a
                class="gk-skip"
                href="#gk-main"
                on:click=move |e| {
                    // The router would treat the fragment as a navigation;
                    // move focus (and the reader) to the main region directly.
                    e.prevent_default();
                    if let Some(main) = main_ref.get_untracked() {
                        let _ = main.focus();
                    }
                }
            >{move || Msg::SkipLink.get(settings.script.get())}</a>
            <Router base=config.base.clone()>
                <ScriptSync/>
                <Show when=move || bars_shown.get()>
                    <TopBar/>
                    <A11yBar/>
                    <SettingsNotice/>
                    <FavouritesNoticeBar/>
                </Show>
                // 长者模式 puts the search box first (in the DOM, so the
                // focus order matches what the reader sees).
                {move || search_first.get().then(|| view! { <SearchForm/> })}
                <Show when=move || chrome_shown.get()>
                    <Masthead/>
                </Show>
                {move || search_after.get().then(|| view! { <SearchForm/> })}
                <FocusOnNavigate target=main_ref/>
                <main class="gk-main" id="gk-main" tabindex="-1" node_ref=main_ref>
                    <Show when=move || route_shown.get()>
                    <Routes fallback=|| view! { <NotFoundPage/> }>
                        // Each page is a chunk of its own, fetched when
                        // its route is opened (crate::split).
                        <Route path=path!("/") view={Lazy::<HomeRoute>::new()}/>
                        <Route path=path!("/column/:id") view={Lazy::<ColumnRoute>::new()}/>
                        <Route path=path!("/article/:id") view={Lazy::<ArticleRoute>::new()}/>
                        <Route path=path!("/search") view={Lazy::<SearchRoute>::new()}/>
                        <Route path=path!("/favourites") view={Lazy::<FavouritesRoute>::new()}/>
                        // One route for `/library` and `/library/:facet/:value`:
                        // a tick moves between the two forms, and two routes
                        // would mount the page afresh at each (a blank
                        // 加载中 and every part rebuilt) instead of updating it.
                        <Route path=path!("/library/:facet?/:value?") view={Lazy::<LibraryRoute>::new()}/>
                        <Route path=path!("/apply") view={Lazy::<ApplyRoute>::new()}/>
                    </Routes>
                    </Show>
                </main>
                <Show when=move || footer_shown.get()>
                    <SiteFooter/>
                    <ReadingGuide/>
                    <Captions/>
                </Show>
            </Router>
        </div>
    }
}

/// Keeps the script, the URL's `?lang=` and `<html lang>` in step: a `lang`
/// in the URL (a shared link) wins over the stored preference; a stored
/// 繁體 preference is written into the URL so the address bar can be shared
/// as it is (to a path on this site whatever the location holds:
/// [`script_target`]); every change is saved.
#[component]
fn ScriptSync() -> impl IntoView {
    let settings = expect_context::<Settings>();
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let lang = query.read().get(LANG_PARAM);
        let wanted = lang.as_deref().and_then(|l| l.parse::<Variant>().ok());
        match wanted {
            Some(script) if script != settings.script.get_untracked() => {
                settings.script.set(script);
            }
            Some(_) => {}
            None => {
                let script = settings.script.get_untracked();
                if script != Variant::default() {
                    let url = script_target(
                        &location.pathname.get_untracked(),
                        &location.search.get_untracked(),
                        &location.hash.get_untracked(),
                        script,
                    );
                    navigate(
                        &url,
                        NavigateOptions {
                            replace: true,
                            scroll: false,
                            // The path already carries the base.
                            resolve: false,
                            ..Default::default()
                        },
                    );
                } else if lang.is_some() {
                    // An unknown `lang` value: fall back to 简体 and say nothing;
                    // the links the app renders will not carry it on.
                }
            }
        }
    });
    Effect::new(move |_| {
        let script = settings.script.get();
        // Embedded in a host page, `<html lang>` is the host's; the app root
        // carries its own `lang` either way.
        if !crate::embed::owns_document() {
            return;
        }
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang_tag(script));
        }
    });
}

/// The BCP 47 tag of the page text in `script`.
fn lang_tag(script: Variant) -> &'static str {
    match script {
        Variant::Hans => "zh-CN",
        Variant::Hant => "zh-Hant",
    }
}

/// Whether this page is shown inside a frame of another page.
fn in_frame() -> bool {
    web_sys::window()
        .and_then(|w| w.parent().ok().flatten().map(|p| p != w))
        .unwrap_or(false)
}

/// A dismissible message about the settings themselves (e.g. a stored value
/// that could not be read and was set aside).
#[component]
fn SettingsNotice() -> impl IntoView {
    let settings = expect_context::<Settings>();
    move || {
        settings.notice.get().map(|text| {
            view! {
                <div class="gk-notice gk-container" role="status">
                    <p class="gk-notice__text">{text}</p>
                    <button
                        type="button"
                        class="gk-notice__close"
                        on:click=move |_| settings.notice.set(None)
                    >
                        {Msg::Close.get(settings.script.get_untracked())}
                    </button>
                </div>
            }
        })
    }
}

/// A navigation that changes the page in place (a box of the 政策文件库):
/// keyboard focus stays with the control the reader used instead of moving
/// to the main region, and returns to it (by id) once the page has
/// rendered its new state.
#[derive(Clone, Copy)]
pub struct KeepFocus(StoredValue<Option<String>>);

impl Default for KeepFocus {
    fn default() -> Self {
        KeepFocus(StoredValue::new(None))
    }
}

impl KeepFocus {
    /// How many frames `restore` waits for the new page's element before
    /// it takes whatever element has the id.
    const FRAMES: u32 = 60;
    /// Marks the element the reader was on: the page about to be replaced.
    const LEAVING: &'static str = "data-gk-leaving";

    /// The next navigation keeps focus on the element `id`.
    pub fn keep(&self, id: &str) {
        if let Some(old) = element_by_id(id) {
            let _ = old.set_attribute(Self::LEAVING, "");
        }
        self.0.set_value(Some(id.to_owned()));
    }

    /// Whether a navigation in place is under way.
    pub fn pending(&self) -> bool {
        self.0.with_value(Option::is_some)
    }

    /// Focuses the element kept, if any, once the new page has replaced the
    /// old one in the document, and forgets it.
    pub fn restore(&self) {
        let this = *self;
        request_animation_frame(move || this.restore_within(Self::FRAMES));
    }

    // The new page's effects can run while the old page (with an element
    // of the same id, about to be removed) is still shown: wait for an
    // element without the mark.
    fn restore_within(self, frames: u32) {
        let Some(id) = self.0.try_get_value().flatten() else {
            return;
        };
        match element_by_id(&id) {
            Some(e) if frames > 0 && e.has_attribute(Self::LEAVING) => {
                request_animation_frame(move || self.restore_within(frames - 1));
            }
            None if frames > 0 => {
                request_animation_frame(move || self.restore_within(frames - 1));
            }
            found => {
                self.0.set_value(None);
                if let Some(e) = found {
                    let _ = e.remove_attribute(Self::LEAVING);
                    let _ = e.focus();
                }
            }
        }
    }
}

/// The element of the document with `id`, if any.
fn element_by_id(id: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

/// Moves keyboard focus to the main region after a client-side navigation,
/// so that screen-reader users hear the new page instead of staying on the
/// link they activated. The first render is left alone: on load the browser
/// already starts at the top of the document.
#[component]
fn FocusOnNavigate(
    /// The element to focus (it has `tabindex="-1"`).
    target: NodeRef<leptos::html::Main>,
) -> impl IntoView {
    let location = use_location();
    let keep = use_context::<KeepFocus>();
    Effect::new(move |previous: Option<(String, String)>| {
        // Switching script rewrites only `lang`; that is not a new page, and
        // moving focus would scroll the reader away from where they were.
        let current = (
            location.pathname.get(),
            with_script(&location.search.get(), Variant::Hans),
        );
        let in_place = keep.is_some_and(|k| k.pending());
        if previous.is_some_and(|p| p != current) && !in_place {
            // A filter in the page that the reader is working (a select
            // changed with the arrow keys navigates at each step) keeps
            // focus: moving it would take the control from under them.
            if let Some(main) = target.get_untracked().filter(|m| !working_a_field(m)) {
                let _ = main.focus();
            }
            // In a frame, the portal page may be scrolled past the frame's
            // top, where the new page starts (no-op unless framed).
            crate::embed::report_navigation();
        }
        current
    });
}

/// Whether focus is on a form field (`select`, `input`, `textarea`) in `main`.
fn working_a_field(main: &web_sys::HtmlElement) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|e| {
            matches!(e.tag_name().as_str(), "SELECT" | "INPUT" | "TEXTAREA")
                && main.contains(Some(&e))
        })
}

/// Reads the mount configuration from `element`'s data attributes. A bad
/// value is reported on the console (naming the attribute) and replaced by
/// its default; the app always starts.
pub fn config_from_element(element: &web_sys::Element) -> AppConfig {
    let (settings, errors) = MountSettings::parse(|name| element.get_attribute(name));
    for error in &errors {
        web_sys::console::error_1(&error.to_string().into());
    }
    let attr = settings.bundle.unwrap_or_else(|| DEFAULT_BUNDLE.to_owned());
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten());
    let resolved = base
        .and_then(|b| web_sys::Url::new_with_base(attr.trim(), &b).ok())
        .map(|u| u.href())
        .unwrap_or(attr);
    AppConfig {
        bundle: BundleLocation::new(&resolved),
        base: settings.base,
        mode: settings.mode,
        portal: settings.portal,
        theme: settings.theme,
    }
}

/// Mounts the app into the first element with a `data-gongkai` attribute.
pub fn mount() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(element) = document
        .query_selector("[data-gongkai]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        web_sys::console::error_1(
            &"gongkai: no element with a data-gongkai attribute to mount into".into(),
        );
        return;
    };
    let config = config_from_element(&element);
    // The element holds the page's static render (or a <noscript> fallback);
    // the app takes it over (crate::static_render::takeover).
    crate::static_render::takeover::mount_over(element, move || view! { <App config/> });
}
