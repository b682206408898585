//! The façade: one call that runs the whole pipeline for the app and the CLI.
//!
//! `analyze` is pure and deterministic: the same text and options give the same result,
//! natively and in wasm. The app derives it from the text (memoised), never stores it twice.
//! Refactor suggestions are computed separately ([`suggestions`]): each one re-estimates the
//! image, so the app computes them only while the Suggestions pane is open.
//!
//! What several consumers of one analysis read is computed once, on first use, and shared by
//! reference: the image estimate ([`Analysis::estimate`]), the static runtime check
//! ([`Analysis::runtime`]), which lint rule SP1010 and the refactor gate of [`suggestions`]
//! and [`declined`] both read, with the analysis's own estimate options (the user's context),
//! and the refactors' review behind [`suggestions`] and [`declined`] (each draft gated once).

use crate::diagnostic::{Diagnostic, Fix};
use crate::estimate::runtime::{Missing, Shared};
use crate::estimate::{self, Estimate, EstimateOptions};
use crate::lint::{self, LintDiagnostic, LintOptions};
use crate::model::{self, Model, ModelOptions};
use crate::refactor::{self, RefactorOptions, Suggestion};
use crate::span::LineIndex;
use crate::syntax::{self, Dockerfile};
use std::sync::{Arc, OnceLock};

/// Inputs above this size are not analysed: the app shows a message instead of freezing.
pub const MAX_INPUT_BYTES: usize = 10 * 1024 * 1024;

/// What the user chose besides the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnalysisOptions {
    pub target: Option<String>,
    pub build_args: Vec<(String, String)>,
    /// Build context size in bytes, when the user set one.
    pub context_bytes: Option<u64>,
    /// The `.dockerignore` text, when the user supplied one.
    pub dockerignore: Option<String>,
    /// The user's project, when given: a dropped folder ([`estimate::context::project_options`])
    /// or pasted dependency files (`EstimateOptions::context_files`). Its context size and
    /// `.dockerignore` replace the two fields above.
    pub project: Option<Arc<EstimateOptions>>,
}

impl AnalysisOptions {
    pub fn model_options(&self) -> ModelOptions {
        ModelOptions {
            target: self.target.clone(),
            build_args: self.build_args.clone(),
            platform: None,
        }
    }

    pub fn lint_options(&self) -> LintOptions {
        LintOptions {
            dockerignore: self.estimate_options().dockerignore,
            ..LintOptions::default()
        }
    }

    pub fn estimate_options(&self) -> EstimateOptions {
        let mut opts = self.project.as_deref().cloned().unwrap_or_default();
        if opts.context_paths.is_empty() {
            // Pasted files only (or nothing): the size and .dockerignore the user typed.
            opts.context_bytes = self.context_bytes;
            opts.dockerignore = self.dockerignore.clone();
        }
        opts
    }

    pub fn refactor_options(&self) -> RefactorOptions {
        RefactorOptions {
            model: self.model_options(),
            estimate: self.estimate_options(),
            ..RefactorOptions::default()
        }
    }
}

/// Stage-model diagnostics and the lint rule that reports the same problem: the Problems list
/// shows the lint finding only.
const REPORTED_BY_LINT: &[(&str, &str)] = &[
    ("stage/duplicate-name", "DuplicateStageName"),
    ("stage/self-reference", "DL3023"),
];

/// One problem as the Problems pane lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub diagnostic: Diagnostic,
    /// Where it comes from: `syntax`, `stage` or `lint`.
    pub layer: &'static str,
    /// The rules a lint finding mirrors (`hadolint:DL3008`, `buildkit:StageNameCasing`).
    pub sources: &'static [&'static str],
    pub fix: Option<Fix>,
}

/// Everything the app shows for one text.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub doc: Dockerfile,
    pub line_index: LineIndex,
    pub model: Model,
    /// The image estimate, computed on first use ([`Analysis::estimate`]): the panes that do
    /// not show it do not pay for it on every keystroke.
    estimate: OnceLock<Estimate>,
    estimate_options: EstimateOptions,
    /// The static runtime check of the text ([`Analysis::runtime`]), computed at most once:
    /// lint rule SP1010 and the refactor gate ([`suggestions`], [`declined`]) read this one result.
    runtime: OnceLock<Vec<Missing>>,
    /// The refactors' suggestions and declined list ([`suggestions`], [`declined`]), computed
    /// together on the first call of either: each draft is gated (re-parsed) once.
    refactors: OnceLock<refactor::Review>,
    pub lint: Vec<LintDiagnostic>,
    /// Every diagnostic of every layer, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The same, with layer, sources and fix, for the Problems pane.
    pub problems: Vec<Problem>,
    /// Set when the input was too large to analyse.
    pub too_large: Option<usize>,
}

