//! The refactoring assistant: from a single-stage Dockerfile to a production multi-stage one.
//!
//! [`recognise`] reads what the project is (ecosystem, tool, manifests, build and run commands,
//! artifacts). [`suggest`] runs every refactor (one per file in this module, each with its user
//! facing doc and sources) and returns [`Suggestion`]s: text edits with an applicability, an
//! explanation and the estimated size before and after. [`apply_all`] applies suggestions one at a
//! time, re-parsing in between, until nothing is left to suggest.
//!
//! The patterns produced are the founding guide's ("Multi-Stage Builds": basic, production with
//! security, uv with cache and bind mounts, named targets).

pub mod apt_hygiene;
pub mod base_swap;
pub mod bind_mounts;
pub mod cache_mounts;
pub mod dev_prod_targets;
pub mod healthcheck;
pub mod manifests_first;
pub mod name_stages;
pub mod non_root_user;
pub mod project;
pub mod remove_unused_stages;
pub mod report;
pub mod secret_mounts;
pub mod shell;
pub mod size;
pub mod split_prefix;
pub mod split_stage;
pub(crate) mod util;
pub mod validate;

pub use project::{recognise, recognise_stage, Ecosystem, Project, Tool};

use crate::diagnostic::{apply_edits, Applicability, TextEdit};
use crate::estimate::runtime::Shared;
use crate::estimate::EstimateOptions;
use crate::model::{Model, ModelOptions};
use crate::syntax::Dockerfile;
use serde::Serialize;
use std::cell::OnceCell;
use std::sync::OnceLock;

/// What the user chose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RefactorOptions {
    /// What the model is built for: target (`None`: the last stage), build args, platform.
    pub model: ModelOptions,
    /// Run only these refactors (by id); empty means all.
    pub only: Vec<String>,
    /// Never run these refactors (by id).
    pub skip: Vec<String>,
    /// What the user told the estimate about the build context (pasted dependency files, a
    /// project folder): drafts are checked against the runtime and sized with it, as the Image
    /// pane sizes the input. Default: nothing known.
    pub estimate: EstimateOptions,
}

impl RefactorOptions {
    fn wants(&self, id: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|o| o == id))
            && !self.skip.iter().any(|s| s == id)
    }
}

/// Where a refactor's advice comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub title: String,
    pub url: Option<String>,
}

/// One refactoring the user can apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// Stable id of the refactor (`split-stage`, `non-root-user`, …).
    pub id: String,
    pub title: String,
    /// Why, in a few sentences, with the compatibility notes that apply.
    pub explanation: String,
    pub applicability: Applicability,
    /// Sorted, non-overlapping edits on the text given to [`suggest`].
    pub edits: Vec<TextEdit>,
    /// Estimated final-image size before and after, in bytes (`None` when no estimate is available).
    pub size_before: Option<u64>,
    pub size_after: Option<u64>,
    /// Filesystem layers of the final image before and after (`None` when no estimate is available).
    pub layers_before: Option<usize>,
    pub layers_after: Option<usize>,
    /// Why the size and layer fields are `None` although the file has stages: the text is over
    /// [`MAX_MEASURED_BYTES`], so the sizes were not estimated (`None` when they were, or when
    /// the file has no stage to estimate).
    pub size_note: Option<String>,
    pub sources: Vec<Source>,
}

/// The largest text whose suggestions get a size estimate before and after. Measuring a
/// suggestion re-parses and re-models the whole edited text, which for a multi-megabyte file
/// costs more than the rest of the analysis; above this size the sizes are reported as not
/// estimated ([`Suggestion::size_note`]) instead.
pub const MAX_MEASURED_BYTES: usize = 512 * 1024;

/// A refactor's static description: its id, title and sources.
#[derive(Debug, Clone, Copy)]
pub struct RefactorMeta {
    pub id: &'static str,
    pub title: &'static str,
    /// `(title, url)` pairs: founding-guide sections, hadolint and BuildKit rules, Docker docs.
    pub sources: &'static [(&'static str, &'static str)],
}

/// What a refactor's check returns: the edits and the words shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub explanation: String,
    pub applicability: Applicability,
    pub edits: Vec<TextEdit>,
}

