//! Remove stages that no target needs.
//!
//! ## What it does
//! Deletes an unnamed, non-final stage that the final stage does not reach (no FROM, COPY
//! --from or mount refers to it).
//!
//! ## Why is this better?
//! BuildKit skips such a stage, but readers and the legacy builder do not; an unnamed stage
//! cannot be a `--target`, so nothing can use it.
//!
//! ## Fix safety
//! Unsafe: a script might build it by index with the legacy builder.
//!
//! ## References
//! Founding guide, "Best Practices" 3 (minimize what the build does) and 6 (target production);
//! Docker docs, "Differences between legacy builder and BuildKit".

use super::util;
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::model::EdgeSource;

pub const META: RefactorMeta = RefactorMeta {
    id: "remove-unused-stages",
    title: "Remove stages no target needs",
    sources: &[
        ("Founding guide: Best Practices", "https://docs.docker.com/build/building/multi-stage/"),
        ("Docker docs: BuildKit skips unused stages", "https://docs.docker.com/build/building/multi-stage/#differences-between-legacy-builder-and-buildkit"),
    ],
};

pub fn check(cx: &Context) -> Option<Draft> {
    let stages = &cx.model.stages;
    if stages.len() < 2 {
        return None;
    }
    let last = stages.len() - 1;
    let mut edits = Vec::new();
    let mut names = Vec::new();
    // Which stages some edge reads from, in one pass over the edges.
    let mut referenced = vec![false; stages.len()];
    for e in &cx.model.edges {
        if let EdgeSource::Stage(s) = e.from {
            if let Some(r) = referenced.get_mut(s) {
                *r = true;
            }
        }
    }
    for stage in stages {
        let referenced = referenced.get(stage.index).copied().unwrap_or(false);
        if stage.index == last || stage.needed || stage.name.is_some() || referenced {
            continue;
        }
        let span = util::stage_span(cx.text, cx.doc, stage);
        let span = util::line_span(cx.text, span, true);
        // BuildKit reads parser directives in the comments at the top of the file until the
        // first other line. Deleting the file's first instruction would let the comments
        // after it join that block (`# escape=…` read as a directive, or as a duplicate one),
        // so an empty line stays in its place.
        let first_instruction = cx.doc.instructions.first().map_or(0, |i| i.span.start);
        let next_is_comment = cx
            .text
            .get(span.end as usize..)
            .is_some_and(|rest| rest.trim_start().starts_with('#'));
        let insert = if span.start <= first_instruction && next_is_comment {
            "\n"
        } else {
            ""
        };
        edits.push(TextEdit {
            span: crate::span::Span::new(span.start, span.end.max(span.start)),
            insert: insert.to_string(),
        });
        names.push(format!("stage {} (line {})", stage.index, stage.line));
    }
    if edits.is_empty() {
        return None;
    }
    Some(Draft {
        title: format!("Remove {}: no target needs it", names.join(", ")),
        explanation: "Nothing refers to this unnamed stage and it is not the final one, so no build target can need it. \
                      BuildKit already skips it; removing it makes the file say what is built."
            .into(),
        applicability: Applicability::Unsafe,
        edits,
    })
}
