//! Properties of the editor features over every corpus file: no panic at any offset (even
//! with an analysis of another text), renaming a stage keeps the stage graph, and every
//! definition is among its own references.

mod support;

use stageplay::analysis::{analyze, AnalysisOptions};
use stageplay::diagnostic::apply_edits;
use stageplay::ide::{self, Document};
use stageplay::model::EdgeSource;

fn corpus() -> Vec<(String, String)> {
    support::all_files()
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(support::corpus_dir().join(&f)).unwrap();
            (f, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

/// Offsets worth trying: every token boundary, a few inside tokens, and past the end.
fn offsets(text: &str, tokens: &[stageplay::syntax::Token]) -> Vec<u32> {
    let mut out: Vec<u32> = tokens
        .iter()
        .flat_map(|t| [t.span.start, t.span.end, t.span.start + t.span.len() / 2])
        .collect();
    out.extend([text.len() as u32, text.len() as u32 + 5, u32::MAX]);
    out.sort_unstable();
    out.dedup();
    // Keep the test fast on large files (it runs unoptimised): at most 120 offsets, spread
    // over the file.
    let step = out.len() / 120 + 1;
    out.into_iter().step_by(step).collect()
}

fn exercise(d: &Document<'_>, offsets: &[u32]) {
    for &at in offsets {
        let _ = ide::completions(d, at);
        let _ = ide::hover(d, at);
        let _ = ide::goto_definition(d, at);
        let _ = ide::references(d, at);
        if ide::prepare_rename(d, at).is_ok() {
            let _ = ide::rename(d, at, "renamed");
        }
        let _ = ide::line_continues(d.text, '\\', at);
        let _ = ide::continuation_indent(d.text, '\\', at, 4);
    }
    let _ = ide::folding_ranges(d);
    let _ = ide::document_symbols(d);
}

#[test]
fn no_panic_at_any_offset_of_any_corpus_file() {
    for (name, text) in corpus() {
        let analysis = analyze(&text, &AnalysisOptions::default());
        let d = Document::new(&text, &analysis);
        let at = offsets(&text, &analysis.doc.tokens);
        std::panic::catch_unwind(|| exercise(&d, &at)).unwrap_or_else(|_| panic!("{name}"));
    }
}

#[test]
fn no_panic_with_an_analysis_of_another_text() {
    // The app may ask with an analysis one keystroke old: spans then point anywhere.
    let files = corpus();
    for pair in files.windows(2).step_by(13) {
        let (old, new) = (&pair[0].1, &pair[1].1);
        let analysis = analyze(old, &AnalysisOptions::default());
        let d = Document::new(new, &analysis);
        let at = offsets(old, &analysis.doc.tokens);
        std::panic::catch_unwind(|| exercise(&d, &at))
            .unwrap_or_else(|_| panic!("{} with {}", pair[1].0, pair[0].0));
    }
    for text in ["", "é", "FROM é\u{301} AS x\nCOPY --from=x é é", "\u{FEFF}"] {
        let analysis = analyze(
            "FROM alpine AS base\nCOPY --from=base /a /b\n",
            &AnalysisOptions::default(),
        );
        let d = Document::new(text, &analysis);
        exercise(&d, &(0..64).collect::<Vec<_>>());
    }
}

/// The stage graph as (from, to, kind) triples between stage indices.
fn graph(text: &str) -> Vec<(usize, usize, String)> {
    let model = analyze(text, &AnalysisOptions::default()).model;
    let mut edges: Vec<_> = model
        .edges
        .iter()
        .filter_map(|e| match e.from {
            EdgeSource::Stage(s) => Some((s, e.to, format!("{:?}", e.kind))),
            _ => None,
        })
        .collect();
    edges.sort();
    edges
}

#[test]
fn renaming_a_stage_keeps_the_graph() {
    let mut renamed = 0;
    for (name, text) in corpus() {
        let analysis = analyze(&text, &AnalysisOptions::default());
        let d = Document::new(&text, &analysis);
        let before = graph(&text);
        for stage in &analysis.model.stages {
            let Some(stage_name) = &stage.name else {
                continue;
            };
            let Some(instruction) = analysis.doc.instructions.get(stage.from_instruction) else {
                continue;
            };
            let Some(at) = instruction
                .from_args()
                .and_then(|f| f.name)
                .map(|w| w.span.start)
            else {
                continue;
            };
            let new_name = format!("renamed-{}", stage.index);
            let Ok(edits) = ide::rename(&d, at, &new_name) else {
                continue;
            };
            let out = apply_edits(&text, &edits);
            assert_eq!(graph(&out), before, "{name}: renaming {stage_name}");
            let renamed_model = analyze(&out, &AnalysisOptions::default()).model;
            assert!(
                renamed_model.stages[stage.index].matches_name(&new_name),
                "{name}"
            );
            renamed += 1;
        }
    }
    assert!(renamed > 100, "only {renamed} stage renames");
}

#[test]
fn definitions_are_among_their_references() {
    let mut checked = 0;
    for (name, text) in corpus() {
        let analysis = analyze(&text, &AnalysisOptions::default());
        let d = Document::new(&text, &analysis);
        for token in analysis.doc.tokens.iter().step_by(5) {
            let at = token.span.start;
            for target in ide::goto_definition(&d, at) {
                let refs = ide::references(&d, at);
                assert!(
                    refs.iter().any(|r| r.span == target.focus_span),
                    "{name} at {at}: {target:?} not in {refs:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 200, "only {checked} definitions");
}
