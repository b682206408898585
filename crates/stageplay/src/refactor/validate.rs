//! Checks that a refactored Dockerfile is still a working one: it parses without errors, the
//! refactor is idempotent, and the final stage still has what its CMD/ENTRYPOINT needs.

use super::{analyse, apply_one, RefactorOptions};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

/// Problems found in `output` (the result of applying `id` to `input`); empty when valid.
pub fn validate(
    input: &str,
    output: &str,
    id: Option<&str>,
    opts: &RefactorOptions,
) -> Vec<String> {
    let mut problems = Vec::new();
    let (in_doc, in_model) = analyse(input, opts);
    let (doc, model) = analyse(output, opts);
    let errors = |d: &Dockerfile| {
        d.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    };
    let (before, after) = (errors(&in_doc), errors(&doc));
    if after > before {
        for d in doc
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            problems.push(format!("parse error {}: {}", d.code, d.message));
        }
    }
    let model_errors = model
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if model_errors
        > in_model
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    {
        for d in model
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            problems.push(format!("stage error {}: {}", d.code, d.message));
        }
    }
    let again = match id {
        Some(id) => apply_one(output, id, opts),
        None => {
            let out = super::apply_all(output, opts);
            (out != output).then_some(out)
        }
    };
    if let Some(again) = again {
        let first = again
            .lines()
            .zip(output.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        problems.push(format!(
            "not idempotent: applying again changes line {}",
            first + 1
        ));
    }
    // Only what the refactor broke (the static runtime check, `estimate::runtime`): needs the
    // input already lacked are not its doing.
    let est = crate::estimate::EstimateOptions::default();
    let already = crate::estimate::runtime::check(&in_doc, &in_model, &est);
    problems.extend(
        crate::estimate::runtime::check(&doc, &model, &est)
            .into_iter()
            .filter(|m| !already.iter().any(|a| a.message == m.message))
            .map(|m| m.message),
    );
    problems
}
