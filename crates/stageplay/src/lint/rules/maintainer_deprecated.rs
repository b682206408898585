use super::super::context::{args_span, Ctx};
use super::helpers::{replace, unquote};
use crate::diagnostic::Applicability;
use crate::span::Span;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags the `MAINTAINER` instruction.
    ///
    /// ## Why is this bad?
    /// `MAINTAINER` is deprecated; the author belongs in the standard OCI label
    /// `org.opencontainers.image.authors`, which tools read.
    ///
    /// ## Example
    /// ```dockerfile
    /// MAINTAINER Jane Doe <jane@example.com>
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the image's legacy `Author` field is no longer set.
    ///
    /// ## References
    /// - [BuildKit: MaintainerDeprecated](https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/)
    /// - [hadolint DL4000](https://github.com/hadolint/hadolint/wiki/DL4000)
    pub struct MaintainerDeprecated {
        code: "MaintainerDeprecated",
        name: "maintainer-deprecated",
        sources: ["buildkit:MaintainerDeprecated", "hadolint:DL4000"],
        severity: Warning,
        status: Stable,
        fix: Unsafe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for inst in doc.instructions_with(Keyword::Maintainer) {
        let args = args_span(inst);
        let value = unquote(ctx.slice(args));
        let fix = (!value.contains('\n')).then(|| {
            let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
            replace(
                Span::new(inst.keyword_span.start, args.end),
                format!("LABEL org.opencontainers.image.authors=\"{escaped}\""),
                "Replace with an OCI authors label",
                Applicability::Unsafe,
            )
        });
        ctx.report(
            inst.span,
            "Maintainer instruction is deprecated in favor of using label",
        )
        .fix(fix);
    }
}
