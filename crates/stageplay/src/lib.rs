//! Stageplay's analysis engine: pure Rust, no DOM, no IO, no clock.
//!
//! Pipeline: [`syntax`] (text → tree + diagnostics) → [`model`] (stages, args, graph) →
//! [`estimate`], [`lint`], [`refactor`] → [`analysis`] (one façade the app and CLI call) →
//! [`ide`] (editor features over an analysis: completion, hover, navigation, rename, format).

pub mod analysis;
pub mod compat;
pub mod diagnostic;
pub mod estimate;
pub mod examples;
pub mod ide;
pub mod lint;
pub mod model;
pub mod refactor;
pub mod sort;
pub mod span;
pub mod syntax;

pub use diagnostic::{Applicability, Diagnostic, Fix, Label, Severity, TextEdit};
pub use span::{LineCol, LineIndex, Span};
