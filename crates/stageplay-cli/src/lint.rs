//! `stageplay lint`: stage-aware lint with code frames, JSON or SARIF output, and `--fix`.
//!
//! Exit code: 1 when an error-severity finding exists, 2 on bad input, 0 otherwise.

use crate::input;
use serde_json::{json, Value};
use stageplay::lint::{self, render, LintDiagnostic, LintOptions};
use stageplay::model::{self, ModelOptions};
use stageplay::{syntax, Fix, LineIndex, Severity};
use std::path::Path;

const HELP: &str = "\
usage: stageplay lint [options] FILE...

options:
  --json                 one JSON object per file: {\"file\",\"diagnostics\":[...]}
  --format F             human (default), json or sarif (SARIF 2.1.0 for code scanning)
  --target T             lint for this target stage (default: the last stage)
  --build-arg K=V        build-arg override (repeatable)
  --dockerignore PATH    the .dockerignore to use (default: FILE.dockerignore or .dockerignore beside FILE)
  --no-dockerignore      lint as if there were no .dockerignore
  --ignore CODE[,CODE]   never report these codes
  --preview              also run preview rules (BuildKit's experimental checks)
  --fix                  apply every safe fix in place, then lint the result
  --rules                list every rule (code, severity, fix, stage awareness, sources, summary)
";

pub fn run(args: &[String]) -> i32 {
    let parsed = match input::parse_args(
        args,
        &[
            "--format",
            "--target",
            "--build-arg",
            "--dockerignore",
            "--ignore",
        ],
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if parsed.has("-h") || parsed.has("--help") {
        print!("{HELP}");
        return 0;
    }
    if parsed.has("--rules") {
        for r in lint::rules() {
            let fix = r.fix.map_or("-", render::applicability);
            let aware = if r.stage_aware { "stage-aware" } else { "-" };
            println!(
                "{:<32} {:<8} fix:{:<7} {:<12} {:<60} {}",
                r.code,
                r.severity.as_str(),
                fix,
                aware,
                r.sources.join(","),
                r.summary()
            );
        }
        return 0;
    }
    let format = if parsed.has("--json") {
        "json"
    } else {
        parsed.value("--format").unwrap_or("human")
    };
    if !matches!(format, "human" | "json" | "sarif") {
        eprintln!("stageplay lint: unknown format '{format}' (human, json, sarif)");
        return 2;
    }
    let model_opts = ModelOptions {
        target: parsed.value("--target").map(str::to_string),
        build_args: parsed
            .all_values("--build-arg")
            .iter()
            .map(|kv| match kv.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (kv.to_string(), String::new()),
            })
            .collect(),
        platform: None,
    };
    let inputs = match input::read_all(&parsed.positionals) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let ignore: Vec<String> = parsed
        .all_values("--ignore")
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::to_string)
        .collect();
    let mut any_error = false;
    let mut sarif_results = Vec::new();
    for inp in inputs {
        let dockerignore = if parsed.has("--no-dockerignore") {
            None
        } else if let Some(p) = parsed.value("--dockerignore") {
            match std::fs::read_to_string(p) {
                Ok(t) => Some(t),
                Err(err) => {
                    eprintln!("stageplay: cannot read {p}: {err}");
                    return 2;
                }
            }
        } else {
            find_dockerignore(&inp.name)
        };
        let opts = LintOptions {
            dockerignore,
            ignore: ignore.clone(),
            preview: parsed.has("--preview"),
        };
        let mut text = inp.text;
        if parsed.has("--fix") {
            let fixed = lint::fix_all_safe(&text, &opts, &model_opts);
            if fixed != text && inp.name != "-" {
                if let Err(err) = std::fs::write(&inp.name, &fixed) {
                    eprintln!("stageplay: cannot write {}: {err}", inp.name);
                    return 2;
                }
            }
            text = fixed;
        }
        let doc = syntax::parse(&text);
        let model = model::build(&doc, &model_opts);
        let diags = lint::lint(&text, &doc, &model, &opts);
        any_error |= diags
            .iter()
            .any(|d| d.diagnostic.severity == Severity::Error);
        let index = LineIndex::new(&text);
        match format {
            "json" => println!("{}", file_json(&inp.name, &text, &index, &diags)),
            "sarif" => sarif_results.extend(diags.iter().map(|d| {
                lint::sarif::result(&inp.name, &text, &index, &d.diagnostic, d.fix.as_ref())
            })),
            _ => {
                for d in &diags {
                    println!("{}", render::code_frame(&inp.name, &text, &index, d));
                }
                let (e, w, i) = count(&diags);
                if !diags.is_empty() {
                    println!("{}: {e} error(s), {w} warning(s), {i} info", inp.name);
                }
            }
        }
    }
    if format == "sarif" {
        println!(
            "{}",
            serde_json::to_string_pretty(&lint::sarif::log(sarif_results)).unwrap_or_default()
        );
    }
    i32::from(any_error)
}

fn find_dockerignore(file: &str) -> Option<String> {
    if file == "-" {
        return None;
    }
    let path = Path::new(file);
    let specific = format!("{file}.dockerignore");
    let beside = path.parent().map(|p| p.join(".dockerignore"));
    std::fs::read_to_string(&specific)
        .ok()
        .or_else(|| beside.and_then(|b| std::fs::read_to_string(b).ok()))
}

fn count(diags: &[LintDiagnostic]) -> (usize, usize, usize) {
    let n = |s| diags.iter().filter(|d| d.diagnostic.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
}

fn range(text: &str, index: &LineIndex, span: stageplay::Span) -> (u32, u32, u32, u32) {
    let s = index.line_col(text, span.start);
    let e = index.line_col(text, span.end);
    (s.line, s.column, e.line, e.column)
}

fn fix_json(text: &str, index: &LineIndex, fix: &Fix) -> Value {
    let edits: Vec<Value> = fix
        .edits
        .iter()
        .map(|e| {
            let (l, c, el, ec) = range(text, index, e.span);
            json!({"line": l, "column": c, "end_line": el, "end_column": ec, "insert": e.insert})
        })
        .collect();
    json!({"title": fix.title, "applicability": render::applicability(fix.applicability), "edits": edits})
}

fn file_json(name: &str, text: &str, index: &LineIndex, diags: &[LintDiagnostic]) -> Value {
    let list: Vec<Value> = diags
        .iter()
        .map(|d| {
            let (l, c, el, ec) = range(text, index, d.diagnostic.span);
            let mut v = json!({
                "code": d.code,
                "sources": d.sources,
                "severity": d.diagnostic.severity.as_str(),
                "line": l, "column": c, "end_line": el, "end_column": ec,
                "message": d.diagnostic.message,
            });
            if let Some(fix) = &d.fix {
                v["fix"] = fix_json(text, index, fix);
            }
            v
        })
        .collect();
    json!({"file": name, "diagnostics": list})
}
