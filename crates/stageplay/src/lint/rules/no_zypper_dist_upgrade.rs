use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `zypper dist-upgrade`.
    ///
    /// ## Why is this bad?
    /// A distribution upgrade inside an image build makes it unrepeatable; update the base image instead.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper dist-upgrade -y
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the base image is the thing to change.
    ///
    /// ## References
    /// - [hadolint DL3035](https://github.com/hadolint/hadolint/wiki/DL3035)
    pub struct NoZypperDistUpgrade {
        code: "DL3035",
        name: "no-zypper-dist-upgrade",
        sources: ["hadolint:DL3035"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let hits: Vec<_> = ctx
        .runs()
        .flat_map(|(_, _, s)| {
            s.commands()
                .filter(|c| c.is("zypper", &["dist-upgrade", "dup"]))
                .map(|c| c.span)
                .collect::<Vec<_>>()
        })
        .collect();
    for span in hits {
        ctx.report(span, "Do not use `zypper dist-upgrade`");
    }
}
