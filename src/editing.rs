//! What the editor shows, computed from the engine's analysis, and how the app's own edits
//! enter it. Pure and tested natively; `components/editor.rs` hands the results to CodeMirror.
//!
//! The engine counts bytes; CodeMirror counts UTF-16 code units. The conversion happens here and
//! nowhere else.

use serde::Serialize;
use stageplay::analysis::Analysis;
use stageplay::ide;
use stageplay::syntax::{Token, TokenKind};
use stageplay::{Diagnostic, Severity, Span};

/// The CSS class of each highlighted token kind; a highlight run refers to its index here.
pub const TOKEN_CLASSES: [&str; 14] = [
    "tok-comment",
    "tok-directive",
    "tok-keyword",
    "tok-flag",
    "tok-flag-value",
    "tok-word",
    "tok-string",
    "tok-variable",
    "tok-punct",
    "tok-continuation",
    "tok-heredoc-marker",
    "tok-heredoc",
    "tok-error",
    "tok-subkeyword",
];

/// The index into [`TOKEN_CLASSES`] of a token kind, or `None` for text shown plain.
pub fn token_class(kind: TokenKind) -> Option<u32> {
    Some(match kind {
        TokenKind::Whitespace | TokenKind::Newline => return None,
        TokenKind::Comment => 0,
        TokenKind::Directive => 1,
        TokenKind::Keyword => 2,
        TokenKind::SubKeyword => 13,
        TokenKind::FlagName => 3,
        TokenKind::FlagValue => 4,
        TokenKind::Word => 5,
        TokenKind::String => 6,
        TokenKind::Variable => 7,
        TokenKind::Punct => 8,
        TokenKind::LineContinuation => 9,
        TokenKind::HeredocMarker | TokenKind::HeredocEnd => 10,
        TokenKind::HeredocBody => 11,
        TokenKind::Error => 12,
    })
}

/// Converts byte offsets into `text` to UTF-16 offsets. Offsets asked in increasing order cost
/// one pass over the text in all; an ASCII text costs nothing.
pub struct Utf16Cursor<'a> {
    text: &'a str,
    ascii: bool,
    byte: usize,
    units: u32,
}

impl<'a> Utf16Cursor<'a> {
    pub fn new(text: &'a str) -> Utf16Cursor<'a> {
        Utf16Cursor {
            text,
            ascii: text.is_ascii(),
            byte: 0,
            units: 0,
        }
    }

    /// The UTF-16 offset of `byte` (clamped to the text, rounded down to a character boundary).
    pub fn at(&mut self, byte: u32) -> u32 {
        let mut end = (byte as usize).min(self.text.len());
        if self.ascii {
            return end as u32;
        }
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        if end < self.byte {
            (self.byte, self.units) = (0, 0);
        }
        self.units += self.text[self.byte..end]
            .chars()
            .map(|c| c.len_utf16() as u32)
            .sum::<u32>();
        self.byte = end;
        self.units
    }
}

/// Converts a UTF-16 offset (as the editor counts) to a byte offset into `text`.
pub fn utf16_to_byte(text: &str, utf16: u32) -> u32 {
    if text.is_ascii() {
        return utf16.min(text.len() as u32);
    }
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i as u32;
        }
        units += c.len_utf16() as u32;
    }
    text.len() as u32
}

/// Converts a byte offset into `text` to a UTF-16 offset.
pub fn byte_to_utf16(text: &str, byte: u32) -> u32 {
    Utf16Cursor::new(text).at(byte)
}

/// The highlighting of `text`: `[from, to, class index]` triples in UTF-16 offsets, sorted, for
/// every token that is not shown plain. `tokens` must be sorted, as the parser emits them.
pub fn highlight_runs(text: &str, tokens: &[Token]) -> Vec<u32> {
    let mut at = Utf16Cursor::new(text);
    let mut runs = Vec::with_capacity(tokens.len() * 3);
    for t in tokens {
        if let Some(class) = token_class(t.kind) {
            let (from, to) = (at.at(t.span.start), at.at(t.span.end));
            if from < to {
                runs.extend([from, to, class]);
            }
        }
    }
    runs
}

