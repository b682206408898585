use super::super::context::Ctx;
use super::helpers::{key_values, replace, suggest, var_refs, BUILTIN_ARGS};
use crate::diagnostic::Applicability;
use crate::span::Span;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds variables used in `FROM` that no global `ARG` (an `ARG` before the first `FROM`)
    /// declares.
    ///
    /// ## Why is this bad?
    /// `FROM` only sees global build args and the predefined platform args. An undeclared
    /// variable expands to an empty string, which usually means a typo.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG VERSION=3.20
    /// FROM alpine:${VERSIN}
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ARG VERSION=3.20
    /// FROM alpine:${VERSION}
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: offered when a declared name is close; it changes which value is used.
    ///
    /// ## References
    /// - [BuildKit: UndefinedArgInFrom](https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/)
    pub struct UndefinedArgInFrom {
        code: "UndefinedArgInFrom",
        name: "undefined-arg-in-from",
        sources: ["buildkit:UndefinedArgInFrom"],
        severity: Warning,
        status: Stable,
        fix: Unsafe,
        stage_aware: false,
    }
}

/// Names of the global ARGs.
pub fn global_args(ctx: &Ctx) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for inst in &ctx.doc.instructions {
        match inst.keyword {
            Keyword::From => break,
            Keyword::Arg => {
                for (k, _, v) in key_values(&ctx.words(inst)) {
                    out.push((k, v));
                }
            }
            _ => {}
        }
    }
    out
}

pub fn check(ctx: &mut Ctx) {
    let globals = global_args(ctx);
    let doc = ctx.doc;
    for inst in doc.instructions_with(Keyword::From) {
        let mut words: Vec<(String, Span)> = ctx
            .words(inst)
            .iter()
            .take(1)
            .map(|w| (w.text.clone(), w.span))
            .collect();
        if let Some(f) = inst.flag("platform") {
            if let (Some(v), Some(span)) = (&f.value, f.value_span) {
                words.push((v.clone(), span));
            }
        }
        for (text, span) in words {
            for var in var_refs(&text) {
                let declared = globals.iter().any(|(k, _)| *k == var.name)
                    || BUILTIN_ARGS.contains(&var.name.as_str());
                if declared {
                    continue;
                }
                let hint = suggest(&var.name, globals.iter().map(|(k, _)| k.as_str()));
                let exact = span.len() as usize == text.len();
                let name_span = if exact {
                    Span::new(
                        span.start + var.name_start as u32,
                        span.start + var.name_end as u32,
                    )
                } else {
                    span
                };
                let fix = hint.as_ref().filter(|_| exact).map(|h| {
                    replace(
                        name_span,
                        h.clone(),
                        format!("Use `{h}`"),
                        Applicability::Unsafe,
                    )
                });
                ctx.report(name_span, message(&var.name, hint.as_deref()))
                    .fix(fix);
            }
        }
    }
}

fn message(name: &str, hint: Option<&str>) -> String {
    match hint {
        Some(h) => format!("FROM argument '{name}' is not declared (did you mean {h}?)"),
        None => format!("FROM argument '{name}' is not declared"),
    }
}
