//! End-to-end tests: build the release app once, serve it on loopback, run Playwright.

use crate::serve::{self, Mount};
use crate::tools::{self, WebTools};
use std::process::Command;

/// `cargo xtask e2e`: build (unless `--no-build`), serve, run Playwright with the remaining args.
pub fn run(args: &[String]) -> Result<(), String> {
    let dist = tools::dist_dir(args);
    if !args.iter().any(|a| a == "--no-build") {
        let web = tools::ensure_web_tools()?;
        tools::build_release_into(&web, None, &dist)?;
    }
    tools::ensure_browser()?;
    let rest = tools::playwright_args(args);
    playwright(dist, &rest)
}

pub fn run_against_fresh_build(web: &WebTools) -> Result<(), String> {
    let dist = tools::build_release(web, None)?;
    playwright(dist, &[])
}

fn playwright(dist: std::path::PathBuf, extra: &[String]) -> Result<(), String> {
    playwright_with_env(dist, extra, &[])
}

/// The mounts the tests expect: the app at `/` and at the sub-path `/docs/playground/` (as a
/// documentation site deploys it), and the embed example page beside it.
pub fn mounts(dist: std::path::PathBuf) -> Vec<Mount> {
    vec![
        Mount {
            prefix: "/".into(),
            dir: dist.clone(),
        },
        Mount {
            prefix: "/docs/playground/".into(),
            dir: dist,
        },
        Mount {
            prefix: "/docs/embed-example/".into(),
            dir: tools::root().join("docs/embed-example"),
        },
    ]
}

/// Serves the build and runs Playwright with extra environment variables.
pub fn playwright_with_env(
    dist: std::path::PathBuf,
    extra: &[String],
    env: &[(&str, String)],
) -> Result<(), String> {
    let dir = tools::ensure_e2e_deps()?;
    let base = serve::serve_in_background(mounts(dist))?;
    tools::say(&format!(
        "serving the release build at {base}/ and {base}/docs/playground/"
    ));
    let mut cmd = Command::new("npx");
    cmd.args(["playwright", "test", "--reporter=list"])
        .args(extra)
        .current_dir(&dir)
        .env("STAGEPLAY_URL", &base)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    tools::run(&mut cmd)
}
