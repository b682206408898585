//! Builder compatibility: rewrites that give an older builder the meaning BuildKit gives a file,
//! for `stageplay verify` to hand to that builder. The user's file is never changed.
//!
//! - Relative `RUN --mount` targets (`target=uv.lock`). BuildKit resolves them against the
//!   working directory (moby/buildkit#628); Buildah before 1.29 rejects them ("must be an
//!   absolute path"; Debian 12 ships 1.28). [`absolute_mount_targets`] writes them
//!   WORKDIR-absolute, which every builder reads the same way.

use crate::model::Model;
use crate::refactor::util::{resolve, stage_instructions};
use crate::syntax::ast::{Dockerfile, Keyword};
use crate::Span;

/// The text with every relative `RUN --mount` target made absolute against the stage's
/// `WORKDIR`, as BuildKit resolves it; `None` when nothing needs it. A target is left alone
/// when the working directory is not known from the file (no `WORKDIR` in the stage before the
/// RUN: the base image's is unknown; a `WORKDIR` with a variable) or the flag is quoted or
/// uses a variable.
pub fn absolute_mount_targets(text: &str, doc: &Dockerfile, model: &Model) -> Option<String> {
    let mut edits: Vec<(Span, String)> = Vec::new();
    for stage in &model.stages {
        let mut wd: Option<String> = None;
        for (_, ins) in stage_instructions(doc, stage) {
            match ins.keyword {
                Keyword::Workdir => {
                    let arg = crate::refactor::util::arg_text(ins);
                    let arg = arg.trim();
                    wd = if arg.contains('$') || arg.contains(['"', '\'']) {
                        None
                    } else if arg.starts_with('/') {
                        Some(resolve("/", arg))
                    } else {
                        wd.map(|w| resolve(&w, arg))
                    };
                }
                Keyword::Run => {
                    let Some(wd) = &wd else { continue };
                    for flag in ins.flags.iter().filter(|f| f.name == "mount") {
                        let (Some(value), Some(span)) = (&flag.value, flag.value_span) else {
                            continue;
                        };
                        if text.get(span.range()) != Some(value.as_str())
                            || value.contains(['"', '$'])
                        {
                            continue;
                        }
                        if let Some(new) = absolute_target_field(value, wd) {
                            edits.push((span, new));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    crate::sort::sort_by_key(&mut edits, |(s, _)| std::cmp::Reverse(s.start));
    let mut out = text.to_string();
    for (span, new) in edits {
        out.replace_range(span.range(), &new);
    }
    Some(out)
}

/// The mount's CSV fields with a relative `target`/`dst`/`destination` made absolute.
fn absolute_target_field(value: &str, wd: &str) -> Option<String> {
    let mut changed = false;
    let fields: Vec<String> = value
        .split(',')
        .map(|field| match field.split_once('=') {
            Some((k, v))
                if ["target", "dst", "destination"].contains(&k.to_ascii_lowercase().as_str())
                    && !v.is_empty()
                    && !v.starts_with('/') =>
            {
                changed = true;
                format!("{k}={}", resolve(wd, v))
            }
            _ => field.to_string(),
        })
        .collect();
    changed.then(|| fields.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{self, ModelOptions};
    use crate::syntax;

    fn rewrite(text: &str) -> Option<String> {
        let doc = syntax::parse(text);
        let model = model::build(&doc, &ModelOptions::default());
        absolute_mount_targets(text, &doc, &model)
    }

    #[test]
    fn relative_targets_resolve_against_the_workdir_as_buildkit_does() {
        let text = "FROM python:3.12-slim AS b\nWORKDIR /app\nWORKDIR src\n\
RUN --mount=type=cache,target=/root/.cache \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    --mount=type=bind,src=a,dst=./x/../conf uv sync\n";
        let out = rewrite(text).expect("rewritten");
        assert!(
            out.contains("--mount=type=cache,target=/root/.cache "),
            "{out}"
        );
        assert!(
            out.contains("source=uv.lock,target=/app/src/uv.lock "),
            "{out}"
        );
        assert!(out.contains("src=a,dst=/app/src/conf uv sync"), "{out}");
        // Everything else is as written.
        assert_eq!(out.lines().count(), text.lines().count());
        assert!(out.starts_with("FROM python:3.12-slim AS b\nWORKDIR /app\nWORKDIR src\n"));
    }

    #[test]
    fn unknown_working_directories_and_absolute_targets_are_left_alone() {
        // No WORKDIR in the stage: the base image's is unknown.
        assert_eq!(
            rewrite("FROM node:22\nRUN --mount=target=pkg.json npm ci\n"),
            None
        );
        // A WORKDIR with a variable.
        assert_eq!(
            rewrite("FROM node:22\nARG D=/w\nWORKDIR $D\nRUN --mount=target=x true\n"),
            None
        );
        // Absolute targets, and a quoted flag.
        assert_eq!(
            rewrite("FROM node:22\nWORKDIR /w\nRUN --mount=type=bind,target=/w/x true\n"),
            None
        );
        assert_eq!(
            rewrite("FROM node:22\nWORKDIR /w\nRUN --mount=\"type=bind,target=x\" true\n"),
            None
        );
        // The working directory is per stage.
        let out = rewrite(
            "FROM a AS one\nWORKDIR /one\nFROM a AS two\nRUN --mount=target=x true\nWORKDIR /two\nRUN --mount=target=y true\n",
        )
        .expect("rewritten");
        assert!(out.contains("RUN --mount=target=x true"), "{out}");
        assert!(out.contains("RUN --mount=target=/two/y true"), "{out}");
    }
}
