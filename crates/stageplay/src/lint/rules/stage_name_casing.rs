use super::super::context::Ctx;
use super::helpers::replace;
use crate::diagnostic::Applicability;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Checks that stage names (`FROM image AS name`) are lowercase.
    ///
    /// ## Why is this bad?
    /// BuildKit lowercases stage names, so `AS Builder` and `--from=builder` name the same
    /// stage. Mixed casing suggests a difference that does not exist.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20 AS BuilderBase
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20 AS builderbase
    /// ```
    ///
    /// ## Fix safety
    /// Safe: stage names are matched case-insensitively, so references keep working.
    ///
    /// ## References
    /// - [BuildKit: StageNameCasing](https://docs.docker.com/go/dockerfile/rule/stage-name-casing/)
    pub struct StageNameCasing {
        code: "StageNameCasing",
        name: "stage-name-casing",
        sources: ["buildkit:StageNameCasing"],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for inst in doc.instructions_with(Keyword::From) {
        let words = ctx.words(inst);
        let [_, as_kw, name, ..] = words.as_slice() else {
            continue;
        };
        if !as_kw.text.eq_ignore_ascii_case("as") || name.text == name.text.to_lowercase() {
            continue;
        }
        let fix = replace(
            name.span,
            name.text.to_lowercase(),
            "Lowercase the stage name",
            Applicability::Safe,
        );
        ctx.report(name.span, message(&name.text)).fix(Some(fix));
    }
}

fn message(name: &str) -> String {
    format!("Stage name '{name}' should be lowercase")
}
