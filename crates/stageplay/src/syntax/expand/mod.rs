//! Variable expansion as BuildKit's `frontend/dockerfile/shell/lex.go` does it.
//!
//! Supported: `$V ${V} ${V:-w} ${V-w} ${V:+w} ${V+w} ${V:?m} ${V?m} ${V#p} ${V##p}
//! ${V%p} ${V%%p} ${V/p/r} ${V//p/r}`, special parameters (`$1`, `$@`, …, always unset
//! unless the lookup knows them), single quotes (literal), double quotes (only `$` and the
//! escape character are special), and the escape character. Patterns use `*` and `?` (no
//! bracket expressions), as BuildKit's do.
//!
//! [`expand`] is BuildKit's `ProcessWord` (quotes removed, escapes applied): what the
//! instruction layer does to FROM images, COPY paths, ENV values and the like.
//! [`expand_raw`] keeps quotes and escapes (only substitutes), and [`expand_words`] is
//! `ProcessWords` (the result split into words, quotes respected). [`Lex`] holds the options
//! for everything else; [`Lex::process_spanned`] also gives each word's byte range in the input
//! (the heredoc markers of a line are found that way).
//!
//! This is the engine's one expander. Its options settle what the callers differ on:
//! - an unset variable ([`Unset`]): the empty string where BuildKit expands (FROM, ARG, ENV,
//!   COPY…), or kept as written where a shell may still set it (RUN words, paths a build step
//!   names). A caller that must know whether every name is declared looks the names up
//!   itself (its `lookup` sees every name the word references);
//! - command substitutions ([`Lex::substitutions`]): kept as written inside a RUN word;
//! - the `${…}` forms ([`Grammar`]): today's BuildKit, or v0.12's (what the heredoc oracle,
//!   PyPI `dockerfile` 3.4.0, reads a line's heredoc markers with);
//! - the work: every expansion of one pass over a file draws on one [`Budget`], so chains of
//!   ARG or ENV values that double each time stop, unexpanded, at a size linear in the input.

mod pattern;
#[cfg(test)]
mod tests;

use super::gocompat::go_quote;
use pattern::{compile_pattern, replace, trim_prefix, trim_suffix};
use std::cell::Cell;
use std::fmt;

/// What a reference to an unset variable (the lookup gives `None`) expands to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unset {
    /// The empty string, as BuildKit's `ProcessWord` does.
    #[default]
    Empty,
    /// The reference as written (`$V`, `${V}`, `${V:+w}`, `${V%p}`…), for text a shell runs
    /// later and may set the variable first; a default (`${V:-w}`, `${V-w}`) still applies,
    /// as it would for a variable the shell leaves unset.
    Keep,
    /// Every reference to an unset variable as written, defaults too (`${V:-w}` stays
    /// `${V:-w}`): BuildKit's `SkipUnsetEnv`, with which it splits a line to find heredocs.
    Verbatim,
}

/// Which `${…}` forms the lexer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grammar {
    /// Today's BuildKit: `${V:-w}`, `${V-w}`, `+`, `?`, `#`, `##`, `%`, `%%`, `/`, `//`.
    #[default]
    Current,
    /// BuildKit v0.12 (the heredoc oracle's parser): only `${V}`, `${V+w}`, `${V-w}`, `${V?w}`
    /// and `${V:Xw}` with any character `X` (unsupported ones fail only when the variable is
    /// set); a modifier's word keeps the lexer's raw escapes, and anything else after the name
    /// fails with "missing ':' in substitution".
    V0_12,
}

/// The bytes that variable values may add to the expansions of one pass over a file.
///
/// Each substituted value (and each `${V/p/r}` result) is charged. Without a cap, a chain like
/// `ARG V1=${V0}${V0}`, `ARG V2=${V1}${V1}`, … doubles a value per line: 30 lines ask for a
/// gigabyte. Once the budget is spent every later expansion drawing on it fails with an
/// [`ExpandError`] (before it looks a value up), so the caller keeps its text as written and
/// says so, and the total work and memory stay linear in the input.
#[derive(Debug)]
pub struct Budget {
    limit: usize,
    left: Cell<usize>,
    spent: Cell<bool>,
}

