//! The line layer: physical lines → instructions, as BuildKit's `parser.Parse` reads them.
//!
//! It follows BuildKit line by line: the BOM, parser directives at the top, comment
//! stripping, continuation lines (comment lines inside them dropped, empty ones warned
//! about), heredoc bodies, and the 64 KiB line limit of Go's `bufio.Scanner`. Where BuildKit
//! stops with an error, this parser records the diagnostic and goes on, so the tree is
//! always complete; [`Dockerfile::buildkit_error`] says which diagnostic BuildKit stops at.

use super::ast::*;
use super::command::split_command;
use super::gocompat::{is_space, trim_left_space};
use super::heredoc;
use super::values::{dispatch_for, parse_values, Dispatch, NodeValues};
use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// Go's `bufio.MaxScanTokenSize`: no line (newline included) may be longer.
const MAX_LINE: usize = 64 * 1024;
/// ONBUILD nesting kept in the tree; deeper levels are still checked for errors.
const MAX_ONBUILD_DEPTH: usize = 4;
/// ONBUILD nesting read at all: deeper text stays an opaque argument, which keeps
/// `ONBUILD ONBUILD …` lines linear (BuildKit's instruction layer rejects any nesting).
const MAX_ONBUILD_LEVELS: usize = 64;

/// A physical line: `start..end` includes the trailing `\n`, if any.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            lines.push(Line { start, end: i + 1 });
            start = i + 1;
        }
    }
    if start < text.len() {
        lines.push(Line {
            start,
            end: text.len(),
        });
    }
    lines
}

/// Go's `bytes.TrimRight(line, "\r\n")`.
fn trim_newline(s: &str) -> &str {
    s.trim_end_matches(['\r', '\n'])
}

fn is_comment(s: &str) -> bool {
    trim_newline(s)
        .trim_start_matches(is_space)
        .starts_with('#')
}

/// A joined instruction line and where its pieces come from.
#[derive(Default)]
struct Logical {
    text: String,
    map: TextMap,
}

impl Logical {
    fn push(&mut self, piece: &str, source_start: usize) {
        self.map.push(MapPiece {
            text_start: self.text.len() as u32,
            source_start: source_start as u32,
            len: piece.len() as u32,
        });
        self.text.push_str(piece);
    }
}

/// The parser directives state (BuildKit's `directives` struct).
struct Directives {
    escape: char,
    done: bool,
    seen: Vec<String>,
}

/// What `possibleParserDirective` found on one line.
enum DirectiveOutcome {
    None,
    Directive {
        name: String,
        value: String,
        value_at: usize,
    },
    Error {
        message: String,
        value: String,
        value_at: usize,
    },
}

/// Matches `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` (Go's `\s` is ASCII).
fn match_directive(line: &str) -> Option<(&str, &str, usize, usize)> {
    let is_s = |c: char| matches!(c, '\t' | '\n' | '\u{0C}' | '\r' | ' ');
    let rest = line.strip_prefix('#')?;
    let after_hash = rest.trim_start_matches(is_s);
    let name_at = line.len() - after_hash.len();
    let name_len = after_hash
        .char_indices()
        .find(|&(i, c)| {
            if i == 0 {
                !c.is_ascii_alphabetic()
            } else {
                !c.is_ascii_alphanumeric()
            }
        })
        .map_or(after_hash.len(), |(i, _)| i);
    if name_len == 0 {
        return None;
    }
    let name = &after_hash[..name_len];
    let after_name = after_hash[name_len..].trim_start_matches(is_s);
    let after_eq = after_name.strip_prefix('=')?;
    let value_part = after_eq.trim_start_matches(is_s);
    let value = value_part.trim_end_matches(is_s);
    if !value.is_empty() {
        return Some((name, value, name_at, line.len() - value_part.len()));
    }
    // `.+?` needs one character: backtracking gives it the last whitespace character.
    let last = after_eq.chars().last()?;
    let at = line.len() - last.len_utf8();
    Some((name, &line[at..], name_at, at))
}

