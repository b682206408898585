//! The per-stage simulation: base image, then one instruction at a time.

use super::bases::{self, Match};
use super::kb::{base_package_sets, ClosureMemo};
use super::run::{self, Ctx};
use super::size::{human, Size, KB};
use super::state::{clean_path, is_at_or_below, Kind, State};
use super::{
    facts, tree, BaseInfo, CacheFact, Estimate, EstimateOptions, Layer, SecretFact, StageEstimate,
};
use crate::model::{Base, Model, Stage};
use crate::syntax::{Args, Dockerfile, Instruction, Keyword};
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

const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];

pub fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w)) || upper.ends_with("_AUTH") || upper == "AUTH"
}

/// A file or folder that Dockerfiles often copy out of a stage's base image
/// (`COPY --from=build /etc/ssl/certs/ca-certificates.crt …`), with its measured size.
pub struct KnownFile {
    pub path: &'static str,
    pub bytes: u64,
    pub low: u64,
    pub high: u64,
    pub source: &'static str,
}

/// Measured with `du -sb` on this project's Debian 12 build machine (2026-11-26); ranges cover
/// other releases and Alpine, whose CA bundle is built from the same Mozilla list.
pub const KNOWN_FILES: &[KnownFile] = &[
    KnownFile {
        path: "/etc/ssl/certs/ca-certificates.crt",
        bytes: 219_597,
        low: 150_000,
        high: 300_000,
        source: "measured: Debian 12 ca-certificates 20230311+deb12u1",
    },
    KnownFile {
        path: "/etc/ssl/certs",
        bytes: 425_475,
        low: 200_000,
        high: 700_000,
        source:
            "measured: Debian 12 ca-certificates 20230311+deb12u1, the bundle and its hash links",
    },
    KnownFile {
        path: "/usr/share/zoneinfo",
        bytes: 1_492_276,
        low: 400_000,
        high: 3_000_000,
        source: "measured: Debian 12 tzdata 2025b-0+deb12u2",
    },
    KnownFile {
        path: "/etc/passwd",
        bytes: 1_294,
        low: 500,
        high: 4_000,
        source: "measured: a Debian 12 /etc/passwd with 25 accounts",
    },
    KnownFile {
        path: "/etc/group",
        bytes: 682,
        low: 300,
        high: 2_000,
        source: "measured: a Debian 12 /etc/group",
    },
];

/// The measured size of a well-known base-image path (exact match).
pub fn known_file(path: &str) -> Option<&'static KnownFile> {
    KNOWN_FILES.iter().find(|k| k.path == path)
}

