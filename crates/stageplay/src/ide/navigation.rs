//! Go to definition and references (for highlighting) of stages and variables.
//!
//! A stage's definition is its `AS name`; its references are `FROM name`, `COPY --from=name`
//! and `RUN --mount=…,from=name` (the stages the model resolves them to, case-insensitively as
//! BuildKit does). A variable use goes to the definition it resolves to under BuildKit's
//! scoping (see `symbols`); an `ARG NAME` that re-declares a global ARG without a default goes
//! to the global one, whose value it takes. References of an ARG are every declaration of that
//! build argument and every use that resolves to one of them.

use super::symbols::{self, SymbolAt, Symbols, Target, VarKey, VarKind};
use super::Document;
use crate::span::Span;
use serde::Serialize;

/// Where a definition is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NavigationTarget {
    pub name: String,
    /// `stage`, `ARG` or `ENV`.
    pub kind: &'static str,
    /// The whole defining instruction (to reveal).
    pub full_span: Span,
    /// The name in it (to select).
    pub focus_span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ReferenceKind {
    /// Where the name is defined (`AS name`, `ARG NAME`, `ENV NAME=`).
    Definition,
    /// Where it is used.
    Read,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    pub span: Span,
    pub kind: ReferenceKind,
}

/// The definitions of the name at `offset`: one for a stage or a resolved variable, none for
/// a variable that only the base image or BuildKit defines.
pub fn goto_definition(d: &Document<'_>, offset: u32) -> Vec<NavigationTarget> {
    let offset = d.clamp(offset);
    let symbols = symbols::symbols(d);
    let Some(symbol) = symbols.at(offset) else {
        return Vec::new();
    };
    match symbol {
        SymbolAt::StageName(s) => stage_target(d, &symbols, s).into_iter().collect(),
        SymbolAt::StageRef(r) => symbols
            .stage_refs
            .get(r)
            .and_then(|r| stage_target(d, &symbols, r.stage))
            .into_iter()
            .collect(),
        SymbolAt::Def(k) => {
            // `ARG NAME` in a stage without a default reads the global ARG.
            let def = &symbols.defs[k];
            let global = (def.kind == VarKind::Arg && def.value.is_none() && def.stage.is_some())
                .then(|| {
                    symbols.defs.iter().rposition(|g| {
                        g.kind == VarKind::Arg && g.stage.is_none() && g.name == def.name
                    })
                })
                .flatten();
            var_target(d, &symbols, global.unwrap_or(k))
                .into_iter()
                .collect()
        }
        SymbolAt::Use(u) => match symbols.uses.get(u).map(|u| &u.target) {
            Some(Target::Def(k)) => var_target(d, &symbols, *k).into_iter().collect(),
            _ => Vec::new(),
        },
    }
}

fn stage_target(d: &Document<'_>, symbols: &Symbols, s: usize) -> Option<NavigationTarget> {
    let stage = d.model.stages.get(s)?;
    let full_span = d
        .doc
        .instructions
        .get(stage.from_instruction)
        .map_or(stage.span, |i| i.span);
    Some(NavigationTarget {
        name: stage.display_name(),
        kind: "stage",
        full_span,
        focus_span: symbols
            .stage_names
            .get(s)
            .copied()
            .flatten()
            .unwrap_or(full_span),
    })
}

fn var_target(d: &Document<'_>, symbols: &Symbols, k: usize) -> Option<NavigationTarget> {
    let def = symbols.defs.get(k)?;
    let full_span = d.doc.instructions.get(def.instruction)?.span;
    Some(NavigationTarget {
        name: def.name.clone(),
        kind: def.kind.as_str(),
        full_span,
        focus_span: def.span,
    })
}

/// Every place the name at `offset` is defined or used, in source order; empty when the
/// offset is on no name.
pub fn references(d: &Document<'_>, offset: u32) -> Vec<Reference> {
    let offset = d.clamp(offset);
    let symbols = symbols::symbols(d);
    let Some(symbol) = symbols.at(offset) else {
        return Vec::new();
    };
    let mut out = match symbol {
        SymbolAt::StageName(s) => stage_references(&symbols, s),
        SymbolAt::StageRef(r) => symbols
            .stage_refs
            .get(r)
            .map(|r| stage_references(&symbols, r.stage))
            .unwrap_or_default(),
        SymbolAt::Def(k) => symbols
            .def_key(k)
            .map(|key| var_references(&symbols, &key))
            .unwrap_or_default(),
        SymbolAt::Use(u) => symbols
            .use_key(u)
            .map(|key| var_references(&symbols, &key))
            .unwrap_or_default(),
    };
    crate::sort::sort_by_key(&mut out, |r| (r.span.start, r.span.end));
    out.dedup();
    out
}

pub(crate) fn stage_references(symbols: &Symbols, s: usize) -> Vec<Reference> {
    let definition = symbols
        .stage_names
        .get(s)
        .copied()
        .flatten()
        .map(|span| Reference {
            span,
            kind: ReferenceKind::Definition,
        });
    let reads = symbols
        .stage_refs
        .iter()
        .filter(|r| r.stage == s)
        .map(|r| Reference {
            span: r.span,
            kind: ReferenceKind::Read,
        });
    definition.into_iter().chain(reads).collect()
}

pub(crate) fn var_references(symbols: &Symbols, key: &VarKey) -> Vec<Reference> {
    let (defs, uses) = symbols.members(key);
    let defs = defs.into_iter().map(|k| Reference {
        span: symbols.defs[k].span,
        kind: ReferenceKind::Definition,
    });
    let uses = uses.into_iter().map(|u| Reference {
        span: symbols.uses[u].span,
        kind: ReferenceKind::Read,
    });
    defs.chain(uses).collect()
}