/// The inputs every refactor reads.
pub struct Context<'a> {
    pub text: &'a str,
    pub doc: &'a Dockerfile,
    pub model: &'a Model,
    pub opts: &'a RefactorOptions,
    /// The input's own runtime check (shared with lint's SP1010 within an analysis) and the
    /// estimate options every draft is checked with (see [`breaks_runtime`]).
    runtime: Shared<'a>,
    /// What the input itself already uses before copying it (see [`breaks_runtime`]): the
    /// same for every draft, so it is computed once per file, on first use.
    used_before: OnceCell<Vec<String>>,
}

impl<'a> Context<'a> {
    fn new(
        text: &'a str,
        doc: &'a Dockerfile,
        model: &'a Model,
        opts: &'a RefactorOptions,
        runtime: Shared<'a>,
    ) -> Context<'a> {
        Context {
            text,
            doc,
            model,
            opts,
            runtime,
            used_before: OnceCell::new(),
        }
    }

    fn used_before(&self) -> &[String] {
        self.used_before
            .get_or_init(|| validate::used_before_copied(self.doc, self.model))
    }
}

type Check = fn(&Context) -> Option<Draft>;

/// Runs a check and adapts its generated text to the file: line continuations use the file's
/// escape character. Files with syntax errors get no suggestions (edits need a sound tree).
fn run_check(check: Check, cx: &Context) -> Option<Draft> {
    if has_errors(cx) || open_continuation(cx) {
        return None;
    }
    let draft = check(cx)?;
    if breaks_runtime(cx, &draft).is_some() {
        return None;
    }
    Some(adapt(cx, draft))
}

/// The file has a syntax error: no refactor runs on it.
fn has_errors(cx: &Context) -> bool {
    cx.doc
        .diagnostics
        .iter()
        .any(|d| d.severity == crate::diagnostic::Severity::Error)
}

/// A file that ends inside a line continuation would join any appended line into its last
/// instruction (found by fuzzing): no edits are safe there.
fn open_continuation(cx: &Context) -> bool {
    let escape = if cx.doc.escape == '\0' {
        '\\'
    } else {
        cx.doc.escape
    };
    cx.text.trim_end().ends_with(escape)
}

/// `draft` with its line continuations in the file's escape character.
fn adapt(cx: &Context, mut draft: Draft) -> Draft {
    if cx.doc.escape != '\\' && cx.doc.escape != '\0' {
        let continuation = format!(" {}\n", cx.doc.escape);
        for edit in &mut draft.edits {
            edit.insert = edit.insert.replace(" \\\n", &continuation);
        }
    }
    draft
}

/// What the final stage's command needs that `draft`'s output lacks and the input had (the
/// static runtime check, [`crate::estimate::runtime`]), and files a RUN now uses before the COPY
/// that brings them ([`validate::used_before_copied`]): every refactor's output must still have
/// what its ENTRYPOINT/CMD/HEALTHCHECK/USER need, in an order that builds. `None` when nothing
/// new is wrong.
fn breaks_runtime(cx: &Context, draft: &Draft) -> Option<String> {
    let edited = apply_edits(cx.text, &draft.edits);
    if edited == cx.text {
        return None;
    }
    let baseline = cx.runtime.missing();
    let (doc, model) = analyse(&edited, cx.opts);
    let after = crate::estimate::runtime::check(&doc, &model, cx.runtime.options());
    let mut new: Vec<String> = after
        .into_iter()
        .filter(|m| !baseline.iter().any(|b| b.message == m.message))
        .map(|m| m.message)
        .collect();
    // A file a RUN uses must still come before it (a RUN moved above its COPY fails to build).
    new.extend(
        validate::used_before_copied(&doc, &model)
            .into_iter()
            .filter(|u| !cx.used_before().iter().any(|b| validate::same_use(b, u))),
    );
    (!new.is_empty()).then(|| format!("its result would not run or build: {}", new.join("; ")))
}

