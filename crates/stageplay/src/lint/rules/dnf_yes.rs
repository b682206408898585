use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `dnf install` (or `microdnf`) without `-y`.
    ///
    /// ## Why is this bad?
    /// Without a terminal dnf cannot ask for confirmation and the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd
    /// ```
    ///
    /// ## Fix safety
    /// Safe: it answers the prompt the build cannot answer.
    ///
    /// ## References
    /// - [hadolint DL3038](https://github.com/hadolint/hadolint/wiki/DL3038)
    pub struct DnfYes {
        code: "DL3038",
        name: "dnf-yes",
        sources: ["hadolint:DL3038"],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    report_missing_yes(
        ctx,
        |c| (c.name() == "dnf" || c.name() == "microdnf") && c.has_arg("install"),
        &["-y", "--assumeyes"],
        &["install"],
        "Use the -y switch to avoid manual input `dnf install -y <package>`",
    );
}
