//! 无障碍阅读: the toolbar, its reading aids (十字线, 大字幕, 指读, 连读),
//! its keyboard shortcuts, and the article's 字体 大/中/小 control.
//!
//! Every visual change is a setting, and every setting is a data attribute
//! on the app root that only changes CSS tokens (see style/); this module
//! only flips settings and drives the aids that need script.

use crate::i18n::Msg;
use crate::speech;
use crate::state::{ColorScheme, FontStep, Settings, SpeechRate, Switch, Toolbar};
use crate::static_render::RenderTarget;
use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Live state of the reading aids, shared by the root's pointer and focus
/// handlers, the toolbar and the overlays.
#[derive(Debug, Clone, Copy)]
pub struct ReadingAids {
    /// The app root, to find `main` and to keep lookups inside the app.
    pub root: NodeRef<Div>,
    /// What 大字幕 shows.
    pub caption: RwSignal<String>,
    /// Where the 十字线 crosses, in viewport pixels.
    pub guide: RwSignal<(i32, i32)>,
    /// The readable block of `main` last under the pointer or focus, for
    /// 连读 "from the current paragraph".
    pub current_block: StoredValue<Option<web_sys::Element>, LocalStorage>,
    /// Text last spoken by 指读, so moving within one paragraph does not restart it.
    pub last_spoken: StoredValue<String>,
    /// A message from the toolbar (e.g. no speech in this browser).
    pub message: RwSignal<Option<String>>,
    /// Whether the shortcut help is open.
    pub help: RwSignal<bool>,
}

impl ReadingAids {
    /// Fresh state for the app root `root`.
    pub fn new(root: NodeRef<Div>) -> Self {
        ReadingAids {
            root,
            caption: RwSignal::new(String::new()),
            guide: RwSignal::new((0, 0)),
            current_block: StoredValue::new_local(None),
            last_spoken: StoredValue::new(String::new()),
            message: RwSignal::new(None),
            help: RwSignal::new(false),
        }
    }

    /// The reader points at or focuses `target`: with 大字幕 or 指读 on,
    /// the aids' chunk updates the caption and reads the text aloud.
    pub fn point_at(&self, target: &wasm_bindgen::JsValue, settings: Settings) {
        if settings.captions.get_untracked().is_on() || settings.point_read.get_untracked().is_on()
        {
            self.run(Aid::PointAt(target.clone()), settings);
        }
    }

    /// Runs `aid` in the aids' chunk, fetched on first use (crate::split).
    pub fn run(&self, aid: Aid, settings: Settings) {
        let aids = *self;
        leptos::task::spawn_local(async move {
            let _ = crate::split::reading_aids(aid, settings, aids).await;
        });
    }

    /// What `point_at` does once the chunk is there.
    fn point_at_now(&self, target: &wasm_bindgen::JsValue, settings: Settings) {
        let captions = settings.captions.get_untracked().is_on();
        let point_read = settings.point_read.get_untracked().is_on();
        let Some(root) = self.root.get_untracked() else {
            return;
        };
        let Some(element) = speech::readable_at(target, &root) else {
            return;
        };
        let text = speech::text_of(&element);
        if text.is_empty() {
            return;
        }
        if captions {
            self.caption.set(text.clone());
        }
        if point_read && self.last_spoken.get_value() != text {
            self.last_spoken.set_value(text.clone());
            self.say(&[text], settings);
        }
    }

    fn say(&self, texts: &[String], settings: Settings) {
        let script = settings.script.get_untracked();
        if speech::speak(texts, script, settings.speech_rate.get_untracked().rate()).is_err() {
            self.message.set(Some(Msg::NoSpeech.get(script).to_owned()));
        }
    }

    /// 连读: reads the page from the paragraph under the pointer (or the
    /// focused one, or the top) to the end.
    fn read_on(&self, settings: Settings) {
        let script = settings.script.get_untracked();
        if !speech::is_supported() {
            self.message.set(Some(Msg::NoSpeech.get(script).to_owned()));
            return;
        }
        let Some(root) = self.root.get_untracked() else {
            return;
        };
        let Some(main) = root.query_selector(".gk-main").ok().flatten() else {
            return;
        };
        let blocks = speech::reading_order(&main);
        if blocks.is_empty() {
            self.message
                .set(Some(Msg::NothingToRead.get(script).to_owned()));
            return;
        }
        let focused = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let start = [self.current_block.get_value(), focused]
            .into_iter()
            .flatten()
            .find_map(|e| blocks.iter().position(|b| b.contains(Some(&e))))
            .unwrap_or(0);
        let texts: Vec<String> = blocks[start..].iter().map(speech::text_of).collect();
        self.last_spoken.set_value(String::new());
        self.say(&texts, settings);
    }

