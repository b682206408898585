//! Names and what they refer to, for navigation, hover, rename and completion.
//!
//! Stages: defined by `FROM … AS name`, used by `FROM name`, `COPY --from=name` and
//! `RUN --mount=…,from=name`. Which stage a reference means is the model's answer (its edges
//! and bases, BuildKit's rules: names are case-insensitive, the last stage of a name wins, and
//! `FROM` sees only earlier stages); here we only find where each name is written.
//!
//! Variables: ARG and ENV definitions and the `$NAME` / `${NAME…}` uses, resolved as BuildKit
//! scopes them (`dockerfile2llb`): FROM lines (and ARG defaults before the first FROM) see the
//! global ARGs only; inside a stage an ENV defined earlier in the stage or in the stages it is
//! built FROM wins over an ARG, and an ARG is visible after its declaration in the stage. A
//! name the stage does not define may come from the base image's ENV (known from the knowledge
//! base). CMD, ENTRYPOINT and HEALTHCHECK commands run in the container, where ARGs are gone.
//! Single-quoted text and ONBUILD triggers (they run in another build) hold no uses.

use super::locate::mount_fields;
use super::Document;
use crate::estimate::bases;
use crate::estimate::kb::BaseImage;
use crate::lint::rules::helpers::var_refs;
use crate::model::{Base, EdgeKind, EdgeSource};
use crate::span::Span;
use crate::syntax::{Args, Instruction, Keyword};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum VarKind {
    Arg,
    Env,
}

impl VarKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VarKind::Arg => "ARG",
            VarKind::Env => "ENV",
        }
    }
}

/// An ARG or ENV definition.
#[derive(Debug, Clone)]
pub(crate) struct VarDef {
    pub name: String,
    pub kind: VarKind,
    /// The name's span.
    pub span: Span,
    pub instruction: usize,
    /// `None` for a global ARG (before the first FROM).
    pub stage: Option<usize>,
    /// The value as written (quotes kept); `None` for `ARG NAME`.
    pub value: Option<String>,
}

/// What a use refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Def(usize),
    /// An ENV of the base image (the knowledge base's record): the image and the value.
    BaseImage(String, String),
    /// One of BuildKit's predefined ARGs.
    Predefined,
    Unknown,
}

#[derive(Debug, Clone)]
pub(crate) struct VarUse {
    pub name: String,
    /// The name's span (without `$`, braces or modifiers).
    pub span: Span,
    pub instruction: usize,
    pub target: Target,
}

#[derive(Debug, Clone)]
pub(crate) struct StageRef {
    pub stage: usize,
    pub span: Span,
    pub instruction: usize,
    /// False when the text is not the name as written (a variable, quotes with escapes…):
    /// such a reference is shown but cannot be renamed.
    pub literal: bool,
}

/// Every name of the file and what it refers to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Symbols {
    pub defs: Vec<VarDef>,
    pub uses: Vec<VarUse>,
    /// Per stage, the span of its `AS name`.
    pub stage_names: Vec<Option<Span>>,
    pub stage_refs: Vec<StageRef>,
}

/// The group a variable belongs to: uses and definitions with the same key are the same
/// variable for references and rename. ARGs are grouped by name across the file, since one
/// `--build-arg NAME` sets them all.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum VarKey {
    Arg(String),
    Env(String),
    Image(String),
    Predefined(String),
    Unknown(String),
}

/// What is at an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SymbolAt {
    StageName(usize),
    StageRef(usize),
    Def(usize),
    Use(usize),
}

fn touches(span: Span, offset: u32) -> bool {
    span.start <= offset && offset <= span.end
}

impl Symbols {
    /// The name at `offset` (a cursor just after a name is on it).
    pub fn at(&self, offset: u32) -> Option<SymbolAt> {
        let names = self.stage_names.iter().enumerate();
        names
            .filter_map(|(s, span)| {
                span.filter(|sp| touches(*sp, offset))
                    .map(|_| SymbolAt::StageName(s))
            })
            .chain(
                self.stage_refs
                    .iter()
                    .position(|r| touches(r.span, offset))
                    .map(SymbolAt::StageRef),
            )
            .chain(
                self.defs
                    .iter()
                    .position(|v| touches(v.span, offset))
                    .map(SymbolAt::Def),
            )
            .chain(
                self.uses
                    .iter()
                    .position(|u| touches(u.span, offset))
                    .map(SymbolAt::Use),
            )
            .next()
    }

    pub fn def_key(&self, def: usize) -> Option<VarKey> {
        let d = self.defs.get(def)?;
        Some(match d.kind {
            VarKind::Arg => VarKey::Arg(d.name.clone()),
            VarKind::Env => VarKey::Env(d.name.clone()),
        })
    }

