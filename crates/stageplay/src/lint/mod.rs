//! Stage-aware lint: BuildKit's build checks, hadolint's DL rules and Stageplay's own, with
//! quick fixes.
//!
//! Layout (ruff and oxc style): `rules/<name>.rs` holds one rule each, declared with its code,
//! metadata and user-facing doc comment (also available at runtime as [`RuleMeta::doc`]);
//! detection, message and fix are separate functions in that file. [`codes`] is the registry,
//! one line per rule.
//! Rules read a [`context::Ctx`], which knows which stage an instruction belongs to and whether
//! that stage ends up in the chosen target's image, is only a builder, or is unused.
//!
//! Suppression: `# hadolint ignore=DL3008`, `# stageplay ignore=CODE` (the comment block right
//! above an instruction; `global ignore=` for the whole file) and BuildKit's
//! `# check=skip=<names>|all;error=true;experimental=<names>|all` directive.

pub mod codes;
pub mod context;
pub mod render;
pub mod rule;
pub mod rules;
#[cfg(feature = "sarif")]
pub mod sarif;
mod suppress;

pub use rule::{RuleMeta, RuleStatus};

pub use crate::diagnostic::Applicability;
use crate::diagnostic::{apply_edits, Diagnostic, Fix, Severity};
use crate::model::Model;
use crate::span::Span;
use crate::syntax::Dockerfile;
use serde::Serialize;

/// What the user supplied besides the Dockerfile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LintOptions {
    /// The `.dockerignore` contents, when there is one. `None` means "no .dockerignore".
    pub dockerignore: Option<String>,
    /// Codes never to report (like `# stageplay global ignore=`): a rule's code, or a code it
    /// mirrors (`DL3025` ignores BuildKit's JSONArgsRecommended), as [`names`] lists them.
    pub ignore: Vec<String>,
    /// Also run rules whose status is preview (BuildKit's experimental checks).
    pub preview: bool,
    /// Do not honour `# hadolint ignore=` / `# stageplay ignore=` comments (hadolint's
    /// `--disable-ignore-pragma`). BuildKit's `# check=` directive still applies.
    pub disable_ignore_pragma: bool,
    /// Registries allowed in `FROM` (hadolint's trusted registries; `*.gcr.io` matches
    /// subdomains). Empty: DL3026 does not run.
    pub trusted_registries: Vec<String>,
}

/// The names a finding answers to in ignores, pragmas and configuration: its own code, then
/// the codes it mirrors without their `hadolint:` / `buildkit:` / `stageplay:` prefix.
pub fn names<'a>(code: &'a str, sources: &'a [&'a str]) -> impl Iterator<Item = &'a str> + 'a {
    std::iter::once(code).chain(
        sources
            .iter()
            .map(|s| s.split_once(':').map_or(*s, |(_, c)| c)),
    )
}

/// A rule's raw finding, before severity, sources and suppression are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// Overrides the rule's sources for this finding (a rule that mirrors several codes).
    pub sources: Option<&'static [&'static str]>,
    /// Secondary places (each unpinned package of one `apk add`, the first stage of a name).
    pub labels: Vec<crate::diagnostic::Label>,
}

/// One lint result: a diagnostic plus the rule's code, the rules it mirrors and a fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintDiagnostic {
    pub diagnostic: Diagnostic,
    pub code: &'static str,
    /// The BuildKit check and/or hadolint code this rule mirrors (`buildkit:StageNameCasing`).
    pub sources: &'static [&'static str],
    pub fix: Option<Fix>,
}

/// Every rule, for the rules reference.
pub fn rules() -> &'static [RuleMeta] {
    codes::RULES
}

/// Looks a rule up by code (case-insensitive).
pub fn rule(code: &str) -> Option<&'static RuleMeta> {
    codes::RULES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

/// Lints `doc` (parsed from `text`) with the stage `model` built from it. SP1010's runtime
/// check runs with the default estimate options (no build context given); an analysis passes
/// its own shared check with [`lint_with`].
pub fn lint(
    text: &str,
    doc: &Dockerfile,
    model: &Model,
    opts: &LintOptions,
) -> Vec<LintDiagnostic> {
    let estimate = crate::estimate::EstimateOptions::default();
    let cell = std::sync::OnceLock::new();
    let runtime = crate::estimate::runtime::Shared::new(doc, model, &estimate, &cell);
    lint_with(text, doc, model, opts, runtime)
}

