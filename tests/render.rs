//! Browser tests: the list and article components render a bundle fixture
//! in headless Chromium (`wasm-bindgen-test-runner` + chromedriver).
#![cfg(target_arch = "wasm32")]

use gongkai::api::parse_json;
use gongkai::components::{AttachmentList, MetaBlock, NeighbourNav, NoticeList, Pager};
use gongkai::routes::{AppRoute, Base};
use gongkai_core::bundle::{ArticleFile, ListPage, Variant};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LIST: &str = include_str!("fixtures/list-page.json");
const ARTICLE: &str = include_str!("fixtures/article.json");

/// A fresh container in the document body.
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

fn attr(root: &web_sys::Element, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .get_attribute(name)
}

#[wasm_bindgen_test]
fn list_renders_rows_in_bundle_order_with_dates_and_columns() {
    let page: ListPage = parse_json("list-page.json", LIST).unwrap();
    let el = container();
    let items = page.items.clone();
    let _handle = leptos::mount::mount_to(el.clone(), move || view! { <NoticeList items/> });

    assert_eq!(
        texts(&el, ".gk-list__title"),
        vec![
            "武山县科学技术局:扎实开展文明单位创建工作",
            "武山县科技计划项目管理暂行办法",
            "2018年科技活动周安排",
        ]
    );
    // 23:30 UTC on 11 May is 12 May in Beijing.
    assert_eq!(
        texts(&el, ".gk-list__date"),
        vec!["2023-07-14", "2019-03-01", "2018-05-12"]
    );
    assert_eq!(
        texts(&el, ".gk-list__column"),
        vec!["法定主动公开内容", "政府信息公开制度", "法定主动公开内容"]
    );
    assert_eq!(
        attr(&el, ".gk-list__title", "href").as_deref(),
        Some("/article/kjj1-2023-00026")
    );
    // Only the repealed notice carries a badge.
    assert_eq!(texts(&el, ".gk-badge"), vec!["已废止"]);
}

#[wasm_bindgen_test]
fn empty_list_says_so() {
    let el = container();
    let _handle = leptos::mount::mount_to(el.clone(), || view! { <NoticeList items=Vec::new()/> });
    assert_eq!(texts(&el, ".gk-list__empty"), vec!["本栏目暂无信息。"]);
    assert!(el.query_selector(".gk-list").unwrap().is_none());
}

#[wasm_bindgen_test]
fn pager_marks_the_current_page_and_links_neighbours() {
    let el = container();
    let _handle = leptos::mount::mount_to(el.clone(), || {
        let route = AppRoute::Column {
            id: "fdzdgknr".into(),
            page: 2,
        };
        view! { <Pager route page=2 pages=3/> }
    });
    assert_eq!(attr(&el, "nav", "aria-label").as_deref(), Some("分页"));
    assert_eq!(
        attr(&el, "[aria-current=page]", "aria-label").as_deref(),
        Some("第 2 页")
    );
    assert_eq!(
        attr(&el, "a[rel=prev]", "href").as_deref(),
        Some("/column/fdzdgknr")
    );
    assert_eq!(
        attr(&el, "a[rel=next]", "href").as_deref(),
        Some("/column/fdzdgknr?page=3")
    );
}

// Issue 21: a component links under the base of the app around it (its
// `Base` context), not under one base for the whole wasm instance.
#[wasm_bindgen_test]
fn links_carry_the_base_of_their_own_app() {
    let page: ListPage = parse_json("list-page.json", LIST).unwrap();
    let mount = |base: &'static str| {
        let el = container();
        let items = page.items.clone();
        let handle = leptos::mount::mount_to(el.clone(), move || {
            provide_context(Base::new(base));
            let route = AppRoute::Home { page: 2 };
            view! {
                <NoticeList items/>
                <Pager route page=2 pages=3/>
            }
        });
        (el, handle)
    };
    let (a, _a) = mount("/a");
    let (b, _b) = mount("/b");
    for (base, el) in [("/a", &a), ("/b", &b)] {
        assert_eq!(
            attr(el, ".gk-list__title", "href"),
            Some(format!("{base}/article/kjj1-2023-00026"))
        );
        assert_eq!(attr(el, "a[rel=prev]", "href"), Some(format!("{base}/")));
        assert_eq!(
            attr(el, "a[rel=next]", "href"),
            Some(format!("{base}/?page=3"))
        );
    }
}

