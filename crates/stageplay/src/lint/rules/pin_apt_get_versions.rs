use super::super::context::Ctx;
use super::helpers::{apt_get_packages, apt_pinned, report_unpinned_packages};
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Finds `apt-get install` packages without a pinned version (`pkg=1.2.3`).
    ///
    /// ## Why is this bad?
    /// Unpinned packages make builds unrepeatable: the same Dockerfile installs different
    /// versions on different days.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the version to pin is not known offline.
    ///
    /// ## References
    /// - [hadolint DL3008](https://github.com/hadolint/hadolint/wiki/DL3008)
    pub struct PinAptGetVersions {
        code: "DL3008",
        name: "pin-apt-get-versions",
        sources: ["hadolint:DL3008"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    // One finding per RUN, as hadolint reports it; each unpinned package is labelled.
    let hits: Vec<Vec<(Span, String)>> = ctx
        .runs()
        .map(|(_, _, script)| {
            script
                .commands()
                .filter(|c| c.is("apt-get", &["install"]))
                .flat_map(|c| {
                    apt_get_packages(c)
                        .into_iter()
                        .filter(|p| !apt_pinned(&p.text))
                        .map(|p| (p.span, p.text.clone()))
                })
                .collect::<Vec<_>>()
        })
        .filter(|packages| !packages.is_empty())
        .collect();
    for packages in hits {
        report_unpinned_packages(ctx, &packages, "apt-get install", "=");
    }
}
