//! Dockerfile syntax: a BuildKit-faithful, error-tolerant parser with spans.
//!
//! [`parse`] reads a Dockerfile as BuildKit's parser does (the line layer: directives,
//! continuations, heredocs, flags, JSON vs shell form) and never fails: it returns the tree
//! and diagnostics. The typed views of the instruction layer are methods on
//! [`Instruction`] (see [`instructions`]); variable expansion is in [`expand`], and the shell
//! text of RUN is read by [`shell`].

pub mod ast;
mod command;
pub mod dump;
pub mod expand;
pub mod glob;
pub mod gocompat;
mod heredoc;
pub mod instructions;
mod json;
pub mod oracle;
mod parser;
pub mod shell;
mod tokens;
mod values;

pub use ast::*;
pub use instructions::{
    CommandLine, CopyArgs, FromArgs, Healthcheck, HeredocSource, KeyValue, Mount, MountKind,
};

use crate::span::LineIndex;

/// Parses a Dockerfile. Never panics and never fails: the tree is always complete, and
/// everything BuildKit would reject is a diagnostic (`syntax/<name>` codes).
pub fn parse(text: &str) -> Dockerfile {
    // The line layer also runs each instruction's checks (`Instruction::check`) while the
    // instruction is fresh, and appends their diagnostics after its own.
    parser::parse(text)
}

/// The line index of `text`, for turning spans into lines and columns at the edges.
pub fn line_index(text: &str) -> LineIndex {
    LineIndex::new(text)
}
