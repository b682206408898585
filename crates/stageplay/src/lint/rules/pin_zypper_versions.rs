use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

rule_doc! {
    /// ## What it does
    /// Finds `zypper install` packages without a version.
    ///
    /// ## Why is this bad?
    /// Unpinned packages make builds unrepeatable.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper install -y curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN zypper install -y curl=8.6.0
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the version is not known offline.
    ///
    /// ## References
    /// - [hadolint DL3037](https://github.com/hadolint/hadolint/wiki/DL3037)
    pub struct Dl3037;
}

pub fn check(ctx: &mut Ctx) {
    report_unpinned_rpm(
        ctx,
        "DL3037",
        "zypper",
        "Specify version with `zypper install -y <package>=<version>`.",
    );
}
