//! Bind-mount lockfiles into the install instead of copying them.
//!
//! ## What it does
//! When a stage copies only dependency manifests (`COPY requirements.txt .`,
//! `COPY pyproject.toml uv.lock ./`) right before the install and copies the whole context later,
//! removes the COPY and bind-mounts the files into the install RUN
//! (`--mount=type=bind,source=requirements.txt,target=requirements.txt`).
//!
//! ## Why is this better?
//! The manifests are read by the install only; a bind mount avoids a layer for them while keeping
//! the install cached on their content.
//!
//! ## Fix safety
//! Safe with BuildKit: the later `COPY .` still brings the files into the image.
//!
//! ## References
//! Founding guide, "BuildKit Features: Bind Mounts" and "Multi-Stage with uv".

use super::project::{install_tool, is_manifest};
use super::shell;
use super::util::{self, arg_text, copy_parts, stage_instructions};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::span::Span;
use crate::syntax::{Args, Keyword};

pub const META: RefactorMeta = RefactorMeta {
    id: "bind-mounts",
    title: "Bind-mount lockfiles into the install",
    sources: &[
        (
            "Founding guide: BuildKit Features (Bind Mounts)",
            "https://docs.docker.com/build/building/best-practices/#use-bind-mounts",
        ),
        (
            "Founding guide: Multi-Stage with uv",
            "https://docs.astral.sh/uv/guides/integration/docker/#intermediate-layers",
        ),
    ],
};

pub fn check(cx: &Context) -> Option<Draft> {
    for stage in &cx.model.stages {
        let instrs = stage_instructions(cx.doc, stage);
        for (pos, (_, copy)) in instrs.iter().enumerate() {
            if copy.keyword != Keyword::Copy || !copy.flags.is_empty() {
                continue;
            }
            let Some((sources, dest)) = copy_parts(copy) else {
                continue;
            };
            if !sources.iter().all(|s| {
                is_manifest(s) && !s.contains(['*', '?', '$', '/']) && s != "gradle" && s != ".mvn"
            }) {
                continue;
            }
            if !(dest == "." || dest == "./") {
                continue;
            }
            let Some((_, run)) = instrs.get(pos + 1) else {
                continue;
            };
            let Args::Shell {
                span: args_span, ..
            } = &run.args
            else {
                continue;
            };
            if run.keyword != Keyword::Run
                || !shell::commands(&arg_text(run))
                    .iter()
                    .any(|c| install_tool(c).is_some())
            {
                continue;
            }
            let later_copy_all = instrs[pos + 2..].iter().any(|(_, i)| {
                i.keyword == Keyword::Copy
                    && i.flags.iter().all(|f| f.name != "from")
                    && copy_parts(i).is_some_and(|(s, _)| s.iter().any(|x| x == "." || x == "./"))
            });
            if !later_copy_all {
                continue;
            }
            let mut insert = String::new();
            for s in &sources {
                insert.push_str(&format!("--mount=type=bind,source={s},target={s} \\\n    "));
            }
            return Some(Draft {
                title: format!("Bind-mount {} into the install", sources.join(", ")),
                explanation: format!(
                    "{} are read only by the install; bind-mounting them (founding guide: \"Bind Mounts\") saves a layer, \
                     and the later `COPY .` still puts them in the image.",
                    sources.join(", ")
                ),
                applicability: Applicability::Safe,
                edits: vec![
                    TextEdit { span: util::line_span(cx.text, copy.span, false), insert: String::new() },
                    TextEdit { span: Span::empty(args_span.start), insert },
                ],
            });
        }
    }
    None
}
