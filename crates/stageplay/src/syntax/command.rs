//! Splitting an instruction line into keyword, flags and arguments (BuildKit's
//! `splitCommand` and `extractBuilderFlags`), keeping byte ranges into the line.

use super::gocompat::{is_token_space, trim_space};

/// A `--flag` as BuildKit's parser splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawFlag {
    /// The word with quotes removed and `\` escapes applied, e.g. `--from=build`.
    pub processed: String,
    /// Byte range of the flag as written.
    pub start: usize,
    pub end: usize,
}

/// The result of `splitCommand`: ranges are byte offsets into the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SplitLine {
    pub cmd: (usize, usize),
    pub flags: Vec<RawFlag>,
    /// The arguments after the flags, trimmed.
    pub args: (usize, usize),
}

/// BuildKit's `splitCommand`.
pub(crate) fn split_command(line: &str) -> SplitLine {
    let (trimmed, offset) = trim_space(line);
    let cmd_end = trimmed.find(is_token_space).unwrap_or(trimmed.len());
    let cmd = (offset, offset + cmd_end);
    let rest_start = trimmed[cmd_end..]
        .char_indices()
        .find(|&(_, c)| !is_token_space(c))
        .map_or(trimmed.len(), |(i, _)| cmd_end + i);
    if rest_start >= trimmed.len() {
        let end = offset + trimmed.len();
        return SplitLine {
            cmd,
            flags: Vec::new(),
            args: (end, end),
        };
    }
    let rest = &trimmed[rest_start..];
    let (args_at, flags) = extract_flags(rest);
    let base = offset + rest_start;
    let flags = flags
        .into_iter()
        .map(|f| RawFlag {
            processed: f.processed,
            start: f.start + base,
            end: f.end + base,
        })
        .collect();
    let args_text = &rest[args_at..];
    let (args_trimmed, args_offset) = trim_space(args_text);
    let start = base + args_at + args_offset;
    SplitLine {
        cmd,
        flags,
        args: (start, start + args_trimmed.len()),
    }
}

/// Go's `unicode.IsSpace` on the bytes BuildKit looks at; non-ASCII characters never split.
fn is_flag_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ')
}

#[derive(PartialEq, Clone, Copy)]
enum Phase {
    Spaces,
    Word,
    Quote,
}

/// BuildKit's `extractBuilderFlags`: the offset where the arguments start, and the flags.
fn extract_flags(line: &str) -> (usize, Vec<RawFlag>) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let n = chars.len();
    let at = |i: usize| chars.get(i).map_or(line.len(), |&(o, _)| o);
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut pos = 0;
    while pos <= n {
        let ch = chars.get(pos).map_or('\0', |&(_, c)| c);
        if phase == Phase::Spaces {
            if pos == n {
                break;
            }
            if is_flag_space(ch) {
                pos += 1;
                continue;
            }
            let next_is_dash = chars.get(pos + 1).is_some_and(|&(_, c)| c == '-');
            if ch != '-' || !next_is_dash {
                return (at(pos), flags);
            }
            phase = Phase::Word;
            word_start = at(pos);
        }
        if pos == n {
            if word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(RawFlag {
                    processed: word,
                    start: word_start,
                    end: line.len(),
                });
            }
            break;
        }
        if phase == Phase::Word {
            if is_flag_space(ch) {
                phase = Phase::Spaces;
                if word == "--" {
                    return (at(pos), flags);
                }
                if blank_ok || !word.is_empty() {
                    flags.push(RawFlag {
                        processed: std::mem::take(&mut word),
                        start: word_start,
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
                pos += 1;
                continue;
            }
            let mut c = ch;
            if ch == '\\' {
                if pos + 1 == n {
                    pos += 1;
                    continue;
                }
                pos += 1;
                c = chars[pos].1;
            }
            word.push(c);
            pos += 1;
            continue;
        }
        // Inside quotes.
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        let mut c = ch;
        if ch == '\\' {
            if pos + 1 == n {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            c = chars[pos].1;
        }
        word.push(c);
        pos += 1;
    }
    (line.len(), flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> (String, Vec<String>, String) {
        let s = split_command(line);
        (
            line[s.cmd.0..s.cmd.1].to_string(),
            s.flags.iter().map(|f| f.processed.clone()).collect(),
            line[s.args.0..s.args.1].to_string(),
        )
    }

    #[test]
    fn splits_flags_like_buildkit() {
        assert_eq!(
            split("COPY --from builder /a /b"),
            ("COPY".into(), vec!["--from".into()], "builder /a /b".into())
        );
        assert_eq!(
            split("COPY --link --chmod=755 a b"),
            (
                "COPY".into(),
                vec!["--link".into(), "--chmod=755".into()],
                "a b".into()
            )
        );
        assert_eq!(
            split("COPY --a=\"x y\" b"),
            ("COPY".into(), vec!["--a=x y".into()], "b".into())
        );
        assert_eq!(
            split("CMD --doit -- [ ]"),
            ("CMD".into(), vec!["--doit".into()], "[ ]".into())
        );
        assert_eq!(split("  RUN  "), ("RUN".into(), vec![], "".into()));
        assert_eq!(
            split("RUN --x"),
            ("RUN".into(), vec!["--x".into()], "".into())
        );
    }
}
