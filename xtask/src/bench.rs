//! `cargo xtask bench`: filled in by the benchmark issue.

pub fn run(_args: &[String]) -> Result<(), String> {
    Err("the benchmark harness is not written yet".into())
}
