use super::super::context::Ctx;
use super::helpers::{add_flag_after, cache_mounted};
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `apk add` without `--no-cache` in a stage that ends up in the final image.
    ///
    /// ## Why is this bad?
    /// Without it, the package index stays in `/var/cache/apk` inside the layer. Builder
    /// stages do not reach the final image, so Stageplay does not report them.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk add curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the same packages are installed; only the cache is not kept.
    ///
    /// ## References
    /// - [hadolint DL3019](https://github.com/hadolint/hadolint/wiki/DL3019)
    pub struct ApkNoCache {
        code: "DL3019",
        name: "apk-no-cache",
        sources: ["hadolint:DL3019"],
        severity: Info,
        status: Stable,
        fix: Safe,
        stage_aware: true,
    }
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (i, inst, script) in ctx.runs() {
        let mounted = cache_mounted(inst, "/var/cache/apk");
        if !ctx.in_final_image(i) || mounted {
            continue;
        }
        for c in script.commands().filter(|c| c.is("apk", &["add"])) {
            if c.has_flag(&["--no-cache"]) {
                continue;
            }
            let fix = c
                .find_arg(&["add"])
                .and_then(|w| add_flag_after(script, w, "--no-cache", Applicability::Safe));
            hits.push((c.span, fix));
        }
    }
    for (span, fix) in hits {
        ctx.report(span, "Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages").fix(fix);
    }
}
