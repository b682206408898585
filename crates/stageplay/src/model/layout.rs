//! A layered (Sugiyama-style) layout of the stage graph, left to right.
//!
//! Pipeline: nodes (stages, external images, `scratch`, the build context) → ranks (a stage's
//! rank is its dependency depth + 1; sources sit one rank before their first consumer) → dummy
//! nodes on every rank a long edge crosses → crossing reduction by barycentre sweeps (the best
//! order seen is kept) → y coordinates pulled toward neighbours while keeping order and gaps →
//! edges as polylines through their dummies, drawn as cubic curves. Edges only pass through
//! gaps between nodes, so they never cross a node box. Deterministic; no floating-point
//! surprises across platforms beyond `f32` arithmetic.

use super::{Base, EdgeKind, EdgeSource, Model};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Stage,
    Image,
    Scratch,
    Context,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Stage => "stage",
            NodeKind::Image => "image",
            NodeKind::Scratch => "scratch",
            NodeKind::Context => "context",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayoutNode {
    /// Stable id: `stage-<i>` for stages; `image-<n>`, `scratch-<n>` or `context-<n>` for
    /// sources.
    pub id: String,
    pub kind: NodeKind,
    /// The stage index for stage nodes.
    pub stage: Option<usize>,
    /// The main text: stage name, image reference, `scratch` or `build context`.
    pub label: String,
    /// A second line: the stage's base (`FROM …`), if any.
    pub detail: Option<String>,
    pub rank: usize,
    /// Top-left corner and size.
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    /// True when the chosen target needs this node.
    pub needed: bool,
    pub target: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayoutEdge {
    /// Indices into [`GraphLayout::nodes`].
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// The model edges drawn by this line (several `COPY --from=x` in one stage share one line).
    pub edges: Vec<usize>,
    /// Polyline from the source's right side to the target's left side; draw each segment as a
    /// cubic curve with horizontal tangents (see [`LayoutEdge::svg_path`]).
    pub points: Vec<Point>,
    pub needed: bool,
}

impl LayoutEdge {
    /// The SVG path data: one cubic segment per polyline segment.
    pub fn svg_path(&self) -> String {
        let mut d = String::new();
        let Some(first) = self.points.first() else {
            return d;
        };
        d.push_str(&format!("M{} {}", fmt(first.x), fmt(first.y)));
        for pair in self.points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let mx = (b.x - a.x) / 2.0;
            d.push_str(&format!(
                " C{} {} {} {} {} {}",
                fmt(a.x + mx),
                fmt(a.y),
                fmt(b.x - mx),
                fmt(b.y),
                fmt(b.x),
                fmt(b.y)
            ));
        }
        d
    }
}

/// Formats a coordinate with at most one decimal.
pub(crate) fn fmt(v: f32) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GraphLayout {
    pub width: f32,
    pub height: f32,
    pub nodes: Vec<LayoutNode>,
    pub edges: Vec<LayoutEdge>,
}

const MARGIN: f32 = 16.0;
const RANK_GAP: f32 = 64.0;
const NODE_GAP: f32 = 18.0;
const DUMMY_GAP: f32 = 8.0;
const CHAR_W: f32 = 7.0;
const MAX_LABEL: usize = 36;

/// Options for [`layout_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutOptions {
    /// Give a source (image, scratch, context) another node when its consumers are far apart.
    pub split_sources: bool,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            split_sources: true,
        }
    }
}

/// Lays out the graph of `model` with the default options.
pub fn layout(model: &Model) -> GraphLayout {
    layout_with(model, &LayoutOptions::default())
}

