//! Format a Dockerfile: keywords upper-case, one space after the keyword and between flags,
//! continuation lines indented as a block, trailing whitespace and extra blank lines removed,
//! single-line JSON arrays written `["a", "b"]`, heredoc bodies untouched.
//!
//! The rule above all: formatting never changes what BuildKit's parser reads (instructions,
//! flags, values, heredocs) beyond whitespace and keyword case. Every change is one BuildKit
//! is blind to, and [`try_format`] proves it on each run: it parses the output and compares
//! BuildKit's reading of both texts ([`reading`]); if they differ, the text is left as it is
//! and the caller is told why. `format(format(x)) == format(x)`.
//!
//! Anchors: dprint-plugin-dockerfile and dockerfmt (reteps/dockerfmt). Like both, keywords
//! are upper-cased, one space follows the keyword, blank lines are collapsed, comments lose
//! their leading whitespace and heredoc bodies are kept byte for byte; like dprint, JSON
//! arrays are spaced `["a", "b"]` and comments inside a continuation are aligned with the
//! line that follows them. Where Stageplay differs, and why:
//! - Shell commands are not re-flowed. dockerfmt re-prints RUN through a shell formatter
//!   (`&&` moved to the start of lines, quoting rewritten): that changes the text BuildKit
//!   hands to the shell. Stageplay keeps every line break and every character inside quotes.
//! - Continuation lines are shifted as a block so the least-indented sits at `indent_width`
//!   (4, dockerfmt's default), keeping deeper indentation relative to it; dprint leaves RUN's
//!   continuation lines as written. A line is moved only where the join is whitespace outside
//!   quotes and `${…}` (a line continuing a quoted string, or glued to the previous word with
//!   no space, keeps its indentation), and never in instructions whose value is the raw text
//!   (WORKDIR, USER, STOPSIGNAL, MAINTAINER, the legacy `ENV key value`), where spaces are
//!   part of the value.
//! - Shell form is never turned into exec form (dockerfmt writes `CMD ls` as `CMD ["ls"]`,
//!   which runs the program without a shell), and comment text is kept as written (dprint
//!   inserts a space after `#`).
//! - `AS` in FROM and `CMD`/`NONE` in HEALTHCHECK are upper-cased with the keyword (BuildKit's
//!   FromAsCasing check wants FROM and AS to match).
//! - Whitespace between the words of FROM, COPY, ADD, EXPOSE and VOLUME is collapsed (BuildKit
//!   splits them at whitespace, so the words are the same); elsewhere it is kept.
//! - Empty continuation lines (which BuildKit skips, with a warning) are removed, and the
//!   file ends with one newline. `# escape=` is honoured.

mod instruction;
mod reading;

pub use reading::reading;

use crate::analysis::MAX_INPUT_BYTES;
use crate::diagnostic::{apply_edits, TextEdit};
use crate::span::Span;
use crate::syntax::{self, Dockerfile, TokenKind};
use instruction::Lines;
use serde::Serialize;

/// How to format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormatOptions {
    /// Columns of the least indented continuation line of an instruction (0: leave
    /// continuation lines where they are).
    pub indent_width: u32,
    /// Blank lines kept in a row between instructions.
    pub max_blank_lines: u32,
    /// Indent continuation lines with tabs (one per `indent_width` columns) instead of spaces.
    pub use_tabs: bool,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            indent_width: 4,
            max_blank_lines: 1,
            use_tabs: false,
        }
    }
}

impl FormatOptions {
    /// The whitespace for `columns` of indentation.
    fn indent(&self, columns: u32) -> String {
        let width = self.indent_width.max(1);
        if self.use_tabs {
            let mut s = "\t".repeat((columns / width) as usize);
            s.push_str(&" ".repeat((columns % width) as usize));
            s
        } else {
            " ".repeat(columns as usize)
        }
    }
}

/// Why a text is left as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormatError {
    pub message: String,
}

/// The formatted text; the text itself when it cannot be formatted safely.
pub fn format(text: &str, options: &FormatOptions) -> String {
    try_format(text, options).unwrap_or_else(|_| text.to_string())
}

/// The edits that format the text, sorted, one per changed line (empty when the text is
/// formatted already or cannot be formatted safely): an editor applies them as one
/// transaction and keeps the cursor where the text did not change.
pub fn format_edits(text: &str, options: &FormatOptions) -> Vec<TextEdit> {
    checked_edits(text, options).unwrap_or_default()
}

