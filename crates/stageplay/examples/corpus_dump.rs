//! The behaviour freeze: writes everything the engine says about every Dockerfile the repository
//! holds, so a change that must not alter behaviour (a move, a split, a rename) can be checked
//! by diffing two dumps. Run through `cargo xtask corpus-dump OUT_DIR`, or directly:
//! `cargo run -p stageplay --example corpus_dump -- OUT_DIR [EXTRA_DIR...]`.
//!
//! Inputs: the corpus copy (`tests/corpus`), the lint and refactor fixtures (`tests/fixtures`)
//! and the gallery (`gallery/`); each `EXTRA_DIR` (e.g. `../shared/corpus`) adds the files whose
//! content is not already among them. For each input it writes `OUT_DIR/<path>.dump`: the parse
//! (BuildKit's dump and the tree as JSON), the model (JSON, outline, layout, DOT, Mermaid, SVG),
//! the lint findings (JSON, code frames, fix diffs; default options and preview with a
//! `.dockerignore`), the estimate (JSON, report, alternatives), the refactors (suggestions,
//! each one's output, apply-all) and the editor features (format, folding, outline, and hover,
//! definition and references on every word). `OUT_DIR/_engine.dump` holds the rules reference, the
//! refactor list and the gallery. The dump is deterministic: the same engine gives the same bytes.

use serde_json::{json, Value};
use stageplay::analysis::{self, AnalysisOptions};
use stageplay::estimate::{self, report as estimate_report};
use stageplay::ide::{self, Document, FormatOptions};
use stageplay::lint::{self, render, LintOptions};
use stageplay::model::{self, export, layout, ModelOptions};
use stageplay::refactor::{self, RefactorOptions};
use stageplay::syntax::{self, TokenKind};
use stageplay::LineIndex;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The `.dockerignore` used by the second lint run, unless the file's first line says
/// `# lint-options: dockerignore=a;b` (the lint fixtures' convention).
const DOCKERIGNORE: &str = "node_modules\n.git\n*.log\n.env\n**/*.pem\n!keep.log\n";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((out, extra)) = args.split_first() else {
        eprintln!("usage: corpus_dump OUT_DIR [EXTRA_DIR...]");
        std::process::exit(2);
    };
    let out = PathBuf::from(out);
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs: Vec<(String, PathBuf)> = Vec::new();
    for (label, dir) in [
        ("corpus", crate_dir.join("tests/corpus")),
        ("fixtures", crate_dir.join("tests/fixtures")),
        ("gallery", crate_dir.join("gallery")),
    ] {
        collect(&dir, &dir, label, &mut inputs);
    }
    let mut seen: HashSet<Vec<u8>> = inputs
        .iter()
        .filter_map(|(_, p)| std::fs::read(p).ok())
        .collect();
    for (n, dir) in extra.iter().enumerate() {
        let dir = PathBuf::from(dir);
        if !dir.is_dir() {
            eprintln!("corpus_dump: {} is not a directory, skipped", dir.display());
            continue;
        }
        let mut more = Vec::new();
        collect(&dir, &dir, &format!("extra{n}"), &mut more);
        for (name, path) in more {
            if std::fs::read(&path).is_ok_and(|bytes| seen.insert(bytes)) {
                inputs.push((name, path));
            }
        }
    }
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("corpus_dump: {}: {e}", out.display());
        std::process::exit(1);
    }
    write(&out.join("_engine.dump"), &engine());
    for (name, path) in &inputs {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("corpus_dump: {}: {e}", path.display());
                std::process::exit(1);
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        write(&out.join(format!("{name}.dump")), &dump(&text));
    }
    eprintln!(
        "corpus_dump: {} inputs written to {}",
        inputs.len(),
        out.display()
    );
}

/// Every Dockerfile under `dir` as (`label/relative path`, path), sorted. Skips the corpus's
/// own metadata and BuildKit's expected `result` files.
fn collect(root: &Path, dir: &Path, label: &str, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(e) => e.flatten().map(|e| e.path()).collect(),
        Err(_) => return,
    };
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, label, out);
            continue;
        }
        let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
        let skip = matches!(
            file,
            "INDEX.tsv"
                | "PROVENANCE.md"
                | "README.md"
                | "oracle.jsonl"
                | "oracle_dump.py"
                | "result"
        );
        if skip {
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        out.push((format!("{label}/{rel}"), path));
    }
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Err(e) = std::fs::write(path, text) {
        eprintln!("corpus_dump: {}: {e}", path.display());
        std::process::exit(1);
    }
}

fn pretty<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("<not serialisable: {e}>"))
}

fn section(out: &mut String, title: &str, body: &str) {
    let _ = writeln!(out, "===== {title} =====");
    out.push_str(body);
    if !body.ends_with('\n') {
        out.push('\n');
    }
}