/// A diagnostic as CodeMirror's lint extension takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditorDiagnostic {
    pub from: u32,
    pub to: u32,
    pub severity: &'static str,
    pub message: String,
    /// The rule or check code, shown beside the message.
    pub source: String,
}

/// The diagnostics in UTF-16 offsets, sorted by position. An empty span is widened to the
/// character it stands at, so it can be seen and hovered.
pub fn editor_diagnostics(text: &str, diagnostics: &[Diagnostic]) -> Vec<EditorDiagnostic> {
    let mut spans: Vec<(Span, &Diagnostic)> = diagnostics
        .iter()
        .map(|d| (widen(text, d.span), d))
        .collect();
    stageplay::sort::sort_by_key(&mut spans, |(s, _)| (s.start, s.end));
    let mut at = Utf16Cursor::new(text);
    spans
        .into_iter()
        .map(|(span, d)| EditorDiagnostic {
            from: at.at(span.start),
            to: at.at(span.end),
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            },
            message: d.message.clone(),
            source: d.code.clone(),
        })
        .collect()
}

fn widen(text: &str, span: Span) -> Span {
    let start = (span.start as usize).min(text.len());
    if span.start < span.end || !text.is_char_boundary(start) {
        return span;
    }
    match text[start..].chars().next() {
        Some(c) if c != '\n' => Span::new(start as u32, (start + c.len_utf8()) as u32),
        // At a line end: mark the character before, if any.
        _ => match text[..start].chars().next_back() {
            Some(c) if c != '\n' => Span::new((start - c.len_utf8()) as u32, start as u32),
            _ => span,
        },
    }
}

/// The engine's fold ranges (stages, continued instructions, heredocs, comment blocks) as
/// `[from, to]` pairs in UTF-16 offsets, sorted by `from`: `from` ends the line that stays
/// visible, `to` ends the last hidden line.
pub fn fold_ranges(text: &str, analysis: &Analysis) -> Vec<u32> {
    let mut ranges = ide::folding_ranges(&ide::Document::new(text, analysis));
    stageplay::sort::sort_by_key(&mut ranges, |r| {
        (r.span.start, std::cmp::Reverse(r.span.end))
    });
    let mut at = Utf16Cursor::new(text);
    ranges
        .iter()
        .flat_map(|r| [at.at(r.span.start), at.at(r.span.end)])
        .collect()
}

/// What hovering the byte `offset` shows besides diagnostics (the lint tooltips show those):
/// the engine's hover (`ide::hover`: instructions, flags, mount keys, a variable's value there,
/// a stage's base and users, a base image's facts), in UTF-16 offsets, as Markdown.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct EditorHover {
    pub from: u32,
    pub to: u32,
    pub markdown: String,
}

pub fn hover(text: &str, analysis: &Analysis, offset: u32) -> Option<EditorHover> {
    let h = ide::hover(&ide::Document::new(text, analysis), offset)?;
    let mut at = Utf16Cursor::new(text);
    Some(EditorHover {
        from: at.at(h.span.start),
        to: at.at(h.span.end),
        markdown: h.markdown,
    })
}

/// One completion as CodeMirror's autocompletion takes it: the range it replaces (UTF-16), the
/// label, CodeMirror's `type` (its icon), a detail line, Markdown info, the text to insert, the
/// same with `${1:field}`s when it has fields, and whether to ask again after it.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct EditorCompletion {
    pub from: u32,
    pub to: u32,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub detail: Option<String>,
    pub info: Option<String>,
    pub insert: String,
    pub snippet: Option<String>,
    pub retrigger: bool,
}

