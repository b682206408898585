//! Folding ranges, the outline, and the typing help the editor asks for on Enter.

mod ide_support;

use ide_support::{check, with_document};
use stageplay::ide::{
    continuation_indent, document_symbols, folding_ranges, line_continues, DocumentSymbol, FoldKind,
};

const FILE: &str = "ARG GO=1.22
# Build stage:
# compiles the app
FROM golang:${GO} AS build
ARG TARGETOS
RUN apt-get update && \\
    apt-get install -y make
COPY <<EOF /build.sh
make all
EOF

FROM alpine AS app
ENV APP=/app
COPY --from=build /out $APP
";

/// Each range as its kind and the first and last hidden lines.
fn folds(text: &str) -> String {
    with_document(text, |d| {
        folding_ranges(d)
            .iter()
            .map(|r| {
                let hidden = &text[r.span.start as usize + 1..r.span.end as usize];
                let lines: Vec<&str> = hidden.lines().collect();
                format!(
                    "{:?}: {:?} .. {:?}",
                    r.kind,
                    lines.first().unwrap_or(&""),
                    lines.last().unwrap_or(&"")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

#[test]
fn folds_by_stage_instruction_heredoc_and_comment_block() {
    check(
        folds(FILE),
        "Comment: \"# compiles the app\" .. \"# compiles the app\"
         Stage: \"ARG TARGETOS\" .. \"EOF\"
         Instruction: \"    apt-get install -y make\" .. \"    apt-get install -y make\"
         Heredoc: \"make all\" .. \"EOF\"
         Stage: \"ENV APP=/app\" .. \"COPY --from=build /out $APP\"",
    );
    // One-line stages and instructions do not fold.
    check(
        folds("FROM a\nFROM b\nRUN x\n"),
        "Stage: \"RUN x\" .. \"RUN x\"",
    );
    with_document("FROM a\n", |d| {
        assert!(folding_ranges(d).iter().all(|r| r.kind != FoldKind::Stage))
    });
}

fn outline(symbols: &[DocumentSymbol], depth: usize, out: &mut Vec<String>) {
    for s in symbols {
        out.push(format!(
            "{}{} {} | {}",
            "  ".repeat(depth),
            s.kind,
            s.name,
            s.detail
        ));
        outline(&s.children, depth + 1, out);
    }
}

#[test]
fn outline_by_stage() {
    let mut lines = Vec::new();
    with_document(FILE, |d| outline(&document_symbols(d), 0, &mut lines));
    assert_eq!(
        lines,
        [
            "ARG GO | 1.22",
            "stage build | FROM golang:${GO} · Build stage:\ncompiles the app",
            "  ARG TARGETOS | ",
            "stage app | FROM alpine · default target",
            "  ENV APP | /app",
        ]
    );
    with_document(FILE, |d| {
        let symbols = document_symbols(d);
        let build = &symbols[1];
        assert!(
            FILE[build.span.range()].starts_with("FROM golang")
                && FILE[build.span.range()].ends_with("EOF")
        );
        assert_eq!(&FILE[build.selection_span.range()], "build");
    });
}

#[test]
fn enter_after_a_continuation_indents() {
    let text = "FROM a\nRUN apt-get update && \\\n      apt-get install x \\\n";
    let end_of = |line: &str| (text.find(line).unwrap() + line.len()) as u32;
    assert!(line_continues(text, '\\', end_of("update && \\")));
    assert_eq!(
        continuation_indent(text, '\\', end_of("update && \\"), 4),
        Some(4)
    );
    // A continuation line keeps its own indentation for the next one.
    assert_eq!(
        continuation_indent(text, '\\', end_of("install x \\"), 4),
        Some(6)
    );
    assert_eq!(continuation_indent(text, '\\', end_of("FROM a"), 4), None);
    // With `# escape=`` the backtick continues.
    assert!(line_continues("# escape=`\nRUN dir `", '`', 20));
}
