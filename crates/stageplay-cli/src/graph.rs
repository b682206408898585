//! `stageplay graph`: the stage graph of a Dockerfile.
//!
//! `--json` prints one JSON object per file (stages, edges, target, levels, critical path,
//! outline, diagnostics); `--format dot|mermaid|svg` prints that export; without either, a
//! readable outline. `--target T`, `--build-arg K=V` (repeatable) and `--platform P` choose
//! what the model is built for.

use crate::input::{read_all, Input};
use crate::options::BuildOptions;
use serde_json::{json, Value};
use stageplay::model::{self, Base, EdgeKind, EdgeSource, Model};
use stageplay::syntax::{self, Dockerfile};
use stageplay::LineIndex;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// One JSON object per file: stages, edges, target, levels, critical path, outline, diagnostics.
    #[arg(long)]
    json: bool,
    /// Print this export instead of the outline.
    #[arg(long, value_enum)]
    format: Option<GraphFormat>,
    #[command(flatten)]
    build: BuildOptions,
    /// Dockerfiles to read (`-` for standard input).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum GraphFormat {
    Dot,
    Mermaid,
    Svg,
    Json,
}

pub fn run(args: &Args) -> i32 {
    let opts = args.build.model_options();
    let inputs = match read_all(&args.files) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let json_out = args.json || args.format == Some(GraphFormat::Json);
    for input in &inputs {
        let doc = syntax::parse(&input.text);
        let model = model::build(&doc, &opts);
        match args.format {
            Some(GraphFormat::Dot) => print!("{}", model::export::dot(&model)),
            Some(GraphFormat::Mermaid) => print!("{}", model::export::mermaid(&model)),
            Some(GraphFormat::Svg) => print!("{}", model::export::svg(&model)),
            _ if json_out => println!("{}", to_json(input, &doc, &model)),
            _ => print!("{}", human(input, &doc, &model)),
        }
    }
    0
}

/// The JSON shape documented in issue 4, plus outline, critical path and diagnostics.
pub fn to_json(input: &Input, doc: &Dockerfile, model: &Model) -> Value {
    let index = LineIndex::new(&input.text);
    let stages: Vec<Value> = model
        .stages
        .iter()
        .map(|s| {
            let base = match &s.base {
                Base::Stage(i) => json!({"kind": "stage", "stage": i}),
                Base::Image(r) => json!({"kind": "image", "image": r}),
                Base::Scratch => json!({"kind": "scratch"}),
            };
            json!({
                "index": s.index,
                "name": s.name,
                "base": base,
                "base_text": s.base_text,
                "platform": s.platform,
                "line": s.line,
                "reachable": s.needed,
                "level": s.level,
                "description": s.description,
            })
        })
        .collect();
    let edges: Vec<Value> = model
        .edges
        .iter()
        .map(|e| {
            let from = match &e.from {
                EdgeSource::Stage(i) => json!({"stage": i}),
                EdgeSource::Image(r) => json!({"image": r}),
                EdgeSource::Context => json!({"context": true}),
            };
            json!({
                "from": from,
                "to": e.to,
                "kind": kind_str(e.kind),
                "instruction": e.keyword.as_str(),
                "line": e.line,
            })
        })
        .collect();
    let diagnostics: Vec<Value> = model
        .diagnostics
        .iter()
        .map(|d| {
            let at = index.line_col(&input.text, d.span.start);
            json!({"code": d.code, "severity": d.severity.as_str(), "message": d.message, "line": at.line, "column": at.column, "help": d.help})
        })
        .collect();
    let outline = model::outline(doc, model);
    json!({
        "file": input.name,
        "stages": stages,
        "edges": edges,
        "target": model.target,
        "levels": model.levels,
        "critical_path": model.critical_path,
        "outline": outline,
        "diagnostics": diagnostics,
    })
}

fn kind_str(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::From => "from",
        EdgeKind::Copy => "copy",
        EdgeKind::Mount => "mount",
    }
}

