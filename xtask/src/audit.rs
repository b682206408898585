//! `cargo xtask audit`: Lighthouse 12.2.3 and axe-core on the served release build.
//!
//! Installs npm `lighthouse` and `@axe-core/playwright` (pinned) into `.tools/audit/` — never a
//! browser: Lighthouse drives Debian's Chromium through `CHROME_PATH`. Then serves the release build
//! and runs `tests/e2e/audit.spec.mjs`, which prints the scores and fails below the thresholds
//! (performance ≥ 95, accessibility 100, best practices 100, installable, no serious or critical
//! axe violation).

use crate::tools;
use std::path::Path;
use std::process::Command;

pub const LIGHTHOUSE_VERSION: &str = "12.2.3";
pub const AXE_PLAYWRIGHT_VERSION: &str = "4.10.2";

pub fn run(args: &[String]) -> Result<(), String> {
    let dist = tools::dist_dir(args);
    if !args.iter().any(|a| a == "--no-build") {
        let web = tools::ensure_web_tools()?;
        tools::build_release_into(&web, None, &dist)?;
    }
    tools::ensure_browser()?;
    let dir = tools::tools_dir().join("audit");
    ensure_audit_deps(&dir)?;
    let mut rest = vec!["audit.spec".to_string()];
    rest.extend(tools::playwright_args(args));
    crate::e2e::playwright_with_env(
        dist,
        &rest,
        &[
            (
                "STAGEPLAY_AUDIT_MODULES",
                dir.join("node_modules").display().to_string(),
            ),
            ("CHROME_PATH", "/usr/bin/chromium".to_string()),
        ],
    )
}

fn installed_version(dir: &Path, package: &str) -> Option<String> {
    let manifest =
        std::fs::read_to_string(dir.join("node_modules").join(package).join("package.json"))
            .ok()?;
    let at = manifest.find("\"version\"")?;
    let rest = &manifest[at + 9..];
    let start = rest.find('"')? + 1;
    let end = start + rest[start..].find('"')?;
    Some(rest[start..end].to_string())
}

fn ensure_audit_deps(dir: &Path) -> Result<(), String> {
    let wanted = [
        ("lighthouse", LIGHTHOUSE_VERSION),
        ("@axe-core/playwright", AXE_PLAYWRIGHT_VERSION),
    ];
    if wanted
        .iter()
        .all(|(p, v)| installed_version(dir, p).as_deref() == Some(*v))
    {
        return Ok(());
    }
    tools::say(&format!(
        "installing npm lighthouse@{LIGHTHOUSE_VERSION} and @axe-core/playwright@{AXE_PLAYWRIGHT_VERSION} into {} (audit tools; no browser is downloaded)",
        dir.display()
    ));
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let package = dir.join("package.json");
    if !package.exists() {
        std::fs::write(
            &package,
            "{\"name\":\"stageplay-audit-tools\",\"private\":true}\n",
        )
        .map_err(|e| e.to_string())?;
    }
    tools::run(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--save-exact"])
            .arg(format!("lighthouse@{LIGHTHOUSE_VERSION}"))
            .arg(format!("@axe-core/playwright@{AXE_PLAYWRIGHT_VERSION}"))
            .current_dir(dir)
            .env("PUPPETEER_SKIP_DOWNLOAD", "1")
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}
