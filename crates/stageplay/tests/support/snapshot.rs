//! The one snapshot helper of the engine's tests, on `insta`: every snapshot is
//! `tests/snapshots/<folder>/<name>.snap` (a short header, then the text as the user sees it).
//!
//! A changed or missing snapshot fails the test. Outside CI, insta writes the new text next to
//! it as `<name>.snap.new` for review; in CI (`CI` set, as `cargo xtask test` runs it there)
//! nothing is written. To accept deliberate changes:
//! `INSTA_UPDATE=always cargo test -p stageplay --test <test>` (or `cargo insta review` when
//! cargo-insta is installed), then review the diff in git.

use std::path::Path;

/// Asserts that `actual` is the snapshot `tests/snapshots/<folder>/<name>.snap`.
pub fn assert_snapshot(folder: &str, name: &str, actual: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/snapshots")
            .join(folder),
    );
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, actual));
}
