//! SARIF 2.1.0 (the format of code-scanning services) for findings: one writer shared by
//! `stageplay lint --format sarif` and the app's export.
//!
//! Columns count Unicode scalar values (`columnKind: unicodeCodePoints`), as the engine's
//! [`LineIndex::line_col`] does. A result's `ruleId` is the finding's code; the run's `rules`
//! are the rules that fired, with their documentation (codes of syntax or stage problems,
//! which are not lint rules, get an entry with the id only).

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::span::{LineIndex, Span};
use serde_json::{json, Value};

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region(text: &str, index: &LineIndex, span: Span) -> Value {
    let start = index.line_col(text, span.start);
    let end = index.line_col(text, span.end);
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

/// One result: a finding in the file `uri` whose text is `text`, with its fix if it has one.
pub fn result(
    uri: &str,
    text: &str,
    index: &LineIndex,
    diagnostic: &Diagnostic,
    fix: Option<&Fix>,
) -> Value {
    let mut v = json!({
        "ruleId": diagnostic.code,
        "level": level(diagnostic.severity),
        "message": {"text": diagnostic.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri},
            "region": region(text, index, diagnostic.span),
        }}],
    });
    if let Some(fix) = fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": region(text, index, e.span),
                    "insertedContent": {"text": e.insert},
                })
            })
            .collect();
        v["fixes"] = json!([{
            "description": {"text": fix.title},
            "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
        }]);
    }
    v
}

/// A SARIF log of one run holding `results` (from [`result`]) and the rules they name.
pub fn log(results: Vec<Value>) -> Value {
    let mut fired: Vec<&str> = Vec::new();
    for r in &results {
        if let Some(id) = r["ruleId"].as_str() {
            if !fired.contains(&id) {
                fired.push(id);
            }
        }
    }
    let rules: Vec<Value> = fired
        .iter()
        .map(|id| match super::rule(id) {
            Some(r) => json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary()},
                "fullDescription": {"text": r.doc_markdown()},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"sources": r.sources, "stageAware": r.stage_aware},
            }),
            None => json!({"id": id}),
        })
        .collect();
    json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {"name": "stageplay", "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::TextEdit;

    #[test]
    fn results_carry_regions_fixes_and_the_rules_that_fired() {
        let text = "FROM a\nrun é x\n";
        let index = LineIndex::new(text);
        let d = Diagnostic::warning("DL3027", Span::new(7, 10), "message");
        let fix = Fix {
            title: "Upper-case it".into(),
            applicability: crate::Applicability::Safe,
            edits: vec![TextEdit {
                span: Span::new(7, 10),
                insert: "RUN".into(),
            }],
        };
        let other = Diagnostic::error("syntax/unknown", Span::new(11, 14), "m2");
        let log = log(vec![
            result("Dockerfile", text, &index, &d, Some(&fix)),
            result("Dockerfile", text, &index, &other, None),
            result("Dockerfile", text, &index, &d, None),
        ]);
        let run = &log["runs"][0];
        assert_eq!(run["results"].as_array().map(Vec::len), Some(3));
        let region = &run["results"][0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            (region["startLine"].as_u64(), region["startColumn"].as_u64()),
            (Some(2), Some(1))
        );
        // 'é' is one column: the second result starts at column 5 of line 2.
        let region = &run["results"][1]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startColumn"].as_u64(), Some(5));
        assert_eq!(
            run["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"][0]
                ["insertedContent"]["text"],
            "RUN"
        );
        let rules: Vec<&str> = run["tool"]["driver"]["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["id"].as_str())
            .collect();
        assert_eq!(rules, vec!["DL3027", "syntax/unknown"]);
        assert!(run["tool"]["driver"]["rules"][0]["fullDescription"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        assert_eq!(run["results"][1]["level"], "error");
    }
}
