//! Lexical tokens that tile the source exactly, for highlighting and lossless printing.
//!
//! The tree gives the important spans (keywords, flags, JSON strings, heredocs, comments);
//! the text between them is split into whitespace, newlines, quoted strings, variables and
//! plain words. Concatenating the tokens' text always reproduces the input.

use super::ast::*;
use super::values::parse_words;
use crate::span::Span;

/// Makes the tokens while the parser reads the file: it records the spans the parser knows
/// (directives, comments, line continuations, and each instruction's keyword, flags, JSON
/// strings, sub-keywords and heredocs) and, after each instruction, turns them and the gaps
/// between them into tokens. No second pass over the tree or the text, and no list of all
/// marks: the text just read is still in cache.
#[derive(Debug)]
pub(crate) struct Marks<'a> {
    text: &'a str,
    /// Marks not yet turned into tokens (since the last instruction).
    pending: Vec<Token>,
    /// JSON (exec-form) argument spans, in source order: `[`, `]` and `,` inside them are
    /// punctuation.
    exec_spans: Vec<Span>,
    tokens: Vec<Token>,
    /// End of the text covered by `tokens`.
    pos: usize,
}

impl<'a> Marks<'a> {
    pub(crate) fn new(text: &'a str) -> Marks<'a> {
        Marks {
            text,
            pending: Vec::new(),
            exec_spans: Vec::new(),
            // About one token per four bytes in real Dockerfiles (fewer in most).
            tokens: Vec::with_capacity(text.len() / 4 + 16),
            pos: 0,
        }
    }

    pub(crate) fn push(&mut self, kind: TokenKind, span: Span) {
        self.pending.push(Token { kind, span });
    }

    /// The escape character that continues a line.
    pub(crate) fn continuation(&mut self, span: Span) {
        self.push(TokenKind::LineContinuation, span);
    }

    pub(crate) fn len(&self) -> usize {
        self.pending.len()
    }

    /// A finished instruction (ONBUILD triggers and heredocs included), whose first mark
    /// (a line continuation or a comment line inside it, or its keyword) is at `from`.
    /// Everything before its end is final then, so the pending marks become tokens.
    pub(crate) fn instruction(&mut self, instruction: &Instruction, from: usize) {
        let exec_before = self.exec_spans.len();
        let mut node = Some(instruction);
        while let Some(current) = node {
            mark_instruction(current, &mut self.pending, &mut self.exec_spans);
            node = current.onbuild();
        }
        // Spans come in source order; only the new ones (and the last old one) need a look.
        let fresh = &self.exec_spans[exec_before.saturating_sub(1)..];
        if !fresh.is_sorted_by_key(|s| s.start) {
            crate::sort::sort_by_key(&mut self.exec_spans, |s| s.start);
        }
        for doc in instruction.heredocs() {
            self.push(TokenKind::HeredocMarker, doc.marker_span);
            self.push(TokenKind::HeredocBody, doc.body_span);
            self.push(TokenKind::HeredocEnd, doc.end_span);
        }
        // Continuation and comment marks were recorded while the lines were joined, before
        // the keyword's: put this instruction's marks in source order (stable: of two marks
        // with the same span, the one recorded first wins). The marks before `from` come
        // from earlier lines.
        if let Some(tail) = self.pending.get_mut(from..) {
            crate::sort::sort_by_key(tail, |t| (t.span.start, t.span.end));
        }
        self.flush();
    }

    /// Turns the pending marks, in order, and the gaps before them into tokens; a mark that
    /// overlaps text already covered is dropped (its text is in the earlier token).
    fn flush(&mut self) {
        let text = self.text;
        for mark in self.pending.drain(..) {
            let (start, end) = (mark.span.start as usize, mark.span.end as usize);
            if start == end
                || start < self.pos
                || end > text.len()
                || !text.is_char_boundary(start)
                || !text.is_char_boundary(end)
            {
                continue;
            }
            fill_gap(text, self.pos, start, &self.exec_spans, &mut self.tokens);
            self.tokens.push(mark);
            self.pos = end;
        }
    }

    /// The tokens, which tile the whole text.
    pub(crate) fn finish(mut self) -> Vec<Token> {
        crate::sort::sort_by_key(&mut self.pending, |t| (t.span.start, t.span.end));
        self.flush();
        let (text, pos) = (self.text, self.pos);
        fill_gap(text, pos, text.len(), &self.exec_spans, &mut self.tokens);
        self.tokens
    }
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
