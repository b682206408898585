use super::super::context::Ctx;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `FROM --platform=<constant>` such as `--platform=linux/amd64`.
    ///
    /// ## Why is this bad?
    /// A constant platform pins the stage to one architecture, so multi-platform builds and
    /// builds on other machines silently emulate or fail. Use `$BUILDPLATFORM` for build
    /// tools or leave the flag out. A stage whose name mentions the platform (for example
    /// `build-amd64`) is taken as intentional.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 golang:1.22 AS build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which platform variable fits depends on the stage.
    ///
    /// ## References
    /// - [BuildKit: FromPlatformFlagConstDisallowed](https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/)
    pub struct FromPlatformFlagConstDisallowed {
        code: "FromPlatformFlagConstDisallowed",
        name: "from-platform-flag-const-disallowed",
        sources: ["buildkit:FromPlatformFlagConstDisallowed"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for (i, inst) in doc
        .instructions
        .iter()
        .enumerate()
        .filter(|(_, i)| i.keyword == Keyword::From)
    {
        let Some(f) = inst.flag("platform") else {
            continue;
        };
        let Some(value) = &f.value else { continue };
        if value.contains('$') || value.is_empty() {
            continue;
        }
        let name = ctx
            .stage(i)
            .and_then(|s| s.name.clone())
            .unwrap_or_default()
            .to_lowercase();
        let mentions = value
            .to_lowercase()
            .split(['/', ','])
            .any(|part| !part.is_empty() && name.contains(part));
        if mentions {
            continue;
        }
        ctx.report(
            f.span,
            format!("FROM --platform flag should not use constant value \"{value}\""),
        );
    }
}