/// The formatted text, or why it is left as it is: too large, or (never seen on the corpus)
/// a formatting that would change what BuildKit reads.
pub fn try_format(text: &str, options: &FormatOptions) -> Result<String, FormatError> {
    checked_edits(text, options).map(|edits| apply_edits(text, &edits))
}

fn checked_edits(text: &str, options: &FormatOptions) -> Result<Vec<TextEdit>, FormatError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(FormatError {
            message: format!("the text is over {MAX_INPUT_BYTES} bytes"),
        });
    }
    let doc = syntax::parse(text);
    let edits = Formatter::new(text, &doc, options).edits();
    let output = apply_edits(text, &edits);
    let (before, after) = (reading(&doc), reading(&syntax::parse(&output)));
    if before != after {
        let first = before
            .lines()
            .zip(after.lines())
            .find(|(a, b)| a != b)
            .map_or_else(String::new, |(a, b)| format!(": `{a}` would become `{b}`"));
        return Err(FormatError {
            message: format!("formatting would change what BuildKit reads{first}"),
        });
    }
    Ok(edits)
}

/// One physical line: `start..end` is its content (without `\n` or `\r\n`), `next` the start
/// of the following line.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let next = start + piece.len();
        let content = piece.strip_suffix('\n').unwrap_or(piece);
        let content = content.strip_suffix('\r').unwrap_or(content);
        lines.push(Line {
            start,
            end: start + content.len(),
            next,
        });
        start = next;
    }
    // A byte-order mark is never touched.
    if let Some(first) = lines.first_mut() {
        if text.starts_with('\u{FEFF}') {
            first.start += '\u{FEFF}'.len_utf8();
        }
    }
    lines
}

/// What becomes of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    Keep,
    Replace(String),
    Delete,
}

/// `# name = value` shape of a parser directive (leading blanks allowed: BuildKit strips them
/// before looking).
fn looks_like_directive(content: &str) -> bool {
    let Some(rest) = content.trim_start().strip_prefix('#') else {
        return false;
    };
    let rest = rest.trim_start();
    let name = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    rest.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && rest[name..].trim_start().starts_with('=')
}

struct Formatter<'a> {
    text: &'a str,
    doc: &'a Dockerfile,
    options: &'a FormatOptions,
    lines: Vec<Line>,
    actions: Vec<Action>,
    /// Lines that belong to an instruction (or a heredoc body): not top-level.
    owned: Vec<bool>,
}

impl<'a> Formatter<'a> {
    fn new(text: &'a str, doc: &'a Dockerfile, options: &'a FormatOptions) -> Formatter<'a> {
        let lines = split_lines(text);
        let n = lines.len();
        Formatter {
            text,
            doc,
            options,
            lines,
            actions: vec![Action::Keep; n],
            owned: vec![false; n],
        }
    }

    fn line_of(&self, offset: u32) -> usize {
        let offset = offset as usize;
        self.lines
            .partition_point(|l| l.next <= offset)
            .min(self.lines.len().saturating_sub(1))
    }

    fn content(&self, line: usize) -> &'a str {
        let l = self.lines[line];
        self.text.get(l.start..l.end).unwrap_or("")
    }

    fn edits(mut self) -> Vec<TextEdit> {
        if self.lines.is_empty() {
            return Vec::new();
        }
        for index in 0..self.doc.instructions.len() {
            self.instruction(index);
        }
        self.top_level();
        let mut edits = Vec::new();
        for (line, action) in self.lines.iter().zip(&self.actions) {
            match action {
                Action::Keep => {}
                Action::Replace(new) => {
                    if self.text.get(line.start..line.end) != Some(new.as_str()) {
                        edits.push(TextEdit {
                            span: Span::new(line.start as u32, line.end as u32),
                            insert: new.clone(),
                        });
                    }
                }
                Action::Delete => edits.push(TextEdit {
                    span: Span::new(line.start as u32, line.next as u32),
                    insert: String::new(),
                }),
            }
        }
        // One newline at the end, unless the file ends inside a heredoc body.
        let last = self.lines.len() - 1;
        let kept_last = (0..=last)
            .rev()
            .find(|&l| self.actions[l] != Action::Delete);
        if let Some(l) = kept_last {
            let line = self.lines[l];
            let verbatim = self.owned[l] && self.actions[l] == Action::Keep && self.in_heredoc(l);
            if line.next == line.end && !verbatim {
                let newline = if self.text.contains("\r\n") {
                    "\r\n"
                } else {
                    "\n"
                };
                edits.push(TextEdit {
                    span: Span::empty(self.text.len() as u32),
                    insert: newline.to_string(),
                });
            }
        }
        edits
    }