/// Lays out the graph of `model`.
pub fn layout_with(model: &Model, opts: &LayoutOptions) -> GraphLayout {
    let mut g = GraphLayout::default();
    let target = model.target;

    // Nodes: stages first (node i = stage i), then sources in order of first use.
    for s in &model.stages {
        let detail = match &s.base {
            Base::Stage(b) => model
                .stages
                .get(*b)
                .map(|b| format!("FROM {}", b.display_name())),
            Base::Image(_) | Base::Scratch => Some(format!("FROM {}", s.base_text)),
        };
        g.nodes.push(node(
            format!("stage-{}", s.index),
            NodeKind::Stage,
            Some(s.index),
            s.display_name(),
            detail,
        ));
        let n = g.nodes.len() - 1;
        g.nodes[n].needed = s.needed;
        g.nodes[n].target = target == Some(s.index);
    }
    // Sources (images, scratch, the build context) are shared by their consumers; with
    // `split_sources`, a consumer more than two ranks after a source's first use gets its own
    // copy of the source node, so a base image used all over a big file does not draw edges
    // across the whole graph.
    let rank_of_stage = |s: usize| model.stages.get(s).and_then(|s| s.level).unwrap_or(0) + 1;
    // Per (kind, label): the copies made so far as (rank of first use, node), oldest first.
    let mut sources: HashMap<(NodeKind, String), Vec<(usize, usize)>> = HashMap::new();
    let mut source_count = 0;
    let mut source_node =
        |g: &mut GraphLayout, kind: NodeKind, label: &str, rank: usize| -> usize {
            let copies = sources.entry((kind, label.to_string())).or_default();
            let reuse = copies
                .iter()
                .find(|(first, _)| !opts.split_sources || (rank >= *first && rank <= first + 2));
            if let Some(&(_, node)) = reuse {
                return node;
            }
            let id = format!("{}-{}", kind.as_str(), source_count);
            source_count += 1;
            g.nodes.push(node(id, kind, None, label.to_string(), None));
            copies.push((rank, g.nodes.len() - 1));
            g.nodes.len() - 1
        };
    // (from node, to node, kind, model edge)
    let mut raw: Vec<(usize, usize, EdgeKind, Option<usize>)> = Vec::new();
    for (e, edge) in model.edges.iter().enumerate() {
        if edge.to >= model.stages.len() {
            continue;
        }
        let rank = rank_of_stage(edge.to);
        let from = match &edge.from {
            EdgeSource::Stage(s) if *s < model.stages.len() => *s,
            EdgeSource::Stage(_) => continue,
            EdgeSource::Image(r) => source_node(&mut g, NodeKind::Image, r, rank),
            EdgeSource::Context => source_node(&mut g, NodeKind::Context, "build context", rank),
        };
        raw.push((from, edge.to, edge.kind, Some(e)));
    }
    for s in &model.stages {
        if s.base == Base::Scratch {
            let from = source_node(&mut g, NodeKind::Scratch, "scratch", rank_of_stage(s.index));
            raw.push((from, s.index, EdgeKind::From, None));
        }
    }
    // Merge parallel edges of the same kind.
    let mut merged: HashMap<(usize, usize, EdgeKind), usize> = HashMap::new();
    for (from, to, kind, e) in raw {
        if from == to {
            continue;
        }
        let needed = g.nodes[to].needed;
        match merged.get(&(from, to, kind)) {
            Some(&x) => g.edges[x].edges.extend(e),
            None => {
                merged.insert((from, to, kind), g.edges.len());
                g.edges.push(LayoutEdge {
                    from,
                    to,
                    kind,
                    edges: e.into_iter().collect(),
                    points: Vec::new(),
                    needed,
                });
            }
        }
    }
    for e in 0..g.edges.len() {
        if g.edges[e].needed {
            let from = g.edges[e].from;
            g.nodes[from].needed = true;
        }
    }

    // Ranks.
    let n = g.nodes.len();
    for s in &model.stages {
        g.nodes[s.index].rank = s.level.unwrap_or(0) + 1;
    }
    // A source sits one rank before its first consumer.
    let mut first_use: Vec<Option<usize>> = vec![None; n];
    for e in &g.edges {
        let r = g.nodes[e.to].rank;
        let slot = &mut first_use[e.from];
        *slot = Some(slot.map_or(r, |m| m.min(r)));
    }
    for (v, first) in first_use.iter().enumerate().skip(model.stages.len()) {
        g.nodes[v].rank = first.unwrap_or(1).saturating_sub(1);
    }
    let ranks = g.nodes.iter().map(|v| v.rank).max().map_or(0, |r| r + 1);

    // Layers with dummy nodes: entries are real node indices or dummies (n + k).
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); ranks];
    for (v, nd) in g.nodes.iter().enumerate() {
        layers[nd.rank].push(v);
    }
    let mut dummy_rank: Vec<usize> = Vec::new();
    let mut chains: Vec<Vec<usize>> = Vec::new();
    // Adjacency between consecutive layers (lower rank → higher rank).
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &g.edges {
        let (a, b) = (e.from, e.to);
        let (ra, rb) = (g.nodes[a].rank, g.nodes[b].rank);
        let mut chain = vec![a];
        if rb > ra + 1 {
            for (r, layer) in layers.iter_mut().enumerate().take(rb).skip(ra + 1) {
                let d = n + dummy_rank.len();
                dummy_rank.push(r);
                layer.push(d);
                down.push(Vec::new());
                up.push(Vec::new());
                chain.push(d);
            }
        }
        chain.push(b);
        for w in chain.windows(2) {
            let (p, q) = (w[0], w[1]);
            let (rp, rq) = (rank_of(&g, &dummy_rank, p), rank_of(&g, &dummy_rank, q));
            if rq == rp + 1 {
                down[p].push(q);
                up[q].push(p);
            }
        }
        chains.push(chain);
    }

    order_layers(&mut layers, &down, &up);

    // Sizes.
    let total = n + dummy_rank.len();
    let mut w = vec![0.0f32; total];
    let mut h = vec![2.0f32; total];
    for v in 0..n {
        let nd = &mut g.nodes[v];
        let text = nd.label.chars().count().min(MAX_LABEL).max(
            nd.detail
                .as_ref()
                .map_or(0, |d| d.chars().count().min(MAX_LABEL + 6)),
        );
        nd.w = (text as f32 * CHAR_W + 24.0).clamp(72.0, 300.0);
        nd.h = if nd.kind == NodeKind::Stage {
            44.0
        } else {
            28.0
        };
        w[v] = nd.w;
        h[v] = nd.h;
    }

    // x per rank.
    let mut rank_x = vec![MARGIN; ranks];
    let mut rank_w = vec![0.0f32; ranks];
    for layer in &layers {
        for &v in layer {
            let r = rank_of(&g, &dummy_rank, v);
            rank_w[r] = rank_w[r].max(w[v]);
        }
    }
    for r in 1..ranks {
        rank_x[r] = rank_x[r - 1] + rank_w[r - 1] + RANK_GAP;
    }

    // y: start stacked, then pull toward neighbours a few times.
    let mut y = vec![0.0f32; total];
    for layer in &layers {
        let mut top = MARGIN;
        for &v in layer {
            y[v] = top;
            top += h[v] + gap_after(v, n);
        }
    }
    for pass in 0..8 {
        let order: Vec<usize> = if pass % 2 == 0 {
            (0..ranks).collect()
        } else {
            (0..ranks).rev().collect()
        };
        for r in order {
            let adj = if pass % 2 == 0 { &up } else { &down };
            let layer = &layers[r];
            let desired: Vec<f32> = layer
                .iter()
                .map(|&v| {
                    let nb = &adj[v];
                    if nb.is_empty() {
                        y[v]
                    } else {
                        let c: f32 =
                            nb.iter().map(|&u| y[u] + h[u] / 2.0).sum::<f32>() / nb.len() as f32;
                        c - h[v] / 2.0
                    }
                })
                .collect();
            place(layer, &desired, &h, n, &mut y);
        }
    }
    let min_y = y.iter().copied().fold(f32::INFINITY, f32::min);
    let shift = if min_y.is_finite() {
        MARGIN - min_y
    } else {
        0.0
    };
    for v in y.iter_mut() {
        *v += shift;
    }

    for v in 0..n {
        let r = g.nodes[v].rank;
        g.nodes[v].x = rank_x[r] + (rank_w[r] - w[v]) / 2.0;
        g.nodes[v].y = y[v];
    }
    let dummy_x = |d: usize| {
        let r = dummy_rank[d - n];
        (rank_x[r], rank_x[r] + rank_w[r])
    };

    // Edge points with ports spread along the node sides.
    let mut out_ports: Vec<Vec<(f32, usize)>> = vec![Vec::new(); n];
    let mut in_ports: Vec<Vec<(f32, usize)>> = vec![Vec::new(); n];
    for (e, chain) in chains.iter().enumerate() {
        let (first, last) = (chain[0], chain[chain.len() - 1]);
        let next = chain[1];
        let prev = chain[chain.len() - 2];
        out_ports[first].push((y[next] + h[next] / 2.0, e));
        in_ports[last].push((y[prev] + h[prev] / 2.0, e));
    }
    // Each edge's slot among its node's ports, sorted by the neighbour's height (once per
    // node, so a node with many edges costs O(p log p), not O(p²)).
    let slots = |ports: &mut [Vec<(f32, usize)>]| -> Vec<(usize, usize)> {
        let mut slot = vec![(0, 1); chains.len()];
        for list in ports.iter_mut() {
            crate::sort::sort_by(list, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for (k, &(_, e)) in list.iter().enumerate() {
                slot[e] = (k, list.len());
            }
        }
        slot
    };
    let out_slot = slots(&mut out_ports);
    let in_slot = slots(&mut in_ports);
    let port_y = |(k, count): (usize, usize), v: usize| -> f32 {
        let span = h[v] * 0.6;
        let c = y[v] + h[v] / 2.0;
        if count <= 1 {
            c
        } else {
            c - span / 2.0 + span * k as f32 / (count - 1) as f32
        }
    };
    for (e, chain) in chains.iter().enumerate() {
        let (first, last) = (chain[0], chain[chain.len() - 1]);
        let mut pts = Vec::with_capacity(chain.len());
        let sy = port_y(out_slot[e], first);
        pts.push(Point {
            x: g.nodes[first].x + g.nodes[first].w,
            y: sy,
        });
        // Through each rank the edge crosses, run straight along its dummy's slot, so curves
        // bend only in the gaps between ranks and never cross a node box.
        for &d in &chain[1..chain.len() - 1] {
            let (left, right) = dummy_x(d);
            let cy = y[d] + h[d] / 2.0;
            pts.push(Point { x: left, y: cy });
            pts.push(Point { x: right, y: cy });
        }
        let ty = port_y(in_slot[e], last);
        pts.push(Point {
            x: g.nodes[last].x,
            y: ty,
        });
        g.edges[e].points = pts;
    }

    g.width = rank_x
        .last()
        .zip(rank_w.last())
        .map_or(2.0 * MARGIN, |(x, w)| x + w + MARGIN);
    g.height = (0..total).map(|v| y[v] + h[v]).fold(0.0f32, f32::max) + MARGIN;
    g
}

