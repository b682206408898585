//! `cargo xtask corpus-diff BASE [HEAD] [--out FILE]`: what an engine change altered, as a report.
//!
//! Dumps every engine output (the `corpus_dump` example behind `cargo xtask corpus-dump`) at two
//! commits, each checked out in a temporary worktree (the example is copied in when the commit
//! predates it) and built into this checkout's target folder, then writes
//! docs/reports/corpus-diff.md (or FILE): each input whose outputs differ, with the sections that differ
//! (lint findings, estimate, a refactor's output …), and for each section the explanation and
//! the test from `docs/reports/corpus-diff-notes.tsv` (lines `BASE..HEAD<TAB>section
//! prefix<TAB>why, and the test that covers it`). A difference no note explains is marked.

use crate::tools;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const REPORT: &str = "docs/reports/corpus-diff.md";
const NOTES: &str = "docs/reports/corpus-diff-notes.tsv";
const EXAMPLE: &str = "crates/stageplay/examples/corpus_dump.rs";

pub fn run(args: &[String]) -> Result<(), String> {
    let report = crate::option_value(args, "--out").unwrap_or_else(|| REPORT.to_string());
    let revs: Vec<&String> = {
        let mut out = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a == "--out" {
                it.next();
            } else if !a.starts_with("--") {
                out.push(a);
            }
        }
        out
    };
    let (base, head) = match revs.as_slice() {
        [b] => ((*b).clone(), "HEAD".to_string()),
        [b, h] => ((*b).clone(), (*h).clone()),
        _ => return Err("usage: cargo xtask corpus-diff BASE [HEAD] [--out FILE]".into()),
    };
    let root = tools::root();
    let base_id = rev(&root, &base)?;
    let head_id = rev(&root, &head)?;
    let work = root.join("target/corpus-diff");
    let base_dump = dump(&root, &work, &base_id)?;
    let head_dump = dump(&root, &work, &head_id)?;
    let range = format!("{}..{}", &base_id[..7], &head_id[..7]);
    let notes_text = std::fs::read_to_string(root.join(NOTES)).unwrap_or_default();
    let notes: Vec<(&str, &str, &str)> = notes_text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.splitn(3, '\t');
            Some((f.next()?, f.next()?, f.next()?))
        })
        .filter(|(r, _, _)| *r == range)
        .collect();
    let (left, right) = (
        crate::corpus_dump::files(&base_dump),
        crate::corpus_dump::files(&head_dump),
    );
    let mut by_section: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut changed_inputs = Vec::new();
    let mut inputs = 0;
    for name in left.union(&right) {
        let a = std::fs::read_to_string(base_dump.join(name)).unwrap_or_default();
        let b = std::fs::read_to_string(head_dump.join(name)).unwrap_or_default();
        if a == b {
            continue;
        }
        inputs += 1;
        let (sa, sb) = (sections(&a), sections(&b));
        // The parse tree holds the input's text: a different tree with a different input is
        // an edited fixture, whose every output may differ.
        if sa.get("parse: tree") != sb.get("parse: tree") {
            changed_inputs.push(name.clone());
            continue;
        }
        let names: BTreeSet<&String> = sa.keys().chain(sb.keys()).collect();
        for s in names {
            if sa.get(s) != sb.get(s) {
                by_section.entry(s.clone()).or_default().push(name.clone());
            }
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Engine outputs before and after: {base} ({}) vs {head} ({})\n\n\
         Regenerate with `cargo xtask corpus-diff {base} {head} --out {report}` (two builds of the corpus_dump \
         example, ~5 min each here). Inputs: the corpus (../shared/corpus when present), the \
         repository's fixtures and the gallery; {} files at {base}, {} at {head}.\n\n\
         **{inputs} inputs differ.** Explanations and tests: `{NOTES}` (range `{range}`).\n",
        &base_id[..7],
        &head_id[..7],
        left.len(),
        right.len()
    );
    let mut unexplained = 0;
    if !changed_inputs.is_empty() {
        let _ = writeln!(
            out,
            "## Inputs edited between the two commits: {}\n\n\
             Their parse trees differ, so every output may; the edits are the commits' own \
             (`git log {range} -- crates/stageplay/tests/fixtures`), explained by the notes \
             of the sections below where they add a case.\n",
            changed_inputs.len()
        );
        for f in &changed_inputs {
            let _ = writeln!(out, "- `{f}`");
        }
        out.push('\n');
    }
    for (section, files) in &by_section {
        let why = notes
            .iter()
            .find(|(_, prefix, _)| section.starts_with(prefix))
            .map(|n| n.2.to_string())
            .unwrap_or_else(|| {
                unexplained += 1;
                "**unexplained**".into()
            });
        let _ = writeln!(out, "## `{section}`: {} inputs\n\n{why}\n", files.len());
        for f in files {
            let _ = writeln!(out, "- `{f}`");
        }
        out.push('\n');
    }
    if by_section.is_empty() {
        out.push_str("Every output is byte for byte the same.\n");
    }
    std::fs::write(root.join(&report), out).map_err(|e| format!("{report}: {e}"))?;
    println!(
        "corpus-diff {range}: {inputs} inputs differ in {} sections, {unexplained} unexplained -> {report}",
        by_section.len()
    );
    Ok(())
}