    pub fn use_key(&self, index: usize) -> Option<VarKey> {
        let u = self.uses.get(index)?;
        match &u.target {
            Target::Def(d) => self.def_key(*d),
            Target::BaseImage(..) => Some(VarKey::Image(u.name.clone())),
            Target::Predefined => Some(VarKey::Predefined(u.name.clone())),
            Target::Unknown => Some(VarKey::Unknown(u.name.clone())),
        }
    }

    /// The definitions and uses of a variable, in source order.
    pub fn members(&self, key: &VarKey) -> (Vec<usize>, Vec<usize>) {
        let defs = (0..self.defs.len())
            .filter(|&d| self.def_key(d).as_ref() == Some(key))
            .collect();
        let uses = (0..self.uses.len())
            .filter(|&u| self.use_key(u).as_ref() == Some(key))
            .collect();
        (defs, uses)
    }
}

/// The names of the file. One pass over the instructions; uses are resolved as the pass goes,
/// against the definitions seen so far.
pub(crate) fn symbols(d: &Document<'_>) -> Symbols {
    let mut b = Builder {
        d,
        out: Symbols::default(),
        by_name: HashMap::new(),
        images: vec![None; d.model.stages.len()],
    };
    for (i, instruction) in d.doc.instructions.iter().enumerate() {
        b.instruction(i, instruction);
    }
    b.stages();
    b.out
}

struct Builder<'a, 'd> {
    d: &'a Document<'d>,
    out: Symbols,
    /// Definitions by name, in source order.
    by_name: HashMap<String, Vec<usize>>,
    /// Per stage, the knowledge base's record of its base image, looked up when first needed.
    images: Vec<Option<Option<&'static BaseImage>>>,
}

impl Builder<'_, '_> {
    fn instruction(&mut self, i: usize, instruction: &Instruction) {
        let stage = self.d.stage_of(i);
        let from_line = instruction.keyword == Keyword::From;
        let scope = if from_line { None } else { stage };
        let (regions, runtime) = use_regions(instruction);
        for region in regions {
            for (start, name) in region_uses(self.d, region) {
                let span = Span::new(start, start + name.len() as u32);
                let target = self.resolve(&name, scope, runtime);
                self.out.uses.push(VarUse {
                    name,
                    span,
                    instruction: i,
                    target,
                });
            }
        }
        let kind = match instruction.keyword {
            Keyword::Arg => VarKind::Arg,
            Keyword::Env => VarKind::Env,
            _ => return,
        };
        for kv in instruction.key_values() {
            let index = self.out.defs.len();
            self.by_name.entry(kv.key.clone()).or_default().push(index);
            self.out.defs.push(VarDef {
                name: kv.key,
                kind,
                span: kv.key_span,
                instruction: i,
                stage,
                value: kv.value,
            });
        }
    }

    /// The latest definition of `name` of `kind` in `stage` (`None`: global) seen so far.
    fn latest(&self, name: &str, kind: VarKind, stage: Option<usize>) -> Option<usize> {
        let defs = self.by_name.get(name)?;
        defs.iter()
            .rev()
            .copied()
            .find(|&k| self.out.defs[k].kind == kind && self.out.defs[k].stage == stage)
    }

    fn resolve(&mut self, name: &str, stage: Option<usize>, runtime: bool) -> Target {
        let Some(stage) = stage else {
            if let Some(k) = self.latest(name, VarKind::Arg, None) {
                return Target::Def(k);
            }
            return match super::docs::predefined_arg(name) {
                Some(_) => Target::Predefined,
                None => Target::Unknown,
            };
        };
        // ENV of this stage and of the stages it is built FROM, nearest first.
        let stages = &self.d.model.stages;
        let mut current = Some(stage);
        let mut root = stage;
        for _ in 0..=stages.len() {
            let Some(s) = current else { break };
            if let Some(k) = self.latest(name, VarKind::Env, Some(s)) {
                return Target::Def(k);
            }
            root = s;
            current = match stages.get(s).map(|st| &st.base) {
                Some(Base::Stage(p)) if *p < s => Some(*p),
                _ => None,
            };
        }
        if !runtime {
            if let Some(k) = self.latest(name, VarKind::Arg, Some(stage)) {
                return Target::Def(k);
            }
        }
        if let Some(image) = self.image(root) {
            if let Some((_, value)) = image.env.iter().find(|(k, _)| k == name) {
                return Target::BaseImage(image.name.clone(), value.clone());
            }
        }
        Target::Unknown
    }

