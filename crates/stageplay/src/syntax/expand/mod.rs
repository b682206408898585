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
//! `ProcessWords` (the result split into words, quotes respected).

use super::gocompat::go_quote;
use std::fmt;

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
    /// Leave references to unset variables as written.
    pub skip_unset: bool,
}

impl Lex {
    /// The default lexer for `escape`: quotes removed, escapes applied.
    pub fn new(escape: char) -> Lex {
        Lex {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_unset: false,
        }
    }

    /// Expands `word`: the whole result and the result split into words.
    pub fn process(
        &self,
        word: &str,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(String, Vec<String>), ExpandError> {
        let mut shell = Shell {
            chars: word.chars().collect(),
            pos: 0,
            lex: *self,
            raw_escapes: self.raw_escapes,
            lookup,
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
) -> Result<String, ExpandError> {
    Lex::new(escape).process(word, lookup).map(|(w, _)| w)
}

/// Substitution only: quotes and escape characters are kept as written.
pub fn expand_raw(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, ExpandError> {
    let lex = Lex {
        raw_quotes: true,
        raw_escapes: true,
        ..Lex::new(escape)
    };
    lex.process(word, lookup).map(|(w, _)| w)
}

/// BuildKit's `ProcessWords`: the expansion split into words (quoted parts stay whole).
pub fn expand_words(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<String>, ExpandError> {
    Lex::new(escape)
        .process(word, lookup)
        .map(|(_, words)| words)
}

struct Shell<'a> {
    chars: Vec<char>,
    pos: usize,
    lex: Lex,
    raw_escapes: bool,
    lookup: &'a dyn Fn(&str) -> Option<String>,
}

#[derive(Default)]
struct Words {
    buf: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, c: char) {
        if c.is_whitespace() && self.in_word {
            if !self.buf.is_empty() {
                self.words.push(std::mem::take(&mut self.buf));
                self.in_word = false;
            }
        } else if !c.is_whitespace() {
            self.add_raw_char(c);
        }
    }

    fn add_raw_char(&mut self, c: char) {
        self.buf.push(c);
        self.in_word = true;
    }

    fn add_string(&mut self, s: &str) {
        for c in s.chars() {
            self.add_char(c);
        }
    }

    fn add_raw_string(&mut self, s: &str) {
        self.buf.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.buf.is_empty() {
            self.words.push(std::mem::take(&mut self.buf));
        }
        self.words
    }
}

type Step<T> = Result<T, String>;

impl Shell<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Step<(String, Vec<String>)> {
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let result = self.stop_on(stop);
        self.raw_escapes = saved;
        result
    }

    fn stop_on(&mut self, stop: Option<char>) -> Step<(String, Vec<String>)> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.next();
                return Ok((result, words.finish()));
            }
            match c {
                '$' => {
                    let tmp = self.dollar()?;
                    result.push_str(&tmp);
                    words.add_string(&tmp);
                }
                '\'' => {
                    let tmp = self.single_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp);
                }
                '"' => {
                    let tmp = self.double_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp);
                }
                _ => {
                    self.next();
                    let mut ch = c;
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            words.add_raw_char(ch);
                            result.push(ch);
                        }
                        match self.next() {
                            None => break,
                            Some(escaped) => ch = escaped,
                        }
                        words.add_raw_char(ch);
                    } else {
                        words.add_char(ch);
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
                            Some(n) if n == '"' || n == '$' || n == self.lex.escape => {
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

    fn get(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
    }

    fn dollar(&mut self) -> Step<String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(match self.get(&name) {
                Some(value) => value,
                None if self.lex.skip_unset => format!("${name}"),
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
        let Some(mut ch) = self.next() else {
            // Go's scanner returns EOF, printed as U+FFFD.
            return Err("unsupported modifier (\u{FFFD}) in substitution".into());
        };
        let mut modifier = ch.to_string();
        match ch {
            '}' => Ok(match self.get(&name) {
                Some(value) => value,
                None if self.lex.skip_unset => format!("${{{name}}}"),
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
                let raw = ch == '#' || ch == '%';
                if null_is_unset && raw {
                    return Err(format!("unsupported modifier ({modifier}) in substitution"));
                }
                let mut word = self.modifier_word('}', raw, "syntax error: missing '}'")?;
                let value = self.get(&name);
                if self.lex.skip_unset && value.is_none() {
                    return Ok(format!("${{{name}{modifier}{word}}}"));
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
                let value = self.get(&name);
                if self.lex.skip_unset && value.is_none() {
                    return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
                }
                let value = value.unwrap_or_default();
                let pattern_tokens = compile_pattern(&pattern)
                    .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))?;
                Ok(replace(&pattern_tokens, &value, &replacement, all))
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

/// One element of a shell pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pat {
    Lit(char),
    /// `?`: one character (not a newline, as Go's `.`).
    Any,
    /// `*`: any run of characters (no newline).
    Star,
}

/// BuildKit's `convertShellPatternToRegex`, as a token list.
fn compile_pattern(pattern: &str) -> Result<Vec<Pat>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => out.push(Pat::Star),
            '?' => out.push(Pat::Any),
            '\\' => match chars.get(i + 1) {
                Some('}' | '/') => {}
                Some(&c @ ('*' | '?' | '\\')) => {
                    out.push(Pat::Lit(c));
                    i += 1;
                }
                Some(&c) => return Err(format!("invalid escape '\\{c}'")),
                None => return Err("invalid escape '\\\u{FFFD}'".into()),
            },
            c => out.push(Pat::Lit(c)),
        }
        i += 1;
    }
    Ok(out)
}

/// Lengths `n` such that `pattern` matches `text[start..start+n]`, as a bitmap.
fn match_lengths(pattern: &[Pat], text: &[char], start: usize) -> Vec<bool> {
    let rest = &text[start..];
    // reach[j] = pattern prefix consumed so far can end at text position j.
    let mut reach = vec![false; rest.len() + 1];
    reach[0] = true;
    for p in pattern {
        let mut next = vec![false; rest.len() + 1];
        match p {
            Pat::Star => {
                let mut on = false;
                for j in 0..=rest.len() {
                    if reach[j] {
                        on = true;
                    }
                    next[j] = on;
                    if j < rest.len() && rest[j] == '\n' {
                        on = false;
                    }
                }
            }
            Pat::Any => {
                for j in 0..rest.len() {
                    if reach[j] && rest[j] != '\n' {
                        next[j + 1] = true;
                    }
                }
            }
            Pat::Lit(c) => {
                for j in 0..rest.len() {
                    if reach[j] && rest[j] == *c {
                        next[j + 1] = true;
                    }
                }
            }
        }
        reach = next;
    }
    reach
}

fn chosen_length(lengths: &[bool], greedy: bool) -> Option<usize> {
    if greedy {
        lengths.iter().rposition(|&b| b)
    } else {
        lengths.iter().position(|&b| b)
    }
}

fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Step<String> {
    let tokens = compile_pattern(pattern)
        .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))?;
    let chars: Vec<char> = value.chars().collect();
    Ok(
        match chosen_length(&match_lengths(&tokens, &chars, 0), greedy) {
            Some(n) => chars[n..].iter().collect(),
            None => value.to_string(),
        },
    )
}

