//! A small reader for the shell text of `RUN`, `CMD` and `ENTRYPOINT`.
//!
//! It is not a shell: it splits a command line into simple commands at `&&`, `||`, `;` and `|`
//! and each command into words, honouring quotes and backslashes. That is enough to recognise
//! package-manager and build commands and to rebuild a `RUN` whose commands are chained by `&&`.

/// One simple command of a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The words with quotes removed.
    pub words: Vec<String>,
    /// The command as written (trimmed).
    pub raw: String,
    /// The operator after the command (`&&`, `||`, `;`, `|`), `None` for the last one.
    pub op: Option<&'static str>,
}

impl Command {
    /// Index of the program word: skips `VAR=value` prefixes, `sudo`, `env`, `exec`, `time` and
    /// the shell keywords that lead a command (`if`, `then`, `else`, `elif`, `do`, `while`,
    /// `until`, `!`): in `for d in a b; do rm -r "$d"; done` the program of `do rm …` is `rm`.
    pub fn program_index(&self) -> Option<usize> {
        self.words.iter().position(|w| {
            !(is_assignment(w)
                || matches!(
                    w.as_str(),
                    "sudo"
                        | "env"
                        | "exec"
                        | "time"
                        | "if"
                        | "then"
                        | "else"
                        | "elif"
                        | "do"
                        | "while"
                        | "until"
                        | "!"
                ))
        })
    }

    /// The program name without its directory (`/usr/bin/pip3` → `pip3`).
    pub fn program(&self) -> &str {
        match self.program_index() {
            Some(i) => basename(&self.words[i]),
            None => "",
        }
    }

    /// The words after the program.
    pub fn args(&self) -> &[String] {
        match self.program_index() {
            Some(i) => &self.words[i + 1..],
            None => &[],
        }
    }

    /// True when the program is `prog` and the first non-flag argument is `sub`.
    pub fn is(&self, prog: &str, sub: &str) -> bool {
        self.program() == prog && self.subcommand() == Some(sub)
    }

    /// The first argument that is not a flag.
    pub fn subcommand(&self) -> Option<&str> {
        self.args()
            .iter()
            .find(|a| !a.starts_with('-'))
            .map(String::as_str)
    }

    /// True when any argument equals `flag` or starts with `flag=`.
    pub fn has_flag(&self, flag: &str) -> bool {
        self.args()
            .iter()
            .any(|a| a == flag || a.strip_prefix(flag).is_some_and(|r| r.starts_with('=')))
    }

    /// The value of `-o X`, `--flag X` or `--flag=X`.
    pub fn flag_value(&self, names: &[&str]) -> Option<String> {
        let args = self.args();
        for (i, a) in args.iter().enumerate() {
            for name in names {
                if a == name {
                    return args.get(i + 1).cloned();
                }
                if let Some(rest) = a.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
                    return Some(rest.to_string());
                }
            }
        }
        None
    }

    /// `VAR=value` words in front of the program.
    pub fn assignments(&self) -> Vec<(&str, &str)> {
        let end = self.program_index().unwrap_or(self.words.len());
        self.words[..end]
            .iter()
            .filter_map(|w| w.split_once('='))
            .collect()
    }
}

/// True for `NAME=value` words.
pub fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

pub fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Splits a command line into simple commands.
pub fn commands(text: &str) -> Vec<Command> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut raw_start = 0usize;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0usize;
    let push_word = |words: &mut Vec<String>, word: &mut String, in_word: &mut bool| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while i < chars.len() {
        let (pos, c) = chars[i];
        match c {
            '\'' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i].1 != '\'' {
                    word.push(chars[i].1);
                    i += 1;
                }
            }
            '"' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i].1 != '"' {
                    if chars[i].1 == '\\' && i + 1 < chars.len() {
                        i += 1;
                    }
                    word.push(chars[i].1);
                    i += 1;
                }
            }
            '\\' => {
                if i + 1 < chars.len() {
                    i += 1;
                    if chars[i].1 != '\n' {
                        in_word = true;
                        word.push(chars[i].1);
                    }
                }
            }
            '&' | '|' | ';' | '\n' => {
                let next = chars.get(i + 1).map(|p| p.1);
                let op: Option<&'static str> = match (c, next) {
                    ('&', Some('&')) => Some("&&"),
                    ('|', Some('|')) => Some("||"),
                    ('|', _) => Some("|"),
                    (';', _) => Some(";"),
                    ('\n', _) => Some(";"),
                    _ => None,
                };
                match op {
                    Some(op) => {
                        push_word(&mut words, &mut word, &mut in_word);
                        let raw = text[raw_start..pos].trim().to_string();
                        if !words.is_empty() || !raw.is_empty() {
                            out.push(Command {
                                words: std::mem::take(&mut words),
                                raw,
                                op: Some(op),
                            });
                        }
                        if op.len() == 2 {
                            i += 1;
                        }
                        raw_start = chars.get(i + 1).map_or(text.len(), |p| p.0);
                    }
                    None => {
                        // A lone `&` (background job): keep it as part of the word stream.
                        push_word(&mut words, &mut word, &mut in_word);
                        words.push("&".into());
                    }
                }
            }
            c if c.is_whitespace() => push_word(&mut words, &mut word, &mut in_word),
            // A command substitution is one piece of the word: the `&&`, `|` or `;` inside
            // `$(…)` or `` `…` `` belong to the inner command, not to this line.
            '$' if chars.get(i + 1).map(|p| p.1) == Some('(') => {
                in_word = true;
                i = substitution(&chars, i + 1, ')', &mut word);
            }
            '`' => {
                in_word = true;
                i = substitution(&chars, i, '`', &mut word);
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
        i += 1;
    }
    push_word(&mut words, &mut word, &mut in_word);
    let raw = text[raw_start.min(text.len())..].trim().to_string();
    if !words.is_empty() || !raw.is_empty() {
        out.push(Command {
            words,
            raw,
            op: None,
        });
    }
    if let Some(last) = out.last_mut() {
        last.op = None;
    }
    out
}

