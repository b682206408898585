//! `cargo xtask format-check`: the formatter against BuildKit's own parser (issue 18,
//! acceptance 2). Copies every Dockerfile of the corpus and the test fixtures, formats the
//! copies with `stageplay format` (built once in release), checks that formatting them again
//! changes nothing, then parses each original and its formatted copy with BuildKit's parser
//! (PyPI `dockerfile` 3.4.0, which wraps moby/buildkit's Go parser; installed into
//! `.tools/venv` when missing, as `refactor-check` does) and compares what it reads:
//! instructions, flags, values and heredocs, with whitespace runs outside quotes and the case of
//! keywords (`AS`, HEALTHCHECK's `CMD`/`NONE`) folded, raw-text values (WORKDIR, USER,
//! STOPSIGNAL, MAINTAINER) compared exactly, line numbers left out. Writes
//! docs/reports/format-check.md and fails on any difference.

use crate::refactor_check::{relative, setup, write_report, Setup};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

const INPUT_DIRS: &[&str] = &[
    "crates/stageplay/tests/corpus",
    "crates/stageplay/tests/fixtures",
];
const REPORT: &str = "docs/reports/format-check.md";

/// Reads `original\tformatted` pairs on stdin; prints `PATH\tsame`, `PATH\trejected` (BuildKit
/// rejects both) or `PATH\tdiffer\tDETAIL`.
const CHECKER: &str = r#"
import sys
import dockerfile

RAW = {"WORKDIR", "USER", "STOPSIGNAL", "MAINTAINER"}

def words(s):
    out, quote, escaped, space = [], None, False, False
    for c in s.strip():
        if escaped:
            escaped = False
        elif quote is None and c.isspace():
            space = True
            continue
        elif c == "\\" and quote != "'":
            escaped = True
        elif quote == c:
            quote = None
        elif quote is None and c in "'\"":
            quote = c
        if space:
            out.append(" ")
            space = False
        out.append(c)
    return "".join(out)

def reading(path):
    try:
        commands = dockerfile.parse_file(path)
    except Exception as e:
        return None
    out = []
    for c in commands:
        sub = c.sub_cmd.upper() if c.sub_cmd else None
        cmd = sub or c.cmd.upper()
        values = []
        for n, v in enumerate(c.value):
            keyword = (cmd == "FROM" and n == 1 and len(c.value) == 3) or (cmd == "HEALTHCHECK" and n == 0)
            values.append(v.upper() if keyword else (v if cmd in RAW else words(v)))
        heredocs = [(h.name, h.file_descriptor, h.content) for h in c.heredocs]
        out.append((c.cmd.upper(), sub, c.json, tuple(c.flags), tuple(values), tuple(heredocs)))
    return out

for line in sys.stdin:
    original, formatted = line.rstrip("\n").split("\t")
    a, b = reading(original), reading(formatted)
    if a is None and b is None:
        print("%s\trejected" % original)
    elif a == b:
        print("%s\tsame" % original)
    else:
        detail = "accepted before, rejected after" if b is None else ("rejected before, accepted after" if a is None else "")
        if a is not None and b is not None:
            for x, y in zip(a, b):
                if x != y:
                    detail = "%r became %r" % (x, y)
                    break
            else:
                detail = "%d instructions became %d" % (len(a), len(b))
        print("%s\tdiffer\t%s" % (original, detail))
"#;

