//! The engine and the app sort through `stageplay::sort` (src/sort.rs), not the standard
//! library's stable sorts, which compile to one ~4 KB copy per element type and closure in the
//! wasm (the unstable ones too: one copy per type). Test code may use the standard sorts (it is
//! not in the bundle).

mod support;

/// Calls that each make a copy of a sort.
const STANDARD_SORTS: &[&str] = &[
    ".sort()",
    ".sort_by(",
    ".sort_by_key(",
    ".sort_by_cached_key(",
    ".sort_unstable()",
    ".sort_unstable_by(",
    ".sort_unstable_by_key(",
];

#[test]
fn bundle_code_sorts_through_stageplay_sort() {
    let files = support::engine_and_app_rust_files();
    let mut found = Vec::new();
    for path in &files {
        let name = path.to_string_lossy();
        if name.ends_with("/sort.rs") || name.ends_with("/tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap_or_default();
        // Unit tests sit at the end of a file, in `mod tests`.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            if STANDARD_SORTS.iter().any(|s| line.contains(s)) {
                found.push(format!("{name}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "use stageplay::sort::{{sort, sort_by, sort_by_key}} instead:\n{}",
        found.join("\n")
    );
}