    fn in_heredoc(&self, line: usize) -> bool {
        let l = self.lines[line];
        self.doc.instructions.iter().any(|i| {
            i.heredocs().iter().any(|h| {
                h.body_span.start as usize <= l.start && l.start <= h.end_span.end as usize
            })
        })
    }

    /// Blank lines, comments and directives outside instructions.
    fn top_level(&mut self) {
        let first_instruction = self
            .owned
            .iter()
            .position(|&o| o)
            .unwrap_or(self.lines.len());
        let mut blanks: Vec<usize> = Vec::new();
        let mut seen_content = false;
        for line in 0..self.lines.len() {
            if self.owned[line] {
                self.flush_blanks(&mut blanks, seen_content, line, first_instruction);
                seen_content = true;
                continue;
            }
            let content = self.content(line);
            let trimmed = content.trim_end_matches([' ', '\t', '\r']);
            if trimmed.trim_start().is_empty() {
                blanks.push(line);
                continue;
            }
            self.flush_blanks(&mut blanks, seen_content, line, first_instruction);
            seen_content = true;
            let comment = trimmed.trim_start();
            if comment.starts_with('#') {
                self.actions[line] = Action::Replace(comment.to_string());
            }
        }
        // Trailing blank lines go.
        for line in blanks {
            self.actions[line] = Action::Delete;
        }
    }

    /// Decides the blank lines before `line`: at most `max_blank_lines` in a row (one at least
    /// before the first instruction, where a blank line ends the parser directives), none at
    /// the start of the file unless what follows could be read as a directive.
    fn flush_blanks(
        &mut self,
        blanks: &mut Vec<usize>,
        seen: bool,
        line: usize,
        first_instruction: usize,
    ) {
        let keep = if !seen {
            usize::from(looks_like_directive(self.content(line)))
        } else if line <= first_instruction {
            self.options.max_blank_lines.max(1) as usize
        } else {
            self.options.max_blank_lines as usize
        };
        for (n, &b) in blanks.iter().enumerate() {
            self.actions[b] = if n < keep {
                Action::Replace(String::new())
            } else {
                Action::Delete
            };
        }
        blanks.clear();
    }

    fn instruction(&mut self, index: usize) {
        let doc = self.doc;
        let Some(ins) = doc.instructions.get(index) else {
            return;
        };
        let first = self.line_of(ins.keyword_span.start);
        let last = self.line_of(ins.span.end).max(first);
        let node = ins.onbuild().unwrap_or(ins);
        let heredocs: Vec<_> = ins.heredocs().iter().chain(node.heredocs()).collect();
        let mut verbatim = vec![false; last + 1 - first];
        for h in &heredocs {
            let from = h.body_span.start.min(h.end_span.start) as usize;
            let to = h.end_span.end.max(h.body_span.end) as usize;
            for (k, v) in verbatim.iter_mut().enumerate() {
                let l = self.lines[first + k];
                if from <= l.start && l.start <= to && l.start > self.lines[first].start {
                    *v = true;
                }
            }
        }
        for owned in &mut self.owned[first..=last] {
            *owned = true;
        }
        let tokens = &doc.tokens;
        let from = tokens.partition_point(|t| t.span.end as usize <= self.lines[first].start);
        let to = tokens.partition_point(|t| (t.span.start as usize) < self.lines[last].end);
        let tokens = &tokens[from..to.max(from)];
        let crossing = tokens.iter().any(|t| {
            !matches!(
                t.kind,
                TokenKind::Newline | TokenKind::HeredocBody | TokenKind::HeredocEnd
            ) && self
                .text
                .get(t.span.range())
                .is_some_and(|s| s.contains('\n'))
        });
        let minimal = !heredocs.is_empty() || crossing;
        let lines = Lines {
            f: self,
            ins,
            node,
            first,
            verbatim: &verbatim,
        };
        let actions = if minimal {
            lines.minimal(tokens)
        } else {
            lines.full(tokens)
        };
        for (k, action) in actions.into_iter().enumerate() {
            self.actions[first + k] = action;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_shapes() {
        assert!(looks_like_directive("# syntax=docker/dockerfile:1"));
        assert!(looks_like_directive("  #escape = `"));
        assert!(!looks_like_directive("# just a comment"));
        assert!(!looks_like_directive("#=x"));
    }
}
