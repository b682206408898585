//! Building the [`Model`] from the syntax tree, following BuildKit's `dockerfile2llb`:
//! stages in order, global ARGs and FROM expansion, references between stages, the target.

use super::read::{self, MountSpec};
use super::scope::{self, Scope};
use super::{order, ArgDef, Base, Edge, EdgeKind, EdgeSource, Model, ModelOptions, Stage};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::expand::Budget;
use crate::syntax::{Args, Dockerfile, Instruction, Keyword};
use std::cell::RefCell;
use std::collections::HashMap;

/// The platform BuildKit assumes when none is given.
pub const DEFAULT_PLATFORM: &str = "linux/amd64";

/// Builds the stage model. Never fails: problems become diagnostics with `stage/<name>` codes.
pub fn build(doc: &Dockerfile, opts: &ModelOptions) -> Model {
    let mut b = Builder {
        doc,
        opts,
        model: Model::default(),
        global: Scope::default(),
        names: HashMap::new(),
        typos: RefCell::new(HashMap::new()),
        budget: doc.expansion_budget(),
    };
    b.global_scope_defaults();
    b.stages();
    b.edges();
    order::resolve_target(&mut b.model, opts);
    crate::sort::sort_by_key(&mut b.model.diagnostics, |d| (d.span.start, d.span.end));
    b.model
}

struct Builder<'a> {
    doc: &'a Dockerfile,
    opts: &'a ModelOptions,
    model: Model,
    /// Global ARGs with their effective values, predefined platform ARGs included.
    global: Scope,
    /// Stage names seen so far, ASCII-lowercased (BuildKit compares them case-insensitively):
    /// the indices of the stages with that name, in order. Lookups by name are then O(1), so
    /// the model stays linear in the number of stages.
    names: HashMap<String, Vec<usize>>,
    /// [`Builder::typo_diag`]'s nearest stage name per lowercased image (asked only once every
    /// stage is known, so the answer does not change).
    typos: RefCell<HashMap<String, Option<String>>>,
    /// What the ARG and FROM expansions may add up to (a chain of doubling defaults stops
    /// there, its values kept as written, with a diagnostic).
    budget: Budget,
}

