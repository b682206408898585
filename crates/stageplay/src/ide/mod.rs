//! Language features for editors, computed by the engine: completion, hover, go to
//! definition, references, rename, formatting, folding and the document outline.
//!
//! Plain data in, plain data out. A [`Document`] borrows the text with the parse and model the
//! app has already computed (`analysis::analyze`, memoised per text), so a request only looks
//! things up: one pass over the instructions at most, cheap enough for every keystroke. Offsets
//! are byte offsets (`u32`) into the text and results carry [`Span`]s and strings; line and
//! column (UTF-16 for the browser) are computed at the edge, as everywhere in the engine.
//!
//! No function here panics, whatever the text or the offset: an offset past the end or inside
//! a character is clamped, and a stale analysis (spans that no longer fit the text) gives empty
//! answers instead of wrong slices.
//!
//! | feature | entry points |
//! |---|---|
//! | completion | [`completion::completions`] |
//! | hover | [`hover::hover`] |
//! | definition, references | [`navigation::goto_definition`], [`navigation::references`] |
//! | rename | [`rename::prepare_rename`], [`rename::rename`] |
//! | format | [`format::format`], [`format::format_edits`] |
//! | folding, outline | [`folding::folding_ranges`], [`folding::document_symbols`] |
//! | typing help | [`line_continues`], [`continuation_indent`] |
//!
//! What the editor does itself is left to it: comment toggling (the language's comment token
//! is `#`), bracket and quote closing, and the indentation keys.

pub mod completion;
mod docs;
pub mod folding;
pub mod format;
pub mod hover;
mod locate;
pub mod navigation;
pub mod rename;
mod symbols;

pub use completion::{completions, CompletionItem, CompletionKind};
pub use folding::{document_symbols, folding_ranges, DocumentSymbol, FoldKind, FoldingRange};
pub use format::{format, format_edits, FormatOptions};
pub use hover::{hover, Hover};
pub use navigation::{goto_definition, references, NavigationTarget, Reference, ReferenceKind};
pub use rename::{prepare_rename, rename, RenameError, RenameTarget};

use crate::analysis::Analysis;
use crate::model::Model;
use crate::span::Span;
use crate::syntax::{Dockerfile, Instruction};

/// The text and what the engine knows about it, borrowed for one request.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub text: &'a str,
    pub doc: &'a Dockerfile,
    pub model: &'a Model,
}

impl<'a> Document<'a> {
    /// The document for `text` and its analysis (the one the app memoises per text).
    pub fn new(text: &'a str, analysis: &'a Analysis) -> Document<'a> {
        Document {
            text,
            doc: &analysis.doc,
            model: &analysis.model,
        }
    }

    /// `text[span]`, or `""` when the span does not fit the text.
    pub(crate) fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// `offset` moved into the text and back to the start of its character.
    pub(crate) fn clamp(&self, offset: u32) -> u32 {
        let mut at = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at as u32
    }

    /// The escape character in force (`\` unless `# escape=` says otherwise).
    pub(crate) fn escape(&self) -> char {
        match self.doc.escape {
            '\0' => '\\',
            c => c,
        }
    }

    /// The instruction whose text holds `offset`, its end included (a cursor just after the
    /// last character still edits it), with its index.
    pub(crate) fn instruction_at(&self, offset: u32) -> Option<(usize, &'a Instruction)> {
        let instructions = &self.doc.instructions;
        let after = instructions.partition_point(|i| i.span.start <= offset);
        let index = after.checked_sub(1)?;
        let instruction = instructions.get(index)?;
        if offset <= instruction.span.end {
            return Some((index, instruction));
        }
        // Trailing blanks on the instruction's last line still belong to it.
        let tail = self
            .text
            .get(instruction.span.end as usize..offset as usize)?;
        tail.bytes()
            .all(|b| b == b' ' || b == b'\t')
            .then_some((index, instruction))
    }

    /// The stage that instruction `index` belongs to (`None` before the first FROM).
    pub(crate) fn stage_of(&self, index: usize) -> Option<usize> {
        let stages = &self.model.stages;
        let after = stages.partition_point(|s| s.from_instruction <= index);
        after.checked_sub(1)
    }
}

/// True when the line holding `offset`, read up to `offset`, ends with the escape character
/// that continues an instruction on the next line (trailing blanks allowed, as BuildKit
/// allows them). The editor asks this on Enter to indent the new line.
pub fn line_continues(text: &str, escape: char, offset: u32) -> bool {
    let end = (offset as usize).min(text.len());
    let Some(before) = text.get(..end) else {
        return false;
    };
    let line = before.rsplit('\n').next().unwrap_or("");
    if line.trim_start().starts_with('#') {
        // Comment lines never continue (BuildKit drops them whole).
        return false;
    }
    let trimmed = line.trim_end_matches([' ', '\t', '\r']);
    let Some(rest) = trimmed.strip_suffix(escape) else {
        return false;
    };
    // An escaped escape character (`\\`) is text, not a continuation.
    !rest.ends_with(escape)
}

/// The indentation (in columns) for a new line typed after `offset` when the line continues:
/// the current line's own indentation if it is itself a continuation line, else
/// `indent_width`. `None` when the line does not continue.
pub fn continuation_indent(
    text: &str,
    escape: char,
    offset: u32,
    indent_width: u32,
) -> Option<u32> {
    if !line_continues(text, escape, offset) {
        return None;
    }
    let end = (offset as usize).min(text.len());
    let before = text.get(..end)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = &before[line_start..];
    let previous_continues =
        line_start > 0 && line_continues(text, escape, (line_start - 1) as u32);
    if !previous_continues {
        return Some(indent_width);
    }
    let columns = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .map(|c| if c == '\t' { indent_width.max(1) } else { 1 })
        .sum();
    Some(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_is_the_escape_at_the_end_of_the_line() {
        assert!(line_continues("RUN a \\", '\\', 7));
        assert!(line_continues("RUN a \\  ", '\\', 9));
        assert!(!line_continues("RUN a \\\\", '\\', 8));
        assert!(!line_continues("# a \\", '\\', 5));
        assert!(line_continues("RUN a `", '`', 7));
        assert!(!line_continues("RUN a \\", '\\', 3));
        assert!(!line_continues("", '\\', 99));
    }

    #[test]
    fn continuation_indent_keeps_the_block() {
        let text = "RUN a \\\n      b \\\n";
        assert_eq!(continuation_indent(text, '\\', 7, 4), Some(4));
        assert_eq!(continuation_indent(text, '\\', 17, 4), Some(6));
        assert_eq!(continuation_indent(text, '\\', 3, 4), None);
    }
}
