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

use crate::analysis::MAX_INPUT_BYTES;
use crate::diagnostic::{apply_edits, TextEdit};
use crate::span::Span;
use crate::syntax::oracle::to_oracle_json;
use crate::syntax::{self, Args, Dockerfile, Instruction, Keyword, Token, TokenKind};

/// How to format.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// What BuildKit's parser reads from a file, one line per instruction, compared by
/// [`try_format`] before and after formatting: the oracle's view (instruction, flags, values,
/// heredocs, accept or reject, parser directives) with keyword case folded and runs of
/// whitespace outside quotes made one space, except in values that are raw text (WORKDIR,
/// USER, STOPSIGNAL, MAINTAINER), compared as they are. Line numbers are left out.
pub fn reading(doc: &Dockerfile) -> String {
    let mut out = String::new();
    for d in &doc.directives {
        out.push_str(&format!("directive {}={}\n", d.name, d.value));
    }
    out.push_str(&format!("escape {}\n", doc.escape));
    let record = to_oracle_json(doc);
    out.push_str(if record.ok { "ok\n" } else { "rejected\n" });
    for i in record.instructions.unwrap_or_default() {
        let sub = i.sub_cmd.as_deref().map(str::to_ascii_uppercase);
        let cmd = sub.clone().unwrap_or_else(|| i.cmd.clone());
        let raw = matches!(
            cmd.as_str(),
            "WORKDIR" | "USER" | "STOPSIGNAL" | "MAINTAINER"
        );
        let values: Vec<String> = i
            .value
            .iter()
            .enumerate()
            .map(|(n, v)| {
                let keyword =
                    (cmd == "FROM" && n == 1 && i.value.len() == 3 && v.eq_ignore_ascii_case("as"))
                        || (cmd == "HEALTHCHECK"
                            && n == 0
                            && (v.eq_ignore_ascii_case("cmd") || v.eq_ignore_ascii_case("none")));
                if keyword {
                    v.to_ascii_uppercase()
                } else if raw {
                    v.clone()
                } else {
                    collapse_whitespace(v)
                }
            })
            .collect();
        out.push_str(&format!(
            "{} {:?} json={} flags={:?} values={:?} heredocs={:?}\n",
            i.cmd,
            sub,
            i.json,
            i.flags,
            values,
            i.heredocs
                .iter()
                .map(|h| (&h.name, h.fd, &h.content))
                .collect::<Vec<_>>()
        ));
    }
    out
}

/// `text` with each run of whitespace outside single and double quotes made one space, and
/// trimmed (backslash escapes respected).
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut chars = text.trim().chars();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        if quote.is_none() && c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (q, '\\') if q != Some('\'') => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            _ => {}
        }
    }
    out
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

/// The lines of one instruction being formatted.
struct Lines<'f, 'a> {
    f: &'f Formatter<'a>,
    ins: &'a Instruction,
    /// The instruction itself, or ONBUILD's trigger.
    node: &'a Instruction,
    first: usize,
    verbatim: &'f [bool],
}

/// Where the join after a line is: its state at the end of its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Join {
    /// Outside quotes and `${…}`: whitespace there is only a separator.
    Free,
    /// Inside quotes or braces, or after an escape: whitespace there is text.
    Bound,
}

impl<'f, 'a> Lines<'f, 'a> {
    fn tokens_on(&self, tokens: &'a [Token], line: usize) -> &'a [Token] {
        let l = self.f.lines[line];
        let from = tokens.partition_point(|t| (t.span.start as usize) < l.start);
        let to = tokens.partition_point(|t| (t.span.start as usize) < l.end);
        &tokens[from..to.max(from)]
    }

    fn source(&self, span: Span) -> &'a str {
        self.f.text.get(span.range()).unwrap_or("")
    }