impl Budget {
    /// What every input gets, whatever its size.
    pub const BASE: usize = 1 << 20;
    /// And per byte of input.
    pub const PER_INPUT_BYTE: usize = 16;

    /// A budget of `limit` bytes.
    pub fn new(limit: usize) -> Budget {
        Budget {
            limit,
            left: Cell::new(limit),
            spent: Cell::new(false),
        }
    }

    /// The budget for a pass over an input of `len` bytes: [`Budget::BASE`] plus
    /// [`Budget::PER_INPUT_BYTE`] per byte.
    pub fn for_input(len: usize) -> Budget {
        Budget::new(Budget::BASE.saturating_add(len.saturating_mul(Budget::PER_INPUT_BYTE)))
    }

    /// True once an expansion asked for more than was left.
    pub fn is_spent(&self) -> bool {
        self.spent.get()
    }

    /// Takes `bytes` from the budget, or marks it spent and fails.
    fn charge(&self, bytes: usize) -> Result<(), String> {
        if !self.spent.get() {
            if let Some(left) = self.left.get().checked_sub(bytes) {
                self.left.set(left);
                return Ok(());
            }
            self.spent.set(true);
        }
        Err(self.message())
    }

    fn check(&self) -> Result<(), String> {
        if self.spent.get() {
            Err(self.message())
        } else {
            Ok(())
        }
    }

    fn message(&self) -> String {
        format!(
            "expansion stopped: variable values would add more than {} bytes to this file's expansions",
            self.limit
        )
    }
}

/// An expansion error, with BuildKit's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandError {
    /// The word that failed.
    pub word: String,
    /// BuildKit's message without the `failed to process` prefix, e.g. `syntax error: missing '}'`.
    pub message: String,
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to process {}: {}",
            go_quote(&self.word),
            self.message
        )
    }
}

impl std::error::Error for ExpandError {}

/// Options of BuildKit's `shell.Lex`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lex {
    /// The escape character (`\` or `` ` ``).
    pub escape: char,
    /// Keep quote characters in the result.
    pub raw_quotes: bool,
    /// Keep escape characters in the result.
    pub raw_escapes: bool,
    /// What unset variables expand to.
    pub unset: Unset,
    /// Shell text (a RUN word): `$(…)`, `$((…))` and backticks are kept as written, whole
    /// (the shell runs them later), and `\`` is an escape inside double quotes.
    pub substitutions: bool,
    /// The `${…}` forms read.
    pub grammar: Grammar,
}

/// A word of [`Lex::process_spanned`]: its text after expansion and the byte range of the input
/// it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl Lex {
    /// The default lexer for `escape`: quotes removed, escapes applied, unset variables empty.
    pub fn new(escape: char) -> Lex {
        Lex {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            unset: Unset::Empty,
            substitutions: false,
            grammar: Grammar::Current,
        }
    }

    /// Expands `word`: the whole result and the result split into words.
    pub fn process(
        &self,
        word: &str,
        lookup: &dyn Fn(&str) -> Option<String>,
        budget: &Budget,
    ) -> Result<(String, Vec<String>), ExpandError> {
        self.process_spanned(word, lookup, budget)
            .map(|(whole, words)| (whole, words.into_iter().map(|w| w.text).collect()))
    }

    /// Expands `word`: the whole result and its words, each with the byte range of `word` it
    /// came from (from the first to the last character that made it).
    pub fn process_spanned(
        &self,
        word: &str,
        lookup: &dyn Fn(&str) -> Option<String>,
        budget: &Budget,
    ) -> Result<(String, Vec<Word>), ExpandError> {
        let mut shell = Shell {
            text: word,
            pos: 0,
            lex: *self,
            raw_escapes: self.raw_escapes,
            lookup,
            budget,
        };
        shell
            .process_stop_on(None, self.raw_escapes)
            .map_err(|message| ExpandError {
                word: word.to_string(),
                message,
            })
    }
}

