//! Per-instruction argument parsing: BuildKit's dispatch table (`line_parsers.go`).
//!
//! Each function reads the arguments after the flags and returns BuildKit's value list
//! (the `Node.Next` chain), whether the JSON form was used, and where the JSON strings are.
//! An `Err` carries BuildKit's message for the errors that reject the whole file.

use super::gocompat::{is_space, split_token_space, trim_left_space};
use super::json::{parse_array, JsonArray, JsonString};
use std::borrow::Cow;

/// The value list of one instruction node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NodeValues<'a> {
    /// Slices of the arguments where BuildKit's values are (almost always), owned strings
    /// where they are not (decoded JSON strings).
    pub values: Vec<Cow<'a, str>>,
    pub json: bool,
    /// The JSON strings with byte ranges relative to the arguments, when `json`.
    pub exec: Vec<JsonString>,
    /// Offset (in the arguments) where the JSON part starts, for HEALTHCHECK `CMD [...]`.
    pub exec_offset: usize,
}

/// How an instruction's arguments are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dispatch {
    MaybeJsonToList,
    NameOrNameVal,
    MaybeJson,
    Env,
    Label,
    WhitespaceDelimited,
    HealthConfig,
    String,
    SubCommand,
    Ignore,
}

/// BuildKit's dispatch table, keyed by the lower-cased keyword.
pub(crate) fn dispatch_for(cmd_lower: &str) -> Dispatch {
    match cmd_lower {
        "add" | "copy" | "volume" => Dispatch::MaybeJsonToList,
        "arg" => Dispatch::NameOrNameVal,
        "cmd" | "entrypoint" | "run" | "shell" => Dispatch::MaybeJson,
        "env" => Dispatch::Env,
        "label" => Dispatch::Label,
        "expose" | "from" => Dispatch::WhitespaceDelimited,
        "healthcheck" => Dispatch::HealthConfig,
        "maintainer" | "stopsignal" | "user" | "workdir" => Dispatch::String,
        "onbuild" => Dispatch::SubCommand,
        _ => Dispatch::Ignore,
    }
}

pub(crate) const NOT_STRING_ARRAY: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// Runs a line parser other than ONBUILD's on `rest`.
pub(crate) fn parse_values(
    dispatch: Dispatch,
    rest: &str,
    escape: char,
) -> Result<NodeValues<'_>, String> {
    match dispatch {
        Dispatch::MaybeJsonToList => maybe_json_to_list(rest),
        Dispatch::NameOrNameVal => Ok(plain(
            parse_words(rest, escape)
                .into_iter()
                .map(|w| Cow::Borrowed(w.text))
                .collect(),
        )),
        Dispatch::MaybeJson => maybe_json(rest),
        Dispatch::Env => name_val(rest, "ENV", escape),
        Dispatch::Label => name_val(rest, "LABEL", escape),
        Dispatch::WhitespaceDelimited => Ok(whitespace_delimited(rest)),
        Dispatch::HealthConfig => health_config(rest),
        Dispatch::String => Ok(if rest.is_empty() {
            NodeValues::default()
        } else {
            plain(vec![Cow::Borrowed(rest)])
        }),
        // ONBUILD is handled by the caller; an unknown instruction keeps one empty value.
        Dispatch::SubCommand => Ok(NodeValues::default()),
        Dispatch::Ignore => Ok(plain(vec![Cow::Borrowed("")])),
    }
}

fn plain(values: Vec<Cow<'_, str>>) -> NodeValues<'_> {
    NodeValues {
        values,
        ..NodeValues::default()
    }
}

/// A word from BuildKit's `parseWords`, quotes and escapes kept, with its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RangedWord<'a> {
    /// The word's text: `rest[start..end]`, except that a trailing escape character at the
    /// very end of the arguments is left out (BuildKit drops it).
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

#[derive(PartialEq, Clone, Copy)]
enum Phase {
    Spaces,
    Word,
    Quote,
}

/// BuildKit's `parseWords`: whitespace-separated words, quotes and escapes kept.
///
/// Every character BuildKit appends to a word is the next one of the source, so a word is a
/// slice of `rest` (only a final escape character is dropped); no text is copied.
pub(crate) fn parse_words(rest: &str, escape: char) -> Vec<RangedWord<'_>> {
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut start = 0;
    // End of the text taken into the current word so far.
    let mut text_end = 0;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut chars = rest.char_indices();
    loop {
        let next = chars.next();
        if phase == Phase::Spaces {
            let Some((i, ch)) = next else { break };
            if is_space(ch) {
                continue;
            }
            phase = Phase::Word;
            start = i;
            text_end = i;
        }
        let Some((i, ch)) = next else {
            if blank_ok || text_end > start {
                words.push(RangedWord {
                    text: &rest[start..text_end],
                    start,
                    end: rest.len(),
                });
            }
            break;
        };
        let mut ch_end = i + ch.len_utf8();
        if phase == Phase::Word {
            if is_space(ch) {
                phase = Phase::Spaces;
                if blank_ok || text_end > start {
                    words.push(RangedWord {
                        text: &rest[start..text_end],
                        start,
                        end: i,
                    });
                }
                blank_ok = false;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                match chars.next() {
                    None => continue,
                    Some((j, c)) => ch_end = j + c.len_utf8(),
                }
            }
            text_end = ch_end;
            continue;
        }
        // Inside quotes.
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            match chars.next() {
                None => {
                    phase = Phase::Word;
                    continue;
                }
                Some((j, c)) => ch_end = j + c.len_utf8(),
            }
        }
        text_end = ch_end;
    }
    words
}

