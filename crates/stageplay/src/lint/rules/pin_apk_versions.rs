use super::super::context::Ctx;
use super::helpers::report_unpinned_packages;
use crate::span::Span;
use crate::syntax::shell::value_options;

declare_rule! {
    /// ## What it does
    /// Finds `apk add` packages without a pinned version (`pkg=1.2.3-r0` or `pkg~1.2`).
    ///
    /// ## Why is this bad?
    /// Unpinned packages make builds unrepeatable.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apk add --no-cache curl=8.9.1-r0
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the version is not known offline.
    ///
    /// ## References
    /// - [hadolint DL3018](https://github.com/hadolint/hadolint/wiki/DL3018)
    pub struct PinApkVersions {
        code: "DL3018",
        name: "pin-apk-versions",
        sources: ["hadolint:DL3018"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    // One finding per RUN, as hadolint reports it; each unpinned package is labelled.
    let mut hits: Vec<Vec<(Span, String)>> = Vec::new();
    for (_, _, script) in ctx.runs() {
        let unpinned: Vec<(Span, String)> = script
            .commands()
            .filter(|c| c.is("apk", &["add"]))
            .flat_map(|c| c.operands(value_options("apk")))
            .filter(|p| {
                p.text != "add"
                    && !p.text.contains('=')
                    && !p.text.contains('~')
                    && !p.text.ends_with(".apk")
            })
            .map(|p| (p.span, p.text.clone()))
            .collect();
        if !unpinned.is_empty() {
            hits.push(unpinned);
        }
    }
    for packages in hits {
        report_unpinned_packages(ctx, &packages, "apk add", "=");
    }
}
