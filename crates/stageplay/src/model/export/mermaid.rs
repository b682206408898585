//! Mermaid flowchart: stages as rounded boxes, images as stadiums, FROM `-->`,
//! COPY --from `-. copy .->`, RUN --mount `-. mount .->`; classes for skipped stages and the target.

use super::super::layout::{layout_with, LayoutOptions, NodeKind};
use super::super::{EdgeKind, Model};

/// The graph of `model` as a Mermaid `flowchart LR`.
pub fn mermaid(model: &Model) -> String {
    let g = layout_with(
        model,
        &LayoutOptions {
            split_sources: false,
        },
    );
    let mut out = String::from("flowchart LR\n");
    let ids: Vec<String> = g.nodes.iter().map(|n| n.id.replace('-', "_")).collect();
    for (n, id) in g.nodes.iter().zip(&ids) {
        let mut label = escape(&n.label);
        if let Some(d) = &n.detail {
            label.push_str("<br/>");
            label.push_str(&escape(d));
        }
        let shape = match n.kind {
            NodeKind::Stage => format!("{id}(\"{label}\")"),
            NodeKind::Image => format!("{id}([\"{label}\"])"),
            NodeKind::Scratch => format!("{id}[\"{label}\"]"),
            NodeKind::Context => format!("{id}[/\"{label}\"/]"),
        };
        out.push_str(&format!("  {shape}\n"));
    }
    for e in &g.edges {
        let (Some(a), Some(b)) = (ids.get(e.from), ids.get(e.to)) else {
            continue;
        };
        let arrow = match e.kind {
            EdgeKind::From => "-->",
            EdgeKind::Copy => "-. copy .->",
            EdgeKind::Mount => "-. mount .->",
        };
        out.push_str(&format!("  {a} {arrow} {b}\n"));
    }
    out.push_str("  classDef image stroke-dasharray: 5 5\n  classDef skipped fill:#f2f2f2,stroke:#aaa,color:#999\n  classDef target stroke-width:3px\n");
    for (class, pick) in [
        (
            "image",
            &(|n: &super::super::layout::LayoutNode| n.kind == NodeKind::Image)
                as &dyn Fn(&_) -> bool,
        ),
        ("skipped", &|n: &super::super::layout::LayoutNode| {
            n.kind == NodeKind::Stage && !n.needed
        }),
        ("target", &|n: &super::super::layout::LayoutNode| n.target),
    ] {
        let members: Vec<&str> = g
            .nodes
            .iter()
            .zip(&ids)
            .filter(|(n, _)| pick(n))
            .map(|(_, id)| id.as_str())
            .collect();
        if !members.is_empty() {
            out.push_str(&format!("  class {} {class}\n", members.join(",")));
        }
    }
    out
}

/// Mermaid entity codes for characters that would end or change a quoted label.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_labels() {
        assert_eq!(super::escape("a\"<b>#"), "a#quot;#lt;b#gt;#35;");
    }
}
