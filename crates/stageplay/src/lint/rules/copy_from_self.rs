use super::super::context::Ctx;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `COPY --from=<name>` inside the stage called `<name>`.
    ///
    /// ## Why is this bad?
    /// A stage cannot copy from itself; BuildKit reports a circular dependency.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20 AS web
    /// COPY --from=web /app/dist /dist
    /// ```
    ///
    /// Use instead: copy from the stage that produced the files.
    ///
    /// ## Fix safety
    /// No fix.
    ///
    /// ## References
    /// - [hadolint DL3023](https://github.com/hadolint/hadolint/wiki/DL3023)
    pub struct CopyFromSelf {
        code: "DL3023",
        name: "copy-from-self",
        sources: ["hadolint:DL3023"],
        severity: Error,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let mut hits = Vec::new();
    for (i, inst) in doc
        .instructions
        .iter()
        .enumerate()
        .filter(|(_, i)| i.keyword == Keyword::Copy)
    {
        let (Some(f), Some(stage)) = (inst.flag("from"), ctx.stage(i)) else {
            continue;
        };
        let Some(v) = &f.value else { continue };
        if stage
            .name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(v))
        {
            hits.push(f.span);
        }
    }
    for span in hits {
        ctx.report(span, "`COPY --from` cannot reference its own `FROM` alias");
    }
}