impl Analysis {
    /// What the final image will contain (computed once, on the first call).
    pub fn estimate(&self) -> &Estimate {
        self.estimate
            .get_or_init(|| estimate::estimate(&self.doc, &self.model, &self.estimate_options))
    }

    /// What the final image's command needs and lacks ([`estimate::runtime`]), with the
    /// analysis's estimate options; computed on first use, then shared.
    pub fn runtime(&self) -> Shared<'_> {
        Shared::new(
            &self.doc,
            &self.model,
            &self.estimate_options,
            &self.runtime,
        )
    }

    /// The refactor review of `text` (the text this analysis was made from, with its options).
    fn refactors(&self, text: &str, options: &AnalysisOptions) -> &refactor::Review {
        self.refactors.get_or_init(|| {
            if self.too_large.is_some() {
                return refactor::Review::default();
            }
            refactor::review_with(
                text,
                &self.doc,
                &self.model,
                &options.refactor_options(),
                self.runtime(),
            )
        })
    }
}

pub fn analyze(text: &str, options: &AnalysisOptions) -> Analysis {
    if text.len() > MAX_INPUT_BYTES {
        return too_large(text);
    }
    let doc = syntax::parse(text);
    let model = model::build(&doc, &options.model_options());
    let estimate_options = options.estimate_options();
    let runtime = OnceLock::new();
    let lint = lint::lint_with(
        text,
        &doc,
        &model,
        &options.lint_options(),
        Shared::new(&doc, &model, &estimate_options, &runtime),
    );

    let line_index = LineIndex::new(text);
    let mut problems: Vec<Problem> =
        Vec::with_capacity(doc.diagnostics.len() + model.diagnostics.len() + lint.len());
    problems.extend(doc.diagnostics.iter().map(|d| Problem {
        diagnostic: d.clone(),
        layer: "syntax",
        sources: &[],
        fix: None,
    }));
    // A stage problem that a lint rule also reports is shown once, as the lint finding (which
    // carries its BuildKit and hadolint codes and answers to the configuration).
    let reported_by_lint: std::collections::HashSet<(&str, u32)> = lint
        .iter()
        .filter(|l| REPORTED_BY_LINT.iter().any(|(_, code)| *code == l.code))
        .map(|l| {
            (
                l.code,
                line_index.line_col(text, l.diagnostic.span.start).line,
            )
        })
        .collect();
    problems.extend(
        model
            .diagnostics
            .iter()
            .filter(|d| {
                !REPORTED_BY_LINT.iter().any(|(stage, lint)| {
                    d.code == *stage
                        && reported_by_lint
                            .contains(&(*lint, line_index.line_col(text, d.span.start).line))
                })
            })
            .map(|d| Problem {
                diagnostic: d.clone(),
                layer: "stage",
                sources: &[],
                fix: None,
            }),
    );
    problems.extend(lint.iter().map(|l| Problem {
        diagnostic: l.diagnostic.clone(),
        layer: "lint",
        sources: l.sources,
        fix: l.fix.clone(),
    }));
    crate::sort::sort_by(&mut problems, |a, b| {
        (
            a.diagnostic.span.start,
            a.diagnostic.severity,
            a.diagnostic.span.end,
        )
            .cmp(&(
                b.diagnostic.span.start,
                b.diagnostic.severity,
                b.diagnostic.span.end,
            ))
    });
    let diagnostics = problems.iter().map(|p| p.diagnostic.clone()).collect();
    Analysis {
        line_index,
        doc,
        model,
        estimate: OnceLock::new(),
        estimate_options,
        runtime,
        refactors: OnceLock::new(),
        lint,
        diagnostics,
        problems,
        too_large: None,
    }
}

fn too_large(text: &str) -> Analysis {
    Analysis {
        doc: Dockerfile::default(),
        line_index: LineIndex::new(""),
        model: Model::default(),
        estimate: OnceLock::from(Estimate::default()),
        estimate_options: EstimateOptions::default(),
        runtime: OnceLock::from(Vec::new()),
        refactors: OnceLock::new(),
        lint: Vec::new(),
        diagnostics: Vec::new(),
        problems: Vec::new(),
        too_large: Some(text.len()),
    }
}

