use super::super::context::Ctx;
use super::helpers::floating_base_help;
use crate::model::split_image;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `FROM` images without a tag or digest (`FROM ubuntu`), other than `scratch` and
    /// earlier stages (`FROM builder`, matched case-insensitively as BuildKit does). An image built
    /// from ARGs (`FROM $BASE_IMAGE`) is checked after expanding the ARGs' values, as BuildKit
    /// does; when one of them has no value, the image is unknown and not reported. On the final
    /// image's base the finding also stands for SP1008 (unpinned final base).
    ///
    /// ## Why is this bad?
    /// An untagged image means `latest`, which changes under you: the next build may get a
    /// different OS release.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12-slim
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the tag to choose is a decision.
    ///
    /// ## References
    /// - [hadolint DL3006](https://github.com/hadolint/hadolint/wiki/DL3006)
    pub struct TagBaseImage {
        code: "DL3006",
        name: "tag-base-image",
        sources: ["hadolint:DL3006"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    // FROMs whose base the model resolved to an earlier stage (names match case-insensitively,
    // also once ARGs are expanded, as in BuildKit): there is no image tag to pin.
    let mut from_stage = vec![false; doc.instructions.len()];
    for s in &ctx.model.stages {
        if let (Some(slot), crate::model::Base::Stage(_)) =
            (from_stage.get_mut(s.from_instruction), &s.base)
        {
            *slot = true;
        }
    }
    for (index, inst) in doc.instructions.iter().enumerate() {
        if inst.keyword != Keyword::From || from_stage[index] {
            continue;
        }
        let words = ctx.words(inst);
        let Some(image) = words.first() else { continue };
        let raw = ctx.slice(image.span);
        let expanded;
        let text = if raw.contains('$') {
            match expanded_base(ctx, inst, raw) {
                Some(t) => {
                    expanded = t;
                    expanded.as_str()
                }
                None => continue,
            }
        } else {
            image.text.as_str()
        };
        let (_, tag, digest) = split_image(text);
        if !text.eq_ignore_ascii_case("scratch") && tag.is_none() && digest.is_none() {
            let help = floating_base_help(ctx, index);
            let finding = ctx.report(image.span, "Always tag the version of an image explicitly");
            if let Some(help) = help {
                finding.help(help);
                finding.sources = Some(&["hadolint:DL3006", "stageplay:SP1008"]);
            }
        }
    }
}

/// The stage model's expansion of an ARG-built base image, when every ARG it names has a value
/// (a build argument or a default); `None` when one is unset or the base is an earlier stage.
fn expanded_base(ctx: &Ctx, inst: &crate::syntax::Instruction, raw: &str) -> Option<String> {
    let from = ctx
        .doc
        .instructions
        .iter()
        .position(|i| std::ptr::eq(i, inst))?;
    let stage = ctx
        .model
        .stages
        .iter()
        .find(|s| s.from_instruction == from)?;
    let crate::model::Base::Image(image) = &stage.base else {
        return None;
    };
    let all_set = referenced_args(raw).iter().all(|(name, has_default)| {
        *has_default
            || ctx
                .model
                .global_args
                .iter()
                .rev()
                .find(|a| a.name == *name)
                .is_some_and(|a| a.value.as_deref().is_some_and(|v| !v.is_empty()))
    });
    all_set.then(|| image.clone())
}

/// The names in `$NAME` and `${NAME...}`, each with whether it carries its own default
/// (`${NAME:-x}`, `${NAME-x}`, `${NAME:+x}`).
fn referenced_args(raw: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some(p) = rest.find('$') {
        rest = &rest[p + 1..];
        let braced = rest.starts_with('{');
        let body = if braced { &rest[1..] } else { rest };
        let len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        if len == 0 {
            continue;
        }
        let has_default = braced && body[len..].starts_with([':', '-', '+']);
        out.push((body[..len].to_string(), has_default));
        rest = &body[len..];
    }
    out
}
