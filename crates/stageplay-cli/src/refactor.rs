//! `stageplay refactor`: multi-stage refactoring suggestions.
//!
//! `stageplay refactor FILE` lists the suggestions; `--json` prints
//! `[{"id","title","applicability","edits","size_before","size_after",…}]`; `--apply-all` prints
//! the refactored Dockerfile; `--only ID` / `--skip ID` choose refactors; `--report` prints the
//! coverage report (Markdown) over the files given. The text output ends with the refactors
//! that could apply but are not offered, each with the reason (`refactor::declined`).

use crate::input::{comma_list, read_all};
use crate::options::BuildOptions;
use stageplay::refactor::{self, RefactorOptions};
use stageplay::span::LineIndex;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The suggestions as JSON (an array; one object per file when several are given).
    #[arg(long)]
    json: bool,
    /// Print the Dockerfile with every suggestion applied.
    #[arg(long, conflicts_with_all = ["apply", "report"])]
    apply_all: bool,
    /// Print the Dockerfile with this one refactor applied.
    #[arg(long, value_name = "ID", conflicts_with = "report")]
    apply: Option<String>,
    /// Run only these refactors (comma-separated ids, repeatable).
    #[arg(long, value_name = "ID[,ID]")]
    only: Vec<String>,
    /// Never run these refactors (comma-separated ids, repeatable).
    #[arg(long, value_name = "ID[,ID]")]
    skip: Vec<String>,
    /// The coverage report (Markdown) over every Dockerfile under the paths given.
    #[arg(long)]
    report: bool,
    #[command(flatten)]
    build: BuildOptions,
    /// Dockerfiles to read (`-` for standard input); with --report, files or folders.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
}

pub fn run(args: &Args) -> i32 {
    let opts = RefactorOptions {
        model: args.build.model_options(),
        only: comma_list(&args.only),
        skip: comma_list(&args.skip),
        // `stageplay refactor` reads no build context: nothing is known of it.
        estimate: Default::default(),
    };
    if args.report {
        return report(&args.files);
    }
    let inputs = match read_all(&args.files) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let many = inputs.len() > 1;
    let mut json_all = Vec::new();
    for input in &inputs {
        if args.apply_all {
            print!("{}", refactor::apply_all(&input.text, &opts));
            continue;
        }
        if let Some(id) = args.apply.as_deref() {
            match refactor::apply_one(&input.text, id, &opts) {
                Some(out) => print!("{out}"),
                None => {
                    eprintln!("stageplay refactor: {id} does not apply to {}", input.name);
                    print!("{}", input.text);
                }
            }
            continue;
        }
        let (doc, model) = refactor::analyse(&input.text, &opts);
        // The text output also lists what is declined: one review gates each draft once.
        let refactor::Review {
            suggestions,
            declined,
        } = if args.json {
            refactor::Review {
                suggestions: refactor::suggest(&input.text, &doc, &model, &opts),
                declined: Vec::new(),
            }
        } else {
            refactor::review(&input.text, &doc, &model, &opts)
        };
        if args.json {
            let index = LineIndex::new(&input.text);
            let items: Vec<serde_json::Value> = suggestions
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "id": s.id,
                        "title": s.title,
                        "applicability": s.applicability,
                        "explanation": s.explanation,
                        "edits": s.edits.iter().map(|e| {
                            let start = index.line_col(&input.text, e.span.start);
                            let end = index.line_col(&input.text, e.span.end);
                            serde_json::json!({"start": e.span.start, "end": e.span.end,
                                "start_line": start.line, "start_column": start.column,
                                "end_line": end.line, "end_column": end.column, "insert": e.insert})
                        }).collect::<Vec<_>>(),
                        "size_before": s.size_before,
                        "size_after": s.size_after,
                        "layers_before": s.layers_before,
                        "layers_after": s.layers_after,
                        "size_note": s.size_note,
                        "sources": s.sources,
                    })
                })
                .collect();
            if many {
                json_all.push(serde_json::json!({"file": input.name, "suggestions": items}));
            } else {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&items).unwrap_or_default()
                );
            }
            continue;
        }
        if many {
            println!("== {}", input.name);
        }
        if suggestions.is_empty() {
            println!("no suggestions");
        }
        for s in &suggestions {
            let size = match (s.size_before, s.size_after) {
                (Some(b), Some(a)) => format!(" [{} → {}]", mb(b), mb(a)),
                _ => String::new(),
            };
            println!("{} ({:?}){size}: {}", s.id, s.applicability, s.title);
            println!("    {}", s.explanation);
        }
        // Refactors that could apply but cannot be shown safe here, and why.
        for (id, reason) in &declined {
            println!("{id} (not offered): {reason}");
        }
    }
    if !json_all.is_empty() {
        println!(
            "{}",
            serde_json::to_string_pretty(&json_all).unwrap_or_default()
        );
    }
    0
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// `--report DIR|FILE…`: the coverage report over every Dockerfile found.
fn report(paths: &[String]) -> i32 {
    let mut files = Vec::new();
    for p in paths {
        collect(std::path::Path::new(p), &mut files);
    }
    files.sort();
    let mut inputs = Vec::new();
    for f in &files {
        if let Ok(bytes) = std::fs::read(f) {
            inputs.push((
                f.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    let report = refactor::report::coverage(&inputs);
    print!("{}", refactor::report::markdown(&report));
    0
}

fn collect(path: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for e in entries.flatten() {
                collect(&e.path(), out);
            }
        }
    } else if path.is_file() {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let is_dockerfile = name.contains("Dockerfile")
            || name.ends_with(".dockerfile")
            || name.starts_with("Containerfile");
        if is_dockerfile && !name.ends_with(".md") {
            out.push(path.to_path_buf());
        }
    }
}