/// The refactor suggestions for `text` with their estimated savings. `text` and `options` are
/// those `analysis` was made from: the first call of this or [`declined`] runs the refactors
/// once for both (`refactor::review_with`, each draft gated against the shared runtime check).
pub fn suggestions(text: &str, analysis: &Analysis, options: &AnalysisOptions) -> Vec<Suggestion> {
    analysis.refactors(text, options).suggestions.clone()
}

/// A refactor that could apply to the text but is not offered, with the reason in words
/// (the Suggestions pane's "Not offered" list; the same as `stageplay refactor` prints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declined {
    pub id: String,
    /// The refactor's title (`RefactorMeta::title`).
    pub title: String,
    pub reason: String,
}

/// The refactors [`refactor::declined`] finds could apply to `text` but are not offered
/// (computed with [`suggestions`], see there).
pub fn declined(text: &str, analysis: &Analysis, options: &AnalysisOptions) -> Vec<Declined> {
    analysis
        .refactors(text, options)
        .declined
        .iter()
        .cloned()
        .map(|(id, reason)| {
            let title = refactor::REFACTORS
                .iter()
                .find(|(meta, _)| meta.id == id)
                .map_or_else(|| id.clone(), |(meta, _)| meta.title.to_string());
            Declined { id, title, reason }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declined_split_carries_its_title_and_reason() {
        // `npm install` with no package.json copied: nothing for a runtime stage to copy.
        let text = "FROM node:22\nWORKDIR /app\nRUN npm install express\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";
        let options = AnalysisOptions::default();
        let analysis = analyze(text, &options);
        let declined = declined(text, &analysis, &options);
        let split = declined
            .iter()
            .find(|d| d.id == "split-stage")
            .unwrap_or_else(|| panic!("split-stage declined: {declined:?}"));
        assert!(split.reason.contains("package.json"), "{split:?}");
        assert_ne!(split.title, split.id, "the refactor's title, not its id");
        assert!(suggestions(text, &analysis, &options)
            .iter()
            .all(|s| s.id != "split-stage"));
        // A file the split is offered on declines nothing of it.
        let ok = "FROM node:22\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";
        let analysis = analyze(ok, &options);
        assert!(super::declined(ok, &analysis, &options)
            .iter()
            .all(|d| d.id != "split-stage"));
    }

    #[test]
    fn every_gallery_example_analyses_without_errors() {
        for example in crate::examples::EXAMPLES {
            let analysis = analyze(example.text, &AnalysisOptions::default());
            let errors: Vec<_> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::Severity::Error)
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", example.id);
            assert!(!analysis.model.stages.is_empty(), "{}", example.id);
            assert!(analysis.estimate().total_bytes > 0, "{}", example.id);
        }
    }

    #[test]
    fn one_review_gives_what_separate_calls_give() {
        // The façade runs the refactors once for both lists; each list must be what its own
        // call computes (declined needs a file a refactor declines: a split with no manifest).
        let declining = "FROM node:22\nWORKDIR /app\nRUN npm install express\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";
        let texts = crate::examples::EXAMPLES
            .iter()
            .map(|e| e.text)
            .chain([declining]);
        let mut declined_seen = 0;
        for text in texts {
            let options = AnalysisOptions::default();
            let analysis = analyze(text, &options);
            let opts = options.refactor_options();
            let (doc, model) = (&analysis.doc, &analysis.model);
            let list = suggestions(text, &analysis, &options);
            let no = declined(text, &analysis, &options);
            assert_eq!(list, refactor::suggest(text, doc, model, &opts), "{text}");
            let pairs: Vec<(String, String)> = no
                .iter()
                .map(|d| (d.id.clone(), d.reason.clone()))
                .collect();
            assert_eq!(pairs, refactor::declined(text, doc, model, &opts), "{text}");
            declined_seen += no.len();
        }
        assert!(declined_seen > 0);
    }

    #[test]
    fn oversized_input_is_refused_with_its_size() {
        let text = "#".repeat(MAX_INPUT_BYTES + 1);
        let analysis = analyze(&text, &AnalysisOptions::default());
        assert_eq!(analysis.too_large, Some(MAX_INPUT_BYTES + 1));
        assert!(analysis.doc.instructions.is_empty());
    }
}
