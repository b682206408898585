//! The per-stage simulation: base image, then one instruction at a time.

mod copy;
mod instruction;
mod known_files;

use super::bases::{self, Match};
use super::kb::{base_package_sets, ClosureMemo};
use super::size::{human, Size};
use super::state::{Kind, State};
use super::{facts, tree, BaseInfo, Estimate, EstimateOptions, Layer, StageEstimate};
use crate::model::{Base, Model, Stage};
use crate::syntax::expand::{Budget, Lex, Unset};
use crate::syntax::{Args, Dockerfile, Instruction, Keyword};
use instruction::apply;
use std::cell::RefCell;
use std::collections::HashMap;

/// Knobs for "what if" runs (the alternatives chart).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Replace the base image at the root of the target's chain.
    pub base_override: Option<String>,
    /// Drop build tools and caches (what a clean multi-stage build ships).
    pub runtime_only: bool,
    /// Skip package-manager installs (a distroless final stage has none).
    pub no_package_manager: bool,
}

pub fn run(doc: &Dockerfile, model: &Model, opts: &EstimateOptions, cfg: &Config) -> Estimate {
    let names = StageNames::new(doc, model);
    let (states, summaries) = simulate_stages(doc, model, opts, cfg, &names, None);
    let stages = model
        .stages
        .iter()
        .zip(summaries.iter())
        .map(|(stage, sum)| StageEstimate {
            index: stage.index,
            name: stage.display_name(),
            // The image after ARG expansion (`golang:1.22-alpine`, not `golang:${GO_VERSION}-alpine`).
            base: match &stage.base {
                crate::model::Base::Image(image) => image.clone(),
                _ => stage.base_text.clone(),
            },
            total_bytes: sum.total.bytes,
            low_bytes: sum.total.low,
            high_bytes: sum.total.high,
            wasted_bytes: sum.wasted.bytes,
            layers: sum.layers,
            needed: stage.needed,
        })
        .collect();
    let mut est = Estimate {
        stages,
        ..Estimate::default()
    };
    let Some(target) = model.target.filter(|t| *t < states.len()) else {
        est.notes.push("no stage to estimate".into());
        return est;
    };
    let Some(st) = states.get(target) else {
        return est;
    };
    let stage = model.stages.get(target);
    est.target = stage.map(|s| s.display_name());
    let total = st.layers.iter().fold(Size::ZERO, |acc, l| {
        acc + Size::new(l.bytes, l.low_bytes, l.high_bytes)
    });
    est.total_bytes = total.bytes;
    est.low_bytes = total.low;
    est.high_bytes = total.high;
    est.wasted_bytes = st.wasted.bytes;
    est.layers = st.layers.clone();
    est.base = st.base.as_ref().map(|r| {
        let (bytes, low, high, source) = match (r.base, r.class) {
            (Some(b), _) => (b.bytes, b.low_bytes, b.high_bytes, b.source.clone()),
            (None, Some(c)) => (
                c.bytes,
                c.low_bytes,
                c.high_bytes,
                format!(
                    "not in the knowledge base; sized as its class {}: {}",
                    class_label(c),
                    c.source
                ),
            ),
            (None, None) => (
                bases::UNKNOWN_BYTES,
                bases::UNKNOWN_LOW,
                bases::UNKNOWN_HIGH,
                "not in the knowledge base".into(),
            ),
        };
        BaseInfo {
            reference: r.reference.clone(),
            resolved: r.base.map(|b| b.name.clone()),
            matched: match &r.how {
                Match::Exact => "exact".into(),
                Match::Approximate(n) => format!("approximate ({n})"),
                Match::Unknown => "unknown".into(),
                Match::Scratch => "scratch".into(),
            },
            bytes,
            low_bytes: low,
            high_bytes: high,
            source,
            why: r.why.clone(),
            history: r.history.clone(),
        }
    });
    est.alpine_base = st
        .base
        .as_ref()
        .and_then(|r| r.base.or(r.class))
        .is_some_and(|b| b.is_alpine());
    est.files = tree::build(&st.entries);
    est.facts = facts::collect(st, model, target);
    est.notes = st.notes.clone();
    est
}

/// The final image only: (total bytes, layer count) of the target stage, simulating just the
/// stages the target reads (its FROM chain and `COPY --from` sources, resolved as the full
/// estimate resolves them), so the numbers equal [`run`]'s `total_bytes` and `layers.len()`
/// at a fraction of the cost for a file with many independent stages. `None` without a target.
pub fn final_image(
    doc: &Dockerfile,
    model: &Model,
    opts: &EstimateOptions,
) -> Option<(u64, usize)> {
    let st = final_state(doc, model, opts)?;
    let total = st.layers.iter().fold(Size::ZERO, |acc, l| {
        acc + Size::new(l.bytes, l.low_bytes, l.high_bytes)
    });
    Some((total.bytes, st.layers.len()))
}