impl Builder<'_> {
    fn escape(&self) -> char {
        if self.doc.escape == '\0' {
            '\\'
        } else {
            self.doc.escape
        }
    }

    fn override_for(&self, name: &str) -> Option<String> {
        self.opts
            .build_args
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    fn global_scope_defaults(&mut self) {
        let platform = self.opts.platform.as_deref().unwrap_or(DEFAULT_PLATFORM);
        for (k, v) in scope::platform_args(platform) {
            self.global.set(&k, Some(v));
        }
        let target = self.opts.target.clone().unwrap_or_default();
        self.global.set("TARGETSTAGE", Some(target));
    }

    /// Walks the instructions once: global ARGs, then one stage per FROM.
    fn stages(&mut self) {
        let escape = self.escape();
        let mut stage_scope = Scope::default();
        for (i, instr) in self.doc.instructions.iter().enumerate() {
            match instr.keyword {
                Keyword::From => {
                    let stage = self.stage_from(i, instr);
                    if let Some(n) = &stage.name {
                        self.names
                            .entry(n.to_ascii_lowercase())
                            .or_default()
                            .push(stage.index);
                    }
                    self.model.stages.push(stage);
                    stage_scope = Scope::default();
                }
                Keyword::Arg => {
                    let in_stage = !self.model.stages.is_empty();
                    for (name, default) in read::arg_pairs(instr, escape) {
                        let (value, diag) =
                            self.arg_value(&name, default.as_deref(), in_stage, &stage_scope);
                        if let Some(mut d) = diag {
                            d.span = instr.span;
                            self.model.diagnostics.push(d);
                        }
                        let def = ArgDef {
                            name: name.clone(),
                            default,
                            description: instr.description().map(str::to_string),
                            instruction: i,
                            span: instr.span,
                            value: value.clone(),
                        };
                        if let Some(stage) = self.model.stages.last_mut() {
                            stage_scope.set(&name, value);
                            stage.args.push(def);
                        } else {
                            self.global.set(&name, value);
                            self.model.global_args.push(def);
                        }
                    }
                    if let Some(stage) = self.model.stages.last_mut() {
                        stage.instructions.push(i);
                    }
                }
                _ => match self.model.stages.last_mut() {
                    Some(stage) => {
                        stage.instructions.push(i);
                        if instr.keyword == Keyword::Onbuild {
                            stage.onbuild.push(i);
                        }
                    }
                    None => self.model.diagnostics.push(
                        Diagnostic::error(
                            "stage/instruction-before-from",
                            instr.keyword_span,
                            format!(
                                "{} comes before the first FROM; only ARG may appear there",
                                instr.keyword_text()
                            ),
                        )
                        .with_help("BuildKit stops with \"no build stage in current context\""),
                    ),
                },
            }
        }
        if self.model.stages.is_empty() {
            let span = self
                .doc
                .instructions
                .first()
                .map_or(Span::default(), |i| i.span);
            self.model.diagnostics.push(Diagnostic::error(
                "stage/no-stage",
                span,
                "the Dockerfile has no FROM instruction, so there is no stage to build",
            ));
        }
    }

    /// The effective value of an ARG and, when its default cannot be expanded, a diagnostic.
    fn arg_value(
        &self,
        name: &str,
        default: Option<&str>,
        in_stage: bool,
        stage_scope: &Scope,
    ) -> (Option<String>, Option<Diagnostic>) {
        if let Some(v) = self.override_for(name) {
            return (Some(v), None);
        }
        match default {
            Some(raw) => {
                let scope = if in_stage { stage_scope } else { &self.global };
                match scope::expand(raw, self.escape(), scope, &self.budget) {
                    Ok(v) => (Some(v), None),
                    Err(e) => (
                        Some(raw.to_string()),
                        Some(Diagnostic::error(
                            "stage/expand-error",
                            Span::default(),
                            format!("cannot expand the default of ARG {name}: {e}"),
                        )),
                    ),
                }
            }
            // A stage ARG without default takes the global value (BuildKit's `metaArgs`).
            None if in_stage => (self.global.get(name).map(str::to_string), None),
            None => (None, None),
        }
    }

    fn stage_from(&mut self, i: usize, instr: &Instruction) -> Stage {
        let index = self.model.stages.len();
        let parts = read::from_parts(instr);
        if parts.malformed {
            self.model.diagnostics.push(
                Diagnostic::error(
                    "stage/malformed-from",
                    instr.span,
                    "FROM takes an image and optionally `AS name`: FROM [--platform=P] IMAGE [AS NAME]",
                )
                .with_help("BuildKit stops with \"FROM requires either one or three arguments\""),
            );
        }
        let base_text = parts.image.clone().unwrap_or_default();
        let name = parts.name.clone();
        if let Some(n) = &name {
            if !valid_stage_name(&n.to_ascii_lowercase()) {
                self.model.diagnostics.push(
                    Diagnostic::error(
                        "stage/invalid-name",
                        word_span(&instr.args, n).unwrap_or(instr.span),
                        format!("invalid stage name '{n}': a name starts with a letter and has only letters, digits, '-', '_' and '.'"),
                    )
                    .with_help("BuildKit rejects the file: \"invalid name for build stage\""),
                );
            }
            let first = self
                .names
                .get(&n.to_ascii_lowercase())
                .and_then(|v| v.first().copied());
            if let Some(prev) = first.and_then(|f| self.model.stages.get(f)) {
                self.model.diagnostics.push(
                    Diagnostic::warning(
                        "stage/duplicate-name",
                        word_span(&instr.args, n).unwrap_or(instr.span),
                        format!("stage name '{n}' is already used by stage {}", prev.index),
                    )
                    .with_label(prev.span, "first defined here")
                    .with_help("references by name resolve to the last stage with this name"),
                );
            }
        }

        let expanded = match scope::expand(&base_text, self.escape(), &self.global, &self.budget) {
            Ok(v) => v,
            Err(e) => {
                self.model.diagnostics.push(Diagnostic::error(
                    "stage/expand-error",
                    word_span(&instr.args, &base_text).unwrap_or(instr.span),
                    format!("cannot expand '{base_text}': {e}"),
                ));
                base_text.clone()
            }
        };
        let base = if expanded == "scratch" {
            Base::Scratch
        } else if let Some(&last) = self.names.get(expanded.as_str()).and_then(|v| v.last()) {
            // Only an already-lowercase reference matches (the key is the lowercased name).
            Base::Stage(last)
        } else {
            Base::Image(expanded.clone())
        };
        if expanded.is_empty() && !base_text.is_empty() {
            self.model.diagnostics.push(
                Diagnostic::error(
                    "stage/empty-from",
                    word_span(&instr.args, &base_text).unwrap_or(instr.span),
                    format!("'{base_text}' expands to nothing, so FROM has no base image"),
                )
                .with_help(
                    "declare the ARG with a default before the first FROM, or pass --build-arg",
                ),
            );
        }

        let platform = parts.platform.as_deref().map(|p| {
            match scope::expand(p, self.escape(), &self.global, &self.budget) {
                Ok(v) => v,
                Err(_) => p.to_string(),
            }
        });

        Stage {
            index,
            name,
            base,
            base_text,
            platform,
            from_instruction: i,
            instructions: Vec::new(),
            args: Vec::new(),
            needed: false,
            span: instr.span,
            line: instr.start_line,
            description: instr.description().map(str::to_string),
            onbuild: Vec::new(),
            level: None,
        }
    }

    /// Edges from FROM, COPY/ADD and RUN `--mount`, in source order per stage.
    fn edges(&mut self) {
        let escape = self.escape();
        let stage_count = self.model.stages.len();
        let mut edges = Vec::new();
        let mut diags = Vec::new();
        for stage in &self.model.stages {
            let from_instr = match self.doc.instructions.get(stage.from_instruction) {
                Some(i) => i,
                None => continue,
            };
            match &stage.base {
                Base::Stage(s) => edges.push(edge(
                    EdgeSource::Stage(*s),
                    stage.index,
                    EdgeKind::From,
                    stage.from_instruction,
                    from_instr,
                    from_instr.span,
                )),
                Base::Image(image) if image.is_empty() => {}
                Base::Image(image) => {
                    edges.push(edge(
                        EdgeSource::Image(image.clone()),
                        stage.index,
                        EdgeKind::From,
                        stage.from_instruction,
                        from_instr,
                        from_instr.span,
                    ));
                    // The first stage after this one named exactly `image` once lowercased.
                    let later = self.names.get(image.as_str()).and_then(|v| {
                        let k = v.partition_point(|&s| s <= stage.index);
                        v.get(k).and_then(|&s| self.model.stages.get(s))
                    });
                    if let Some(later) = later {
                        diags.push(
                            Diagnostic::warning(
                                "stage/forward-reference",
                                word_span(&from_instr.args, &stage.base_text).unwrap_or(from_instr.span),
                                format!("FROM {image} names stage {} defined later; BuildKit pulls an image called '{image}' instead", later.index),
                            )
                            .with_label(later.span, "defined here")
                            .with_help("move this stage below the one it builds on"),
                        );
                    }
                }
                Base::Scratch => {}
            }
            for &i in &stage.instructions {
                let Some(instr) = self.doc.instructions.get(i) else {
                    continue;
                };
                match instr.keyword {
                    Keyword::Copy | Keyword::Add => {
                        let froms: Vec<_> =
                            instr.flags.iter().filter(|f| f.name == "from").collect();
                        for flag in &froms {
                            let value = flag.value.clone().unwrap_or_default();
                            let span = flag.span;
                            match self.resolve_ref(&value, true) {
                                Ref::Stage(s) => {
                                    if s == stage.index {
                                        diags.push(Diagnostic::error("stage/self-reference", span, format!("{} --from={value} copies from the stage it is in", instr.keyword_text())).with_help("a stage cannot read its own result; BuildKit reports a circular dependency"));
                                    } else if s > stage.index {
                                        diags.push(forward_copy(&self.model.stages[s], span, &value));
                                    }
                                    edges.push(flag_edge(EdgeSource::Stage(s), stage.index, EdgeKind::Copy, i, instr, span, &value));
                                }
                                Ref::Image(image) => {
                                    if let Some(d) = self.typo_diag(&image, span) {
                                        diags.push(d);
                                    }
                                    edges.push(flag_edge(EdgeSource::Image(image), stage.index, EdgeKind::Copy, i, instr, span, &value));
                                }
                                Ref::Context => edges.push(flag_edge(EdgeSource::Context, stage.index, EdgeKind::Copy, i, instr, span, &value)),
                                Ref::BadIndex(n) => diags.push(
                                    Diagnostic::error("stage/index-out-of-range", span, format!("--from={value}: there is no stage {n} (this file has {stage_count} stage{})", if stage_count == 1 { "" } else { "s" }))
                                        .with_help("stage indices start at 0 in the order of FROM lines"),
                                ),
                            }
                        }
                        if froms.is_empty() {
                            let sources = read::copy_sources(instr, escape);
                            let from_context = sources
                                .iter()
                                .any(|s| !read::is_heredoc_source(s) && !read::is_remote_source(s));
                            if from_context {
                                edges.push(edge(
                                    EdgeSource::Context,
                                    stage.index,
                                    EdgeKind::Copy,
                                    i,
                                    instr,
                                    instr.span,
                                ));
                            }
                        }
                    }
                    Keyword::Run => {
                        let mount_flags: Vec<_> =
                            instr.flags.iter().filter(|f| f.name == "mount").collect();
                        for flag in mount_flags {
                            let spec: MountSpec =
                                read::parse_mount(flag.value.as_deref().unwrap_or(""));
                            let span = flag.span;
                            match (&spec.from, spec.kind.as_str()) {
                                (_, "tmpfs") => {}
                                (Some(from), _) => {
                                    match self.resolve_ref(from, false) {
                                        Ref::Stage(s) => {
                                            if s == stage.index {
                                                diags.push(Diagnostic::error("stage/self-reference", span, format!("--mount from={from} mounts the stage it is in")));
                                            } else if s > stage.index {
                                                diags.push(forward_copy(
                                                    &self.model.stages[s],
                                                    span,
                                                    from,
                                                ));
                                            }
                                            edges.push(flag_edge(
                                                EdgeSource::Stage(s),
                                                stage.index,
                                                EdgeKind::Mount,
                                                i,
                                                instr,
                                                span,
                                                from,
                                            ));
                                        }
                                        Ref::Image(image) => {
                                            if let Some(d) = self.typo_diag(&image, span) {
                                                diags.push(d);
                                            }
                                            edges.push(flag_edge(
                                                EdgeSource::Image(image),
                                                stage.index,
                                                EdgeKind::Mount,
                                                i,
                                                instr,
                                                span,
                                                from,
                                            ));
                                        }
                                        Ref::Context | Ref::BadIndex(_) => edges.push(flag_edge(
                                            EdgeSource::Context,
                                            stage.index,
                                            EdgeKind::Mount,
                                            i,
                                            instr,
                                            span,
                                            from,
                                        )),
                                    }
                                }
                                (None, "bind") => edges.push(edge(
                                    EdgeSource::Context,
                                    stage.index,
                                    EdgeKind::Mount,
                                    i,
                                    instr,
                                    span,
                                )),
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        self.model.edges = edges;
        self.model.diagnostics.extend(diags);
    }

    /// Resolves a `--from` value as BuildKit's `toCommand` does: a number is an index (COPY only),
    /// a known name (case-insensitive, last definition wins) is a stage, anything else an image.
    fn resolve_ref(&self, value: &str, allow_index: bool) -> Ref {
        if allow_index {
            if let Some(n) = parse_go_int(value) {
                return match usize::try_from(n) {
                    Ok(n) if n < self.model.stages.len() => Ref::Stage(n),
                    _ => Ref::BadIndex(n),
                };
            }
        }
        if let Some(&last) = self
            .names
            .get(&value.to_ascii_lowercase())
            .and_then(|v| v.last())
        {
            return Ref::Stage(last);
        }
        if value == "context" {
            return Ref::Context;
        }
        Ref::Image(value.to_string())
    }

    /// A warning when an "image" looks like a misspelt stage name.
    fn typo_diag(&self, image: &str, span: Span) -> Option<Diagnostic> {
        if image.contains(['/', ':', '@', '.', '$']) || !valid_stage_name(image) {
            return None;
        }
        let lower = image.to_ascii_lowercase();
        let cached = self.typos.borrow().get(&lower).cloned();
        let near = match cached {
            Some(near) => near,
            None => {
                let near = self
                    .model
                    .stages
                    .iter()
                    .filter_map(|s| s.name.as_deref())
                    .map(str::to_ascii_lowercase)
                    .find(|n| {
                        // The distance is at least the difference in length: skip the rest.
                        n.chars().count().abs_diff(lower.chars().count()) <= 2 && {
                            let d = edit_distance(n, &lower);
                            d > 0 && d <= 2 && d * 3 <= n.len().max(3)
                        }
                    });
                self.typos.borrow_mut().insert(lower, near.clone());
                near
            }
        }?;
        Some(
            Diagnostic::warning(
                "stage/unknown-stage",
                span,
                format!("'{image}' is not a stage here, so BuildKit will pull it as an image; did you mean stage '{near}'?"),
            )
            .with_help(format!("write {near} to copy from the stage")),
        )
    }
}

enum Ref {
    Stage(usize),
    Image(String),
    Context,
    BadIndex(i64),
}

fn flag_edge(
    from: EdgeSource,
    to: usize,
    kind: EdgeKind,
    instruction: usize,
    instr: &Instruction,
    span: Span,
    value: &str,
) -> Edge {
    Edge {
        reference: Some(value.to_string()),
        ..edge(from, to, kind, instruction, instr, span)
    }
}

fn edge(
    from: EdgeSource,
    to: usize,
    kind: EdgeKind,
    instruction: usize,
    instr: &Instruction,
    span: Span,
) -> Edge {
    Edge {
        from,
        to,
        kind,
        keyword: instr.keyword,
        reference: None,
        instruction,
        line: instr.start_line,
        span,
    }
}

fn forward_copy(target: &Stage, span: Span, value: &str) -> Diagnostic {
    Diagnostic::warning(
        "stage/forward-reference",
        span,
        format!("'{value}' refers to stage {} defined further down; BuildKit accepts this, the classic builder does not", target.index),
    )
    .with_label(target.span, "defined here")
    .with_help("define stages before the stages that use them")
}

/// BuildKit's stage-name rule, applied to the lower-cased name: `^[a-z][a-z0-9-_.]*$`.
pub(crate) fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

/// Go's `strconv.Atoi`: optional sign, then ASCII digits only.
fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.parse::<i64>().unwrap_or(i64::MAX))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The span of the last occurrence of `word` in shell-form arguments, when the argument text
/// maps one-to-one onto the source (no line continuations).
fn word_span(args: &Args, word: &str) -> Option<Span> {
    let Args::Shell { text, span } = args else {
        return None;
    };
    if word.is_empty() || text.len() != span.len() as usize {
        return None;
    }
    let at = text.rfind(word)? as u32;
    Some(Span::new(
        span.start + at,
        span.start + at + word.len() as u32,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_names_follow_buildkit() {
        assert!(valid_stage_name("build-env_1.x"));
        assert!(!valid_stage_name("1st"));
        assert!(!valid_stage_name("a/b"));
        assert!(!valid_stage_name(""));
    }

    #[test]
    fn go_ints() {
        assert_eq!(parse_go_int("0"), Some(0));
        assert_eq!(parse_go_int("-1"), Some(-1));
        assert_eq!(parse_go_int("1a"), None);
        assert_eq!(parse_go_int("99999999999999999999"), Some(i64::MAX));
    }

    #[test]
    fn typo_distance() {
        assert_eq!(edit_distance("builder", "buidler"), 2);
        assert_eq!(edit_distance("a", "a"), 0);
    }
}
