//! The coverage report: over a set of Dockerfiles, which refactors apply, whether their output is
//! valid ([`super::validate`]), and how often a single stage that builds gets a split offered.
//! Pure: the caller reads the files (`stageplay refactor --report DIR…`, `cargo xtask refactor-report`).

use super::project::{recognise, Ecosystem, Tool};
use super::validate::validate;
use super::{analyse, apply_all, apply_one, size, RefactorOptions, REFACTORS};
use crate::model::ModelOptions;

/// One file's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub name: String,
    pub stages: usize,
    pub ecosystem: Ecosystem,
    pub tool: Tool,
    /// Installs build tools or compiles (or builds on a toolchain image).
    pub builds: bool,
    /// Ids of the refactors that apply.
    pub offered: Vec<String>,
    /// `(refactor id or "apply-all", problem)` for every invalid output.
    pub problems: Vec<(String, String)>,
    /// Estimated size before and after the split, when an estimate is available.
    pub split_sizes: Option<(u64, u64)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub rows: Vec<FileRow>,
}

/// Runs every refactor over every file and validates each output and the apply-all output.
pub fn coverage(inputs: &[(String, String)]) -> Report {
    let opts = RefactorOptions::default();
    let mut rows = Vec::new();
    for (name, text) in inputs {
        let (doc, model) = analyse(text, &opts);
        let project = recognise(&doc, &model);
        let mut row = FileRow {
            name: name.clone(),
            stages: model.stages.len(),
            ecosystem: project.ecosystem,
            tool: project.tool,
            builds: project.builds,
            offered: Vec::new(),
            problems: Vec::new(),
            split_sizes: None,
        };
        for (meta, _) in REFACTORS {
            let Some(out) = apply_one(text, meta.id, &opts) else {
                continue;
            };
            row.offered.push(meta.id.to_string());
            for p in validate(text, &out, Some(meta.id), &opts) {
                row.problems.push((meta.id.to_string(), p));
            }
            if is_split(meta.id) {
                let mopts = ModelOptions::default();
                if let (Some(b), Some(a)) = (
                    size::measure(text, &mopts, &opts.estimate),
                    size::measure(&out, &mopts, &opts.estimate),
                ) {
                    row.split_sizes = Some((b.bytes, a.bytes));
                }
            }
        }
        let all = apply_all(text, &opts);
        if all != *text {
            for p in validate(text, &all, None, &opts) {
                row.problems.push(("apply-all".into(), p));
            }
        }
        rows.push(row);
    }
    Report { rows }
}

/// The two splits: per ecosystem (`split-stage`) and of a compiled `/usr/local` (`split-prefix`).
pub fn is_split(id: &str) -> bool {
    id == "split-stage" || id == "split-prefix"
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    crate::sort::sort_by(&mut v, |a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Summary numbers for one group of files.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub files: usize,
    pub single_stage: usize,
    /// Single-stage files that install build tools or compile.
    pub building: usize,
    /// Of those, files for which the split is offered.
    pub split_offered: usize,
    /// Files whose every refactor output (and apply-all output) is valid.
    pub valid: usize,
    /// Median estimated size reduction of the split, as a fraction (None without estimates).
    pub median_reduction: Option<f64>,
}

pub fn summarise(rows: &[&FileRow]) -> Summary {
    let single: Vec<&&FileRow> = rows.iter().filter(|r| r.stages == 1).collect();
    let building: Vec<&&FileRow> = single.iter().copied().filter(|r| r.builds).collect();
    let split = building
        .iter()
        .filter(|r| r.offered.iter().any(|o| is_split(o)))
        .count();
    let reductions: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.split_sizes)
        .filter(|(b, _)| *b > 0)
        .map(|(b, a)| (b as f64 - a as f64) / b as f64)
        .collect();
    Summary {
        files: rows.len(),
        single_stage: single.len(),
        building: building.len(),
        split_offered: split,
        valid: rows.iter().filter(|r| r.problems.is_empty()).count(),
        median_reduction: median(reductions),
    }
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "–".into()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / d as f64)
    }
}

