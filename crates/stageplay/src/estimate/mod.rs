//! What the final image will contain, before any build: layers with sizes and ranges, a file tree
//! with provenance, and facts (user, shell, package manager, build tools, caches, secrets, entrypoint).
//!
//! Pipeline: for each stage in order, start from its base (a knowledge-base image, an earlier stage,
//! or scratch), then apply each instruction to a virtual filesystem ([`state`]); RUN shell text is
//! split into simple commands ([`shell`]) whose effects come from [`run`] and the knowledge base
//! ([`kb`], data in `crates/stageplay/data/`). Every figure carries a range and a reason; anything not
//! understood adds nothing and is listed, so the user sees what was not counted.

pub mod bases;
pub mod context;
pub mod kb;
pub mod run;
pub mod runtime;
pub mod shell;
pub mod size;
pub mod state;

mod alternatives;
mod facts;
pub mod report;
mod simulate;
mod tree;

use crate::model::Model;
use crate::syntax::Dockerfile;
use serde::Serialize;

pub use alternatives::{compare_alternatives, Alternative};
pub use tree::FileNode;

/// What the user tells the estimate about the build context.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EstimateOptions {
    /// Size of the build context after `.dockerignore`, in bytes; `None` = not set (a wide range is used).
    pub context_bytes: Option<u64>,
    /// The `.dockerignore` text, if any (its presence narrows the "whole context" range).
    pub dockerignore: Option<String>,
    /// Files of the context the user pasted or dropped (requirements.txt, package.json,
    /// lock files): the install layers are sized from the packages they name.
    pub context_files: Vec<ContextFile>,
    /// Every file the build context sends (after `.dockerignore`) with its size, when the user
    /// gave a project folder ([`context::project_options`]): `COPY` sources are sized from it.
    /// Empty when not given.
    pub context_paths: Vec<ContextPath>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContextFile {
    pub path: String,
    pub content: String,
}

/// One file of the build context and its size in bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContextPath {
    pub path: String,
    pub bytes: u64,
}

/// The estimate for the chosen target.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Estimate {
    /// The target stage's display name.
    pub target: Option<String>,
    pub total_bytes: u64,
    pub low_bytes: u64,
    pub high_bytes: u64,
    /// Bytes in layers that a later layer deletes or overwrites (dive's "wasted space").
    pub wasted_bytes: u64,
    pub base: Option<BaseInfo>,
    pub layers: Vec<Layer>,
    /// The final filesystem as a tree (root first) with sizes and provenance.
    pub files: FileNode,
    pub facts: Facts,
    /// Every stage, so targets can be compared.
    pub stages: Vec<StageEstimate>,
    /// Things the estimate could not read (unknown commands, unknown images).
    pub notes: Vec<String>,
    /// The target's base is an Alpine image (a known row or the Alpine class): its package sizes
    /// are approximate (no Alpine index here), which the app and the CLI say only then.
    pub alpine_base: bool,
}

/// The base image the target stage's chain starts from.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BaseInfo {
    pub reference: String,
    /// The knowledge-base entry used, if any.
    pub resolved: Option<String>,
    /// `exact`, `approximate (<entry>)`, `unknown` or `scratch`.
    pub matched: String,
    pub bytes: u64,
    pub low_bytes: u64,
    pub high_bytes: u64,
    pub source: String,
    /// For an approximate match: why the row used is only close.
    pub why: Option<String>,
    /// For a tag whose Debian release moved (`python:3.12-slim`): what it meant before, for
    /// builds pinned earlier.
    pub history: Option<String>,
}

/// One layer of the image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Layer {
    pub stage: usize,
    pub stage_name: String,
    /// 1-based line of the instruction.
    pub line: u32,
    /// The instruction, shortened for display.
    pub instruction: String,
    pub bytes: u64,
    pub low_bytes: u64,
    pub high_bytes: u64,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct StageEstimate {
    pub index: usize,
    pub name: String,
    pub base: String,
    pub total_bytes: u64,
    pub low_bytes: u64,
    pub high_bytes: u64,
    pub wasted_bytes: u64,
    pub layers: usize,
    /// True when the chosen target needs this stage.
    pub needed: bool,
}

/// Facts about the final image.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facts {
    /// The user the container runs as (`root` when nothing sets one).
    pub user: String,
    /// Where the user comes from: `line N` or `base image`.
    pub user_source: String,
    pub runs_as_root: bool,
    /// The shell in the image (`None` for distroless/scratch).
    pub shell: Option<String>,
    pub package_manager: Option<String>,
    pub build_tools: Vec<BuildTool>,
    pub caches: Vec<CacheFact>,
    pub secrets: Vec<SecretFact>,
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    /// Where ENTRYPOINT/CMD come from (`line N` or `base image`).
    pub entrypoint_source: Option<String>,
    pub cmd_source: Option<String>,
    pub exposed_ports: Vec<String>,
    pub healthcheck: Option<String>,
    pub workdir: String,
    pub env: Vec<(String, String)>,
    pub os: Option<String>,
    pub libc: Option<String>,
    /// Warnings for the fact cards.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuildTool {
    pub name: String,
    pub stage: usize,
    /// 0 when it comes with the base image.
    pub line: u32,
    pub via: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CacheFact {
    pub path: String,
    pub bytes: u64,
    pub stage: usize,
    pub line: u32,
    /// False for a `--mount=type=cache` (its contents are not in the image).
    pub in_image: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SecretFact {
    pub name: String,
    /// `ARG` or `ENV`.
    pub instruction: String,
    pub stage: usize,
    pub line: u32,
}

/// Estimates the image the model's target stage builds.
pub fn estimate(doc: &Dockerfile, model: &Model, opts: &EstimateOptions) -> Estimate {
    simulate::run(doc, model, opts, &simulate::Config::default())
}

/// The target's final image as (total bytes, layer count): the same numbers as
/// [`estimate`]'s `total_bytes` and `layers.len()`, simulating only the stages the target reads.
/// `None` when there is no target stage.
pub fn final_image(
    doc: &Dockerfile,
    model: &Model,
    opts: &EstimateOptions,
) -> Option<(u64, usize)> {
    simulate::final_image(doc, model, opts)
}
