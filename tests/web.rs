//! Browser smoke tests (wasm-bindgen-test in headless Chromium): the app mounts and renders
//! the default example, the four panes and the highlighted editor. Logic is tested natively.
#![cfg(target_arch = "wasm32")]

use gloo::timers::future::TimeoutFuture;
use stageplay_web::app::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlTextAreaElement;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn app_mounts_with_example_and_panes() {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    TimeoutFuture::new(100).await;

    let textarea: HtmlTextAreaElement = root
        .query_selector("textarea.input")
        .unwrap()
        .expect("editor")
        .dyn_into()
        .unwrap();
    assert!(
        textarea
            .value()
            .contains("FROM python:3.12-slim AS builder"),
        "default example loaded"
    );
    let tabs = root.query_selector_all("[role=tab]").unwrap();
    let labels: Vec<String> = (0..tabs.length())
        .filter_map(|i| tabs.item(i))
        .filter_map(|n| n.text_content())
        .collect();
    for pane in ["Graph", "Image", "Suggestions", "Problems"] {
        assert!(
            labels.iter().any(|l| l.starts_with(pane)),
            "tab {pane} in {labels:?}"
        );
    }
    let keywords = root.query_selector_all(".overlay .tok-keyword").unwrap();
    assert!(
        keywords.length() >= 8,
        "keywords highlighted: {}",
        keywords.length()
    );
    let gutter = root.query_selector_all(".gutter-line").unwrap();
    assert_eq!(
        gutter.length() as usize,
        textarea.value().split('\n').count()
    );
}
