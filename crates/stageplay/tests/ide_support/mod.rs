//! Shared helpers for the editor-feature tests (`tests/ide_*.rs`), in rust-analyzer's style:
//! a fixture is Dockerfile text with `$0` marking the cursor, and each test renders what the
//! feature returns as plain text and compares it with the expected text.

#![allow(dead_code)]

use stageplay::analysis::{analyze, Analysis, AnalysisOptions};
use stageplay::ide::Document;

/// The text without its `$0` marker, and the marker's byte offset.
pub fn fixture(input: &str) -> (String, u32) {
    let at = input.find("$0").expect("the fixture has a $0 cursor");
    let mut text = input.to_string();
    text.replace_range(at..at + 2, "");
    (text, at as u32)
}

/// Runs `f` over the document of `text`.
pub fn with_document<T>(text: &str, f: impl FnOnce(&Document<'_>) -> T) -> T {
    let analysis: Analysis = analyze(text, &AnalysisOptions::default());
    let document = Document::new(text, &analysis);
    f(&document)
}

/// `text[span]` shown with its position.
pub fn show(text: &str, span: stageplay::Span) -> String {
    format!("{}..{} {:?}", span.start, span.end, &text[span.range()])
}

/// Compares line by line, ignoring the indentation and blank lines the expectation has in
/// the source, and prints both in full when they differ.
pub fn check(actual: impl AsRef<str>, expect: &str) {
    let actual = actual.as_ref();
    let norm = |s: &str| -> Vec<String> {
        s.lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    if norm(actual) != norm(expect) {
        panic!(
            "\n--- expected ---\n{}\n--- actual ---\n{}\n",
            norm(expect).join("\n"),
            norm(actual).join("\n")
        );
    }
}