/// BuildKit's `ProcessWord`: variables substituted, quotes removed, escapes applied.
pub fn expand(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
    budget: &Budget,
) -> Result<String, ExpandError> {
    Lex::new(escape)
        .process(word, lookup, budget)
        .map(|(w, _)| w)
}

/// Substitution only: quotes and escape characters are kept as written.
pub fn expand_raw(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
    budget: &Budget,
) -> Result<String, ExpandError> {
    let lex = Lex {
        raw_quotes: true,
        raw_escapes: true,
        ..Lex::new(escape)
    };
    lex.process(word, lookup, budget).map(|(w, _)| w)
}

/// BuildKit's `ProcessWords`: the expansion split into words (quoted parts stay whole).
pub fn expand_words(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
    budget: &Budget,
) -> Result<Vec<String>, ExpandError> {
    Lex::new(escape)
        .process(word, lookup, budget)
        .map(|(_, words)| words)
}

struct Shell<'a> {
    text: &'a str,
    /// Byte offset of the next character.
    pos: usize,
    lex: Lex,
    raw_escapes: bool,
    lookup: &'a dyn Fn(&str) -> Option<String>,
    budget: &'a Budget,
}

/// The words being split, each with the byte range it came from: a character added at `at..end`
/// extends the current word to `end` (or starts one at `at`).
#[derive(Default)]
struct Words {
    buf: String,
    start: usize,
    end: usize,
    in_word: bool,
    words: Vec<Word>,
}

impl Words {
    fn add_char(&mut self, c: char, at: usize, end: usize) {
        if c.is_whitespace() && self.in_word {
            if !self.buf.is_empty() {
                self.flush();
            }
        } else if !c.is_whitespace() {
            self.add_raw_char(c, at, end);
        }
    }

    fn add_raw_char(&mut self, c: char, at: usize, end: usize) {
        self.begin(at, end);
        self.buf.push(c);
    }

    fn add_string(&mut self, s: &str, at: usize, end: usize) {
        for c in s.chars() {
            self.add_char(c, at, end);
        }
    }

    fn add_raw_string(&mut self, s: &str, at: usize, end: usize) {
        self.begin(at, end);
        self.buf.push_str(s);
    }

    fn begin(&mut self, at: usize, end: usize) {
        if !self.in_word || self.buf.is_empty() {
            self.start = at;
        }
        self.end = end;
        self.in_word = true;
    }

    fn flush(&mut self) {
        self.words.push(Word {
            text: std::mem::take(&mut self.buf),
            start: self.start,
            end: self.end,
        });
        self.in_word = false;
    }

    fn finish(mut self) -> Vec<Word> {
        if !self.buf.is_empty() {
            self.flush();
        }
        self.words
    }
}

type Step<T> = Result<T, String>;

