//! The reader behind [`Script::read`](super::Script::read): one pass over the text,
//! words built as they end, commands built as operators end them.

use super::{is_assignment, Arm, Case, Command, Redirect, Script, Word};
use crate::span::Span;
use crate::syntax::ast::TextMap;

/// Reserved words that may lead a command (they are not its name).
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "{", "}", "!", "esac",
];

pub(super) fn parse(text: &str, map: TextMap) -> Script {
    let mut reader = Reader {
        text,
        map: &map,
        all: Vec::new(),
        cases: Vec::new(),
        open: Vec::new(),
        has_pipe: false,
        case_pattern: false,
    };
    reader.read(0, text.len(), 0);
    // Statements left open at the end of the text end there.
    while let Some(c) = reader.open.pop() {
        reader.close_case(c);
    }
    let Reader {
        all,
        cases,
        has_pipe,
        ..
    } = reader;
    Script {
        text: text.to_string(),
        all,
        cases,
        has_pipe,
        editable: true,
    }
}

/// Exec form: one command of the items, its text the items joined by spaces.
pub(super) fn exec(items: &[(String, Span)]) -> Script {
    let mut text = String::new();
    let mut words = Vec::with_capacity(items.len());
    for (item, span) in items {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len() as u32;
        text.push_str(item);
        words.push(Word {
            text: item.clone(),
            span: *span,
            raw: Span::new(start, text.len() as u32),
        });
    }
    let mut all = Vec::new();
    if let (Some(first), Some(last)) = (words.first(), words.last()) {
        all.push(Command {
            span: first.span.cover(last.span),
            range: Span::new(0, text.len() as u32),
            words,
            ..Command::default()
        });
    }
    Script {
        text,
        all,
        cases: Vec::new(),
        has_pipe: false,
        editable: false,
    }
}

struct Reader<'a> {
    /// The text read (an instruction's joined arguments, a heredoc body…).
    text: &'a str,
    /// From offsets in `text` to the Dockerfile.
    map: &'a TextMap,
    all: Vec<Command>,
    cases: Vec<Case>,
    /// Indices in `cases` of the statements not closed yet, innermost last.
    open: Vec<usize>,
    has_pipe: bool,
    /// Between `case WORD in` (or `;;`) and the `)` ending a pattern: `|` separates
    /// alternatives there, it is not a pipe.
    case_pattern: bool,
}

/// The command being read.
#[derive(Default)]
struct Pending {
    command: Command,
    /// The last redirection still waits for its target word.
    wants_target: bool,
    /// Range of the command so far, in the text read.
    start: Option<usize>,
    end: usize,
    /// In the Dockerfile: where the last redirection (and its target) ends.
    redirect_end: Option<Span>,
    /// A `case` header: the next word after the subject must be `in`.
    case_header: bool,
}

impl Pending {
    fn touch(&mut self, start: usize, end: usize) {
        self.start.get_or_insert(start);
        self.end = self.end.max(end);
    }

    fn is_empty(&self) -> bool {
        self.start.is_none()
    }
}

/// The word being read: its text so far and where it started.
#[derive(Default)]
struct WordBuf {
    text: String,
    start: Option<usize>,
}

