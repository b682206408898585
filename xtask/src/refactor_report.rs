//! `cargo xtask refactor-report`: writes `docs/reports/refactor-coverage.md`, the refactoring
//! assistant's coverage over its fixtures and the corpus, by running
//! `stageplay refactor --report` (the report itself is built by `stageplay::refactor::report`).

use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let out_path = args
        .first()
        .map_or("docs/reports/refactor-coverage.md", String::as_str);
    let output = Command::new("cargo")
        .args([
            "run",
            "-q",
            "-p",
            "stageplay-cli",
            "--",
            "refactor",
            "--report",
        ])
        .args([
            "crates/stageplay/tests/fixtures/refactor",
            "crates/stageplay/tests/corpus",
        ])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "stageplay refactor --report failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    if let Some(dir) = std::path::Path::new(out_path).parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(out_path, &output.stdout)
        .map_err(|e| format!("cannot write {out_path}: {e}"))?;
    println!("wrote {out_path}");
    Ok(())
}
