use super::super::context::Ctx;
use super::helpers::split_image;

declare_rule! {
    /// ## What it does
    /// Finds a final image whose base (the external image at the root of the target's
    /// `FROM` chain) is untagged or `latest`. Builder stages with floating tags only affect
    /// build tools; the final base is what you ship.
    ///
    /// ## Why is this bad?
    /// The shipped image changes OS release, libc or language runtime whenever the tag moves,
    /// without any change to the Dockerfile.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// FROM alpine
    /// COPY --from=build /app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the version is a decision.
    ///
    /// ## References
    /// - [hadolint DL3006](https://github.com/hadolint/hadolint/wiki/DL3006), [DL3007](https://github.com/hadolint/hadolint/wiki/DL3007) (not stage-aware)
    pub struct UnpinnedFinalBase {
        code: "SP1008",
        name: "unpinned-final-base",
        sources: [],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: true,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    // The root of the chain is the first (lowest-index) stage in the final image.
    let Some(root) = ctx.stages.iter().find(|s| s.in_final_image) else {
        return;
    };
    let words = ctx.words(&doc.instructions[root.from]);
    let Some(image) = words.first() else { return };
    if image.text.eq_ignore_ascii_case("scratch") || image.text.contains('$') {
        return;
    }
    let (_, tag, digest) = split_image(&image.text);
    if digest.is_some() {
        return;
    }
    match tag {
        None => {
            ctx.report(
                image.span,
                format!(
                    "The final image is based on `{}` without a tag (it means `latest`)",
                    image.text
                ),
            );
        }
        Some("latest") => {
            ctx.report(
                image.span,
                format!("The final image is based on `{}`, which moves", image.text),
            );
        }
        _ => {}
    }
}
