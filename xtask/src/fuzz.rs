//! `cargo xtask fuzz [--seconds N] [--target NAME]`: runs every cargo-fuzz target for N seconds.
//!
//! cargo-fuzz needs nightly compiler flags; the stable toolchain accepts them with
//! `RUSTC_BOOTSTRAP=1`, so no other toolchain is needed (verified with rustc 1.95 and
//! cargo-fuzz 0.13.2, AddressSanitizer included). Seeds come from the repo's corpus.
//! Targets: `parse` (no panic, tokens tile the input), `analyze` (the whole façade never
//! panics) and `apply` (safe fixes, fix-all-safe and refactors never add a syntax error).
//!
//! Not part of `cargo xtask test`: building the three instrumented targets alone took 13 min
//! on the project's 2-core machine, far over the 2 minutes a test step may add.

use crate::tools;
use std::path::Path;
use std::process::Command;

const CARGO_FUZZ_VERSION: &str = "0.13.2";
pub const TARGETS: &[&str] = &["parse", "analyze", "apply"];

pub fn run(args: &[String]) -> Result<(), String> {
    let seconds: u64 = match crate::option_value(args, "--seconds") {
        Some(s) => s
            .parse()
            .map_err(|_| format!("--seconds takes a number, got '{s}'"))?,
        None => 60,
    };
    let only = crate::option_value(args, "--target");
    ensure_cargo_fuzz()?;
    let root = tools::root();
    let mut summary = Vec::new();
    for &target in TARGETS
        .iter()
        .filter(|t| only.as_deref().is_none_or(|o| o == **t))
    {
        let corpus = root.join("fuzz/corpus").join(target);
        seed(&corpus)?;
        tools::say(&format!(
            "fuzzing '{target}' for {seconds} s (seeds: {})",
            corpus.display()
        ));
        let execs = run_streaming(
            Command::new("cargo")
                .current_dir(root.join("fuzz"))
                .env("RUSTC_BOOTSTRAP", "1")
                .env("PATH", tools::path_env())
                .args(["fuzz", "run", target])
                .arg(&corpus)
                .args([
                    "--",
                    &format!("-max_total_time={seconds}"),
                    "-max_len=65536",
                    "-print_final_stats=1",
                ]),
        )?;
        summary.push(format!(
            "{target}: {execs} executions in {seconds} s, no crash"
        ));
    }
    for line in &summary {
        tools::say(line);
    }
    Ok(())
}

/// Runs libFuzzer, echoing its output, and returns its final executed-units count.
fn run_streaming(cmd: &mut Command) -> Result<u64, String> {
    use std::io::{BufRead, BufReader};
    let line = format!("{cmd:?}");
    let mut child = cmd
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {line}: {e}"))?;
    let mut execs = 0;
    if let Some(err) = child.stderr.take() {
        for l in BufReader::new(err).lines().map_while(Result::ok) {
            eprintln!("{l}");
            if let Some(n) = l.strip_prefix("stat::number_of_executed_units:") {
                execs = n.trim().parse().unwrap_or(0);
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!(
            "fuzzing found a crash or failed ({status}): {line}; the input is under fuzz/artifacts/"
        ));
    }
    Ok(execs)
}

fn ensure_cargo_fuzz() -> Result<(), String> {
    let have = tools::output(
        Command::new("cargo")
            .args(["fuzz", "--version"])
            .env("PATH", tools::path_env()),
    );
    if have.is_some_and(|v| v.contains(CARGO_FUZZ_VERSION)) {
        return Ok(());
    }
    tools::say(&format!(
        "installing cargo-fuzz {CARGO_FUZZ_VERSION} (runs libFuzzer over the engine)"
    ));
    tools::run(Command::new("cargo").args([
        "install",
        "cargo-fuzz",
        "--locked",
        "--version",
        CARGO_FUZZ_VERSION,
    ]))
}

/// Copies the test corpus and the gallery into the fuzz corpus folder (once).
fn seed(corpus: &Path) -> Result<(), String> {
    if corpus.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(corpus).map_err(|e| e.to_string())?;
    let root = tools::root();
    let mut n = 0;
    for dir in ["crates/stageplay/tests/corpus", "crates/stageplay/gallery"] {
        copy_tree(&root.join(dir), corpus, &mut n)?;
    }
    tools::say(&format!("seeded {} with {n} files", corpus.display()));
    Ok(())
}

fn copy_tree(dir: &Path, out: &Path, n: &mut usize) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, out, n)?;
        } else if path
            .extension()
            .is_none_or(|e| e != "jsonl" && e != "tsv" && e != "py" && e != "md")
        {
            *n += 1;
            std::fs::copy(&path, out.join(format!("seed-{n}"))).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
