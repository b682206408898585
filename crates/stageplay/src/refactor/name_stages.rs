//! Name unnamed stages and refer to stages by name.
//!
//! ## What it does
//! Adds `AS <name>` to every unnamed stage of a multi-stage file and replaces
//! `COPY --from=<index>` and `--mount=…,from=<index>` with the stage's name.
//!
//! ## Why is this better?
//! Founding guide, "Best Practices" 1: name your stages. An index breaks silently when a stage is
//! inserted above; a name also makes the stage a `--target`.
//!
//! ## Fix safety
//! Safe: the build is the same.
//!
//! ## References
//! Founding guide, "Named Stages and Targets" and "COPY --from Syntax"; hadolint DL3022 (COPY --from
//! should reference a previously defined FROM alias).

use super::util::{self, from_parts};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::span::Span;
use crate::syntax::{Args, Keyword};

pub const META: RefactorMeta = RefactorMeta {
    id: "name-stages",
    title: "Name the stages and copy from names, not indices",
    sources: &[
        (
            "Founding guide: Named Stages and Targets",
            "https://docs.docker.com/build/building/multi-stage/#name-your-build-stages",
        ),
        (
            "Founding guide: COPY --from Syntax",
            "https://docs.docker.com/build/building/multi-stage/",
        ),
        (
            "hadolint DL3022",
            "https://github.com/hadolint/hadolint/wiki/DL3022",
        ),
    ],
};

pub fn check(cx: &Context) -> Option<Draft> {
    let stages = &cx.model.stages;
    if stages.len() < 2 {
        return None;
    }
    let mut names: Vec<String> = stages
        .iter()
        .map(|s| s.name.clone().unwrap_or_default().to_lowercase())
        .collect();
    let mut edits = Vec::new();
    let last = stages.len() - 1;
    for stage in stages {
        if stage.name.is_some() {
            continue;
        }
        let wanted = if stage.index == last {
            "production".to_string()
        } else if stage.index + 1 == last {
            "builder".to_string()
        } else {
            format!("stage-{}", stage.index)
        };
        let mut name = wanted.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{wanted}-{n}");
            n += 1;
        }
        if let Some(slot) = names.get_mut(stage.index) {
            slot.clone_from(&name);
        }
        let from = util::ins(cx.doc, stage.from_instruction)?;
        let end = match &from.args {
            Args::Shell { span, .. } | Args::Exec { span, .. } => span.end,
        };
        if from_parts(from).0.is_empty() {
            return None;
        }
        edits.push(TextEdit {
            span: Span::empty(end),
            insert: format!(" AS {name}"),
        });
    }
    // References by index.
    for ins in &cx.doc.instructions {
        for flag in &ins.flags {
            let Some(value_span) = flag.value_span else {
                continue;
            };
            let value = util::slice(cx.text, value_span);
            if ins.keyword == Keyword::Copy && flag.name == "from" {
                if let Some(name) = index_name(value, &names) {
                    edits.push(TextEdit {
                        span: value_span,
                        insert: name,
                    });
                }
            } else if ins.keyword == Keyword::Run && flag.name == "mount" {
                let mut offset = 0usize;
                for field in value.split(',') {
                    if let Some(v) = field.strip_prefix("from=") {
                        if let Some(name) = index_name(v, &names) {
                            let start = value_span.start + (offset + 5) as u32;
                            edits.push(TextEdit {
                                span: Span::new(start, start + v.len() as u32),
                                insert: name,
                            });
                        }
                    }
                    offset += field.len() + 1;
                }
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    Some(Draft {
        title: META.title.into(),
        explanation: "Stages referred to by position break when a stage is added above them, and unnamed stages cannot be \
                      chosen with `--target`. Naming every stage (founding guide: \"Name your stages\") and copying from \
                      names keeps the file readable and stable."
            .into(),
        applicability: Applicability::Safe,
        edits,
    })
}

/// The name of the stage a numeric reference points to.
fn index_name(value: &str, names: &[String]) -> Option<String> {
    let index: usize = value.trim().parse().ok()?;
    names.get(index).filter(|n| !n.is_empty()).cloned()
}
