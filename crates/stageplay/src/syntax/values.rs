//! Per-instruction argument parsing: BuildKit's dispatch table (`line_parsers.go`).
//!
//! Each function reads the arguments after the flags and returns BuildKit's value list
//! (the `Node.Next` chain), whether the JSON form was used, and where the JSON strings are.
//! An `Err` carries BuildKit's message for the errors that reject the whole file.

use super::gocompat::{is_space, split_token_space, trim_left_space};
use super::json::{parse_array, JsonArray, JsonString};

/// The value list of one instruction node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NodeValues {
    pub values: Vec<String>,
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
) -> Result<NodeValues, String> {
    match dispatch {
        Dispatch::MaybeJsonToList => maybe_json_to_list(rest),
        Dispatch::NameOrNameVal => Ok(plain(
            parse_words(rest, escape)
                .into_iter()
                .map(|w| w.text)
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
            plain(vec![rest.to_string()])
        }),
        // ONBUILD is handled by the caller; an unknown instruction keeps one empty value.
        Dispatch::SubCommand => Ok(NodeValues::default()),
        Dispatch::Ignore => Ok(plain(vec![String::new()])),
    }
}

fn plain(values: Vec<String>) -> NodeValues {
    NodeValues {
        values,
        ..NodeValues::default()
    }
}

/// A word from BuildKit's `parseWords`, quotes and escapes kept, with its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RangedWord {
    pub text: String,
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
pub(crate) fn parse_words(rest: &str, escape: char) -> Vec<RangedWord> {
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
                words.push(RangedWord {
                    text: std::mem::take(&mut word),
                    start,
                    end: rest.len(),
                });
            }
            break;
        }
        if phase == Phase::Word {
            if is_space(ch) {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push(RangedWord {
                        text: std::mem::take(&mut word),
                        start,
                        end: at(pos),
                    });
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

/// `parseNameVal` for ENV and LABEL: `k=v ...` or the legacy `k v`.
fn name_val(rest: &str, key: &str, escape: char) -> Result<NodeValues, String> {
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
            rest[k.0..k.1].to_string(),
            rest[v.0..v.1].to_string(),
        ]));
    }
    let mut values = Vec::with_capacity(words.len() * 2);
    for word in &words {
        let Some((k, v)) = word.text.split_once('=') else {
            return Err(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                super::gocompat::go_quote(&word.text)
            ));
        };
        values.push(k.to_string());
        values.push(v.to_string());
    }
    Ok(plain(values))
}

/// `parseStringsWhitespaceDelimited`.
fn whitespace_delimited(rest: &str) -> NodeValues {
    if rest.is_empty() {
        return NodeValues::default();
    }
    plain(
        split_token_space(rest, 0)
            .into_iter()
            .map(|(s, e)| rest[s..e].to_string())
            .collect(),
    )
}

/// `parseJSON`: `Ok(Some)` for a string array, `Ok(None)` when not JSON.
fn json(rest: &str) -> Result<Option<NodeValues>, String> {
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
                values: exec.iter().map(|i| i.value.clone()).collect(),
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
fn maybe_json(rest: &str) -> Result<NodeValues, String> {
    if rest.is_empty() {
        return Ok(NodeValues::default());
    }
    Ok(json(rest)?.unwrap_or_else(|| plain(vec![rest.to_string()])))
}

/// `parseMaybeJSONToList`: JSON, or whitespace-separated words.
fn maybe_json_to_list(rest: &str) -> Result<NodeValues, String> {
    Ok(json(rest)?.unwrap_or_else(|| whitespace_delimited(rest)))
}

/// `parseHealthConfig`: the type word (`CMD`, `NONE`), then `parseMaybeJSON`.
fn health_config(rest: &str) -> Result<NodeValues, String> {
    let sep = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '\u{0B}')
        .unwrap_or(rest.len());
    if sep == 0 {
        return Ok(NodeValues::default());
    }
    let next = rest[sep..]
        .find(|c: char| !(c.is_ascii_whitespace() || c == '\u{0B}'))
        .map_or(rest.len(), |i| sep + i);
    let typ = rest[..sep].to_string();
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
        parse_values(dispatch_for(cmd), rest, '\\').map(|v| v.values)
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
        let words: Vec<String> = parse_words(r#"a="x y" b='z' c=d\ e"#, '\\')
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
}
