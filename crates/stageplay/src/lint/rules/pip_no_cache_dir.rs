use super::super::context::Ctx;
use super::helpers::{add_flag_after, cache_mounted, is_pip_install, key_values};
use crate::diagnostic::Applicability;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `pip install` without `--no-cache-dir` in a stage that ends up in the final
    /// image (unless `PIP_NO_CACHE_DIR` is set or a cache mount is used).
    ///
    /// ## Why is this bad?
    /// pip keeps downloaded wheels in `~/.cache/pip`, which stays in the layer. In a builder
    /// stage the cache never reaches the final image, so Stageplay does not report it there.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN pip install -r requirements.txt
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the same packages are installed.
    ///
    /// ## References
    /// - [hadolint DL3042](https://github.com/hadolint/hadolint/wiki/DL3042)
    pub struct PipNoCacheDir {
        code: "DL3042",
        name: "pip-no-cache-dir",
        sources: ["hadolint:DL3042"],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: true,
    }
}

const TRUTHY: &[&str] = &[
    "1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES",
];

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let mut hits = Vec::new();
    for (i, inst, script) in ctx.runs() {
        if !ctx.in_final_image(i) {
            continue;
        }
        let range = ctx.stage(i).map_or(0..i, |s| s.start..i);
        let env_off = range.into_iter().any(|k| {
            let e = &doc.instructions[k];
            e.keyword == Keyword::Env
                && key_values(&ctx.words(e)).iter().any(|(n, _, v)| {
                    n == "PIP_NO_CACHE_DIR" && v.as_deref().is_some_and(|v| TRUTHY.contains(&v))
                })
        });
        let inline = TRUTHY
            .iter()
            .any(|t| script.text.contains(&format!("PIP_NO_CACHE_DIR={t}")));
        let mounted = cache_mounted(inst, "");
        if env_off || inline || mounted {
            continue;
        }
        for c in script.commands().filter(|c| is_pip_install(c)) {
            if c.has_arg("--no-cache-dir") {
                continue;
            }
            let fix = c
                .find_arg(&["install"])
                .and_then(|w| add_flag_after(script, w, "--no-cache-dir", Applicability::Safe));
            hits.push((c.span, fix));
        }
    }
    for (span, fix) in hits {
        ctx.report(
            span,
            "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`",
        )
        .fix(fix);
    }
}