/// The engine's completions at `offset` (`ide::completions`), best first.
pub fn completions(text: &str, analysis: &Analysis, offset: u32) -> Vec<EditorCompletion> {
    use ide::CompletionKind as K;
    let mut at = Utf16Cursor::new(text);
    ide::completions(&ide::Document::new(text, analysis), offset)
        .into_iter()
        .map(|c| EditorCompletion {
            from: at.at(c.edit.span.start),
            to: at.at(c.edit.span.end),
            kind: match c.kind {
                K::Keyword => "keyword",
                K::Flag | K::MountOption => "property",
                K::Value => "enum",
                K::Stage => "class",
                K::Variable => "variable",
                K::Image => "type",
                K::Tag => "constant",
            },
            label: c.label,
            detail: c.detail,
            info: c.documentation,
            insert: c.edit.insert,
            snippet: c.snippet,
            retrigger: c.retrigger,
        })
        .collect()
}

/// A range of the text in UTF-16 offsets.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct EditorRange {
    pub from: u32,
    pub to: u32,
}

/// Where the stage or ARG at `offset` is defined (`ide::goto_definition`): the name in its
/// definition, the first when the engine lists several.
pub fn definition(text: &str, analysis: &Analysis, offset: u32) -> Option<EditorRange> {
    let target = ide::goto_definition(&ide::Document::new(text, analysis), offset)
        .into_iter()
        .next()?;
    let mut at = Utf16Cursor::new(text);
    Some(EditorRange {
        from: at.at(target.focus_span.start),
        to: at.at(target.focus_span.end),
    })
}

/// A rename asked at `offset` (`ide::prepare_rename`, `ide::rename`): the name under the
/// cursor and what it is, or, with `new_name`, the edits that rename it everywhere.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum EditorRename {
    Target {
        from: u32,
        to: u32,
        name: String,
        kind: &'static str,
    },
    Edits(Vec<EditorEdit>),
    Error(String),
}

/// One change: `from..to` (UTF-16) becomes `insert`.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct EditorEdit {
    pub from: u32,
    pub to: u32,
    pub insert: String,
}

pub fn rename(
    text: &str,
    analysis: &Analysis,
    offset: u32,
    new_name: Option<&str>,
) -> EditorRename {
    let document = ide::Document::new(text, analysis);
    let mut at = Utf16Cursor::new(text);
    match new_name {
        None => match ide::prepare_rename(&document, offset) {
            Ok(t) => EditorRename::Target {
                from: at.at(t.span.start),
                to: at.at(t.span.end),
                name: t.name,
                kind: t.kind,
            },
            Err(e) => EditorRename::Error(e.message),
        },
        Some(name) => match ide::rename(&document, offset, name) {
            Ok(mut edits) => {
                stageplay::sort::sort_by_key(&mut edits, |e| e.span.start);
                EditorRename::Edits(
                    edits
                        .into_iter()
                        .map(|e| EditorEdit {
                            from: at.at(e.span.start),
                            to: at.at(e.span.end),
                            insert: e.insert,
                        })
                        .collect(),
                )
            }
            Err(e) => EditorRename::Error(e.message),
        },
    }
}

/// One replacement that turns `old` into `new`: `from..to` (UTF-16 offsets into `old`) becomes
/// `insert`. Only the part that differs is replaced, so the editor keeps the cursor and folds
/// elsewhere, and undo restores exactly `old`. `None` when the texts are equal.
#[derive(Debug, PartialEq, Eq)]
pub struct Change<'a> {
    pub from: u32,
    pub to: u32,
    pub insert: &'a str,
}

pub fn minimal_change<'a>(old: &str, new: &'a str) -> Option<Change<'a>> {
    if old == new {
        return None;
    }
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let room = a.len().min(b.len()) - prefix;
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
        suffix -= 1;
    }
    let mut at = Utf16Cursor::new(old);
    Some(Change {
        from: at.at(prefix as u32),
        to: at.at((a.len() - suffix) as u32),
        insert: &new[prefix..b.len() - suffix],
    })
}

/// The indentation of a new line typed after the byte `offset` (the end of the line above
/// it): the engine's continuation indent after a line ending in the escape character, and
/// column 0 after the last line of a continued instruction (the next instruction starts
/// there). `None` keeps the editor's default (the indentation of the line above).
pub fn indent_after(text: &str, escape: char, offset: u32) -> Option<u32> {
    ide::continuation_indent(text, escape, offset, INDENT_WIDTH).or_else(|| {
        let before = text.get(..offset as usize)?;
        let newline = before.rfind('\n')?;
        ide::line_continues(text, escape, newline as u32).then_some(0)
    })
}

