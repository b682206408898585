use super::super::context::Ctx;
use super::helpers::split_image;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `FROM image:latest`.
    ///
    /// ## Why is this bad?
    /// `latest` moves: rebuilding the same Dockerfile gives a different base. Pin a version
    /// tag (and ideally a digest).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:latest
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20.15-bookworm-slim
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the version to choose is a decision.
    ///
    /// ## References
    /// - [hadolint DL3007](https://github.com/hadolint/hadolint/wiki/DL3007)
    pub struct NoLatestTag {
        code: "DL3007",
        name: "no-latest-tag",
        sources: ["hadolint:DL3007"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for inst in doc
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::From)
    {
        let words = ctx.words(inst);
        let Some(image) = words.first() else { continue };
        let (_, tag, digest) = split_image(&image.text);
        if tag == Some("latest") && digest.is_none() {
            ctx.report(image.span, "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag");
        }
    }
}
