//! The editor bundle: CodeMirror 6 (npm `@codemirror/*`, MIT) and the bridge to the Rust app
//! (`static/editor/bridge.js`), bundled by esbuild into `static/editor/build/editor.js`.
//!
//! The app imports the bundle through wasm-bindgen (`src/components/editor/bridge.rs`), so it
//! must exist before anything compiles the web crate: `cargo xtask test` and every build make it
//! first. The packages are pinned by `static/editor/package-lock.json` and installed with
//! `npm ci`; the bundle is generated (never committed) and nothing is fetched at run time.

use crate::tools::{self, say};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn dir() -> PathBuf {
    tools::root().join("static/editor")
}

/// The generated bundle (the path `src/components/editor/bridge.rs` imports).
pub fn bundle_path() -> PathBuf {
    dir().join("build/editor.js")
}

/// `cargo xtask editor`: (re)build the bundle and print its size.
pub fn run(_args: &[String]) -> Result<(), String> {
    let bundle = ensure_bundle()?;
    let raw = std::fs::metadata(&bundle).map_err(|e| e.to_string())?.len();
    println!("{}: {raw} bytes", bundle.display());
    Ok(())
}

/// Installs the pinned npm packages when missing and writes the bundle when its content changed
/// (an unchanged bundle keeps its timestamp, so cargo does not rebuild the app for nothing).
pub fn ensure_bundle() -> Result<PathBuf, String> {
    let dir = dir();
    ensure_packages(&dir)?;
    let out = bundle_path();
    let tmp = dir.join("build/editor.js.new");
    std::fs::create_dir_all(dir.join("build")).map_err(|e| e.to_string())?;
    let banner = license_banner(&dir)?;
    tools::run(
        Command::new(dir.join("node_modules/.bin/esbuild"))
            .current_dir(&dir)
            .args([
                "bridge.js",
                "--bundle",
                "--format=esm",
                "--minify",
                "--target=es2020",
                "--legal-comments=none",
                "--log-level=warning",
            ])
            .arg(format!("--banner:js={banner}"))
            .arg(format!("--outfile={}", tmp.display())),
    )?;
    let new = std::fs::read(&tmp).map_err(|e| e.to_string())?;
    if std::fs::read(&out).ok().as_deref() == Some(&new[..]) {
        let _ = std::fs::remove_file(&tmp);
    } else {
        say(&format!(
            "bundled the editor (CodeMirror 6 + bridge) into {}",
            out.display()
        ));
        std::fs::rename(&tmp, &out).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// `npm ci` when `node_modules` is missing or older than the lockfile.
fn ensure_packages(dir: &Path) -> Result<(), String> {
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (
        modified(&installed),
        modified(&dir.join("package-lock.json")),
    ) {
        (Some(i), Some(l)) => i >= l,
        _ => false,
    };
    if fresh && dir.join("node_modules/.bin/esbuild").exists() {
        return Ok(());
    }
    say("installing the editor's npm packages with npm ci (CodeMirror 6 and esbuild, pinned by static/editor/package-lock.json)");
    tools::run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )
}

/// CodeMirror's MIT notice, kept at the top of the bundle (every bundled package carries it:
/// `@codemirror/*`, `@lezer/*`, `style-mod`, `w3c-keyname`, `crelt`, `@marijn/find-cluster-break`).
fn license_banner(dir: &Path) -> Result<String, String> {
    let license = std::fs::read_to_string(dir.join("node_modules/@codemirror/view/LICENSE"))
        .map_err(|e| format!("cannot read CodeMirror's LICENSE: {e}"))?;
    Ok(format!(
        "/*! Stageplay's editor: CodeMirror 6 and the packages it uses, by Marijn Haverbeke and others.\n{}*/",
        license.replace("*/", "* /")
    ))
}
