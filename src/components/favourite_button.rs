//! 收藏 controls: the toggle on articles and list rows, the header link with
//! its count, the top bar's 加入收藏 with its bookmark help, and the notice
//! about the favourites' storage.
//!
//! Each reads [`FavouritesStore`] from context and renders nothing without
//! it, so a component mounted on its own (a test, an embed) still works.

use crate::i18n::Msg;
use crate::routes::{use_base, AppRoute};
use crate::state::favourites::{Favourite, FavouritesStore};
use crate::state::Settings;
use gongkai_core::bundle::Variant;
use leptos::html::Button;
use leptos::prelude::*;

/// The reader's script as a signal; 简体 without settings in context.
pub(crate) fn script_signal() -> Signal<Variant> {
    match use_context::<Settings>() {
        Some(s) => s.script.into(),
        None => Signal::stored(Variant::default()),
    }
}

/// How a [`FavouriteButton`] looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FavButtonVariant {
    /// 加入收藏 with a star, on the article page.
    #[default]
    Full,
    /// 收藏 with a star, on list and search rows; the row's title is in the
    /// accessible name so that each row's button can be told apart.
    Compact,
    /// In the top bar (styled like the other top bar buttons).
    Bar,
}

impl FavButtonVariant {
    /// The BEM modifier.
    pub fn as_str(self) -> &'static str {
        match self {
            FavButtonVariant::Full => "full",
            FavButtonVariant::Compact => "compact",
            FavButtonVariant::Bar => "bar",
        }
    }

    fn class(self) -> String {
        let base = format!("gk-fav gk-fav--{}", self.as_str());
        match self {
            FavButtonVariant::Bar => format!("gk-topbar__button {base}"),
            _ => base,
        }
    }
}

/// A toggle button that adds `entry` to 收藏 or removes it.
///
/// Its accessible name stays the same (加入收藏, or 收藏:<title> in the
/// compact variant) and `aria-pressed` says whether the notice is a
/// favourite: a toggle button whose label also flipped would read
/// "取消收藏, pressed", which contradicts itself (WAI-ARIA APG, Button).
/// The filled star shows the state to sighted readers.
///
/// ```ignore
/// view! { <FavouriteButton entry=Favourite::from_list_item(&item) variant=FavButtonVariant::Compact/> }
/// ```
#[component]
pub fn FavouriteButton(
    /// The notice (its `added_at` is ignored; it is set when added).
    entry: Favourite,
    /// Article, list row or top bar.
    #[prop(optional)]
    variant: FavButtonVariant,
) -> impl IntoView {
    let Some(store) = use_context::<FavouritesStore>() else {
        return ().into_any();
    };
    let script = script_signal();
    let id = entry.id.clone();
    let title = entry.title.clone();
    // The static page's button is run by public/gk-boot.js until the app
    // takes over: it stores this entry as it is (docs/performance.md). The
    // app's own button has its handler and no need of it.
    let static_entry =
        (!crate::static_render::RenderTarget::current().is_browser()).then(|| entry.entry_json());
    let on = Memo::new(move |_| store.contains(&id));
    let label = move || match variant {
        FavButtonVariant::Compact => Msg::FavCompact.get(script.get()),
        _ => Msg::AddFavourite.get(script.get()),
    };
    view! {
        <button
            type="button"
            class=variant.class()
            aria-pressed=move || if on.get() { "true" } else { "false" }
            data-gk-fav=static_entry
            on:click=move |_| {
                store.toggle(entry.clone());
            }
        >
            <span class="gk-fav__icon" aria-hidden="true">{move || if on.get() { "★" } else { "☆" }}</span>
            <span class="gk-fav__text">{label}</span>
            {(variant == FavButtonVariant::Compact)
                .then(|| view! { <span class="gk-visually-hidden">{format!(":{title}")}</span> })}
        </button>
    }
    .into_any()
}

/// The header link to 我的收藏 with the number of favourites, e.g. read as
/// "我的收藏 3 条". No badge when there are none.
#[component]
pub fn FavouritesLink() -> impl IntoView {
    let store = use_context::<FavouritesStore>();
    let script = script_signal();
    let base = use_base();
    let count = move || store.map(|s| s.count()).unwrap_or(0);
    view! {
        <a class="gk-favlink" href=move || AppRoute::favourites().href(base, script.get())>
            <span class="gk-favlink__text">{move || Msg::MyFavourites.get(script.get())}</span>
            {move || {
                let n = count();
                (n > 0)
                    .then(|| {
                        view! {
                            <span class="gk-badge gk-favlink__count">
                                {format!(" {n}")}
                                <span class="gk-visually-hidden">{Msg::FavUnit.get(script.get())}</span>
                            </span>
                        }
                    })
            }}
        </a>
    }
}

