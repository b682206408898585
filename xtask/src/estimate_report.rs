//! `cargo xtask estimate-report`: writes `docs/reports/estimates.md`, issue 19's acceptance
//! lines with the figures that show them. Each section runs the engine test that checks the line
//! (`cargo test -p stageplay --test … -- --exact … --nocapture`) and copies what it printed,
//! with the command and whether it passed: the report is the tests' own output, regenerated, never
//! edited by hand. The app side of acceptance 5 is a browser test (`cargo xtask e2e image.spec`),
//! named here and not run (it needs a release build).

use crate::tools;
use std::fmt::Write as _;
use std::process::Command;

/// One acceptance line: its text, how it is measured, and the tests that show it.
struct Line {
    title: &'static str,
    how: &'static str,
    tests: &'static [(&'static str, &'static str)],
}

const LINES: &[Line] = &[
    Line {
        title: "1. Official images from their own Dockerfiles: within 25% of the published size, inside a range no wider than ±35%",
        how: "Each official image's own Dockerfile (the corpus copy; docker-rust's in tests/data/official) is estimated \
              with no context and compared with the size docker-library/repo-info published for the image it builds \
              (the knowledge base's sourced row). Images listed as \"not yet\" are named with the reason; the test fails \
              if any python, golang, node, rust or postgres image misses the goal (nginx.org's own packages, which the nginx images install, are not reachable from the build machine to measure). A second test does the same for \
              Dockerfiles written for this test (not from the corpus).",
        tests: &[
            ("estimate_accuracy", "official_images_from_their_own_dockerfiles"),
            ("estimate_accuracy", "toolchains_in_dockerfiles_written_for_this_test"),
        ],
    },
    Line {
        title: "1b. Whole images of apps written for the build lab, against the sizes the lab built",
        how: "Not an acceptance line of its own: the same estimate on the lab's apps (tests/lab/apps: C, Go, Rust, \
              Node and Python services), each read with its folder as `--context DIR` reads it, against the real \
              image sizes `cargo xtask lab` measured (tests/data/lab/MEASURED.tsv, from docs/reports/lab.md).",
        tests: &[("estimate_lab", "lab_apps_against_their_built_images")],
    },
    Line {
        title: "2. Tag resolution for python, node, golang, rust and debian tags, with and without a suite, each row naming its source",
        how: "Every tag resolves to the row repo-info's current page gives, with its suite and source.",
        tests: &[("estimate_tags", "tags_resolve_to_todays_images_with_their_sources")],
    },
    Line {
        title: "3. Corpus coverage: every public FROM image resolves to a sourced row or an explained approximation",
        how: "Counts the FROM images of the repository's corpus copy (and ../shared/corpus when present).",
        tests: &[(
            "estimate_coverage",
            "corpus_from_images_resolve_to_a_sourced_row_or_an_explained_approximation",
        )],
    },
    Line {
        title: "4. FastAPI and Express dependency layers within 15% of a measured install, range at most ±25%",
        how: "tests/data/apps/{fastapi,express} read as a project folder (as `--context DIR` and the app read it); \
              the install layer against tests/data/apps/MEASURED.tsv (pip and npm installs measured by \
              tests/data/apps/measure.sh, with date and versions). A third test does the same for requirement and \
              package files written for this test, against the measured table rows they name.",
        tests: &[
            ("estimate_apps", "fastapi_dependency_layer_matches_a_measured_install"),
            ("estimate_apps", "express_dependency_layer_matches_a_measured_install"),
            ("estimate_apps", "other_projects_are_sized_from_their_own_files"),
        ],
    },
    Line {
        title: "5. `stageplay estimate --context DIR` and the app's folder drop give the same estimate",
        how: "Engine: a native walk and a browser-style drop listing of the same folder give the same options and \
              estimate. CLI: crates/stageplay-cli/tests/cli.rs `estimate_reads_a_project_folder`. App: \
              tests/e2e/image.spec.mjs picks the same folder in the Image pane and compares the shown total and \
              range with `stageplay estimate --json --context DIR` (run `cargo xtask e2e image.spec`; not run here).",
        tests: &[(
            "estimate_apps",
            "a_dropped_folder_and_a_native_walk_give_the_same_estimate",
        )],
    },
    Line {
        title: "6. Size of the data; the knowledge base stays ≤ 150 KB gzip",
        how: "Every data file the engine compiles in, raw and gzip -9 (DEFLATE level 9 + gzip framing).",
        tests: &[(
            "estimate_kb_size",
            "knowledge_base_stays_within_its_share_of_the_gzip_bundle",
        )],
    },
];

pub fn run(args: &[String]) -> Result<(), String> {
    let out_path = args
        .first()
        .map_or("docs/reports/estimates.md", String::as_str);
    let root = tools::root();
    let mut md = String::from(
        "# Estimates: issue 19's acceptance lines\n\n\
         Regenerate with `cargo xtask estimate-report` (runs the engine tests below and copies their output).\n\n",
    );
    let mut failed = Vec::new();
    for line in LINES {
        let _ = writeln!(md, "## {}\n\n{}\n", line.title, line.how);
        for (file, test) in line.tests {
            tools::say(&format!("running {file}::{test}"));
            let out = Command::new("cargo")
                .current_dir(&root)
                .args([
                    "test",
                    "-q",
                    "-p",
                    "stageplay",
                    "--test",
                    file,
                    "--",
                    "--exact",
                ])
                .arg(test)
                .args(["--nocapture", "--test-threads=1"])
                .output()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            let ok = out.status.success();
            if !ok {
                failed.push(format!("{file}::{test}"));
            }
            let stdout = String::from_utf8_lossy(&out.stdout);
            // The test's own lines, without libtest's summary.
            let printed: Vec<&str> = stdout
                .lines()
                .filter(|l| {
                    !l.starts_with("running ")
                        && !l.starts_with("test result:")
                        && !l.trim().is_empty()
                        && !l.starts_with("test ")
                        && *l != "."
                })
                .collect();
            let _ = writeln!(
                md,
                "`cargo test -p stageplay --test {file} -- --exact {test} --nocapture`: **{}**\n\n```text\n{}\n```\n",
                if ok { "passed" } else { "FAILED" },
                printed.join("\n")
            );
            if !ok {
                let _ = writeln!(
                    md,
                    "```text\n{}\n```\n",
                    String::from_utf8_lossy(&out.stderr).trim_end()
                );
            }
        }
    }
    let path = root.join(out_path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(&path, md).map_err(|e| format!("cannot write {out_path}: {e}"))?;
    println!("wrote {out_path}");
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failing: {}", failed.join(", ")))
    }
}
