//! Browser smoke tests (wasm-bindgen-test in headless Chromium): the app mounts and renders
//! the default example, the four panes and the highlighted editor (CodeMirror,
//! loaded through its wasm-bindgen module snippet). Logic is tested natively.
#![cfg(target_arch = "wasm32")]

use gloo::timers::future::TimeoutFuture;
use stageplay_web::app::App;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn app_mounts_with_example_and_panes() {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    TimeoutFuture::new(100).await;

    // The editor is CodeMirror: its lines are `.cm-line` elements (a short file is drawn whole).
    let content = root
        .query_selector(".cm-content")
        .unwrap()
        .expect("editor")
        .text_content()
        .unwrap_or_default();
    assert!(
        content.contains("FROM python:3.12-slim AS builder"),
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
    // Highlighting arrives in the animation frame after the analysis: wait for it (a loaded
    // machine can take a while), up to 10 s.
    let mut keywords = root.query_selector_all(".cm-content .tok-keyword").unwrap();
    for _ in 0..100 {
        if keywords.length() >= 8 {
            break;
        }
        TimeoutFuture::new(100).await;
        keywords = root.query_selector_all(".cm-content .tok-keyword").unwrap();
    }
    assert!(
        keywords.length() >= 8,
        "keywords highlighted: {}",
        keywords.length()
    );
    let example = stageplay::examples::find(stageplay::examples::DEFAULT_EXAMPLE).unwrap();
    let numbers = root
        .query_selector_all(".cm-lineNumbers .cm-gutterElement")
        .unwrap();
    let shown: Vec<String> = (0..numbers.length())
        .filter_map(|i| numbers.item(i))
        .filter_map(|n| n.text_content())
        .filter(|t| !t.is_empty())
        .collect();
    let lines = example.text.split('\n').count();
    assert!(
        shown.contains(&lines.to_string()),
        "line numbers up to {lines}: {shown:?}"
    );
}