/// Reverses a pattern keeping `\x` escapes in order (BuildKit's `reversePattern`).
fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut units: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && i + 1 < chars.len() {
            units.push(format!("\\{}", chars[i + 1]));
            i += 2;
        } else {
            units.push(chars[i].to_string());
            i += 1;
        }
    }
    units.reverse();
    units.concat()
}

fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Step<String> {
    let reversed: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// `${V/p/r}` and `${V//p/r}`: leftmost, longest matches, like Go's regexp with greedy `*`.
fn replace(pattern: &[Pat], value: &str, replacement: &str, all: bool) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    let mut last_match_end: Option<usize> = None;
    while pos <= chars.len() {
        let found = (pos..=chars.len())
            .find_map(|s| chosen_length(&match_lengths(pattern, &chars, s), true).map(|n| (s, n)));
        let Some((start, len)) = found else { break };
        if len == 0 && last_match_end == Some(start) {
            // An empty match right after the previous match is skipped, as in Go.
            if start < chars.len() {
                out.extend(&chars[pos..=start]);
            }
            pos = start + 1;
            continue;
        }
        out.extend(&chars[pos..start]);
        out.push_str(replacement);
        last_match_end = Some(start + len);
        if !all {
            pos = start + len;
            break;
        }
        if len == 0 {
            if start < chars.len() {
                out.push(chars[start]);
            }
            pos = start + 1;
        } else {
            pos = start + len;
        }
    }
    if pos < chars.len() {
        out.extend(&chars[pos..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn ok(word: &str, pairs: &'static [(&'static str, &'static str)]) -> String {
        expand(word, '\\', &env(pairs)).unwrap_or_else(|e| panic!("{word}: {e}"))
    }

    fn err(word: &str, pairs: &'static [(&'static str, &'static str)]) -> String {
        expand(word, '\\', &env(pairs)).expect_err(word).message
    }

    /// Cases from moby/buildkit `frontend/dockerfile/shell/lex_test.go` (TestProcessWithMatches).
    #[test]
    fn buildkit_process_with_matches() {
        const FB: &[(&str, &str)] = &[("FOO", "xxx"), ("BAR", "")];
        assert_eq!(ok("x", &[("DUMMY", "dummy")]), "x");
        assert_eq!(ok("x ${UNUSED}", &[]), "x ");
        assert_eq!(ok("x ${FOO}", &[("FOO", "y")]), "x y");
        assert_eq!(ok("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", FB), "xxx  ccc");
        assert_eq!(ok("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", FB), "xxx bbb ccc");
        assert_eq!(ok("${FOO:-}", FB), "xxx");
        assert_eq!(ok("${FOO:-}", &[]), "");
        assert_eq!(ok("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", FB), "aaa bbb ");
        assert_eq!(ok("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", FB), "aaa  ");
        assert_eq!(ok("${FOO?aaa}", FB), "xxx");
        assert_eq!(ok("${BAR?bbb}", FB), "");
        err("${BAZ?ccc}", FB);
        assert_eq!(ok("${FOO:?aaa}", FB), "xxx");
        err("${BAR:?bbb}", FB);
        err("${BAZ:?ccc}", FB);
        err("${BAZ:?}", FB);
        err("${FOO=aaa}", FB);
        err("${FOO=:aaa}", FB);
        err("${FOO=}", &[]);
        assert_eq!(
            ok(
                "${FOO#()[]{\\}^$.\\*\\?|\\\\}",
                &[("FOO", "()[]{}^$.*?|\\x")]
            ),
            "x"
        );
        assert_eq!(ok("${FOO%%\\**}", &[("FOO", "xx**")]), "xx");
        assert_eq!(ok("${FOO#*x*y}", &[("FOO", "xxyy")]), "y");
        assert_eq!(ok("${FOO#*}", &[("FOO", "xxyy")]), "xxyy");
        assert_eq!(ok("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "x")]), "xyy");
        assert_eq!(ok("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "")]), "xxyy");
        assert_eq!(ok("${FOO#}", &[("FOO", "xxyy")]), "xxyy");
        assert_eq!(ok("${FOO##*x}", &[("FOO", "xxyy")]), "yy");
        assert_eq!(ok("${FOO##}", &[("FOO", "xxyy")]), "xxyy");
        assert_eq!(ok("${FOO#?\\?}", &[("FOO", "???y")]), "?y");
        assert_eq!(
            ok("${ABC:-.}${FOO%x}${ABC:-.}", &[("FOO", "xxyy")]),
            ".xxyy."
        );
        assert_eq!(ok("${FOO%%\\**\\*}", &[("FOO", "a***yy*")]), "a");
        assert_eq!(ok("${FOO%}", &[("FOO", "xxyy")]), "xxyy");
        assert_eq!(ok("${FOO%%$BAR}", &[("FOO", "xxyy"), ("BAR", "")]), "xxyy");
        err("${FOO:#}", &[]);
        err("${FOO:##}", &[]);
        err("${FOO:%}", &[]);
        err("${FOO:%%}", &[]);
        assert_eq!(
            ok(
                "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
                &[("FOO", "/foo*/*/*.txt"), ("NEEDLE", "\\*/")]
            ),
            "/foo.*/*.txt - /foo..*.txt"
        );
        assert_eq!(
            ok(
                "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
                &[("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")]
            ),
            "/tmp/bar.txt - /bar.txt"
        );
        assert_eq!(
            ok(
                "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
                &[
                    ("FOO", "/a/foo/b/c.txt"),
                    ("NEEDLE", "/?/"),
                    ("REPLACEMENT", "/")
                ]
            ),
            "/foo/b/c.txt - /foo/c.txt"
        );
        assert_eq!(
            ok(
                "${FOO/$NEEDLE/$REPLACEMENT}",
                &[
                    ("FOO", "http://google.de"),
                    ("NEEDLE", "http://"),
                    ("REPLACEMENT", "https://")
                ]
            ),
            "https://google.de"
        );
        assert_eq!(
            ok("${FOO//\\//\\/}", &[("FOO", "/tmp/foo.txt")]),
            "\\/tmp\\/foo.txt"
        );
        assert_eq!(
            ok("${FOO/$BAR/ww}", &[("FOO", "xxyy"), ("BAR", "")]),
            "wwxxyy"
        );
        err("${FOO//ww}", &[("FOO", "xxyy")]);
        err("${FOO//}", &[("FOO", "xxyy")]);
        assert_eq!(ok("${FOO///}", &[("FOO", "xxyy")]), "xxyy");
        assert_eq!(ok("${FOO///}", &[]), "");
    }

    /// TestShellParserMandatoryEnvVars and TestProcessWithMatchesPlatform.
    #[test]
    fn buildkit_mandatory_and_platform() {
        let no_empty = "${VAR:?message here$ARG}";
        let no_unset = "${VAR?message here$ARG}";
        assert_eq!(ok(no_empty, &[("VAR", "plain"), ("ARG", "x")]), "plain");
        assert!(err(no_empty, &[("VAR", ""), ("ARG", "x")]).contains("message herex"));
        assert!(err(no_empty, &[("ARG", "x")]).contains("message herex"));
        assert_eq!(ok(no_unset, &[("VAR", "plain"), ("ARG", "x")]), "plain");
        assert_eq!(ok(no_unset, &[("VAR", ""), ("ARG", "x")]), "");
        assert!(err(no_unset, &[("ARG", "x")]).contains("message herex"));
        let release = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
        assert_eq!(
            ok(
                release,
                &[
                    ("VERSION", "v1.2.3"),
                    ("TARGETOS", "linux"),
                    ("TARGETARCH", "arm"),
                    ("TARGETVARIANT", "v7")
                ]
            ),
            "something-v1.2.3.linux-arm-v7.tar.gz"
        );
        assert_eq!(
            ok(
                release,
                &[
                    ("VERSION", "v1.2.3"),
                    ("TARGETOS", "linux"),
                    ("TARGETARCH", "arm64"),
                    ("TARGETVARIANT", "")
                ]
            ),
            "something-v1.2.3.linux-arm64.tar.gz"
        );
    }

    /// Cases in the form of BuildKit's `envVarTest` (same environment: PWD=/home, SHELL=bash,
    /// KOREAN=한국어, NULL=), with results derived from `lex.go`'s rules.
    #[test]
    fn buildkit_env_var_test() {
        const E: &[(&str, &str)] = &[
            ("PWD", "/home"),
            ("SHELL", "bash"),
            ("KOREAN", "한국어"),
            ("NULL", ""),
        ];
        let cases: &[(&str, &str)] = &[
            ("hello", "hello"),
            ("he'll'o", "hello"),
            ("he'llo", "error"),
            ("he\\'llo", "he'llo"),
            ("he\\\\'llo", "error"),
            ("abc\\\\def", "abc\\def"),
            ("\"abc\\\\def\"", "abc\\def"),
            ("'abc\\\\def'", "abc\\\\def"),
            ("hello\\", "hello"),
            ("hello\\\\", "hello\\"),
            ("\"hello", "error"),
            ("\"hello\\\"", "error"),
            ("\"hel'lo\"", "hel'lo"),
            ("'hello", "error"),
            ("'hello\\'", "hello\\"),
            ("'hello\\there'", "hello\\there"),
            ("'hello\\\\there'", "hello\\\\there"),
            ("\"''\"", "''"),
            ("$.", "$."),
            ("he$1x", "hex"),
            ("he$.x", "he$.x"),
            ("he$pwd.", "he."),
            ("he$PWD", "he/home"),
            ("he\\$PWD", "he$PWD"),
            ("he\\\\$PWD", "he\\/home"),
            ("\"he\\$PWD\"", "he$PWD"),
            ("\"he\\\\$PWD\"", "he\\/home"),
            ("he\\${}", "he${}"),
            ("he\\${}xx", "he${}xx"),
            ("he${}", "error"),
            ("he${}xx", "error"),
            ("he${hi}", "he"),
            ("he${hi}xx", "hexx"),
            ("he${PWD}", "he/home"),
            ("he${.}", "error"),
            ("he${XXX:-000}xx", "he000xx"),
            ("he${PWD:-000}xx", "he/homexx"),
            ("he${XXX:-$PWD}xx", "he/homexx"),
            ("he${XXX:-${PWD:-yyy}}xx", "he/homexx"),
            ("he${XXX:-${YYY:-yyy}}xx", "heyyyxx"),
            ("he${XXX:YYY}", "error"),
            ("he${XXX?}", "error"),
            ("he${XXX:?}", "error"),
            ("he${PWD?}", "he/home"),
            ("he${PWD:?}", "he/home"),
            ("he${NULL?}", "he"),
            ("he${NULL:?}", "error"),
            ("he${XXX:+${PWD}}xx", "hexx"),
            ("he${PWD:+${XXX}}xx", "hexx"),
            ("he${PWD:+${SHELL}}xx", "hebashxx"),
            ("he${XXX:+000}xx", "hexx"),
            ("he${PWD:+000}xx", "he000xx"),
            ("'he${XX}'", "he${XX}"),
            ("\"he${PWD}\"", "he/home"),
            ("\"he'$PWD'\"", "he'/home'"),
            ("\"$PWD\"", "/home"),
            ("'$PWD'", "$PWD"),
            ("'\\$PWD'", "\\$PWD"),
            ("'\"hello\"'", "\"hello\""),
            ("he\\$PWD", "he$PWD"),
            ("\"he\\$PWD\"", "he$PWD"),
            ("'he\\$PWD'", "he\\$PWD"),
            ("he${PWD", "error"),
            ("he${PWD:=000}xx", "error"),
            ("he${PWD:+${PWD}:}xx", "he/home:xx"),
            ("he${XXX:-\\$PWD:}xx", "he$PWD:xx"),
            ("he${XXX:-\\${PWD}z}xx", "he${PWDz}xx"),
            ("무진장", "무진장"),
            ("$한국어", ""),
            ("$KOREAN", "한국어"),
            ("${KOREAN}", "한국어"),
            ("안녕$KOREAN", "안녕한국어"),
        ];
        for (input, expected) in cases {
            let result = expand(input, '\\', &env(E));
            if *expected == "error" {
                assert!(result.is_err(), "{input} should fail, got {result:?}");
            } else {
                assert_eq!(
                    result.as_deref().map_err(|e| e.to_string()),
                    Ok(*expected),
                    "{input}"
                );
            }
        }
    }

    #[test]
    fn raw_and_words() {
        let e = env(&[("A", "x y")]);
        assert_eq!(
            expand_raw("'$A' \"$A\" \\$A", '\\', &e).unwrap(),
            "'$A' \"x y\" \\$A"
        );
        assert_eq!(
            expand_words("a $A \"b c\"", '\\', &e).unwrap(),
            ["a", "x", "y", "b c"]
        );
        assert_eq!(expand("`$A", '`', &e).unwrap(), "$A");
        let err = expand("${A", '\\', &e).unwrap_err();
        assert_eq!(
            err.to_string(),
            "failed to process \"${A\": unsupported modifier (\u{FFFD}) in substitution"
        );
        assert_eq!(
            expand("${A:-x", '\\', &e).unwrap_err().message,
            "syntax error: missing '}'"
        );
    }

    #[test]
    fn patterns() {
        assert_eq!(reverse_pattern("a\\*c"), "c\\*a");
        assert_eq!(reverse_pattern("ab\\"), "\\ba");
        assert!(compile_pattern("\\x").is_err());
        assert!(compile_pattern("\\").is_err());
    }
}
