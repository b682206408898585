use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `zypper install` without `-y`/`-n`.
    ///
    /// ## Why is this bad?
    /// Without a terminal zypper cannot ask for confirmation and the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper install curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN zypper install -y curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe: it answers the prompt the build cannot answer.
    ///
    /// ## References
    /// - [hadolint DL3034](https://github.com/hadolint/hadolint/wiki/DL3034)
    pub struct ZypperYes {
        code: "DL3034",
        name: "zypper-yes",
        sources: ["hadolint:DL3034"],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    const SUBS: &[&str] = &[
        "install",
        "in",
        "remove",
        "rm",
        "source-install",
        "si",
        "patch",
    ];
    report_missing_yes(
        ctx,
        |c| c.is("zypper", SUBS),
        &["-n", "--non-interactive", "-y", "--no-confirm"],
        SUBS,
        "Non-interactive switch missing from `zypper` command: `zypper install -y`",
    );
}