/// The target stage's simulated state (its virtual filesystem, packages and config), simulating
/// only the stages it reads. `None` without a target.
pub fn final_state(doc: &Dockerfile, model: &Model, opts: &EstimateOptions) -> Option<State> {
    let target = model.target.filter(|t| *t < model.stages.len())?;
    let names = StageNames::new(doc, model);
    let mut wanted = vec![false; model.stages.len()];
    let mut stack = vec![target];
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut wanted[s], true) {
            continue;
        }
        stack.extend(reads(doc, &names, &model.stages[s]));
    }
    let (mut states, _) =
        simulate_stages(doc, model, opts, &Config::default(), &names, Some(&wanted));
    (target < states.len()).then(|| states.swap_remove(target))
}

/// The earlier stages whose final state stage `stage` reads: its FROM parent and its
/// `COPY --from`/`ADD --from` sources (resolved as [`copy`] resolves them).
fn reads(doc: &Dockerfile, names: &StageNames, stage: &Stage) -> Vec<usize> {
    let mut out = Vec::new();
    if let Base::Stage(parent) = stage.base {
        if parent < stage.index {
            out.push(parent);
        }
    }
    for &idx in &stage.instructions {
        let Some(inst) = doc.instructions.get(idx) else {
            continue;
        };
        if matches!(inst.keyword, Keyword::Copy | Keyword::Add) {
            if let Some(from) = inst.flag_value("from") {
                out.extend(copy_source_stage(names, stage, from));
            }
        }
    }
    out
}

/// What the per-stage list of the estimate keeps of a stage once its state is dropped.
#[derive(Debug, Clone, Copy, Default)]
struct Summary {
    total: Size,
    wasted: Size,
    layers: usize,
}

/// Simulates every stage in order (only those marked in `only`, when given; the others get an
/// empty state that nothing reads). Returns the states and each stage's [`Summary`]. A state is
/// dropped (replaced by an empty one) as soon as no later stage reads it, except the target's:
/// a file with thousands of stages then keeps only a few states alive at a time.
fn simulate_stages(
    doc: &Dockerfile,
    model: &Model,
    opts: &EstimateOptions,
    cfg: &Config,
    names: &StageNames,
    only: Option<&[bool]>,
) -> (Vec<State>, Vec<Summary>) {
    let override_stage = cfg
        .base_override
        .as_ref()
        .and_then(|_| model.target.and_then(|t| chain_root(model, t)));
    let simulated = |i: usize| only.is_none_or(|o| o.get(i).copied().unwrap_or(false));
    // The stages each stage reads, and the last stage that reads each one.
    let mut read_by: Vec<Vec<usize>> = Vec::with_capacity(model.stages.len());
    let mut last_reader: Vec<Option<usize>> = vec![None; model.stages.len()];
    for stage in &model.stages {
        let r = if simulated(stage.index) {
            reads(doc, names, stage)
        } else {
            Vec::new()
        };
        for &s in &r {
            if let Some(slot) = last_reader.get_mut(s) {
                *slot = Some(stage.index);
            }
        }
        read_by.push(r);
    }
    let keep =
        |s: usize, now: usize| model.target == Some(s) || last_reader[s].is_some_and(|r| r > now);
    let mut states: Vec<State> = Vec::with_capacity(model.stages.len());
    let mut summaries: Vec<Summary> = vec![Summary::default(); model.stages.len()];
    for stage in &model.stages {
        if !simulated(stage.index) {
            states.push(State::default());
            continue;
        }
        let override_image = if Some(stage.index) == override_stage {
            cfg.base_override.clone()
        } else {
            None
        };
        let st = simulate_stage(doc, model, stage, &states, opts, cfg, names, override_image);
        summaries[stage.index] = Summary {
            total: st.layers.iter().fold(Size::ZERO, |acc, l| {
                acc + Size::new(l.bytes, l.low_bytes, l.high_bytes)
            }),
            wasted: st.wasted,
            layers: st.layers.len(),
        };
        states.push(st);
        let i = stage.index;
        for s in read_by[i].iter().copied().chain(std::iter::once(i)) {
            if !keep(s, i) {
                if let Some(state) = states.get_mut(s) {
                    *state = State::dropped();
                }
            }
        }
    }
    (states, summaries)
}

