//! The stage model: stages, their bases, build args, references between stages, targets and
//! build order. Built from the syntax tree; read by estimate, lint and refactor.
//!
//! Indices: `Stage::index` is the stage's position (0-based, BuildKit's `--from=<index>`);
//! `Stage::instructions` are indices into `Dockerfile::instructions`.

use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::syntax::Keyword;
use serde::Serialize;

mod build;
pub mod export;
pub mod layout;
mod order;
pub mod outline;
mod read;
mod scope;

pub use build::{build, DEFAULT_PLATFORM};
pub use outline::{outline, Outline};
pub use read::split_image;

/// What the user chose: the target stage and build-arg overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ModelOptions {
    /// `--target`; `None` means the last stage.
    pub target: Option<String>,
    /// `--build-arg K=V` overrides, in order.
    pub build_args: Vec<(String, String)>,
    /// The platform the build runs for, e.g. `linux/amd64` (defaults to `linux/amd64`).
    pub platform: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Model {
    pub stages: Vec<Stage>,
    /// ARGs before the first FROM.
    pub global_args: Vec<ArgDef>,
    pub edges: Vec<Edge>,
    /// The chosen target stage (`None` only when there is no stage at all).
    pub target: Option<usize>,
    /// Build levels for the target: stages in one level can build in parallel; each level
    /// depends only on earlier ones. Only stages the target needs appear.
    pub levels: Vec<Vec<usize>>,
    /// The longest dependency chain ending at the target, first stage first.
    pub critical_path: Vec<usize>,
    pub diagnostics: Vec<Diagnostic>,
    /// For each stage, the stages it reads from (FROM, COPY --from, RUN --mount from=), sorted,
    /// without repeats and without references that would close a cycle.
    pub deps: Vec<Vec<usize>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub index: usize,
    /// The `AS name` as written; compare with [`Stage::matches_name`] (case-insensitive).
    pub name: Option<String>,
    pub base: Base,
    /// The image reference as written in FROM (before expansion).
    pub base_text: String,
    pub platform: Option<String>,
    /// Index of the FROM instruction in `Dockerfile::instructions`.
    pub from_instruction: usize,
    /// Indices of the instructions after FROM that belong to this stage.
    pub instructions: Vec<usize>,
    /// ARGs declared inside the stage.
    pub args: Vec<ArgDef>,
    /// True when the chosen target needs this stage.
    pub needed: bool,
    /// The FROM line's span and 1-based line.
    pub span: Span,
    pub line: u32,
    /// The comment above FROM (BuildKit's target description).
    pub description: Option<String>,
    /// Indices of the stage's `ONBUILD` instructions (they run in stages built FROM this one).
    pub onbuild: Vec<usize>,
    /// The length of the longest dependency chain below this stage (its build level when
    /// the target needs it).
    pub level: Option<usize>,
}

impl Stage {
    pub fn matches_name(&self, name: &str) -> bool {
        self.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    }

    /// The name to show: the `AS` name or `stage-<index>`.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("stage-{}", self.index))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Base {
    /// `FROM <earlier stage>`.
    Stage(usize),
    /// An external image, after ARG expansion.
    Image(String),
    /// `FROM scratch`.
    Scratch,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArgDef {
    pub name: String,
    /// The default as written after `=` (quotes kept, not expanded).
    pub default: Option<String>,
    /// The comment above the ARG.
    pub description: Option<String>,
    pub instruction: usize,
    pub span: Span,
    /// The value in effect for this build: the `--build-arg` override, else the expanded
    /// default, else (stage ARG without default) the global value; `None` when unset.
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum EdgeSource {
    Stage(usize),
    Image(String),
    /// The build context (plain COPY/ADD, bind mounts without `from`).
    Context,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum EdgeKind {
    From,
    Copy,
    Mount,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub from: EdgeSource,
    pub to: usize,
    pub kind: EdgeKind,
    /// The keyword of the instruction that makes the edge (FROM, COPY, ADD or RUN).
    pub keyword: Keyword,
    /// The `--from=` or mount `from=` value as written, for edges a flag makes.
    pub reference: Option<String>,
    /// The instruction that makes the edge (index into `Dockerfile::instructions`).
    pub instruction: usize,
    pub line: u32,
    pub span: Span,
}
