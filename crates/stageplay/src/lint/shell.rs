//! A small POSIX-shell reader for RUN commands: enough to find commands, their arguments and
//! pipes, with source spans so that fixes can edit the Dockerfile text.
//!
//! It mirrors what hadolint reads through ShellCheck (`presentCommands`, `getArgsNoFlags`,
//! `hasFlag`, `dropFlagArg`): leading `NAME=value` assignments are skipped, redirections are
//! not arguments, commands inside `$(…)` and backticks are found too. It is a reader, not a
//! validator: odd input gives fewer commands, never a panic.

use crate::span::Span;

/// Source text with Dockerfile line continuations removed, and a map back to source offsets.
#[derive(Debug, Clone, Default)]
pub struct Cooked {
    pub text: String,
    /// `offsets[i]` is the source offset of `text` byte `i`; one extra entry for the end.
    pub offsets: Vec<u32>,
}

impl Cooked {
    /// Source span of cooked byte range `start..end`.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        let s = self.offsets.get(start).copied().unwrap_or(0);
        let e = if end == 0 {
            s
        } else {
            self.offsets.get(end - 1).map_or(s, |o| o + 1)
        };
        Span::new(s, e.max(s))
    }
}

/// Removes `escape` + newline continuations (and the comment or empty lines BuildKit drops
/// inside them) from `source[span]`.
pub fn cook(source: &str, span: Span, escape: char) -> Cooked {
    let mut out = Cooked::default();
    let Some(region) = source.get(span.range()) else {
        out.offsets.push(span.start);
        return out;
    };
    let base = span.start as usize;
    let bytes = region.as_bytes();
    // The cooked text is at most the region: reserve once instead of growing per character.
    out.text.reserve(region.len());
    out.offsets.reserve(region.len() + 1);
    let mut i = 0usize;
    let esc = escape as u32;
    while i < bytes.len() {
        let c = region[i..].chars().next().unwrap_or(' ');
        if c as u32 == esc {
            // Escape followed by optional blanks and a newline: a continuation.
            let mut j = i + c.len_utf8();
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'\r' {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'\n' {
                j += 1;
                // Drop comment lines and empty lines that follow.
                loop {
                    let mut k = j;
                    while k < bytes.len() && (bytes[k] == b' ' || bytes[k] == b'\t') {
                        k += 1;
                    }
                    if k < bytes.len()
                        && (bytes[k] == b'#' || bytes[k] == b'\n' || bytes[k] == b'\r')
                    {
                        while k < bytes.len() && bytes[k] != b'\n' {
                            k += 1;
                        }
                        if k < bytes.len() {
                            j = k + 1;
                            continue;
                        }
                        j = k;
                    }
                    break;
                }
                i = j;
                continue;
            }
        }
        let len = c.len_utf8();
        out.text.push(c);
        for b in 0..len {
            out.offsets.push((base + i + b) as u32);
        }
        i += len;
    }
    out.offsets.push((base + region.len()) as u32);
    out
}

/// One word of a command: its text with quotes removed, and where it is in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellWord {
    pub text: String,
    pub span: Span,
}

/// A simple command: `name arg…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub name: String,
    pub name_span: Span,
    pub args: Vec<ShellWord>,
    /// From the name to the end of the last argument (or redirection).
    pub span: Span,
    /// 0 for top-level commands, more inside `$(…)` or backticks.
    pub depth: u32,
    /// The operator after the command (`&&`, `||`, `;`, `|`, `&`, newline as `\n`), if any.
    pub followed_by: Option<&'static str>,
}

/// A shell script as lint rules see it.
#[derive(Debug, Clone, Default)]
pub struct Script {
    pub commands: Vec<Command>,
    pub has_pipe: bool,
    /// The cooked text (continuations removed), as hadolint's `original`.
    pub original: String,
    /// False for exec-form RUNs: spans point into JSON strings and must not be edited.
    pub editable: bool,
}

