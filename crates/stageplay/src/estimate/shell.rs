//! Just enough POSIX shell to read RUN lines: simple commands split on `&&`, `||`, `;`, `|`, `&` and
//! newlines, with quotes removed and redirections set aside. Control keywords (`if`, `then`, `for`, …)
//! are skipped so the commands inside them are still seen. `$VAR` and `${VAR}` are expanded from the
//! given variables; unknown variables stay as written. A `case` on the architecture
//! (`case "$dpkgArch" in amd64) … ;; *) … ;; esac`) keeps only the branch that runs on amd64,
//! the platform the estimate is for.

/// One simple command.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Command {
    pub words: Vec<String>,
    /// Targets of `>`/`>>` redirections.
    pub writes: Vec<String>,
    /// True when the output is piped into the next command.
    pub piped: bool,
}

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "case", "esac", "!", "{",
    "}",
];

pub fn split(script: &str, vars: &dyn Fn(&str) -> Option<String>) -> Vec<Command> {
    let script = select_arch_branches(script);
    let script = script.as_ref();
    let mut commands = Vec::new();
    let mut current = Command::default();
    let mut word = String::new();
    let mut in_word = false;
    let mut pending_redirect = false;
    let chars: Vec<char> = script.chars().collect();
    let mut i = 0;
    let mut skip_for_header = false;

    let finish_word =
        |word: &mut String, in_word: &mut bool, current: &mut Command, pending: &mut bool| {
            if *in_word {
                if *pending {
                    current.writes.push(std::mem::take(word));
                    *pending = false;
                } else {
                    current.words.push(std::mem::take(word));
                }
                *in_word = false;
            }
            word.clear();
        };

    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                if let Some(&next) = chars.get(i + 1) {
                    if next != '\n' {
                        word.push(next);
                        in_word = true;
                    }
                    i += 2;
                } else {
                    i += 1;
                }
                continue;
            }
            '\'' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    word.push(chars[i]);
                    i += 1;
                }
                i += 1;
                continue;
            }
            '"' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\'
                        && i + 1 < chars.len()
                        && matches!(chars[i + 1], '"' | '\\' | '$' | '`')
                    {
                        word.push(chars[i + 1]);
                        i += 2;
                        continue;
                    }
                    if chars[i] == '$' {
                        i = expand_var(&chars, i, &mut word, vars);
                        continue;
                    }
                    word.push(chars[i]);
                    i += 1;
                }
                i += 1;
                continue;
            }
            '$' => {
                in_word = true;
                if chars.get(i + 1) == Some(&'(') {
                    // Command substitution: keep it as text up to the matching parenthesis.
                    let mut depth = 0;
                    while i < chars.len() {
                        word.push(chars[i]);
                        if chars[i] == '(' {
                            depth += 1;
                        } else if chars[i] == ')' {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        i += 1;
                    }
                    continue;
                }
                // An unquoted expansion is split into words on blanks (`$DEPS` → packages).
                let mut value = String::new();
                i = expand_var(&chars, i, &mut value, vars);
                for ch in value.chars() {
                    if matches!(ch, ' ' | '\t' | '\n') {
                        finish_word(&mut word, &mut in_word, &mut current, &mut pending_redirect);
                    } else {
                        word.push(ch);
                        in_word = true;
                    }
                }
                continue;
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            ' ' | '\t' | '\r' => {
                finish_word(&mut word, &mut in_word, &mut current, &mut pending_redirect);
                i += 1;
                continue;
            }
            '>' | '<' => {
                // `2>&1`, `>/dev/null`, `>> file`: the word before (a digit) is a file descriptor.
                if in_word && word.chars().all(|c| c.is_ascii_digit()) {
                    word.clear();
                    in_word = false;
                } else {
                    finish_word(&mut word, &mut in_word, &mut current, &mut pending_redirect);
                }
                let is_output = c == '>';
                i += 1;
                while i < chars.len() && matches!(chars[i], '>' | '&' | '|') {
                    i += 1;
                }
                if chars.get(i - 1) == Some(&'&')
                    || (i < chars.len()
                        && chars[i].is_ascii_digit()
                        && chars.get(i - 1) == Some(&'&'))
                {
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                    continue;
                }
                if chars.get(i) == Some(&'<') {
                    i += 1; // here-string `<<<`
                }
                pending_redirect = is_output;
                if !is_output {
                    // Input redirection: drop the next word.
                    while i < chars.len() && chars[i] == ' ' {
                        i += 1;
                    }
                    while i < chars.len() && !matches!(chars[i], ' ' | '\n' | ';' | '&' | '|') {
                        i += 1;
                    }
                }
                continue;
            }
            ';' | '\n' | '&' | '|' | '(' | ')' => {
                finish_word(&mut word, &mut in_word, &mut current, &mut pending_redirect);
                let piped = c == '|' && chars.get(i + 1) != Some(&'|');
                i += 1;
                if matches!(c, '&' | '|') && chars.get(i) == Some(&c) {
                    i += 1;
                }
                if c == ';' && chars.get(i) == Some(&';') {
                    i += 1;
                }
                current.piped = piped;
                push_command(&mut commands, &mut current, &mut skip_for_header);
                continue;
            }
            _ => {
                word.push(c);
                in_word = true;
                i += 1;
            }
        }
    }
    finish_word(&mut word, &mut in_word, &mut current, &mut pending_redirect);
    push_command(&mut commands, &mut current, &mut skip_for_header);
    commands
}

