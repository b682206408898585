//! Inputs the fuzzers (`cargo xtask fuzz`) found, kept as regression tests.

use stageplay::analysis::{analyze, suggestions, AnalysisOptions};
use stageplay::diagnostic::apply_edits;
use stageplay::Severity;

fn errors(text: &str) -> usize {
    stageplay::syntax::parse(text)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

/// Every refactor suggestion's edits parse with no more errors than the input.
fn assert_refactors_keep_parse(text: &str) {
    let options = AnalysisOptions::default();
    let analysis = analyze(text, &options);
    let before = errors(text);
    for s in suggestions(text, &analysis, &options) {
        let applied = apply_edits(text, &s.edits);
        assert!(
            errors(&applied) <= before,
            "refactor '{}' adds a syntax error:\n{applied}",
            s.id
        );
    }
}

/// Fuzz target `apply`, crash-7f29853daa501aabc7b432696508e371ebd5a88c: the last line ends with a
/// line continuation and no newline; `non-root-user` appends its RUN/USER lines, which the
/// continuation joins into the FROM line.
#[test]
fn non_root_user_after_a_trailing_continuation() {
    assert_refactors_keep_parse("FROM alpine:3.20 \\");
    assert_refactors_keep_parse("FROM alpo\0\0PIP_NO_CACHE_DIR=TRUEng \\");
}