pub fn run(args: &[String]) -> Result<(), String> {
    let Setup {
        root,
        venv,
        stageplay,
        work,
        dirs,
        files,
    } = setup("format-check", args, INPUT_DIRS)?;
    // BuildKit's testfiles keep their expected AST beside each Dockerfile as `result`.
    let mut files: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| f.file_name().is_none_or(|n| n != "result"))
        .collect();
    files.sort();

    // Format copies, in batches on the command line.
    let copies: Vec<PathBuf> = (0..files.len())
        .map(|n| work.join(format!("{n:04}.Dockerfile")))
        .collect();
    for (file, copy) in files.iter().zip(&copies) {
        std::fs::copy(file, copy).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    eprintln!("format-check: formatting {} files …", files.len());
    let mut left_alone: Vec<String> = Vec::new();
    let mut not_idempotent: Vec<String> = Vec::new();
    for (mode, list) in [("format", &mut left_alone), ("check", &mut not_idempotent)] {
        for batch in copies.chunks(200) {
            let mut cmd = Command::new(&stageplay);
            cmd.arg("format");
            if mode == "check" {
                cmd.arg("--check");
            }
            let out = cmd
                .args(batch)
                .output()
                .map_err(|e| format!("cannot run stageplay: {e}"))?;
            let lines = if mode == "check" {
                &out.stdout
            } else {
                &out.stderr
            };
            for line in String::from_utf8_lossy(lines).lines() {
                let problem = match mode {
                    "check" => line.strip_prefix("would reformat "),
                    _ => line.strip_prefix("stageplay format: "),
                };
                if let Some(problem) = problem {
                    list.push(original_of(problem, &copies, &files, &root));
                }
            }
        }
    }
    let changed = files
        .iter()
        .zip(&copies)
        .filter(|(f, c)| std::fs::read(f).ok() != std::fs::read(c).ok())
        .count();

    eprintln!(
        "format-check: BuildKit's parser over {} pairs …",
        files.len()
    );
    let pairs: String = files
        .iter()
        .zip(&copies)
        .map(|(f, c)| format!("{}\t{}\n", f.display(), c.display()))
        .collect();
    let list = work.join("pairs.tsv");
    std::fs::write(&list, pairs).map_err(|e| format!("{}: {e}", list.display()))?;
    let stdin = std::fs::File::open(&list).map_err(|e| format!("{}: {e}", list.display()))?;
    let out = Command::new(venv.join("bin/python"))
        .args(["-c", CHECKER])
        .stdin(stdin)
        .output()
        .map_err(|e| format!("cannot run python: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the checker failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let (mut same, mut rejected) = (0usize, 0usize);
    let mut differ: Vec<String> = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        let path = cols
            .first()
            .map_or_else(String::new, |p| relative(&root, &PathBuf::from(p)));
        match cols.get(1).copied() {
            Some("same") => same += 1,
            Some("rejected") => {
                same += 1;
                rejected += 1;
            }
            _ => differ.push(format!("`{path}`: {}", cols.get(2).unwrap_or(&""))),
        }
    }

    let idempotent = files.len() - not_idempotent.len() - left_alone.len();
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Formatter check: BuildKit's parser before and after\n"
    );
    let _ = writeln!(
        md,
        "Generated by `cargo xtask format-check` (xtask/src/format_check.rs). Each Dockerfile is \
         formatted with `stageplay format` (default options), formatted again to check that \
         nothing changes, and both the original and the formatted file are parsed by BuildKit's \
         parser (PyPI `dockerfile` 3.4.0, wrapping moby/buildkit's Go parser). \"Read the same\" \
         means the same instructions, flags, values and heredocs, with whitespace runs outside \
         quotes and the case of `AS` and HEALTHCHECK's `CMD`/`NONE` folded (raw-text values of \
         WORKDIR, USER, STOPSIGNAL and MAINTAINER compared exactly); a file BuildKit rejects \
         counts when it rejects the formatted file too.\n"
    );
    let _ = writeln!(md, "Inputs: {}.\n", dirs.join(", "));
    let _ = writeln!(md, "| measure | value |\n|---|---:|");
    let _ = writeln!(md, "| files | {} |", files.len());
    let _ = writeln!(md, "| files the formatter changed | {changed} |");
    let _ = writeln!(
        md,
        "| **idempotent** (formatting twice changes nothing) | **{idempotent}** |"
    );
    let _ = writeln!(
        md,
        "| **read the same by BuildKit's parser** | **{same}** |"
    );
    let _ = writeln!(
        md,
        "| of which BuildKit rejects before and after | {rejected} |"
    );
    let _ = writeln!(
        md,
        "| files left unchanged by the formatter's own check | {} |",
        left_alone.len()
    );
    for (title, list) in [
        ("Read differently by BuildKit", &differ),
        ("Not idempotent", &not_idempotent),
        ("Left unchanged", &left_alone),
    ] {
        if !list.is_empty() {
            let _ = writeln!(md, "\n## {title}\n");
            for item in list.iter() {
                let _ = writeln!(md, "- {item}");
            }
        }
    }
    write_report(&root, REPORT, &md)?;
    eprintln!(
        "format-check: {} files, {changed} changed, {idempotent} idempotent, {same} read the same by BuildKit, {} left unchanged",
        files.len(),
        left_alone.len()
    );
    if differ.is_empty() && not_idempotent.is_empty() && left_alone.is_empty() {
        Ok(())
    } else {
        Err(format!("violations: see {REPORT}"))
    }
}

/// The original file for a message about a copy (`.tools/format-check/0042.Dockerfile …`).
fn original_of(
    message: &str,
    copies: &[PathBuf],
    files: &[PathBuf],
    root: &std::path::Path,
) -> String {
    for (copy, file) in copies.iter().zip(files) {
        let shown = copy.display().to_string();
        if let Some(rest) = message.strip_prefix(&shown) {
            return format!("`{}`{rest}", relative(root, file));
        }
    }
    message.to_string()
}