/// Names an amd64 build reports (`dpkg --print-architecture`, `apk --print-arch`, `uname -m`,
/// `TARGETARCH`).
const AMD64_NAMES: &[&str] = &["amd64", "x86_64", "x86-64", "x64", "linux/amd64"];

/// Replaces each `case` whose subject names an architecture (`$dpkgArch`, `$(apk
/// --print-arch)`, `$TARGETARCH`) with the body of its first branch matching amd64 (or nothing
/// when none does). Other `case` statements are left to the splitter, which sees every branch.
fn select_arch_branches(script: &str) -> std::borrow::Cow<'_, str> {
    if !script.contains("case") || !script.contains("esac") {
        return std::borrow::Cow::Borrowed(script);
    }
    let b = script.as_bytes();
    let mut out = String::with_capacity(script.len());
    let mut i = 0;
    let mut copied = 0;
    let mut changed = false;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\'' => i = skip_quoted(b, i),
            b'"' => i = skip_quoted(b, i),
            _ if word_at(b, i, "case") => {
                if let Some((end, body)) = arch_case(script, i) {
                    out.push_str(&script[copied..i]);
                    out.push_str(&body);
                    copied = end;
                    i = end;
                    changed = true;
                } else {
                    i += 4;
                }
            }
            _ => i += 1,
        }
    }
    if !changed {
        return std::borrow::Cow::Borrowed(script);
    }
    out.push_str(&script[copied..]);
    std::borrow::Cow::Owned(out)
}

/// The index after the quoted string starting at `b[i]` (a `'` or `"`).
fn skip_quoted(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() && b[j] != q {
        if q == b'"' && b[j] == b'\\' {
            j += 1;
        }
        j += 1;
    }
    j + 1
}

/// True when `word` stands alone at `b[i..]` (shell word boundaries on both sides).
fn word_at(b: &[u8], i: usize, word: &str) -> bool {
    let w = word.as_bytes();
    let boundary = |c: Option<&u8>| {
        c.is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')'))
    };
    b.get(i..i + w.len()) == Some(w)
        && boundary(i.checked_sub(1).and_then(|p| b.get(p)))
        && boundary(b.get(i + w.len()))
}

