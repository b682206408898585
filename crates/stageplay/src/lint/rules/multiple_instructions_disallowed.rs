use super::super::context::Ctx;
use super::helpers::line_span;
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds more than one `CMD`, `ENTRYPOINT` or `HEALTHCHECK` in a stage; it reports the
    /// earlier ones, which have no effect.
    ///
    /// ## Why is this bad?
    /// Only the last one is used. An earlier one misleads readers about how the container
    /// starts or is checked.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["python", "manage.py", "migrate"]
    /// CMD ["gunicorn", "app:app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["gunicorn", "app:app"]
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the removed instruction was overridden by the later one.
    ///
    /// ## References
    /// - [BuildKit: MultipleInstructionsDisallowed](https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/)
    /// - [hadolint DL4003](https://github.com/hadolint/hadolint/wiki/DL4003) (CMD),
    ///   [DL4004](https://github.com/hadolint/hadolint/wiki/DL4004) (ENTRYPOINT),
    ///   [DL3012](https://github.com/hadolint/hadolint/wiki/DL3012) (HEALTHCHECK)
    pub struct MultipleInstructionsDisallowed {
        code: "MultipleInstructionsDisallowed",
        name: "multiple-instructions-disallowed",
        sources: [
            "buildkit:MultipleInstructionsDisallowed",
            "hadolint:DL4003",
            "hadolint:DL4004",
            "hadolint:DL3012",
        ],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for stage in ctx.stages.clone() {
        for kw in [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck] {
            let found: Vec<usize> = (stage.start + 1..stage.end)
                .filter(|&k| doc.instructions[k].keyword == kw)
                .collect();
            let Some((last, earlier)) = found.split_last() else {
                continue;
            };
            for &k in earlier {
                let inst = &doc.instructions[k];
                let fix = Fix {
                    title: format!("Remove this {}", kw.as_str()),
                    applicability: Applicability::Safe,
                    edits: vec![TextEdit {
                        span: line_span(ctx.text, inst.span),
                        insert: String::new(),
                    }],
                };
                let last_span = doc.instructions[*last].keyword_span;
                let f = ctx.report(inst.span, message(kw.as_str()));
                f.fix(Some(fix));
                f.help(format!(
                    "the {} at byte {} is the one used",
                    kw.as_str(),
                    last_span.start
                ));
                f.sources = Some(match kw {
                    Keyword::Cmd => &["buildkit:MultipleInstructionsDisallowed", "hadolint:DL4003"],
                    Keyword::Entrypoint => {
                        &["buildkit:MultipleInstructionsDisallowed", "hadolint:DL4004"]
                    }
                    _ => &["buildkit:MultipleInstructionsDisallowed", "hadolint:DL3012"],
                });
            }
        }
    }
}

fn message(name: &str) -> String {
    format!("Multiple {name} instructions should not be used in the same stage because only the last one will be used")
}
