//! The engine and the app sort through `stageplay::sort` (src/sort.rs), not the standard
//! library's stable sorts, which compile to one ~4 KB copy per element type and closure in the
//! wasm. Test code may use the standard sorts (it is not in the bundle); `sort_unstable()` on
//! plain numbers is one shared copy already and stays allowed.

use std::path::{Path, PathBuf};

/// Calls that each make a copy of a sort.
const STANDARD_SORTS: &[&str] = &[
    ".sort()",
    ".sort_by(",
    ".sort_by_key(",
    ".sort_by_cached_key(",
    ".sort_unstable_by(",
    ".sort_unstable_by_key(",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn bundle_code_sorts_through_stageplay_sort() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&crate_dir.join("src"), &mut files);
    let engine_files = files.len();
    rust_files(&crate_dir.join("../../src"), &mut files);
    assert!(
        engine_files > 50 && files.len() > engine_files + 20,
        "read only {} files",
        files.len()
    );
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
