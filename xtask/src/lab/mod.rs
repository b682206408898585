//! `cargo xtask lab`: the build lab. Installs buildah and debootstrap when missing, builds and
//! caches the replica base images (tests/lab/bases), runs `stageplay verify` over every lab app
//! (tests/lab/apps), and writes docs/reports/lab.md.
//!
//! Options: `--app NAME` (repeatable) runs only those apps; `--bases-only` stops after the bases;
//! `--report-from DIR` writes the report from kept verify outputs (each run keeps them in
//! `/var/cache/stageplay-lab/results`) with every estimate recomputed by the current engine;
//! `--base NAME` (repeatable) builds only that replica and its parents; `--rebuild-bases` ignores
//! the cache. Needs root (buildah without a daemon, debootstrap).

mod apps;
mod bases;
mod report;

use crate::tools::{output, root, run, say};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Where downloads (CPython's source, npm tarballs) and the cache stamps live.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("STAGEPLAY_LAB_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/stageplay-lab"))
}

/// The host's CA bundle (it holds the intercepting proxy's CA on this network), mounted read-only
/// into builds at /run/host-ca.crt.
pub const HOST_CA: &str = "/etc/ssl/certs/ca-certificates.crt";

/// The `-v` mounts for a build that names these TLS configurations (see tests/lab/tls/README.md).
pub fn tls_volumes(names: &[String]) -> Result<Vec<String>, String> {
    let tls = root().join("tests/lab/tls");
    let mut v = vec![format!("{HOST_CA}:/run/host-ca.crt:ro")];
    for name in names {
        let (file, target) = match name.as_str() {
            "ca" => continue,
            "pip" => ("pip.conf", "/etc/pip.conf"),
            "npm" => ("npmrc", "/usr/local/etc/npmrc"),
            "cargo" => ("cargo-config.toml", "/usr/local/cargo/config.toml"),
            "uv" => ("uv.toml", "/etc/uv/uv.toml"),
            // Python tools that ignore pip.conf (Poetry, requests, urllib): a sitecustomize in the
            // standard library's directory (on every interpreter's and virtualenv's sys.path) sets
            // REQUESTS_CA_BUNDLE/SSL_CERT_FILE, as a profile would
            "python-ca" => (
                "sitecustomize.py",
                "/usr/local/lib/python3.11/sitecustomize.py",
            ),
            "system-ca" => {
                v.push(format!("{HOST_CA}:/etc/ssl/certs/ca-certificates.crt:ro"));
                continue;
            }
            other => return Err(format!("unknown tls configuration '{other}'")),
        };
        v.push(format!("{}:{target}:ro", tls.join(file).display()));
    }
    Ok(v)
}