/// At a `case` keyword (`script[at..]`): when its subject names an architecture, the end of
/// the statement and the body of the branch an amd64 build runs.
fn arch_case(script: &str, at: usize) -> Option<(usize, String)> {
    let b = script.as_bytes();
    let mut i = at + 4;
    // The subject, up to the `in` keyword.
    let subject_start = i;
    while i < b.len() && !word_at(b, i, "in") {
        match b[i] {
            b'\'' | b'"' => i = skip_quoted(b, i),
            b'\n' | b';' => return None,
            _ => i += 1,
        }
    }
    let subject = script.get(subject_start..i)?.to_ascii_lowercase();
    if !subject.contains("arch") {
        return None;
    }
    i += 2;
    let mut chosen: Option<String> = None;
    loop {
        // Skip blanks, continuations and newlines between branches.
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\\') {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        if word_at(b, i, "esac") {
            return Some((i + 4, chosen.unwrap_or_default()));
        }
        // The patterns, up to `)`.
        let pat_start = i;
        while i < b.len() && b[i] != b')' {
            match b[i] {
                b'\'' | b'"' => i = skip_quoted(b, i),
                b'\n' => return None,
                _ => i += 1,
            }
        }
        let patterns = script
            .get(pat_start..i)?
            .trim_start_matches('(')
            .to_string();
        i += 1;
        // The body, up to `;;` or the closing `esac` (nested `case` statements counted).
        let body_start = i;
        let mut depth = 0;
        let body_end;
        loop {
            if i >= b.len() {
                return None;
            }
            match b[i] {
                b'\\' => i += 2,
                b'\'' | b'"' => i = skip_quoted(b, i),
                b';' if depth == 0 && b.get(i + 1) == Some(&b';') => {
                    body_end = i;
                    i += 2;
                    break;
                }
                _ if word_at(b, i, "case") => {
                    depth += 1;
                    i += 4;
                }
                _ if word_at(b, i, "esac") => {
                    if depth == 0 {
                        body_end = i;
                        break;
                    }
                    depth -= 1;
                    i += 4;
                }
                _ => i += 1,
            }
        }
        if chosen.is_none()
            && patterns.split('|').any(|p| {
                let p = p.trim().trim_matches(['\'', '"']);
                AMD64_NAMES.iter().any(|name| glob(p, name))
            })
        {
            chosen = Some(format!(" {} ", script.get(body_start..body_end)?));
        }
    }
}

/// Shell pattern matching with `*` and `?` (enough for architecture names).
fn glob(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(c)) if a == c => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), name.as_bytes())
}

fn push_command(commands: &mut Vec<Command>, current: &mut Command, skip_for_header: &mut bool) {
    let mut cmd = std::mem::take(current);
    // Drop leading keywords and variable assignments (`FOO=bar cmd`).
    while let Some(first) = cmd.words.first() {
        if first == "for" || first == "case" {
            // `for x in a b c` and `case x in` are headers, not commands.
            cmd.words.clear();
            *skip_for_header = false;
        } else if KEYWORDS.contains(&first.as_str()) {
            cmd.words.remove(0);
        } else if is_assignment(first) {
            // `FOO=bar cmd` runs cmd; a bare `FOO=$(…)` only sets a variable.
            cmd.words.remove(0);
        } else {
            break;
        }
    }
    if !cmd.words.is_empty() || !cmd.writes.is_empty() {
        commands.push(cmd);
    }
}

fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