impl Command {
    /// Flags as hadolint splits them: `--name[=v]` gives `name`, `-abc` gives `a`, `b`, `c`.
    /// Each flag carries the index of the argument it came from.
    pub fn flags(&self) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        for (i, a) in self.args.iter().enumerate() {
            let t = a.text.as_str();
            if t == "-" || t == "--" {
                continue;
            }
            if let Some(long) = t.strip_prefix("--") {
                out.push((long.split('=').next().unwrap_or("").to_string(), i));
            } else if let Some(short) = t.strip_prefix('-') {
                for c in short.chars() {
                    out.push((c.to_string(), i));
                }
            }
        }
        out
    }

    pub fn has_flag(&self, name: &str) -> bool {
        self.flags().iter().any(|(f, _)| f == name)
    }

    pub fn has_any_flag(&self, names: &[&str]) -> bool {
        self.flags()
            .iter()
            .any(|(f, _)| names.contains(&f.as_str()))
    }

    pub fn has_any_arg(&self, args: &[&str]) -> bool {
        self.args.iter().any(|a| args.contains(&a.text.as_str()))
    }

    pub fn has_arg(&self, arg: &str) -> bool {
        self.args.iter().any(|a| a.text == arg)
    }

    /// hadolint's `cmdHasArgs`: the name is `name` and one of `args` is among the arguments.
    pub fn is(&self, name: &str, any_arg: &[&str]) -> bool {
        self.name == name && self.args.iter().any(|a| any_arg.contains(&a.text.as_str()))
    }

    /// Arguments that are not flags, without the values of the flags in `value_flags`
    /// (the argument right after such a flag, when the flag has no `=value`).
    pub fn operands(&self, value_flags: &[&str]) -> Vec<&ShellWord> {
        let mut skip = vec![false; self.args.len()];
        for (i, a) in self.args.iter().enumerate() {
            let t = a.text.as_str();
            if t.starts_with('-') && t != "-" && t != "--" {
                skip[i] = true;
                let name = t.trim_start_matches('-');
                let takes_value = if t.starts_with("--") {
                    !name.contains('=') && value_flags.contains(&name)
                } else {
                    name.chars()
                        .last()
                        .is_some_and(|c| value_flags.contains(&c.to_string().as_str()))
                        && name.chars().count() == 1
                };
                if takes_value && i + 1 < skip.len() {
                    skip[i + 1] = true;
                }
            }
        }
        self.args
            .iter()
            .zip(skip)
            .filter(|(_, s)| !s)
            .map(|(a, _)| a)
            .collect()
    }

    /// The first argument equal to one of `words` (e.g. the `install` sub-command).
    pub fn find_arg(&self, words: &[&str]) -> Option<&ShellWord> {
        self.args.iter().find(|a| words.contains(&a.text.as_str()))
    }

    /// The command name without its directory (`/usr/bin/pip3` → `pip3`).
    pub fn basename(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }
}

/// Reads `cooked` as a shell script.
pub fn parse(cooked: &Cooked) -> Script {
    let mut reader = Reader {
        cooked,
        script: Script::default(),
        case_pattern: false,
    };
    reader.script.original = cooked.text.clone();
    reader.script.editable = true;
    reader.read(0, cooked.text.len(), 0);
    reader.script
}

/// A script from exec-form items (one command, not editable).
pub fn from_exec(items: &[(String, Span)]) -> Script {
    let mut script = Script {
        original: items
            .iter()
            .map(|i| i.0.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        ..Script::default()
    };
    if let Some(((name, name_span), rest)) = items.split_first() {
        let args: Vec<ShellWord> = rest
            .iter()
            .map(|(t, s)| ShellWord {
                text: t.clone(),
                span: *s,
            })
            .collect();
        let end = args.last().map_or(*name_span, |a| a.span);
        script.commands.push(Command {
            name: name.clone(),
            name_span: *name_span,
            args,
            span: name_span.cover(end),
            depth: 0,
            followed_by: None,
        });
    }
    script
}

const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "{", "}", "!", "esac",
];

struct Reader<'a> {
    cooked: &'a Cooked,
    script: Script,
    /// Between `case WORD in` (or `;;`) and the `)` ending a pattern: `|` separates
    /// alternatives there, it is not a pipe.
    case_pattern: bool,
}

struct Pending {
    words: Vec<ShellWord>,
    end: Option<Span>,
    skip_next: bool,
}

