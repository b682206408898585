//! Folding ranges (stages, multi-line instructions, heredoc bodies, comment blocks) and the
//! document outline (global ARGs, then each stage with its ARG and ENV definitions), built
//! from the model's stages and its build outline (`model::outline`: every stage as a target,
//! with its base and description).

use super::symbols::{self, VarKind};
use super::Document;
use crate::model;
use crate::span::Span;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum FoldKind {
    Stage,
    /// An instruction continued over several lines.
    Instruction,
    Heredoc,
    /// Two or more comment lines in a row.
    Comment,
}

/// A foldable range: `span.start` is the end of the line that stays visible, `span.end` the
/// end of the last hidden line (CodeMirror's `foldService` shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FoldingRange {
    pub span: Span,
    pub kind: FoldKind,
}

/// The end of the line holding `offset` (before its newline).
fn line_end(text: &str, offset: u32) -> u32 {
    let from = (offset as usize).min(text.len());
    text[from..]
        .find('\n')
        .map_or(text.len(), |i| from + i)
        .try_into()
        .unwrap_or(u32::MAX)
}

/// Folding ranges in source order (an outer range before the ranges inside it).
pub fn folding_ranges(d: &Document<'_>) -> Vec<FoldingRange> {
    let text = d.text;
    let mut out = Vec::new();
    let mut push = |start: u32, end: u32, kind: FoldKind| {
        let from = line_end(text, start);
        let to = end.min(text.len() as u32);
        if from < to
            && text
                .get(from as usize..to as usize)
                .is_some_and(|t| t.contains('\n'))
        {
            out.push(FoldingRange {
                span: Span::new(from, to),
                kind,
            });
        }
    };
    let instructions = &d.doc.instructions;
    for stage in &d.model.stages {
        let end = stage
            .instructions
            .iter()
            .filter_map(|&i| instructions.get(i))
            .map(|i| i.span.end)
            .chain([stage.span.end])
            .max()
            .unwrap_or(stage.span.end);
        push(stage.span.start, end, FoldKind::Stage);
    }
    for instruction in instructions {
        let heredocs = instruction.heredocs();
        for h in heredocs {
            push(h.marker_span.start, h.end_span.end, FoldKind::Heredoc);
        }
        // A heredoc instruction's fold is its heredoc's.
        if heredocs.is_empty() && instruction.end_line > instruction.start_line {
            push(
                instruction.span.start,
                instruction.span.end,
                FoldKind::Instruction,
            );
        }
    }
    // Comment blocks outside instructions: consecutive comment lines.
    let comments = &d.doc.comments;
    let mut i = 0;
    while i < comments.len() {
        let mut j = i;
        while j + 1 < comments.len()
            && text
                .get(comments[j].span.end as usize..comments[j + 1].span.start as usize)
                .is_some_and(|gap| gap.trim_matches([' ', '\t', '\r']) == "\n")
        {
            j += 1;
        }
        let inside = instructions.iter().any(|ins| {
            ins.span.start < comments[i].span.start && comments[i].span.end <= ins.span.end
        });
        if j > i && !inside {
            push(
                comments[i].span.start,
                comments[j].span.end,
                FoldKind::Comment,
            );
        }
        i = j + 1;
    }
    crate::sort::sort_by_key(&mut out, |r| (r.span.start, std::cmp::Reverse(r.span.end)));
    out.dedup_by_key(|r| r.span);
    out
}

/// One entry of the outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentSymbol {
    pub name: String,
    /// `stage`, `ARG` or `ENV`.
    pub kind: &'static str,
    /// One line: a stage's base and description, a variable's value as written.
    pub detail: String,
    /// The whole stage or instruction.
    pub span: Span,
    /// The name to select.
    pub selection_span: Span,
    pub children: Vec<DocumentSymbol>,
}

/// The outline: global ARGs, then the stages in order, each with its ARG and ENV definitions.
pub fn document_symbols(d: &Document<'_>) -> Vec<DocumentSymbol> {
    let symbols = symbols::symbols(d);
    let outline = model::outline(d.doc, d.model);
    let variable = |k: usize| {
        let def = &symbols.defs[k];
        let span = d
            .doc
            .instructions
            .get(def.instruction)
            .map_or(def.span, |i| i.span);
        DocumentSymbol {
            name: def.name.clone(),
            kind: match def.kind {
                VarKind::Arg => "ARG",
                VarKind::Env => "ENV",
            },
            detail: def.value.clone().unwrap_or_default(),
            span,
            selection_span: def.span,
            children: Vec::new(),
        }
    };
    let mut out: Vec<DocumentSymbol> = (0..symbols.defs.len())
        .filter(|&k| symbols.defs[k].stage.is_none())
        .map(variable)
        .collect();
    let ranges = folding_ranges(d);
    for (s, stage) in d.model.stages.iter().enumerate() {
        let target = outline.targets.iter().find(|t| t.index == s);
        let mut detail = format!(
            "FROM {}",
            target.map_or(stage.base_text.as_str(), |t| t.base.as_str())
        );
        if target.is_some_and(|t| t.default) {
            detail.push_str(" · default target");
        }
        if let Some(description) = target.and_then(|t| t.description.as_deref()) {
            detail.push_str(" · ");
            detail.push_str(description);
        }
        let end = ranges
            .iter()
            .find(|r| {
                r.kind == FoldKind::Stage && r.span.start == line_end(d.text, stage.span.start)
            })
            .map_or(stage.span.end, |r| r.span.end);
        out.push(DocumentSymbol {
            name: stage.display_name(),
            kind: "stage",
            detail,
            span: Span::new(stage.span.start, end),
            selection_span: symbols
                .stage_names
                .get(s)
                .copied()
                .flatten()
                .unwrap_or(stage.span),
            children: (0..symbols.defs.len())
                .filter(|&k| symbols.defs[k].stage == Some(s))
                .map(variable)
                .collect(),
        });
    }
    out
}