/// A readable outline: stages, references, build order, what the target needs, diagnostics.
pub fn human(input: &Input, doc: &Dockerfile, model: &Model) -> String {
    let mut out = String::new();
    let name = |i: usize| {
        model
            .stages
            .get(i)
            .map_or(format!("stage-{i}"), |s| s.display_name())
    };
    let count = model.stages.len();
    out.push_str(&format!(
        "{}: {count} stage{}",
        input.name,
        if count == 1 { "" } else { "s" }
    ));
    if let Some(t) = model.target {
        out.push_str(&format!(", target {}", name(t)));
    }
    out.push('\n');
    if count > 0 {
        out.push_str("\nstages:\n");
    }
    for s in &model.stages {
        let base = match &s.base {
            Base::Stage(b) => format!("stage {}", name(*b)),
            Base::Image(r) => r.clone(),
            Base::Scratch => "scratch".to_string(),
        };
        let state = if model.target == Some(s.index) {
            "target"
        } else if s.needed {
            "needed"
        } else {
            "skipped"
        };
        let platform = s
            .platform
            .as_deref()
            .map(|p| format!(" --platform={p}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {:>2}  {:<24} line {:<4} {:<7} FROM{platform} {base}\n",
            s.index,
            s.display_name(),
            s.line,
            state
        ));
    }
    let refs: Vec<_> = model
        .edges
        .iter()
        .filter(|e| e.kind != EdgeKind::From || matches!(e.from, EdgeSource::Stage(_)))
        .collect();
    if !refs.is_empty() {
        out.push_str("\nreferences:\n");
        for e in refs {
            let from = match &e.from {
                EdgeSource::Stage(i) => name(*i),
                EdgeSource::Image(r) => format!("image {r}"),
                EdgeSource::Context => "build context".to_string(),
            };
            out.push_str(&format!(
                "  line {:<4} {:<6} {from} -> {}\n",
                e.line,
                e.keyword.as_str(),
                name(e.to)
            ));
        }
    }
    if !model.levels.is_empty() {
        out.push_str("\nbuild order (stages on one level build in parallel):\n");
        for (i, level) in model.levels.iter().enumerate() {
            let names: Vec<String> = level.iter().map(|s| name(*s)).collect();
            out.push_str(&format!("  {}. {}\n", i + 1, names.join(", ")));
        }
        let path: Vec<String> = model.critical_path.iter().map(|s| name(*s)).collect();
        out.push_str(&format!("  critical path: {}\n", path.join(" -> ")));
        let skipped: Vec<String> = model
            .stages
            .iter()
            .filter(|s| !s.needed)
            .map(|s| s.display_name())
            .collect();
        if !skipped.is_empty() {
            out.push_str(&format!("  skipped: {}\n", skipped.join(", ")));
        }
    }
    let outline = model::outline(doc, model);
    if !outline.args.is_empty() {
        out.push_str("\nbuild args:\n");
        for a in &outline.args {
            let value = a
                .value
                .as_deref()
                .map(|v| format!("={v}"))
                .unwrap_or_default();
            let desc = a
                .description
                .as_deref()
                .map(|d| format!("  # {}", d.replace('\n', " ")))
                .unwrap_or_default();
            out.push_str(&format!("  {}{value}{desc}\n", a.name));
        }
    }
    for (title, list) in [("secrets", &outline.secrets), ("ssh", &outline.ssh)] {
        if !list.is_empty() {
            out.push_str(&format!("\n{title}:\n"));
            for s in list {
                out.push_str(&format!(
                    "  {}{} (line {})\n",
                    s.id,
                    if s.required { " (required)" } else { "" },
                    s.line
                ));
            }
        }
    }
    if !outline.caches.is_empty() {
        out.push_str("\ncache mounts:\n");
        for c in &outline.caches {
            out.push_str(&format!(
                "  {} id={} sharing={} in {} (line {})\n",
                c.target,
                c.id,
                c.sharing,
                name(c.stage),
                c.line
            ));
        }
    }
    if !model.diagnostics.is_empty() {
        let index = LineIndex::new(&input.text);
        out.push_str("\ndiagnostics:\n");
        for d in &model.diagnostics {
            let at = index.line_col(&input.text, d.span.start);
            out.push_str(&format!(
                "  {}:{}:{}: {} [{}] {}\n",
                input.name,
                at.line,
                at.column,
                d.severity.as_str(),
                d.code,
                d.message
            ));
        }
    }
    out
}
