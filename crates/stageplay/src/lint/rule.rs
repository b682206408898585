//! What a rule is: its code, metadata, documentation and check ([`RuleMeta`]). Each rule
//! declares one in its file (`rules/<name>.rs`); [`super::codes`] lists them all.

use super::context::Ctx;
use crate::diagnostic::{Applicability, Severity};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleStatus {
    Stable,
    /// Runs only when asked for (BuildKit's experimental checks).
    Preview,
}

/// A rule's metadata and its check function.
#[derive(Clone, Copy, Serialize)]
pub struct RuleMeta {
    pub code: &'static str,
    /// A readable kebab-case name.
    pub name: &'static str,
    /// What it mirrors: `buildkit:<Check>`, `hadolint:DLxxxx`; empty for Stageplay's own.
    pub sources: &'static [&'static str],
    pub severity: Severity,
    pub status: RuleStatus,
    /// The best applicability of the fixes the rule offers, if any.
    pub fix: Option<Applicability>,
    /// True when the rule reads the stage model (final image, builder, unused).
    pub stage_aware: bool,
    /// The user-facing documentation (markdown), the rule file's doc comment.
    pub doc: &'static str,
    #[serde(skip)]
    pub check: fn(&mut Ctx),
}

impl std::fmt::Debug for RuleMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleMeta")
            .field("code", &self.code)
            .field("name", &self.name)
            .finish()
    }
}

impl RuleMeta {
    pub fn is_buildkit(&self) -> bool {
        self.sources.iter().any(|s| s.starts_with("buildkit:"))
    }

    pub fn has_fix(&self) -> bool {
        self.fix.is_some()
    }

    /// The doc with the one leading space of each doc-comment line removed.
    pub fn doc_markdown(&self) -> String {
        self.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The first sentence under "What it does", for lists.
    pub fn summary(&self) -> String {
        let md = self.doc_markdown();
        let body: Vec<&str> = md
            .lines()
            .skip_while(|l| !l.starts_with("## What it does"))
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .collect();
        body.join(" ").trim().to_string()
    }
}