/// What the engine knows without an input: the rules reference, the refactors, the gallery.
fn engine() -> String {
    let mut out = String::new();
    let rules: Vec<Value> = lint::rules()
        .iter()
        .map(|r| {
            json!({
                "meta": r,
                "is_buildkit": r.is_buildkit(),
                "has_fix": r.has_fix(),
                "summary": r.summary(),
                "doc_markdown": r.doc_markdown(),
                "lookup": lint::rule(&r.code.to_lowercase()).map(|m| m.code),
            })
        })
        .collect();
    section(&mut out, "lint rules", &pretty(&rules));
    let refactors: Vec<Value> = refactor::REFACTORS
        .iter()
        .map(|(m, _)| json!({"id": m.id, "title": m.title, "sources": m.sources}))
        .collect();
    section(&mut out, "refactors", &pretty(&refactors));
    let examples: Vec<Value> = stageplay::examples::EXAMPLES
        .iter()
        .map(|e| json!({"id": e.id, "title": e.title, "hint": e.hint, "text": e.text}))
        .collect();
    section(&mut out, "examples", &pretty(&examples));
    out
}

/// Everything the engine says about one text.
fn dump(text: &str) -> String {
    let mut out = String::new();
    let index = LineIndex::new(text);

    // Syntax.
    let doc = syntax::parse(text);
    section(&mut out, "parse: buildkit dump", &syntax::dump::dump(&doc));
    section(&mut out, "parse: tree", &pretty(&doc));

    // Model and graph.
    let model = model::build(&doc, &ModelOptions::default());
    section(&mut out, "model", &pretty(&model));
    section(
        &mut out,
        "model: outline",
        &pretty(&model::outline(&doc, &model)),
    );
    section(&mut out, "graph: layout", &pretty(&layout::layout(&model)));
    section(&mut out, "graph: dot", &export::dot(&model));
    section(&mut out, "graph: mermaid", &export::mermaid(&model));
    section(&mut out, "graph: svg", &export::svg(&model));

    // Lint, as the Problems pane shows it (every layer) and as the CLI renders it.
    let analysis = analysis::analyze(text, &AnalysisOptions::default());
    let problems: Vec<Value> = analysis
        .problems
        .iter()
        .map(|p| {
            json!({
                "layer": p.layer,
                "diagnostic": p.diagnostic,
                "sources": p.sources,
                "fix": p.fix,
            })
        })
        .collect();
    section(&mut out, "lint: problems", &pretty(&problems));
    let mut frames = String::new();
    for d in &analysis.lint {
        frames.push_str(&render::code_frame("Dockerfile", text, &index, d));
        if let Some(fix) = &d.fix {
            frames.push_str(&render::fix_diff(text, fix));
        }
        frames.push('\n');
    }
    section(&mut out, "lint: code frames", &frames);
    let opts = LintOptions {
        dockerignore: Some(dockerignore(text)),
        preview: true,
        ..LintOptions::default()
    };
    let preview = lint::lint(text, &doc, &model, &opts);
    section(&mut out, "lint: preview + dockerignore", &pretty(&preview));
    section(
        &mut out,
        "lint: fix all safe",
        &lint::fix_all_safe(text, &LintOptions::default(), &ModelOptions::default()),
    );

    // Editor features: the whole-file ones, and the cursor ones at the start of every word.
    section(
        &mut out,
        "ide: format",
        &ide::format(text, &FormatOptions::default()),
    );
    let document = Document::new(text, &analysis);
    section(
        &mut out,
        "ide: folding",
        &pretty(&ide::folding_ranges(&document)),
    );
    section(
        &mut out,
        "ide: symbols",
        &pretty(&ide::document_symbols(&document)),
    );
    let cursors: Vec<Value> = doc
        .tokens
        .iter()
        .filter(|t| {
            matches!(
                t.kind,
                TokenKind::Keyword
                    | TokenKind::FlagName
                    | TokenKind::FlagValue
                    | TokenKind::Word
                    | TokenKind::String
                    | TokenKind::Variable
                    | TokenKind::SubKeyword
            )
        })
        .map(|t| {
            let at = t.span.start;
            json!({
                "offset": at,
                "hover": ide::hover(&document, at),
                "definition": ide::goto_definition(&document, at),
                "references": ide::references(&document, at),
            })
        })
        .collect();
    section(&mut out, "ide: at each word", &pretty(&cursors));

    // Estimate.
    let est = estimate::estimate(&doc, &model, &estimate::EstimateOptions::default());
    section(&mut out, "estimate", &pretty(&est));
    section(&mut out, "estimate: report", &estimate_report::render(&est));
    let alternatives =
        estimate::compare_alternatives(&doc, &model, &estimate::EstimateOptions::default());
    section(&mut out, "estimate: alternatives", &pretty(&alternatives));

    // Refactors.
    let ropts = RefactorOptions::default();
    section(
        &mut out,
        "refactor: project",
        &pretty(&refactor::recognise(&doc, &model)),
    );
    let suggestions = analysis::suggestions(text, &analysis, &AnalysisOptions::default());
    section(&mut out, "refactor: suggestions", &pretty(&suggestions));
    for s in &suggestions {
        let applied = refactor::apply_one(text, &s.id, &ropts);
        section(
            &mut out,
            &format!("refactor: apply {}", s.id),
            applied.as_deref().unwrap_or("<does not apply>\n"),
        );
    }
    section(
        &mut out,
        "refactor: apply all",
        &refactor::apply_all(text, &ropts),
    );
    out
}

fn dockerignore(text: &str) -> String {
    text.lines()
        .next()
        .and_then(|l| l.strip_prefix("# lint-options:"))
        .and_then(|rest| {
            rest.split_whitespace()
                .find_map(|item| item.strip_prefix("dockerignore="))
        })
        .map_or_else(|| DOCKERIGNORE.to_string(), |v| v.replace(';', "\n"))
}
