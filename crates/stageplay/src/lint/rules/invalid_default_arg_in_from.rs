use super::super::context::Ctx;
use super::helpers::var_refs;
use super::undefined_arg_in_from::global_args;
use crate::syntax::Keyword;

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

/// Expands `$X`, `${X}` and `${X:-d}`/`${X-d}` with `values`; `None` when a name is unknown.
pub fn expand(text: &str, values: &[(String, Option<String>)]) -> Option<String> {
    let mut out = String::new();
    let mut rest = 0;
    let bytes = text.as_bytes();
    for var in var_refs(text) {
        // The reference starts at `$` (or `${`) before the name.
        let braced = var.name_start >= 2 && bytes.get(var.name_start - 1) == Some(&b'{');
        let start = if braced {
            var.name_start - 2
        } else {
            var.name_start - 1
        };
        // The closing brace, if any (an unclosed `${NAME…` runs to the end of the text).
        let close = if braced {
            text.get(var.name_end..)?
                .find('}')
                .map(|p| var.name_end + p)
        } else {
            None
        };
        let end = match (braced, close) {
            (true, Some(c)) => c + 1,
            (true, None) => text.len(),
            (false, _) => var.name_end,
        };
        let (_, value) = values.iter().rev().find(|(k, _)| *k == var.name)?;
        let mut value = value.clone().unwrap_or_default();
        if braced && var.has_modifier {
            let modifier = text.get(var.name_end..close.unwrap_or(text.len()))?;
            if let Some(default) = modifier
                .strip_prefix(":-")
                .or_else(|| modifier.strip_prefix('-'))
            {
                if value.is_empty() {
                    value = default.to_string();
                }
            }
        }
        out.push_str(text.get(rest..start)?);
        out.push_str(&value);
        rest = end;
    }
    out.push_str(text.get(rest..)?);
    Some(out)
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
    for inst in doc
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::From)
    {
        let words = ctx.words(inst);
        let Some(image) = words.first() else { continue };
        if !image.text.contains('$') {
            continue;
        }
        let Some(expanded) = expand(&image.text, &globals) else {
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