pub fn run_lab(args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    let only: Vec<String> = args
        .windows(2)
        .filter(|w| w[0] == "--app")
        .map(|w| w[1].clone())
        .collect();
    let report_from: Option<PathBuf> = args
        .windows(2)
        .find(|w| w[0] == "--report-from")
        .map(|w| PathBuf::from(&w[1]));
    let bases_only = args.iter().any(|a| a == "--bases-only");
    let rebuild = args.iter().any(|a| a == "--rebuild-bases");
    ensure_host_tools()?;
    let cli = build_cli()?;
    let mut only_bases: Vec<String> = args
        .windows(2)
        .filter(|w| w[0] == "--base")
        .map(|w| w[1].clone())
        .collect();
    let apps = apps::discover(&root().join("tests/lab/apps"))?;
    let chosen: Vec<&apps::App> = apps
        .iter()
        .filter(|a| only.is_empty() || only.contains(&a.name))
        .collect();
    if chosen.is_empty() {
        return Err(format!("no lab app matches {only:?}"));
    }
    if !only.is_empty() {
        // A partial run needs only the replicas its apps name, before and after Apply all.
        only_bases = bases::needed_by(&cli, &chosen)?;
        say(&format!(
            "replicas these apps use: {}",
            only_bases.join(", ")
        ));
    }
    let base_results = bases::ensure_all(&cli, rebuild, &only_bases)?;
    if !only_bases.is_empty() && only.is_empty() {
        for b in &base_results {
            say(&format!(
                "{}: {}",
                b.image,
                b.bytes
                    .map_or("?".into(), |x| format!("{:.2} MB", x as f64 / 1e6))
            ));
        }
        return Ok(());
    }
    let bases_seconds = started.elapsed().as_secs_f64();
    if bases_only {
        say(&format!("bases ready in {bases_seconds:.0} s"));
        return Ok(());
    }
    if let Some(dir) = report_from {
        // The report of the apps whose verify output was kept (`cache/results`, or a folder
        // of `stageplay verify --json` outputs named APP.json): an interrupted run's report, or
        // a finished run's report again. Real sizes, build times and smoke results are the
        // run's; every estimate is recomputed from the text that was built, with this engine.
        let estimate = |text: &str, app: &apps::App| apps::cli_estimate(&cli, text, app);
        let mut results: Vec<apps::AppResult> = Vec::new();
        for a in &chosen {
            if let Some(mut r) = apps::from_saved(a, &dir) {
                apps::reestimate(&mut r, a, &estimate)?;
                r.stale = Some(apps::stale_texts(&cli, a, &r)?);
                results.push(r);
            }
        }
        if results.is_empty() {
            return Err(format!("no saved verify output in {}", dir.display()));
        }
        let partial = results.len() < apps.len();
        let total: f64 = results.iter().map(|r| r.seconds).sum();
        let text = report::render(&base_results, &results, bases_seconds, total, partial);
        let path = root().join("docs/reports/lab.md");
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        say(&format!(
            "wrote {} from {} saved app results{}",
            path.display(),
            results.len(),
            if partial { " (partial)" } else { "" }
        ));
        return Ok(());
    }
    let mut results = Vec::new();
    for (i, app) in chosen.iter().enumerate() {
        say(&format!(
            "[{}/{}] stageplay verify tests/lab/apps/{} …",
            i + 1,
            chosen.len(),
            app.name
        ));
        let r = apps::verify(&cli, app)?;
        say(&format!("    {}", r.summary_line()));
        results.push(r);
    }
    let total = started.elapsed().as_secs_f64();
    let text = report::render(
        &base_results,
        &results,
        bases_seconds,
        total,
        !only.is_empty(),
    );
    let path = root().join("docs/reports/lab.md");
    if only.is_empty() {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        say(&format!("wrote {} ({total:.0} s in all)", path.display()));
    } else {
        // A partial run does not overwrite the full report.
        let partial = cache_dir().join("lab-partial.md");
        std::fs::write(&partial, text).map_err(|e| e.to_string())?;
        say(&format!(
            "partial run: report in {} ({total:.0} s)",
            partial.display()
        ));
    }
    let originals_ok = results.iter().all(|r| r.original_ok() || r.known.is_some());
    let fixed_ok = results
        .iter()
        .all(|r| r.fixed_text.is_none() || r.fixed.as_ref().is_some_and(apps::SideResult::ok));
    match (originals_ok, fixed_ok) {
        (true, true) => Ok(()),
        (false, _) => Err(
            "an original lab Dockerfile failed to build or pass its smoke test (see the report)"
                .into(),
        ),
        (true, false) => Err(
            "a lab Dockerfile with Fix all safe applied failed to build or pass its smoke test (see the report)"
                .into(),
        ),
    }
}

/// buildah and debootstrap (Debian packages), plus what verify's smoke session uses.
fn ensure_host_tools() -> Result<(), String> {
    let is_root = output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
    if !is_root {
        return Err(
            "the lab builds images with buildah and debootstrap as root; run it as root".into(),
        );
    }
    let missing: Vec<&str> = [
        ("buildah", "buildah"),
        ("debootstrap", "debootstrap"),
        ("curl", "curl"),
        ("unshare", "util-linux"),
        ("ip", "iproute2"),
    ]
    .into_iter()
    .filter(|(bin, _)| {
        output(Command::new("sh").args(["-c", &format!("command -v {bin}")])).is_none()
    })
    .map(|(_, pkg)| pkg)
    .collect();
    if missing.is_empty() {
        return Ok(());
    }
    say(&format!(
        "installing Debian packages for the build lab: {}",
        missing.join(" ")
    ));
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Builds the `stageplay` CLI (debug: it compiles fast and the engine is quick either way).
fn build_cli() -> Result<PathBuf, String> {
    say("building the stageplay CLI");
    run(Command::new("cargo")
        .args(["build", "-q", "-p", "stageplay-cli"])
        .current_dir(root()))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    Ok(target.join("debug/stageplay"))
}

/// `sha256sum` of a file list → the first 16 hex digits of the hash of that listing (plus extra
/// lines): the recipe cache key. coreutils, so the key is the same from the shell.
pub fn hash_dir(dir: &Path, extra: &[String]) -> Result<String, String> {
    let listing = output(
        Command::new("sh")
            .arg("-c")
            .arg("find . -type f ! -name recipe.conf -print0 | LC_ALL=C sort -z | xargs -0 sha256sum")
            .current_dir(dir),
    )
    .ok_or_else(|| format!("cannot hash {}", dir.display()))?;
    let mut text = listing;
    for e in extra {
        text.push_str(e);
        text.push('\n');
    }
    let mut child = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("sha256sum: {e}"))?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().ok_or("sha256sum: no stdin")?;
        stdin
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string())?;
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .chars()
        .take(16)
        .collect())
}

/// Reads a `key = value` file (comments with #); repeated keys keep every value in order.
pub fn read_conf(path: &Path) -> Result<Vec<(String, String)>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .ok_or_else(|| format!("{}:{}: not key = value", path.display(), i + 1))?;
        out.push((k.trim().to_string(), v.trim().to_string()));
    }
    Ok(out)
}

pub fn conf_get<'a>(conf: &'a [(String, String)], key: &str) -> Option<&'a str> {
    conf.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}
