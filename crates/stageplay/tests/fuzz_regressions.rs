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

/// Fuzz target `apply`, crash-60177d2bf66b63d12021494d0771044b2809fcd8: `remove-unused-stages`
/// deleted the unused first stage together with the comments above it, and those began with
/// the `# escape = \`` directive (spaces around `=`), so the rest of the file lost its escape
/// character.
#[test]
fn removing_a_stage_keeps_the_directives_above_it() {
    let text = "# escape = `\n# There is no white space line after the directives.\n# against best practices.\n\
FROM image\nLABEL maintainer foo@bar.com\u{FFFD}line after\n# against best practices.\n\
FROM image\nLABEL maintainer foo@bar.com\u{FFFD}\nENV GOPATH `\n\\go\n";
    assert_refactors_keep_parse(text);
    assert_refactors_keep_parse(&text.replace("# escape = `", "#check = skip=all\n# escape=`"));
}

/// Fuzz target `apply`, crash-3dcfe45456e2341a992bf652739d6eed461d5b2d: InvalidDefaultArgInFrom
/// sliced an unclosed `${NAME…` one byte before the end of the text, inside a multi-byte
/// character, and panicked (a panic in wasm kills the page).
#[test]
fn an_unclosed_braced_variable_before_a_multibyte_character_does_not_panic() {
    for text in [
        "ARG BUILD_LOONG64=x\nFROM exit-loong64-${BUILD_LOONG64\u{FFFD}",
        "ARG V=x\nFROM img:${V:-é",
        "ARG V\nFROM img:${V-日本",
    ] {
        let analysis = analyze(text, &AnalysisOptions::default());
        assert!(!analysis.model.stages.is_empty(), "{text:?}");
        assert_refactors_keep_parse(text);
    }
}

/// Fuzz target `apply`, crash-1b599e1719a3dd212ea83ddf0d796cf7cf8f0edf: removing an unused
/// first stage whose span ended with its newline also took the next line, the last stage's
/// `FROM` at the end of a file without a final newline, leaving no instruction at all.
#[test]
fn removing_a_stage_keeps_the_next_stage_on_the_last_line() {
    assert_refactors_keep_parse("FROM debian:bookworm\nRUN echo a\nFROM alpine");
    assert_refactors_keep_parse("# c\nFROM debian:bookworm\n\nRUN echo a \\\n  b\nFROM alpine");
    let options = AnalysisOptions::default();
    let text = "FROM debian:bookworm\nRUN echo a\nFROM alpine";
    let analysis = analyze(text, &options);
    let remove = suggestions(text, &analysis, &options)
        .into_iter()
        .find(|s| s.id == "remove-unused-stages")
        .expect("the unused first stage is offered for removal");
    assert_eq!(apply_edits(text, &remove.edits), "FROM alpine");
}

/// Fuzz target `apply`, crash-46df48a591f6639a5375ff8f940bb1132bb6859f: deleting the file's
/// first stage let the next stage's comments join the directive block at the top, where
/// `# escape=…` became a duplicate directive (an error).
#[test]
fn removing_the_first_stage_keeps_later_comments_out_of_the_directives() {
    assert_refactors_keep_parse(
        "# escape=\\\n# esc\u{FFFD}e=`\nFROM \0\"pine\n# escape=\\\n# gscape=`\nFROM \0\"pine",
    );
    assert_refactors_keep_parse("# escape=\\\nFROM a\n# escape=`\nFROM b\n");
    assert_refactors_keep_parse(
        "# syntax=docker/dockerfile:1\n# about a\nFROM a\n# check=skip=all\nFROM b\n",
    );
}

/// Fuzz target `apply`, crash-600a1ed6b7155487cb40ed69f67e9d3619307e6f: DL3021's safe fix
/// ("Add `/` to the destination") appended `/` to a heredoc marker that ended a COPY, which
/// changed the marker and left the heredoc unterminated.
#[test]
fn dl3021_does_not_touch_a_heredoc_marker_in_the_last_place() {
    let text = "FROM scratch AS a\nCOPY --from=a x y \\\n  <<EOF\nhello\nEOF\n";
    let options = AnalysisOptions::default();
    let analysis = analyze(text, &options);
    assert!(
        !analysis.lint.iter().any(|l| l.code == "DL3021"),
        "{:?}",
        analysis.lint.iter().map(|l| &l.code).collect::<Vec<_>>()
    );
    let fixed =
        stageplay::lint::fix_all_safe(text, &options.lint_options(), &options.model_options());
    assert!(errors(&fixed) <= errors(text), "{fixed}");
}

/// Fuzz target `apply`, crash-7e4a5c02396a2b10a29a56e7f7ed25089a12c7c2: LegacyKeyValueFormat's
/// safe fix left a value with a vertical tab unquoted; in the `key=value` form any whitespace
/// separates words, so the rest became a second, `=`-less pair (a syntax error).
#[test]
fn legacy_key_value_fix_quotes_a_value_with_any_whitespace() {
    for text in [
        "FROM debian:trixie-slim\nENV GPG_KEY A036C8C19219\u{b}A821ECEA86B64E628F8D684696D\n",
        "FROM debian:trixie-slim\nLABEL a b\u{c}c\n",
        "FROM debian:trixie-slim\nENV A b\u{a0}c\n",
    ] {
        let options = AnalysisOptions::default();
        let analysis = analyze(text, &options);
        let before = errors(text);
        let fixes: Vec<_> = analysis
            .lint
            .iter()
            .filter(|f| f.code == "LegacyKeyValueFormat")
            .filter_map(|f| f.fix.clone())
            .collect();
        assert_eq!(fixes.len(), 1, "{text:?}");
        let fixed = stageplay::lint::apply_fixes(text, &fixes);
        assert!(errors(&fixed) <= before, "{fixed:?}");
        assert!(fixed.contains("=\""), "quoted: {fixed:?}");
    }
}
