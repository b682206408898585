//! [`TextMap`]: from byte offsets of a joined text (continuation lines removed) back to the source.

use crate::span::Span;
use serde::Serialize;

/// Maps byte offsets of a joined text (continuation lines removed) back to the source.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct TextMap {
    /// Contiguous pieces of the text, in order (read with [`TextMap::pieces`]).
    pieces: Pieces,
}

/// One piece inline (a single-line instruction, the common case) or several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
enum Pieces {
    One(MapPiece),
    Many(Vec<MapPiece>),
}

impl Default for Pieces {
    fn default() -> Self {
        Pieces::Many(Vec::new())
    }
}

/// `len` bytes of the joined text at `text_start` were copied from the source at `source_start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MapPiece {
    pub text_start: u32,
    pub source_start: u32,
    pub len: u32,
}

impl TextMap {
    /// Contiguous pieces of the text, in order.
    pub fn pieces(&self) -> &[MapPiece] {
        match &self.pieces {
            Pieces::One(piece) => std::slice::from_ref(piece),
            Pieces::Many(pieces) => pieces,
        }
    }

    /// Appends a piece (the first one is kept inline, without allocating).
    pub fn push(&mut self, piece: MapPiece) {
        match &mut self.pieces {
            Pieces::Many(pieces) if pieces.is_empty() => self.pieces = Pieces::One(piece),
            Pieces::Many(pieces) => pieces.push(piece),
            Pieces::One(first) => self.pieces = Pieces::Many(vec![*first, piece]),
        }
    }

    /// The source offset of the byte at `offset` in the text (a start position).
    pub fn source_start(&self, offset: usize) -> u32 {
        let offset = offset as u32;
        let pieces = self.pieces();
        let idx = pieces.partition_point(|p| p.text_start + p.len <= offset);
        match pieces.get(idx) {
            Some(p) if p.text_start <= offset => p.source_start + (offset - p.text_start),
            Some(p) => p.source_start,
            None => pieces.last().map_or(0, |p| p.source_start + p.len),
        }
    }

    /// The source offset just after the byte before `offset` in the text (an end position).
    pub fn source_end(&self, offset: usize) -> u32 {
        let offset = offset as u32;
        let pieces = self.pieces();
        let idx = pieces.partition_point(|p| p.text_start + p.len < offset);
        match pieces.get(idx) {
            Some(p) if p.text_start < offset || p.len == 0 => {
                p.source_start + offset.saturating_sub(p.text_start)
            }
            Some(p) => p.source_start,
            None => pieces.last().map_or(0, |p| p.source_start + p.len),
        }
    }

    /// The source span of the text range `start..end`.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        if start >= end {
            let at = self.source_start(start);
            return Span::new(at, at);
        }
        Span::new(self.source_start(start), self.source_end(end))
    }

    /// The map of the sub-range `start..end` of this text, re-based to start at 0.
    pub fn slice(&self, start: usize, end: usize) -> TextMap {
        let (start, end) = (start as u32, end as u32);
        let mut map = TextMap::default();
        for p in self.pieces() {
            let s = p.text_start.max(start);
            let e = (p.text_start + p.len).min(end);
            if s < e {
                map.push(MapPiece {
                    text_start: s - start,
                    source_start: p.source_start + (s - p.text_start),
                    len: e - s,
                });
            }
        }
        if map.pieces().is_empty() {
            let at = self.source_start(start as usize);
            map.push(MapPiece {
                text_start: 0,
                source_start: at,
                len: 0,
            });
        }
        map
    }
}
