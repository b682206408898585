//! A suggestion's "before" size is the Image pane's estimate of the same text with the same
//! options: what the user told the estimate about the build context (a dropped folder, pasted
//! dependency files) sizes the suggestions too, and gates their runtime check.

mod support;

use stageplay::analysis::{analyze, suggestions, AnalysisOptions};
use stageplay::refactor;

const TEXT: &str = "FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt .\n\
                    RUN pip install -r requirements.txt\nCOPY . .\n\
                    CMD [\"python\", \"app.py\"]\n";

fn with_requirements(content: &str) -> AnalysisOptions {
    support::analysis_with_files(&[("requirements.txt", content)])
}

/// Every suggestion's size before, which must be the one figure the Image pane shows.
fn sizes_before(options: &AnalysisOptions) -> (u64, Vec<Option<u64>>) {
    let analysis = analyze(TEXT, options);
    let list = suggestions(TEXT, &analysis, options);
    assert!(!list.is_empty(), "no suggestion for the test's file");
    (
        analysis.estimate().total_bytes,
        list.iter().map(|s| s.size_before).collect(),
    )
}

#[test]
fn a_suggestion_is_sized_with_the_context_the_image_pane_uses() {
    let plain = sizes_before(&AnalysisOptions::default());
    let listed = sizes_before(&with_requirements("numpy==2.1.0\npandas==2.2.3\n"));
    for (pane, befores) in [&plain, &listed] {
        assert!(
            befores.iter().all(|b| *b == Some(*pane)),
            "the Image pane says {pane} bytes, the suggestions {befores:?}"
        );
    }
    // The list makes a difference, so the test would see options being dropped.
    assert_ne!(
        plain.0, listed.0,
        "numpy and pandas did not change the estimate"
    );
}

#[test]
fn apply_all_and_its_size_read_the_same_context() {
    let options = with_requirements("numpy==2.1.0\npandas==2.2.3\n");
    let refactor_options = options.refactor_options();
    assert_eq!(refactor_options.estimate, options.estimate_options());
    let all = refactor::apply_all(TEXT, &refactor_options);
    let sized = refactor::size::measure(&all, &refactor_options.model, &refactor_options.estimate)
        .expect("a sized image");
    let after = analyze(&all, &options);
    assert_eq!(sized.bytes, after.estimate().total_bytes);
}
