use super::super::context::Ctx;
use super::helpers::unquote;
use crate::estimate::context::ignore::{is_ignored, patterns};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// When a `.dockerignore` is supplied, finds `COPY`/`ADD` sources from the build context
    /// that it excludes.
    ///
    /// ## Why is this bad?
    /// Excluded files are not sent to the builder, so the instruction fails or copies less
    /// than it says.
    ///
    /// ## Example
    /// ```dockerfile
    /// # .dockerignore contains: *.md
    /// COPY README.md /app/
    /// ```
    ///
    /// Use instead: remove the file from `.dockerignore` (or add `!README.md`), or do not copy it.
    ///
    /// ## Fix safety
    /// No fix: either file may be the one to change.
    ///
    /// ## References
    /// - [BuildKit: CopyIgnoredFile](https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/)
    pub struct CopyIgnoredFile {
        code: "CopyIgnoredFile",
        name: "copy-ignored-file",
        sources: ["buildkit:CopyIgnoredFile"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let Some(ignore) = ctx.opts.dockerignore.clone() else {
        return;
    };
    let pats = patterns(&ignore);
    if pats.is_empty() {
        return;
    }
    let doc = ctx.doc;
    for inst in doc
        .instructions
        .iter()
        .filter(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add))
    {
        if inst.flag("from").is_some() || !inst.heredocs().is_empty() {
            continue;
        }
        let words = ctx.words(inst);
        let Some((_, sources)) = words.split_last() else {
            continue;
        };
        for src in sources {
            let path = unquote(&src.text);
            if path.contains("://") || path.contains('$') || path.starts_with("git@") {
                continue;
            }
            if is_ignored(&pats, &path) {
                let verb = if inst.keyword == Keyword::Copy {
                    "Copy"
                } else {
                    "Add"
                };
                ctx.report(
                    src.span,
                    format!(
                        "Attempting to {verb} file \"{path}\" that is excluded by .dockerignore"
                    ),
                );
            }
        }
    }
}