impl Reader<'_> {
    fn read(&mut self, start: usize, end: usize, depth: u32) {
        let text = self.cooked.text.as_str();
        let bytes = text.as_bytes();
        let mut pending = Pending {
            words: Vec::new(),
            end: None,
            skip_next: false,
        };
        let mut word = String::new();
        let mut word_start: Option<usize> = None;
        let mut i = start;
        let mut in_case = false;
        macro_rules! end_word {
            () => {
                if let Some(ws) = word_start.take() {
                    let span = self.cooked.source_span(ws, i);
                    if pending.skip_next {
                        pending.skip_next = false;
                        pending.end = Some(span);
                    } else {
                        pending.words.push(ShellWord {
                            text: std::mem::take(&mut word),
                            span,
                        });
                    }
                    word.clear();
                    // `case WORD in` ends here: patterns follow.
                    if matches!(pending.words.as_slice(), [c, _, w] if c.text == "case" && w.text == "in") {
                        self.flush(&mut pending, depth, None, &mut in_case);
                    }
                }
            };
        }
        while i < end {
            let c = text[i..].chars().next().unwrap_or(' ');
            let len = c.len_utf8();
            match c {
                ' ' | '\t' | '\r' => {
                    end_word!();
                    i += len;
                }
                '|' if self.case_pattern => {
                    end_word!();
                    i += 1;
                }
                ')' if self.case_pattern => {
                    end_word!();
                    pending.words.clear();
                    self.case_pattern = false;
                    i += 1;
                }
                '(' if self.case_pattern && word_start.is_none() => i += 1,
                '\n' | ';' | '&' | '|' => {
                    end_word!();
                    let (op, n): (&'static str, usize) = match (c, bytes.get(i + 1).copied()) {
                        ('&', Some(b'&')) => ("&&", 2),
                        ('|', Some(b'|')) => ("||", 2),
                        ('|', Some(b'&')) => ("|", 2),
                        (';', Some(b';')) => (";;", 2),
                        ('&', Some(b'>')) => {
                            // `&>file` redirection.
                            i += 2;
                            if bytes.get(i) == Some(&b'>') {
                                i += 1;
                            }
                            pending.skip_next = true;
                            continue;
                        }
                        ('\n', _) => ("\n", 1),
                        (';', _) => (";", 1),
                        ('&', _) => ("&", 1),
                        _ => ("|", 1),
                    };
                    if op == "|" {
                        self.script.has_pipe = true;
                    }
                    self.flush(&mut pending, depth, Some(op), &mut in_case);
                    i += n;
                }
                '(' | ')' if word_start.is_none() => {
                    self.flush(&mut pending, depth, Some(";"), &mut in_case);
                    i += 1;
                }
                '#' if word_start.is_none() => {
                    while i < end && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                '<' | '>' => {
                    // A digit-only word right before is the file descriptor.
                    if word_start.is_some()
                        && !word.is_empty()
                        && word.chars().all(|d| d.is_ascii_digit())
                    {
                        word.clear();
                        word_start = None;
                    } else {
                        end_word!();
                    }
                    let op_start = i;
                    i += 1;
                    while i < end && matches!(bytes[i], b'<' | b'>' | b'&' | b'|') {
                        i += 1;
                    }
                    pending.end = Some(self.cooked.source_span(op_start, i));
                    pending.skip_next = true;
                }
                '\'' => {
                    word_start.get_or_insert(i);
                    i += 1;
                    while i < end && bytes[i] != b'\'' {
                        let ch = text[i..].chars().next().unwrap_or(' ');
                        word.push(ch);
                        i += ch.len_utf8();
                    }
                    i = (i + 1).min(end);
                }
                '"' => {
                    word_start.get_or_insert(i);
                    i += 1;
                    while i < end && bytes[i] != b'"' {
                        if bytes[i] == b'\\' && i + 1 < end {
                            let next = bytes[i + 1];
                            if matches!(next, b'"' | b'\\' | b'$' | b'`') {
                                word.push(next as char);
                                i += 2;
                                continue;
                            }
                        }
                        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'(') {
                            let close = matching(bytes, i + 1, end);
                            self.read(i + 2, close.min(end), depth + 1);
                            word.push_str(&text[i..(close + 1).min(end)]);
                            i = (close + 1).min(end);
                            continue;
                        }
                        let ch = text[i..].chars().next().unwrap_or(' ');
                        word.push(ch);
                        i += ch.len_utf8();
                    }
                    i = (i + 1).min(end);
                }
                '\\' => {
                    word_start.get_or_insert(i);
                    if i + 1 < end {
                        let ch = text[i + 1..].chars().next().unwrap_or(' ');
                        if ch != '\n' {
                            word.push(ch);
                        }
                        i += 1 + ch.len_utf8();
                    } else {
                        i += 1;
                    }
                }
                '`' => {
                    word_start.get_or_insert(i);
                    let mut j = i + 1;
                    while j < end && bytes[j] != b'`' {
                        j += if bytes[j] == b'\\' { 2 } else { 1 };
                    }
                    let close = j.min(end);
                    self.read(i + 1, close, depth + 1);
                    word.push_str(&text[i..(close + 1).min(end)]);
                    i = (close + 1).min(end);
                }
                '$' if bytes.get(i + 1) == Some(&b'(') => {
                    word_start.get_or_insert(i);
                    let close = matching(bytes, i + 1, end);
                    let arithmetic = bytes.get(i + 2) == Some(&b'(');
                    if !arithmetic {
                        self.read(i + 2, close.min(end), depth + 1);
                    }
                    word.push_str(&text[i..(close + 1).min(end)]);
                    i = (close + 1).min(end);
                }
                '$' if bytes.get(i + 1) == Some(&b'{') => {
                    word_start.get_or_insert(i);
                    let mut j = i + 2;
                    while j < end && bytes[j] != b'}' {
                        j += 1;
                    }
                    let close = (j + 1).min(end);
                    word.push_str(&text[i..close]);
                    i = close;
                }
                _ => {
                    word_start.get_or_insert(i);
                    word.push(c);
                    i += len;
                }
            }
        }
        end_word!();
        self.flush(&mut pending, depth, None, &mut in_case);
    }

    fn flush(
        &mut self,
        pending: &mut Pending,
        depth: u32,
        op: Option<&'static str>,
        in_case: &mut bool,
    ) {
        if op == Some(";;") && *in_case {
            self.case_pattern = true;
        }
        let words = std::mem::take(&mut pending.words);
        let redirect_end = pending.end.take();
        pending.skip_next = false;
        let mut iter = words.into_iter().peekable();
        // Reserved words and assignments before the command name.
        while let Some(w) = iter.peek() {
            let t = w.text.as_str();
            if t == "esac" {
                *in_case = false;
                self.case_pattern = false;
            }
            if RESERVED.contains(&t) {
                iter.next();
                continue;
            }
            if t == "for" || t == "select" {
                // `for x in a b` ends at the separator; the loop body comes after `do`.
                return;
            }
            if t == "case" {
                *in_case = true;
                self.case_pattern = true;
                return;
            }
            if is_assignment(t) {
                iter.next();
                continue;
            }
            break;
        }
        if *in_case {
            if iter.peek().is_some_and(|w| w.text == "esac") {
                *in_case = false;
            }
            // A case pattern `x)` splits the command; skip the pattern part.
            if iter.peek().is_none() {
                return;
            }
        }
        let Some(name) = iter.next() else { return };
        let args: Vec<ShellWord> = iter.collect();
        let mut span = name.span;
        if let Some(last) = args.last() {
            span = span.cover(last.span);
        }
        if let Some(r) = redirect_end {
            span = span.cover(r);
        }
        self.script.commands.push(Command {
            name: name.text,
            name_span: name.span,
            args,
            span,
            depth,
            followed_by: op,
        });
    }
}

fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Index of the `)` matching the `(` at `open`, or `end` when unbalanced.
fn matching(bytes: &[u8], open: usize, end: usize) -> usize {
    let mut level = 0i32;
    let mut i = open;
    while i < end {
        match bytes[i] {
            b'(' => level += 1,
            b')' => {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn script(s: &str) -> Script {
        parse(&cook(s, Span::new(0, s.len() as u32), '\\'))
    }

    #[test]
    fn splits_commands_and_skips_assignments_and_redirections() {
        let s = script("DEBIAN_FRONTEND=noninteractive apt-get install -y \\\n  curl > /dev/null 2>&1 && rm -rf /x | tee");
        let names: Vec<&str> = s.commands.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["apt-get", "rm", "tee"]);
        let args: Vec<&str> = s.commands[0].args.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(args, ["install", "-y", "curl"]);
        assert!(s.has_pipe);
        let text = "DEBIAN_FRONTEND=noninteractive apt-get install -y \\\n  curl > /dev/null 2>&1 && rm -rf /x | tee";
        assert_eq!(&text[s.commands[0].args[2].span.range()], "curl");
    }

    #[test]
    fn finds_commands_in_substitutions_and_control_flow() {
        let s = script(
            "if [ -f x ]; then cd \"$(dirname x)\"; fi; for f in a b; do echo `wget q`; done",
        );
        let names: Vec<&str> = s.commands.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["[", "dirname", "cd", "wget", "echo"]);
        assert!(!s.has_pipe);
    }

    #[test]
    fn case_pattern_alternatives_are_not_pipes() {
        let s = script("case \"$a\" in\n  x86_64|aarch64) echo 64 ;;\n  (i386 | armhf) echo 32 ;;\n  *) exit 1 ;;\nesac; uname -m");
        let names: Vec<&str> = s.commands.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["echo", "echo", "exit", "uname"]);
        assert!(!s.has_pipe);
        let s = script("case $a in a|b) cat x | sort ;; esac");
        let names: Vec<&str> = s.commands.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["cat", "sort"]);
        assert!(s.has_pipe);
    }

    #[test]
    fn comment_lines_inside_continuations_are_dropped() {
        let s = script("apt-get install \\\n# comment\n  curl");
        assert_eq!(s.commands.len(), 1);
        assert_eq!(s.commands[0].args.len(), 2);
    }
}
