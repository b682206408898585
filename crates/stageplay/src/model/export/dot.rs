//! Graphviz DOT, in the spirit of dockerfilegraph: external images dashed, FROM solid,
//! COPY --from dashed, RUN --mount dotted, skipped stages grey, the target bold.

use super::super::layout::{layout_with, LayoutOptions, NodeKind};
use super::super::{EdgeKind, Model};
use super::edge_title;

/// The graph of `model` as a DOT digraph.
pub fn dot(model: &Model) -> String {
    let g = layout_with(
        model,
        &LayoutOptions {
            split_sources: false,
        },
    );
    let mut out = String::from("digraph stages {\n  rankdir=LR;\n  node [shape=box, style=\"rounded\", fontname=\"sans-serif\"];\n  edge [fontname=\"sans-serif\"];\n");
    for n in &g.nodes {
        let mut label = n.label.clone();
        if let Some(d) = &n.detail {
            label.push('\n');
            label.push_str(d);
        }
        let mut attrs = vec![format!("label={}", quote(&label))];
        match n.kind {
            NodeKind::Stage => {}
            NodeKind::Image => attrs.push("style=\"rounded,dashed\"".into()),
            NodeKind::Scratch => attrs.push("style=\"rounded,dotted\"".into()),
            NodeKind::Context => attrs.push("shape=folder".into()),
        }
        if !n.needed {
            attrs.push("color=gray60, fontcolor=gray60".into());
        }
        if n.target {
            attrs.push("penwidth=2".into());
        }
        out.push_str(&format!("  {} [{}];\n", quote(&n.id), attrs.join(", ")));
    }
    for e in &g.edges {
        let (Some(a), Some(b)) = (g.nodes.get(e.from), g.nodes.get(e.to)) else {
            continue;
        };
        let style = match e.kind {
            EdgeKind::From => "solid",
            EdgeKind::Copy => "dashed",
            EdgeKind::Mount => "dotted",
        };
        let mut attrs = vec![
            format!("style={style}"),
            format!("tooltip={}", quote(&edge_title(model, &g, e))),
        ];
        if !e.needed {
            attrs.push("color=gray60".into());
        }
        out.push_str(&format!(
            "  {} -> {} [{}];\n",
            quote(&a.id),
            quote(&b.id),
            attrs.join(", ")
        ));
    }
    out.push_str("}\n");
    out
}

/// A DOT double-quoted string: backslashes and quotes escaped, newlines as `\n`.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_user_text() {
        assert_eq!(super::quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}
