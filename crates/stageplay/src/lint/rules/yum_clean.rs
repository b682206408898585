use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `yum install` without `yum clean all` in the same `RUN`, in a stage that ends up in the final image.
    ///
    /// ## Why is this bad?
    /// The package cache stays in the layer of the final image. Builder stages do not reach it, so Stageplay does not report them.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN yum install -y httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yum install -y httpd && yum clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: yum fetches metadata again when it needs it.
    ///
    /// ## References
    /// - [hadolint DL3032](https://github.com/hadolint/hadolint/wiki/DL3032)
    pub struct YumClean {
        code: "DL3032",
        name: "yum-clean",
        sources: ["hadolint:DL3032"],
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
            installers: &["yum"],
            cleaners: &["yum", "microdnf"],
            clean: "yum clean all",
            message: "`yum clean all` missing after yum command.",
        },
    );
}
