//! End-to-end tests: build the release app once, serve it on loopback, run Playwright.

use crate::serve::{self, Mount};
use crate::tools::{self, WebTools};
use std::process::Command;

pub fn run_against_fresh_build(web: &WebTools) -> Result<(), String> {
    let dist = tools::build_release(web, None)?;
    let dir = tools::ensure_e2e_deps()?;
    let base = serve::serve_in_background(vec![Mount {
        prefix: "/".into(),
        dir: dist,
    }])?;
    tools::say(&format!("serving the release build at {base}/"));
    tools::run(
        Command::new("npx")
            .args(["playwright", "test", "--reporter=list"])
            .current_dir(&dir)
            .env("STAGEPLAY_URL", &base)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}
