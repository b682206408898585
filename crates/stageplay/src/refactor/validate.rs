//! Checks that a refactored Dockerfile is still a working one: it parses without errors, the
//! refactor is idempotent, and the final stage still has what its CMD/ENTRYPOINT needs.

use super::{analyse, apply_one, RefactorOptions};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

/// Problems found in `output` (the result of applying `id` to `input`); empty when valid.
pub fn validate(
    input: &str,
    output: &str,
    id: Option<&str>,
    opts: &RefactorOptions,
) -> Vec<String> {
    let mut problems = Vec::new();
    let (in_doc, in_model) = analyse(input, opts);
    let (doc, model) = analyse(output, opts);
    let errors = |d: &Dockerfile| {
        d.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    };
    let (before, after) = (errors(&in_doc), errors(&doc));
    if after > before {
        for d in doc
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            problems.push(format!("parse error {}: {}", d.code, d.message));
        }
    }
    let model_errors = model
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if model_errors
        > in_model
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    {
        for d in model
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            problems.push(format!("stage error {}: {}", d.code, d.message));
        }
    }
    let again = match id {
        Some(id) => apply_one(output, id, opts),
        None => {
            let out = super::apply_all(output, opts);
            (out != output).then_some(out)
        }
    };
    if let Some(again) = again {
        let first = again
            .lines()
            .zip(output.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        problems.push(format!(
            "not idempotent: applying again changes line {}",
            first + 1
        ));
    }
    // Only what the refactor broke (the static runtime check, `estimate::runtime`): needs the
    // input already lacked are not its doing.
    let before_copy = used_before_copied(&in_doc, &in_model);
    problems.extend(
        used_before_copied(&doc, &model)
            .into_iter()
            .filter(|p| !before_copy.iter().any(|b| same_use(b, p))),
    );
    let est = &opts.estimate;
    let already = crate::estimate::runtime::check(&in_doc, &in_model, est);
    problems.extend(
        crate::estimate::runtime::check(&doc, &model, est)
            .into_iter()
            .filter(|m| !already.iter().any(|a| a.message == m.message))
            .map(|m| m.message),
    );
    problems
}

/// RUNs that use a file before the COPY that brings it, in the same stage (`RUN chmod 777
/// /resources/entrypoint.sh` above `COPY resources /resources`): a path a RUN names strictly
/// below a later COPY's destination that no earlier COPY brings. Commands that make paths
/// (`mkdir`, `touch`, `rm`) are not uses. One line per use.
pub fn used_before_copied(doc: &Dockerfile, model: &crate::model::Model) -> Vec<String> {
    use super::util::{copy_parts, resolve, stage_instructions, workdirs};
    use crate::syntax::Keyword;
    let mut out = Vec::new();
    for stage in &model.stages {
        let instrs = stage_instructions(doc, stage);
        let wds = workdirs(doc, stage);
        let wd_at = |i: usize| {
            wds.iter()
                .find(|(j, _)| *j == i)
                .map_or("/".to_string(), |(_, w)| w.clone())
        };
        let below = |p: &str, d: &str| p.starts_with(&format!("{}/", d.trim_end_matches('/')));
        // What each COPY brings: its destination, or the named files in it when every source
        // looks like a file (`COPY --from=uv /uv /uvx /bin/` brings /bin/uv, not /bin/false).
        let dests: Vec<(usize, String, u32)> = instrs
            .iter()
            .filter_map(|(i, ins)| {
                let (sources, dest) = copy_parts(ins)?;
                let dest = resolve(&wd_at(*i), &dest);
                let base = |s: &str| {
                    s.trim_end_matches('/')
                        .rsplit('/')
                        .next()
                        .unwrap_or("")
                        .to_string()
                };
                let files = sources.iter().all(|s| {
                    !s.ends_with('/') && s != "." && {
                        let b = base(s);
                        b.contains('.') || SYSTEM_DIRS.iter().any(|d| dest == *d)
                    }
                });
                let brought: Vec<String> = if files
                    && (sources.len() > 1
                        || dest.ends_with('/')
                        || SYSTEM_DIRS.contains(&dest.as_str()))
                {
                    sources
                        .iter()
                        .map(|s| format!("{}/{}", dest.trim_end_matches('/'), base(s)))
                        .collect()
                } else {
                    vec![dest]
                };
                Some(brought.into_iter().map(move |d| (*i, d, ins.start_line)))
            })
            .flatten()
            .collect();
        for (i, ins) in &instrs {
            if ins.keyword != Keyword::Run {
                continue;
            }
            for c in super::shell::commands(&super::util::arg_text(ins)) {
                if matches!(c.program(), "mkdir" | "touch" | "rm" | "ln" | "install") {
                    continue;
                }
                for w in c.program_args() {
                    let p = &w.text;
                    if !p.starts_with('/') || p.contains('$') || p.contains('*') {
                        continue;
                    }
                    let earlier = dests
                        .iter()
                        .any(|(j, d, _)| j < i && (p == d || below(p, d)));
                    let later = dests
                        .iter()
                        .find(|(j, d, _)| j > i && d != "/" && (p == d || below(p, d)));
                    if let (false, Some((_, _, line))) = (earlier, later) {
                        let message = format!(
                            "RUN on line {} uses `{p}` before the COPY on line {line} brings it",
                            ins.start_line
                        );
                        if !out.contains(&message) {
                            out.push(message);
                        }
                    }
                }
            }
        }
    }
    out
}

/// Two [`used_before_copied`] lines about the same path (their line numbers differ between
/// the input and a refactor's output).
pub(crate) fn same_use(a: &str, b: &str) -> bool {
    let path = |s: &str| s.split('`').nth(1).map(str::to_string);
    path(a).is_some() && path(a) == path(b)
}

/// Folders a COPY adds files to without replacing what is there.
const SYSTEM_DIRS: &[&str] = &[
    "/bin",
    "/sbin",
    "/usr/bin",
    "/usr/sbin",
    "/usr/local/bin",
    "/usr/local/sbin",
    "/etc",
    "/usr/local",
    "/usr",
    "/lib",
    "/usr/lib",
    "/usr/local/lib",
];