/// [`lint`] reading the file's runtime check from `runtime` (computed there at most once and
/// kept for the other readers of the same analysis, such as the refactor gate).
pub fn lint_with(
    text: &str,
    doc: &Dockerfile,
    model: &Model,
    opts: &LintOptions,
    runtime: crate::estimate::runtime::Shared<'_>,
) -> Vec<LintDiagnostic> {
    let directives = suppress::Directives::read(text, doc);
    let mut ctx = context::Ctx::new(text, doc, model, opts, runtime);
    ctx.prepare();
    for rule in codes::RULES {
        if rule.status == RuleStatus::Preview && !opts.preview && !directives.experimental(rule) {
            continue;
        }
        if directives.skips(rule)
            || opts
                .ignore
                .iter()
                .any(|c| c.eq_ignore_ascii_case(rule.code))
        {
            continue;
        }
        ctx.code = rule.code;
        (rule.check)(&mut ctx);
    }
    let findings = std::mem::take(&mut ctx.findings);
    let mut out: Vec<LintDiagnostic> = Vec::with_capacity(findings.len());
    // Rules by their exact code (findings carry the rule's own code string), so looking up
    // each finding's rule is not a scan of the table.
    let by_code: std::collections::HashMap<&str, &RuleMeta> =
        codes::RULES.iter().map(|r| (r.code, r)).collect();
    for f in findings {
        let Some(meta) = by_code.get(f.code).copied().or_else(|| rule(f.code)) else {
            continue;
        };
        let sources = f.sources.unwrap_or(meta.sources);
        let ignored = |name: &str| opts.ignore.iter().any(|c| c.eq_ignore_ascii_case(name));
        if names(f.code, sources).any(ignored)
            || directives.suppressed(f.code, sources, f.span, opts.disable_ignore_pragma)
        {
            continue;
        }
        let mut severity = meta.severity;
        if directives.error && meta.is_buildkit() {
            severity = Severity::Error;
        }
        let mut diagnostic = Diagnostic::new(f.code, severity, f.span, f.message);
        diagnostic.help = f.help;
        diagnostic.labels = f.labels;
        out.push(LintDiagnostic {
            diagnostic,
            code: meta.code,
            sources,
            fix: f.fix,
        });
    }
    crate::sort::sort_by(&mut out, |a, b| {
        (a.diagnostic.span.start, a.code).cmp(&(b.diagnostic.span.start, b.code))
    });
    out.dedup_by(|a, b| a.code == b.code && a.diagnostic.span == b.diagnostic.span);
    out
}

/// Applies every safe fix until none is left: parses with [`crate::syntax::parse`] and builds
/// the model with `model_opts` in every round. See [`fix_all_safe_with`].
pub fn fix_all_safe(
    text: &str,
    opts: &LintOptions,
    model_opts: &crate::model::ModelOptions,
) -> String {
    fix_all_safe_with(text, opts, &|t: &str| {
        let doc = crate::syntax::parse(t);
        let model = crate::model::build(&doc, model_opts);
        (doc, model)
    })
}

/// Applies every safe fix, again and again until none is left (at most 10 rounds).
///
/// `analyze` parses a text and builds its stage model (the caller chooses target and build
/// args). A round whose result has more syntax errors than its input is undone and its fixes
/// are retried one by one, so the result never parses worse than the input.
pub fn fix_all_safe_with(
    text: &str,
    opts: &LintOptions,
    analyze: &dyn Fn(&str) -> (Dockerfile, Model),
) -> String {
    let mut current = text.to_string();
    for _ in 0..10 {
        let (doc, model) = analyze(&current);
        let errors = syntax_errors(&doc);
        let fixes: Vec<Fix> = lint(&current, &doc, &model, opts)
            .into_iter()
            .filter_map(|d| d.fix)
            .filter(|f| f.applicability == Applicability::Safe && !f.edits.is_empty())
            .collect();
        if fixes.is_empty() {
            break;
        }
        let candidate = apply_fixes(&current, &fixes);
        if candidate == current {
            break;
        }
        if syntax_errors(&analyze(&candidate).0) <= errors {
            current = candidate;
            continue;
        }
        // Retry one fix at a time and keep those that do not add errors.
        let mut progressed = false;
        for fix in &fixes {
            let one = apply_fixes(&current, std::slice::from_ref(fix));
            if one != current && syntax_errors(&analyze(&one).0) <= errors {
                current = one;
                progressed = true;
                break;
            }
        }
        if !progressed {
            break;
        }
    }
    current
}

fn syntax_errors(doc: &Dockerfile) -> usize {
    doc.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

/// Applies whole fixes whose edits do not overlap an edit already taken.
pub fn apply_fixes(text: &str, fixes: &[Fix]) -> String {
    let mut taken: Vec<Span> = Vec::new();
    let mut edits = Vec::new();
    for fix in fixes {
        let overlaps = fix.edits.iter().any(|e| {
            taken.iter().any(|t| {
                e.span.start < t.end && t.start < e.span.end
                    || (e.span.start == t.start && (e.span.is_empty() || t.is_empty()))
                    || e.span.start == t.end && e.span.is_empty() && t.is_empty()
            })
        });
        if overlaps {
            continue;
        }
        for e in &fix.edits {
            taken.push(e.span);
            edits.push(e.clone());
        }
    }
    apply_edits(text, &edits)
}
