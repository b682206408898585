//! `cargo xtask corpus-dump OUT_DIR [--compare DIR]`: the behaviour freeze. Writes what the
//! engine says about every Dockerfile in the repository (corpus copy, fixtures, gallery, plus
//! `../shared/corpus` files not already among them, when that folder exists): parse, graph,
//! lint, estimate and refactor outputs, one `.dump` file per input (the writer is the engine's
//! example `crates/stageplay/examples/corpus_dump.rs`). With `--compare DIR` it then lists every
//! file that differs from (or is missing in) an earlier dump and fails when there is one, so a
//! change meant to keep behaviour can prove it: dump on main, change, dump again with
//! `--compare`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let compare = crate::option_value(args, "--compare").map(PathBuf::from);
    let mut positionals = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--compare" {
            iter.next();
        } else if !arg.starts_with("--") {
            positionals.push(arg.clone());
        }
    }
    let [out] = positionals.as_slice() else {
        return Err("usage: cargo xtask corpus-dump OUT_DIR [--compare DIR]".into());
    };
    let root = crate::tools::root();
    let out = std::env::current_dir()
        .map_err(|e| e.to_string())?
        .join(out);
    // Stale files from an earlier dump would hide a missing output; anything else is not ours
    // to delete.
    if out.exists() {
        let empty = std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_none());
        if !empty && !out.join("_engine.dump").is_file() {
            return Err(format!(
                "{} exists and is not a corpus dump: choose a new or empty folder",
                out.display()
            ));
        }
        std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(&root)
        .args(["run", "-q", "--profile", "bench-native", "-p", "stageplay"])
        .args(["--example", "corpus_dump", "--"])
        .arg(&out);
    // `../shared/corpus` beside the main checkout (or beside a worktree's parent folder).
    match root
        .ancestors()
        .skip(1)
        .map(|d| d.join("shared/corpus"))
        .find(|d| d.is_dir())
    {
        Some(shared) => {
            cmd.arg(shared);
        }
        None => eprintln!("corpus-dump: no ../shared/corpus; dumping the repository's inputs only"),
    }
    let status = cmd.status().map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the corpus_dump example failed ({status})"));
    }
    let Some(base) = compare else {
        return Ok(());
    };
    let (left, right) = (files(&base), files(&out));
    let mut differ = Vec::new();
    for name in left.union(&right) {
        let a = std::fs::read(base.join(name)).ok();
        let b = std::fs::read(out.join(name)).ok();
        match (a, b) {
            (Some(a), Some(b)) if a == b => {}
            (None, _) => differ.push(format!("only in {}: {name}", out.display())),
            (_, None) => differ.push(format!("only in {}: {name}", base.display())),
            _ => differ.push(format!("differs: {name}")),
        }
    }
    if differ.is_empty() {
        println!(
            "corpus-dump: {} files identical to {}",
            right.len(),
            base.display()
        );
        return Ok(());
    }
    for line in &differ {
        println!("{line}");
    }
    Err(format!(
        "{} of {} files differ from {} (diff -r shows how)",
        differ.len(),
        left.union(&right).count(),
        base.display()
    ))
}

/// Every file under `dir`, relative to it.
pub fn files(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.insert(rel.to_string_lossy().into_owned());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}
