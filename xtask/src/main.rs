//! Project automation: `cargo xtask <command>`. Std plus serde_json (the lab reads
//! `stageplay verify --json`), so it builds in seconds.
//!
//! Every command installs what it needs when it is missing (and says so), then runs.

mod audit;
mod bench;
mod corpus_diff;
mod corpus_dump;
mod duplicates;
mod e2e;
mod editor;
mod estimate_report;
mod format_check;
mod fuzz;
mod hadolint_compare;
mod hadolint_configs;
mod kb;
mod lab;
mod pre_commit;
mod refactor_check;
mod refactor_report;
mod serve;
mod size;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "\
cargo xtask <command>

  serve [--port N] [--no-build] [--dist DIR]
                                  install tools, build the release app, serve it on 127.0.0.1
  build [--dist DIR]              install tools and build the release app into dist/
  editor                          bundle the editor (CodeMirror 6 + bridge) into static/editor/build/
                                  (every build does it first; plain `cargo check` needs it once)
  test [--no-browser]             every check: fmt, clippy, native tests, wasm tests, e2e tests
  e2e [--no-build] [--dist DIR] [PLAYWRIGHT ARGS]
                                  only the end-to-end tests (e.g. `cargo xtask e2e graph.spec`)
  audit                           Lighthouse 12.2.3 and axe-core on the served release build (scores)
  size [--no-build] [--dist DIR]  release sizes, raw and gzip, per kind (the editor bundle on its own row)
  bench [--quick]                 benchmarks (engine, references, browser, sizes)
  fuzz [--seconds N]              run every cargo-fuzz target for N seconds each
  setup                           only install the tools
  kb [debian|pip|npm|all]         regenerate the estimate's package data: Debian bookworm and trixie
                                  indexes (default; fetched with apt into target/kb-apt), PyPI and
                                  npm sizes measured with pip and npm (slow)
  hadolint-compare [--configs-only]
                                  Stageplay's lint vs hadolint 2.15.1: configurations and the corpus (writes a report)
  estimate-report                 issue 19's estimate acceptance figures, from the engine's tests
                                  (docs/reports/estimates.md)
  refactor-report                 the refactor assistant's coverage report (docs/reports/)
  refactor-check                  every refactor's output checked by BuildKit's parser and hadolint
  pre-commit-check                run the repo's pre-commit hook over a sample repository (writes a report)
  corpus-dump OUT_DIR [--compare DIR]
                                  the engine's outputs (parse, graph, lint, estimate, refactors) for
                                  every repository Dockerfile; --compare fails on any difference
  corpus-diff BASE [HEAD] [--out FILE]
                                  corpus-dump at two commits, compared per output section, with the
                                  explanation and test of each difference (docs/reports/corpus-diff.md)
  duplicates                      the duplicate-code report (docs/reports/duplicates.md): every pair the
                                  `duplicates` tool finds in crates/ and src/, with why it stays
  format-check                    the formatter over the corpus: idempotent, and BuildKit's parser
                                  reads the same before and after (docs/reports/format-check.md)
  lab [--app NAME]... [--bases-only] [--base NAME]... [--rebuild-bases] [--report-from DIR]
                                  the build lab (root): replica base images, `stageplay verify` on every
                                  lab app (tests/lab/apps), writes docs/reports/lab.md; each app's
                                  result is kept (cache/results/APP.json) and --report-from DIR
                                  writes the report from kept results (an interrupted run)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "serve" => serve::run(rest),
        "build" => tools::ensure_web_tools()
            .and_then(|t| tools::build_release_into(&t, None, &tools::dist_dir(rest)).map(|_| ())),
        "e2e" => e2e::run(rest),
        "editor" => editor::run(rest),
        "audit" => audit::run(rest),
        "kb" => kb::run(rest),
        "hadolint-compare" => hadolint_compare::run(rest),
        "estimate-report" => estimate_report::run(rest),
        "refactor-report" => refactor_report::run(rest),
        "refactor-check" => refactor_check::run(rest),
        "pre-commit-check" => pre_commit::run(rest),
        "corpus-dump" => corpus_dump::run(rest),
        "corpus-diff" => corpus_diff::run(rest),
        "duplicates" => duplicates::run(rest),
        "format-check" => format_check::run(rest),
        "lab" => lab::run_lab(rest),
        "test" => test::run(rest),
        "size" => size::run(rest),
        "bench" => bench::run(rest),
        "fuzz" => fuzz::run(rest),
        "setup" => tools::ensure_web_tools()
            .and_then(|_| tools::ensure_browser())
            .map(|_| ()),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command '{other}'\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Returns the value of `--name V` or `--name=V` in `args`.
pub fn option_value(args: &[String], name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == name {
            return iter.next().cloned();
        }
        if let Some(v) = arg.strip_prefix(&prefix) {
            return Some(v.to_string());
        }
    }
    None
}