impl Reader<'_> {
    fn read(&mut self, start: usize, end: usize, depth: u32) {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut pending = Pending::default();
        let mut word = WordBuf::default();
        let mut i = start;
        while i < end {
            let c = text[i..].chars().next().unwrap_or(' ');
            let len = c.len_utf8();
            match c {
                ' ' | '\t' | '\r' => {
                    self.end_word(&mut pending, &mut word, i, depth);
                    i += len;
                }
                '|' if self.case_pattern => {
                    self.end_word(&mut pending, &mut word, i, depth);
                    i += 1;
                }
                ')' if self.case_pattern => {
                    self.end_word(&mut pending, &mut word, i, depth);
                    self.open_arm(&mut pending);
                    i += 1;
                }
                '(' if self.case_pattern && word.start.is_none() => i += 1,
                '\n' | ';' | '&' | '|' => {
                    self.end_word(&mut pending, &mut word, i, depth);
                    let next = bytes.get(i + 1).copied();
                    let (op, n): (&'static str, usize) = match (c, next) {
                        ('&', Some(b'&')) => ("&&", 2),
                        ('|', Some(b'|')) => ("||", 2),
                        ('|', Some(b'&')) => ("|", 2),
                        (';', Some(b';')) if bytes.get(i + 2) == Some(&b'&') => (";;", 3),
                        (';', Some(b';')) => (";;", 2),
                        (';', Some(b'&')) => (";;", 2),
                        ('&', Some(b'>')) => {
                            // `&>file`, `&>>file`: both outputs to a file.
                            let op_end = if bytes.get(i + 2) == Some(&b'>') {
                                i + 3
                            } else {
                                i + 2
                            };
                            self.redirect(&mut pending, &text[i..op_end], None, i, op_end);
                            i = op_end;
                            continue;
                        }
                        ('\n', _) => ("\n", 1),
                        (';', _) => (";", 1),
                        ('&', _) => ("&", 1),
                        _ => ("|", 1),
                    };
                    if op == "|" {
                        self.has_pipe = true;
                    }
                    self.flush(&mut pending, depth, Some(op));
                    if op == ";;" {
                        self.close_arm();
                        if !self.open.is_empty() {
                            self.case_pattern = true;
                        }
                    }
                    i += n;
                }
                '(' | ')' if word.start.is_none() || c == ')' => {
                    self.end_word(&mut pending, &mut word, i, depth);
                    // A subshell: its commands end here; the parenthesis is a keyword of the
                    // next command (or alone, for the closing one).
                    self.flush(&mut pending, depth, Some(";"));
                    self.keyword(&mut pending, &text[i..i + 1], i, i + 1);
                    i += 1;
                }
                '#' if word.start.is_none() => {
                    while i < end && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                '<' | '>' => {
                    // A digit-only word right before is the file descriptor.
                    let fd = if word.start.is_some()
                        && !word.text.is_empty()
                        && word.text.bytes().all(|d| d.is_ascii_digit())
                        && text[word.start.unwrap_or(i)..i]
                            .bytes()
                            .all(|d| d.is_ascii_digit())
                    {
                        let fd_start = word.start.take().unwrap_or(i);
                        Some((std::mem::take(&mut word.text), fd_start))
                    } else {
                        self.end_word(&mut pending, &mut word, i, depth);
                        None
                    };
                    let op_start = i;
                    i += 1;
                    while i < end && matches!(bytes[i], b'<' | b'>' | b'&' | b'|') {
                        i += 1;
                    }
                    let from = fd.as_ref().map_or(op_start, |f| f.1);
                    self.redirect(&mut pending, &text[op_start..i], fd.map(|f| f.0), from, i);
                }
                '\'' => {
                    word.start.get_or_insert(i);
                    i += 1;
                    let close = text[i..end].find('\'').map_or(end, |p| i + p);
                    word.text.push_str(&text[i..close]);
                    i = (close + 1).min(end);
                }
                '"' => {
                    word.start.get_or_insert(i);
                    i += 1;
                    while i < end && bytes[i] != b'"' {
                        if bytes[i] == b'\\' && i + 1 < end {
                            let next = bytes[i + 1];
                            if matches!(next, b'"' | b'\\' | b'$' | b'`') {
                                word.text.push(next as char);
                                i += 2;
                                continue;
                            }
                            if next == b'\n' {
                                i += 2;
                                continue;
                            }
                        }
                        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'(') {
                            i = self.substitution(i, end, depth, &mut word);
                            continue;
                        }
                        if bytes[i] == b'`' {
                            i = self.backticks(i, end, depth, &mut word);
                            continue;
                        }
                        let ch = text[i..].chars().next().unwrap_or(' ');
                        word.text.push(ch);
                        i += ch.len_utf8();
                    }
                    i = (i + 1).min(end);
                }
                '\\' => {
                    match text[i + 1..end].chars().next() {
                        // A line continuation (left in a heredoc script): nothing.
                        Some('\n') => {}
                        Some(ch) => {
                            word.start.get_or_insert(i);
                            word.text.push(ch);
                        }
                        None => {
                            word.start.get_or_insert(i);
                        }
                    }
                    i = (i + 1 + text[i + 1..end].chars().next().map_or(0, char::len_utf8))
                        .min(end);
                }
                '`' => {
                    word.start.get_or_insert(i);
                    i = self.backticks(i, end, depth, &mut word);
                }
                '$' if bytes.get(i + 1) == Some(&b'(') => {
                    word.start.get_or_insert(i);
                    i = self.substitution(i, end, depth, &mut word);
                }
                '$' if bytes.get(i + 1) == Some(&b'{') => {
                    word.start.get_or_insert(i);
                    let close = matching(bytes, i + 1, end, b'{', b'}');
                    let after = (close + 1).min(end);
                    word.text.push_str(&text[i..after]);
                    i = after;
                }
                _ => {
                    word.start.get_or_insert(i);
                    word.text.push(c);
                    i += len;
                }
            }
        }
        self.end_word(&mut pending, &mut word, end, depth);
        self.flush(&mut pending, depth, None);
    }

    /// `$(…)` at `i` (or `$((…))`, arithmetic, whose text is not read as commands): its
    /// commands one level deeper, its text in the word. Returns the index after it.
    fn substitution(&mut self, i: usize, end: usize, depth: u32, word: &mut WordBuf) -> usize {
        let bytes = self.text.as_bytes();
        let close = matching(bytes, i + 1, end, b'(', b')');
        if bytes.get(i + 2) != Some(&b'(') {
            self.read(i + 2, close.min(end), depth + 1);
        }
        let after = (close + 1).min(end);
        word.text.push_str(&self.text[i..after]);
        after
    }

    /// Backticks at `i`: their commands one level deeper, their text in the word.
    fn backticks(&mut self, i: usize, end: usize, depth: u32, word: &mut WordBuf) -> usize {
        let bytes = self.text.as_bytes();
        let mut j = i + 1;
        while j < end && bytes[j] != b'`' {
            j += if bytes[j] == b'\\' { 2 } else { 1 };
        }
        let close = j.min(end);
        self.read(i + 1, close, depth + 1);
        let after = (close + 1).min(end);
        word.text.push_str(&self.text[i..after]);
        after
    }

    /// Ends the word being read (if any) at offset `at` of the text, and files it.
    fn end_word(&mut self, pending: &mut Pending, word: &mut WordBuf, at: usize, depth: u32) {
        let Some(start) = word.start.take() else {
            return;
        };
        let w = Word {
            text: std::mem::take(&mut word.text),
            span: self.map.source_span(start, at),
            raw: Span::new(start as u32, at as u32),
        };
        pending.touch(start, at);
        if std::mem::take(&mut pending.wants_target) {
            if let Some(r) = pending.command.redirects.last_mut() {
                r.span = r.span.cover(w.span);
                r.raw = r.raw.cover(w.raw);
                pending.redirect_end = Some(w.span);
                r.target = Some(w);
            }
            return;
        }
        let c = &mut pending.command;
        if c.header {
            c.words.push(w);
            // `case WORD in` ends here: patterns follow.
            if pending.case_header && c.words.len() == 3 {
                if c.words[2].text == "in" {
                    self.flush(pending, depth, None);
                    self.case_pattern = true;
                } else {
                    pending.case_header = false;
                }
            }
            return;
        }
        if c.words.is_empty() {
            let t = w.text.as_str();
            if RESERVED.contains(&t) {
                if t == "esac" {
                    self.close_arm();
                    if let Some(open) = self.open.pop() {
                        self.close_case(open);
                    }
                    self.case_pattern = false;
                }
                c.keywords.push(w);
                return;
            }
            if matches!(t, "for" | "select" | "case") {
                // A header: not a command. `for x in a b` ends at the separator; the loop
                // body comes after `do`.
                pending.case_header = t == "case";
                c.header = true;
                c.words.push(w);
                return;
            }
            if is_assignment(self.text.get(start..at).unwrap_or("")) {
                c.assignments.push(w);
                return;
            }
        }
        c.words.push(w);
    }

    /// A keyword that is not a word (a parenthesis).
    fn keyword(&mut self, pending: &mut Pending, text: &str, start: usize, end: usize) {
        pending.touch(start, end);
        pending.command.keywords.push(Word {
            text: text.to_string(),
            span: self.map.source_span(start, end),
            raw: Span::new(start as u32, end as u32),
        });
    }

    fn redirect(
        &mut self,
        pending: &mut Pending,
        op: &str,
        fd: Option<String>,
        start: usize,
        end: usize,
    ) {
        pending.touch(start, end);
        let span = self.map.source_span(start, end);
        pending.command.redirects.push(Redirect {
            op: op.to_string(),
            fd,
            target: None,
            span,
            raw: Span::new(start as u32, end as u32),
        });
        pending.redirect_end = Some(span);
        pending.wants_target = true;
    }

    /// Files the pending command (when it has anything) with the operator after it.
    fn flush(&mut self, pending: &mut Pending, depth: u32, op: Option<&'static str>) {
        let done = std::mem::take(pending);
        if done.is_empty() {
            return;
        }
        if done.command.header && done.case_header {
            self.open_case(&done.command);
        }
        let mut command = done.command;
        let start = done.start.unwrap_or(0);
        command.range = Span::new(start as u32, done.end as u32);
        command.span = match (command.words.first(), command.words.last()) {
            (Some(first), Some(last)) if !command.header => {
                let span = first.span.cover(last.span);
                done.redirect_end.map_or(span, |r| span.cover(r))
            }
            _ => self.map.source_span(start, done.end),
        };
        command.depth = depth;
        command.followed_by = op;
        self.all.push(command);
    }

    /// A `case` header was read: the statement starts with the next command.
    fn open_case(&mut self, header: &Command) {
        self.cases.push(Case {
            subject: header.words.get(1).cloned(),
            arms: Vec::new(),
            commands: self.all.len() + 1..self.all.len() + 1,
        });
        self.open.push(self.cases.len() - 1);
    }

    /// The `)` after a pattern: the words read so far are the arm's patterns.
    fn open_arm(&mut self, pending: &mut Pending) {
        let done = std::mem::take(pending);
        self.case_pattern = false;
        let Some(&case) = self.open.last() else {
            return;
        };
        let mut patterns = done.command.keywords;
        patterns.extend(done.command.assignments);
        patterns.extend(done.command.words);
        crate::sort::sort_by_key(&mut patterns, |w| w.raw.start);
        let at = self.all.len();
        self.cases[case].arms.push(Arm {
            patterns,
            commands: at..at,
        });
    }

    /// `;;` or `esac`: the open arm ends with the commands read so far.
    fn close_arm(&mut self) {
        let at = self.all.len();
        if let Some(arm) = self
            .open
            .last()
            .and_then(|&c| self.cases[c].arms.last_mut())
        {
            if arm.commands.end == arm.commands.start {
                arm.commands.end = at;
            }
        }
    }

    fn close_case(&mut self, case: usize) {
        let at = self.all.len();
        let c = &mut self.cases[case];
        c.commands.start = c.commands.start.min(at);
        c.commands.end = at;
        for arm in &mut c.arms {
            if arm.commands.end < arm.commands.start {
                arm.commands.end = arm.commands.start;
            }
        }
    }
}

/// Index of the `close` matching the `open` at `at`, or `end` when unbalanced. Single-quoted
/// text and escaped characters are skipped.
fn matching(bytes: &[u8], at: usize, end: usize, open: u8, close: u8) -> usize {
    let mut level = 0i32;
    let mut i = at;
    while i < end {
        match bytes[i] {
            b if b == open => level += 1,
            b if b == close => {
                level -= 1;
                if level == 0 {
                    return i;
                }
            }
            b'\'' => {
                i += 1;
                while i < end && bytes[i] != b'\'' {
                    i += 1;
                }
            }
            b'\\' => i += 1,
            _ => {}
        }
        i += 1;
    }
    end
}
