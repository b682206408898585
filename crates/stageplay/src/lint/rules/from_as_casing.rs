use super::super::context::Ctx;
use super::helpers::replace;
use crate::diagnostic::Applicability;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Checks that the `AS` keyword in `FROM … AS name` has the same casing as `FROM`.
    ///
    /// ## Why is this bad?
    /// Mixed casing (`FROM x as y`) reads inconsistently; BuildKit warns about it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12 as builder
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12 AS builder
    /// ```
    ///
    /// ## Fix safety
    /// Safe: keywords are case-insensitive.
    ///
    /// ## References
    /// - [BuildKit: FromAsCasing](https://docs.docker.com/go/dockerfile/rule/from-as-casing/)
    pub struct FromAsCasing {
        code: "FromAsCasing",
        name: "from-as-casing",
        sources: ["buildkit:FromAsCasing"],
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
        let [_, as_kw, _, ..] = words.as_slice() else {
            continue;
        };
        if !as_kw.text.eq_ignore_ascii_case("as") {
            continue;
        }
        let from_upper = inst.keyword_text() == inst.keyword_text().to_uppercase();
        let from_lower = inst.keyword_text() == inst.keyword_text().to_lowercase();
        let as_upper = as_kw.text == "AS";
        let as_lower = as_kw.text == "as";
        let mismatch = (from_upper && !as_upper) || (from_lower && !as_lower);
        if !mismatch {
            continue;
        }
        let wanted = if from_upper { "AS" } else { "as" };
        let fix = replace(
            as_kw.span,
            wanted,
            format!("Write `{wanted}`"),
            Applicability::Safe,
        );
        ctx.report(as_kw.span, message(inst.keyword_text(), &as_kw.text))
            .fix(Some(fix));
    }
}

fn message(from: &str, as_kw: &str) -> String {
    format!("'{as_kw}' and '{from}' keywords' casing do not match")
}