/// The refactors that could apply to this file but are not offered, each with the reason, in
/// words for the Suggestions pane: a split that cannot prove the runtime keeps what the app
/// needs, or any refactor whose result fails the static runtime check (run with
/// `opts.estimate`; an analysis shares its own check through [`review_with`]).
pub fn declined(
    text: &str,
    doc: &Dockerfile,
    model: &Model,
    opts: &RefactorOptions,
) -> Vec<(String, String)> {
    let cell = OnceLock::new();
    let runtime = Shared::new(doc, model, &opts.estimate, &cell);
    run_refactors(&Context::new(text, doc, model, opts, runtime), false, true).declined
}

/// Every refactor, in the order [`apply_all`] tries them.
pub const REFACTORS: &[(RefactorMeta, Check)] = &[
    (name_stages::META, name_stages::check),
    (remove_unused_stages::META, remove_unused_stages::check),
    (dev_prod_targets::META, dev_prod_targets::check),
    (manifests_first::META, manifests_first::check),
    (apt_hygiene::META, apt_hygiene::check),
    (split_stage::META, split_stage::check),
    (split_prefix::META, split_prefix_where_split_stage_declines),
    (base_swap::META, base_swap::check),
    (non_root_user::META, non_root_user::check),
    (healthcheck::META, healthcheck::check),
    (cache_mounts::META, cache_mounts::check),
    (bind_mounts::META, bind_mounts::check),
    (secret_mounts::META, secret_mounts::check),
];

/// The two splits never both apply: the prefix split is offered only where the ecosystem split
/// (which knows the application's runtime) declines.
fn split_prefix_where_split_stage_declines(cx: &Context) -> Option<Draft> {
    let draft = split_prefix::check(cx)?;
    split_stage::check(cx).is_none().then_some(draft)
}

/// Every suggestion for `text` (already parsed into `doc` and modelled into `model`), each
/// draft gated by the static runtime check with `opts.estimate` (an analysis shares its own
/// check through [`review_with`]).
pub fn suggest(
    text: &str,
    doc: &Dockerfile,
    model: &Model,
    opts: &RefactorOptions,
) -> Vec<Suggestion> {
    let cell = OnceLock::new();
    let runtime = Shared::new(doc, model, &opts.estimate, &cell);
    run_refactors(&Context::new(text, doc, model, opts, runtime), true, false).suggestions
}

/// What the refactors make of one file: the suggestions and the refactors not offered, with
/// the reason ([`review_with`]).
#[derive(Debug, Clone, Default)]
pub struct Review {
    pub suggestions: Vec<Suggestion>,
    /// `(refactor id, reason)`, as [`declined`] gives them.
    pub declined: Vec<(String, String)>,
}

/// [`suggest`] and [`declined`] at once: each refactor's check and each draft's runtime gate
/// (a re-parse of the edited text) run once for both lists.
pub fn review(text: &str, doc: &Dockerfile, model: &Model, opts: &RefactorOptions) -> Review {
    let cell = OnceLock::new();
    review_with(
        text,
        doc,
        model,
        opts,
        Shared::new(doc, model, &opts.estimate, &cell),
    )
}

/// [`review`] with the input's runtime check taken from `runtime`, as an analysis shares it.
pub fn review_with(
    text: &str,
    doc: &Dockerfile,
    model: &Model,
    opts: &RefactorOptions,
    runtime: Shared<'_>,
) -> Review {
    let cx = Context::new(text, doc, model, opts, runtime);
    run_refactors(&cx, true, true)
}