/// `parseNameVal` for ENV and LABEL: `k=v ...` or the legacy `k v`.
fn name_val<'a>(rest: &'a str, key: &str, escape: char) -> Result<NodeValues<'a>, String> {
    let words = parse_words(rest, escape);
    let Some(first) = words.first() else {
        return Ok(NodeValues::default());
    };
    if !first.text.contains('=') {
        let parts = split_token_space(rest, 2);
        if parts.len() < 2 {
            return Err(format!("{key} must have two arguments"));
        }
        let (k, v) = (parts[0], parts[1]);
        return Ok(plain(vec![
            Cow::Borrowed(&rest[k.0..k.1]),
            Cow::Borrowed(&rest[v.0..v.1]),
        ]));
    }
    let mut values = Vec::with_capacity(words.len() * 2);
    for word in &words {
        let Some((k, v)) = word.text.split_once('=') else {
            return Err(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                super::gocompat::go_quote(word.text)
            ));
        };
        values.push(Cow::Borrowed(k));
        values.push(Cow::Borrowed(v));
    }
    Ok(plain(values))
}

/// `parseStringsWhitespaceDelimited`.
fn whitespace_delimited(rest: &str) -> NodeValues<'_> {
    if rest.is_empty() {
        return NodeValues::default();
    }
    plain(
        split_token_space(rest, 0)
            .into_iter()
            .map(|(s, e)| Cow::Borrowed(&rest[s..e]))
            .collect(),
    )
}

/// `parseJSON`: `Ok(Some)` for a string array, `Ok(None)` when not JSON.
fn json(rest: &str) -> Result<Option<NodeValues<'_>>, String> {
    let (trimmed, offset) = trim_left_space(rest);
    if !trimmed.starts_with('[') {
        return Ok(None);
    }
    match parse_array(trimmed) {
        JsonArray::Strings { items, .. } => {
            let exec: Vec<JsonString> = items
                .into_iter()
                .map(|i| JsonString {
                    value: i.value,
                    start: i.start + offset,
                    end: i.end + offset,
                })
                .collect();
            Ok(Some(NodeValues {
                values: exec.iter().map(|i| Cow::Owned(i.value.clone())).collect(),
                json: true,
                exec,
                exec_offset: offset,
            }))
        }
        JsonArray::NotStrings => Err(NOT_STRING_ARRAY.to_string()),
        JsonArray::Invalid => Ok(None),
    }
}

/// `parseMaybeJSON`: JSON, or the whole text as one value.
fn maybe_json(rest: &str) -> Result<NodeValues<'_>, String> {
    if rest.is_empty() {
        return Ok(NodeValues::default());
    }
    Ok(json(rest)?.unwrap_or_else(|| plain(vec![Cow::Borrowed(rest)])))
}

/// `parseMaybeJSONToList`: JSON, or whitespace-separated words.
fn maybe_json_to_list(rest: &str) -> Result<NodeValues<'_>, String> {
    Ok(json(rest)?.unwrap_or_else(|| whitespace_delimited(rest)))
}

