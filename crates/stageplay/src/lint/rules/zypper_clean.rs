use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `zypper install` without `zypper clean` in the same `RUN`, in a stage that ends up in the final image.
    ///
    /// ## Why is this bad?
    /// The package cache stays in the layer of the final image. Builder stages do not reach it, so Stageplay does not report them.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper install -y httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN zypper install -y httpd && zypper clean
    /// ```
    ///
    /// ## Fix safety
    /// Safe: zypper fetches metadata again when it needs it.
    ///
    /// ## References
    /// - [hadolint DL3036](https://github.com/hadolint/hadolint/wiki/DL3036)
    pub struct ZypperClean {
        code: "DL3036",
        name: "zypper-clean",
        sources: ["hadolint:DL3036"],
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
            installers: &["zypper"],
            cleaners: &["zypper", "microdnf"],
            clean: "zypper clean",
            message: "`zypper clean` missing after zypper command.",
        },
    );
}