    fn source_escape(&self) -> &'static str {
        if self.f.doc.escape == '`' {
            "`"
        } else {
            "\\"
        }
    }

    /// Where the arguments start: tokens before it are the keyword and flags.
    fn args_start(&self) -> u32 {
        let span = match &self.node.args {
            Args::Shell { span, .. } | Args::Exec { span, .. } => *span,
        };
        if self.node.args_text().is_empty() {
            self.ins.span.end
        } else {
            span.start
        }
    }

    fn keyword_text(&self, token: &Token) -> Option<String> {
        for node in [self.ins, self.node] {
            if token.span == node.keyword_span && node.keyword != Keyword::Unknown {
                return Some(node.keyword.as_str().to_string());
            }
        }
        None
    }

    /// Heredoc instructions and instructions with a word split across lines: only the first
    /// line's keyword, leading and separating blanks; everything else as written.
    fn minimal(&self, tokens: &'a [Token]) -> Vec<Action> {
        let mut actions = vec![Action::Keep; self.verbatim.len()];
        let head = self.tokens_on(tokens, self.first);
        let args_start = self.args_start();
        let mut out = String::new();
        let mut rest_from = None;
        for t in head.iter().skip_while(|t| t.kind == TokenKind::Whitespace) {
            if t.span.start >= args_start || t.kind == TokenKind::LineContinuation {
                rest_from = Some(t.span.start as usize);
                break;
            }
            match (t.kind, self.keyword_text(t)) {
                (_, Some(k)) => out.push_str(&k),
                (TokenKind::Whitespace, _) => out.push(' '),
                _ => out.push_str(self.source(t.span)),
            }
        }
        let line = self.f.lines[self.first];
        if let Some(at) = rest_from {
            out.push_str(self.f.text.get(at..line.end).unwrap_or(""));
        }
        let continues = head.iter().any(|t| t.kind == TokenKind::LineContinuation);
        if !continues {
            out.truncate(out.trim_end_matches([' ', '\t']).len());
        }
        actions[0] = Action::Replace(out);
        actions
    }

    /// Which instructions ignore how much whitespace separates words outside quotes (their
    /// value is split into words, or handed to a shell).
    fn whitespace_free(&self) -> bool {
        match self.node.keyword {
            Keyword::Run
            | Keyword::Cmd
            | Keyword::Entrypoint
            | Keyword::Healthcheck
            | Keyword::Label
            | Keyword::Arg
            | Keyword::Copy
            | Keyword::Add
            | Keyword::Expose
            | Keyword::Volume
            | Keyword::From => true,
            // `ENV key value` keeps the rest of the line as the value.
            Keyword::Env => self
                .node
                .words()
                .first()
                .is_some_and(|w| w.text.contains('=')),
            _ => false,
        }
    }

    /// Instructions whose words BuildKit splits at whitespace alone (no quotes): whitespace
    /// between them can be one space.
    fn collapses_words(&self) -> bool {
        !self.node.json
            && matches!(
                self.node.keyword,
                Keyword::From | Keyword::Copy | Keyword::Add | Keyword::Expose | Keyword::Volume
            )
    }

    fn full(&self, tokens: &'a [Token]) -> Vec<Action> {
        let n = self.verbatim.len();
        let mut actions = vec![Action::Keep; n];
        let escape = self.f.doc.escape;
        let free = self.whitespace_free();
        let args_start = self.args_start();
        // Classify the lines and find each content line's continuation and join state.
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum Kind {
            Content,
            Comment,
            Blank,
        }
        let mut kinds = vec![Kind::Content; n];
        let mut joins = vec![Join::Free; n];
        let mut state = Scan::default();
        for k in 0..n {
            let line = self.first + k;
            let toks = self.tokens_on(tokens, line);
            let content = self.f.content(line);
            if k > 0 && content.trim().is_empty() {
                kinds[k] = Kind::Blank;
                continue;
            }
            let lead = toks.iter().find(|t| t.kind != TokenKind::Whitespace);
            if k > 0 && lead.is_some_and(|t| t.kind == TokenKind::Comment) {
                kinds[k] = Kind::Comment;
                continue;
            }
            let scan_from = if k == 0 {
                self.node.keyword_span.end as usize
            } else {
                self.f.lines[line].start
            };
            let scan_to = toks
                .iter()
                .find(|t| t.kind == TokenKind::LineContinuation)
                .map_or(self.f.lines[line].end, |t| t.span.start as usize);
            state.scan(self.f.text.get(scan_from..scan_to).unwrap_or(""), escape);
            joins[k] = state.join();
        }
        // The leading whitespace of each content line after the first, and whether it may move.
        let previous_content = |k: usize| (0..k).rev().find(|&j| kinds[j] == Kind::Content);
        let width = |s: &str| -> u32 {
            s.chars()
                .map(|c| {
                    if c == '\t' {
                        self.f.options.indent_width.max(1)
                    } else {
                        1
                    }
                })
                .sum()
        };
        let mut lead_text: Vec<&str> = vec![""; n];
        let mut movable = vec![false; n];
        for k in 1..n {
            if kinds[k] != Kind::Content || self.verbatim[k] {
                continue;
            }
            let content = self.f.content(self.first + k);
            let lead = &content[..content.len() - content.trim_start().len()];
            lead_text[k] = lead;
            let Some(p) = previous_content(k) else {
                continue;
            };
            let prev_toks = self.tokens_on(tokens, self.first + p);
            let spaced_before = prev_toks
                .iter()
                .position(|t| t.kind == TokenKind::LineContinuation)
                .and_then(|i| i.checked_sub(1))
                .is_some_and(|i| prev_toks[i].kind == TokenKind::Whitespace);
            let head_join = self
                .tokens_on(tokens, self.first + k)
                .iter()
                .any(|t| t.kind != TokenKind::Whitespace && (t.span.start) < args_start);
            movable[k] = self.f.options.indent_width > 0
                && joins[p] == Join::Free
                && (free || head_join)
                && (spaced_before || !lead.is_empty());
        }
        // A line holding only the escape character joins nothing: it sits at the base.
        let bare = |k: usize| self.f.content(self.first + k).trim() == self.source_escape();
        let base = (1..n)
            .filter(|&k| movable[k] && !bare(k))
            .map(|k| width(lead_text[k]))
            .min()
            .unwrap_or(0);
        let options = self.f.options;
        let indent_of = |k: usize| -> String {
            match (movable[k], bare(k)) {
                (true, true) => options.indent(options.indent_width),
                (true, false) => {
                    options.indent(width(lead_text[k]).saturating_sub(base) + options.indent_width)
                }
                (false, _) => lead_text[k].to_string(),
            }
        };
        for k in 0..n {
            let line = self.first + k;
            if self.verbatim[k] {
                continue;
            }
            actions[k] = match kinds[k] {
                Kind::Blank => Action::Delete,
                Kind::Comment => {
                    let next = (k + 1..n).find(|&j| kinds[j] == Kind::Content);
                    let indent = next
                        .or_else(|| previous_content(k).filter(|&p| p > 0))
                        .map_or_else(|| options.indent(options.indent_width), &indent_of);
                    let comment = self.f.content(line).trim();
                    Action::Replace(format!("{indent}{comment}"))
                }
                Kind::Content => {
                    let lead = if k == 0 { String::new() } else { indent_of(k) };
                    let body =
                        self.line_body(self.tokens_on(tokens, line), args_start, joins[k], free);
                    Action::Replace(format!("{lead}{body}"))
                }
            };
        }
        actions
    }

    /// A content line without its leading whitespace: keyword upper-cased, blanks between the
    /// keyword, flags and words made one space where that cannot change a value, a one-line
    /// JSON array respaced, the blanks before a continuation made one space where they only
    /// separate words, and trailing blanks dropped.
    fn line_body(&self, toks: &[Token], args_start: u32, join: Join, free: bool) -> String {
        let collapse = self.collapses_words();
        let exec = match &self.node.args {
            Args::Exec { items, span } => Some((items, *span)),
            Args::Shell { .. } => None,
        };
        let mut out = String::new();
        let mut i = toks
            .iter()
            .position(|t| t.kind != TokenKind::Whitespace)
            .unwrap_or(toks.len());
        // BuildKit skips the blanks after HEALTHCHECK's CMD or NONE.
        let mut after_type = false;
        while i < toks.len() {
            let t = &toks[i];
            i += 1;
            let follows_type = std::mem::take(&mut after_type);
            if let Some((items, span)) = exec {
                let one_line = !self.source(span).contains('\n');
                if one_line && t.span.start == span.start {
                    let items: Vec<&str> = items.iter().map(|w| self.source(w.span)).collect();
                    out.push('[');
                    out.push_str(&items.join(", "));
                    out.push(']');
                    while i < toks.len() && toks[i].span.end <= span.end {
                        i += 1;
                    }
                    continue;
                }
            }
            match t.kind {
                TokenKind::LineContinuation => {
                    let spaced = out.ends_with([' ', '\t']);
                    let trimmed_len = out.trim_end_matches([' ', '\t']).len();
                    if spaced && join == Join::Free && (free || t.span.start <= args_start) {
                        out.truncate(trimmed_len);
                        out.push(' ');
                    }
                    out.push_str(self.source(t.span));
                    return out;
                }
                TokenKind::Whitespace if t.span.start < args_start || collapse || follows_type => {
                    out.push(' ')
                }
                TokenKind::SubKeyword => {
                    let word = self.source(t.span);
                    after_type = self.node.keyword == Keyword::Healthcheck;
                    if ["as", "cmd", "none"]
                        .iter()
                        .any(|k| word.eq_ignore_ascii_case(k))
                    {
                        out.push_str(&word.to_ascii_uppercase());
                    } else {
                        out.push_str(word);
                    }
                }
                _ => match self.keyword_text(t) {
                    Some(k) => out.push_str(&k),
                    None => out.push_str(self.source(t.span)),
                },
            }
        }
        out.trim_end_matches([' ', '\t']).to_string()
    }
}

