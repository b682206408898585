//! Finding heredoc markers in an instruction line, as BuildKit v0.12's parser does.
//!
//! BuildKit splits the whole line into shell words (raw quotes and escapes kept, unset
//! variables left as written, escape always `\`), then reads every word matching
//! `^(\d*)<<(-?)([^<]*)$` as a heredoc marker. A line the shell lexer cannot split (an
//! unterminated quote, a bad `${...}`) has no heredocs at all.

/// A heredoc marker found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    pub name: String,
    pub fd: u32,
    pub chomp: bool,
    /// False when part of the delimiter was quoted: the body is not expanded.
    pub expand: bool,
    /// Byte range of the marker word in the line.
    pub start: usize,
    pub end: usize,
}

/// The heredoc markers of `line`, or an error message when BuildKit fails the file.
pub(crate) fn markers(line: &str) -> Result<Vec<Marker>, String> {
    // Every word is made of the line's own characters (quotes, escapes and variable
    // references stay as written), so a line without '<' has no marker: skip the lexer.
    if !line.contains('<') {
        return Ok(Vec::new());
    }
    let opts = LexOptions {
        raw_quotes: true,
        raw_escapes: true,
    };
    let Ok(words) = split_words(line, opts) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for word in words {
        if let Some(marker) = marker_from_word(&word)? {
            out.push(marker);
        }
    }
    Ok(out)
}

fn marker_from_word(word: &LexWord) -> Result<Option<Marker>, String> {
    let text = word.text.as_str();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after) = text[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match after.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, after),
    };
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    // Go's strconv.ParseUint error is ignored: overflow gives the maximum value.
    let fd = if digits == 0 {
        0
    } else {
        text[..digits].parse::<u64>().unwrap_or(u64::MAX)
    };
    let fd = u32::try_from(fd).unwrap_or(u32::MAX);

    let plain = split_words(
        rest,
        LexOptions {
            raw_quotes: false,
            raw_escapes: false,
        },
    )
    .map_err(|e| format!("failed to process {}: {e}", super::gocompat::go_quote(rest)))?;
    if plain.len() != 1 {
        return Ok(None);
    }
    let raw = split_words(
        rest,
        LexOptions {
            raw_quotes: true,
            raw_escapes: false,
        },
    )
    .map_err(|e| format!("failed to process {}: {e}", super::gocompat::go_quote(rest)))?;
    if raw.len() != plain.len() {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    }
    let quotes = |s: &str| s.chars().filter(|c| *c == '\'' || *c == '"').count();
    let name = plain[0].text.clone();
    let expand = quotes(&name) == quotes(&raw[0].text);
    Ok(Some(Marker {
        name,
        fd,
        chomp,
        expand,
        start: word.start,
        end: word.end,
    }))
}

#[derive(Clone, Copy)]
struct LexOptions {
    raw_quotes: bool,
    raw_escapes: bool,
}

#[derive(Debug)]
struct LexWord {
    text: String,
    start: usize,
    end: usize,
}

/// Word splitting of BuildKit v0.12's `shell.Lex.ProcessWords` with an empty environment
/// and `SkipUnsetEnv` (every variable reference stays as written).
fn split_words(text: &str, opts: LexOptions) -> Result<Vec<LexWord>, String> {
    let mut lexer = Lexer {
        chars: text.char_indices().collect(),
        pos: 0,
        len: text.len(),
        opts,
    };
    let (_, words) = lexer.process_stop_on(None)?;
    Ok(words)
}

struct Lexer {
    chars: Vec<(usize, char)>,
    pos: usize,
    len: usize,
    opts: LexOptions,
}

