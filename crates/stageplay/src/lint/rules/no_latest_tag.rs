use super::super::context::Ctx;
use super::helpers::floating_base_help;
use crate::model::split_image;
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
    for (index, inst) in doc.instructions.iter().enumerate() {
        if inst.keyword != Keyword::From {
            continue;
        }
        let words = ctx.words(inst);
        let Some(image) = words.first() else { continue };
        let (_, tag, digest) = split_image(&image.text);
        if tag == Some("latest") && digest.is_none() {
            let help = floating_base_help(ctx, index);
            let finding = ctx.report(image.span, "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag");
            if let Some(help) = help {
                finding.help(help);
                finding.sources = Some(&["hadolint:DL3007", "stageplay:SP1008"]);
            }
        }
    }
}