fn node(
    id: String,
    kind: NodeKind,
    stage: Option<usize>,
    label: String,
    detail: Option<String>,
) -> LayoutNode {
    LayoutNode {
        id,
        kind,
        stage,
        label,
        detail,
        rank: 0,
        x: 0.0,
        y: 0.0,
        w: 0.0,
        h: 0.0,
        needed: false,
        target: false,
    }
}

fn rank_of(g: &GraphLayout, dummy_rank: &[usize], v: usize) -> usize {
    match g.nodes.get(v) {
        Some(nd) => nd.rank,
        None => dummy_rank.get(v - g.nodes.len()).copied().unwrap_or(0),
    }
}

fn gap_after(v: usize, n: usize) -> f32 {
    if v >= n {
        DUMMY_GAP
    } else {
        NODE_GAP
    }
}

/// Places a layer's nodes as close to `desired` as order and gaps allow, in the least-squares
/// sense: with `z_i = y_i - offset_i` the gaps become `z` non-decreasing, which pool-adjacent-
/// violators solves exactly.
fn place(layer: &[usize], desired: &[f32], h: &[f32], n: usize, y: &mut [f32]) {
    let mut offset = 0.0f32;
    let mut offsets = Vec::with_capacity(layer.len());
    for &v in layer {
        offsets.push(offset);
        offset += h[v] + gap_after(v, n);
    }
    // Blocks of (mean target, weight).
    let mut blocks: Vec<(f32, f32, usize)> = Vec::with_capacity(layer.len());
    for (i, d) in desired.iter().enumerate() {
        let mut block = (d - offsets[i], 1.0f32, 1usize);
        while let Some(&(m, w, c)) = blocks.last() {
            if m <= block.0 {
                break;
            }
            blocks.pop();
            let total = w + block.1;
            block = ((m * w + block.0 * block.1) / total, total, c + block.2);
        }
        blocks.push(block);
    }
    let mut i = 0;
    for (m, _, c) in blocks {
        for _ in 0..c {
            if let Some(&v) = layer.get(i) {
                y[v] = m + offsets[i];
            }
            i += 1;
        }
    }
}