/// `parseHealthConfig`: the type word (`CMD`, `NONE`), then `parseMaybeJSON`.
fn health_config(rest: &str) -> Result<NodeValues<'_>, String> {
    let sep = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '\u{0B}')
        .unwrap_or(rest.len());
    if sep == 0 {
        return Ok(NodeValues::default());
    }
    let next = rest[sep..]
        .find(|c: char| !(c.is_ascii_whitespace() || c == '\u{0B}'))
        .map_or(rest.len(), |i| sep + i);
    let typ = Cow::Borrowed(&rest[..sep]);
    let mut cmd = maybe_json(&rest[next..])?;
    for item in &mut cmd.exec {
        item.start += next;
        item.end += next;
    }
    cmd.exec_offset += next;
    cmd.values.insert(0, typ);
    Ok(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(cmd: &str, rest: &str) -> Result<Vec<String>, String> {
        parse_values(dispatch_for(cmd), rest, '\\')
            .map(|v| v.values.into_iter().map(Cow::into_owned).collect())
    }

    #[test]
    fn env_forms() {
        assert_eq!(values("env", "a=b c=d").unwrap(), ["a", "b", "c", "d"]);
        assert_eq!(values("env", "a b c  d").unwrap(), ["a", "b c  d"]);
        assert_eq!(values("env", "\"a b\" c").unwrap(), ["\"a", "b\" c"]);
        assert_eq!(
            values("label", "a").unwrap_err(),
            "LABEL must have two arguments"
        );
        assert_eq!(
            values("env", "a=b c").unwrap_err(),
            "Syntax error - can't find = in \"c\". Must be of the form: name=value"
        );
    }

    #[test]
    fn words_keep_quotes() {
        let words: Vec<&str> = parse_words(r#"a="x y" b='z' c=d\ e"#, '\\')
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(words, [r#"a="x y""#, "b='z'", r"c=d\ e"]);
    }

    #[test]
    fn health() {
        assert_eq!(values("healthcheck", "CMD [\"a\"]").unwrap(), ["CMD", "a"]);
        assert_eq!(values("healthcheck", "cmd a b").unwrap(), ["cmd", "a b"]);
        assert_eq!(values("healthcheck", "NONE").unwrap(), ["NONE"]);
    }

    /// The character-by-character `parseWords` this module used before words became slices.
    fn reference_words(rest: &str, escape: char) -> Vec<(String, usize, usize)> {
        let chars: Vec<(usize, char)> = rest.char_indices().collect();
        let n = chars.len();
        let at = |i: usize| chars.get(i).map_or(rest.len(), |&(o, _)| o);
        let mut words = Vec::new();
        let mut phase = Phase::Spaces;
        let mut word = String::new();
        let mut start = 0;
        let mut quote = '\0';
        let mut blank_ok = false;
        let mut pos = 0;
        while pos <= n {
            let mut ch = chars.get(pos).map_or('\0', |&(_, c)| c);
            if phase == Phase::Spaces {
                if pos == n {
                    break;
                }
                if is_space(ch) {
                    pos += 1;
                    continue;
                }
                phase = Phase::Word;
                start = at(pos);
            }
            if pos == n {
                if blank_ok || !word.is_empty() {
                    words.push((std::mem::take(&mut word), start, rest.len()));
                }
                break;
            }
            if phase == Phase::Word {
                if is_space(ch) {
                    phase = Phase::Spaces;
                    if blank_ok || !word.is_empty() {
                        words.push((std::mem::take(&mut word), start, at(pos)));
                    }
                    word.clear();
                    blank_ok = false;
                    pos += 1;
                    continue;
                }
                if ch == '\'' || ch == '"' {
                    quote = ch;
                    blank_ok = true;
                    phase = Phase::Quote;
                }
                if ch == escape {
                    if pos + 1 == n {
                        pos += 1;
                        continue;
                    }
                    word.push(ch);
                    pos += 1;
                    ch = chars[pos].1;
                }
                word.push(ch);
                pos += 1;
                continue;
            }
            // Inside quotes.
            if ch == quote {
                phase = Phase::Word;
            }
            if ch == escape && quote != '\'' {
                if pos + 1 == n {
                    phase = Phase::Word;
                    pos += 1;
                    continue;
                }
                pos += 1;
                word.push(ch);
                ch = chars[pos].1;
            }
            word.push(ch);
            pos += 1;
        }
        words
    }

    #[test]
    fn words_are_the_characters_buildkit_appends() {
        let alphabet = [
            'a', ' ', '\t', '\'', '"', '\\', '`', '=', 'é', '\u{A0}', '$',
        ];
        let mut seed = 0x2545_f491_u32;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let len = (seed % 9) as usize;
            let text: String = (0..len)
                .map(|i| alphabet[((seed >> (i * 3 % 29)) as usize + i) % alphabet.len()])
                .collect();
            for escape in ['\\', '`'] {
                let ours: Vec<(String, usize, usize)> = parse_words(&text, escape)
                    .into_iter()
                    .map(|w| (w.text.to_string(), w.start, w.end))
                    .collect();
                assert_eq!(ours, reference_words(&text, escape), "{text:?} {escape:?}");
            }
        }
        let words = parse_words("a b\\", '\\');
        assert_eq!((words[1].text, words[1].end), ("b", 4));
    }
}
