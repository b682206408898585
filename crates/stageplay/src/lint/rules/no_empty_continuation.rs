use super::super::context::Ctx;
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Finds empty lines inside a continued instruction (a line ending with `\`).
    ///
    /// ## Why is this bad?
    /// BuildKit skips such lines today, but they will become errors in a future release, and
    /// they make it look as if the instruction ended.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && \
    ///
    ///     apt-get install -y curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && \
    ///     apt-get install -y curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the empty line is removed; the instruction is read the same way.
    ///
    /// ## References
    /// - [BuildKit: NoEmptyContinuation](https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/)
    pub struct NoEmptyContinuation {
        code: "NoEmptyContinuation",
        name: "no-empty-continuation",
        sources: ["buildkit:NoEmptyContinuation"],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let text = ctx.text;
    for inst in &doc.instructions {
        // Only the instruction's own lines, not heredoc bodies.
        let end = inst
            .heredocs()
            .first()
            .map_or(inst.span.end, |h| h.body_span.start);
        let Some(region) = text.get(inst.span.start as usize..end as usize) else {
            continue;
        };
        let mut offset = inst.span.start as usize;
        let mut lines: Vec<(usize, &str)> = Vec::new();
        for line in region.split_inclusive('\n') {
            lines.push((offset, line));
            offset += line.len();
        }
        // An empty line counts only when a later line still belongs to the instruction.
        let last_content = lines
            .iter()
            .rposition(|(_, l)| !l.trim().is_empty())
            .unwrap_or(0);
        for (k, (start, line)) in lines.iter().enumerate() {
            if k == 0 || k >= last_content || !line.trim().is_empty() {
                continue;
            }
            let span = Span::new(*start as u32, (*start + line.len()) as u32);
            let shown = Span::empty(*start as u32);
            let fix = Fix {
                title: "Remove the empty line".into(),
                applicability: Applicability::Safe,
                edits: vec![TextEdit {
                    span,
                    insert: String::new(),
                }],
            };
            ctx.report(shown, "Empty continuation line").fix(Some(fix));
        }
    }
}
