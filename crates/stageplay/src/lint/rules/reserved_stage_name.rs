use super::super::context::Ctx;

declare_rule! {
    /// ## What it does
    /// Finds stages named like a reserved word: `scratch` or `context`.
    ///
    /// ## Why is this bad?
    /// `FROM scratch` means the empty image and `--from=context` may mean a named build
    /// context; a stage with such a name is confusing or unreachable.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20 AS scratch
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20 AS base
    /// ```
    ///
    /// ## Fix safety
    /// No fix: a new name must be chosen.
    ///
    /// ## References
    /// - [BuildKit: ReservedStageName](https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/)
    pub struct ReservedStageName {
        code: "ReservedStageName",
        name: "reserved-stage-name",
        sources: ["buildkit:ReservedStageName"],
        severity: Error,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let stages = ctx.stages.clone();
    for s in &stages {
        let Some(name) = &s.name else { continue };
        let lower = name.to_lowercase();
        if lower != "scratch" && lower != "context" {
            continue;
        }
        let inst = &ctx.doc.instructions[s.from];
        let span = ctx.words(inst).get(2).map_or(inst.span, |w| w.span);
        ctx.report(span, message(&lower));
    }
}

fn message(name: &str) -> String {
    format!("Stage name should not use the same name as reserved stage \"{name}\"")
}
