use super::super::context::Ctx;
use super::helpers::replace;
use crate::diagnostic::Applicability;
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Finds `sudo` in `RUN`.
    ///
    /// ## Why is this bad?
    /// Build steps already run as the current `USER`; `sudo` adds a package, a TTY and
    /// signal quirks. Switch with `USER root` for the step, or use `gosu` at runtime.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN sudo apt-get update
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// USER root
    /// RUN apt-get update
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: removing `sudo` runs the command as the current user, which may lack rights.
    ///
    /// ## References
    /// - [hadolint DL3004](https://github.com/hadolint/hadolint/wiki/DL3004)
    pub struct NoSudo {
        code: "DL3004",
        name: "no-sudo",
        sources: ["hadolint:DL3004"],
        severity: Error,
        status: Stable,
        fix: Unsafe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script.commands().filter(|c| c.name() == "sudo") {
            let plain = c.args().first().filter(|a| !a.text.starts_with('-'));
            let fix = plain.filter(|_| script.editable).map(|a| {
                replace(
                    Span::new(c.name_span().start, a.span.start),
                    "",
                    "Remove `sudo`",
                    Applicability::Unsafe,
                )
            });
            hits.push((c.span, fix));
        }
    }
    for (span, fix) in hits {
        ctx.report(span, "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root").fix(fix);
    }
}