/// The one loop over the refactors behind [`suggest`], [`declined`] and [`review_with`];
/// `suggestions` and `declined` say which lists to fill.
fn run_refactors(cx: &Context, suggestions: bool, declined: bool) -> Review {
    let mut out = Review::default();
    if has_errors(cx) {
        return out;
    }
    let open = open_continuation(cx);
    let measured = cx.text.len() <= MAX_MEASURED_BYTES;
    let size_note = (!measured).then(|| {
        format!(
            "not estimated: the file is over {} KB, too large to re-analyse once per suggestion",
            MAX_MEASURED_BYTES / 1024
        )
    });
    let before = if measured && suggestions {
        size::measure_doc(cx.doc, &cx.opts.model, cx.runtime.options())
    } else {
        None
    };
    for (meta, check) in REFACTORS {
        if !cx.opts.wants(meta.id) || (open && !declined) {
            continue;
        }
        let draft = match check(cx) {
            Some(draft) => draft,
            None => {
                if declined && meta.id == split_stage::META.id {
                    if let Some(reason) = split_stage::declined(cx) {
                        out.declined.push((meta.id.to_string(), reason));
                    }
                }
                continue;
            }
        };
        if let Some(reason) = breaks_runtime(cx, &draft) {
            if declined {
                out.declined.push((meta.id.to_string(), reason));
            }
            continue;
        }
        if !suggestions || open {
            continue;
        }
        let draft = adapt(cx, draft);
        if draft.edits.is_empty() {
            continue;
        }
        let edited = apply_edits(cx.text, &draft.edits);
        if edited == cx.text {
            continue;
        }
        let after = if measured {
            size::measure(&edited, &cx.opts.model, cx.runtime.options())
        } else {
            None
        };
        let mut edits = draft.edits;
        crate::sort::sort_by_key(&mut edits, |e| (e.span.start, e.span.end));
        out.suggestions.push(Suggestion {
            id: meta.id.to_string(),
            title: draft.title,
            explanation: draft.explanation,
            applicability: draft.applicability,
            edits,
            size_before: before.map(|m| m.bytes),
            size_after: after.map(|m| m.bytes),
            layers_before: before.map(|m| m.layers),
            layers_after: after.map(|m| m.layers),
            size_note: size_note.clone(),
            sources: meta
                .sources
                .iter()
                .map(|(t, u)| Source {
                    title: t.to_string(),
                    url: Some(u.to_string()),
                })
                .collect(),
        });
    }
    out
}

/// Parses and models `text` the way every refactor expects.
pub fn analyse(text: &str, opts: &RefactorOptions) -> (Dockerfile, Model) {
    let doc = crate::syntax::parse(text);
    let model = crate::model::build(&doc, &opts.model);
    (doc, model)
}

/// The upper bound on refactors applied by [`apply_all`]; each refactor is idempotent, so a
/// normal file reaches its fixed point long before.
const MAX_STEPS: usize = 40;

/// Applies the suggestions (all but display-only ones) one at a time, re-parsing in between,
/// until none is left (a fixed point) and returns the refactored text.
pub fn apply_all(text: &str, opts: &RefactorOptions) -> String {
    apply_all_steps(text, opts).0
}

/// [`apply_all`], with the ids of the refactors applied, in order (one entry per step).
pub fn apply_all_steps(text: &str, opts: &RefactorOptions) -> (String, Vec<&'static str>) {
    let mut current = text.to_string();
    let mut seen = vec![current.clone()];
    let mut applied = Vec::new();
    for _ in 0..MAX_STEPS {
        let (doc, model) = analyse(&current, opts);
        let cell = OnceLock::new();
        let runtime = Shared::new(&doc, &model, &opts.estimate, &cell);
        let cx = Context::new(&current, &doc, &model, opts, runtime);
        let next = REFACTORS
            .iter()
            .filter(|(meta, _)| opts.wants(meta.id))
            .find_map(|(meta, check)| {
                let draft = run_check(*check, &cx)?;
                if draft.applicability == Applicability::DisplayOnly {
                    return None;
                }
                let next = apply_edits(&current, &draft.edits);
                (!seen.contains(&next)).then_some((next, meta.id))
            });
        match next {
            Some((next, id)) => {
                seen.push(next.clone());
                applied.push(id);
                current = next;
            }
            None => break,
        }
    }
    (current, applied)
}

/// Applies one refactor by id once (for tests and the "apply" button); `None` when it does not apply.
pub fn apply_one(text: &str, id: &str, opts: &RefactorOptions) -> Option<String> {
    let (doc, model) = analyse(text, opts);
    let cell = OnceLock::new();
    let cx = Context::new(
        text,
        &doc,
        &model,
        opts,
        Shared::new(&doc, &model, &opts.estimate, &cell),
    );
    let (_, check) = REFACTORS.iter().find(|(meta, _)| meta.id == id)?;
    let draft = run_check(*check, &cx)?;
    let out = apply_edits(text, &draft.edits);
    (out != text).then_some(out)
}