/// Id of the [`BookmarkHelp`] panel, for the trigger's `aria-controls`.
pub const BOOKMARK_HELP_ID: &str = "gk-bookmark-help";

/// How to bookmark the site (Ctrl+D / ⌘+D) and a link to 我的收藏: a
/// disclosure panel, shown while `open` is true. Escape or 关闭 closes it
/// and returns focus to `trigger`.
#[component]
pub fn BookmarkHelp(
    /// Whether the panel is shown.
    open: RwSignal<bool>,
    /// The button that opened it, to take focus back on close.
    #[prop(optional)]
    trigger: Option<NodeRef<Button>>,
) -> impl IntoView {
    let script = script_signal();
    let base = use_base();
    let t = move |m: Msg| m.get(script.get());
    let close = move || {
        open.set(false);
        if let Some(button) = trigger.and_then(|t| t.get_untracked()) {
            let _ = button.focus();
        }
    };
    move || {
        open.get().then(|| {
            view! {
                <section
                    id=BOOKMARK_HELP_ID
                    class="gk-bookmark-help"
                    aria-labelledby="gk-bookmark-help-title"
                    on:keydown=move |e| {
                        if e.key() == "Escape" {
                            e.prevent_default();
                            close();
                        }
                    }
                >
                    <h2 id="gk-bookmark-help-title" class="gk-bookmark-help__title">{move || t(Msg::BookmarkTitle)}</h2>
                    <p class="gk-bookmark-help__text">{move || t(Msg::BookmarkKeys)}</p>
                    <p class="gk-bookmark-help__text">
                        {move || t(Msg::BookmarkArticles)}
                        <a
                            class="gk-bookmark-help__link"
                            href=move || AppRoute::favourites().href(base, script.get())
                            on:click=move |_| open.set(false)
                        >
                            {move || t(Msg::MyFavourites)}
                        </a>
                    </p>
                    <button type="button" class="gk-button gk-bookmark-help__close" on:click=move |_| close()>
                        {move || t(Msg::CloseLabel)}
                    </button>
                </section>
            }
        })
    }
}

/// The top bar's 加入收藏: on an article page (one that called
/// [`FavouritesStore::track_current`]) it toggles that article; elsewhere
/// it opens [`BookmarkHelp`].
#[component]
pub fn TopBarFavourite() -> impl IntoView {
    let store = use_context::<FavouritesStore>();
    let script = script_signal();
    let open = RwSignal::new(false);
    let trigger = NodeRef::<Button>::new();
    let current = move || store.and_then(|s| s.current.get());
    move || match current() {
        Some(entry) => view! { <FavouriteButton entry variant=FavButtonVariant::Bar/> }.into_any(),
        None => view! {
            <button
                type="button"
                class="gk-topbar__button gk-fav gk-fav--bar"
                node_ref=trigger
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=BOOKMARK_HELP_ID
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || Msg::AddFavourite.get(script.get())}
            </button>
            <BookmarkHelp open trigger/>
        }
        .into_any(),
    }
}

/// The message about the favourites' storage (a damaged value set aside,
/// a refused write, no storage), with 下载原数据 when there is a damaged
/// value to keep, and 知道了.
#[component]
pub fn FavouritesNoticeBar() -> impl IntoView {
    let Some(store) = use_context::<FavouritesStore>() else {
        return ().into_any();
    };
    let script = script_signal();
    let failed = RwSignal::new(None::<String>);
    (move || {
        store.notice.get().map(|notice| {
            let script = script.get();
            let backup = (notice.offers_backup() && store.backup.with(Option::is_some)).then(|| {
                view! {
                    <button
                        type="button"
                        class="gk-notice__close gk-notice__action"
                        on:click=move |_| failed.set(store.download_backup().err())
                    >
                        {Msg::FavDownloadBackup.get(script)}
                    </button>
                }
            });
            view! {
                <div class="gk-notice gk-notice--favourites gk-container" role="status">
                    <p class="gk-notice__text">
                        {notice.describe(script)}
                        {move || failed.get().map(|e| format!(" {}", Msg::FavExportFailed.fill(script, &[&e])))}
                    </p>
                    {backup}
                    <button
                        type="button"
                        class="gk-notice__close"
                        on:click=move |_| store.notice.set(None)
                    >
                        {Msg::Close.get(script)}
                    </button>
                </div>
            }
        })
    })
    .into_any()
}
