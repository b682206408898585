//! What the cursor is on: an instruction keyword being typed, a flag's name or value, a
//! `--mount` option, a variable, or an argument word. Completion reads it; the spans of
//! `--mount` options are also what hover and the stage references read.

use super::Document;
use crate::span::Span;
use crate::syntax::{Flag, Instruction, Keyword};

/// Where the cursor is, for completion.
#[derive(Debug, Clone)]
pub(crate) enum Place<'a> {
    /// An instruction keyword: at the start of a line, or ONBUILD's trigger.
    Keyword { word: Span, onbuild: bool },
    /// A `--flag` name (`word` starts at the dashes).
    FlagName {
        instruction: &'a Instruction,
        word: Span,
    },
    /// Inside a flag's value (`value` is its source span).
    FlagValue {
        instruction: &'a Instruction,
        at: usize,
        flag: &'a Flag,
        value: Span,
    },
    /// A variable name after `$` or `${` (`word` is the name typed so far and the rest of it).
    Variable {
        instruction: Option<usize>,
        word: Span,
        braced: bool,
    },
    /// Argument word `index` of the instruction (0 = the first after the flags); `first` is
    /// true while no argument precedes it, so a flag may still be typed there. `at` is the
    /// index in the file of the instruction (of the ONBUILD holding it, for a trigger).
    Argument {
        instruction: &'a Instruction,
        at: usize,
        index: usize,
        word: Span,
        first: bool,
    },
    /// Nothing to offer: a comment, a heredoc body, a continuation line of a command.
    Nothing,
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The span of the run of bytes around `offset` that `keep` accepts (back to the first byte it
/// refuses, forward likewise).
pub(crate) fn word_around(text: &str, offset: u32, keep: impl Fn(u8) -> bool) -> Span {
    let bytes = text.as_bytes();
    let at = (offset as usize).min(bytes.len());
    let mut start = at;
    while start > 0 && keep(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = at;
    while end < bytes.len() && keep(bytes[end]) {
        end += 1;
    }
    // Each end is the text's end or next to a byte `keep` refused: ASCII, or the last byte of a
    // character (a cursor is never inside one), so both ends are character boundaries.
    Span::new(start as u32, end as u32)
}

fn not_space(b: u8) -> bool {
    !b.is_ascii_whitespace()
}

pub(crate) fn place<'a>(d: &Document<'a>, offset: u32) -> Place<'a> {
    let offset = d.clamp(offset);
    let text = d.text;
    let line_start = text[..offset as usize].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset as usize];
    if before.trim_start().starts_with('#') {
        return Place::Nothing;
    }
    let found = d.instruction_at(offset);
    if let Some(place) = variable(d, offset, found.map(|(i, _)| i)) {
        return place;
    }
    let Some((at, instruction)) = found else {
        let continued =
            line_start > 0 && super::line_continues(text, d.escape(), (line_start - 1) as u32);
        let typed = before.trim_start();
        if continued || !typed.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Place::Nothing;
        }
        let word = word_around(text, offset, |b| b.is_ascii_alphabetic());
        return Place::Keyword {
            word,
            onbuild: false,
        };
    };
    if instruction
        .heredocs()
        .iter()
        .any(|h| h.body_span.start <= offset && offset <= h.end_span.end)
    {
        return Place::Nothing;
    }
    if instruction.keyword_span.start <= offset && offset <= instruction.keyword_span.end {
        return Place::Keyword {
            word: instruction.keyword_span,
            onbuild: false,
        };
    }
    let mut instruction = instruction;
    if instruction.keyword == Keyword::Onbuild {
        match instruction.onbuild() {
            Some(inner)
                if inner.keyword_span.start <= offset && offset <= inner.keyword_span.end =>
            {
                return Place::Keyword {
                    word: inner.keyword_span,
                    onbuild: true,
                }
            }
            Some(inner) if offset > inner.keyword_span.end => instruction = inner,
            _ => {
                return Place::Keyword {
                    word: word_around(text, offset, |b| b.is_ascii_alphabetic()),
                    onbuild: true,
                }
            }
        }
    }
    for flag in &instruction.flags {
        if flag.span.start <= offset && offset <= flag.span.end {
            return match flag.value_span {
                Some(value) if offset >= value.start => Place::FlagValue {
                    instruction,
                    at,
                    flag,
                    value,
                },
                _ => Place::FlagName {
                    instruction,
                    word: Span::new(flag.span.start, flag.name_span.end.max(offset)),
                },
            };
        }
    }
    let word = word_around(text, offset, not_space);
    // The arguments start after the keyword and the flags before the cursor.
    let region_start = instruction
        .flags
        .iter()
        .map(|f| f.span.end)
        .filter(|&end| end <= word.start)
        .chain([instruction.keyword_span.end])
        .max()
        .unwrap_or(word.start);
    let preceding = text
        .get(region_start as usize..word.start as usize)
        .unwrap_or("");
    let escape = d.escape();
    let index = preceding
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
        .filter(|w| w.chars().ne([escape]))
        .count();
    if index == 0 && d.slice(word).starts_with('-') {
        return Place::FlagName { instruction, word };
    }
    if matches!(
        instruction.keyword,
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint
    ) && index > 0
    {
        // Inside a command: the shell's business.
        return Place::Nothing;
    }
    Place::Argument {
        instruction,
        at,
        index,
        word,
        first: index == 0,
    }
}

