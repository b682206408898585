//! One instruction's lines: the keyword, flags and words spaced, continuation lines moved as
//! a block where the join is only a separator, comments inside aligned, empty continuation lines
//! dropped, heredoc bodies kept as they are.

use super::{Action, Formatter};
use crate::span::Span;
use crate::syntax::{Args, Instruction, Keyword, Token, TokenKind};

/// The lines of one instruction being formatted.
pub(super) struct Lines<'f, 'a> {
    pub(super) f: &'f Formatter<'a>,
    pub(super) ins: &'a Instruction,
    /// The instruction itself, or ONBUILD's trigger.
    pub(super) node: &'a Instruction,
    pub(super) first: usize,
    pub(super) verbatim: &'f [bool],
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
    pub(super) fn minimal(&self, tokens: &'a [Token]) -> Vec<Action> {
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

    pub(super) fn full(&self, tokens: &'a [Token]) -> Vec<Action> {
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
