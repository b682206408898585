use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `dnf install` without `dnf clean all` in the same `RUN`, in a stage that ends up in the final image.
    ///
    /// ## Why is this bad?
    /// The package cache stays in the layer of the final image. Builder stages do not reach it, so Stageplay does not report them.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install -y httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: dnf fetches metadata again when it needs it.
    ///
    /// ## References
    /// - [hadolint DL3040](https://github.com/hadolint/hadolint/wiki/DL3040)
    pub struct DnfClean {
        code: "DL3040",
        name: "dnf-clean",
        sources: ["hadolint:DL3040"],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: true,
    }
}

pub fn check(ctx: &mut Ctx) {
    report_uncleaned_cache(
        ctx,
        &CacheCleanRule {
            installers: &["dnf", "microdnf"],
            cleaners: &["dnf", "microdnf"],
            clean: "dnf clean all",
            message: "`dnf clean all` missing after dnf command.",
        },
    );
}