struct Words {
    buf: String,
    start: usize,
    end: usize,
    in_word: bool,
    words: Vec<LexWord>,
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
        if !self.in_word || self.buf.is_empty() {
            self.start = at;
        }
        self.buf.push(c);
        self.end = end;
        self.in_word = true;
    }

    fn add_raw(&mut self, s: &str, at: usize, end: usize) {
        if !self.in_word || self.buf.is_empty() {
            self.start = at;
        }
        self.buf.push_str(s);
        self.end = end;
        self.in_word = true;
    }

    fn flush(&mut self) {
        let text = std::mem::take(&mut self.buf);
        self.words.push(LexWord {
            text,
            start: self.start,
            end: self.end,
        });
        self.in_word = false;
    }

    fn finish(mut self) -> Vec<LexWord> {
        if !self.buf.is_empty() {
            self.flush();
        }
        self.words
    }
}

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|&(_, c)| c)
    }

    fn offset(&self) -> usize {
        self.chars.get(self.pos).map_or(self.len, |&(i, _)| i)
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn process_stop_on(&mut self, stop: Option<char>) -> Result<(String, Vec<LexWord>), String> {
        let mut result = String::new();
        let mut words = Words {
            buf: String::new(),
            start: 0,
            end: 0,
            in_word: false,
            words: Vec::new(),
        };
        while let Some(c) = self.peek() {
            let at = self.offset();
            if Some(c) == stop {
                self.next();
                return Ok((result, words.finish()));
            }
            match c {
                '\'' | '"' | '$' => {
                    let tmp = match c {
                        '\'' => self.single_quote()?,
                        '"' => self.double_quote()?,
                        _ => self.dollar()?,
                    };
                    result.push_str(&tmp);
                    let end = self.offset();
                    if c == '$' {
                        for ch in tmp.chars() {
                            words.add_char(ch, at, end);
                        }
                    } else {
                        words.add_raw(&tmp, at, end);
                    }
                }
                _ => {
                    self.next();
                    let mut ch = c;
                    if ch == '\\' {
                        if self.opts.raw_escapes {
                            words.add_raw("\\", at, self.offset());
                            result.push('\\');
                        }
                        match self.next() {
                            None => break,
                            Some(escaped) => ch = escaped,
                        }
                        words.add_raw_char(ch, at, self.offset());
                    } else {
                        words.add_char(ch, at, self.offset());
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

    fn single_quote(&mut self) -> Result<String, String> {
        let mut out = String::new();
        self.next();
        if self.opts.raw_quotes {
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
                    if self.opts.raw_quotes {
                        out.push('\'');
                    }
                    return Ok(out);
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quote(&mut self) -> Result<String, String> {
        let mut out = String::new();
        self.next();
        if self.opts.raw_quotes {
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
                    if self.opts.raw_quotes {
                        out.push('"');
                    }
                    return Ok(out);
                }
                Some('$') => {
                    let value = self.dollar()?;
                    out.push_str(&value);
                }
                Some(_) => {
                    let mut c = self.next().unwrap_or_default();
                    if c == '\\' {
                        if self.opts.raw_escapes {
                            out.push('\\');
                        }
                        match self.peek() {
                            None => continue,
                            Some('"' | '$' | '\\') => c = self.next().unwrap_or_default(),
                            Some(_) => {}
                        }
                    }
                    out.push(c);
                }
            }
        }
    }

    /// `$name` or `${...}`; every variable is unset, so the reference is returned as written.
    fn dollar(&mut self) -> Result<String, String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(format!("${name}"));
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            Some(_) => {}
        }
        let name = self.name();
        match self.next() {
            Some('}') => Ok(format!("${{{name}}}")),
            Some(c @ ('+' | '-' | '?')) => {
                let word = self.modifier_word()?;
                Ok(format!("${{{name}{c}{word}}}"))
            }
            Some(':') => {
                let modifier = self.next();
                let word = self.modifier_word()?;
                let modifier = modifier.map(String::from).unwrap_or_default();
                Ok(format!("${{{name}:{modifier}{word}}}"))
            }
            _ => Err("missing ':' in substitution".into()),
        }
    }

    fn modifier_word(&mut self) -> Result<String, String> {
        match self.process_stop_on(Some('}')) {
            Ok((word, _)) => Ok(word),
            Err(_) if self.peek().is_none() => Err("syntax error: missing '}'".into()),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &str) -> Vec<(String, u32, bool, bool)> {
        markers(line)
            .unwrap()
            .into_iter()
            .map(|m| (m.name, m.fd, m.chomp, m.expand))
            .collect()
    }

    #[test]
    fn finds_markers() {
        assert_eq!(names("RUN <<EOF"), [("EOF".into(), 0, false, true)]);
        assert_eq!(
            names("RUN cat <<EOF>/out <<-'E2' 3<<\"E 3\""),
            [
                ("EOF>/out".into(), 0, false, true),
                ("E2".into(), 0, true, false),
                ("E 3".into(), 3, false, false)
            ]
        );
        assert!(names("RUN <<EOF ${a#b}").is_empty());
        assert!(names("RUN <<EOF echo \"abc").is_empty());
        assert_eq!(names("RUN <<EOF ${a:#b}").len(), 1);
        assert!(names("RUN <<<EOF").is_empty());
    }
}