/// Expands `$NAME` or `${NAME...}` starting at `chars[i] == '$'`; returns the next index.
fn expand_var(
    chars: &[char],
    i: usize,
    word: &mut String,
    vars: &dyn Fn(&str) -> Option<String>,
) -> usize {
    let mut j = i + 1;
    if chars.get(j) == Some(&'{') {
        let start = j + 1;
        let mut end = start;
        while end < chars.len() && chars[end] != '}' {
            end += 1;
        }
        let inner: String = chars[start..end.min(chars.len())].iter().collect();
        let name: String = inner
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let rest = &inner[name.len()..];
        match vars(&name) {
            Some(v) if rest.is_empty() || rest.starts_with(":-") || rest.starts_with('-') => {
                word.push_str(&v)
            }
            None if rest.starts_with(":-") || rest.starts_with('-') => {
                word.push_str(rest.trim_start_matches(':').trim_start_matches('-'))
            }
            _ => {
                word.push_str("${");
                word.push_str(&inner);
                word.push('}');
            }
        }
        return (end + 1).min(chars.len());
    }
    let start = j;
    while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
        j += 1;
    }
    if j == start {
        word.push('$');
        return j;
    }
    let name: String = chars[start..j].iter().collect();
    match vars(&name) {
        Some(v) => word.push_str(&v),
        None => {
            word.push('$');
            word.push_str(&name);
        }
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(script: &str) -> Vec<String> {
        split(script, &|_| None)
            .iter()
            .map(|c| c.words.join(" "))
            .collect()
    }

    #[test]
    fn splits_on_operators_and_continuations() {
        assert_eq!(
            words("set -eux; apt-get update && apt-get install -y \\\n  curl \\\n  git && rm -rf /var/lib/apt/lists/*"),
            vec!["set -eux", "apt-get update", "apt-get install -y curl git", "rm -rf /var/lib/apt/lists/*"]
        );
    }

    #[test]
    fn pipes_redirections_and_quotes() {
        let cmds = split(
            "curl -fsSL 'https://x/y.sh' | sh 2>&1 > /tmp/log; echo \"a b\" >> /etc/f",
            &|_| None,
        );
        assert_eq!(cmds[0].words, vec!["curl", "-fsSL", "https://x/y.sh"]);
        assert!(cmds[0].piped);
        assert_eq!(cmds[1].words, vec!["sh"]);
        assert_eq!(cmds[1].writes, vec!["/tmp/log"]);
        assert_eq!(cmds[2].words, vec!["echo", "a b"]);
        assert_eq!(cmds[2].writes, vec!["/etc/f"]);
    }

    #[test]
    fn unquoted_expansions_split_into_words() {
        let cmds = split("apt-get install -y $DEPS \"$ONE\"", &|n| match n {
            "DEPS" => Some("autoconf \t\tre2c\n make".to_string()),
            "ONE" => Some("a b".to_string()),
            _ => None,
        });
        assert_eq!(
            cmds[0].words,
            vec!["apt-get", "install", "-y", "autoconf", "re2c", "make", "a b"]
        );
    }

    #[test]
    fn expands_known_variables() {
        let cmds = split("pip install \"fastapi==${V}\" $X", &|n| {
            (n == "V").then(|| "1.0".to_string())
        });
        assert_eq!(cmds[0].words, vec!["pip", "install", "fastapi==1.0", "$X"]);
    }

    #[test]
    fn an_architecture_case_keeps_the_amd64_branch() {
        let script =
            "set -eux; dpkgArch=\"$(dpkg --print-architecture)\"; case \"${dpkgArch##*-}\" in \\\n\
            amd64|arm64) apt-get install -y nginx ;; \\\n\
            *) apt-get install -y gcc make; case \"$x\" in a) echo a ;; esac; make install ;; \\\n\
            esac; echo done";
        assert_eq!(
            words(script),
            vec!["set -eux", "apt-get install -y nginx", "echo done"]
        );
        // The catch-all branch when no branch names amd64.
        assert_eq!(
            words("case \"$(apk --print-arch)\" in aarch64) echo arm ;; *) echo other ;; esac"),
            vec!["echo other"]
        );
        // Not an architecture: every branch is seen.
        assert_eq!(
            words("case \"$MODE\" in dev) echo dev ;; *) echo prod ;; esac"),
            vec!["echo dev", "*", "echo prod"]
        );
        assert!(glob("x86*", "x86_64") && glob("*", "amd64") && !glob("arm*", "amd64"));
    }

    #[test]
    fn skips_control_keywords() {
        assert_eq!(
            words("if true; then apt-get update; fi"),
            vec!["true", "apt-get update"]
        );
    }
}
