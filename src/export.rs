//! Exports: the analysis as JSON, SARIF 2.1.0 and a Markdown report. Pure functions of the text,
//! the analysis and the options (tested natively); the app only turns them into downloads.

use serde_json::{json, Value};
use stageplay::analysis::{Analysis, AnalysisOptions};
use stageplay::estimate::size::human;
use stageplay::model::Base;
use stageplay::Span;

/// Where a span starts and ends, 1-based (columns count characters, as editors do).
fn region(text: &str, analysis: &Analysis, span: Span) -> (u32, u32, u32, u32) {
    let a = analysis.line_index.line_col(text, span.start);
    let b = analysis.line_index.line_col(text, span.end);
    (a.line, a.column, b.line, b.column)
}

fn problems_json(text: &str, analysis: &Analysis) -> Vec<Value> {
    analysis
        .problems
        .iter()
        .map(|p| {
            let d = &p.diagnostic;
            let (line, column, end_line, end_column) = region(text, analysis, d.span);
            json!({
                "code": d.code,
                "severity": d.severity.as_str(),
                "message": d.message,
                "help": d.help,
                "layer": p.layer,
                "sources": p.sources,
                "line": line, "column": column, "endLine": end_line, "endColumn": end_column,
                "fix": p.fix.as_ref().map(|f| json!({
                    "title": f.title,
                    "edits": f.edits.iter().map(|e| json!({"start": e.span.start, "end": e.span.end, "insert": e.insert})).collect::<Vec<_>>(),
                })),
            })
        })
        .collect()
}

/// The whole analysis: options, stages and edges, the image estimate and every problem.
pub fn json(text: &str, analysis: &Analysis, options: &AnalysisOptions) -> String {
    let value = json!({
        "tool": "stageplay",
        "options": {
            "target": options.target,
            "buildArgs": options.build_args,
            "contextBytes": options.context_bytes,
        },
        "tooLarge": analysis.too_large,
        "model": analysis.model,
        "estimate": analysis.estimate(),
        "problems": problems_json(text, analysis),
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// SARIF 2.1.0, as `stageplay lint --format sarif` writes it (`stageplay::lint::sarif`): one run,
/// the rules that fired, one result per problem with its region and fix.
pub fn sarif(text: &str, analysis: &Analysis, file: &str) -> String {
    let results = analysis
        .problems
        .iter()
        .map(|p| {
            stageplay::lint::sarif::result(
                file,
                text,
                &analysis.line_index,
                &p.diagnostic,
                p.fix.as_ref(),
            )
        })
        .collect();
    serde_json::to_string_pretty(&stageplay::lint::sarif::log(results)).unwrap_or_default()
}

/// Escapes text for a Markdown table cell or line: no HTML, no table breaks, no code spans.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A Markdown report: stages, the estimated image, and the problems with their lines.
pub fn markdown(text: &str, analysis: &Analysis, options: &AnalysisOptions) -> String {
    let mut out = String::from("# Stageplay report\n\n");
    if let Some(size) = analysis.too_large {
        out.push_str(&format!(
            "The Dockerfile ({size} bytes) is too large to analyse.\n"
        ));
        return out;
    }
    let model = &analysis.model;
    let target = model
        .target
        .and_then(|t| model.stages.get(t))
        .map(|s| s.display_name());
    out.push_str(&format!(
        "- Stages: {}\n- Target: {}\n",
        model.stages.len(),
        target.as_deref().map_or("(none)".to_string(), md)
    ));
    if !options.build_args.is_empty() {
        let args: Vec<String> = options
            .build_args
            .iter()
            .map(|(k, v)| md(&format!("{k}={v}")))
            .collect();
        out.push_str(&format!("- Build args: {}\n", args.join(", ")));
    }
    let est = analysis.estimate();
    out.push_str(&format!(
        "- Estimated image: {} (range {} – {}), {} layers\n\n",
        human(est.total_bytes),
        human(est.low_bytes),
        human(est.high_bytes),
        est.layers.len()
    ));
    out.push_str("## Stages\n\n| # | Stage | Base | Line | Needed by the target |\n|---:|---|---|---:|---|\n");
    for s in &model.stages {
        let base = match &s.base {
            Base::Stage(i) => model.stages.get(*i).map_or_else(
                || format!("stage {i}"),
                |b| format!("stage {}", b.display_name()),
            ),
            Base::Image(image) => image.clone(),
            Base::Scratch => "scratch".into(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            s.index,
            md(&s.display_name()),
            md(&base),
            s.line,
            if s.needed { "yes" } else { "no" }
        ));
    }
    out.push_str(&format!("\n## Problems ({})\n\n", analysis.problems.len()));
    if analysis.problems.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str("| Line | Severity | Code | Message |\n|---:|---|---|---|\n");
        for p in &analysis.problems {
            let d = &p.diagnostic;
            let at = analysis.line_index.line_col(text, d.span.start);
            out.push_str(&format!(
                "| {}:{} | {} | {} | {} |\n",
                at.line,
                at.column,
                d.severity.as_str(),
                md(&d.code),
                md(&d.message)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use stageplay::analysis::analyze;

    const HOSTILE: &str = "FROM alpine AS <img_src=x_onerror=alert(1)>\nRUN echo '| x | <script>' \nFROM scratch\nCOPY --from=0 /a /a\n";

    #[test]
    fn json_and_sarif_are_valid_and_carry_every_problem() {
        let options = AnalysisOptions {
            build_args: vec![("A".into(), "1".into())],
            ..AnalysisOptions::default()
        };
        let analysis = analyze(HOSTILE, &options);
        assert!(!analysis.problems.is_empty());
        let j: Value = serde_json::from_str(&json(HOSTILE, &analysis, &options)).unwrap();
        assert_eq!(
            j["problems"].as_array().unwrap().len(),
            analysis.problems.len()
        );
        assert_eq!(j["model"]["stages"].as_array().unwrap().len(), 2);
        let s: Value = serde_json::from_str(&sarif(HOSTILE, &analysis, "Dockerfile")).unwrap();
        assert_eq!(s["version"], "2.1.0");
        let results = s["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), analysis.problems.len());
        assert!(results
            .iter()
            .all(
                |r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64()
                    >= Some(1)
            ));
    }

    #[test]
    fn markdown_escapes_user_text() {
        let analysis = analyze(HOSTILE, &AnalysisOptions::default());
        let report = markdown(HOSTILE, &analysis, &AnalysisOptions::default());
        assert!(report.contains("## Stages"));
        let unescaped = report
            .match_indices('<')
            .filter(|(i, _)| !report[..*i].ends_with('\\'))
            .count();
        assert_eq!(unescaped, 0, "{report}");
        assert!(report.contains("\\<img"));
        for line in report.lines().filter(|l| l.starts_with("| 0 ")) {
            assert_eq!(line.matches(" | ").count(), 4, "{line}");
        }
    }
}
