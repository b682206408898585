use super::super::context::Ctx;
use super::helpers::{append_command, cache_mounted, last_matching};
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `RUN apt-get update` in a stage that ends up in the final image, when the same
    /// `RUN` does not delete `/var/lib/apt/lists/*` (and no cache mount holds them).
    ///
    /// ## Why is this bad?
    /// The package lists stay in the layer: tens of megabytes in the final image that are
    /// stale by the time anyone uses them. In a builder stage they do not reach the final
    /// image, so Stageplay does not report them there (hadolint does for every stage that is
    /// used as a base).
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: a later `RUN apt-get install` without its own `apt-get update` would fail.
    ///
    /// ## References
    /// - [hadolint DL3009](https://github.com/hadolint/hadolint/wiki/DL3009)
    pub struct DeleteAptLists {
        code: "DL3009",
        name: "delete-apt-lists",
        sources: ["hadolint:DL3009"],
        severity: Info,
        status: Stable,
        fix: Unsafe,
        stage_aware: true,
    }
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (i, inst, script) in ctx.runs() {
        if !ctx.in_final_image(i) {
            continue;
        }
        let updates = script.commands().any(|c| c.is("apt-get", &["update"]));
        let cleans = script.commands().any(|c| {
            (c.is("rm", &["-rf", "-fr", "-r"])
                && c.args()
                    .iter()
                    .any(|a| a.text.starts_with("/var/lib/apt/lists")))
                || c.is("apt-get", &["dist-clean"])
        });
        let mounted = cache_mounted(inst, "/var/lib/apt");
        if !updates || cleans || mounted {
            continue;
        }
        let anchor = last_matching(script, |c| c.name() == "apt-get");
        let fix = anchor.and_then(|c| {
            append_command(
                script,
                c,
                "rm -rf /var/lib/apt/lists/*",
                Applicability::Unsafe,
            )
        });
        hits.push((
            inst.keyword_span
                .cover(anchor.map_or(inst.keyword_span, |c| c.span)),
            fix,
        ));
    }
    for (span, fix) in hits {
        ctx.report(span, "Delete the apt-get lists after installing something")
            .fix(fix);
    }
}
