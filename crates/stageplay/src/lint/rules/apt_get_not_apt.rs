use super::super::context::Ctx;
use super::helpers::replace;
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds commands that call `apt` instead of `apt-get`/`apt-cache`.
    ///
    /// ## Why is this bad?
    /// `apt` is meant for people at a terminal: its output and options are not stable for
    /// scripts, and it warns about exactly that.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt install -y curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get install -y curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe for the sub-commands both tools share (install, update, upgrade, remove, purge,
    /// autoremove, clean, dist-upgrade); no fix otherwise.
    ///
    /// ## References
    /// - [hadolint DL3027](https://github.com/hadolint/hadolint/wiki/DL3027)
    pub struct AptGetNotApt {
        code: "DL3027",
        name: "apt-get-not-apt",
        sources: ["hadolint:DL3027"],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

const SHARED: &[&str] = &[
    "install",
    "update",
    "upgrade",
    "remove",
    "purge",
    "autoremove",
    "clean",
    "dist-upgrade",
    "autoclean",
];

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script.commands().filter(|c| c.name() == "apt") {
            let sub = c
                .operands(&[])
                .first()
                .map(|w| w.text.clone())
                .unwrap_or_default();
            let fix = (script.editable && SHARED.contains(&sub.as_str())).then(|| {
                replace(
                    c.name_span(),
                    "apt-get",
                    "Use `apt-get`",
                    Applicability::Safe,
                )
            });
            hits.push((c.span, fix));
        }
    }
    for (span, fix) in hits {
        ctx.report(
            span,
            "Do not use apt as it is meant to be a end-user tool, use apt-get or apt-cache instead",
        )
        .fix(fix);
    }
}
