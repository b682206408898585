//! `cargo xtask test`: every check, in the order that fails fastest.

use crate::{e2e, tools};
use std::process::Command;
use std::time::Instant;

pub fn run(args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    let skip_browser = args.iter().any(|a| a == "--no-browser");
    let root = tools::root();
    let cargo = || {
        let mut c = Command::new("cargo");
        c.current_dir(&root).env("PATH", tools::path_env());
        c
    };

    step("rustfmt", || {
        tools::run(cargo().args(["fmt", "--all", "--", "--check"]))
    })?;
    tools::ensure_wasm_target()?;
    // The web crate imports the editor bundle, so it must exist before anything compiles it.
    step("editor bundle (npm ci + esbuild)", || {
        crate::editor::ensure_bundle().map(|_| ())
    })?;
    step("clippy (native)", || {
        tools::run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("clippy (wasm32)", || {
        tools::run(cargo().args([
            "clippy",
            "-p",
            "stageplay-web",
            "-p",
            "stageplay",
            "--all-targets",
            "--target",
            tools::WASM_TARGET,
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("native tests", || {
        // Snapshot tests (insta) never accept or write a changed snapshot here: a stale one
        // fails the run. `INSTA_UPDATE=always cargo test -p stageplay --test NAME` accepts.
        let insta = std::env::var("INSTA_UPDATE").unwrap_or_else(|_| "no".into());
        tools::run(cargo().env("INSTA_UPDATE", insta).args([
            "test",
            "--workspace",
            "--exclude",
            "stageplay-web",
        ]))?;
        // The web app's pure parts (state, highlighting, share codec) are tested natively too.
        tools::run(cargo().args(["test", "-p", "stageplay-web", "--lib"]))
    })?;
    step("stageplay lint vs hadolint 2.15.1 (configurations)", || {
        crate::hadolint_compare::run(&["--configs-only".to_string()])
    })?;
    if skip_browser {
        tools::say("--no-browser: skipping wasm and end-to-end tests");
        return Ok(());
    }
    let web = tools::ensure_web_tools()?;
    tools::ensure_browser()?;
    step("wasm tests (headless Chromium)", || {
        tools::run(
            cargo()
                .args([
                    "test",
                    "-p",
                    "stageplay-web",
                    "--target",
                    tools::WASM_TARGET,
                ])
                .env("PATH", &web.path_env)
                .env(
                    "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                    "wasm-bindgen-test-runner",
                )
                .env("CHROMEDRIVER", "/usr/bin/chromedriver")
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        )
    })?;
    step("end-to-end tests (Playwright, Debian Chromium)", || {
        e2e::run_against_fresh_build(&web)
    })?;
    tools::say(&format!(
        "all checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

fn step(name: &str, f: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    let started = Instant::now();
    tools::say(&format!("== {name}"));
    f().map_err(|e| format!("{name} failed: {e}"))?;
    tools::say(&format!(
        "== {name}: ok ({:.0} s)",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}
