use super::super::context::Ctx;
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::span::Span;
use crate::syntax::{Args, Keyword};

declare_rule! {
    /// ## What it does
    /// Finds consecutive `RUN` instructions (with the same flags, each running a single
    /// command) in a stage that ends up in the final image. A `RUN` that already chains
    /// commands (`a && b`, `a; b`, `a | b`, `$(…)`) was split on purpose and is not reported,
    /// as in hadolint (which counts ShellCheck's simple commands; `[ … ]` tests are not
    /// commands there).
    ///
    /// ## Why is this bad?
    /// Each `RUN` is a layer of the final image; files deleted in a later layer still take
    /// space in the earlier one. In builder stages layers do not reach the final image, so
    /// Stageplay does not report them (hadolint issue #1056).
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update
    /// RUN apt-get install -y curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: joining with `&&` changes the layering and cache, and a `cd` in the first
    /// command now affects the second.
    ///
    /// ## References
    /// - [hadolint DL3059](https://github.com/hadolint/hadolint/wiki/DL3059)
    pub struct ConsecutiveRun {
        code: "DL3059",
        name: "consecutive-run",
        sources: ["hadolint:DL3059"],
        severity: Info,
        status: Stable,
        fix: Unsafe,
        stage_aware: true,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let mut hits = Vec::new();
    let mut prev: Option<(usize, usize)> = None; // (instruction, command count)
    for (i, inst) in doc.instructions.iter().enumerate() {
        if inst.keyword != Keyword::Run {
            prev = None;
            continue;
        }
        let count = ctx.script(i).map_or(0, |s| {
            s.commands()
                .filter(|c| c.name() != "[" && c.name() != "[[")
                .count()
        });
        if let Some((p, pcount)) = prev {
            let pinst = &doc.instructions[p];
            let same_flags = pinst
                .flags
                .iter()
                .map(|f| &f.raw)
                .eq(inst.flags.iter().map(|f| &f.raw));
            if same_flags && count <= 1 && pcount <= 1 && ctx.in_final_image(i) {
                hits.push((i, merge_fix(ctx, p, i)));
            }
        }
        prev = Some((i, count));
    }
    for (i, fix) in hits {
        let span = doc.instructions[i].span;
        ctx.report(
            span,
            "Multiple consecutive `RUN` instructions. Consider consolidation",
        )
        .fix(fix);
    }
}

/// Joins `RUN b` into the preceding `RUN a` as `RUN a && b` (shell form, no heredocs).
fn merge_fix(ctx: &Ctx, p: usize, i: usize) -> Option<Fix> {
    let (a, b) = (&ctx.doc.instructions[p], &ctx.doc.instructions[i]);
    let (Args::Shell { span: sa, .. }, Args::Shell { span: sb, .. }) = (&a.args, &b.args) else {
        return None;
    };
    if !a.heredocs().is_empty() || !b.heredocs().is_empty() || sb.is_empty() {
        return None;
    }
    let escape = ctx.doc.escape;
    let second = ctx.slice(*sb);
    Some(Fix {
        title: "Join with the previous RUN".into(),
        applicability: Applicability::Unsafe,
        edits: vec![
            TextEdit {
                span: Span::empty(sa.end),
                insert: format!(" {escape}\n    && {second}"),
            },
            TextEdit {
                span: super::helpers::line_span(ctx.text, b.span),
                insert: String::new(),
            },
        ],
    })
}
