use super::super::context::Ctx;
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Finds stages no target can need: the stage has no name, so `--target` cannot build it,
    /// and neither the last stage nor any named stage reads it (as a `FROM` base, with
    /// `COPY --from` or with a `RUN --mount` from), directly or through other stages.
    ///
    /// ## Why is this bad?
    /// BuildKit skips such a stage, so it only costs reading time (and the legacy builder's
    /// build time), or it is a leftover that was meant to be used (a `COPY --from` that points
    /// elsewhere). A named stage that the chosen target does not need is not reported: it is
    /// another target (`--target test`); the stage graph greys it for the chosen target.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20
    /// RUN npm test
    /// FROM node:20-slim
    /// COPY . .
    /// ```
    ///
    /// Use instead: delete the stage, or name it and build it as its own target
    /// (`FROM node:20 AS test`, `docker build --target test`).
    ///
    /// ## Fix safety
    /// Unsafe: the fix deletes the stage; a script might build it by index with the legacy
    /// builder.
    ///
    /// ## References
    /// - [Multi-stage builds: stop at a specific stage](https://docs.docker.com/build/building/multi-stage/#stop-at-a-specific-build-stage)
    pub struct UnusedStage {
        code: "SP1002",
        name: "unused-stage",
        sources: [],
        severity: Warning,
        status: Stable,
        fix: Unsafe,
        stage_aware: true,
    }
}

pub fn check(ctx: &mut Ctx) {
    // Only with a model for these stages: without one every stage counts as needed.
    let model = ctx.model;
    if model.stages.len() != ctx.stages.len() || ctx.stages.len() < 2 {
        return;
    }
    // Every stage a possible target reads: the last stage and each named stage are targets.
    let n = model.stages.len();
    let mut reachable = vec![false; n];
    let mut todo: Vec<usize> = (0..n)
        .filter(|&i| i == n - 1 || model.stages[i].name.is_some())
        .collect();
    while let Some(i) = todo.pop() {
        if std::mem::replace(&mut reachable[i], true) {
            continue;
        }
        todo.extend(model.deps.get(i).into_iter().flatten().copied());
    }
    let doc = ctx.doc;
    let text = ctx.text;
    let mut hits = Vec::new();
    for (si, s) in ctx.stages.iter().enumerate() {
        if reachable[si] || s.needed || s.is_target {
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
        hits.push((from.span, format!("stage-{si}"), fix));
    }
    for (span, name, fix) in hits {
        let finding = ctx.report(span, format!("Stage `{name}` is not used by any target"));
        finding.help = Some(
            "it has no name, so --target cannot build it, and no target's FROM, COPY --from or mount reads it: delete it or name it"
                .into(),
        );
        finding.fix(Some(fix));
    }
}