    /// Remembers the block of `main` at `target` as where 连读 starts. Fed
    /// by real pointer movement and by focus, not by `pointerover`, which
    /// the browser also fires when the page scrolls under a still pointer
    /// (e.g. when focus moves to the toolbar).
    pub fn note_position(&self, target: &wasm_bindgen::JsValue) {
        if let Some(block) = target.dyn_ref::<web_sys::Element>().and_then(|e| {
            e.closest(".gk-main :is(h1, p, li, h2, h3, h4, td, dd)")
                .ok()
                .flatten()
        }) {
            self.current_block.set_value(Some(block));
        }
    }

    /// 停止.
    fn stop(&self) {
        self.last_spoken.set_value(String::new());
        speech::stop();
    }

    /// Turns 指读 on or off; on a browser without speech it stays off and says why.
    fn toggle_point_read(&self, settings: Settings) {
        let next = settings.point_read.get_untracked().toggled();
        if next.is_on() && !speech::is_supported() {
            self.message.set(Some(
                Msg::NoSpeech
                    .get(settings.script.get_untracked())
                    .to_owned(),
            ));
            return;
        }
        if !next.is_on() {
            self.stop();
        }
        settings.point_read.set(next);
    }
}

fn toggle_toolbar(settings: Settings) {
    settings.toolbar.update(|t| {
        *t = match t {
            Toolbar::Open => Toolbar::Closed,
            Toolbar::Closed => Toolbar::Open,
        }
    });
}

fn reset(settings: Settings, aids: ReadingAids) {
    aids.run(Aid::Stop, settings);
    aids.message.set(None);
    let record = settings.record_untracked();
    settings.apply(record.reset());
}

/// The toolbar's keyboard shortcuts: Alt+Shift+digit (Option+Shift on a Mac).
/// Browsers bind Ctrl/⌘ and Alt+letter combinations, and screen readers
/// use Insert/CapsLock modifiers, so Alt+Shift with a digit is free in all of them.
fn shortcut(e: &web_sys::KeyboardEvent, settings: Settings, aids: ReadingAids) -> bool {
    if !(e.alt_key() && e.shift_key()) || e.ctrl_key() || e.meta_key() {
        return false;
    }
    if !settings.shortcuts.get_untracked().is_on() {
        return false;
    }
    match e.code().as_str() {
        "Digit1" => toggle_toolbar(settings),
        "Digit2" => settings.zoom.update(|z| *z = z.larger()),
        "Digit3" => settings.zoom.update(|z| *z = z.smaller()),
        "Digit4" => settings.scheme.update(|s| *s = s.next()),
        "Digit5" => settings.elder.update(|m| *m = m.toggled()),
        "Digit6" => aids.run(Aid::TogglePointRead, settings),
        "Digit7" => aids.run(Aid::ReadOn, settings),
        "Digit8" => settings.textonly.update(|s| *s = s.toggled()),
        "Digit9" => {
            settings.toolbar.set(Toolbar::Open);
            aids.help.update(|h| *h = !*h);
        }
        "Digit0" => reset(settings, aids),
        _ => return false,
    }
    true
}

/// The shortcut table shown under 帮助.
const SHORTCUTS: [(&str, Msg); 10] = [
    ("1", Msg::KeyToolbar),
    ("2", Msg::KeyZoomIn),
    ("3", Msg::KeyZoomOut),
    ("4", Msg::KeyScheme),
    ("5", Msg::KeyElder),
    ("6", Msg::KeyPointRead),
    ("7", Msg::KeyContinuous),
    ("8", Msg::KeyTextOnly),
    ("9", Msg::KeyHelp),
    ("0", Msg::KeyReset),
];

fn scheme_label(s: ColorScheme) -> Msg {
    match s {
        ColorScheme::Default => Msg::SchemeDefault,
        ColorScheme::YellowOnBlack => Msg::SchemeYellowOnBlack,
        ColorScheme::WhiteOnBlack => Msg::SchemeWhiteOnBlack,
        ColorScheme::BlackOnWhite => Msg::SchemeBlackOnWhite,
        ColorScheme::WhiteOnBlue => Msg::SchemeWhiteOnBlue,
    }
}