pub fn run(doc: &Dockerfile, model: &Model, opts: &EstimateOptions, cfg: &Config) -> Estimate {
    let names = StageNames::new(model);
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
        let (bytes, low, high, source) = match r.base {
            Some(b) => (b.bytes, b.low_bytes, b.high_bytes, b.source.clone()),
            None => (
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
        }
    });
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
    let target = model.target.filter(|t| *t < model.stages.len())?;
    let names = StageNames::new(model);
    let mut wanted = vec![false; model.stages.len()];
    let mut stack = vec![target];
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut wanted[s], true) {
            continue;
        }
        stack.extend(reads(doc, &names, &model.stages[s]));
    }
    let (states, _) = simulate_stages(doc, model, opts, &Config::default(), &names, Some(&wanted));
    let st = states.get(target)?;
    let total = st.layers.iter().fold(Size::ZERO, |acc, l| {
        acc + Size::new(l.bytes, l.low_bytes, l.high_bytes)
    });
    Some((total.bytes, st.layers.len()))
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
            if let Some(from) = flag(inst, "from") {
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
/// of every stage, and the apt dependency closures.
pub(super) struct StageNames {
    first: HashMap<String, usize>,
    closures: ClosureMemo,
    /// Base image references already resolved against the knowledge base.
    resolved: RefCell<HashMap<String, bases::Resolved>>,
}

impl StageNames {
    fn new(model: &Model) -> StageNames {
        let mut first = HashMap::new();
        for s in &model.stages {
            if let Some(n) = &s.name {
                first.entry(n.to_ascii_lowercase()).or_insert(s.index);
            }
        }
        StageNames {
            first,
            closures: ClosureMemo::default(),
            resolved: RefCell::new(HashMap::new()),
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
    let size = match resolved.base {
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
    let reason = match (&resolved.how, resolved.base) {
        (Match::Scratch, _) => "empty image".to_string(),
        (Match::Exact, Some(b)) => format!("{} ({}): {}", b.name, human(b.bytes), b.source),
        (Match::Approximate(n), Some(b)) => {
            st.notes.push(format!(
                "{image}: not in the knowledge base; used {n} with a wider range"
            ));
            format!("≈ {n} ({}), range widened: {}", human(b.bytes), b.source)
        }
        _ => {
            st.notes.push(format!(
                "{image}: unknown base image, size range {}–{}",
                human(bases::UNKNOWN_LOW),
                human(bases::UNKNOWN_HIGH)
            ));
            "unknown image: wide range".to_string()
        }
    };
    if let Some(b) = resolved.base {
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

fn shorten(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 100 {
        let cut: String = one_line.chars().take(97).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

fn flag<'a>(inst: &'a Instruction, name: &str) -> Option<&'a str> {
    inst.flags
        .iter()
        .rev()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .and_then(|f| f.value.as_deref())
}

/// The argument words with quotes removed (exec form items as they are).
fn words(inst: &Instruction, st: &State) -> Vec<String> {
    match &inst.args {
        Args::Exec { items, .. } => items.iter().map(|w| w.text.clone()).collect(),
        Args::Shell { text, .. } => {
            let vars = |n: &str| st.var(n);
            super::shell::split(text, &vars)
                .into_iter()
                .flat_map(|c| c.words)
                .collect()
        }
    }
}

fn raw_text(inst: &Instruction) -> String {
    match &inst.args {
        Args::Exec { items, .. } => {
            let parts: Vec<String> = items.iter().map(|w| format!("\"{}\"", w.text)).collect();
            format!("[{}]", parts.join(", "))
        }
        Args::Shell { text, .. } => text.to_string(),
    }
}

fn instruction_text(inst: &Instruction) -> String {
    let flags: Vec<&str> = inst.flags.iter().map(|f| f.raw.as_str()).collect();
    let mut t = inst.keyword.as_str().to_string();
    if !flags.is_empty() {
        t.push(' ');
        t.push_str(&flags.join(" "));
    }
    t.push(' ');
    t.push_str(&raw_text(inst));
    shorten(&t)
}

/// `K=V K2="V 2"` or the legacy `K V` form (ENV) and `NAME[=default]` (ARG): the parser's pairs,
/// each value expanded like BuildKit's `ProcessWord` with the variables set before the
/// instruction (quotes removed, `$VAR` substituted).
fn key_values(inst: &Instruction, st: &State) -> Vec<(String, Option<String>)> {
    let lookup = |n: &str| st.var(n);
    inst.key_values()
        .into_iter()
        .map(|kv| {
            let value = kv
                .value
                .map(|v| crate::syntax::expand::expand(&v, '\\', &lookup).unwrap_or(v));
            (kv.key, value)
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn apply(
    doc: &Dockerfile,
    model: &Model,
    stage: &Stage,
    name: &str,
    inst: &Instruction,
    done: &[State],
    st: &mut State,
    opts: &EstimateOptions,
    cfg: &Config,
    names: &StageNames,
) {
    let line = inst.start_line;
    match inst.keyword {
        Keyword::Arg => {
            for (k, v) in key_values(inst, st) {
                if looks_secret(&k) {
                    st.secrets.push(SecretFact {
                        name: k.clone(),
                        instruction: "ARG".into(),
                        stage: stage.index,
                        line,
                    });
                }
                let global = model
                    .global_args
                    .iter()
                    .find(|g| g.name == k)
                    .and_then(|g| g.default.clone());
                st.args.push((k, v.or(global)));
            }
        }
        Keyword::Env => {
            for (k, v) in key_values(inst, st) {
                if looks_secret(&k) {
                    st.secrets.push(SecretFact {
                        name: k.clone(),
                        instruction: "ENV".into(),
                        stage: stage.index,
                        line,
                    });
                }
                st.set_env(&k, v.unwrap_or_default());
            }
        }
        Keyword::User => {
            if let Some(u) = words(inst, st).first() {
                st.user = Some((u.clone(), Some(line)));
            }
        }
        Keyword::Entrypoint | Keyword::Cmd => {
            let value = match &inst.args {
                Args::Exec { items, .. } => items.iter().map(|w| w.text.clone()).collect(),
                Args::Shell { text, .. } => {
                    vec!["/bin/sh".into(), "-c".into(), text.trim().to_string()]
                }
            };
            if inst.keyword == Keyword::Entrypoint {
                // Docker resets a CMD inherited from the base image when ENTRYPOINT is set.
                if st.cmd.as_ref().is_some_and(|(_, l)| l.is_none()) {
                    st.cmd = None;
                }
                st.entrypoint = Some((value, Some(line)));
            } else {
                st.cmd = Some((value, Some(line)));
            }
        }
        Keyword::Expose => {
            for w in words(inst, st) {
                if !st.ports.contains(&w) {
                    st.ports.push(w);
                }
            }
        }
        Keyword::Healthcheck => {
            let text = raw_text(inst);
            st.healthcheck = if text.trim().eq_ignore_ascii_case("NONE") {
                None
            } else {
                Some((shorten(&text), line))
            };
        }
        Keyword::Workdir => {
            let w = words(inst, st).join(" ");
            st.workdir = st.abs(&w);
            begin(st);
            end(
                st,
                stage,
                name,
                inst,
                vec![format!("creates {}", st.workdir)],
                Vec::new(),
            );
        }
        Keyword::Copy | Keyword::Add => {
            begin(st);
            let reasons = copy(doc, model, stage, inst, done, st, opts, names);
            end(st, stage, name, inst, reasons, Vec::new());
        }
        Keyword::Run => {
            begin(st);
            let mut cx = Ctx {
                stage: stage.index,
                line,
                opts,
                runtime_only: cfg.runtime_only,
                no_package_manager: cfg.no_package_manager,
                reasons: Vec::new(),
                unknown: Vec::new(),
                closures: &names.closures,
            };
            run_instruction(inst, st, &mut cx);
            let unknown = std::mem::take(&mut cx.unknown);
            end(st, stage, name, inst, cx.reasons, unknown);
        }
        _ => {}
    }
}

fn begin(st: &mut State) {
    st.current = st.layers.len();
}

fn end(
    st: &mut State,
    stage: &Stage,
    name: &str,
    inst: &Instruction,
    reasons: Vec<String>,
    unknown: Vec<String>,
) {
    let size = st.layer_size(st.current);
    let mut reason = reasons.join("; ");
    if !unknown.is_empty() {
        let list: Vec<String> = unknown.iter().map(|u| shorten(u)).collect();
        if !reason.is_empty() {
            reason.push_str("; ");
        }
        reason.push_str(&format!(
            "not counted (not understood): {}",
            list.join(" | ")
        ));
        for u in &list {
            st.notes
                .push(format!("line {}: not understood: {u}", inst.start_line));
        }
    }
    st.layers.push(Layer {
        stage: stage.index,
        stage_name: name.to_string(),
        line: inst.start_line,
        instruction: instruction_text(inst),
        bytes: size.bytes,
        low_bytes: size.low,
        high_bytes: size.high,
        reason,
    });
}

fn run_instruction(inst: &Instruction, st: &mut State, cx: &mut Ctx) {
    let line = inst.start_line;
    let mut scratch_targets: Vec<String> = Vec::new();
    for f in inst
        .flags
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("mount"))
    {
        let Some(value) = f.value.as_deref() else {
            continue;
        };
        let mut kind = "bind";
        let mut target = None;
        for part in value.split(',') {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            match k.trim() {
                "type" => {
                    kind = if v == "cache" {
                        "cache"
                    } else if v == "tmpfs" {
                        "tmpfs"
                    } else if v == "secret" {
                        "secret"
                    } else if v == "ssh" {
                        "ssh"
                    } else {
                        "bind"
                    }
                }
                "target" | "dst" | "destination" => target = Some(v.to_string()),
                _ => {}
            }
        }
        let Some(target) = target else { continue };
        let abs = st.abs(&target);
        match kind {
            "cache" => st.cache_mounts.push(CacheFact {
                path: abs.clone(),
                bytes: 0,
                stage: cx.stage,
                line,
                in_image: false,
            }),
            "tmpfs" | "bind" | "secret" => {}
            _ => {}
        }
        scratch_targets.push(abs);
    }
    let text = match &inst.args {
        Args::Shell { text, .. } => text.to_string(),
        Args::Exec { items, .. } => {
            let first = items.first().map(|w| w.text.as_str()).unwrap_or("");
            let is_shell = matches!(
                first.rsplit('/').next().unwrap_or(first),
                "sh" | "bash" | "ash" | "dash"
            );
            if is_shell
                && items
                    .get(1)
                    .is_some_and(|w| w.text.starts_with('-') && w.text.contains('c'))
            {
                items.get(2).map(|w| w.text.clone()).unwrap_or_default()
            } else {
                items
                    .iter()
                    .map(|w| w.text.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        }
    };
    let mut script = text.clone();
    if !inst.heredocs().is_empty() {
        let before: Vec<&str> = text
            .split_whitespace()
            .take_while(|w| !w.starts_with("<<"))
            .collect();
        let shell_like = before.is_empty()
            || matches!(
                before.first().map(|w| w.rsplit('/').next().unwrap_or(w)),
                Some("sh" | "bash" | "ash" | "dash")
            );
        script = if shell_like {
            inst.heredocs()
                .iter()
                .map(|h| h.content.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            before.join(" ")
        };
    }
    let vars = |n: &str| st.var(n);
    let commands = super::shell::split(&script, &vars);
    for (i, c) in commands.iter().enumerate() {
        run::apply(c, &commands, i, st, cx);
    }
    // Contents of cache, tmpfs and bind mounts are not part of the layer.
    let mut hidden = Size::ZERO;
    let current = st.current;
    for target in &scratch_targets {
        let (freed, _) =
            st.remove_where(&|e| e.layer == current && is_at_or_below(&e.path, target));
        hidden += freed;
    }
    if !hidden.is_zero() {
        cx.reasons.push(format!(
            "{} written to mounts is not in the layer",
            human(hidden.bytes)
        ));
    }
    let mounted: Vec<&CacheFact> = st.cache_mounts.iter().filter(|m| m.line == line).collect();
    if !mounted.is_empty() {
        let paths: Vec<&str> = mounted.iter().map(|m| m.path.as_str()).collect();
        cx.reasons.push(format!(
            "cache mount(s) {}: contents not in the image",
            paths.join(", ")
        ));
    }
}

#[allow(clippy::too_many_arguments)]
fn copy(
    _doc: &Dockerfile,
    model: &Model,
    stage: &Stage,
    inst: &Instruction,
    done: &[State],
    st: &mut State,
    opts: &EstimateOptions,
    names: &StageNames,
) -> Vec<String> {
    let line = inst.start_line;
    let mut reasons = Vec::new();
    let mut w = words(inst, st);
    let heredoc_sources: Vec<(String, u64)> = inst
        .heredocs()
        .iter()
        .map(|h| (h.name.clone(), h.content.len() as u64))
        .collect();
    w.retain(|x| !x.starts_with("<<"));
    let Some(dest_raw) = w.pop() else {
        return reasons;
    };
    let sources = w;
    let dest = st.abs(&dest_raw);
    let dest_is_dir =
        dest_raw.ends_with('/') || dest_raw == "." || sources.len() + heredoc_sources.len() > 1;
    let target_of = |src: &str| -> String {
        let base = src.trim_end_matches('/').rsplit('/').next().unwrap_or(src);
        if dest_is_dir && !base.is_empty() && base != "." && !base.contains('*') {
            clean_path(&format!("{dest}/{base}"))
        } else {
            dest.clone()
        }
    };
    for (hname, len) in &heredoc_sources {
        let path = if dest_is_dir {
            clean_path(&format!("{dest}/{hname}"))
        } else {
            dest.clone()
        };
        st.add(
            &path,
            Size::exact(*len),
            stage.index,
            line,
            format!("heredoc {hname}"),
            Kind::Context,
        );
    }
    let is_add = inst.keyword == Keyword::Add;
    match flag(inst, "from") {
        Some(from) => {
            let from_stage = copy_source_stage(names, stage, from);
            if let Some(si) = from_stage {
                let Some(src_state) = done.get(si) else {
                    return reasons;
                };
                debug_assert!(
                    !src_state.dropped,
                    "stage {} read a dropped state",
                    stage.index
                );
                let sname = model
                    .stages
                    .get(si)
                    .map(|s| s.display_name())
                    .unwrap_or_default();
                for src in &sources {
                    let prefix = clean_path(src.split('*').next().unwrap_or(src));
                    let found: Vec<_> = src_state
                        .entries
                        .iter()
                        .filter(|e| e.kind != Kind::Base || prefix == "/")
                        .filter(|e| prefix == "/" || is_at_or_below(&e.path, &prefix))
                        .cloned()
                        .collect();
                    // Inside an aggregate entry (e.g. the whole context copied to /app): a share of it.
                    let ancestor = src_state
                        .entries
                        .iter()
                        .filter(|e| {
                            e.kind != Kind::Base
                                && prefix
                                    .strip_prefix(e.path.as_str())
                                    .is_some_and(|rest| rest.starts_with('/'))
                        })
                        .max_by_key(|e| e.path.len())
                        .cloned();
                    if let (true, Some(a)) = (found.is_empty(), ancestor) {
                        let size = Size::new(a.size.bytes / 2, 0, a.size.high);
                        st.add(
                            &target_of(src),
                            size,
                            stage.index,
                            line,
                            format!(
                                "{src}: part of {} from stage {sname} (line {})",
                                a.what, a.line
                            ),
                            a.kind.clone(),
                        );
                        reasons.push(format!("{src} from stage {sname}: part of {}", a.path));
                        continue;
                    }
                    if let (true, Some(k)) = (found.is_empty(), known_file(&prefix)) {
                        st.add(
                            &target_of(src),
                            Size::new(k.bytes, k.low, k.high),
                            stage.index,
                            line,
                            format!(
                                "{src} from stage {sname} (from its base image; {})",
                                k.source
                            ),
                            Kind::Other,
                        );
                        reasons.push(format!(
                            "{src} from {sname}: from its base image, {} ({})",
                            human(k.bytes),
                            k.source
                        ));
                        continue;
                    }
                    if found.is_empty() {
                        let size = Size::mb(5.0, 0.001, 300.0);
                        st.add(
                            &target_of(src),
                            size,
                            stage.index,
                            line,
                            format!(
                                "{src} from stage {sname} (part of its base image: size unknown)"
                            ),
                            Kind::Other,
                        );
                        reasons.push(format!(
                            "{src} from {sname}: comes from its base image, size unknown"
                        ));
                        continue;
                    }
                    let mut total = Size::ZERO;
                    let single_file =
                        found.len() == 1 && found.first().is_some_and(|e| e.path == prefix);
                    for e in found {
                        let rel = e.path.strip_prefix(&prefix).unwrap_or("").to_string();
                        let target = if single_file {
                            target_of(src)
                        } else {
                            clean_path(&format!("{dest}/{rel}"))
                        };
                        total += e.size;
                        let kind = if matches!(e.kind, Kind::Base) {
                            Kind::Other
                        } else {
                            e.kind.clone()
                        };
                        st.add(
                            &target,
                            e.size,
                            stage.index,
                            line,
                            format!("{} (from stage {sname}, line {})", e.what, e.line),
                            kind,
                        );
                    }
                    reasons.push(format!("{src} from stage {sname}: {}", human(total.bytes)));
                }
            } else {
                let resolved = bases::resolve(from);
                let Some(b) = resolved.base else {
                    for src in &sources {
                        st.add(
                            &target_of(src),
                            Size::mb(10.0, 0.001, 500.0),
                            stage.index,
                            line,
                            format!("{src} from unknown image {from}"),
                            Kind::Other,
                        );
                    }
                    reasons.push(format!(
                        "from image {from}: not in the knowledge base, wide range"
                    ));
                    st.notes
                        .push(format!("{from}: unknown image in COPY --from"));
                    return reasons;
                };
                for src in &sources {
                    let p = clean_path(src);
                    let size = if p == "/" {
                        Size::new(b.bytes, b.low_bytes, b.high_bytes)
                    } else if let Some((_, bytes)) =
                        b.files.iter().find(|(fp, _)| clean_path(fp) == p)
                    {
                        Size::rel(*bytes, 0.3, 0.5)
                    } else {
                        Size::mb(5.0, 0.001, (b.high_bytes as f64 / 1e6).max(1.0))
                    };
                    st.add(
                        &target_of(src),
                        size,
                        stage.index,
                        line,
                        format!("{src} from image {}", b.name),
                        Kind::Other,
                    );
                }
                reasons.push(format!("from image {} ({})", b.name, b.source));
            }
        }
        None => {
            for src in &sources {
                if is_add && src.contains("://") {
                    let size = Size::mb(10.0, 0.001, 500.0);
                    st.add(
                        &target_of(src),
                        size,
                        stage.index,
                        line,
                        format!("downloaded {src} (size unknown)"),
                        Kind::Download,
                    );
                    reasons.push(format!("ADD {src}: remote file, size unknown"));
                    continue;
                }
                let (mut size, label) = run::context_source(src, opts);
                let archive = [".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".tar"]
                    .iter()
                    .any(|s| src.ends_with(s));
                if is_add && archive {
                    size = Size::new(
                        size.bytes.saturating_mul(3),
                        size.low,
                        size.high.saturating_mul(5),
                    );
                    reasons.push(format!("ADD unpacks {src} (~3× the archive)"));
                }
                if src == "." || src == "./" {
                    st.add(
                        &dest,
                        size,
                        stage.index,
                        line,
                        format!("build context: {label}"),
                        Kind::Context,
                    );
                } else {
                    st.add(
                        &target_of(src),
                        size,
                        stage.index,
                        line,
                        label.clone(),
                        Kind::Context,
                    );
                }
                reasons.push(format!("context: {label}"));
            }
            if sources.is_empty() && heredoc_sources.is_empty() {
                st.add(
                    &dest,
                    Size::new(KB, 0, 10 * KB),
                    stage.index,
                    line,
                    "copied file".into(),
                    Kind::Context,
                );
            }
        }
    }
    if flag(inst, "chown").is_some() || flag(inst, "chmod").is_some() {
        reasons.push("--chown/--chmod in the same layer: no extra copy".into());
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_files_are_measured_and_in_range() {
        for k in KNOWN_FILES {
            assert!(k.source.starts_with("measured: "), "{}", k.path);
            assert!(k.low <= k.bytes && k.bytes <= k.high, "{}", k.path);
            assert_eq!(known_file(k.path).map(|f| f.path), Some(k.path));
        }
        assert!(known_file("/etc/ssl/certs/other.pem").is_none());
    }
}
