use super::super::context::Ctx;
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::span::Span;

rule_doc! {
    /// ## What it does
    /// Finds stages the chosen target does not need: not the target, not a base of it, not
    /// copied or mounted from.
    ///
    /// ## Why is this bad?
    /// BuildKit skips them, so they only cost reading time, or they are a leftover that was
    /// meant to be used (a `COPY --from` that points elsewhere). With several targets (dev,
    /// test, prod) a stage can be unused for one target and needed by another: choose the
    /// target in the toolbar.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20 AS test
    /// RUN npm test
    /// FROM node:20-slim
    /// COPY . .
    /// ```
    ///
    /// Use instead: delete the stage, or build it as its own target (`--target test`).
    ///
    /// ## Fix safety
    /// Unsafe: the fix deletes the stage; another target may have needed it.
    ///
    /// ## References
    /// - [Multi-stage builds: stop at a specific stage](https://docs.docker.com/build/building/multi-stage/#stop-at-a-specific-build-stage)
    pub struct UnusedStage;
}

pub fn check(ctx: &mut Ctx) {
    // Only with a model for these stages: without one every stage counts as needed.
    if ctx.model.stages.len() != ctx.stages.len() || ctx.stages.len() < 2 {
        return;
    }
    let target_name = ctx
        .stages
        .iter()
        .find(|s| s.is_target)
        .map(|s| s.name.clone().unwrap_or_else(|| "the last stage".into()));
    let doc = ctx.doc;
    let text = ctx.text;
    let mut hits = Vec::new();
    for (si, s) in ctx.stages.iter().enumerate() {
        if s.needed || s.is_target {
            continue;
        }
        let from = &doc.instructions[s.from];
        let start = super::helpers::line_span(text, from.span).start;
        let end = ctx.stages.get(si + 1).map_or(text.len() as u32, |n| {
            super::helpers::line_span(text, doc.instructions[n.from].span).start
        });
        let fix = Fix {
            title: "Delete the stage".into(),
            applicability: Applicability::Unsafe,
            edits: vec![TextEdit {
                span: Span::new(start, end),
                insert: String::new(),
            }],
        };
        let name = s.name.clone().unwrap_or_else(|| format!("stage-{si}"));
        hits.push((from.span, name, fix));
    }
    let target = target_name.unwrap_or_default();
    for (span, name, fix) in hits {
        ctx.report(
            "SP1002",
            span,
            format!("Stage `{name}` is not used to build target `{target}`"),
        )
        .fix(Some(fix));
    }
}
