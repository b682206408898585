use super::super::context::Ctx;
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::span::Span;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `FROM --platform=$TARGETPLATFORM`.
    ///
    /// ## Why is this bad?
    /// Stages are built for the target platform by default; the flag only adds noise.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=$TARGETPLATFORM alpine:3.20
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the default platform is the same.
    ///
    /// ## References
    /// - [BuildKit: RedundantTargetPlatform](https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/)
    pub struct RedundantTargetPlatform {
        code: "RedundantTargetPlatform",
        name: "redundant-target-platform",
        sources: ["buildkit:RedundantTargetPlatform"],
        severity: Info,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let text = ctx.text;
    for inst in doc.instructions_with(Keyword::From) {
        let Some(f) = inst.flag("platform") else {
            continue;
        };
        let Some(value) = &f.value else { continue };
        if value != "$TARGETPLATFORM" && value != "${TARGETPLATFORM}" {
            continue;
        }
        // Remove the flag and the blanks after it.
        let mut end = f.span.end as usize;
        while text
            .as_bytes()
            .get(end)
            .is_some_and(|b| *b == b' ' || *b == b'\t')
        {
            end += 1;
        }
        let fix = Fix {
            title: "Remove `--platform`".into(),
            applicability: Applicability::Safe,
            edits: vec![TextEdit {
                span: Span::new(f.span.start, end as u32),
                insert: String::new(),
            }],
        };
        ctx.report(f.span, format!("Setting platform to predefined {value} in FROM is redundant as this is the default behavior")).fix(Some(fix));
    }
}
