//! Shared helpers for the engine's tests: the corpus copied into `tests/corpus`, the one
//! snapshot helper ([`snapshot`]), and the engine run on a text (estimate, its file paths, the
//! runtime check's findings).

#![allow(dead_code)]

pub mod snapshot;

use std::path::{Path, PathBuf};

/// The corpus directory.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("corpus")
}

/// Reads a corpus file (all corpus files are UTF-8).
pub fn read(relative: &str) -> String {
    let path = corpus_dir().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Every Dockerfile of the corpus, as paths relative to the corpus directory, sorted.
pub fn all_files() -> Vec<String> {
    let mut out = Vec::new();
    for top in ["buildkit-testfiles", "buildkit-fixtures", "real", "tricky"] {
        walk(&corpus_dir().join(top), &mut out);
    }
    let base = corpus_dir();
    let mut files: Vec<String> = out
        .into_iter()
        .filter(|p| !p.ends_with("result"))
        .map(|p| {
            p.strip_prefix(&base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// Every file under `dir`, in sub-folders too, appended to `out`.
pub fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The Rust files of the engine (`crates/stageplay/src`) and of the app (`src/`): the code
/// that ships in the bundle. Asserts that both folders were read.
pub fn engine_and_app_rust_files() -> Vec<PathBuf> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rust_files = |dir: &str| {
        let mut files = Vec::new();
        walk(&crate_dir.join(dir), &mut files);
        files.retain(|f| f.extension().is_some_and(|e| e == "rs"));
        files
    };
    let (engine, app) = (rust_files("src"), rust_files("../../src"));
    assert!(
        engine.len() > 50 && app.len() > 20,
        "read only {} + {} files",
        engine.len(),
        app.len()
    );
    [engine, app].concat()
}

/// Estimate options that know these pasted context files (path, text), as the Image pane's
/// "dependency files" give them.
pub fn context_files(files: &[(&str, &str)]) -> stageplay::estimate::EstimateOptions {
    stageplay::estimate::EstimateOptions {
        context_files: files
            .iter()
            .map(|(path, content)| stageplay::estimate::ContextFile {
                path: path.to_string(),
                content: content.to_string(),
            })
            .collect(),
        ..Default::default()
    }
}

/// Analysis options whose project is these pasted context files (see [`context_files`]).
pub fn analysis_with_files(files: &[(&str, &str)]) -> stageplay::analysis::AnalysisOptions {
    stageplay::analysis::AnalysisOptions {
        project: Some(std::sync::Arc::new(context_files(files))),
        ..Default::default()
    }
}

/// A project folder as `stageplay estimate --context DIR` reads it: every file's path (relative,
/// `/`-separated) and size, and the text of the files the engine reads
/// (`context::wants_content`); `context::project_options` applies `.dockerignore`.
pub fn project_folder(root: &Path) -> Vec<stageplay::estimate::context::ProjectFile> {
    use stageplay::estimate::context::{wants_content, ProjectFile};
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .expect("below root")
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::metadata(&path).expect("metadata").len();
            let content = wants_content(&rel, bytes)
                .then(|| std::fs::read_to_string(&path).ok())
                .flatten();
            out.push(ProjectFile {
                path: rel,
                bytes,
                content,
            });
        }
    }
    out
}

/// The image estimate of `text` with the default options.
pub fn estimate_of(text: &str) -> stageplay::estimate::Estimate {
    let doc = stageplay::syntax::parse(text);
    let m = stageplay::model::build(&doc, &stageplay::model::ModelOptions::default());
    stageplay::estimate::estimate(&doc, &m, &stageplay::estimate::EstimateOptions::default())
}

/// Every path of an estimate's file tree, depth first.
pub fn file_paths(e: &stageplay::estimate::Estimate) -> Vec<String> {
    fn walk(n: &stageplay::estimate::FileNode, out: &mut Vec<String>) {
        out.push(n.path.clone());
        for c in &n.children {
            walk(c, out);
        }
    }
    let mut out = Vec::new();
    walk(&e.files, &mut out);
    out
}

/// The runtime check's messages for `text` (what the final command needs and lacks).
pub fn runtime_missing(text: &str) -> Vec<String> {
    let opts = stageplay::refactor::RefactorOptions::default();
    let (doc, model) = stageplay::refactor::analyse(text, &opts);
    stageplay::estimate::runtime::check(&doc, &model, &Default::default())
        .into_iter()
        .map(|m| m.message)
        .collect()
}
