use super::super::context::Ctx;
use super::helpers::{insert, key_values};
use crate::diagnostic::Applicability;
use crate::span::LineIndex;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Checks that a comment right above `FROM … AS name` or `ARG name` starts with that name,
    /// as BuildKit expects of a description (`# name <description>`).
    ///
    /// ## Why is this bad?
    /// BuildKit shows such comments as the description of a build target or argument (for
    /// example in `docker buildx build --call=outline`). A comment that is not meant as a
    /// description should be separated by an empty line.
    ///
    /// This is an experimental BuildKit check: it runs with `# check=experimental=all` or
    /// when preview rules are on.
    ///
    /// ## Example
    /// ```dockerfile
    /// # compile the server
    /// FROM golang:1.22 AS build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// # build compiles the server
    /// FROM golang:1.22 AS build
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix inserts an empty line, which only changes the description metadata.
    ///
    /// ## References
    /// - [BuildKit: InvalidDefinitionDescription](https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/)
    pub struct InvalidDefinitionDescription {
        code: "InvalidDefinitionDescription",
        name: "invalid-definition-description",
        sources: ["buildkit:InvalidDefinitionDescription"],
        severity: Info,
        status: Preview,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let index = LineIndex::new(ctx.text);
    // The first comment on each line, so finding the comment above an instruction is a lookup.
    let mut comment_on_line = std::collections::HashMap::new();
    for c in &doc.comments {
        comment_on_line
            .entry(index.line_of(c.span.start))
            .or_insert(c);
    }
    for inst in &doc.instructions {
        let (what, name) = match inst.keyword {
            Keyword::From => {
                let words = ctx.words(inst);
                match words.as_slice() {
                    [_, a, n, ..] if a.text.eq_ignore_ascii_case("as") => {
                        ("build stage", n.text.clone())
                    }
                    _ => continue,
                }
            }
            Keyword::Arg => match key_values(&ctx.words(inst)).first() {
                Some((n, _, _)) => ("build argument", n.clone()),
                None => continue,
            },
            _ => continue,
        };
        let line = index.line_of(inst.span.start);
        if line == 0 {
            continue;
        }
        let Some(&comment) = comment_on_line.get(&(line - 1)) else {
            continue;
        };
        let first = comment
            .text
            .trim()
            .trim_start_matches('#')
            .split_whitespace()
            .next()
            .unwrap_or("");
        if first == name
            || doc
                .directives
                .iter()
                .any(|d| d.span.start == comment.span.start)
        {
            continue;
        }
        let at = index.line_start(line);
        let fix = insert(
            at,
            "\n",
            "Separate the comment with an empty line",
            Applicability::Safe,
        );
        ctx.report(
            comment.span,
            format!("Comment for {what} should follow the format: `# {name} <description>`"),
        )
        .fix(Some(fix));
    }
}