/// Crossing reduction: barycentre sweeps down and up; the order with the fewest crossings wins.
fn order_layers(layers: &mut [Vec<usize>], down: &[Vec<usize>], up: &[Vec<usize>]) {
    let total = down.len();
    let mut pos = vec![0.0f32; total];
    let set_pos = |layers: &[Vec<usize>], pos: &mut Vec<f32>| {
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i as f32;
            }
        }
    };
    set_pos(layers, &mut pos);
    let mut best = layers.to_vec();
    let mut best_crossings = crossings(layers, down, &pos);
    for iter in 0..12 {
        if best_crossings == 0 {
            break;
        }
        let downward = iter % 2 == 0;
        let rs: Vec<usize> = if downward {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for r in rs {
            let adj = if downward { up } else { down };
            let mut keyed: Vec<(f32, usize, usize)> = layers[r]
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let nb = &adj[v];
                    let key = if nb.is_empty() {
                        i as f32
                    } else {
                        nb.iter().map(|&u| pos[u]).sum::<f32>() / nb.len() as f32
                    };
                    (key, i, v)
                })
                .collect();
            crate::sort::sort_by(&mut keyed, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[r] = keyed.into_iter().map(|(_, _, v)| v).collect();
            for (i, &v) in layers[r].iter().enumerate() {
                pos[v] = i as f32;
            }
        }
        let c = crossings(layers, down, &pos);
        if c < best_crossings {
            best_crossings = c;
            best = layers.to_vec();
        }
    }
    layers.clone_from_slice(&best);
}

