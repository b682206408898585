//! No Rust file of the engine (`crates/stageplay/src`) or the app (`src/`) is over 800 lines
//! (issue 16, acceptance 3): a file that grows past it wants splitting along its seams, as
//! `estimate/run/` and `refactor/split_stage/` were.

mod support;

const MAX_LINES: usize = 800;

#[test]
fn no_engine_or_app_file_is_over_800_lines() {
    let files = support::engine_and_app_rust_files();
    let mut long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).ok()?.lines().count();
            (lines > MAX_LINES).then(|| format!("{} has {lines} lines", f.display()))
        })
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}