fn rate_label(r: SpeechRate) -> Msg {
    match r {
        SpeechRate::Slow => Msg::RateSlow,
        SpeechRate::Normal => Msg::RateNormal,
        SpeechRate::Fast => Msg::RateFast,
    }
}

/// A toolbar button for an on/off aid.
#[component]
fn AidToggle(
    /// The setting it flips.
    setting: RwSignal<Switch>,
    /// Its name in the stored settings, for public/gk-boot.js.
    name: &'static str,
    /// Its label.
    label: Msg,
) -> impl IntoView {
    let settings = expect_context::<Settings>();
    view! {
        <button
            type="button"
            class="gk-a11ybar__button"
            data-gk-set=format!("{name}:toggle")
            aria-pressed=move || setting.get().pressed()
            on:click=move |_| setting.update(|s| *s = s.toggled())
        >
            {move || label.get(settings.script.get())}
        </button>
    }
}

/// The 无障碍阅读 toolbar (when open) and its keyboard shortcuts (always).
#[component]
pub fn A11yBar() -> impl IntoView {
    let settings = expect_context::<Settings>();
    let aids = expect_context::<ReadingAids>();
    // Not in the build's native render (no window to listen on).
    let target = RenderTarget::current();
    if target.is_browser() {
        let handle = window_event_listener(ev::keydown, move |e| {
            if shortcut(&e, settings, aids) {
                e.prevent_default();
            }
        });
        on_cleanup(move || handle.remove());
    }

    // The build's native render writes the toolbar into every static page,
    // marked `data-static`: style/static.css shows it only on a root that
    // public/gk-boot.js marked `data-toolbar="open"` for a reader who keeps
    // it open, so it is in place at the first paint and the app's takeover
    // does not push the page down. Other readers never see it. In the
    // browser the toolbar is in the aids' chunk, fetched when it opens.
    let in_static_page = !target.is_browser();
    move || {
        (in_static_page || settings.toolbar.get() == Toolbar::Open).then(|| {
            Suspend::new(
                async move { crate::split::reading_aids(Aid::Toolbar, settings, aids).await },
            )
        })
    }
}

/// What the reading aids' chunk does (crate::split::reading_aids): a view
/// to show, or an action that needs speech or the DOM.
pub enum Aid {
    /// The toolbar.
    Toolbar,
    /// 十字线.
    Guide,
    /// 大字幕.
    Captions,
    /// The reader points at or focuses this element (大字幕, 指读).
    PointAt(wasm_bindgen::JsValue),
    /// 连读.
    ReadOn,
    /// 指读 on or off.
    TogglePointRead,
    /// 停止.
    Stop,
}

/// Does `aid`; the views come back as `Some`.
pub fn run_aid(aid: Aid, settings: Settings, aids: ReadingAids) -> Option<AnyView> {
    match aid {
        Aid::Toolbar => return Some(toolbar(settings, aids)),
        Aid::Guide => return Some(guide(aids)),
        Aid::Captions => return Some(captions(aids)),
        Aid::PointAt(target) => aids.point_at_now(&target, settings),
        Aid::ReadOn => aids.read_on(settings),
        Aid::TogglePointRead => aids.toggle_point_read(settings),
        Aid::Stop => aids.stop(),
    }
    None
}

