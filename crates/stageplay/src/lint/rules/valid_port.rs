use super::super::context::Ctx;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `EXPOSE` ports outside 0–65535.
    ///
    /// ## Why is this bad?
    /// Such a port cannot exist; the value is a typo.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 80800
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 8080
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    ///
    /// ## References
    /// - [hadolint DL3011](https://github.com/hadolint/hadolint/wiki/DL3011)
    pub struct ValidPort {
        code: "DL3011",
        name: "valid-port",
        sources: ["hadolint:DL3011"],
        severity: Error,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for inst in doc.instructions_with(Keyword::Expose) {
        for w in ctx.words(inst).iter() {
            let port = w.text.split('/').next().unwrap_or("");
            let port = port.rsplit(':').next().unwrap_or("");
            let bad = port
                .split('-')
                .any(|p| p.parse::<u64>().is_ok_and(|n| n > 65535));
            if bad {
                ctx.report(w.span, "Valid UNIX ports range from 0 to 65535");
            }
        }
    }
}