/// What one estimate run computes once and reuses across stages: the first stage with each
/// name (ASCII case folded), so `COPY --from=name` resolves with a lookup rather than a scan
/// of every stage, the apt dependency closures, and the run's `$VAR` expansion budget.
pub(super) struct StageNames {
    first: HashMap<String, usize>,
    /// What the run's ARG, ENV and RUN expansions may add up to.
    budget: Budget,
    closures: ClosureMemo,
    /// Base image references already resolved against the knowledge base.
    resolved: RefCell<HashMap<String, bases::Resolved>>,
}

impl StageNames {
    fn new(doc: &Dockerfile, model: &Model) -> StageNames {
        let mut first = HashMap::new();
        for s in &model.stages {
            if let Some(n) = &s.name {
                first.entry(n.to_ascii_lowercase()).or_insert(s.index);
            }
        }
        StageNames {
            first,
            budget: doc.expansion_budget(),
            closures: ClosureMemo::default(),
            resolved: RefCell::new(HashMap::new()),
        }
    }

    /// Once the expansion budget is spent, a note in `st` (once) that values stay as written.
    fn note_spent_budget(&self, st: &mut State) {
        const NOTE: &str = "ARG and ENV values grow past what this file's size allows to expand (a chain of values doubling each time?): the rest stay as written";
        if self.budget.is_spent() && !st.notes.iter().any(|n| n == NOTE) {
            st.notes.push(NOTE.to_string());
        }
    }

    /// [`bases::resolve`], once per distinct reference in this run.
    fn resolve(&self, image: &str) -> bases::Resolved {
        if let Some(r) = self.resolved.borrow().get(image) {
            return r.clone();
        }
        let r = bases::resolve(image);
        self.resolved
            .borrow_mut()
            .insert(image.to_string(), r.clone());
        r
    }
}

/// The earlier stage a `COPY --from` value reads: an index below this stage's, or the first
/// earlier stage with that name.
fn copy_source_stage(names: &StageNames, stage: &Stage, from: &str) -> Option<usize> {
    from.parse::<usize>()
        .ok()
        .filter(|i| *i < stage.index)
        .or_else(|| {
            names
                .first
                .get(&from.to_ascii_lowercase())
                .copied()
                .filter(|&i| i < stage.index)
        })
}

