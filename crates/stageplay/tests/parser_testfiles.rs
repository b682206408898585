//! BuildKit's own parser testfiles (moby/buildkit `frontend/dockerfile/parser/testfiles*`):
//! the 33 positive cases reproduce their `result` AST dumps, the 4 negative cases are
//! rejected with a diagnostic, and the line-information case gives BuildKit's lines.

mod support;

use stageplay::syntax::{self, dump::dump};

fn cases(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(support::corpus_dir().join(dir))
        .expect("testfiles directory")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn positive_testfiles_reproduce_their_dumps() {
    let names = cases("buildkit-testfiles/testfiles");
    assert_eq!(names.len(), 33);
    let mut failures = Vec::new();
    for name in &names {
        let text = support::read(&format!("buildkit-testfiles/testfiles/{name}/Dockerfile"));
        let expected = support::read(&format!("buildkit-testfiles/testfiles/{name}/result"))
            .replace("\r\n", "\n");
        let parsed = syntax::parse(&text);
        assert_eq!(
            parsed.buildkit_error, None,
            "{name}: {:?}",
            parsed.diagnostics
        );
        let got = dump(&parsed);
        if got != expected {
            failures.push(format!("{name}:\n--- expected\n{expected}--- got\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn negative_testfiles_are_rejected_with_a_diagnostic() {
    let names = cases("buildkit-testfiles/testfiles-negative");
    assert_eq!(names.len(), 4);
    for name in &names {
        let text = support::read(&format!(
            "buildkit-testfiles/testfiles-negative/{name}/Dockerfile"
        ));
        let parsed = syntax::parse(&text);
        let index = parsed
            .buildkit_error
            .unwrap_or_else(|| panic!("{name} accepted"));
        let diagnostic = &parsed.diagnostics[index];
        assert_eq!(diagnostic.severity, stageplay::Severity::Error, "{name}");
        assert!(
            diagnostic.code.starts_with("syntax/"),
            "{name}: {}",
            diagnostic.code
        );
    }
}

#[test]
fn line_information_matches_buildkit() {
    let text = support::read("buildkit-testfiles/testfile-line/Dockerfile");
    let parsed = syntax::parse(&text);
    assert_eq!(parsed.buildkit_error, None);
    let lines: Vec<(u32, u32)> = parsed
        .instructions
        .iter()
        .map(|i| (i.start_line, i.end_line))
        .collect();
    assert_eq!(lines, [(5, 5), (11, 12), (17, 31)]);
}
