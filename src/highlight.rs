//! Turns the parser's tokens and the diagnostics into styled segments for the editor overlay.
//! Pure and tested natively; the editor only renders the segments.

use stageplay::syntax::{Token, TokenKind};
use stageplay::{Severity, Span};

/// A run of text with one style. `class` is a space-separated CSS class list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub span: Span,
    pub class: &'static str,
    /// The most severe diagnostic covering the run, if any.
    pub severity: Option<Severity>,
}

pub fn token_class(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Whitespace | TokenKind::Newline => "",
        TokenKind::Comment => "tok-comment",
        TokenKind::Directive => "tok-directive",
        TokenKind::Keyword => "tok-keyword",
        TokenKind::FlagName => "tok-flag",
        TokenKind::FlagValue => "tok-flag-value",
        TokenKind::Word => "tok-word",
        TokenKind::String => "tok-string",
        TokenKind::Variable => "tok-variable",
        TokenKind::Punct => "tok-punct",
        TokenKind::LineContinuation => "tok-continuation",
        TokenKind::HeredocMarker | TokenKind::HeredocEnd => "tok-heredoc-marker",
        TokenKind::HeredocBody => "tok-heredoc",
        TokenKind::SubKeyword => "tok-subkeyword",
        TokenKind::Error => "tok-error",
    }
}

/// Splits `text` into segments: token boundaries, diagnostic boundaries, and gaps the tokens
/// do not cover (rendered plain). Empty diagnostic spans are widened to one character so
/// they stay visible.
pub fn segments(text: &str, tokens: &[Token], diagnostics: &[(Span, Severity)]) -> Vec<Segment> {
    segments_in(text, tokens, diagnostics, Span::new(0, text.len() as u32))
}

/// The segments of the part of `text` inside `window` (the editor renders only the visible
/// lines). `tokens` must be sorted by position, as the parser emits them; the work is
/// proportional to the tokens and diagnostics inside the window, not to the whole text.
pub fn segments_in(
    text: &str,
    tokens: &[Token],
    diagnostics: &[(Span, Severity)],
    window: Span,
) -> Vec<Segment> {
    let len = text.len() as u32;
    let (lo, hi) = (window.start.min(len), window.end.min(len));
    if lo >= hi {
        return Vec::new();
    }
    let diags: Vec<(Span, Severity)> = diagnostics
        .iter()
        .map(|&(span, sev)| (widen(text, span), sev))
        .filter(|(span, _)| span.start < span.end && span.end <= len)
        .filter(|(span, _)| span.start < hi && span.end > lo)
        .map(|(span, sev)| (Span::new(span.start.max(lo), span.end.min(hi)), sev))
        .collect();
    let first = tokens.partition_point(|t| t.span.end <= lo);
    let tokens = &tokens[first..];
    let tokens = &tokens[..tokens.partition_point(|t| t.span.start < hi)];
    // Every boundary where the style may change.
    let mut cuts: Vec<u32> = vec![lo, hi];
    for t in tokens {
        cuts.push(t.span.start.clamp(lo, hi));
        cuts.push(t.span.end.clamp(lo, hi));
    }
    for (span, _) in &diags {
        cuts.push(span.start);
        cuts.push(span.end);
    }
    cuts.retain(|&c| text.is_char_boundary(c as usize));
    cuts.sort_unstable();
    cuts.dedup();

    let mut out = Vec::with_capacity(cuts.len());
    let mut token_iter = tokens.iter().peekable();
    for pair in cuts.windows(2) {
        let span = Span::new(pair[0], pair[1]);
        while token_iter.peek().is_some_and(|t| t.span.end <= span.start) {
            token_iter.next();
        }
        let class = token_iter
            .peek()
            .filter(|t| t.span.start <= span.start && span.end <= t.span.end)
            .map_or("", |t| token_class(t.kind));
        let severity = diags
            .iter()
            .filter(|(d, _)| d.start <= span.start && span.end <= d.end)
            .map(|&(_, s)| s)
            .min();
        match out.last_mut() {
            Some(Segment {
                span: last,
                class: c,
                severity: s,
            }) if *c == class && *s == severity => {
                last.end = span.end;
            }
            _ => out.push(Segment {
                span,
                class,
                severity,
            }),
        }
    }
    out
}