impl Directives {
    fn check(&mut self, line: &str) -> DirectiveOutcome {
        if self.done {
            return DirectiveOutcome::None;
        }
        let Some((name, value, _, value_at)) = match_directive(line) else {
            self.done = true;
            return DirectiveOutcome::None;
        };
        let key = name.to_ascii_lowercase();
        if !matches!(key.as_str(), "escape" | "syntax" | "check") {
            self.done = true;
            return DirectiveOutcome::None;
        }
        let value = value.to_string();
        if self.seen.contains(&key) {
            let message = format!("only one {key} parser directive can be used");
            return DirectiveOutcome::Error {
                message,
                value,
                value_at,
            };
        }
        self.seen.push(key.clone());
        if key == "escape" {
            match value.as_str() {
                "`" => self.escape = '`',
                "\\" => self.escape = '\\',
                _ => {
                    let message = format!("invalid escape token '{value}' does not match ` or \\");
                    return DirectiveOutcome::Error {
                        message,
                        value,
                        value_at,
                    };
                }
            }
        }
        DirectiveOutcome::Directive {
            name: key,
            value,
            value_at,
        }
    }

    /// BuildKit's `trimContinuationCharacter`: the line without the continuation, and
    /// whether the instruction ends here.
    fn trim_continuation<'a>(&self, line: &'a str) -> (&'a str, bool, Option<usize>) {
        let trimmed = line.trim_end_matches([' ', '\t']);
        if let Some(before) = trimmed.strip_suffix(self.escape) {
            if before.is_empty() || !before.ends_with(self.escape) {
                return (before, false, Some(before.len()));
            }
        }
        (line, true, None)
    }
}

/// One level of `newNodeFromLine` (ONBUILD nests levels).
struct Level<'a> {
    split: super::command::SplitLine,
    /// Offset of this level's text in the logical line.
    base: usize,
    dispatch: Dispatch,
    values: NodeValues<'a>,
}

/// BuildKit's `newNodeFromLine`, without recursion: the ONBUILD levels (outermost first;
/// none for a plain instruction, so nothing is allocated), the innermost level, and
/// BuildKit's error.
fn parse_node(line: &str, escape: char) -> (Vec<Level<'_>>, Level<'_>, Option<String>) {
    let mut outer = Vec::new();
    let mut base = 0;
    loop {
        let text = &line[base..];
        let split = split_command(text);
        let dispatch = dispatch_for_command(&text[split.cmd.0..split.cmd.1]);
        let args = &text[split.args.0..split.args.1];
        if dispatch == Dispatch::SubCommand && !args.is_empty() && outer.len() < MAX_ONBUILD_LEVELS
        {
            let next_base = base + split.args.0;
            outer.push(Level {
                split,
                base,
                dispatch,
                values: NodeValues::default(),
            });
            base = next_base;
            continue;
        }
        let (values, error) = match parse_values(dispatch, args, escape) {
            Ok(values) => (values, None),
            Err(message) => (NodeValues::default(), Some(message)),
        };
        let last = Level {
            split,
            base,
            dispatch,
            values,
        };
        return (outer, last, error);
    }
}

/// [`dispatch_for`] of the lowercased command; short ASCII commands (every keyword) are
/// lowercased on the stack. Others use Unicode lowercasing, as Go's `strings.ToLower` (the
/// Kelvin sign lowercases to an ASCII `k`).
fn dispatch_for_command(cmd: &str) -> Dispatch {
    let mut buf = [0u8; 16];
    if cmd.len() <= buf.len() && cmd.is_ascii() {
        let lower = &mut buf[..cmd.len()];
        lower.copy_from_slice(cmd.as_bytes());
        lower.make_ascii_lowercase();
        return dispatch_for(std::str::from_utf8(lower).unwrap_or(""));
    }
    dispatch_for(&cmd.to_lowercase())
}

