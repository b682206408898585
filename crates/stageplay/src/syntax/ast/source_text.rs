//! [`SourceText`]: argument text the parser read, stored as a range of a shared copy of the
//! source when it is on one line.

use serde::Serialize;
use std::sync::Arc;

/// Text the parser read (shell-form arguments, a flag as written); it reads as a `&str`
/// (`Deref`).
///
/// Text on one line is the source itself: it is kept as a range of a shared copy of that
/// part of the source (see [`SourceChunks`]) instead of a string per instruction. Text
/// joined from continuation lines owns its characters.
#[derive(Clone)]
pub struct SourceText(TextRepr);

#[derive(Clone)]
enum TextRepr {
    Source {
        source: Arc<str>,
        start: u32,
        end: u32,
    },
    Owned(Box<str>),
}

impl SourceText {
    pub fn as_str(&self) -> &str {
        match &self.0 {
            TextRepr::Source { source, start, end } => {
                source.get(*start as usize..*end as usize).unwrap_or("")
            }
            TextRepr::Owned(text) => text,
        }
    }
}

/// Shared copies of the source, 64 KiB at a time, that one-line argument texts point into:
/// one allocation per chunk instead of one per instruction, none of them large.
pub(crate) struct SourceChunks<'a> {
    text: &'a str,
    /// The current chunk and its offset in `text`.
    chunk: Option<(Arc<str>, usize)>,
}

impl<'a> SourceChunks<'a> {
    const CHUNK: usize = 64 * 1024;

    pub(crate) fn new(text: &'a str) -> SourceChunks<'a> {
        SourceChunks { text, chunk: None }
    }

    /// `args`, which the parser read at `start` in the source: a range of a shared chunk when
    /// it is exactly the source there, else its own copy.
    pub(crate) fn text(&mut self, args: &str, start: usize) -> SourceText {
        let end = start + args.len();
        if args.is_empty() || self.text.get(start..end) != Some(args) {
            return SourceText::from(args);
        }
        let covered = |chunk: &Option<(Arc<str>, usize)>| matches!(chunk, Some((c, at)) if *at <= start && end <= at + c.len());
        if !covered(&self.chunk) {
            let mut chunk_end = (start + Self::CHUNK).max(end).min(self.text.len());
            while !self.text.is_char_boundary(chunk_end) {
                chunk_end += 1;
            }
            self.chunk = Some((Arc::from(&self.text[start..chunk_end]), start));
        }
        match &self.chunk {
            Some((chunk, at)) => SourceText(TextRepr::Source {
                source: Arc::clone(chunk),
                start: (start - at) as u32,
                end: (end - at) as u32,
            }),
            None => SourceText::from(args),
        }
    }
}

impl Default for SourceText {
    fn default() -> Self {
        SourceText(TextRepr::Owned(Box::default()))
    }
}

impl std::ops::Deref for SourceText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SourceText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for SourceText {
    fn from(text: &str) -> Self {
        SourceText(TextRepr::Owned(text.into()))
    }
}

impl From<String> for SourceText {
    fn from(text: String) -> Self {
        SourceText(TextRepr::Owned(text.into_boxed_str()))
    }
}

impl PartialEq for SourceText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SourceText {}

impl PartialEq<str> for SourceText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SourceText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for SourceText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for SourceText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for SourceText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
