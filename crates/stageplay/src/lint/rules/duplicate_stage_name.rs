use super::super::context::Ctx;

declare_rule! {
    /// ## What it does
    /// Finds two stages with the same name (names compare case-insensitively).
    ///
    /// ## Why is this bad?
    /// `--from=name` and `--target name` can only mean one of them; the build is ambiguous
    /// and BuildKit refuses or warns.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// FROM node:20 AS build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS build-go
    /// FROM node:20 AS build-web
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the right new name depends on which references should follow it.
    ///
    /// ## References
    /// - [BuildKit: DuplicateStageName](https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/)
    /// - [hadolint DL3024](https://github.com/hadolint/hadolint/wiki/DL3024)
    pub struct DuplicateStageName {
        code: "DuplicateStageName",
        name: "duplicate-stage-name",
        sources: ["buildkit:DuplicateStageName", "hadolint:DL3024"],
        severity: Error,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    // Lower-cased name -> the span of its first definition.
    let mut seen: std::collections::HashMap<String, crate::span::Span> =
        std::collections::HashMap::new();
    let stages = ctx.stages.clone();
    for s in &stages {
        let Some(name) = &s.name else { continue };
        let inst = &ctx.doc.instructions[s.from];
        let span = ctx.words(inst).get(2).map_or(inst.span, |w| w.span);
        match seen.get(&name.to_lowercase()) {
            Some(first) => {
                let first = *first;
                ctx.report(span, message(name))
                    .label(first, "first defined here")
                    .help("names are compared without case; references by name resolve to the last stage with this name");
            }
            None => {
                seen.insert(name.to_lowercase(), span);
            }
        }
    }
}

fn message(name: &str) -> String {
    format!("Duplicate stage name \"{name}\", stage names should be unique")
}