impl Shell<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Step<(String, Vec<Word>)> {
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let result = self.stop_on(stop);
        self.raw_escapes = saved;
        result
    }

    fn stop_on(&mut self, stop: Option<char>) -> Step<(String, Vec<Word>)> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(c) = self.peek() {
            let at = self.pos;
            if Some(c) == stop {
                self.next();
                return Ok((result, words.finish()));
            }
            match c {
                '$' | '`' if self.at_substitution() => {
                    let tmp = self.substitution();
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp, at, self.pos);
                }
                '$' => {
                    let tmp = self.dollar()?;
                    result.push_str(&tmp);
                    words.add_string(&tmp, at, self.pos);
                }
                '\'' => {
                    let tmp = self.single_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp, at, self.pos);
                }
                '"' => {
                    let tmp = self.double_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp, at, self.pos);
                }
                _ => {
                    self.next();
                    let mut ch = c;
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            words.add_raw_char(ch, at, self.pos);
                            result.push(ch);
                        }
                        match self.next() {
                            None => break,
                            Some(escaped) => ch = escaped,
                        }
                        words.add_raw_char(ch, at, self.pos);
                    } else {
                        words.add_char(ch, at, self.pos);
                    }
                    result.push(ch);
                }
            }
        }
        if let Some(stop) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {stop}"
            ));
        }
        Ok((result, words.finish()))
    }

    fn single_quote(&mut self) -> Step<String> {
        let mut out = String::new();
        self.next();
        if self.lex.raw_quotes {
            out.push('\'');
        }
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    )
                }
                Some('\'') => {
                    if self.lex.raw_quotes {
                        out.push('\'');
                    }
                    return Ok(out);
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quote(&mut self) -> Step<String> {
        let mut out = String::new();
        self.next();
        if self.lex.raw_quotes {
            out.push('"');
        }
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    )
                }
                Some('"') => {
                    self.next();
                    if self.lex.raw_quotes {
                        out.push('"');
                    }
                    return Ok(out);
                }
                Some('$' | '`') if self.at_substitution() => {
                    let text = self.substitution();
                    out.push_str(&text);
                }
                Some('$') => {
                    let value = self.dollar()?;
                    out.push_str(&value);
                }
                Some(c) => {
                    self.next();
                    let mut ch = c;
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            out.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some(n)
                                if n == '"'
                                    || n == '$'
                                    || n == self.lex.escape
                                    || (n == '`' && self.lex.substitutions) =>
                            {
                                self.next();
                                ch = n;
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(ch);
                }
            }
        }
    }

    /// With [`Lex::substitutions`]: a `$(` or a backtick starts here.
    fn at_substitution(&self) -> bool {
        self.lex.substitutions
            && match self.peek() {
                Some('`') => true,
                Some('$') => self.text[self.pos..].starts_with("$("),
                _ => false,
            }
    }

    /// The `$(…)` (parentheses nested, quoted text skipped) or backticks starting here, as
    /// written; an unclosed one runs to the end.
    fn substitution(&mut self) -> String {
        let start = self.pos;
        if self.next() == Some('`') {
            while let Some(c) = self.next() {
                match c {
                    '`' => break,
                    '\\' => {
                        self.next();
                    }
                    _ => {}
                }
            }
        } else {
            let mut depth = 0usize;
            while let Some(c) = self.next() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            break;
                        }
                    }
                    '\\' => {
                        self.next();
                    }
                    '\'' => while self.next().is_some_and(|q| q != '\'') {},
                    _ => {}
                }
            }
        }
        self.text[start..self.pos].to_string()
    }

    /// The value of `name`, charged to the budget.
    fn get(&self, name: &str) -> Step<Option<String>> {
        self.budget.check()?;
        let value = (self.lookup)(name);
        if let Some(v) = &value {
            self.budget.charge(v.len())?;
        }
        Ok(value)
    }

    /// An unset variable's reference stays as written.
    fn keep(&self) -> bool {
        self.lex.unset != Unset::Empty
    }

    fn dollar(&mut self) -> Step<String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(match self.get(&name)? {
                Some(value) => value,
                None if self.keep() => format!("${name}"),
                None => String::new(),
            });
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            Some(_) => {}
        }
        let name = self.name();
        let v0_12 = self.lex.grammar == Grammar::V0_12;
        let Some(mut ch) = self.next() else {
            if v0_12 {
                return Err("missing ':' in substitution".into());
            }
            // Go's scanner returns EOF, printed as U+FFFD.
            return Err("unsupported modifier (\u{FFFD}) in substitution".into());
        };
        if v0_12 && !matches!(ch, '}' | ':' | '+' | '-' | '?') {
            return Err("missing ':' in substitution".into());
        }
        let mut modifier = ch.to_string();
        match ch {
            '}' => Ok(match self.get(&name)? {
                Some(value) => value,
                None if self.keep() => format!("${{{name}}}"),
                None => String::new(),
            }),
            ':' | '+' | '-' | '?' | '#' | '%' => {
                let null_is_unset = ch == ':';
                if null_is_unset {
                    match self.next() {
                        Some(c) => {
                            ch = c;
                            modifier.push(c);
                        }
                        None => ch = '\0',
                    }
                }
                // v0.12 reads any character after `:` and keeps the lexer's raw escapes.
                let raw = if v0_12 {
                    self.lex.raw_escapes
                } else {
                    ch == '#' || ch == '%'
                };
                if null_is_unset && !v0_12 && raw {
                    return Err(format!("unsupported modifier ({modifier}) in substitution"));
                }
                let mut word = self.modifier_word('}', raw, "syntax error: missing '}'")?;
                let value = self.get(&name)?;
                let default_applies = ch == '-' && self.lex.unset != Unset::Verbatim;
                if self.keep() && value.is_none() && !default_applies {
                    return Ok(format!("${{{name}{modifier}{word}}}"));
                }
                if v0_12 && !matches!(ch, '-' | '+' | '?') {
                    return Err(format!("unsupported modifier ({ch}) in substitution"));
                }
                let unset = value.is_none();
                let value = value.unwrap_or_default();
                match ch {
                    '-' => Ok(if unset || (null_is_unset && value.is_empty()) {
                        word
                    } else {
                        value
                    }),
                    '+' => Ok(if unset || (null_is_unset && value.is_empty()) {
                        String::new()
                    } else {
                        word
                    }),
                    '?' => {
                        if unset {
                            let m = if word.is_empty() {
                                "is not allowed to be unset".to_string()
                            } else {
                                word
                            };
                            return Err(format!("{name}: {m}"));
                        }
                        if null_is_unset && value.is_empty() {
                            let m = if word.is_empty() {
                                "is not allowed to be empty".to_string()
                            } else {
                                word
                            };
                            return Err(format!("{name}: {m}"));
                        }
                        Ok(value)
                    }
                    '%' | '#' => {
                        let greedy = word.starts_with(ch);
                        if greedy {
                            word.remove(0);
                        }
                        if ch == '%' {
                            trim_suffix(&word, &value, greedy)
                        } else {
                            trim_prefix(&word, &value, greedy)
                        }
                    }
                    _ => Err(format!("unsupported modifier ({modifier}) in substitution")),
                }
            }
            '/' => {
                let all = self.peek() == Some('/');
                if all {
                    self.next();
                }
                let pattern = self.modifier_word('/', true, "syntax error: missing '/' in ${}")?;
                let replacement = self.modifier_word('}', true, "syntax error: missing '}'")?;
                let value = self.get(&name)?;
                if self.keep() && value.is_none() {
                    let slashes = if all { "//" } else { "/" };
                    return Ok(format!("${{{name}{slashes}{pattern}/{replacement}}}"));
                }
                let value = value.unwrap_or_default();
                let pattern_tokens = compile_pattern(&pattern)
                    .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))?;
                let result = replace(&pattern_tokens, &value, &replacement, all);
                // A replacement repeated at every match can outgrow the value.
                self.budget
                    .charge(result.len().saturating_sub(value.len()))?;
                Ok(result)
            }
            _ => Err(format!("unsupported modifier ({modifier}) in substitution")),
        }
    }

    fn modifier_word(&mut self, stop: char, raw: bool, missing: &str) -> Step<String> {
        match self.process_stop_on(Some(stop), raw) {
            Ok((word, _)) => Ok(word),
            Err(_) if self.peek().is_none() => Err(missing.to_string()),
            Err(e) => Err(e),
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_numeric() {
                while let Some(d) = self.peek().filter(|d| d.is_numeric()) {
                    name.push(d);
                    self.next();
                }
                return name;
            }
            if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return c.to_string();
            }
            if !c.is_alphanumeric() && c != '_' {
                break;
            }
            name.push(c);
            self.next();
        }
        name
    }
}
