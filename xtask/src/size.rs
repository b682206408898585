//! `cargo xtask size`: the release bundle's sizes, raw and gzip (`gzip -9`, as servers send it),
//! with the editor bundle (CodeMirror) on a row of its own, and the first load: every file but the
//! engine's package tables, which the app fetches when a view first needs them.

use crate::tools;
use std::path::Path;
use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let dist = tools::dist_dir(args);
    if !args.iter().any(|a| a == "--no-build") {
        let web = tools::ensure_web_tools()?;
        tools::build_release_into(&web, None, &dist)?;
    }
    print!("{}", table(&dist)?);
    Ok(())
}

/// The kind of the engine's package tables (`kb/`, src/tables.rs): fetched when a view first
/// needs them, so not part of the first load (the service worker precaches them afterwards).
pub const DEFERRED: &str = "package tables (fetched on first use)";

/// The first load's raw and gzip bytes: every file but the [`DEFERRED`] ones.
pub fn first_load(rows: &[(String, u64, u64)]) -> (u64, u64) {
    rows.iter()
        .filter(|r| r.0 != DEFERRED)
        .fold((0, 0), |(raw, gz), r| (raw + r.1, gz + r.2))
}

/// One row per kind of file: (kind, raw bytes, gzip bytes). The editor bundle (CodeMirror and
/// its bridge, a wasm-bindgen snippet under `snippets/`) has its own row.
pub fn measure(dist: &Path) -> Result<Vec<(String, u64, u64)>, String> {
    let mut rows: Vec<(String, u64, u64)> = Vec::new();
    for path in files(dist)? {
        let kind = match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
            _ if path.ends_with("static/editor/build/editor.js") => "editor",
            _ if path.strip_prefix(dist).is_ok_and(|p| p.starts_with("kb")) => DEFERRED,
            "wasm" => "wasm",
            "js" => "js",
            "css" => "css",
            "html" => "html",
            "json" | "webmanifest" => "manifest",
            "svg" | "png" | "ico" => "icons",
            _ => "other",
        };
        let raw = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let gz = gzip_len(&path)?;
        match rows.iter_mut().find(|r| r.0 == kind) {
            Some(row) => {
                row.1 += raw;
                row.2 += gz;
            }
            None => rows.push((kind.to_string(), raw, gz)),
        }
    }
    rows.sort();
    Ok(rows)
}

/// Every file under `dir`, in sub-folders too.
fn files(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let mut out = Vec::new();
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path)?);
        } else if path.is_file() {
            out.push(path);
        }
    }
    Ok(out)
}

fn gzip_len(path: &Path) -> Result<u64, String> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("gzip: {e}"))?;
    Ok(out.stdout.len() as u64)
}

pub fn table(dist: &Path) -> Result<String, String> {
    let rows = measure(dist)?;
    let mut out = String::from("| file kind | raw bytes | gzip bytes |\n|---|---:|---:|\n");
    let (mut raw, mut gz) = (0, 0);
    for (kind, r, g) in &rows {
        out.push_str(&format!("| {kind} | {r} | {g} |\n"));
        raw += r;
        gz += g;
    }
    out.push_str(&format!("| **total** | {raw} | {gz} |\n"));
    let (raw, gz) = first_load(&rows);
    out.push_str(&format!(
        "| **first load** (all but the {DEFERRED}) | {raw} | {gz} |\n"
    ));
    Ok(out)
}
