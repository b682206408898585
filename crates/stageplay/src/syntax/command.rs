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

/// Go's `unicode.IsSpace(rune(b))` on one byte, as BuildKit's flag splitter tests bytes:
/// besides ASCII whitespace, the bytes 0x85 and 0xA0 (parts of some UTF-8 characters) count.
fn is_flag_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0x85 | 0xA0)
}

#[derive(PartialEq, Clone, Copy)]
enum Phase {
    Spaces,
    Word,
    Quote,
}

/// The first char boundary at or after `pos`.
fn ceil_boundary(line: &str, mut pos: usize) -> usize {
    while pos < line.len() && !line.is_char_boundary(pos) {
        pos += 1;
    }
    pos.min(line.len())
}

/// The last char boundary at or before `pos`.
fn floor_boundary(line: &str, mut pos: usize) -> usize {
    pos = pos.min(line.len());
    while pos > 0 && !line.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

/// BuildKit's `extractBuilderFlags`: the offset where the arguments start, and the flags.
///
/// Like BuildKit it works on bytes and appends each byte as a rune, so non-ASCII text in
/// a flag comes out as Latin-1 (`é` becomes `Ã©`), which is what BuildKit then uses. Ranges
/// are widened to char boundaries.
fn extract_flags(line: &str) -> (usize, Vec<RawFlag>) {
    let bytes = line.as_bytes();
    let n = bytes.len();
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut pos = 0;
    let push = |flags: &mut Vec<RawFlag>, word: String, start: usize, end: usize| {
        flags.push(RawFlag {
            processed: word,
            start: floor_boundary(line, start),
            end: ceil_boundary(line, end),
        });
    };
    while pos <= n {
        let ch = bytes.get(pos).copied().unwrap_or(0);
        if phase == Phase::Spaces {
            if pos == n {
                break;
            }
            if is_flag_space(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || bytes.get(pos + 1) != Some(&b'-') {
                return (ceil_boundary(line, pos), flags);
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if pos == n {
            if word != "--" && (blank_ok || !word.is_empty()) {
                push(&mut flags, word, word_start, n);
            }
            break;
        }
        if phase == Phase::Word {
            if is_flag_space(ch) {
                phase = Phase::Spaces;
                if word == "--" {
                    return (ceil_boundary(line, pos), flags);
                }
                if blank_ok || !word.is_empty() {
                    push(&mut flags, std::mem::take(&mut word), word_start, pos);
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            let mut c = ch;
            if ch == b'\\' {
                if pos + 1 == n {
                    pos += 1;
                    continue;
                }
                pos += 1;
                c = bytes[pos];
            }
            word.push(char::from(c));
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
        if ch == b'\\' {
            if pos + 1 == n {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            c = bytes[pos];
        }
        word.push(char::from(c));
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
