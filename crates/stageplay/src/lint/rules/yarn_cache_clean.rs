use super::super::context::Ctx;
use super::helpers::{append_command, cache_mounted, last_matching};
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `yarn install` without `yarn cache clean` in the same `RUN`, in a stage that
    /// ends up in the final image.
    ///
    /// ## Why is this bad?
    /// Yarn's cache stays in the layer. In builder stages (where most `yarn install` runs
    /// live) it never reaches the final image; hadolint reports those anyway (#1068).
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN yarn install --frozen-lockfile
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yarn install --frozen-lockfile && yarn cache clean
    /// ```
    ///
    /// ## Fix safety
    /// Safe: yarn downloads again when it needs the cache.
    ///
    /// ## References
    /// - [hadolint DL3060](https://github.com/hadolint/hadolint/wiki/DL3060)
    pub struct YarnCacheClean {
        code: "DL3060",
        name: "yarn-cache-clean",
        sources: ["hadolint:DL3060"],
        severity: Info,
        status: Stable,
        fix: Safe,
        stage_aware: true,
    }
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (i, inst, script) in ctx.runs() {
        if !ctx.in_final_image(i) || cache_mounted(inst, "") {
            continue;
        }
        let installs = script.commands().any(|c| c.is("yarn", &["install"]));
        let cleans = script
            .commands()
            .any(|c| c.is("yarn", &["cache"]) && c.has_arg("clean"));
        if installs && !cleans {
            let anchor = last_matching(script, |c| c.is("yarn", &["install"]));
            let fix = anchor
                .and_then(|c| append_command(script, c, "yarn cache clean", Applicability::Safe));
            hits.push((anchor.map_or(inst.span, |c| c.span), fix));
        }
    }
    for (span, fix) in hits {
        ctx.report(
            span,
            "`yarn cache clean` missing after `yarn install` was run",
        )
        .fix(fix);
    }
}
