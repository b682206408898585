//! The façade: one call that runs the whole pipeline for the app and the CLI.
//!
//! `analyze` is pure and deterministic: the same text and options give the same result,
//! natively and in wasm. The app derives it from the text (memoised), never stores it twice.

use crate::diagnostic::Diagnostic;
use crate::span::LineIndex;
use crate::syntax::{self, Dockerfile};

/// What the user chose besides the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnalysisOptions {
    pub target: Option<String>,
    pub build_args: Vec<(String, String)>,
}

/// Everything the app shows for one text.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub doc: Dockerfile,
    pub line_index: LineIndex,
    /// Every diagnostic of every layer, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

pub fn analyze(text: &str, _options: &AnalysisOptions) -> Analysis {
    let doc = syntax::parse(text);
    let mut diagnostics = doc.diagnostics.clone();
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    Analysis {
        line_index: LineIndex::new(text),
        doc,
        diagnostics,
    }
}