/// Columns of one indentation step (the editor's indent unit is four spaces).
pub const INDENT_WIDTH: u32 = 4;

/// Line ends as the editor keeps them: `\r\n` and `\r` become `\n`.
pub fn normalize_newlines(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stageplay::analysis::{analyze, AnalysisOptions};

    fn analysis(text: &str) -> Analysis {
        analyze(text, &AnalysisOptions::default())
    }

    #[test]
    fn utf16_offsets_round_trip_and_count_surrogate_pairs() {
        let text = "a😀b\nü";
        for byte in [0u32, 1, 5, 6, 7, 9] {
            assert_eq!(utf16_to_byte(text, byte_to_utf16(text, byte)), byte);
        }
        assert_eq!(byte_to_utf16(text, 5), 3);
        // Inside a character: the character's start.
        assert_eq!(byte_to_utf16(text, 3), 1);
        let mut at = Utf16Cursor::new(text);
        assert_eq!((at.at(6), at.at(1), at.at(100)), (4, 1, 6));
    }

    #[test]
    fn highlight_runs_cover_the_tokens_in_utf16() {
        let text = "FROM alpine AS b\n# héllo\nRUN echo \"😀\"\n";
        let a = analysis(text);
        let runs = highlight_runs(text, &a.doc.tokens);
        assert_eq!(runs.len() % 3, 0);
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let shown =
            |i: usize| String::from_utf16(&utf16[runs[i] as usize..runs[i + 1] as usize]).unwrap();
        let classes: Vec<(String, &str)> = (0..runs.len())
            .step_by(3)
            .map(|i| (shown(i), TOKEN_CLASSES[runs[i + 2] as usize]))
            .collect();
        assert!(classes.contains(&("FROM".into(), "tok-keyword")));
        assert!(classes.contains(&("# héllo".into(), "tok-comment")));
        assert!(classes.contains(&("RUN".into(), "tok-keyword")));
        assert!(classes.iter().any(|(t, _)| t.contains('😀')));
        // Sorted and disjoint, as CodeMirror's range builder needs them.
        assert!(runs
            .chunks(3)
            .zip(runs.chunks(3).skip(1))
            .all(|(x, y)| x[1] <= y[0]));
    }

    #[test]
    fn diagnostics_are_sorted_utf16_and_empty_spans_widened() {
        let text = "FROM é\nFROBNICATE x\n";
        let d = |start, end, code: &str| {
            Diagnostic::new(code, Severity::Warning, Span::new(start, end), "m")
        };
        // `é` is 2 bytes but 1 UTF-16 unit.
        let out = editor_diagnostics(text, &[d(8, 18, "B"), d(5, 5, "A")]);
        assert_eq!(
            out.iter()
                .map(|d| (d.from, d.to, d.source.as_str()))
                .collect::<Vec<_>>(),
            vec![(5, 6, "A"), (7, 17, "B")]
        );
        assert_eq!(out[0].severity, "warning");
    }

    #[test]
    fn fold_ranges_are_the_engines_in_utf16_sorted() {
        let text = "FROM alpine AS é\nRUN x \\\n    y\nCOPY y z\nFROM scratch\n";
        let a = analysis(text);
        let folds = fold_ranges(text, &a);
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let hidden: Vec<String> = folds
            .chunks(2)
            .map(|p| String::from_utf16(&utf16[p[0] as usize..p[1] as usize]).unwrap())
            .collect();
        assert_eq!(hidden, vec!["\nRUN x \\\n    y\nCOPY y z", "\n    y"]);
        assert!(folds
            .chunks(2)
            .zip(folds.chunks(2).skip(1))
            .all(|(x, y)| x[0] <= y[0]));
    }

    #[test]
    fn hover_is_the_engines_in_utf16() {
        let text = "# é\nFROM alpine AS base\nworkdir /app\n";
        let a = analysis(text);
        let workdir = text.find("workdir").unwrap() as u32;
        let h = hover(text, &a, workdir + 2).unwrap();
        // "é" is two bytes and one UTF-16 unit.
        assert_eq!((h.from, h.to), (workdir - 1, workdir + 6));
        assert!(h.markdown.contains("WORKDIR"), "{}", h.markdown);
        assert!(hover(text, &a, 0).is_none());
    }

    #[test]
    fn completions_definition_and_rename_in_utf16() {
        let text =
            "# é\nFROM alpine AS builder\nRUN make\nFROM scratch\nCOPY --from=builder /a /a\nWORK";
        let a = analysis(text);
        let end = text.len() as u32;
        let items = completions(text, &a, end);
        let workdir = items
            .iter()
            .find(|c| c.label == "WORKDIR")
            .expect("WORKDIR offered");
        assert_eq!((workdir.kind, workdir.to - workdir.from), ("keyword", 4));
        assert_eq!(workdir.to, byte_to_utf16(text, end));

        let use_at = text.find("=builder").unwrap() as u32 + 3;
        let def = definition(text, &a, use_at).expect("definition");
        let utf16: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(
            String::from_utf16(&utf16[def.from as usize..def.to as usize]).unwrap(),
            "builder"
        );
        assert_eq!(
            def.from,
            byte_to_utf16(text, text.find("builder").unwrap() as u32)
        );

        match rename(text, &a, use_at, None) {
            EditorRename::Target { name, .. } => assert_eq!(name, "builder"),
            other => panic!("{other:?}"),
        }
        let EditorRename::Edits(edits) = rename(text, &a, use_at, Some("build")) else {
            panic!("rename refused");
        };
        let mut out = utf16.clone();
        for e in edits.iter().rev() {
            out.splice(e.from as usize..e.to as usize, e.insert.encode_utf16());
        }
        assert_eq!(
            String::from_utf16(&out).unwrap(),
            "# é\nFROM alpine AS build\nRUN make\nFROM scratch\nCOPY --from=build /a /a\nWORK"
        );
        assert!(matches!(rename(text, &a, 1, None), EditorRename::Error(_)));
    }

    #[test]
    fn a_replacement_is_the_smallest_change_and_restores_exactly() {
        let apply = |old: &str, c: &Change| {
            let u: Vec<u16> = old.encode_utf16().collect();
            let mut s = String::from_utf16(&u[..c.from as usize]).unwrap();
            s.push_str(c.insert);
            s.push_str(&String::from_utf16(&u[c.to as usize..]).unwrap());
            s
        };
        let cases = [
            ("RUN apt-get install gcc\n", "RUN apt-get install -y gcc\n"),
            ("aaa", "aa"),
            ("aa", "aaa"),
            ("", "FROM x"),
            ("FROM x", ""),
            ("é😀b", "é😁b"),
            ("x😀", "😀"),
            ("abcabc", "abc"),
        ];
        for (old, new) in cases {
            let c = minimal_change(old, new).unwrap();
            assert_eq!(apply(old, &c), new, "{old:?} → {new:?}");
        }
        assert_eq!(
            minimal_change("RUN apt-get install gcc", "RUN apt-get install -y gcc"),
            Some(Change {
                from: 20,
                to: 20,
                insert: "-y "
            })
        );
        assert_eq!(minimal_change("same", "same"), None);
    }

    #[test]
    fn continuation_lines_indent_and_the_next_instruction_does_not() {
        let after = |text: &str| indent_after(text, '\\', text.len() as u32);
        assert_eq!(after("FROM x\nRUN apt-get update \\"), Some(4));
        // Inside a continuation: the line's own indentation.
        assert_eq!(after("RUN a \\\n      && b \\"), Some(6));
        // The continuation ended: a new instruction at column 0.
        assert_eq!(after("RUN a \\\n    && b"), Some(0));
        assert_eq!(after("FROM x\nRUN a"), None);
        assert_eq!(after("# note \\"), None);
        assert_eq!(indent_after("RUN a `", '`', 7), Some(4));
    }

    #[test]
    fn newlines_are_normalised() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n".into()), "a\nb\nc\n");
    }
}
