use super::super::context::Ctx;
use super::helpers::replace;
use crate::diagnostic::Applicability;
use crate::syntax::Keyword;

rule_doc! {
    /// ## What it does
    /// Checks that all instruction keywords use the casing most of the file uses (all
    /// uppercase or all lowercase).
    ///
    /// ## Why is this bad?
    /// Mixed casing makes a Dockerfile harder to scan; keywords are case-insensitive, so the
    /// mix carries no meaning.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// run echo hello
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN echo hello
    /// ```
    ///
    /// ## Fix safety
    /// Safe: keywords are case-insensitive.
    ///
    /// ## References
    /// - [BuildKit: ConsistentInstructionCasing](https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/)
    pub struct ConsistentInstructionCasing;
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let known = || {
        doc.instructions
            .iter()
            .filter(|i| i.keyword != Keyword::Unknown)
    };
    let lower = known()
        .filter(|i| i.keyword_text == i.keyword_text.to_lowercase())
        .count();
    let upper = known()
        .filter(|i| i.keyword_text == i.keyword_text.to_uppercase())
        .count();
    let majority_lower = lower > upper;
    for inst in known() {
        let wanted = if majority_lower {
            inst.keyword_text.to_lowercase()
        } else {
            inst.keyword_text.to_uppercase()
        };
        if inst.keyword_text == wanted {
            continue;
        }
        let casing = if majority_lower {
            "lowercase"
        } else {
            "uppercase"
        };
        let fix = replace(
            inst.keyword_span,
            wanted.clone(),
            format!("Write `{wanted}`"),
            Applicability::Safe,
        );
        ctx.report(
            "ConsistentInstructionCasing",
            inst.keyword_span,
            message(&inst.keyword_text, casing),
        )
        .fix(Some(fix));
    }
}

fn message(command: &str, casing: &str) -> String {
    format!("Command '{command}' should match the case of the command majority ({casing})")
}
