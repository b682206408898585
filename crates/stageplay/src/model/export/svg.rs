//! A self-contained SVG of the stage graph, drawn from [`layout`].
//!
//! No scripts and no external references: a `<style>` block with default colours that a page can
//! override through the classes `node-stage`, `node-image`, `node-scratch`, `node-context`,
//! `edge-from`, `edge-copy`, `edge-mount`, `needed`, `skipped` and `target`. Stage nodes carry
//! `data-stage="<index>"`, edges a `<title>` naming the instruction and line. Every piece of user
//! text goes through [`xml_escape`].

use super::super::layout::{fmt, layout, GraphLayout, NodeKind};
use super::super::{EdgeKind, Model};
use super::edge_title;

/// Options for [`svg_with_layout`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvgOptions {
    /// Draw a legend below the graph.
    pub legend: bool,
    /// Include the default `<style>` block.
    pub style: bool,
}

impl Default for SvgOptions {
    fn default() -> Self {
        SvgOptions {
            legend: true,
            style: true,
        }
    }
}

const STYLE: &str = "
.stage-graph { font: 12px ui-sans-serif, system-ui, sans-serif; }
.stage-graph .node rect { fill: #fff; stroke: #3b6ea5; stroke-width: 1.5; }
.stage-graph .node-image rect { fill: #f5f9ff; stroke-dasharray: 5 3; }
.stage-graph .node-scratch rect { fill: #fafafa; stroke: #888; stroke-dasharray: 2 3; }
.stage-graph .node-context rect { fill: #fff8e6; stroke: #b7791f; }
.stage-graph .node text { fill: #1a202c; }
.stage-graph .node text.detail { fill: #4a5568; font-size: 10px; }
.stage-graph .node.target rect { stroke-width: 3; stroke: #2b6cb0; }
.stage-graph .node.skipped rect { stroke: #bbb; fill: #f2f2f2; }
.stage-graph .node.skipped text { fill: #999; }
.stage-graph .edge path { fill: none; stroke: #4a5568; stroke-width: 1.4; }
.stage-graph .edge-copy path { stroke-dasharray: 6 4; }
.stage-graph .edge-mount path { stroke-dasharray: 2 3; }
.stage-graph .edge.skipped path { stroke: #ccc; }
.stage-graph .edge:hover path { stroke-width: 3; }
.stage-graph .node-stage { cursor: pointer; }
.stage-graph .node-stage:focus rect { stroke-width: 3; stroke: #d69e2e; }
.stage-graph .legend text { fill: #4a5568; font-size: 11px; }
";

const LEGEND_H: f32 = 34.0;

/// The graph of `model` as SVG, with the default style and legend.
pub fn svg(model: &Model) -> String {
    svg_with_layout(model, &layout(model), &SvgOptions::default())
}

/// The SVG for a layout computed beforehand (the app keeps the layout for hit-testing).
pub fn svg_with_layout(model: &Model, g: &GraphLayout, opts: &SvgOptions) -> String {
    let legend_w = 640.0f32;
    let width = if opts.legend {
        g.width.max(legend_w)
    } else {
        g.width
    };
    let height = g.height + if opts.legend { LEGEND_H } else { 0.0 };
    let mut out = String::with_capacity(512 + g.nodes.len() * 400 + g.edges.len() * 300);
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"stage-graph\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\">\n<title>Stage graph</title>\n",
        w = fmt(width),
        h = fmt(height)
    ));
    if opts.style {
        out.push_str("<style>");
        out.push_str(STYLE);
        out.push_str("</style>\n");
    }
    out.push_str("<defs><marker id=\"sg-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" class=\"arrow-head\" fill=\"#4a5568\"/></marker></defs>\n");

    out.push_str("<g class=\"edges\">\n");
    for e in &g.edges {
        let (Some(a), Some(b)) = (g.nodes.get(e.from), g.nodes.get(e.to)) else {
            continue;
        };
        let kind = match e.kind {
            EdgeKind::From => "edge-from",
            EdgeKind::Copy => "edge-copy",
            EdgeKind::Mount => "edge-mount",
        };
        let state = if e.needed { "needed" } else { "skipped" };
        let lines: Vec<String> = e
            .edges
            .iter()
            .filter_map(|&i| model.edges.get(i))
            .map(|x| x.line.to_string())
            .collect();
        out.push_str(&format!(
            "<g class=\"edge {kind} {state}\" data-from=\"{}\" data-to=\"{}\" data-lines=\"{}\"><title>{}</title><path d=\"{}\" marker-end=\"url(#sg-arrow)\"/></g>\n",
            xml_escape(&a.id),
            xml_escape(&b.id),
            lines.join(" "),
            xml_escape(&edge_title(model, g, e)),
            e.svg_path()
        ));
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for n in &g.nodes {
        let mut classes = format!("node node-{}", n.kind.as_str());
        classes.push_str(if n.needed { " needed" } else { " skipped" });
        if n.target {
            classes.push_str(" target");
        }
        let mut attrs = String::new();
        if let Some(s) = n.stage {
            attrs.push_str(&format!(
                " data-stage=\"{s}\" tabindex=\"0\" role=\"button\""
            ));
            if let Some(stage) = model.stages.get(s) {
                attrs.push_str(&format!(" data-line=\"{}\"", stage.line));
            }
        }
        let mut title = n.label.clone();
        if let Some(d) = &n.detail {
            title.push_str(" — ");
            title.push_str(d);
        }
        if n.kind == NodeKind::Stage && n.target {
            title.push_str(" (target)");
        } else if n.kind == NodeKind::Stage && !n.needed {
            title.push_str(" (not needed for the target)");
        }
        out.push_str(&format!(
            "<g class=\"{classes}\" data-node=\"{}\"{attrs}><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"/>",
            xml_escape(&n.id),
            xml_escape(&title),
            fmt(n.x),
            fmt(n.y),
            fmt(n.w),
            fmt(n.h),
            if n.kind == NodeKind::Image { 14 } else { 6 }
        ));
        let cx = fmt(n.x + n.w / 2.0);
        match &n.detail {
            Some(d) => out.push_str(&format!(
                "<text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\">{}</text><text class=\"detail\" x=\"{cx}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                fmt(n.y + 18.0),
                xml_escape(&truncate(&n.label, 36)),
                fmt(n.y + 34.0),
                xml_escape(&truncate(d, 42))
            )),
            None => out.push_str(&format!(
                "<text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                fmt(n.y + n.h / 2.0 + 4.0),
                xml_escape(&truncate(&n.label, 36))
            )),
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
    if opts.legend {
        out.push_str(&legend(g.height));
    }
    out.push_str("</svg>\n");
    out
}

fn legend(top: f32) -> String {
    let y = top + 8.0;
    let mut s = format!(
        "<g class=\"legend\" transform=\"translate(16 {})\">",
        fmt(y)
    );
    let items: [(&str, &str); 3] = [
        ("edge-from", "FROM"),
        ("edge-copy", "COPY --from"),
        ("edge-mount", "RUN --mount"),
    ];
    let mut x = 0.0f32;
    for (class, label) in items {
        s.push_str(&format!(
            "<g class=\"edge {class} needed\"><path d=\"M{} 9 L{} 9\" marker-end=\"url(#sg-arrow)\"/></g><text x=\"{}\" y=\"13\">{label}</text>",
            fmt(x),
            fmt(x + 28.0),
            fmt(x + 34.0)
        ));
        x += 34.0 + label.len() as f32 * 7.0 + 18.0;
    }
    for (class, label) in [
        ("node-image", "image"),
        ("node-scratch", "scratch"),
        ("node-context", "context"),
    ] {
        s.push_str(&format!(
            "<g class=\"node {class} needed\"><rect x=\"{}\" y=\"2\" width=\"22\" height=\"14\" rx=\"4\"/></g><text x=\"{}\" y=\"13\">{label}</text>",
            fmt(x),
            fmt(x + 28.0)
        ));
        x += 28.0 + label.len() as f32 * 7.0 + 16.0;
    }
    s.push_str(&format!(
        "<g class=\"node node-stage skipped\"><rect x=\"{}\" y=\"2\" width=\"22\" height=\"14\" rx=\"4\"/></g><text x=\"{}\" y=\"13\">skipped</text>",
        fmt(x),
        fmt(x + 28.0)
    ));
    s.push_str("</g>\n");
    s
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Escapes text for XML content and attribute values; characters XML 1.0 forbids become U+FFFD.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::xml_escape("<script>&\"'\u{1}"),
            "&lt;script&gt;&amp;&quot;&#39;\u{FFFD}"
        );
    }
}
