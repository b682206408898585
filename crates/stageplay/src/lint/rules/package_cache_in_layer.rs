use super::super::context::Ctx;
use super::helpers::{append_command, cache_mounted, last_matching};
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `npm install`/`npm ci` and `composer install` in a stage that ends up in the
    /// final image, when the same `RUN` neither cleans the package cache nor uses a cache
    /// mount. (apt, apk, pip, yarn, yum, dnf and zypper caches have their own rules.)
    ///
    /// ## Why is this bad?
    /// The download cache (`~/.npm`, `~/.composer/cache`) stays in the layer: often as large
    /// as the dependencies themselves.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN npm ci --omit=dev
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN npm ci --omit=dev && npm cache clean --force
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the cache is only a download cache.
    ///
    /// ## References
    /// - [Cache mounts](https://docs.docker.com/build/cache/optimize/#use-cache-mounts)
    pub struct PackageCacheInLayer {
        code: "SP1005",
        name: "package-cache-in-layer",
        sources: [],
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
        for (tool, installs, clean) in [
            (
                "npm",
                &["ci", "install", "i"][..],
                "npm cache clean --force",
            ),
            (
                "composer",
                &["install", "require"][..],
                "composer clear-cache",
            ),
        ] {
            let has_install = script.commands().any(|c| c.is(tool, installs));
            let cleaned = script.commands().any(|c| {
                c.name() == tool
                    && (c.has_arg("clean")
                        || c.has_arg("clear-cache")
                        || c.has_arg("--no-cache")
                        || c.has_arg("cc"))
            });
            if has_install && !cleaned {
                let anchor = last_matching(script, |c| c.is(tool, installs));
                let fix =
                    anchor.and_then(|c| append_command(script, c, clean, Applicability::Safe));
                hits.push((anchor.map_or(inst.span, |c| c.span), tool, fix));
            }
        }
    }
    for (span, tool, fix) in hits {
        ctx.report(
            span,
            format!("The {tool} download cache is left in a layer of the final image"),
        )
        .fix(fix);
    }
}
