//! Acceptance 3: applying every safe fix to every corpus file gives a file that parses with no
//! new error and lints with fewer findings (or the same number when no safe fix applied).

use stageplay::lint::{self, Applicability, LintOptions};
use stageplay::model::{self, ModelOptions};
use stageplay::{syntax, Severity};
use std::path::{Path, PathBuf};

fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                let data = matches!(
                    name,
                    "INDEX.tsv"
                        | "oracle.jsonl"
                        | "README.md"
                        | "PROVENANCE.md"
                        | "oracle_dump.py"
                        | "result"
                );
                if !data {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

fn errors(text: &str) -> usize {
    syntax::parse(text)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

fn findings(text: &str, opts: &LintOptions) -> (usize, usize) {
    let doc = syntax::parse(text);
    let m = model::build(&doc, &ModelOptions::default());
    let diags = lint::lint(text, &doc, &m, opts);
    let safe = diags
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        })
        .count();
    (diags.len(), safe)
}

#[test]
fn fix_all_safe_never_breaks_the_parse_and_reduces_findings() {
    let files = corpus_files();
    assert!(
        files.len() > 100,
        "corpus not found ({} files)",
        files.len()
    );
    let opts = LintOptions::default();
    let (mut fixed_files, mut before_total, mut after_total) = (0, 0, 0);
    let mut problems = Vec::new();
    for path in &files {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let (before, safe) = findings(&text, &opts);
        let fixed = lint::fix_all_safe(&text, &opts, &ModelOptions::default());
        let (after, _) = findings(&fixed, &opts);
        if errors(&fixed) > errors(&text) {
            problems.push(format!("{}: new parse error", path.display()));
        }
        if safe > 0 {
            fixed_files += 1;
            if after >= before {
                problems.push(format!(
                    "{}: {before} findings before, {after} after",
                    path.display()
                ));
            }
        } else if after > before {
            problems.push(format!(
                "{}: findings grew {before} -> {after}",
                path.display()
            ));
        }
        before_total += before;
        after_total += after;
    }
    eprintln!("fix-all-safe: {} files, {fixed_files} with safe fixes, findings {before_total} -> {after_total}", files.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
