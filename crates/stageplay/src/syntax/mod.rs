//! Dockerfile syntax: a BuildKit-faithful, error-tolerant parser with spans.

pub mod ast;

pub use ast::*;
