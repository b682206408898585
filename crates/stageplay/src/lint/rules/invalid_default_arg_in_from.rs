use super::super::context::Ctx;
use super::undefined_arg_in_from::global_args;
use crate::syntax::Keyword;
use std::cell::Cell;

declare_rule! {
    /// ## What it does
    /// Finds `FROM` references that, with the global `ARG` defaults, expand to an empty or
    /// invalid image name (`FROM alpine:${TAG}` with `ARG TAG` and no default).
    ///
    /// ## Why is this bad?
    /// The build fails unless every caller passes `--build-arg`; a default keeps the
    /// Dockerfile buildable and lets tools resolve the base image.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG TAG
    /// FROM alpine:${TAG}
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ARG TAG=3.20
    /// FROM alpine:${TAG}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the right default is not known.
    ///
    /// ## References
    /// - [BuildKit: InvalidDefaultArgInFrom](https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/)
    pub struct InvalidDefaultArgInFrom {
        code: "InvalidDefaultArgInFrom",
        name: "invalid-default-arg-in-from",
        sources: ["buildkit:InvalidDefaultArgInFrom"],
        severity: Error,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

/// BuildKit's expansion of a FROM image against the global ARGs (`None` for an ARG declared
/// without a default: unset, so empty), or `None` when the text names a variable that no
/// global ARG declares (UndefinedArgInFrom's case) or cannot be expanded.
pub fn expand(ctx: &Ctx, text: &str, globals: &[(String, Option<String>)]) -> Option<String> {
    let undeclared = Cell::new(false);
    let lookup = |name: &str| match globals.iter().rev().find(|(k, _)| k == name) {
        Some((_, value)) => value.clone(),
        None => {
            undeclared.set(true);
            None
        }
    };
    let expanded =
        crate::syntax::expand::expand(text, ctx.doc.escape, &lookup, &ctx.budget).ok()?;
    (!undeclared.get()).then_some(expanded)
}

pub fn valid_reference(name: &str) -> bool {
    !name.is_empty()
        && !name.ends_with(':')
        && !name.ends_with('@')
        && !name.starts_with(':')
        && !name.starts_with('/')
        && !name.contains("//")
        && !name.contains(char::is_whitespace)
}

pub fn check(ctx: &mut Ctx) {
    let globals = global_args(ctx);
    let doc = ctx.doc;
    for inst in doc.instructions_with(Keyword::From) {
        let words = ctx.words(inst);
        let Some(image) = words.first() else { continue };
        if !image.text.contains('$') {
            continue;
        }
        let Some(expanded) = expand(ctx, &image.text, &globals) else {
            continue;
        };
        if !valid_reference(&expanded) {
            ctx.report(
                image.span,
                format!(
                    "Default value for ARG {} results in empty or invalid base image name",
                    image.text
                ),
            );
        }
    }
}
