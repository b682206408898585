use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `yum install` without `-y`.
    ///
    /// ## Why is this bad?
    /// Without a terminal yum cannot ask for confirmation and the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN yum install httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yum install -y httpd
    /// ```
    ///
    /// ## Fix safety
    /// Safe: it answers the prompt the build cannot answer.
    ///
    /// ## References
    /// - [hadolint DL3030](https://github.com/hadolint/hadolint/wiki/DL3030)
    pub struct YumYes {
        code: "DL3030",
        name: "yum-yes",
        sources: ["hadolint:DL3030"],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    const SUBS: &[&str] = &["install", "groupinstall", "localinstall"];
    report_missing_yes(
        ctx,
        |c| c.is("yum", SUBS),
        &["-y", "--assumeyes"],
        SUBS,
        "Use the -y switch to avoid manual input `yum install -y <package>`",
    );
}