/// The toolbar itself.
fn toolbar(settings: Settings, aids: ReadingAids) -> AnyView {
    let t = move |m: Msg| m.get(settings.script.get());
    let in_static_page = !RenderTarget::current().is_browser();
    {
        {
            let schemes = ColorScheme::ALL
                .iter()
                .map(|&s| {
                    view! {
                        <button
                            type="button"
                            class=format!("gk-a11ybar__button gk-a11ybar__scheme gk-a11ybar__scheme--{}", s.as_str())
                            aria-pressed=move || if settings.scheme.get() == s { "true" } else { "false" }
                            data-gk-set=format!("scheme:{}", s.as_str())
                            on:click=move |_| settings.scheme.set(s)
                        >
                            {move || t(scheme_label(s))}
                        </button>
                    }
                })
                .collect_view();
            let rates = SpeechRate::ALL
                .iter()
                .map(|&r| {
                    view! {
                        <option value=r.as_str() selected=move || settings.speech_rate.get() == r>
                            {move || t(rate_label(r))}
                        </option>
                    }
                })
                .collect_view();
            view! {
                <section
                    class="gk-a11ybar"
                    id="gk-a11ybar"
                    aria-label=move || t(Msg::ToolbarLabel)
                    data-static=in_static_page.then_some("")
                >
                    <div class="gk-a11ybar__inner gk-container">
                        <div class="gk-a11ybar__group" role="group" aria-label=move || t(Msg::GroupText)>
                            <button type="button" class="gk-a11ybar__button" data-gk-set="zoom:larger"
                                on:click=move |_| settings.zoom.update(|z| *z = z.larger())>
                                {move || t(Msg::ZoomIn)}
                            </button>
                            <button type="button" class="gk-a11ybar__button" data-gk-set="zoom:smaller"
                                on:click=move |_| settings.zoom.update(|z| *z = z.smaller())>
                                {move || t(Msg::ZoomOut)}
                            </button>
                            <button type="button" class="gk-a11ybar__button" data-gk-set="reset"
                                on:click=move |_| reset(settings, aids)>
                                {move || t(Msg::Reset)}
                            </button>
                            <span class="gk-a11ybar__zoom">
                                {move || Msg::ZoomStatus.fill(settings.script.get(), &[&settings.zoom.get().as_str()])}
                            </span>
                        </div>
                        <div class="gk-a11ybar__group" role="group" aria-label=move || t(Msg::GroupScheme)>
                            {schemes}
                        </div>
                        <div class="gk-a11ybar__group" role="group" aria-label=move || t(Msg::GroupAids)>
                            <AidToggle setting=settings.cursor name="cursor" label=Msg::BigCursor/>
                            <AidToggle setting=settings.guide name="guide" label=Msg::Guide/>
                            <AidToggle setting=settings.captions name="captions" label=Msg::CaptionsLabel/>
                        </div>
                        <div class="gk-a11ybar__group" role="group" aria-label=move || t(Msg::GroupSpeech)>
                            <button
                                type="button"
                                class="gk-a11ybar__button"
                                aria-pressed=move || settings.point_read.get().pressed()
                                on:click=move |_| aids.toggle_point_read(settings)
                            >
                                {move || t(Msg::PointRead)}
                            </button>
                            <button type="button" class="gk-a11ybar__button"
                                on:click=move |_| aids.read_on(settings)>
                                {move || t(Msg::ContinuousRead)}
                            </button>
                            <button type="button" class="gk-a11ybar__button"
                                on:click=move |_| aids.stop()>
                                {move || t(Msg::StopSpeech)}
                            </button>
                            <label class="gk-a11ybar__label">
                                {move || t(Msg::SpeechRateLabel)}
                                <select
                                    class="gk-a11ybar__select"
                                    on:change=move |e| {
                                        if let Ok(rate) = event_target_value(&e).parse() {
                                            settings.speech_rate.set(rate);
                                        }
                                    }
                                >
                                    {rates}
                                </select>
                            </label>
                        </div>
                        <div class="gk-a11ybar__group" role="group" aria-label=move || t(Msg::GroupView)>
                            <AidToggle setting=settings.textonly name="textonly" label=Msg::TextOnly/>
                            <button
                                type="button"
                                class="gk-a11ybar__button"
                                aria-expanded=move || if aids.help.get() { "true" } else { "false" }
                                on:click=move |_| aids.help.update(|h| *h = !*h)
                            >
                                {move || t(Msg::Help)}
                            </button>
                            <button type="button" class="gk-a11ybar__button" data-gk-set="toolbar:closed"
                                on:click=move |_| settings.toolbar.set(Toolbar::Closed)>
                                {move || t(Msg::CloseToolbar)}
                            </button>
                        </div>
                    </div>
                    {move || aids.message.get().map(|m| view! {
                        <p class="gk-a11ybar__message gk-container" role="status">{m}</p>
                    })}
                    {move || aids.help.get().then(|| view! { <ShortcutHelp/> })}
                </section>
            }
            .into_any()
        }
    }
}