/// The dump's sections (`===== name =====` headers) and their text.
fn sections(text: &str) -> BTreeMap<String, &str> {
    let mut out = BTreeMap::new();
    let mut name = String::from("(start)");
    let mut start = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_end();
        if let Some(n) = t
            .strip_prefix("===== ")
            .and_then(|r| r.strip_suffix(" ====="))
        {
            out.insert(
                std::mem::replace(&mut name, n.to_string()),
                &text[start..at],
            );
            start = at + line.len();
        }
        at += line.len();
    }
    out.insert(name, &text[start..]);
    out
}

fn rev(root: &Path, name: &str) -> Result<String, String> {
    let o = Command::new("git")
        .args(["rev-parse", "--verify", &format!("{name}^{{commit}}")])
        .current_dir(root)
        .output()
        .map_err(|e| format!("git: {e}"))?;
    if !o.status.success() {
        return Err(format!("unknown revision {name}"));
    }
    Ok(String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// Dumps the outputs at commit `id` into target/corpus-diff/<id>, unless already there.
fn dump(root: &Path, work: &Path, id: &str) -> Result<PathBuf, String> {
    let out = work.join(id);
    if out.join("_engine.dump").is_file() {
        println!("corpus-diff: reusing {}", out.display());
        return Ok(out);
    }
    let src = work.join(format!("{id}-src"));
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .status()
            .map_err(|e| format!("git: {e}"))
    };
    if src.exists() {
        git(&["worktree", "remove", "--force", &src.to_string_lossy()])?;
    }
    if !git(&["worktree", "add", "--detach", &src.to_string_lossy(), id])?.success() {
        return Err(format!("git worktree add {id} failed"));
    }
    if !src.join(EXAMPLE).is_file() {
        std::fs::copy(root.join(EXAMPLE), src.join(EXAMPLE))
            .map_err(|e| format!("copying the example: {e}"))?;
    }
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(&src)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .args(["run", "-q", "--profile", "bench-native", "-p", "stageplay"])
        .args(["--example", "corpus_dump", "--"])
        .arg(&out);
    if let Some(shared) = root
        .ancestors()
        .skip(1)
        .map(|d| d.join("shared/corpus"))
        .find(|d| d.is_dir())
    {
        cmd.arg(shared);
    }
    let status = cmd.status().map_err(|e| format!("cargo: {e}"));
    git(&["worktree", "remove", "--force", &src.to_string_lossy()])?;
    if !status?.success() {
        return Err(format!("the corpus_dump example failed at {id}"));
    }
    Ok(out)
}
