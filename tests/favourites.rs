//! Browser tests for 收藏 with the real `localStorage` of headless Chromium:
//! round trip, a corrupt value set aside, a full storage, another tab's
//! change, and the components.
#![cfg(target_arch = "wasm32")]

use gongkai::components::{FavButtonVariant, FavouriteButton, FavouritesLink, FavouritesNoticeBar};
use gongkai::pages::FavouritesPage;
use gongkai::state::favourites::store::FAVOURITES_KEY;
use gongkai::state::favourites::{
    Favourite, Favourites, FavouritesError, FavouritesNotice, FavouritesStore, Persistence,
    MAX_FAVOURITES,
};
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const KEY: &str = "gongkai.favourites";
const BACKUP: &str = "gongkai.favourites.corrupt";
const DATE: &str = "2023-07-14T09:00:00+08:00";

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Removes every key the app or these tests wrote. Tests run one after
/// another in one page, so each starts from an empty storage.
fn reset_storage() {
    local().clear().unwrap();
}

fn entry(id: &str, column: &str, column_name: &str) -> Favourite {
    Favourite::new(id, &format!("标题{id}"), DATE, column, column_name)
}

/// Lets effects and the DOM catch up.
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let el: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&el).unwrap();
    el
}

fn texts(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

fn find(root: &web_sys::Element, selector: &str) -> web_sys::HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

/// The button whose text content is `text`.
fn button(root: &web_sys::Element, text: &str) -> web_sys::HtmlElement {
    let nodes = root.query_selector_all("button").unwrap();
    (0..nodes.length())
        .map(|i| {
            nodes
                .item(i)
                .unwrap()
                .unchecked_into::<web_sys::HtmlElement>()
        })
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no button reads {text:?}"))
}

#[wasm_bindgen_test]
fn favourites_round_trip_through_local_storage() {
    reset_storage();
    let _owner = Owner::new();
    let store = FavouritesStore::from_storage();
    assert!(store.list.get_untracked().is_empty());
    assert!(store.toggle(entry("a-1", "fdzdgknr", "法定主动公开内容")));
    assert!(store.toggle(entry("b-2", "gzdt", "工作动态")));

    let stored = local().get_item(KEY).unwrap().expect("the list is saved");
    assert!(
        stored.starts_with("{") && stored.contains(r#""v":1"#),
        "{stored}"
    );
    let again = FavouritesStore::from_storage();
    let ids: Vec<String> = again
        .list
        .get_untracked()
        .items()
        .iter()
        .map(|f| f.id.clone())
        .collect();
    assert_eq!(ids, ["b-2", "a-1"], "newest-added first after a reload");
    assert_eq!(again.notice.get_untracked(), None);

    assert!(!again.toggle(entry("b-2", "gzdt", "工作动态")));
    assert_eq!(
        Favourites::parse(&local().get_item(KEY).unwrap().unwrap())
            .unwrap()
            .len(),
        1
    );
    reset_storage();
}

#[wasm_bindgen_test]
fn a_version_0_value_is_migrated_and_written_back() {
    reset_storage();
    let _owner = Owner::new();
    local()
        .set_item(KEY, r#"["a-1",{"id":"b-2","title":"乙"}]"#)
        .unwrap();
    let store = FavouritesStore::from_storage();
    assert_eq!(store.list.get_untracked().len(), 2);
    assert_eq!(store.notice.get_untracked(), None);
    let stored = local().get_item(KEY).unwrap().unwrap();
    assert!(
        stored.contains(r#""v":1"#),
        "written back as version 1: {stored}"
    );
    assert_eq!(local().get_item(BACKUP).unwrap(), None);
    reset_storage();
}

#[wasm_bindgen_test]
async fn a_corrupt_value_gives_an_empty_list_a_backup_and_a_notice() {
    for bad in [r#"{"v":1,"items":"#, r#"{"v":9,"items":[]}"#, "收藏"] {
        reset_storage();
        local().set_item(KEY, bad).unwrap();
        let store = FavouritesStore::from_storage();
        assert!(store.list.get_untracked().is_empty(), "{bad}");
        assert_eq!(
            local().get_item(BACKUP).unwrap().as_deref(),
            Some(bad),
            "the bad value is kept under {BACKUP}"
        );
        assert!(
            matches!(
                store.notice.get_untracked(),
                Some(FavouritesNotice::Corrupt {
                    set_aside: true,
                    ..
                })
            ),
            "{bad}: {:?}",
            store.notice.get_untracked()
        );
        assert_eq!(store.backup.get_untracked().as_deref(), Some(bad));
        // The app goes on saving, over the now-empty key.
        assert!(store.toggle(entry("a-1", "c", "栏目")));
        assert_eq!(store.persistence.get_untracked(), Persistence::Saved);
        assert!(local().get_item(KEY).unwrap().unwrap().contains("a-1"));
    }

    // The notice says what happened and offers the value as a download.
    reset_storage();
    local().set_item(KEY, r#"{"v":9,"items":[]}"#).unwrap();
    let el = container();
    let _handle = leptos::mount::mount_to(el.clone(), || {
        provide_context(FavouritesStore::from_storage());
        view! { <FavouritesNoticeBar/> }
    });
    tick().await;
    let text = texts(&el, ".gk-notice__text").join("");
    assert!(
        text.contains("保存的收藏无法读取") && text.contains("版本 9") && text.contains(BACKUP),
        "{text}"
    );
    button(&el, "下载原数据");
    button(&el, "知道了").click();
    tick().await;
    assert!(el.query_selector(".gk-notice").unwrap().is_none());
    reset_storage();
}

#[wasm_bindgen_test]
fn some_bad_entries_keep_the_good_ones() {
    reset_storage();
    let _owner = Owner::new();
    let value = format!(
        r#"{{"v":1,"items":[{{"id":"a-1","title":"甲","date":"{DATE}","column":"c","added_at":2}},{{"id":"../x","title":"乙","date":"","column":"","added_at":1}}]}}"#
    );
    local().set_item(KEY, &value).unwrap();
    let store = FavouritesStore::from_storage();
    assert_eq!(store.list.get_untracked().len(), 1);
    assert_eq!(
        store.notice.get_untracked(),
        Some(FavouritesNotice::PartlyCorrupt {
            rejected: 1,
            set_aside: true
        })
    );
    assert_eq!(local().get_item(BACKUP).unwrap(), Some(value));
    reset_storage();
}

/// Fills `localStorage` until even a short write fails; returns the keys used.
fn fill_storage() -> Vec<String> {
    let storage = local();
    let mut keys = Vec::new();
    let mut size = 1 << 20;
    while size >= 1 {
        let chunk = "x".repeat(size);
        loop {
            let key = format!("gk-test-fill-{}", keys.len());
            if storage.set_item(&key, &chunk).is_err() {
                break;
            }
            keys.push(key);
        }
        size /= 4;
    }
    keys
}

#[wasm_bindgen_test]
fn a_full_storage_keeps_favourites_for_the_session_and_says_so() {
    reset_storage();
    let _owner = Owner::new();
    let store = FavouritesStore::from_storage();
    let keys = fill_storage();
    assert!(!keys.is_empty());

    assert!(store.toggle(entry("a-1", "c", "栏目")));
    assert!(store.list.get_untracked().contains("a-1"), "kept in memory");
    assert_eq!(store.persistence.get_untracked(), Persistence::Unsaved);
    assert_eq!(
        store.notice.get_untracked(),
        Some(FavouritesNotice::NotSaved)
    );
    assert!(FavouritesNotice::NotSaved
        .describe(Default::default())
        .starts_with("收藏未能保存"));
    assert_eq!(local().get_item(KEY).unwrap(), None);

    // Space freed: the next change is saved and the notice goes.
    for key in &keys {
        local().remove_item(key).unwrap();
    }
    assert!(store.toggle(entry("b-2", "c", "栏目")));
    assert_eq!(store.persistence.get_untracked(), Persistence::Saved);
    assert_eq!(store.notice.get_untracked(), None);
    let stored = Favourites::parse(&local().get_item(KEY).unwrap().unwrap()).unwrap();
    assert_eq!(stored.len(), 2, "the unsaved favourite is saved with it");
    reset_storage();
}

// Issue 15, fault 7: the list had no limit (an import of 80,000 ran the
// tab out of resources); a full list now refuses another favourite, says
// so, and still removes one.
#[wasm_bindgen_test]
fn a_full_list_refuses_another_favourite_and_says_so() {
    reset_storage();
    let _owner = Owner::new();
    let items = (0..MAX_FAVOURITES)
        .map(|i| entry(&format!("a-{i}"), "c", "栏目"))
        .collect();
    let store = FavouritesStore::new(Favourites::from_items(items));
    assert!(!store.toggle(entry("one-more", "c", "栏目")));
    assert!(!store.list.get_untracked().contains("one-more"));
    assert_eq!(store.notice.get_untracked(), Some(FavouritesNotice::Full));
    assert_eq!(
        FavouritesNotice::Full.describe(Default::default()),
        "收藏已满(最多 10000 条),没有加入。请先移除不再需要的收藏。"
    );
    assert!(!store.toggle(entry("a-1", "c", "栏目")), "removed");
    assert!(store.toggle(entry("one-more", "c", "栏目")), "room again");
    reset_storage();
}

fn storage_event(key: &str, new_value: Option<&str>) -> web_sys::StorageEvent {
    let init = web_sys::StorageEventInit::new();
    init.set_key(Some(key));
    init.set_new_value(new_value);
    web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap()
}

#[wasm_bindgen_test]
async fn another_tabs_change_replaces_the_list() {
    reset_storage();
    let el = container();
    let store = FavouritesStore::new(Favourites::default());
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        store.follow_other_tabs();
        view! { <FavouritesLink/> }
    });
    let mut other = Favourites::default();
    other.add(entry("a-1", "c", "栏目"), 1);
    other.add(entry("b-2", "c", "栏目"), 2);
    let window = web_sys::window().unwrap();
    window
        .dispatch_event(&storage_event(KEY, Some(&other.to_json())))
        .unwrap();
    tick().await;
    assert_eq!(store.list.get_untracked(), other);

    // Another app's key changes nothing.
    window
        .dispatch_event(&storage_event("gongkai.settings", Some("{}")))
        .unwrap();
    assert_eq!(store.list.get_untracked().len(), 2);

    // A corrupt value from the other tab is handled as at start.
    window
        .dispatch_event(&storage_event(KEY, Some("{oops")))
        .unwrap();
    tick().await;
    assert!(store.list.get_untracked().is_empty());
    assert!(matches!(
        store.notice.get_untracked(),
        Some(FavouritesNotice::Corrupt {
            error: FavouritesError::NotJson { .. },
            ..
        })
    ));

    // Removed in the other tab.
    store.notice.set(None);
    window
        .dispatch_event(&storage_event(KEY, Some(&other.to_json())))
        .unwrap();
    window.dispatch_event(&storage_event(KEY, None)).unwrap();
    assert!(store.list.get_untracked().is_empty());
    let _ = FAVOURITES_KEY;
    reset_storage();
}

#[wasm_bindgen_test]
async fn the_button_toggles_and_the_link_counts() {
    reset_storage();
    let el = container();
    let store = FavouritesStore::from_storage();
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        provide_context(store);
        view! {
            <FavouritesLink/>
            <FavouriteButton entry=entry("a-1", "c", "栏目")/>
            <FavouriteButton entry=entry("b-2", "c", "栏目") variant=FavButtonVariant::Compact/>
        }
    });
    let full = find(&el, ".gk-fav--full");
    let compact = find(&el, ".gk-fav--compact");
    assert_eq!(full.get_attribute("aria-pressed").as_deref(), Some("false"));
    assert_eq!(full.get_attribute("type").as_deref(), Some("button"));
    assert_eq!(
        texts(&el, ".gk-fav--full .gk-fav__text"),
        ["加入收藏"],
        "the article's button"
    );
    // Each row's button names its notice for screen readers.
    assert_eq!(compact.text_content().unwrap(), "☆收藏:标题b-2");
    assert_eq!(texts(&el, ".gk-favlink"), ["我的收藏"], "no badge at 0");

    full.click();
    tick().await;
    assert_eq!(full.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(texts(&el, ".gk-fav--full .gk-fav__text"), ["加入收藏"]);
    compact.click();
    tick().await;
    assert_eq!(texts(&el, ".gk-favlink"), ["我的收藏 2条"]);
    assert_eq!(
        find(&el, ".gk-favlink").get_attribute("href").as_deref(),
        Some("/favourites")
    );

    full.click();
    tick().await;
    assert_eq!(full.get_attribute("aria-pressed").as_deref(), Some("false"));
    assert_eq!(store.list.get_untracked().len(), 1);
    reset_storage();
}

#[wasm_bindgen_test]
async fn the_page_lists_filters_removes_and_clears_with_confirmation() {
    reset_storage();
    let el = container();
    let store = FavouritesStore::new(Favourites::default());
    store.toggle(entry("a-1", "fdzdgknr", "法定主动公开内容"));
    store.toggle(entry("b-2", "gzdt", "工作动态"));
    store.toggle(entry("c-3", "fdzdgknr", "法定主动公开内容"));
    // The page reads its filter and page from the URL: a router, at the
    // test page's own address (restored at the end).
    let address = web_sys::window().unwrap().location().href().unwrap();
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        provide_context(store);
        view! { <Router><FavouritesPage/></Router> }
    });
    tick().await;
    assert_eq!(texts(&el, "h1"), ["我的收藏"]);
    assert_eq!(
        texts(&el, ".gk-favs__hint"),
        ["收藏最多保存 10000 条。导入文件会与现有收藏合并。"]
    );
    assert!(
        el.query_selector(".gk-pager").unwrap().is_none(),
        "one page: no pager"
    );
    assert_eq!(
        texts(&el, ".gk-favs__link"),
        ["标题c-3", "标题b-2", "标题a-1"],
        "newest-added first"
    );
    assert_eq!(texts(&el, ".gk-favs__date"), ["2023-07-14"; 3]);
    assert_eq!(
        find(&el, ".gk-favs__link").get_attribute("href").as_deref(),
        Some("/article/c-3")
    );
    assert_eq!(
        texts(&el, ".gk-favs__select option"),
        ["全部栏目", "法定主动公开内容", "工作动态"]
    );
    assert_eq!(texts(&el, ".gk-favs__filter-label"), ["栏目筛选"]);

    // Filter by column.
    let select: web_sys::HtmlSelectElement = find(&el, ".gk-favs__select").unchecked_into();
    select.set_value("gzdt");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;
    assert_eq!(texts(&el, ".gk-favs__link"), ["标题b-2"]);
    assert_eq!(
        web_sys::window().unwrap().location().search().unwrap(),
        "?column=gzdt",
        "the filter is in the URL"
    );
    select.set_value("");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;

    // Remove one.
    let remove = find(&el, ".gk-favs__remove");
    assert_eq!(remove.text_content().unwrap(), "移除:标题c-3");
    remove.click();
    tick().await;
    assert_eq!(texts(&el, ".gk-favs__link"), ["标题b-2", "标题a-1"]);
    assert_eq!(texts(&el, ".gk-favs__message"), ["已移除“标题c-3”。"]);

    // 清空 asks first; 取消 keeps everything.
    button(&el, "清空").click();
    tick().await;
    assert_eq!(
        texts(&el, ".gk-favs__confirm-text"),
        ["确定清空全部 2 条收藏?"]
    );
    button(&el, "取消").click();
    tick().await;
    assert!(el.query_selector(".gk-favs__confirm").unwrap().is_none());
    assert_eq!(store.list.get_untracked().len(), 2);
    button(&el, "清空").click();
    tick().await;
    button(&el, "确定").click();
    tick().await;
    assert!(store.list.get_untracked().is_empty());
    assert_eq!(texts(&el, ".gk-favs__message"), ["已清空收藏。"]);
    assert_eq!(
        texts(&el, ".gk-favs__empty"),
        ["还没有收藏。在文章页或列表中按“加入收藏”,文章就会出现在这里。"]
    );
    assert!(el.query_selector(".gk-favs__list").unwrap().is_none());
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address))
        .unwrap();
    reset_storage();
}
