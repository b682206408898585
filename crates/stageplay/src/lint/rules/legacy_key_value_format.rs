use super::super::context::{args_span, Ctx};
use super::helpers::{replace, single_line};
use crate::diagnostic::Applicability;
use crate::span::Span;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `ENV` and `LABEL` written in the legacy `KEY value` form.
    ///
    /// ## Why is this bad?
    /// The legacy form sets one key to the whole rest of the line, so `ENV A 1 B 2` sets `A`
    /// to `1 B 2`. The `KEY=value` form is unambiguous and allows several pairs.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV NODE_ENV production
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ENV NODE_ENV=production
    /// ```
    ///
    /// ## Fix safety
    /// Safe: offered only when the value has no quotes or backslashes, so quoting it keeps
    /// the same value.
    ///
    /// ## References
    /// - [BuildKit: LegacyKeyValueFormat](https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/)
    pub struct LegacyKeyValueFormat {
        code: "LegacyKeyValueFormat",
        name: "legacy-key-value-format",
        sources: ["buildkit:LegacyKeyValueFormat"],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for inst in doc
        .instructions
        .iter()
        .filter(|i| matches!(i.keyword, Keyword::Env | Keyword::Label))
    {
        let words = ctx.words(inst);
        let Some(first) = words.first() else { continue };
        if first.text.contains('=') {
            continue;
        }
        let args = args_span(inst);
        let fix = match words.get(1) {
            Some(second) if single_line(ctx.text, args) => {
                let value_span = Span::new(
                    second.span.start,
                    words.last().map_or(second.span.end, |w| w.span.end),
                );
                let value = ctx.slice(value_span);
                let plain = !value.contains(['"', '\'', '\\', '`']);
                plain.then(|| {
                    // Any whitespace (a vertical tab too) separates words in the
                    // `key=value` form, so such a value is quoted.
                    let new_value = if words.len() == 2 && !value.contains(char::is_whitespace) {
                        value.to_string()
                    } else {
                        format!("\"{value}\"")
                    };
                    replace(
                        Span::new(first.span.start, value_span.end),
                        format!("{}={new_value}", first.text),
                        "Use the KEY=value form",
                        Applicability::Safe,
                    )
                })
            }
            _ => None,
        };
        let name = inst.keyword.as_str();
        ctx.report(
            inst.span,
            format!(
                "\"{name} key=value\" should be used instead of legacy \"{name} key value\" format"
            ),
        )
        .fix(fix);
    }
}
