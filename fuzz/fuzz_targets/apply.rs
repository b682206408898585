//! Applying a quick fix or a refactor never adds a syntax error: every safe lint fix alone,
//! fix-all-safe, and every refactor suggestion's edits give a text that parses with no more
//! errors than the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stageplay::analysis::{analyze, suggestions, AnalysisOptions};
use stageplay::lint;
use stageplay::{Applicability, Severity};

fn errors(text: &str) -> usize {
    stageplay::syntax::parse(text)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

fuzz_target!(|data: &[u8]| {
    // Suggestions re-estimate the image per refactor: keep inputs small for throughput.
    if data.len() > 8192 {
        return;
    }
    let text = String::from_utf8_lossy(data);
    let options = AnalysisOptions::default();
    let analysis = analyze(&text, &options);
    let before = errors(&text);
    for finding in &analysis.lint {
        let Some(fix) = &finding.fix else { continue };
        if fix.applicability != Applicability::Safe {
            continue;
        }
        let fixed = lint::apply_fixes(&text, std::slice::from_ref(fix));
        assert!(
            errors(&fixed) <= before,
            "safe fix '{}' of {} adds a syntax error:\n{fixed}",
            fix.title,
            finding.code
        );
    }
    let all = lint::fix_all_safe(&text, &options.lint_options(), &options.model_options());
    assert!(errors(&all) <= before, "fix-all-safe adds a syntax error:\n{all}");
    for s in suggestions(&text, &analysis, &options) {
        let applied = stageplay::diagnostic::apply_edits(&text, &s.edits);
        assert!(
            errors(&applied) <= before,
            "refactor '{}' adds a syntax error:\n{applied}",
            s.id
        );
    }
});