/// Number of edge crossings between consecutive layers: two segments cross when their ends
/// are in strictly opposite order on both layers. Counted as the inversions of the lower ends
/// once the segments are sorted by (upper end, lower end), in O(E log E) per layer.
fn crossings(layers: &[Vec<usize>], down: &[Vec<usize>], pos: &[f32]) -> usize {
    let mut total = 0;
    let mut segs: Vec<(f32, f32)> = Vec::new();
    let mut lower: Vec<f32> = Vec::new();
    let mut scratch: Vec<f32> = Vec::new();
    for layer in layers {
        segs.clear();
        for &v in layer {
            for &u in &down[v] {
                segs.push((pos[v], pos[u]));
            }
        }
        // Segments with the same upper end never cross; sorting them by lower end keeps them
        // from counting as inversions.
        crate::sort::sort_by(&mut segs, |a, b| {
            a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1))
        });
        lower.clear();
        lower.extend(segs.iter().map(|s| s.1));
        total += inversions(&mut lower, &mut scratch);
    }
    total
}

/// Pairs `i < j` with `v[i] > v[j]` (strictly), by merge sort; sorts `v`.
fn inversions(v: &mut [f32], scratch: &mut Vec<f32>) -> usize {
    let len = v.len();
    if len < 2 {
        return 0;
    }
    let mid = len / 2;
    let mut count = inversions(&mut v[..mid], scratch) + inversions(&mut v[mid..], scratch);
    scratch.clear();
    let (mut i, mut j) = (0, mid);
    while i < mid && j < len {
        if v[j] < v[i] {
            // v[j] is smaller than every element left in the first half.
            count += mid - i;
            scratch.push(v[j]);
            j += 1;
        } else {
            scratch.push(v[i]);
            i += 1;
        }
    }
    scratch.extend_from_slice(&v[i..mid]);
    scratch.extend_from_slice(&v[j..len]);
    v.copy_from_slice(scratch);
    count
}

#[cfg(test)]
mod tests {
    use super::crossings;

    /// The pairwise definition the O(E log E) count must agree with.
    fn brute(layers: &[Vec<usize>], down: &[Vec<usize>], pos: &[f32]) -> usize {
        let mut total = 0;
        for layer in layers {
            let segs: Vec<(f32, f32)> = layer
                .iter()
                .flat_map(|&v| down[v].iter().map(move |&u| (pos[v], pos[u])))
                .collect();
            for i in 0..segs.len() {
                for j in i + 1..segs.len() {
                    let (a, b) = (segs[i], segs[j]);
                    if (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1) {
                        total += 1;
                    }
                }
            }
        }
        total
    }

    #[test]
    fn crossings_match_the_pairwise_count() {
        // Three layers of sizes 7, 9, 5 with pseudo-random edges (ties and parallel edges
        // included) between consecutive layers, under several orders.
        let mut seed = 0x2545_f491_u64;
        let mut next = |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        for _ in 0..50 {
            let sizes = [7, 9, 5];
            let mut layers: Vec<Vec<usize>> = Vec::new();
            let mut id = 0;
            for s in sizes {
                layers.push((id..id + s).collect());
                id += s;
            }
            let mut down = vec![Vec::new(); id];
            for r in 0..2 {
                for _ in 0..12 {
                    let a = layers[r][next(layers[r].len())];
                    let b = layers[r + 1][next(layers[r + 1].len())];
                    down[a].push(b);
                }
            }
            let mut pos = vec![0.0f32; id];
            for layer in &mut layers {
                for k in (1..layer.len()).rev() {
                    layer.swap(k, next(k + 1));
                }
                for (i, &v) in layer.iter().enumerate() {
                    pos[v] = i as f32;
                }
            }
            assert_eq!(crossings(&layers, &down, &pos), brute(&layers, &down, &pos));
        }
    }
}