/// Copies a command substitution into `word`, from `chars[open]` (`(` after `$`, or the
/// opening backquote) to its closing `close`, and returns that closing index (or the last
/// index when it never closes). Parentheses nest; quoted text is copied as it is.
fn substitution(chars: &[(usize, char)], open: usize, close: char, word: &mut String) -> usize {
    if close == ')' {
        word.push('$');
    }
    word.push(chars[open].1);
    let mut depth = 0usize;
    let mut i = open + 1;
    while i < chars.len() {
        let c = chars[i].1;
        word.push(c);
        match c {
            '\\' if i + 1 < chars.len() => {
                i += 1;
                word.push(chars[i].1);
            }
            '\'' | '"' if close == ')' => {
                let quote = c;
                i += 1;
                while i < chars.len() && chars[i].1 != quote {
                    word.push(chars[i].1);
                    i += 1;
                }
                if i < chars.len() {
                    word.push(quote);
                }
            }
            '(' if close == ')' => depth += 1,
            c if c == close => {
                if depth == 0 {
                    return i;
                }
                depth -= 1;
            }
            _ => {}
        }
        i += 1;
    }
    chars.len().saturating_sub(1)
}

/// True when every operator between the commands is `&&` (so they can be re-chained safely).
pub fn only_and_chains(cmds: &[Command]) -> bool {
    cmds.iter().rev().skip(1).all(|c| c.op == Some("&&"))
}

/// True when the text uses shell features beyond plain words (so it cannot become exec form).
pub fn needs_shell(text: &str) -> bool {
    text.contains([
        '$', '&', '|', ';', '>', '<', '*', '?', '`', '(', ')', '~', '\n',
    ]) || text.contains("\\")
}

/// Quotes `word` as a JSON string for exec form.
pub fn json_string(word: &str) -> String {
    let mut s = String::from("\"");
    for c in word.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Exec form of `words`: `["a", "b"]`.
pub fn exec_form(words: &[String]) -> String {
    let items: Vec<String> = words.iter().map(|w| json_string(w)).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_substitutions_stay_in_their_word() {
        let cmds = commands(
            "./configure $(test \"$x\" = y && echo '--without-pcre-jit') --enable-fpm && make `echo a;b` && make install",
        );
        let programs: Vec<&str> = cmds.iter().map(|c| c.words[0].as_str()).collect();
        assert_eq!(programs, vec!["./configure", "make", "make"]);
        assert_eq!(
            cmds[0].words,
            vec![
                "./configure",
                "$(test \"$x\" = y && echo '--without-pcre-jit')",
                "--enable-fpm"
            ]
        );
        assert_eq!(cmds[1].words, vec!["make", "`echo a;b`"]);
        // Nested and unclosed substitutions do not panic and keep the rest in the word.
        let cmds = commands("a $(b $(c) d) && e $(f");
        assert_eq!(cmds.len(), 2);
        assert_eq!(cmds[1].words, vec!["e", "$(f"]);
    }

    #[test]
    fn shell_keywords_lead_to_the_program() {
        let cmds = commands(
            "for d in a b; do rm -r \"$d\"; mkdir \"$d\"; done; if [ -x y ]; then make install; fi",
        );
        let programs: Vec<&str> = cmds.iter().map(Command::program).collect();
        assert_eq!(programs, ["for", "rm", "mkdir", "done", "[", "make", "fi"]);
        assert_eq!(cmds[5].subcommand(), Some("install"));
    }

    #[test]
    fn splits_commands_and_words() {
        let cmds = commands(
            "apt-get update && apt-get install -y 'a b' \\\n  c; CGO_ENABLED=0 go build -o /x .",
        );
        assert_eq!(cmds.len(), 3);
        assert_eq!(cmds[0].op, Some("&&"));
        assert_eq!(cmds[1].words, ["apt-get", "install", "-y", "a b", "c"]);
        assert_eq!(cmds[2].program(), "go");
        assert_eq!(cmds[2].subcommand(), Some("build"));
        assert_eq!(cmds[2].flag_value(&["-o"]).as_deref(), Some("/x"));
        assert_eq!(cmds[2].assignments(), [("CGO_ENABLED", "0")]);
        assert!(!only_and_chains(&cmds));
    }
}