/// Chomps heredoc content like BuildKit's `ChompHeredocContent`: leading tabs of every line.
fn chomp(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    for line in content.split_inclusive('\n') {
        out.push_str(line.trim_start_matches('\t'));
    }
    out
}

struct Parser<'a> {
    text: &'a str,
    /// Shared copies of the text that one-line shell arguments are ranges of.
    chunks: SourceChunks<'a>,
    lines: &'a [Line],
    /// Lines after this index are past BuildKit's scanner limit.
    limit: usize,
    out: Dockerfile,
    /// BuildKit's first error: its code and message.
    fatal: Option<(String, String)>,
    /// The tokens, made while reading (see [`super::tokens::Marks`]).
    marks: super::tokens::Marks<'a>,
    /// [`Instruction::check`]'s diagnostics, appended after the line layer's.
    checks: Vec<Diagnostic>,
}

/// Parses `text`; see [`crate::syntax::parse`].
pub(crate) fn parse(text: &str) -> Dockerfile {
    // Spans are u32: a text beyond 4 GiB is cut (and BuildKit rejects far smaller lines).
    let text = if text.len() > u32::MAX as usize - 1 {
        let mut cut = u32::MAX as usize - 1;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        &text[..cut]
    } else {
        text
    };
    let lines = split_lines(text);
    let too_long = lines.iter().position(|l| {
        let len = l.end - l.start;
        let has_newline = text.as_bytes().get(l.end - 1) == Some(&b'\n');
        if has_newline {
            len > MAX_LINE
        } else {
            len >= MAX_LINE
        }
    });
    let mut parser = Parser::run(text, &lines, lines.len());
    if let Some(at) = too_long {
        // BuildKit's scanner stops before that line: find what it reports then.
        let cut = Parser::run(text, &lines, at);
        let line = lines[at];
        let span = Span::new(line.start as u32, line.end as u32);
        let message = format!(
            "dockerfile line greater than max allowed size of {}",
            MAX_LINE - 1
        );
        parser.out.diagnostics.push(Diagnostic::error(
            "syntax/line-too-long",
            span,
            message.clone(),
        ));
        let index = parser.out.diagnostics.len() - 1;
        parser.out.buildkit_error = match cut.fatal {
            Some((code, message)) => Some(parser.find_or_add(&code, &message)),
            None => Some(index),
        };
    }
    let mut out = parser.out;
    out.tokens = parser.marks.finish();
    out.diagnostics.append(&mut parser.checks);
    out
}

