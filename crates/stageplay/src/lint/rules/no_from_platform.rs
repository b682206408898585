use super::super::context::Ctx;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `FROM --platform=` with a constant value (a variable such as `$BUILDPLATFORM`
    /// is fine).
    ///
    /// ## Why is this bad?
    /// A fixed platform breaks multi-platform builds and forces emulation elsewhere. See also
    /// the BuildKit check `FromPlatformFlagConstDisallowed`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 debian:12
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    ///
    /// ## References
    /// - [hadolint DL3029](https://github.com/hadolint/hadolint/wiki/DL3029)
    pub struct NoFromPlatform {
        code: "DL3029",
        name: "no-from-platform",
        sources: ["hadolint:DL3029"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for inst in doc.instructions_with(Keyword::From) {
        let Some(f) = inst.flag("platform") else {
            continue;
        };
        if f.value.as_deref().is_some_and(|v| !v.contains('$')) {
            ctx.report(f.span, "Do not use --platform flag with FROM");
        }
    }
}
