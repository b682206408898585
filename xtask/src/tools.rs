//! Installing and locating the tools the web build needs, with pinned versions.
//!
//! Facts behind the pins are in README.md ("Toolchain"): trunk 0.22 needs a newer rustc than
//! ours, `--locked` wasm-bindgen-cli fails against this registry, Debian's binaryen cannot read
//! current wasm, so wasm-opt comes from npm `binaryen` kept inside the project (`.tools/`).

use std::path::{Path, PathBuf};
use std::process::Command;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132.0.0";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Paths of the tools after [`ensure_web_tools`].
pub struct WebTools {
    /// A PATH value with the project's tool folders first.
    pub path_env: String,
}

/// The workspace this command works on: the parent of xtask's manifest folder as `cargo run`
/// (the `cargo xtask` alias) names it when the command starts. The compile-time path is only the
/// fallback: a binary built from another checkout that shares the target folder (a clean clone
/// run with `CARGO_TARGET_DIR`) would otherwise build and test that checkout instead of this one.
pub fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

/// `--dist DIR` when given (absolute or relative to the workspace), else `dist/`.
pub fn dist_dir(args: &[String]) -> PathBuf {
    crate::option_value(args, "--dist").map_or_else(|| root().join("dist"), |d| root().join(d))
}

/// The arguments left for Playwright once the build options (`--no-build`, `--dist DIR`,
/// `--dist=DIR`) are taken out.
pub fn playwright_args(args: &[String]) -> Vec<String> {
    let mut rest = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        match a.as_str() {
            "--no-build" => {}
            "--dist" => {
                iter.next();
            }
            _ if a.starts_with("--dist=") => {}
            _ => rest.push(a.clone()),
        }
    }
    rest
}

pub fn tools_dir() -> PathBuf {
    root().join(".tools")
}

pub fn say(message: &str) {
    eprintln!("xtask: {message}");
}

/// Runs a command, streaming its output; fails loudly with the command line.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let line = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {line}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("command failed ({status}): {line}"))
    }
}

/// Runs a command and returns its stdout, or `None` if it cannot start or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn cargo_bin_dir() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home).join("bin"),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo/bin"),
    }
}

/// PATH with `.tools/npm/node_modules/.bin` and cargo's bin folder first.
pub fn path_env() -> String {
    let mut parts = vec![
        tools_dir()
            .join("npm/node_modules/.bin")
            .display()
            .to_string(),
        cargo_bin_dir().display().to_string(),
    ];
    if let Ok(path) = std::env::var("PATH") {
        parts.push(path);
    }
    parts.join(":")
}

fn tool_version(bin: &str) -> Option<String> {
    output(Command::new(bin).arg("--version").env("PATH", path_env()))
}

/// The wasm-bindgen version Cargo.lock resolved; wasm-bindgen-cli must equal it.
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

pub fn ensure_wasm_target() -> Result<(), String> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    say(&format!(
        "installing the Rust target {WASM_TARGET} (needed to compile the app to WebAssembly)"
    ));
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

fn ensure_cargo_tool(
    bin: &str,
    krate: &str,
    version: &str,
    locked: bool,
    why: &str,
) -> Result<(), String> {
    if let Some(v) = tool_version(bin) {
        if v.split_whitespace()
            .any(|w| w.trim_start_matches('v') == version)
        {
            return Ok(());
        }
        say(&format!(
            "{bin} is {} but the project pins {version}",
            v.trim()
        ));
    }
    say(&format!("installing {krate} {version} with cargo install ({why}); this takes several minutes on a fresh machine"));
    let mut cmd = Command::new("cargo");
    cmd.arg("install");
    if locked {
        cmd.arg("--locked");
    }
    cmd.args([krate, "--version", version, "--force"]);
    run(&mut cmd)
}

fn ensure_npm_package(dir: &Path, spec: &str, marker: &Path, why: &str) -> Result<(), String> {
    if marker.exists() {
        return Ok(());
    }
    say(&format!(
        "installing npm {spec} into {} ({why})",
        dir.display()
    ));
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(dir)
        .arg(spec))
}

/// Installs what the release build needs: wasm target, trunk, wasm-bindgen-cli, wasm-opt.
pub fn ensure_web_tools() -> Result<WebTools, String> {
    ensure_wasm_target()?;
    ensure_cargo_tool(
        "trunk",
        "trunk",
        TRUNK_VERSION,
        true,
        "builds and bundles the web app; 0.22 needs a newer rustc",
    )?;
    let wb = locked_wasm_bindgen_version()?;
    ensure_cargo_tool(
        "wasm-bindgen",
        "wasm-bindgen-cli",
        &wb,
        false,
        "must equal Cargo.lock's wasm-bindgen; --locked fails against this registry",
    )?;
    let npm_dir = tools_dir().join("npm");
    let wasm_opt = npm_dir.join("node_modules/.bin/wasm-opt");
    if !tool_version(wasm_opt.to_str().unwrap_or("wasm-opt"))
        .is_some_and(|v| v.contains(&format!("version_{}", major(BINARYEN_VERSION))))
    {
        let _ = std::fs::remove_file(&wasm_opt);
    }
    ensure_npm_package(
        &npm_dir,
        &format!("binaryen@{BINARYEN_VERSION}"),
        &wasm_opt,
        "wasm-opt shrinks the wasm; Debian's binaryen is too old to read it",
    )?;
    Ok(WebTools {
        path_env: path_env(),
    })
}

fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

/// Installs Debian's chromium and chromedriver when missing (as root), else says what to install.
pub fn ensure_browser() -> Result<(), String> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    let is_root = output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
    if !is_root {
        return Err("Chromium is missing: install Debian's `chromium` and `chromium-driver` packages (as root: apt-get install -y chromium chromium-driver)".into());
    }
    say("installing Debian's chromium and chromium-driver (headless browser for wasm and end-to-end tests)");
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Installs the end-to-end test dependencies (Playwright without any browser download).
pub fn ensure_e2e_deps() -> Result<PathBuf, String> {
    let dir = root().join("tests/e2e");
    if dir.join("node_modules/@playwright/test").exists()
        && dir.join("node_modules/.package-lock.json").exists()
    {
        return Ok(dir);
    }
    say("installing the end-to-end test dependencies with npm ci (Playwright; it uses Debian's /usr/bin/chromium, no browser download)");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))?;
    Ok(dir)
}

/// Builds the release app with Trunk, offline, into `dist/` (or `dist_dir`). Returns the folder.
pub fn build_release(tools: &WebTools, public_url: Option<&str>) -> Result<PathBuf, String> {
    build_release_into(tools, public_url, &root().join("dist"))
}

pub fn build_release_into(
    tools: &WebTools,
    public_url: Option<&str>,
    dist: &Path,
) -> Result<PathBuf, String> {
    crate::editor::ensure_bundle()?;
    say(&format!(
        "building the release app with trunk into {}",
        dist.display()
    ));
    let mut cmd = Command::new("trunk");
    cmd.current_dir(root())
        .args(["build", "index.html", "--release", "--dist"])
        .arg(dist)
        .env("PATH", &tools.path_env)
        .env_remove("NO_COLOR");
    if let Some(url) = public_url {
        cmd.args(["--public-url", url]);
    }
    run(&mut cmd)?;
    Ok(dist.to_path_buf())
}
