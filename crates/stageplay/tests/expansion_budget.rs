//! `$VAR` expansion work stays linear in the input (issue 16): chains of ARG or ENV values that
//! double at each line stop at the expansion budget, keep their text as written and say so,
//! in every pass that expands (model, estimate, lint, refactor, hover).
//!
//! Without the budget, the 64-line chains below ask for 2^64 bytes: these tests would not end.

use stageplay::analysis::{analyze, suggestions, AnalysisOptions};
use stageplay::ide::{self, Document};
use stageplay::syntax::expand::Budget;

/// `KIND V0=x`, then `KIND Vi=${Vi-1}${Vi-1}` for i in 1..lines.
fn chain(kind: &str, lines: usize) -> String {
    let mut text = String::new();
    text.push_str(&format!("{kind} V0=x\n"));
    for i in 1..lines {
        text.push_str(&format!("{kind} V{i}=${{V{}}}${{V{}}}\n", i - 1, i - 1));
    }
    text
}

/// The values a pass may add up to for `text`.
fn limit(text: &str) -> usize {
    Budget::BASE + Budget::PER_INPUT_BYTE * text.len()
}

#[test]
fn a_doubling_arg_chain_stops_at_the_budget_with_a_diagnostic() {
    let text = chain("ARG", 64) + "FROM alpine:$V2\nRUN echo $V63\n";
    let analysis = analyze(&text, &AnalysisOptions::default());
    // Once spent, the budget stays spent: the FROM after the chain keeps its text as written.
    assert!(
        matches!(&analysis.model.stages[0].base, stageplay::model::Base::Image(i) if i == "alpine:$V2")
    );
    // Every ARG value is at most the budget; the ones past it stay as written.
    let values: Vec<&str> = analysis
        .model
        .global_args
        .iter()
        .filter_map(|a| a.value.as_deref())
        .collect();
    assert_eq!(values.len(), 64);
    assert!(values.iter().all(|v| v.len() <= limit(&text)));
    assert_eq!(values[63], "${V62}${V62}");
    let stopped: Vec<_> = analysis
        .model
        .diagnostics
        .iter()
        .filter(|d| d.code == "stage/expand-error" && d.message.contains("expansion stopped"))
        .collect();
    assert!(!stopped.is_empty(), "{:?}", analysis.model.diagnostics);
    // The other passes run over the same values.
    let _ = analysis.estimate();
    let _ = suggestions(&text, &analysis, &AnalysisOptions::default());
}

#[test]
fn a_doubling_env_chain_stops_in_the_estimate_lint_and_refactors() {
    let text = format!(
        "FROM python:3.12-slim AS build\n{}RUN pip install $V63 \"$V40\" && echo $V20 > /$V30\nFROM build\nCOPY --from=build /$V50 /app\n",
        chain("ENV", 64)
    );
    let analysis = analyze(&text, &AnalysisOptions::default());
    let estimate = analysis.estimate();
    assert!(
        estimate.notes.iter().any(|n| n.contains("stay as written")),
        "{:?}",
        estimate.notes
    );
    // What the estimate shows is bounded by what the budget allowed.
    let json = serde_json::to_string(estimate).unwrap();
    assert!(json.len() <= 4 * limit(&text), "{} bytes", json.len());
    let _ = suggestions(&text, &analysis, &AnalysisOptions::default());
    // Hover over the last definition: expanded once per definition, cut for display.
    let doc = Document::new(&text, &analysis);
    let at = text.rfind("ENV V63").unwrap() as u32 + 4;
    let _ = ide::hover(&doc, at);
}

/// Random chains: ARG and ENV lines that each reference earlier ones several times (doubling,
/// tripling, through `${V:-…}` and `${V%…}`), before and after FROM, used by RUN and COPY.
/// Whatever the mix, every pass ends and what it keeps is bounded by the budget.
#[test]
fn random_reference_chains_stay_within_the_budget() {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut stopped = 0;
    for case in 0..6 {
        let mut text = String::from("ARG A0=ab\n");
        let lines = 30 + next(30);
        let mut from_at = next(lines);
        for i in 1..lines {
            if i == from_at {
                text.push_str("FROM alpine:$A0 AS s\nENV A0=cd\n");
                from_at = usize::MAX;
            }
            let kind = if from_at == usize::MAX && next(2) == 0 {
                "ENV"
            } else {
                "ARG"
            };
            let refs: Vec<String> = (0..2 + next(3))
                .map(|_| {
                    let j = i - 1 - next(i.min(3));
                    match next(4) {
                        0 => format!("$A{j}"),
                        1 => format!("${{A{j}:-z}}"),
                        2 => format!("${{A{j}%b}}"),
                        _ => format!("${{A{j}}}"),
                    }
                })
                .collect();
            text.push_str(&format!("{kind} A{i}={}\n", refs.join("")));
        }
        text.push_str("RUN echo $A10 ${A20} \"$A29\" > /tmp/$A5\nCOPY $A7 /x/\n");
        let analysis = analyze(&text, &AnalysisOptions::default());
        let bound = limit(&text) + text.len();
        for a in &analysis.model.global_args {
            assert!(
                a.value.as_deref().unwrap_or("").len() <= bound,
                "case {case}"
            );
        }
        let json = serde_json::to_string(analysis.estimate()).unwrap();
        assert!(json.len() <= 4 * bound, "case {case}: {} bytes", json.len());
        let _ = suggestions(&text, &analysis, &AnalysisOptions::default());
        stopped += analysis
            .model
            .diagnostics
            .iter()
            .any(|d| d.message.contains("expansion stopped")) as usize;
    }
    // The generator does reach the budget (most chains outgrow it).
    assert!(stopped >= 3, "{stopped} of 6");
}
