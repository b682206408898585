//! Plain-text rendering of lint results: code frames (as the CLI prints them) and fix diffs
//! (as snapshot tests show them).

use super::LintDiagnostic;
use crate::diagnostic::{apply_edits, Applicability, Fix};
use crate::span::LineIndex;

/// Renders one diagnostic as a code frame:
///
/// ```text
/// warning[DL3008]: Pin versions in apt get install. …
///   --> Dockerfile:3:5
///    |
///  3 | RUN apt-get install gcc
///    |     ^^^^^^^^^^^^^^^^^^^
///    = help: …
///    = fix (safe): Add `--no-install-recommends`
/// ```
pub fn code_frame(file: &str, text: &str, index: &LineIndex, d: &LintDiagnostic) -> String {
    let span = d.diagnostic.span;
    let start = index.line_col(text, span.start);
    let end = index.line_col(text, span.end);
    let mut out = format!(
        "{}[{}]: {}\n",
        d.diagnostic.severity.as_str(),
        d.code,
        d.diagnostic.message
    );
    let width = end.line.to_string().len();
    let pad = " ".repeat(width);
    out.push_str(&format!(
        "{pad}--> {file}:{}:{}\n",
        start.line, start.column
    ));
    out.push_str(&format!("{pad} |\n"));
    let first = start.line as usize - 1;
    let last = (end.line as usize - 1).max(first);
    // Long spans show their first and last line only.
    let shown: Vec<usize> = if last - first > 3 {
        vec![first, usize::MAX, last]
    } else {
        (first..=last).collect()
    };
    for line in shown {
        if line == usize::MAX {
            out.push_str(&format!("{pad} | ...\n"));
            continue;
        }
        let ls = index.line_start(line) as usize;
        let le = if line + 1 < index.line_count() {
            index.line_start(line + 1) as usize
        } else {
            text.len()
        };
        let content = text
            .get(ls..le)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r']);
        out.push_str(&format!("{:>width$} | {}\n", line + 1, content));
        let from = if line == first {
            start.column as usize - 1
        } else {
            0
        };
        let to = if line == last {
            (end.column as usize - 1).max(from + usize::from(line == first && span.is_empty()))
        } else {
            content.chars().count()
        };
        let to = to.max(from + 1);
        out.push_str(&format!(
            "{pad} | {}{}\n",
            " ".repeat(from),
            "^".repeat(to - from)
        ));
    }
    if let Some(help) = &d.diagnostic.help {
        out.push_str(&format!("{pad} = help: {help}\n"));
    }
    if let Some(fix) = &d.fix {
        out.push_str(&format!(
            "{pad} = fix ({}): {}\n",
            applicability(fix.applicability),
            fix.title
        ));
    }
    out
}

pub fn applicability(a: Applicability) -> &'static str {
    match a {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "display-only",
    }
}

/// A line diff of what `fix` does to `text`: changed lines as `-old` / `+new`.
pub fn fix_diff(text: &str, fix: &Fix) -> String {
    let after = apply_edits(text, &fix.edits);
    let a: Vec<&str> = text.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut out = format!("@@ line {} @@\n", prefix + 1);
    for l in &a[prefix..a.len() - suffix] {
        out.push_str(&format!("-{l}\n"));
    }
    for l in &b[prefix..b.len() - suffix] {
        out.push_str(&format!("+{l}\n"));
    }
    out
}
