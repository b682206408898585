//! `cargo xtask duplicates`: the duplicate-code report, docs/reports/duplicates.md.
//!
//! Runs the `duplicates` command (pairs of places sharing six or more lines, the same or of
//! the same shape) over the engine's source, its tests, the CLI, the bench harness, across the
//! crates, and over the app's `src/` (reported only), then gives every pair the reason it stays
//! from `docs/reports/duplicates-notes.tsv` (first matching line wins: two path prefixes, either
//! order, an empty one matches any path; the tool's `boilerplate` marking is a reason of its
//! own). A pair no note explains is listed as such and counted at the top.
//!
//! `duplicates` is not a crates.io or distribution package: it comes with the team's tool
//! library (on PATH on the development machines). Where it is missing, the command says so and
//! leaves the committed report as it is.

use crate::tools;
use std::fmt::Write as _;
use std::process::Command;

const REPORT: &str = "docs/reports/duplicates.md";
const NOTES: &str = "docs/reports/duplicates-notes.tsv";

/// (folder scanned, what the report calls it, pairs kept: `All` or only those across folders).
const SCANS: &[(&str, &str, Keep)] = &[
    ("crates/stageplay/src", "engine source", Keep::All),
    ("crates/stageplay/tests", "engine tests", Keep::All),
    ("crates/stageplay-cli", "CLI", Keep::All),
    ("crates/stageplay-bench", "bench harness", Keep::All),
    ("crates", "across the crates' folders above", Keep::Across),
    ("src", "the app (src/, reported only)", Keep::All),
];

#[derive(Clone, Copy, PartialEq)]
enum Keep {
    All,
    Across,
}

struct Pair {
    a: String,
    b: String,
    shape: bool,
    boilerplate: bool,
    more: String,
}

pub fn run(_args: &[String]) -> Result<(), String> {
    let root = tools::root();
    let notes_text = std::fs::read_to_string(root.join(NOTES))
        .map_err(|e| format!("cannot read {NOTES}: {e}"))?;
    let notes: Vec<(String, String, String)> = notes_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.splitn(3, '\t');
            Some((
                f.next()?.to_string(),
                f.next()?.to_string(),
                f.next()?.to_string(),
            ))
        })
        .collect();
    let folders: Vec<&str> = SCANS
        .iter()
        .filter(|s| s.2 == Keep::All)
        .map(|s| s.0)
        .collect();
    let mut out = String::new();
    let mut body = String::new();
    let mut unexplained = 0;
    let mut total = 0;
    for &(folder, title, keep) in SCANS {
        let (summary, pairs) = scan(&root, folder)?;
        if keep == Keep::All && summary.contains("more pairs)") {
            return Err(format!(
                "duplicates over {folder} listed 200 pairs at most: {summary}"
            ));
        }
        let pairs: Vec<Pair> = match keep {
            Keep::All => pairs,
            Keep::Across => pairs
                .into_iter()
                .filter(|p| home(&folders, &p.a) != home(&folders, &p.b))
                .collect(),
        };
        let _ = writeln!(body, "\n## {title}: `{folder}`\n");
        let _ = writeln!(body, "`duplicates --repo {folder} --most 200`: {summary}\n");
        if keep == Keep::Across {
            let _ = writeln!(
                body,
                "Only the pairs whose two sides are in different folders of the scans above \
                 (among the 200 largest of the whole scan; the rest are small shape pairs).\n"
            );
        }
        if pairs.is_empty() {
            let _ = writeln!(body, "No pair.");
            continue;
        }
        let _ = writeln!(body, "| pair | kind | why it stays |\n|---|---|---|");
        for p in &pairs {
            total += 1;
            let kind = match (p.shape, p.boilerplate) {
                (_, true) => "shape, boilerplate",
                (true, false) => "shape",
                _ => "same lines",
            };
            let why = notes
                .iter()
                .find(|(x, y, _)| {
                    (p.a.starts_with(x.as_str()) && p.b.starts_with(y.as_str()))
                        || (p.b.starts_with(x.as_str()) && p.a.starts_with(y.as_str()))
                })
                .map(|n| n.2.clone())
                .or_else(|| {
                    p.boilerplate.then(|| {
                        "boilerplate: alike in layout only (struct fields, derives, match arms, \
                         builder calls); no logic to share"
                            .to_string()
                    })
                });
            let why = why.unwrap_or_else(|| {
                unexplained += 1;
                "**unexplained**".to_string()
            });
            let _ = writeln!(body, "| `{}` ~ `{}`{} | {kind} | {why} |", p.a, p.b, p.more);
        }
    }
    let _ = writeln!(
        out,
        "# Duplicate code: what is left and why\n\n\
         Regenerate with `cargo xtask duplicates` (needs the `duplicates` command of the team's \
         tool library on PATH). Each row is a pair of places that share six or more lines, the \
         same (`same lines`) or alike but for names and values (`shape`); the reasons come from \
         `{NOTES}`. Line numbers are those of the commit the report was made on.\n\n\
         {total} pairs; {unexplained} unexplained."
    );
    out.push_str(&body);
    std::fs::write(root.join(REPORT), &out).map_err(|e| format!("writing {REPORT}: {e}"))?;
    println!("duplicates: {total} pairs, {unexplained} unexplained -> {REPORT}");
    Ok(())
}

/// The scan folder a path (relative to the root) belongs to.
fn home<'a>(folders: &[&'a str], path: &str) -> Option<&'a str> {
    folders
        .iter()
        .copied()
        .find(|f| path.starts_with(&format!("{f}/")))
}

/// Runs `duplicates` over one folder: its first line and the pairs, paths from the root.
fn scan(root: &std::path::Path, folder: &str) -> Result<(String, Vec<Pair>), String> {
    let output = Command::new("duplicates")
        .args(["--repo", folder, "--most", "200", "--seconds", "120"])
        .current_dir(root)
        .output()
        .map_err(|e| {
            format!(
                "cannot run `duplicates` ({e}): it comes with the team's tool library, not from a \
                 package registry; on a machine without it the committed {REPORT} stays as it is"
            )
        })?;
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let summary = text.lines().next().unwrap_or("").to_string();
    if let Some(line) = text.lines().find(|l| l.starts_with("incomplete:")) {
        return Err(format!("duplicates over {folder} did not finish: {line}"));
    }
    // Lines after the rows: `(+N more pairs)` where --most cut the list, `left out: …`.
    let notes: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("(+") || l.starts_with("left out:"))
        .collect();
    let summary = if notes.is_empty() {
        summary
    } else {
        format!("{summary}; {}", notes.join("; "))
    };
    let mut pairs = Vec::new();
    for line in text.lines().filter(|l| l.starts_with('D')) {
        // `D12 a.rs:1-9 ~ b.rs:3-11 shape boilerplate (+2 more runs)`
        let mut words = line.split_whitespace().skip(1);
        let (Some(a), Some("~"), Some(b)) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        let rest: Vec<&str> = words.collect();
        let rest = rest.join(" ");
        let more = rest
            .find("(+")
            .map(|i| format!(" {}", &rest[i..]))
            .unwrap_or_default();
        pairs.push(Pair {
            a: format!("{folder}/{a}"),
            b: format!("{folder}/{b}"),
            shape: rest.split_whitespace().any(|w| w == "shape"),
            boilerplate: rest.split_whitespace().any(|w| w == "boilerplate"),
            more,
        });
    }
    Ok((summary, pairs))
}
