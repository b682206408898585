use super::super::context::Ctx;
use crate::syntax::Keyword;

rule_doc! {
    /// ## What it does
    /// Finds `FROM` images without a tag or digest (`FROM ubuntu`), other than `scratch` and
    /// earlier stages.
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
    pub struct Dl3006;
}

/// Splits an image reference into (name, tag, digest).
pub fn split_image(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |p| p + 1);
    match rest[last_slash..].rfind(':') {
        Some(p) => (
            &rest[..last_slash + p],
            Some(&rest[last_slash + p + 1..]),
            digest,
        ),
        None => (rest, None, digest),
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let mut aliases: Vec<String> = Vec::new();
    for inst in doc
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::From)
    {
        let words = ctx.words(inst);
        let Some(image) = words.first() else { continue };
        let (name, tag, digest) = split_image(&image.text);
        if !image.text.eq_ignore_ascii_case("scratch")
            && tag.is_none()
            && digest.is_none()
            && !aliases.contains(&name.to_string())
        {
            ctx.report(
                "DL3006",
                image.span,
                "Always tag the version of an image explicitly",
            );
        }
        if let [_, a, n, ..] = words.as_slice() {
            if a.text.eq_ignore_ascii_case("as") {
                aliases.push(n.text.clone());
            }
        }
    }
}
