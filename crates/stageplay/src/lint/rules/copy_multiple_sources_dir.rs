use super::super::context::Ctx;
use super::helpers::insert;
use crate::diagnostic::Applicability;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `COPY` with several sources whose destination does not end with `/`.
    ///
    /// ## Why is this bad?
    /// With more than one source the destination must be a directory; without the trailing
    /// `/` the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY package.json yarn.lock /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// COPY package.json yarn.lock /app/
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the only meaning the instruction can have is "into this directory".
    ///
    /// ## References
    /// - [hadolint DL3021](https://github.com/hadolint/hadolint/wiki/DL3021)
    pub struct CopyMultipleSourcesDir {
        code: "DL3021",
        name: "copy-multiple-sources-dir",
        sources: ["hadolint:DL3021"],
        severity: Error,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for inst in doc.instructions_with(Keyword::Copy) {
        // Heredoc sources (`COPY <<A <<B /dest`) count as sources too.
        let words = ctx.words(inst);
        if words.len() < 3 {
            continue;
        }
        let Some(dest) = words.last() else { continue };
        let d = super::helpers::unquote(&dest.text);
        if d.ends_with('/') || d.contains('$') {
            continue;
        }
        // A heredoc marker in the last place is a source, not a destination: a `/` after it
        // would change the marker and leave the heredoc unterminated.
        if dest
            .text
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .starts_with("<<")
        {
            continue;
        }
        let quoted = dest.text.ends_with('"') || dest.text.ends_with('\'');
        let at = if quoted {
            dest.span.end - 1
        } else {
            dest.span.end
        };
        let fix = insert(at, "/", "Add `/` to the destination", Applicability::Safe);
        ctx.report(
            dest.span,
            "COPY with more than 2 arguments requires the last argument to end with /",
        )
        .fix(Some(fix));
    }
}
