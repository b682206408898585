use super::super::context::Ctx;
use super::helpers::add_flag_after;
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `apt-get install` without `--no-install-recommends`.
    ///
    /// ## Why is this bad?
    /// Recommended packages are installed by default; they often double the size of what
    /// was asked for.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get install -y curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: a program may need a package that was only recommended.
    ///
    /// ## References
    /// - [hadolint DL3015](https://github.com/hadolint/hadolint/wiki/DL3015)
    pub struct AptGetNoInstallRecommends {
        code: "DL3015",
        name: "apt-get-no-install-recommends",
        sources: ["hadolint:DL3015"],
        severity: Info,
        status: Stable,
        fix: Unsafe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script.commands().filter(|c| c.is("apt-get", &["install"])) {
            if c.has_flag(&["--no-install-recommends"])
                || c.has_arg("APT::Install-Recommends=false")
            {
                continue;
            }
            let fix = c.find_arg(&["install"]).and_then(|w| {
                add_flag_after(script, w, "--no-install-recommends", Applicability::Unsafe)
            });
            hits.push((c.span, fix));
        }
    }
    for (span, fix) in hits {
        ctx.report(
            span,
            "Avoid additional packages by specifying `--no-install-recommends`",
        )
        .fix(fix);
    }
}
