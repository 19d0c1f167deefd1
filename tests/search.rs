//! Browser tests: the search warm-up's built-in index decodes and its
//! queries run in WebAssembly (`wasm-bindgen-test-runner` + chromedriver).
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
