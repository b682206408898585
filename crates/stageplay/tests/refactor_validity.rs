//! Acceptance 2 and 3 of the refactoring assistant: every refactor on every fixture and corpus
//! file where it applies gives a Dockerfile that parses without new errors, is idempotent and
//! still has what its CMD/ENTRYPOINT needs; the coverage report committed in
//! `docs/reports/refactor-coverage.md` is the one these files produce.

use stageplay::refactor::report::{coverage, markdown, summarise};
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.contains("Dockerfile") || name.ends_with(".dockerfile") {
                out.push(p);
            }
        }
    }
}

/// `(name relative to tests/, text)` for the fixtures and the corpus, sorted.
fn inputs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut files = Vec::new();
    collect(&root.join("fixtures/refactor"), &mut files);
    collect(&root.join("corpus"), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let name = p
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((name, String::from_utf8_lossy(&bytes).into_owned()))
        })
        .collect()
}

#[test]
fn every_refactor_output_is_valid_and_the_report_is_current() {
    let inputs = inputs();
    assert!(inputs.len() > 100, "corpus missing: {} files", inputs.len());
    let report = coverage(&inputs);
    let invalid: Vec<String> = report
        .rows
        .iter()
        .flat_map(|r| {
            r.problems
                .iter()
                .map(move |(id, p)| format!("{} — {id}: {p}", r.name))
        })
        .collect();
    assert!(
        invalid.is_empty(),
        "{} invalid outputs:\n{}",
        invalid.len(),
        invalid.join("\n")
    );

    let fixtures: Vec<_> = report
        .rows
        .iter()
        .filter(|r| r.name.starts_with("fixtures/refactor"))
        .collect();
    let sum = summarise(&fixtures);
    assert!(
        sum.building >= 30,
        "only {} building fixtures",
        sum.building
    );
    assert!(
        sum.split_offered * 100 >= sum.building * 80,
        "split offered for {}/{}",
        sum.split_offered,
        sum.building
    );

    let text = markdown(&report);
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/reports/refactor-coverage.md");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    } else {
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == text, "docs/reports/refactor-coverage.md is stale: run `cargo xtask refactor-report` or UPDATE_EXPECT=1");
    }
}
