//! Browser tests: the search warm-up's built-in index decodes and its
//! queries run in WebAssembly, and snippets are made from article bodies
//! (`wasm-bindgen-test-runner` + chromedriver).
#![cfg(target_arch = "wasm32")]

use gongkai_core::search::warm::warm_up;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn warm_up_runs_every_query_over_its_index() {
    // Eight runs: each warm-up query once; each finds matches.
    let seen = warm_up(8);
    assert!(seen >= 8, "the warm-up saw {seen} matches");
    // The index is decoded once and kept: a second slice sees the same.
    assert_eq!(warm_up(8), seen);
}

/// Issue #15, fault 1: the snippet of a body with `&`, `<` or `>` before
/// Chinese text panicked in WebAssembly (the entity decoder cut a string at
/// byte 12); the app's snippet path, in the browser.
#[wasm_bindgen_test]
fn snippets_of_references_before_chinese_text() {
    use gongkai::search::article_snippet;
    use gongkai_core::bundle::ArticleFile;
    use gongkai_core::search::{Options, Query};
    let mut article: ArticleFile =
        serde_json::from_str(include_str!("fixtures/article.json")).unwrap();
    article.item.content_html = Some(
        "<p>依据&lt;&lt;中华人民共和国政府信息公开条例&gt;&gt;规定，科技&amp;创新驱动发展</p>"
            .to_owned(),
    );
    for (query, marked) in [("信息公开条例", "信息公开条例"), ("创新驱动", "创新驱动")]
    {
        let query = Query::parse(query, Options::default()).unwrap();
        let (snippet, ranges) = article_snippet(&article, &query);
        assert_eq!(
            snippet,
            "依据<<中华人民共和国政府信息公开条例>>规定，科技&创新驱动发展"
        );
        assert_eq!(&snippet[ranges[0].clone()], marked);
    }
}
