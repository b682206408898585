//! Exports of the stage graph: Graphviz DOT, Mermaid and a self-contained SVG.
//!
//! All three draw the same nodes and edges as [`super::layout::layout`]: stages, external images,
//! `scratch` and the build context; FROM solid, COPY --from dashed, RUN --mount dotted; stages the
//! target skips greyed. User text (stage names, image references) is escaped for each format, so
//! it can never become markup or syntax.

mod dot;
mod mermaid;
mod svg;

pub use dot::dot;
pub use mermaid::mermaid;
pub use svg::{svg, svg_with_layout, xml_escape, SvgOptions};

use super::layout::{GraphLayout, LayoutEdge};
use super::{EdgeKind, Model};

/// What an edge means, for tooltips: `COPY --from=builder, line 12`.
pub fn edge_title(model: &Model, layout: &GraphLayout, edge: &LayoutEdge) -> String {
    let source = layout
        .nodes
        .get(edge.from)
        .map_or(String::new(), |n| n.label.clone());
    let from_kind = layout.nodes.get(edge.from).map(|n| n.kind);
    let context = from_kind == Some(super::layout::NodeKind::Context);
    let keyword = edge
        .edges
        .first()
        .and_then(|&e| model.edges.get(e))
        .map_or("FROM", |e| e.keyword.as_str());
    let what = match (edge.kind, context) {
        (EdgeKind::From, _) => format!("FROM {source}"),
        (EdgeKind::Copy, true) => format!("{keyword} from the build context"),
        (EdgeKind::Copy, false) => format!("{keyword} --from={source}"),
        (EdgeKind::Mount, true) => "RUN --mount=type=bind from the build context".to_string(),
        (EdgeKind::Mount, false) => format!("RUN --mount=from={source}"),
    };
    let mut lines: Vec<u32> = edge
        .edges
        .iter()
        .filter_map(|&e| model.edges.get(e))
        .map(|e| e.line)
        .collect();
    if lines.is_empty() {
        if let Some(stage) = layout
            .nodes
            .get(edge.to)
            .and_then(|n| n.stage)
            .and_then(|s| model.stages.get(s))
        {
            lines.push(stage.line);
        }
    }
    lines.dedup();
    match lines.as_slice() {
        [] => what,
        [one] => format!("{what}, line {one}"),
        many => format!(
            "{what}, lines {}",
            many.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