    fn image(&mut self, stage: usize) -> Option<&'static BaseImage> {
        let slot = self.images.get_mut(stage)?;
        *slot.get_or_insert_with(|| match self.d.model.stages.get(stage).map(|s| &s.base) {
            Some(Base::Image(image)) => bases::resolve(image).base,
            _ => None,
        })
    }

    fn stages(&mut self) {
        let d = self.d;
        for stage in &d.model.stages {
            let from = d
                .doc
                .instructions
                .get(stage.from_instruction)
                .and_then(Instruction::from_args);
            self.out
                .stage_names
                .push(from.as_ref().and_then(|f| f.name.as_ref()).map(|w| w.span));
            if let (Base::Stage(p), Some(from)) = (&stage.base, &from) {
                let literal =
                    !from.image.text.contains('$') && d.slice(from.image.span) == from.image.text;
                self.out.stage_refs.push(StageRef {
                    stage: *p,
                    span: from.image.span,
                    instruction: stage.from_instruction,
                    literal,
                });
            }
        }
        for edge in &d.model.edges {
            let (EdgeSource::Stage(target), Some(reference)) = (&edge.from, &edge.reference) else {
                continue;
            };
            if reference.parse::<i64>().is_ok() {
                continue; // `--from=0` names a stage by index.
            }
            let Some(flag) = d
                .doc
                .instructions
                .get(edge.instruction)
                .and_then(|i| i.flags.iter().find(|f| f.span == edge.span))
            else {
                continue;
            };
            let value_span = flag.value_span.unwrap_or(flag.span);
            let (span, literal) = match edge.kind {
                EdgeKind::Mount => {
                    let field = mount_fields(d.text, value_span)
                        .into_iter()
                        .find(|f| f.key.eq_ignore_ascii_case("from"));
                    match field.and_then(|f| f.value_span.zip(f.value)) {
                        Some((span, text)) => (span, text == reference),
                        None => (flag.span, false),
                    }
                }
                _ => {
                    let raw = d.slice(value_span);
                    let unquoted = raw
                        .strip_prefix('"')
                        .and_then(|r| r.strip_suffix('"'))
                        .filter(|inner| *inner == reference);
                    match unquoted {
                        Some(_) => (Span::new(value_span.start + 1, value_span.end - 1), true),
                        None => (value_span, raw == reference),
                    }
                }
            };
            self.out.stage_refs.push(StageRef {
                stage: *target,
                span,
                instruction: edge.instruction,
                literal,
            });
        }
        crate::sort::sort_by_key(&mut self.out.stage_refs, |r| r.span.start);
    }
}

/// The source spans where an instruction's variables are expanded, and whether they are
/// expanded in the running container (where only ENV is set) rather than during the build.
fn use_regions(instruction: &Instruction) -> (Vec<Span>, bool) {
    let mut regions: Vec<Span> = Vec::new();
    let flags = instruction.flags.iter().filter_map(|f| f.value_span);
    let args = |regions: &mut Vec<Span>, exec: bool| match &instruction.args {
        Args::Shell { span, .. } => regions.push(*span),
        Args::Exec { items, .. } if exec => regions.extend(items.iter().map(|w| w.span)),
        Args::Exec { .. } => {}
    };
    let runtime = match instruction.keyword {
        Keyword::Onbuild | Keyword::Unknown | Keyword::Maintainer | Keyword::Shell => {
            return (regions, false)
        }
        Keyword::Cmd | Keyword::Entrypoint => {
            args(&mut regions, false);
            true
        }
        Keyword::Healthcheck => {
            regions.extend(flags);
            args(&mut regions, false);
            true
        }
        Keyword::Run => {
            regions.extend(flags);
            args(&mut regions, false);
            regions.extend(instruction.heredocs().iter().map(|h| h.body_span));
            false
        }
        Keyword::Copy | Keyword::Add => {
            regions.extend(flags);
            args(&mut regions, true);
            let bodies = instruction.heredocs().iter().filter(|h| !h.quoted);
            regions.extend(bodies.map(|h| h.body_span));
            false
        }
        _ => {
            regions.extend(flags);
            args(&mut regions, true);
            false
        }
    };
    (regions, runtime)
}

/// The `$NAME` uses in a source region (comment lines skipped), as (start of name, name).
fn region_uses(d: &Document<'_>, region: Span) -> Vec<(u32, String)> {
    let comments = &d.doc.comments;
    let first = comments.partition_point(|c| c.span.end <= region.start);
    let mut out = Vec::new();
    let mut start = region.start;
    let pieces = comments[first..]
        .iter()
        .take_while(|c| c.span.start < region.end)
        .map(|c| (c.span.start, c.span.end))
        .chain([(region.end, region.end)]);
    for (comment_start, comment_end) in pieces {
        let piece = Span::new(start, comment_start.max(start));
        let text = d.slice(piece);
        for var in var_refs(text) {
            out.push((piece.start + var.name_start as u32, var.name));
        }
        start = comment_end.max(start);
    }
    out
}