impl<'a> Parser<'a> {
    fn run(text: &'a str, lines: &'a [Line], limit: usize) -> Parser<'a> {
        let mut parser = Parser {
            text,
            chunks: SourceChunks::new(text),
            lines,
            limit,
            out: Dockerfile {
                escape: '\\',
                ..Dockerfile::default()
            },
            fatal: None,
            marks: super::tokens::Marks::new(text),
            checks: Vec::new(),
        };
        parser.parse_lines();
        if parser.out.instructions.is_empty() && parser.fatal.is_none() {
            let end = text.len() as u32;
            parser.error(
                "syntax/no-instructions",
                Span::new(end, end),
                "file with no instructions".into(),
            );
        }
        parser.out.buildkit_error = parser.fatal.as_ref().and_then(|(code, m)| {
            parser
                .out
                .diagnostics
                .iter()
                .position(|d| &d.code == code && &d.message == m)
        });
        parser
    }

    /// The index of the diagnostic with `message`, adding an error when there is none.
    fn find_or_add(&mut self, code: &str, message: &str) -> usize {
        if let Some(i) = self
            .out
            .diagnostics
            .iter()
            .position(|d| d.code == code && d.message == message)
        {
            return i;
        }
        let end = self.text.len() as u32;
        self.out
            .diagnostics
            .push(Diagnostic::error(code, Span::new(end, end), message));
        self.out.diagnostics.len() - 1
    }

    /// Records an error BuildKit stops at (only the first one counts as BuildKit's).
    fn error(&mut self, code: &str, span: Span, message: String) {
        if self.fatal.is_none() {
            self.fatal = Some((code.to_string(), message.clone()));
        }
        self.out
            .diagnostics
            .push(Diagnostic::error(code, span, message));
    }

    fn span(start: usize, end: usize) -> Span {
        Span::new(start as u32, end as u32)
    }

    fn directive(&mut self, directives: &mut Directives, line: &str, at: usize) {
        match directives.check(line) {
            DirectiveOutcome::None => {}
            DirectiveOutcome::Directive {
                name,
                value,
                value_at,
            } => {
                let span = Self::span(at, at + line.len());
                let value_span = Self::span(at + value_at, at + value_at + value.len());
                self.marks.push(TokenKind::Directive, span);
                self.out.directives.push(Directive {
                    name,
                    value,
                    span,
                    value_span,
                });
            }
            DirectiveOutcome::Error {
                message,
                value,
                value_at,
            } => {
                let span = Self::span(at + value_at, at + value_at + value.len());
                let code = if message.starts_with("only one") {
                    "syntax/duplicate-directive"
                } else {
                    "syntax/invalid-escape"
                };
                self.error(code, span, message);
            }
        }
    }

    fn comment(&mut self, line: &str, at: usize) -> Comment {
        let content = trim_newline(line);
        let (trimmed, lead) = trim_left_space(content);
        let text = trimmed
            .strip_prefix('#')
            .unwrap_or(trimmed)
            .trim_matches(is_space)
            .to_string();
        let comment = Comment {
            text,
            span: Self::span(at + lead, at + content.len()),
        };
        self.marks.push(TokenKind::Comment, comment.span);
        self.out.comments.push(comment.clone());
        comment
    }

    fn parse_lines(&mut self) {
        let text = self.text;
        let mut directives = Directives {
            escape: '\\',
            done: false,
            seen: Vec::new(),
        };
        let mut description: Vec<String> = Vec::new();
        let mut current_line = 0u32;
        // One buffer for every joined instruction line (cleared per instruction).
        let mut logical = Logical::default();
        let mut i = 0;
        while i < self.limit {
            let line = self.lines[i];
            let mut start = line.start;
            if i == 0 && text[start..line.end].starts_with('\u{FEFF}') {
                start += '\u{FEFF}'.len_utf8();
            }
            let raw = &text[start..line.end];
            let content = trim_newline(raw);
            let (token, lead) = trim_left_space(content);
            let directives_before = self.out.directives.len();
            self.directive(&mut directives, token, start + lead);
            let processed = if token.starts_with('#') { "" } else { token };
            current_line += 1;
            i += 1;
            let start_line = current_line;
            if is_comment(raw) {
                let comment = self.comment(raw, start);
                if self.out.directives.len() == directives_before {
                    if comment.text.is_empty() {
                        description.clear();
                    } else {
                        description.push(comment.text);
                    }
                }
            }
            let (first, mut ends, cont) = directives.trim_continuation(processed);
            if ends && first.is_empty() {
                if !is_comment(raw) {
                    description.clear();
                }
                continue;
            }
            // This instruction's token marks start here (continuations, comment lines inside it).
            let marks_from = self.marks.len();
            logical.text.clear();
            logical.map = TextMap::default();
            logical.push(first, start + lead);
            if let Some(at) = cont {
                let at = start + lead + at;
                self.marks
                    .continuation(Self::span(at, at + directives.escape.len_utf8()));
            }
            let mut last_end = start + content.len();
            let mut empty_continuation: Option<Span> = None;
            while !ends && i < self.limit {
                let next = self.lines[i];
                let raw = &text[next.start..next.end];
                let content = trim_newline(raw);
                self.directive(&mut directives, content, next.start);
                current_line += 1;
                i += 1;
                if is_comment(raw) {
                    self.comment(raw, next.start);
                    continue;
                }
                if content.trim_start_matches(is_space).is_empty() {
                    empty_continuation
                        .get_or_insert(Self::span(next.start, next.start + content.len()));
                    continue;
                }
                let (piece, end_here, cont) = directives.trim_continuation(content);
                logical.push(piece, next.start);
                if let Some(at) = cont {
                    let at = next.start + at;
                    self.marks
                        .continuation(Self::span(at, at + directives.escape.len_utf8()));
                }
                last_end = next.start + content.len();
                ends = end_here;
            }
            if let Some(span) = empty_continuation {
                self.out.diagnostics.push(Diagnostic::warning(
                    "syntax/empty-continuation",
                    span,
                    "empty continuation line: it will become an error in a future BuildKit release",
                ));
            }
            let desc = (!description.is_empty()).then(|| description.join("\n"));
            description.clear();
            let mut instruction = self.instruction(&logical, directives.escape, start_line, desc);
            instruction.span = Self::span(instruction.keyword_span.start as usize, last_end);

            // Heredoc bodies follow the instruction's last line.
            if self.can_have_heredocs(&instruction) {
                match heredoc::markers(&logical.text) {
                    Err(message) => {
                        let span = instruction.span;
                        self.error("syntax/invalid-heredoc", span, message);
                    }
                    Ok(markers) => {
                        for marker in markers {
                            let (doc, consumed, end, terminated) =
                                self.heredoc_body(&marker, &logical, i);
                            current_line += consumed as u32;
                            i += consumed;
                            instruction.span.end = instruction.span.end.max(end as u32);
                            if !terminated {
                                let span = doc.marker_span;
                                self.error(
                                    "syntax/unterminated-heredoc",
                                    span,
                                    "unterminated heredoc".into(),
                                );
                            }
                            instruction.heredocs_mut().push(doc);
                        }
                    }
                }
                let (heredocs, end) = (instruction.heredocs().to_vec(), instruction.span.end);
                if let Some(inner) = instruction.onbuild_mut() {
                    if !heredocs.is_empty() {
                        *inner.heredocs_mut() = heredocs;
                    }
                    inner.span.end = end;
                }
            }
            instruction.end_line = current_line;
            self.marks.instruction(&instruction, marks_from);
            self.checks.extend(instruction.check());
            self.out.instructions.push(instruction);
        }
        self.out.escape = directives.escape;
    }

    fn can_have_heredocs(&self, instruction: &Instruction) -> bool {
        let node = instruction.onbuild().unwrap_or(instruction);
        matches!(node.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
            && node
                .keyword_text()
                .eq_ignore_ascii_case(node.keyword.as_str())
            && !node.json
    }

    /// Reads a heredoc body from line `from`: the heredoc, lines consumed, and the end offset.
    fn heredoc_body(
        &self,
        marker: &heredoc::Marker,
        logical: &Logical,
        from: usize,
    ) -> (Heredoc, usize, usize, bool) {
        let text = self.text;
        let body_start = self.lines.get(from).map_or(text.len(), |l| l.start);
        let mut raw_content = String::new();
        let mut consumed = 0;
        let mut end_span = None;
        let mut body_end = body_start;
        while from + consumed < self.limit {
            let line = self.lines[from + consumed];
            consumed += 1;
            let raw = &text[line.start..line.end];
            let mut terminator = trim_newline(raw);
            if marker.chomp {
                terminator = terminator.trim_start_matches('\t');
            }
            if terminator == marker.name {
                end_span = Some(Self::span(line.start, line.start + trim_newline(raw).len()));
                break;
            }
            raw_content.push_str(raw);
            body_end = line.end;
        }
        let (content, raw_content) = if marker.chomp {
            (chomp(&raw_content), Some(raw_content))
        } else {
            (raw_content, None)
        };
        let end = end_span.map_or(body_end, |s| s.end as usize);
        let terminated = end_span.is_some();
        let end_span = end_span.unwrap_or(Self::span(body_end, body_end));
        let doc = Heredoc::new(
            marker.name.clone(),
            marker.fd,
            content,
            raw_content,
            !marker.expand,
            marker.chomp,
            logical.map.source_span(marker.start, marker.end),
            Self::span(body_start, body_end),
            end_span,
        );
        (doc, consumed, end, terminated)
    }

    /// Builds the instruction for one logical line, recording BuildKit's errors.
    fn instruction(
        &mut self,
        logical: &Logical,
        escape: char,
        start_line: u32,
        description: Option<String>,
    ) -> Instruction {
        let (outer, last, error) = parse_node(&logical.text, escape);
        if let Some(message) = error {
            let code = if message.starts_with("when using JSON") {
                "syntax/json-not-strings"
            } else if message.contains("must have two arguments") {
                "syntax/missing-value"
            } else {
                "syntax/missing-equals"
            };
            let span = logical
                .map
                .source_span(last.base + last.split.args.0, last.base + last.split.args.1);
            self.error(code, span, message);
        }
        let mut instruction = Self::level_instruction(logical, &mut self.chunks, last, start_line);
        for (index, level) in outer.into_iter().enumerate().rev() {
            let mut wrapper = Self::level_instruction(logical, &mut self.chunks, level, start_line);
            if index + 1 < MAX_ONBUILD_DEPTH {
                wrapper.set_onbuild(instruction);
            }
            instruction = wrapper;
        }
        instruction.set_description(description);
        instruction
    }

    fn level_instruction(
        logical: &Logical,
        chunks: &mut SourceChunks,
        level: Level,
        start_line: u32,
    ) -> Instruction {
        let map = &logical.map;
        let base = level.base;
        let line = &logical.text;
        let (cs, ce) = (base + level.split.cmd.0, base + level.split.cmd.1);
        let keyword_text = &line[cs..ce];
        let keyword = Keyword::parse(keyword_text);
        let keyword_span = map.source_span(cs, ce);
        let Level {
            split,
            dispatch,
            values: node_values,
            ..
        } = level;
        // The split flags and JSON strings are moved into the tree, not copied.
        let flags = split
            .flags
            .into_iter()
            .map(|f| {
                let (fs, fe) = (base + f.start, base + f.end);
                let raw = &line[fs..fe];
                let name_end = raw.find('=').map_or(fe, |i| fs + i);
                let name_start = if raw.starts_with("--") { fs + 2 } else { fs };
                Flag::new(
                    f.processed,
                    chunks.text(raw, map.source_start(fs) as usize),
                    map.source_span(fs, fe),
                    map.source_span(name_start, name_end.max(name_start)),
                    (name_end < fe).then(|| map.source_span(name_end + 1, fe)),
                )
            })
            .collect();
        let (as_, ae) = (base + split.args.0, base + split.args.1);
        let args_text = &line[as_..ae];
        let args_map = map.slice(as_, ae);
        let args_span = map.source_span(as_, ae);
        let exec = node_values.json && dispatch != Dispatch::HealthConfig;
        let args = if exec {
            Args::Exec {
                items: node_values
                    .exec
                    .into_iter()
                    .map(|item| Word {
                        text: item.value,
                        span: args_map.source_span(item.start, item.end),
                    })
                    .collect(),
                span: args_span,
            }
        } else {
            Args::Shell {
                text: chunks.text(args_text, args_map.source_start(0) as usize),
                span: args_span,
            }
        };
        let exec_text = if exec {
            chunks.text(args_text, args_map.source_start(0) as usize)
        } else {
            SourceText::default()
        };
        let end = map.source_end(line.len());
        Instruction::new(
            keyword,
            keyword_text,
            keyword_span,
            Span::new(keyword_span.start, end.max(keyword_span.end)),
            start_line,
            flags,
            args,
            exec_text,
            args_map,
            (node_values.values, args_text),
            node_values.json,
        )
    }
}
