//! Issue 19 on applications nobody fitted the estimate to: the build lab's apps
//! (`tests/lab/apps`, written for the lab: C, Go, Rust, Node and Python services), estimated
//! from their Dockerfile and their folder as `stageplay estimate --context DIR` reads it, against
//! the real image sizes the lab measured (`tests/data/lab/MEASURED.tsv`, copied from
//! docs/reports/lab.md with its commit).
//!
//! Prints every app (`cargo test -p stageplay --test estimate_lab -- --nocapture`). Asserts the
//! share of real sizes inside the stated range, the median error, and the toolchain images the
//! issue names (Go and Rust) within 25%.

mod support;

use stageplay::estimate::context::project_options;
use stageplay::estimate::estimate;
use stageplay::model::{self, ModelOptions};
use std::path::Path;

#[test]
fn lab_apps_against_their_built_images() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let measured = std::fs::read_to_string(manifest.join("tests/data/lab/MEASURED.tsv"))
        .expect("MEASURED.tsv");
    let apps = manifest.join("../../tests/lab/apps");
    let mut errors = Vec::new();
    let mut inside = 0;
    let mut rows = 0;
    for line in measured.lines().skip_while(|l| l.starts_with('#')).skip(1) {
        let (app, real) = line.split_once('\t').expect("app<TAB>real_mb");
        let real = real.parse::<f64>().expect("MB") * 1e6;
        let dir = apps.join(app);
        let text = std::fs::read_to_string(dir.join("Dockerfile")).expect("Dockerfile");
        let doc = stageplay::syntax::parse(&text);
        let m = model::build(&doc, &ModelOptions::default());
        let opts = project_options(&support::project_folder(&dir));
        let e = estimate(&doc, &m, &opts);
        let (est, low, high) = (
            e.total_bytes as f64,
            e.low_bytes as f64,
            e.high_bytes as f64,
        );
        let err = est / real - 1.0;
        let is_inside = (low..=high).contains(&real);
        println!(
            "{app:20} real {:7.1} MB  estimate {:7.1} MB ({:.1}–{:.1})  {:+6.1}%{}",
            real / 1e6,
            est / 1e6,
            low / 1e6,
            high / 1e6,
            err * 100.0,
            if is_inside { "" } else { "  OUTSIDE" }
        );
        rows += 1;
        inside += usize::from(is_inside);
        errors.push(err.abs());
        if matches!(app, "go-stdlib" | "rust-cargo") {
            assert!(err.abs() <= 0.25, "{app}: {:+.1}%", err * 100.0);
        }
    }
    errors.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = errors[errors.len() / 2];
    println!(
        "{rows} lab apps: median |estimate/real − 1| = {:.1}%; real inside the range: {inside} of {rows}",
        median * 100.0
    );
    assert!(rows >= 15, "every measured app is read");
    assert!(median <= 0.10, "median error {median}");
    assert!(inside * 10 >= rows * 9, "inside {inside} of {rows}");
}
