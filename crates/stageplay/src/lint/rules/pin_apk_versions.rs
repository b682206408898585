use super::super::context::Ctx;

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
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script.commands().filter(|c| c.is("apk", &["add"])) {
            let unpinned = c
                .operands(&["-t", "--virtual", "--repository", "-X"])
                .into_iter()
                .filter(|p| {
                    p.text != "add"
                        && !p.text.contains('=')
                        && !p.text.contains('~')
                        && !p.text.ends_with(".apk")
                })
                .map(|p| (p.span, p.text.clone()))
                .collect::<Vec<_>>();
            hits.extend(unpinned);
        }
    }
    for (span, pkg) in hits {
        ctx.report(
            span,
            format!(
                "Pin versions in apk add. Instead of `apk add {pkg}` use `apk add {pkg}=<version>`"
            ),
        );
    }
}
