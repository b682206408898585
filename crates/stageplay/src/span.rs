//! Byte spans and line/column conversion.
//!
//! Spans are `u32` byte ranges into the source text, so `&text[span.range()]` works.
//! Line and column numbers are computed only at the edges (CLI, web app) through [`LineIndex`].

use serde::Serialize;

/// A half-open byte range `start..end` into the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }

    /// An empty span at `offset`.
    pub const fn empty(offset: u32) -> Span {
        Span {
            start: offset,
            end: offset,
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }
}

/// Converts byte offsets to 1-based lines and columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; `line_starts[0] == 0`.
    line_starts: Vec<u32>,
}

/// Finds the lines of offsets that mostly increase (instructions, comments, findings in source
/// order) by walking forward from the previous line: a whole pass is linear in the number of
/// lines, and stays in cache where a binary search per offset would not. An offset before the
/// previous one falls back to [`LineIndex::line_of`].
pub struct LineCursor<'a> {
    index: &'a LineIndex,
    line: usize,
}

impl LineCursor<'_> {
    /// 0-based line containing `offset` (the same answer as [`LineIndex::line_of`]).
    pub fn line_of(&mut self, offset: u32) -> usize {
        let starts = &self.index.line_starts;
        if starts[self.line] > offset {
            self.line = self.index.line_of(offset);
            return self.line;
        }
        while self.line + 1 < starts.len() && starts[self.line + 1] <= offset {
            self.line += 1;
        }
        self.line
    }
}

/// A 1-based line and column. Columns count Unicode scalar values (`char`s) unless
/// produced by [`LineIndex::line_col_utf16`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        // `match_indices` of one byte searches with `memchr`, many bytes at a time.
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i as u32 + 1));
        LineIndex { line_starts }
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// A cursor for looking up the lines of increasing offsets (see [`LineCursor`]).
    pub fn cursor(&self) -> LineCursor<'_> {
        LineCursor {
            index: self,
            line: 0,
        }
    }

    /// Byte offset where 0-based `line` starts (clamped to the last line).
    pub fn line_start(&self, line: usize) -> u32 {
        self.line_starts[line.min(self.line_starts.len() - 1)]
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based line and column (in chars) of `offset` in `text`.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).min(text.len());
        let column = text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count()) as u32
            + 1;
        LineCol {
            line: line as u32 + 1,
            column,
        }
    }

    /// 1-based line and column in UTF-16 code units, as JavaScript counts them.
    pub fn line_col_utf16(&self, text: &str, offset: u32) -> LineCol {
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).min(text.len());
        let column = text
            .get(start..end)
            .map_or(end - start, |s| s.encode_utf16().count()) as u32
            + 1;
        LineCol {
            line: line as u32 + 1,
            column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_agrees_with_line_of_forwards_and_backwards() {
        let text = "a\n\nbc\nd\n\n\nefg\n";
        let index = LineIndex::new(text);
        let mut cursor = index.cursor();
        let forward: Vec<u32> = (0..=text.len() as u32 + 2).collect();
        let mixed = [9, 3, 3, 0, 14, 7, 1, 13, 2];
        for &offset in forward.iter().chain(&mixed) {
            assert_eq!(
                cursor.line_of(offset),
                index.line_of(offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn line_col_counts_chars_and_utf16() {
        let text = "ab\nü😀x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap() as u32;
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, x), LineCol { line: 2, column: 3 });
        assert_eq!(
            index.line_col_utf16(text, x),
            LineCol { line: 2, column: 4 }
        );
        assert_eq!(index.line_col(text, text.len() as u32).line, 3);
    }
}
