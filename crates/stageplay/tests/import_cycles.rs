//! No import cycle between the engine's files (issue 16, acceptance 3), and dependencies that
//! point one way between its layers (ARCHITECTURE.md's invariant).
//!
//! The reader (`crates/import-graph`, shared with the web app's own check in `src/lib.rs`)
//! builds the file-level graph of `use crate::…`, `super::…` and `self::…` paths and says what
//! counts as an edge; this test fails on any cycle, printing it with the line that makes each
//! edge.
//!
//! `IMPORT_GRAPH=1 cargo test -p stageplay --test import_cycles -- --nocapture` prints every edge.

use import_graph::{layering_violations, Tree};
use std::path::Path;

fn engine() -> Tree {
    Tree::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

#[test]
fn the_engine_has_no_import_cycle_between_files() {
    let tree = engine();
    assert!(tree.len() > 50, "read only {} files", tree.len());
    assert!(
        tree.edges().len() > 100,
        "found only {} edges: the reader is broken",
        tree.edges().len()
    );
    if std::env::var_os("IMPORT_GRAPH").is_some() {
        for ((a, b), line) in tree.edges() {
            println!("{}:{line} → {}", tree.name(a), tree.name(b));
        }
    }
    let cycles = tree.cycles();
    assert!(
        cycles.is_empty(),
        "{} import cycle(s) between files of crates/stageplay/src (file:line → file):\n{}",
        cycles.len(),
        cycles.join("\n")
    );
}

/// The layers of ARCHITECTURE.md, lowest first: a file may use its own layer and the layers
/// below it (lint and refactor, side by side, do not use each other).
const LAYERS: &[(&str, u32)] = &[
    ("span", 0),
    ("examples", 0),
    ("sort", 0),
    ("diagnostic", 1),
    ("syntax", 2),
    ("model", 3),
    ("estimate", 4),
    ("lint", 5),
    ("refactor", 5),
    ("analysis", 6),
    ("compat", 6),
    ("ide", 7),
];

#[test]
fn dependencies_point_one_way() {
    let wrong = layering_violations(&engine(), LAYERS);
    assert!(
        wrong.is_empty(),
        "uses against the layering:\n{}",
        wrong.join("\n")
    );
}
