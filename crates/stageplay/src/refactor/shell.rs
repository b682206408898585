//! The refactors' view of shell text ([`crate::syntax::shell`]): the top-level commands of a
//! `RUN`, `CMD` or `ENTRYPOINT`, and the writers that put commands back together (as written,
//! or in exec form).

pub use crate::syntax::shell::{
    basename, is_assignment, operands, value_options, Command, Script, Word,
};

/// The top-level simple commands of `text` (not those inside `$(…)`; no loop headers or lone
/// keywords).
pub fn commands(text: &str) -> Vec<Command> {
    let mut cmds = Script::parse(text).into_commands();
    cmds.retain(|c| c.depth == 0);
    cmds
}

/// `cmd` rebuilt from its pieces as written in `script` (assignments, words, redirections),
/// one space apart, with `insert` right after its word `at` (a flag after a sub-command:
/// `apk add --no-cache …`).
pub fn with_inserted(script: &Script, cmd: &Command, at: usize, insert: &str) -> String {
    let mut pieces: Vec<&str> = cmd
        .keywords
        .iter()
        .chain(&cmd.assignments)
        .map(|w| script.slice(w.raw))
        .collect();
    for (i, w) in cmd.words.iter().enumerate() {
        pieces.push(script.slice(w.raw));
        if i == at {
            pieces.push(insert);
        }
    }
    pieces.extend(cmd.redirects.iter().map(|r| script.slice(r.raw)));
    pieces.join(" ")
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
    fn inserted_flags_keep_every_piece_as_written() {
        let s = Script::parse("apk add \tgit >/dev/null && A=1 apk  add --virtual '.b' gcc");
        let cmds: Vec<&Command> = s.commands().collect();
        assert_eq!(
            with_inserted(&s, cmds[0], 1, "--no-cache"),
            "apk add --no-cache git >/dev/null"
        );
        assert_eq!(
            with_inserted(&s, cmds[1], 1, "--no-cache"),
            "A=1 apk add --no-cache --virtual '.b' gcc"
        );
        assert_eq!(commands("(cd x && make) && rm -r x").len(), 3);
    }
}
