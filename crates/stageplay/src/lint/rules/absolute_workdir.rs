use super::super::context::Ctx;
use super::workdir_relative_path::is_absolute;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `WORKDIR` with a relative path.
    ///
    /// ## Why is this bad?
    /// A relative path depends on the working directory before it, which a base-image change
    /// can move. See also the stage-aware BuildKit check `WorkdirRelativePath`.
    ///
    /// ## Example
    /// ```dockerfile
    /// WORKDIR app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// WORKDIR /app
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the intended absolute path is not known.
    ///
    /// ## References
    /// - [hadolint DL3000](https://github.com/hadolint/hadolint/wiki/DL3000)
    pub struct AbsoluteWorkdir {
        code: "DL3000",
        name: "absolute-workdir",
        sources: ["hadolint:DL3000"],
        severity: Error,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for inst in doc.instructions_with(Keyword::Workdir) {
        let words = ctx.words(inst);
        let Some(w) = words.first() else { continue };
        if !is_absolute(&w.text) {
            ctx.report(w.span, "Use absolute WORKDIR");
        }
    }
}