/// A variable name being typed: `$NA|` or `${NA|`.
fn variable<'a>(d: &Document<'a>, offset: u32, instruction: Option<usize>) -> Option<Place<'a>> {
    let text = d.text.as_bytes();
    let word = word_around(d.text, offset, is_ident);
    let start = word.start as usize;
    let (dollar, braced) = match (
        start.checked_sub(1).map(|i| text[i]),
        start.checked_sub(2).map(|i| text[i]),
    ) {
        (Some(b'$'), _) => (start - 1, false),
        (Some(b'{'), Some(b'$')) => (start - 2, true),
        _ => return None,
    };
    if dollar > 0 && text[dollar - 1] == b'\\' {
        return None;
    }
    // Only the name up to the cursor is replaced; digits cannot start a name.
    if text.get(start).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some(Place::Variable {
        instruction,
        word: Span::new(word.start, word.end),
        braced,
    })
}

/// One `key[=value]` field of a `--mount` value, with source spans (quotes excluded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MountField<'a> {
    pub key: &'a str,
    pub key_span: Span,
    pub value: Option<&'a str>,
    pub value_span: Option<Span>,
    pub span: Span,
}

/// The fields of the `--mount` value at `span` in `text`, split at commas outside double
/// quotes as Go's CSV reader splits them. A value quoted as a whole (`--mount="a=b,c=d"`) is
/// read inside its quotes.
pub(crate) fn mount_fields(text: &str, span: Span) -> Vec<MountField<'_>> {
    let Some(raw) = text.get(span.range()) else {
        return Vec::new();
    };
    let (raw, base) = match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) if !inner.contains('"') => (inner, span.start + 1),
        _ => (raw, span.start),
    };
    let mut fields = Vec::new();
    let mut field_start = 0;
    let mut quoted = false;
    for (i, c) in raw.char_indices().chain([(raw.len(), ',')]) {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                fields.push(field(raw, base, field_start, i));
                field_start = i + 1;
            }
            _ => {}
        }
    }
    fields
}

fn field(raw: &str, base: u32, start: usize, end: usize) -> MountField<'_> {
    let mut s = start;
    let mut e = end;
    if raw[s..e].len() >= 2 && raw[s..e].starts_with('"') && raw[s..e].ends_with('"') {
        s += 1;
        e -= 1;
    }
    let body = &raw[s..e];
    let at = |i: usize| base + i as u32;
    match body.find('=') {
        Some(eq) => MountField {
            key: &body[..eq],
            key_span: Span::new(at(s), at(s + eq)),
            value: Some(&body[eq + 1..]),
            value_span: Some(Span::new(at(s + eq + 1), at(e))),
            span: Span::new(at(start), at(end)),
        },
        None => MountField {
            key: body,
            key_span: Span::new(at(s), at(e)),
            value: None,
            value_span: None,
            span: Span::new(at(start), at(end)),
        },
    }
}

/// The mount type named in the fields (`bind` when none is).
pub(crate) fn mount_type<'a>(fields: &[MountField<'a>]) -> &'a str {
    fields
        .iter()
        .find(|f| f.key.eq_ignore_ascii_case("type"))
        .and_then(|f| f.value)
        .unwrap_or("bind")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_fields_have_spans() {
        let text = "RUN --mount=type=cache,target=/x,ro x";
        let value = Span::new(12, 35);
        let fields = mount_fields(text, value);
        let shown: Vec<_> = fields
            .iter()
            .map(|f| (f.key, f.value, &text[f.span.range()]))
            .collect();
        assert_eq!(
            shown,
            [
                ("type", Some("cache"), "type=cache"),
                ("target", Some("/x"), "target=/x"),
                ("ro", None, "ro")
            ]
        );
        assert_eq!(&text[fields[1].value_span.unwrap().range()], "/x");
        assert_eq!(mount_type(&fields), "cache");
    }

    #[test]
    fn quoted_mount_value_is_read_inside_the_quotes() {
        let text = "\"type=bind,from=b\"";
        let fields = mount_fields(text, Span::new(0, text.len() as u32));
        assert_eq!(fields[1].key, "from");
        assert_eq!(&text[fields[1].value_span.unwrap().range()], "b");
    }
}
