//! Finding heredoc markers in an instruction line, as BuildKit v0.12's parser does.
//!
//! BuildKit splits the whole line into shell words (raw quotes and escapes kept, unset
//! variables left as written, escape always `\`), then reads every word matching
//! `^(\d*)<<(-?)([^<]*)$` as a heredoc marker. A line the shell lexer cannot split (an
//! unterminated quote, a bad `${...}`) has no heredocs at all.

use super::expand::{Budget, Grammar, Lex, Unset, Word};

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

fn marker_from_word(word: &Word) -> Result<Option<Marker>, String> {
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

/// Word splitting of BuildKit v0.12's `shell.Lex.ProcessWords` with an empty environment
/// and `SkipUnsetEnv` (every variable reference stays as written): the engine's one expander
/// with v0.12's `${…}` forms.
fn split_words(text: &str, opts: LexOptions) -> Result<Vec<Word>, String> {
    let lex = Lex {
        raw_quotes: opts.raw_quotes,
        raw_escapes: opts.raw_escapes,
        unset: Unset::Verbatim,
        grammar: Grammar::V0_12,
        ..Lex::new('\\')
    };
    // No variable is set, so nothing is charged to the budget.
    lex.process_spanned(text, &|_| None, &Budget::new(0))
        .map(|(_, words)| words)
        .map_err(|e| e.message)
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