fn widen(text: &str, span: Span) -> Span {
    if span.start < span.end {
        return span;
    }
    let start = (span.start as usize).min(text.len());
    match text[start..].chars().next() {
        Some(c) if c != '\n' => Span::new(start as u32, (start + c.len_utf8()) as u32),
        // At a line end: mark the character before, if any.
        _ => match text[..start].chars().next_back() {
            Some(c) if c != '\n' => Span::new((start - c.len_utf8()) as u32, start as u32),
            _ => span,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(kind: TokenKind, start: u32, end: u32) -> Token {
        Token {
            kind,
            span: Span::new(start, end),
        }
    }

    #[test]
    fn segments_follow_tokens_and_diagnostics() {
        let text = "FROM a AS b\n";
        let tokens = [
            tok(TokenKind::Keyword, 0, 4),
            tok(TokenKind::Whitespace, 4, 5),
            tok(TokenKind::Word, 5, 6),
            tok(TokenKind::Whitespace, 6, 7),
            tok(TokenKind::SubKeyword, 7, 9),
            tok(TokenKind::Whitespace, 9, 10),
            tok(TokenKind::Word, 10, 11),
            tok(TokenKind::Newline, 11, 12),
        ];
        let segs = segments(text, &tokens, &[(Span::new(5, 6), Severity::Error)]);
        let shown: Vec<(&str, &str, Option<Severity>)> = segs
            .iter()
            .map(|s| (&text[s.span.range()], s.class, s.severity))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("FROM", "tok-keyword", None),
                (" ", "", None),
                ("a", "tok-word", Some(Severity::Error)),
                (" ", "", None),
                ("AS", "tok-subkeyword", None),
                (" ", "", None),
                ("b", "tok-word", None),
                ("\n", "", None),
            ]
        );
    }

    #[test]
    fn a_window_gives_the_same_segments_as_the_whole_text_cut_to_it() {
        let text = "FROM a AS b\nRUN c\n";
        let tokens = [
            tok(TokenKind::Keyword, 0, 4),
            tok(TokenKind::Whitespace, 4, 5),
            tok(TokenKind::Word, 5, 6),
            tok(TokenKind::Whitespace, 6, 7),
            tok(TokenKind::SubKeyword, 7, 9),
            tok(TokenKind::Whitespace, 9, 10),
            tok(TokenKind::Word, 10, 11),
            tok(TokenKind::Newline, 11, 12),
            tok(TokenKind::Keyword, 12, 15),
            tok(TokenKind::Whitespace, 15, 16),
            tok(TokenKind::Word, 16, 17),
            tok(TokenKind::Newline, 17, 18),
        ];
        let diags = [(Span::new(8, 17), Severity::Warning)];
        let shown = |segs: Vec<Segment>| -> Vec<(String, &'static str, Option<Severity>)> {
            segs.iter()
                .map(|s| (text[s.span.range()].to_string(), s.class, s.severity))
                .collect()
        };
        let window = shown(segments_in(text, &tokens, &diags, Span::new(12, 18)));
        assert_eq!(
            window,
            vec![
                ("RUN".to_string(), "tok-keyword", Some(Severity::Warning)),
                (" ".to_string(), "", Some(Severity::Warning)),
                ("c".to_string(), "tok-word", Some(Severity::Warning)),
                ("\n".to_string(), "", None),
            ]
        );
        let joined: String = segments_in(text, &tokens, &diags, Span::new(3, 14))
            .iter()
            .map(|s| &text[s.span.range()])
            .collect();
        assert_eq!(joined, &text[3..14]);
        assert!(segments_in(text, &tokens, &diags, Span::new(18, 40)).is_empty());
    }

    #[test]
    fn gaps_and_empty_diagnostics_are_covered() {
        let text = "ab\ncd";
        let segs = segments(text, &[], &[(Span::new(2, 2), Severity::Warning)]);
        let joined: String = segs.iter().map(|s| &text[s.span.range()]).collect();
        assert_eq!(joined, text);
        assert!(segs
            .iter()
            .any(|s| &text[s.span.range()] == "b" && s.severity == Some(Severity::Warning)));
    }
}

/// Converts a UTF-16 offset (as the DOM counts) to a byte offset into `text`.
pub fn utf16_to_byte(text: &str, utf16: u32) -> u32 {
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
    let end = (byte as usize).min(text.len());
    let mut end = end;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].encode_utf16().count() as u32
}

/// The byte offset at a visual (line, column) position, expanding tabs to `tab_size`.
/// Returns `None` past the end of the line or the text.
pub fn offset_at_visual(text: &str, line: usize, column: usize, tab_size: usize) -> Option<u32> {
    let mut start = 0usize;
    for _ in 0..line {
        start += text[start..].find('\n')? + 1;
    }
    let line_text = text[start..].split('\n').next().unwrap_or("");
    let mut visual = 0usize;
    for (i, c) in line_text.char_indices() {
        let width = if c == '\t' {
            tab_size - visual % tab_size
        } else {
            1
        };
        if column < visual + width {
            return Some((start + i) as u32);
        }
        visual += width;
    }
    None
}

#[cfg(test)]
mod offset_tests {
    use super::*;

    #[test]
    fn utf16_round_trip() {
        let text = "a😀b\nü";
        for byte in [0u32, 1, 5, 6, 7, 9] {
            assert_eq!(utf16_to_byte(text, byte_to_utf16(text, byte)), byte);
        }
        assert_eq!(byte_to_utf16(text, 5), 3);
    }

    #[test]
    fn visual_offsets_expand_tabs() {
        let text = "FROM a\n\tRUN x";
        assert_eq!(offset_at_visual(text, 0, 2, 4), Some(2));
        assert_eq!(offset_at_visual(text, 1, 3, 4), Some(7));
        assert_eq!(offset_at_visual(text, 1, 4, 4), Some(8));
        assert_eq!(offset_at_visual(text, 1, 40, 4), None);
        assert_eq!(offset_at_visual(text, 5, 0, 4), None);
    }
}
