use super::super::context::Ctx;
use super::helpers::replace;
use crate::diagnostic::Applicability;
use crate::syntax::Keyword;

declare_rule! {
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
    pub struct ConsistentInstructionCasing {
        code: "ConsistentInstructionCasing",
        name: "consistent-instruction-casing",
        sources: ["buildkit:ConsistentInstructionCasing"],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let known = || {
        doc.instructions
            .iter()
            .filter(|i| i.keyword != Keyword::Unknown)
    };
    let lower = known().filter(|i| is_lowercase(i.keyword_text())).count();
    let upper = known().filter(|i| is_uppercase(i.keyword_text())).count();
    let majority_lower = lower > upper;
    for inst in known() {
        let fine = if majority_lower {
            is_lowercase(inst.keyword_text())
        } else {
            is_uppercase(inst.keyword_text())
        };
        if fine {
            continue;
        }
        let wanted = if majority_lower {
            inst.keyword_text().to_lowercase()
        } else {
            inst.keyword_text().to_uppercase()
        };
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
        ctx.report(inst.keyword_span, message(inst.keyword_text(), casing))
            .fix(Some(fix));
    }
}

fn message(command: &str, casing: &str) -> String {
    format!("Command '{command}' should match the case of the command majority ({casing})")
}

/// `text == text.to_lowercase()`, without allocating for ASCII text.
fn is_lowercase(text: &str) -> bool {
    if text.is_ascii() {
        !text.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        text == text.to_lowercase()
    }
}

/// `text == text.to_uppercase()`, without allocating for ASCII text.
fn is_uppercase(text: &str) -> bool {
    if text.is_ascii() {
        !text.bytes().any(|b| b.is_ascii_lowercase())
    } else {
        text == text.to_uppercase()
    }
}
