//! Lexical tokens that tile the source exactly, for highlighting and lossless printing.
//!
//! The tree gives the important spans (keywords, flags, JSON strings, heredocs, comments);
//! the text between them is split into whitespace, newlines, quoted strings, variables and
//! plain words. Concatenating the tokens' text always reproduces the input.

use super::ast::*;
use super::values::parse_words;
use crate::span::Span;

/// Tokens for `text`, from the parsed tree and the line-continuation spans.
pub(crate) fn tokenize(text: &str, file: &Dockerfile, continuations: &[Span]) -> Vec<Token> {
    let estimate = file.directives.len()
        + file.comments.len()
        + continuations.len()
        + file
            .instructions
            .iter()
            .map(|i| {
                let items = match &i.args {
                    Args::Exec { items, .. } => items.len(),
                    Args::Shell { .. } => 0,
                };
                2 + 2 * i.flags.len() + 3 * i.heredocs().len() + items
            })
            .sum::<usize>();
    let mut marks: Vec<Token> = Vec::with_capacity(estimate);
    let mut exec_spans: Vec<Span> = Vec::new();
    for d in &file.directives {
        marks.push(Token {
            kind: TokenKind::Directive,
            span: d.span,
        });
    }
    for c in &file.comments {
        marks.push(Token {
            kind: TokenKind::Comment,
            span: c.span,
        });
    }
    for &span in continuations {
        marks.push(Token {
            kind: TokenKind::LineContinuation,
            span,
        });
    }
    for instruction in &file.instructions {
        let mut node = Some(instruction);
        while let Some(current) = node {
            mark_instruction(current, &mut marks, &mut exec_spans);
            node = current.onbuild();
        }
        for doc in instruction.heredocs() {
            marks.push(Token {
                kind: TokenKind::HeredocMarker,
                span: doc.marker_span,
            });
            marks.push(Token {
                kind: TokenKind::HeredocBody,
                span: doc.body_span,
            });
            marks.push(Token {
                kind: TokenKind::HeredocEnd,
                span: doc.end_span,
            });
        }
    }
    marks.retain(|t| !t.span.is_empty());
    marks.sort_by_key(|t| (t.span.start, t.span.end));
    exec_spans.sort_by_key(|s| s.start);

    let mut tokens = Vec::with_capacity(marks.len() * 2 + 16);
    let mut pos = 0usize;
    for mark in marks {
        let (start, end) = (mark.span.start as usize, mark.span.end as usize);
        if start < pos
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        fill_gap(text, pos, start, &exec_spans, &mut tokens);
        tokens.push(mark);
        pos = end;
    }
    fill_gap(text, pos, text.len(), &exec_spans, &mut tokens);
    tokens
}

fn mark_instruction(instruction: &Instruction, marks: &mut Vec<Token>, exec_spans: &mut Vec<Span>) {
    marks.push(Token {
        kind: TokenKind::Keyword,
        span: instruction.keyword_span,
    });
    for flag in &instruction.flags {
        let name_end = flag.name_span.end.clamp(flag.span.start, flag.span.end);
        marks.push(Token {
            kind: TokenKind::FlagName,
            span: Span::new(flag.span.start, name_end),
        });
        marks.push(Token {
            kind: TokenKind::FlagValue,
            span: Span::new(name_end, flag.span.end),
        });
    }
    if let Args::Exec { items, span } = &instruction.args {
        exec_spans.push(*span);
        for item in items {
            marks.push(Token {
                kind: TokenKind::String,
                span: item.span,
            });
        }
    }
    let sub_keyword = match instruction.keyword {
        Keyword::From => word_span(instruction, 1, |text| text.eq_ignore_ascii_case("as")),
        Keyword::Healthcheck => word_span(instruction, 0, |_| true),
        _ => None,
    };
    if let Some(span) = sub_keyword {
        marks.push(Token {
            kind: TokenKind::SubKeyword,
            span,
        });
    }
}

/// The span of word `n` of [`Instruction::words`] when `keep` accepts its text, without
/// copying the words.
fn word_span(instruction: &Instruction, n: usize, keep: impl Fn(&str) -> bool) -> Option<Span> {
    match &instruction.args {
        Args::Exec { items, .. } => items.get(n).filter(|w| keep(&w.text)).map(|w| w.span),
        Args::Shell { text, .. } => parse_words(text, '\\')
            .get(n)
            .filter(|w| keep(w.text))
            .map(|w| instruction.args_map.source_span(w.start, w.end)),
    }
}

fn in_exec(exec_spans: &[Span], offset: usize) -> bool {
    let offset = offset as u32;
    let idx = exec_spans.partition_point(|s| s.start <= offset);
    idx > 0 && exec_spans[idx - 1].contains(offset)
}

fn push(tokens: &mut Vec<Token>, kind: TokenKind, start: usize, end: usize) {
    if end > start {
        tokens.push(Token {
            kind,
            span: Span::new(start as u32, end as u32),
        });
    }
}

/// Splits `text[start..end]` into simple tokens.
fn fill_gap(text: &str, start: usize, end: usize, exec_spans: &[Span], tokens: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut pos = start;
    while pos < end {
        let rest = &text[pos..end];
        let Some(c) = rest.chars().next() else { break };
        let next = if c == '\n' {
            push(tokens, TokenKind::Newline, pos, pos + 1);
            pos + 1
        } else if c == '\r' && bytes.get(pos + 1) == Some(&b'\n') && pos + 2 <= end {
            push(tokens, TokenKind::Newline, pos, pos + 2);
            pos + 2
        } else if c.is_whitespace() {
            let len = rest
                .find(|d: char| !d.is_whitespace() || d == '\n' || d == '\r')
                .unwrap_or(rest.len());
            let len = len.max(c.len_utf8());
            push(tokens, TokenKind::Whitespace, pos, pos + len);
            pos + len
        } else if c == '"' || c == '\'' {
            let body = &rest[1..];
            let len = body.find([c, '\n']).map_or(rest.len(), |i| {
                if body.as_bytes()[i] == b'\n' {
                    i + 1
                } else {
                    i + 2
                }
            });
            let len = if rest[..len].ends_with('\n') {
                len - 1
            } else {
                len
            };
            push(tokens, TokenKind::String, pos, pos + len);
            pos + len
        } else if c == '$' && rest.len() > 1 {
            let after = &rest[1..];
            let len = if after.starts_with('{') {
                after.find(['}', '\n']).map_or(rest.len(), |i| {
                    if after.as_bytes()[i] == b'}' {
                        i + 2
                    } else {
                        i + 1
                    }
                })
            } else {
                1 + after
                    .find(|d: char| !(d.is_alphanumeric() || d == '_'))
                    .unwrap_or(after.len())
            };
            let kind = if len > 1 {
                TokenKind::Variable
            } else {
                TokenKind::Word
            };
            push(tokens, kind, pos, pos + len);
            pos + len
        } else if matches!(c, '[' | ']' | ',') && in_exec(exec_spans, pos) {
            push(tokens, TokenKind::Punct, pos, pos + 1);
            pos + 1
        } else {
            let len = rest
                .char_indices()
                .skip(1)
                .find(|&(_, d)| {
                    d.is_whitespace()
                        || d == '"'
                        || d == '\''
                        || d == '$'
                        || d == '['
                        || d == ']'
                        || d == ','
                })
                .map_or(rest.len(), |(i, _)| i);
            push(tokens, TokenKind::Word, pos, pos + len);
            pos + len
        };
        pos = next;
    }
}