/// The quoting state of an instruction's text, scanned line by line.
#[derive(Debug, Default)]
struct Scan {
    quote: Option<char>,
    braces: u32,
    escaped: bool,
}

impl Scan {
    fn scan(&mut self, text: &str, escape: char) {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if self.escaped {
                self.escaped = false;
                continue;
            }
            match self.quote {
                Some('\'') => {
                    if c == '\'' {
                        self.quote = None;
                    }
                }
                _ if c == '\\' || c == escape => self.escaped = true,
                Some(q) if c == q => self.quote = None,
                Some(_) => {}
                None => match c {
                    '\'' | '"' => self.quote = Some(c),
                    '$' if chars.peek() == Some(&'{') => {
                        chars.next();
                        self.braces += 1;
                    }
                    '}' if self.braces > 0 => self.braces -= 1,
                    _ => {}
                },
            }
        }
    }

    fn join(&self) -> Join {
        if self.quote.is_none() && self.braces == 0 && !self.escaped {
            Join::Free
        } else {
            Join::Bound
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_collapses_outside_quotes_only() {
        assert_eq!(
            collapse_whitespace("  a   b  'c   d'  \"e  f\" "),
            "a b 'c   d' \"e  f\""
        );
        assert_eq!(collapse_whitespace("a\\  b"), "a\\  b");
    }

    #[test]
    fn directive_shapes() {
        assert!(looks_like_directive("# syntax=docker/dockerfile:1"));
        assert!(looks_like_directive("  #escape = `"));
        assert!(!looks_like_directive("# just a comment"));
        assert!(!looks_like_directive("#=x"));
    }
}