/// 帮助: the shortcut list and the switch that turns shortcuts off.
#[component]
fn ShortcutHelp() -> impl IntoView {
    let settings = expect_context::<Settings>();
    let t = move |m: Msg| m.get(settings.script.get());
    let rows = SHORTCUTS
        .iter()
        .map(|&(key, what)| {
            view! {
                <div class="gk-a11ybar__key">
                    <dt>
                        <kbd class="gk-kbd">"Alt"</kbd>"+"<kbd class="gk-kbd">"Shift"</kbd>"+"<kbd class="gk-kbd">{key}</kbd>
                    </dt>
                    <dd>{move || t(what)}</dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="gk-a11ybar__help gk-container">
            <h2 class="gk-a11ybar__title">{move || t(Msg::HelpTitle)}</h2>
            <p class="gk-a11ybar__intro">{move || t(Msg::HelpIntro)}</p>
            <dl class="gk-a11ybar__keys">{rows}</dl>
            <label class="gk-a11ybar__label">
                <input
                    type="checkbox"
                    class="gk-a11ybar__check"
                    prop:checked=move || settings.shortcuts.get().is_on()
                    on:change=move |e| {
                        let on = event_target_checked(&e);
                        settings.shortcuts.set(if on { Switch::On } else { Switch::Off });
                    }
                />
                {move || t(Msg::EnableShortcuts)}
            </label>
        </div>
    }
}

/// 十字线: a horizontal and a vertical line through the pointer (drawn by
/// the aids' chunk, fetched when it is first turned on).
#[component]
pub fn ReadingGuide() -> impl IntoView {
    let settings = expect_context::<Settings>();
    let aids = expect_context::<ReadingAids>();
    move || {
        settings.guide.get().is_on().then(|| {
            Suspend::new(
                async move { crate::split::reading_aids(Aid::Guide, settings, aids).await },
            )
        })
    }
}

fn guide(aids: ReadingAids) -> AnyView {
    {
        {
            view! {
                <div class="gk-guide" aria-hidden="true">
                    <div
                        class="gk-guide__h"
                        style:transform=move || format!("translateY({}px)", aids.guide.get().1)
                    ></div>
                    <div
                        class="gk-guide__v"
                        style:transform=move || format!("translateX({}px)", aids.guide.get().0)
                    ></div>
                </div>
            }
            .into_any()
        }
    }
}

/// 大字幕: the text under the pointer or focus, in large type (shown by the
/// aids' chunk, fetched when it is first turned on).
#[component]
pub fn Captions() -> impl IntoView {
    let settings = expect_context::<Settings>();
    let aids = expect_context::<ReadingAids>();
    move || {
        settings.captions.get().is_on().then(|| {
            Suspend::new(
                async move { crate::split::reading_aids(Aid::Captions, settings, aids).await },
            )
        })
    }
}

fn captions(aids: ReadingAids) -> AnyView {
    view! {
        <div class="gk-captions" aria-hidden="true">
            <p class="gk-captions__text">{move || aids.caption.get()}</p>
        </div>
    }
    .into_any()
}

/// 字体 大 / 中 / 小 for the article text.
#[component]
pub fn FontSizeControl() -> impl IntoView {
    let settings = expect_context::<Settings>();
    let t = move |m: Msg| m.get(settings.script.get());
    let button = move |step: FontStep, label: Msg| {
        view! {
            <button
                type="button"
                class="gk-fontsize__button"
                aria-pressed=move || if settings.font.get() == step { "true" } else { "false" }
                data-gk-set=format!("font:{}", step.as_str())
                on:click=move |_| settings.font.set(step)
            >
                {move || t(label)}
            </button>
        }
    };
    view! {
        <div class="gk-fontsize" role="group" aria-label=move || t(Msg::FontGroup)>
            <span class="gk-fontsize__label" aria-hidden="true">{move || format!("{}:", t(Msg::FontGroup))}</span>
            {button(FontStep::Large, Msg::FontLarge)}
            {button(FontStep::Medium, Msg::FontMedium)}
            {button(FontStep::Small, Msg::FontSmall)}
        </div>
    }
}

/// Pointer and focus handlers for the app root: they feed the reading aids.
pub fn on_pointer_move(e: &web_sys::PointerEvent, settings: Settings, aids: ReadingAids) {
    aids.note_position(&event_target(e));
    if settings.guide.get_untracked().is_on() {
        aids.guide.set((e.client_x(), e.client_y()));
    }
}

/// The target of `e` as a JS value, for [`ReadingAids::point_at`].
pub fn event_target(e: &web_sys::Event) -> wasm_bindgen::JsValue {
    e.target()
        .map(|t| t.unchecked_into::<wasm_bindgen::JsValue>())
        .unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
}