/// The stage at the root of `index`'s FROM chain (whose base is an image or scratch).
fn chain_root(model: &Model, index: usize) -> Option<usize> {
    let mut i = index;
    for _ in 0..model.stages.len() + 1 {
        match &model.stages.get(i)?.base {
            Base::Stage(parent) if *parent < i => i = *parent,
            _ => return Some(i),
        }
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn simulate_stage(
    doc: &Dockerfile,
    model: &Model,
    stage: &Stage,
    done: &[State],
    opts: &EstimateOptions,
    cfg: &Config,
    names: &StageNames,
    override_image: Option<String>,
) -> State {
    let name = stage.display_name();
    let mut st = match (&stage.base, override_image) {
        (_, Some(image)) => from_image(&image, stage, &name, names),
        (Base::Stage(parent), None) => match done.get(*parent) {
            Some(p) => {
                debug_assert!(!p.dropped, "stage {} read a dropped state", stage.index);
                let mut s = p.clone();
                s.args.clear();
                s
            }
            None => from_image("unknown-stage", stage, &name, names),
        },
        (Base::Image(image), None) => from_image(image, stage, &name, names),
        (Base::Scratch, None) => from_image("scratch", stage, &name, names),
    };
    for global in &model.global_args {
        st.args.push((global.name.clone(), global.default.clone()));
    }
    for &idx in &stage.instructions {
        let Some(inst) = doc.instructions.get(idx) else {
            continue;
        };
        apply(
            doc, model, stage, &name, inst, done, &mut st, opts, cfg, names,
        );
    }
    st
}

fn from_image(image: &str, stage: &Stage, name: &str, names: &StageNames) -> State {
    let resolved = names.resolve(image);
    let mut st = State {
        workdir: "/".into(),
        ..State::default()
    };
    // An unknown image whose name gives its class (static, Alpine, …) is sized as the class.
    let class = resolved.base.is_none().then_some(resolved.class).flatten();
    let size = match resolved.base.or(class) {
        Some(b) => {
            let widen = matches!(resolved.how, Match::Approximate(_));
            let s = Size::new(b.bytes, b.low_bytes, b.high_bytes);
            if widen {
                Size::new(s.bytes, s.low * 85 / 100, s.high * 115 / 100)
            } else {
                s
            }
        }
        None => Size::new(
            bases::UNKNOWN_BYTES,
            bases::UNKNOWN_LOW,
            bases::UNKNOWN_HIGH,
        ),
    };
    let reason = match (&resolved.how, resolved.base, class) {
        (Match::Scratch, _, _) => "empty image".to_string(),
        (Match::Exact, Some(b), _) => format!("{} ({}): {}", b.name, human(b.bytes), b.source),
        (Match::Approximate(n), Some(b), _) => {
            let why = resolved
                .why
                .as_deref()
                .map(|w| format!(" ({w})"))
                .unwrap_or_default();
            st.notes.push(format!(
                "{image}: not in the knowledge base; used {n} with a wider range{why}"
            ));
            format!(
                "≈ {n} ({}), range widened{why}: {}",
                human(b.bytes),
                b.source
            )
        }
        (_, None, Some(c)) => {
            st.notes.push(format!(
                "{image}: unknown image, sized as its class {} ({}–{}): {}",
                class_label(c),
                human(c.low_bytes),
                human(c.high_bytes),
                c.source
            ));
            format!(
                "unknown image, sized as its class {} ({}; fallback range of the class): {}",
                class_label(c),
                human(c.bytes),
                c.source
            )
        }
        _ => {
            st.notes.push(format!(
                "{image}: unknown base image, size range {}–{}",
                human(bases::UNKNOWN_LOW),
                human(bases::UNKNOWN_HIGH)
            ));
            "unknown image: fallback wide range".to_string()
        }
    };
    if let Some(h) = &resolved.history {
        st.notes.push(h.clone());
    }
    if let Some(b) = resolved.base.or(class) {
        st.env = b.env.clone();
        if let Some(w) = &b.workdir {
            st.workdir = w.clone();
        }
        st.entrypoint = b.entrypoint.clone().map(|e| (e, None));
        st.cmd = b.cmd.clone().map(|c| (c, None));
        let (debs, apks) = base_package_sets(b);
        st.debs = debs;
        st.apks = apks;
        for (path, bytes) in &b.files {
            st.entries.push(super::state::Entry {
                path: path.clone(),
                size: Size::rel(*bytes, 0.3, 0.5),
                stage: stage.index,
                line: stage.line,
                what: format!("{path} from {}", b.name),
                kind: Kind::Base,
                layer: 0,
            });
        }
    }
    let files_total = st.entries.iter().fold(Size::ZERO, |a, e| a + e.size);
    let rest = Size::new(
        size.bytes.saturating_sub(files_total.bytes),
        size.low.saturating_sub(files_total.low),
        size.high.saturating_sub(files_total.high),
    );
    if !size.is_zero() {
        let label = resolved.base.map(|b| b.name.as_str()).unwrap_or(image);
        st.entries.push(super::state::Entry {
            path: format!("/[base image] {label}"),
            size: rest,
            stage: stage.index,
            line: stage.line,
            what: format!(
                "base image {}",
                resolved.base.map(|b| b.name.as_str()).unwrap_or(image)
            ),
            kind: Kind::Base,
            layer: 0,
        });
    }
    st.layers.push(Layer {
        stage: stage.index,
        stage_name: name.to_string(),
        line: stage.line,
        instruction: shorten(&format!("FROM {}", stage.base_text)),
        bytes: size.bytes,
        low_bytes: size.low,
        high_bytes: size.high,
        reason,
    });
    st.base_image = resolved.normalized.clone();
    st.base = Some(resolved);
    st
}

/// `static` for the row `class:static`.
fn class_label(c: &crate::estimate::kb::BaseImage) -> &str {
    c.name.strip_prefix("class:").unwrap_or(&c.name)
}

fn shorten(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 100 {
        let cut: String = one_line.chars().take(97).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

/// The argument words of a Dockerfile instruction (WORKDIR, USER, EXPOSE, COPY…), expanded
/// as BuildKit's `ProcessWords` does with the variables set before it (quotes removed, words
/// split), except that a variable the estimate does not know stays as written; exec-form
/// items as they are.
fn words(doc: &Dockerfile, inst: &Instruction, st: &State, names: &StageNames) -> Vec<String> {
    match &inst.args {
        Args::Exec { items, .. } => items.iter().map(|w| w.text.clone()).collect(),
        Args::Shell { text, .. } => {
            let lex = Lex {
                unset: Unset::Keep,
                ..Lex::new(doc.escape)
            };
            match lex.process(text, &|n| st.var(n), &names.budget) {
                Ok((_, words)) => words,
                Err(_) => text.split_whitespace().map(str::to_string).collect(),
            }
        }
    }
}
