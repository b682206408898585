use super::super::context::Ctx;
use crate::syntax::Keyword;
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Finds `COPY --from=<name>` where `<name>` is not an earlier stage (by name or index)
    /// and does not look like an image reference.
    ///
    /// ## Why is this bad?
    /// BuildKit treats an unknown name as an image to pull: a typo in a stage name becomes a
    /// confusing pull error, or silently copies from a public image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// FROM alpine:3.20
    /// COPY --from=biuld /out/app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// COPY --from=build /out/app /app
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    ///
    /// ## References
    /// - [hadolint DL3022](https://github.com/hadolint/hadolint/wiki/DL3022)
    pub struct CopyFromKnownStage {
        code: "DL3022",
        name: "copy-from-known-stage",
        sources: ["hadolint:DL3022"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let mut hits = Vec::new();
    // The first stage with each name (ASCII case folded, as the comparisons here), so each
    // `--from` is a lookup instead of a scan of every stage.
    let mut first_named: HashMap<String, usize> = HashMap::new();
    for (k, s) in ctx.stages.iter().enumerate() {
        if let Some(n) = &s.name {
            first_named.entry(n.to_ascii_lowercase()).or_insert(k);
        }
    }
    for (i, inst) in doc
        .instructions
        .iter()
        .enumerate()
        .filter(|(_, i)| i.keyword == Keyword::Copy)
    {
        let Some(f) = inst.flag("from") else {
            continue;
        };
        let Some(v) = &f.value else { continue };
        let current = ctx.stage_of.get(i).copied().flatten().unwrap_or(0);
        let first = first_named.get(&v.to_ascii_lowercase()).copied();
        let earlier = first.is_some_and(|k| k < current);
        let index = v.parse::<usize>().is_ok_and(|n| n < current);
        let image_like = v.contains(':') || v.contains('/') || v.contains('$') || v.contains('@');
        // The stage's own name is DL3023's finding (hadolint reports one of the two).
        let own = ctx
            .stages
            .get(current)
            .and_then(|s| s.name.as_deref())
            .is_some_and(|n| n.eq_ignore_ascii_case(v));
        if own {
            continue;
        }
        let later_name = first.is_some();
        if !earlier && !index && (!image_like || later_name) {
            hits.push((f.span, v.clone()));
        }
    }
    for (span, v) in hits {
        ctx.report(
            span,
            format!(
                "COPY --from should reference a previously defined FROM alias (`{v}` is not one)"
            ),
        );
    }
}