/// The report as Markdown, grouped by the first path component after a `fixtures/refactor` or
/// `corpus` directory.
pub fn markdown(report: &Report) -> String {
    let group_of = |name: &str| -> String {
        if name.contains("fixtures/refactor") {
            "refactor fixtures (single-stage applications written for this test set)".into()
        } else if let Some(i) = name.find("corpus/") {
            let rest = &name[i + 7..];
            format!("corpus: {}", rest.split('/').next().unwrap_or(rest))
        } else {
            "other".into()
        }
    };
    let mut groups: Vec<String> = report.rows.iter().map(|r| group_of(&r.name)).collect();
    crate::sort::sort(&mut groups);
    groups.dedup();
    let mut s = String::new();
    s.push_str("# Refactor coverage\n\n");
    s.push_str("Generated by `cargo xtask refactor-report` (`stageplay refactor --report DIR…`). For every file: which refactors apply, ");
    s.push_str("and whether each output (and the apply-all output) parses without new errors, is idempotent, and still has what ");
    s.push_str("its CMD/ENTRYPOINT needs. *Building* = installs compilers/headers (gcc, build-essential, `*-dev`, git, make…), ");
    s.push_str("runs a compile step (go build, cargo, mvn/gradle, dotnet publish/build, npm/yarn/pnpm build, make/cmake, ");
    s.push_str("assets:precompile) or builds on a toolchain image (golang, rust, maven, gradle, gcc, a JDK, the .NET SDK).\n\n");
    s.push_str("| group | files | single-stage | building | split offered | share | all outputs valid | median estimated size reduction of the split (files where offered) |\n");
    s.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    let all: Vec<&FileRow> = report.rows.iter().collect();
    let mut lines = Vec::new();
    for g in &groups {
        let rows: Vec<&FileRow> = report
            .rows
            .iter()
            .filter(|r| &group_of(&r.name) == g)
            .collect();
        lines.push((g.clone(), summarise(&rows)));
    }
    lines.push(("**all**".into(), summarise(&all)));
    for (g, sum) in &lines {
        s.push_str(&format!(
            "| {g} | {} | {} | {} | {} | {} | {}/{} | {} |\n",
            sum.files,
            sum.single_stage,
            sum.building,
            sum.split_offered,
            pct(sum.split_offered, sum.building),
            sum.valid,
            sum.files,
            sum.median_reduction
                .map_or("–".into(), |m| format!("{:.1}%", m * 100.0)),
        ));
    }
    s.push_str(
        "\nA split is offered where the final command's artifact is known: `split-stage` per ecosystem (a dependency \
         folder, a named binary, a jar, a publish folder), `split-prefix` for recipes that compile a runtime, a \
         server or extensions into `/usr/local` (docker-library python, php with its Apache module, redis, \
         PostgreSQL and node on Alpine, nextcloud's PHP extensions…: the runtime copies `/usr/local` — and `/opt`, \
         Apache's module and configuration directories, a compiler's named outputs, source archives the build keeps \
         in `/usr/src` when the build puts files there — replays the users a build RUN creates at its head and the \
         run-time packages it keeps, runs the steps after the build that fetch the application, and installs the \
         packages of the libraries the programs link). Declined: programs installed as OS packages (nginx, \
         PostgreSQL on Debian, where building is only the fallback for other architectures), build RUNs that write \
         elsewhere outside `/usr/local` or whose outputs are conditional, builder images whose product is the \
         toolchain (caddy's builder), Windows images (no known package manager), and development or notebook images \
         without a build step. Where the original RUN already removes its build dependencies, the estimated \
         reduction is small.\n",
    );
    s.push_str(
        "\n## Refactors offered\n\n| refactor | files | invalid outputs |\n|---|---:|---:|\n",
    );
    for (meta, _) in REFACTORS {
        let offered = report
            .rows
            .iter()
            .filter(|r| r.offered.iter().any(|o| o == meta.id))
            .count();
        let invalid = report
            .rows
            .iter()
            .filter(|r| r.problems.iter().any(|(id, _)| id == meta.id))
            .count();
        s.push_str(&format!("| `{}` | {offered} | {invalid} |\n", meta.id));
    }
    let apply_all_invalid = report
        .rows
        .iter()
        .filter(|r| r.problems.iter().any(|(id, _)| id == "apply-all"))
        .count();
    s.push_str(&format!(
        "| apply-all | {} | {apply_all_invalid} |\n",
        report.rows.len()
    ));
    s.push_str("\n## Single-stage files that build\n\n| file | ecosystem | tool | split | other refactors | problems |\n|---|---|---|---|---|---|\n");
    for r in report.rows.iter().filter(|r| r.stages == 1 && r.builds) {
        let split = r.offered.iter().any(|o| is_split(o));
        let others: Vec<&str> = r
            .offered
            .iter()
            .filter(|o| !is_split(o))
            .map(String::as_str)
            .collect();
        let problems: Vec<String> = r
            .problems
            .iter()
            .map(|(id, p)| format!("{id}: {p}"))
            .collect();
        s.push_str(&format!(
            "| {} | {:?} | {:?} | {} | {} | {} |\n",
            short(&r.name),
            r.ecosystem,
            r.tool,
            if split { "yes" } else { "**no**" },
            others.join(", "),
            if problems.is_empty() {
                "–".into()
            } else {
                problems.join("; ").replace('|', "\\|")
            }
        ));
    }
    let invalid: Vec<&FileRow> = report
        .rows
        .iter()
        .filter(|r| !(r.problems.is_empty() || r.stages == 1 && r.builds))
        .collect();
    if !invalid.is_empty() {
        s.push_str("\n## Other files with invalid outputs\n\n");
        for r in invalid {
            for (id, p) in &r.problems {
                s.push_str(&format!("- {} — {id}: {}\n", short(&r.name), p));
            }
        }
    }
    s
}

fn short(name: &str) -> String {
    for marker in ["fixtures/refactor/", "corpus/"] {
        if let Some(i) = name.find(marker) {
            return name[i + marker.len()..].to_string();
        }
    }
    name.to_string()
}