#[wasm_bindgen_test]
fn single_page_has_no_pager() {
    let el = container();
    let _handle = leptos::mount::mount_to(
        el.clone(),
        || view! { <Pager route=AppRoute::Home { page: 1 } page=1 pages=1/> },
    );
    assert!(el.query_selector("nav").unwrap().is_none());
}

#[wasm_bindgen_test]
fn article_metadata_attachments_and_neighbours_render() {
    let article: ArticleFile = parse_json("article.json", ARTICLE).unwrap();
    let el = container();
    let ArticleFile {
        item,
        column,
        prev,
        next,
        ..
    } = article;
    let attachments = item.attachments.clone();
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        view! {
            <MetaBlock item column/>
            <AttachmentList attachments/>
            <NeighbourNav prev next/>
        }
    });

    let labels = texts(&el, ".gk-meta__label");
    let values = texts(&el, ".gk-meta__value");
    let pairs: Vec<(String, String)> = labels.into_iter().zip(values).collect();
    let expect = [
        ("发布机构", "科技局"),
        ("索引号", "kjj1/2023-00026"),
        ("来源", "科技局"),
        ("时间", "2023-07-14"),
        ("作者", "李凤林"),
        ("文号", "武科发〔2023〕12号"),
        ("主题分类", "法定主动公开内容"),
        ("有效性", "已废止"),
    ];
    assert_eq!(
        pairs,
        expect
            .iter()
            .map(|(l, v)| (l.to_string(), v.to_string()))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        texts(&el, ".gk-attachments__link"),
        vec!["附件1:创建方案.pdf"]
    );
    assert_eq!(texts(&el, ".gk-attachments__facts"), vec!["(PDF,240.0 KB)"]);
    assert_eq!(
        texts(&el, ".gk-neighbours__item"),
        vec!["上一篇:较新的一篇", "下一篇:没有了"]
    );
}

#[wasm_bindgen_test]
fn mount_element_data_bundle_overrides_the_default_location() {
    let document = web_sys::window().unwrap().document().unwrap();
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let el = document.create_element("div").unwrap();

    let config = gongkai::app::config_from_element(&el);
    assert_eq!(config.bundle.base(), format!("{origin}/bundle/"));

    el.set_attribute("data-bundle", "https://cdn.example.org/wushan/bundle")
        .unwrap();
    let config = gongkai::app::config_from_element(&el);
    assert_eq!(
        config.bundle.base(),
        "https://cdn.example.org/wushan/bundle/"
    );
    assert_eq!(
        config.bundle.manifest_url(),
        "https://cdn.example.org/wushan/bundle/manifest.json"
    );

    el.set_attribute("data-bundle", "/xxgk/data/").unwrap();
    let config = gongkai::app::config_from_element(&el);
    assert_eq!(config.bundle.base(), format!("{origin}/xxgk/data/"));
}

#[wasm_bindgen_test]
fn traditional_script_labels_and_links() {
    let page: ListPage = parse_json("list-page.json", LIST).unwrap();
    let article: ArticleFile = parse_json("article.json", ARTICLE).unwrap();
    let el = container();
    let items = page.items.clone();
    let ArticleFile { item, column, .. } = article;
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        let script = Variant::Hant;
        view! {
            <NoticeList items script/>
            <Pager route=AppRoute::Home { page: 1 } page=1 pages=3 script/>
            <MetaBlock item column script/>
        }
    });
    // Links keep the reader in 繁體.
    assert_eq!(
        attr(&el, ".gk-list__title", "href").as_deref(),
        Some("/article/kjj1-2023-00026?lang=zh-Hant")
    );
    assert_eq!(
        attr(&el, "a[rel=next]", "href").as_deref(),
        Some("/?page=2&lang=zh-Hant")
    );
    assert_eq!(attr(&el, "nav", "aria-label").as_deref(), Some("分頁"));
    assert_eq!(texts(&el, ".gk-badge"), vec!["已廢止"]);
    let labels = texts(&el, ".gk-meta__label");
    assert_eq!(labels[0], "發佈機構");
    assert_eq!(labels[1], "索引號");
}
