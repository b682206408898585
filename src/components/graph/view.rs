//! The interactive stage graph: the engine's layout drawn as Yew SVG elements, with zoom
//! (buttons, wheel, `+`/`-`/`0`) and pan (drag, arrow keys, scrollbars).
//!
//! The SVG sits in a scrolling viewport at `scale` times its layout size, so panning is plain
//! scrolling and zooming keeps the point under the pointer in place.
//!
//! The default view (and Fit) fits the graph's width, but never below [`READABLE`]: a graph too
//! wide for that is shown at a readable size, scrolled to the target stage and the stages it
//! depends on directly ([`focus_scroll`]). The default view follows the viewport's width (a
//! splitter drag, a phone showing the analysis) until the user zooms.

use stageplay::analysis::Analysis;
use stageplay::model::export::edge_title;
use stageplay::model::layout::{GraphLayout, LayoutNode, NodeKind};
use stageplay::model::EdgeKind;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ResizeObserver};
use yew::prelude::*;

const MIN_SCALE: f64 = 0.2;
const MAX_SCALE: f64 = 3.0;
/// The default view and Fit never shrink below this: a stage's name (12 px in the layout) stays
/// at least 10 px on screen, and the viewport scrolls instead.
pub const READABLE: f64 = 0.84;
const _: () = assert!(12.0 * READABLE >= 10.0);
const PAN_STEP: i32 = 48;
/// Room kept around the target and its dependencies when the view is scrolled to them.
const FOCUS_PAD: f64 = 16.0;

#[derive(Properties)]
pub struct GraphViewProps {
    pub analysis: Rc<Analysis>,
    pub layout: Rc<GraphLayout>,
    /// The stage that contains the editor's cursor.
    pub current: Option<usize>,
    /// A stage node was clicked or activated with the keyboard.
    pub on_select: Callback<usize>,
}

impl PartialEq for GraphViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis)
            && Rc::ptr_eq(&self.layout, &other.layout)
            && self.current == other.current
    }
}

fn clamp_scale(s: f64) -> f64 {
    s.clamp(MIN_SCALE, MAX_SCALE)
}

/// The scale of the default view: the graph's width fitted into `avail` pixels, never below
/// [`READABLE`] nor above 1 (`None` while the viewport has no width, e.g. hidden).
pub fn fit_scale(avail: f64, width: f64) -> Option<f64> {
    (avail > 0.0 && width > 0.0).then(|| (avail / width).clamp(READABLE, 1.0))
}

/// The node the default view shows: the target stage, or the last stage.
pub fn focus_node(layout: &GraphLayout) -> Option<usize> {
    layout.nodes.iter().position(|n| n.target).or_else(|| {
        layout
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.stage.is_some())
            .max_by_key(|(_, n)| n.stage)
            .map(|(i, _)| i)
    })
}

/// A rectangle in layout units: left, top, right, bottom.
type Rect = (f64, f64, f64, f64);

fn rect_of(n: &LayoutNode) -> Rect {
    let (x, y) = (f64::from(n.x), f64::from(n.y));
    (x, y, x + f64::from(n.w), y + f64::from(n.h))
}

/// The scroll position (left, top, in pixels) that shows node `focus` and its direct
/// dependencies (the nodes with an edge into it) in a `vw`×`vh` viewport at `scale`: all of
/// them centred when they fit; otherwise the focus node with as many of its dependencies as fit
/// (they lie to its left) — its right edge at the viewport's right, and centred vertically.
pub fn focus_scroll(
    layout: &GraphLayout,
    focus: usize,
    scale: f64,
    vw: f64,
    vh: f64,
) -> (f64, f64) {
    let Some(node) = layout.nodes.get(focus) else {
        return (0.0, 0.0);
    };
    let target = rect_of(node);
    let near = layout
        .edges
        .iter()
        .filter(|e| e.to == focus)
        .filter_map(|e| layout.nodes.get(e.from))
        .map(rect_of)
        .fold(target, |a, b| {
            (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3))
        });
    let (left, top, right, bottom) = (
        near.0 - FOCUS_PAD,
        near.1 - FOCUS_PAD,
        near.2 + FOCUS_PAD,
        near.3 + FOCUS_PAD,
    );
    let x = if (right - left) * scale <= vw {
        (left + right) / 2.0 * scale - vw / 2.0
    } else {
        (target.2 + FOCUS_PAD) * scale - vw
    };
    let y = if (bottom - top) * scale <= vh {
        (top + bottom) / 2.0 * scale - vh / 2.0
    } else {
        (target.1 + target.3) / 2.0 * scale - vh / 2.0
    };
    (x.max(0.0), y.max(0.0))
}

/// What to do with the scroll position after the next render (at the new scale).
#[derive(Clone, Copy)]
enum After {
    /// Keep the layout point (ux, uy) under the viewport point (px, py) (a zoom).
    Anchor { px: f64, py: f64, ux: f64, uy: f64 },
    /// Show the target and its dependencies ([`focus_scroll`]).
    Focus,
}

/// Rounds a coordinate to one decimal for attributes.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max - 1).collect::<String>() + "…"
    }
}

/// The tooltip and accessible name of a node.
fn node_title(n: &LayoutNode) -> String {
    let mut title = match n.kind {
        NodeKind::Stage => format!("Stage {}", n.label),
        NodeKind::Image => format!("Image {}", n.label),
        NodeKind::Scratch => "scratch (empty base)".to_string(),
        NodeKind::Context => "The build context".to_string(),
    };
    if let Some(d) = &n.detail {
        title.push_str(", ");
        title.push_str(d);
    }
    if n.target {
        title.push_str(" (target)");
    } else if n.kind == NodeKind::Stage && !n.needed {
        title.push_str(" (skipped for this target)");
    }
    title
}

#[component(GraphView)]
pub fn graph_view(props: &GraphViewProps) -> Html {
    let viewport = use_node_ref();
    let scale = use_mut_ref(|| 1.0f64);
    // True while the view is the default one (it follows the viewport's width); a zoom ends it.
    let auto = use_mut_ref(|| true);
    let rerender = use_force_update();
    let after = use_mut_ref(|| None::<After>);
    // The layout of the latest render, for the viewport's resize observer.
    let latest = use_mut_ref(|| props.layout.clone());
    *latest.borrow_mut() = props.layout.clone();
    let drag = use_mut_ref(|| None::<(i32, i32, i32, i32)>);
    let dragged = use_mut_ref(|| false);
    let hover = use_state(|| None::<String>);
    let layout = props.layout.clone();
    let (width, height) = (f64::from(layout.width), f64::from(layout.height));

    // The default view: the width fitted (never below readable), scrolled to the target.
    let default_view = {
        let viewport = viewport.clone();
        let scale = scale.clone();
        let auto = auto.clone();
        let after = after.clone();
        let rerender = rerender.clone();
        let latest = latest.clone();
        Rc::new(move || {
            let Some(vp) = viewport.cast::<HtmlElement>() else {
                return;
            };
            let width = f64::from(latest.borrow().width);
            if let Some(s) = fit_scale(f64::from(vp.client_width()) - 4.0, width) {
                *scale.borrow_mut() = s;
                *auto.borrow_mut() = true;
                *after.borrow_mut() = Some(After::Focus);
                rerender.force_update();
            }
        })
    };
    // When the graph first appears, when its node count or target changes.
    {
        let default_view = default_view.clone();
        let focus = focus_node(&layout);
        use_effect_with((layout.nodes.len(), focus), move |_| default_view());
    }
    // While the view is the default one, it follows the viewport's width (also from zero: a
    // phone that showed the editor).
    {
        let viewport = viewport.clone();
        let auto = auto.clone();
        let default_view = default_view.clone();
        use_effect_with((), move |_| {
            let seen = std::cell::Cell::new(-1);
            let observer = viewport.cast::<HtmlElement>().and_then(|vp| {
                let vp2 = vp.clone();
                let on_resize = Closure::<dyn FnMut()>::new(move || {
                    let w = vp2.client_width();
                    if w != seen.replace(w) && *auto.borrow() {
                        default_view();
                    }
                });
                let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
                observer.observe(&vp);
                Some((observer, on_resize))
            });
            move || {
                if let Some((observer, _)) = observer {
                    observer.disconnect();
                }
            }
        });
    }
    // After a render at a new scale: keep the zoom's anchor, or show the target.
    {
        let viewport = viewport.clone();
        let after = after.clone();
        let scale = scale.clone();
        let layout = layout.clone();
        use_effect(move || {
            let (Some(todo), Some(vp)) =
                (after.borrow_mut().take(), viewport.cast::<HtmlElement>())
            else {
                return;
            };
            let s = *scale.borrow();
            let (left, top) = match todo {
                After::Anchor { px, py, ux, uy } => (ux * s - px, uy * s - py),
                After::Focus => match focus_node(&layout) {
                    Some(f) => focus_scroll(
                        &layout,
                        f,
                        s,
                        f64::from(vp.client_width()),
                        f64::from(vp.client_height()),
                    ),
                    None => (0.0, 0.0),
                },
            };
            vp.set_scroll_left(left.round() as i32);
            vp.set_scroll_top(top.round() as i32);
        });
    }

    // Bring the stage at the cursor into view when the cursor moves to another stage.
    {
        let viewport = viewport.clone();
        let scale = scale.clone();
        let layout = layout.clone();
        use_effect_with(props.current, move |current| {
            let node = current.and_then(|c| layout.nodes.iter().find(|n| n.stage == Some(c)));
            if let (Some(n), Some(vp)) = (node, viewport.cast::<HtmlElement>()) {
                let s = *scale.borrow();
                let reveal = |start: f32, size: f32, scroll: i32, client: i32| {
                    let (a, b) = (f64::from(start) * s, f64::from(start + size) * s);
                    let (lo, hi) = (f64::from(scroll), f64::from(scroll + client));
                    (a < lo || b > hi).then(|| ((a + b) / 2.0 - f64::from(client) / 2.0) as i32)
                };
                if let Some(left) = reveal(n.x, n.w, vp.scroll_left(), vp.client_width()) {
                    vp.set_scroll_left(left);
                }
                if let Some(top) = reveal(n.y, n.h, vp.scroll_top(), vp.client_height()) {
                    vp.set_scroll_top(top);
                }
            }
        });
    }

    // Zoom by `factor` around a viewport point (`None`: the viewport's centre); factor 0 is Fit
    // (the default view).
    let zoom = {
        let viewport = viewport.clone();
        let scale = scale.clone();
        let auto = auto.clone();
        let after = after.clone();
        let rerender = rerender.clone();
        let default_view = default_view.clone();
        Rc::new(move |factor: f64, at: Option<(f64, f64)>| {
            if factor == 0.0 {
                return default_view();
            }
            let Some(vp) = viewport.cast::<HtmlElement>() else {
                return;
            };
            let (px, py) = at.unwrap_or((
                f64::from(vp.client_width()) / 2.0,
                f64::from(vp.client_height()) / 2.0,
            ));
            let old = *scale.borrow();
            let new = clamp_scale(old * factor);
            let ux = (f64::from(vp.scroll_left()) + px) / old;
            let uy = (f64::from(vp.scroll_top()) + py) / old;
            *after.borrow_mut() = Some(After::Anchor { px, py, ux, uy });
            *scale.borrow_mut() = new;
            *auto.borrow_mut() = false;
            rerender.force_update();
        })
    };
    let button = |label: &'static str, title: &'static str, factor: f64| {
        let zoom = zoom.clone();
        let onclick = Callback::from(move |_| zoom(factor, None));
        html! { <button class="button graph-zoom" {title} aria-label={title} {onclick}>{ label }</button> }
    };
    let onwheel = {
        let zoom = zoom.clone();
        let viewport = viewport.clone();
        Callback::from(move |e: WheelEvent| {
            let Some(vp) = viewport.cast::<HtmlElement>() else {
                return;
            };
            e.prevent_default();
            let rect = vp.get_bounding_client_rect();
            let at = (
                f64::from(e.client_x()) - rect.left(),
                f64::from(e.client_y()) - rect.top(),
            );
            let factor = if e.delta_y() < 0.0 { 1.15 } else { 1.0 / 1.15 };
            zoom(factor, Some(at));
        })
    };
    let onkeydown = {
        let zoom = zoom.clone();
        let viewport = viewport.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let Some(vp) = viewport.cast::<HtmlElement>() else {
                return;
            };
            let (dx, dy) = match e.key().as_str() {
                "ArrowLeft" => (-PAN_STEP, 0),
                "ArrowRight" => (PAN_STEP, 0),
                "ArrowUp" => (0, -PAN_STEP),
                "ArrowDown" => (0, PAN_STEP),
                "+" | "=" => {
                    e.prevent_default();
                    return zoom(1.25, None);
                }
                "-" => {
                    e.prevent_default();
                    return zoom(0.8, None);
                }
                "0" => {
                    e.prevent_default();
                    return zoom(0.0, None);
                }
                _ => return,
            };
            e.prevent_default();
            vp.set_scroll_left(vp.scroll_left() + dx);
            vp.set_scroll_top(vp.scroll_top() + dy);
        })
    };
    // Drag to pan (mouse only: touch scrolls natively).
    let onpointerdown = {
        let viewport = viewport.clone();
        let drag = drag.clone();
        let dragged = dragged.clone();
        Callback::from(move |e: PointerEvent| {
            if e.pointer_type() != "mouse" || e.button() != 0 {
                return;
            }
            if let Some(vp) = viewport.cast::<HtmlElement>() {
                *drag.borrow_mut() = Some((
                    e.client_x(),
                    e.client_y(),
                    vp.scroll_left(),
                    vp.scroll_top(),
                ));
                *dragged.borrow_mut() = false;
            }
        })
    };
    let onpointermove = {
        let viewport = viewport.clone();
        let drag = drag.clone();
        let dragged = dragged.clone();
        Callback::from(move |e: PointerEvent| {
            let Some((x, y, left, top)) = *drag.borrow() else {
                return;
            };
            let (dx, dy) = (e.client_x() - x, e.client_y() - y);
            if dx.abs() + dy.abs() > 3 {
                *dragged.borrow_mut() = true;
            }
            if *dragged.borrow() {
                if let Some(vp) = viewport.cast::<HtmlElement>() {
                    vp.set_scroll_left(left - dx);
                    vp.set_scroll_top(top - dy);
                }
            }
        })
    };
    let end_drag = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| *drag.borrow_mut() = None)
    };

    let model = &props.analysis.model;
    let current = props.current;
    let edges = layout.edges.iter().map(|e| {
        let title = edge_title(model, &layout, e);
        let kind = match e.kind {
            EdgeKind::From => "edge-from",
            EdgeKind::Copy => "edge-copy",
            EdgeKind::Mount => "edge-mount",
        };
        let stage_of = |i: usize| layout.nodes.get(i).and_then(|n| n.stage);
        let touching =
            current.is_some() && (stage_of(e.from) == current || stage_of(e.to) == current);
        let class = classes!(
            "edge",
            kind,
            if e.needed { "needed" } else { "skipped" },
            touching.then_some("current")
        );
        let d = e.svg_path();
        let marker = if e.needed {
            "url(#sgv-arrow)"
        } else {
            "url(#sgv-arrow-skipped)"
        };
        let onmouseenter = {
            let hover = hover.clone();
            let title = title.clone();
            Callback::from(move |_| hover.set(Some(title.clone())))
        };
        let onmouseleave = {
            let hover = hover.clone();
            Callback::from(move |_| hover.set(None))
        };
        html! {
            <g {class} {onmouseenter} {onmouseleave}>
                <title>{ title }</title>
                <path class="edge-hit" d={d.clone()} />
                <path class="edge-line" {d} marker-end={marker} />
            </g>
        }
    });
    let nodes = layout.nodes.iter().map(|n| {
        let title = node_title(n);
        let is_current = n.stage.is_some() && n.stage == current;
        let class = classes!(
            "node",
            format!("node-{}", n.kind.as_str()),
            if n.needed { "needed" } else { "skipped" },
            n.target.then_some("target"),
            is_current.then_some("current")
        );
        let (x, y, w, h) = (
            f64::from(n.x),
            f64::from(n.y),
            f64::from(n.w),
            f64::from(n.h),
        );
        let cx = num(x + w / 2.0);
        let text = match &n.detail {
            Some(d) => html! {
                <>
                    <text class="label" x={cx.clone()} y={num(y + 18.0)} text-anchor="middle">{ truncate(&n.label, 36) }</text>
                    <text class="detail" x={cx} y={num(y + 34.0)} text-anchor="middle">{ truncate(d, 42) }</text>
                </>
            },
            None => html! {
                <text class="label" x={cx} y={num(y + h / 2.0 + 4.0)} text-anchor="middle">{ truncate(&n.label, 36) }</text>
            },
        };
        let rect = html! {
            <rect x={num(x)} y={num(y)} width={num(w)} height={num(h)}
                rx={if n.kind == NodeKind::Image { "14" } else { "6" }} />
        };
        match n.stage {
            Some(stage) => {
                let onclick = {
                    let on_select = props.on_select.clone();
                    let dragged = dragged.clone();
                    Callback::from(move |_: MouseEvent| {
                        if !std::mem::replace(&mut *dragged.borrow_mut(), false) {
                            on_select.emit(stage);
                        }
                    })
                };
                let onkeydown = {
                    let on_select = props.on_select.clone();
                    Callback::from(move |e: KeyboardEvent| {
                        if e.key() == "Enter" || e.key() == " " {
                            e.prevent_default();
                            e.stop_propagation();
                            on_select.emit(stage);
                        }
                    })
                };
                let onfocus = {
                    let hover = hover.clone();
                    let title = title.clone();
                    Callback::from(move |_| hover.set(Some(title.clone())))
                };
                html! {
                    <g {class} data-stage={stage.to_string()} tabindex="0" role="button"
                        aria-label={title.clone()} {onclick} {onkeydown} {onfocus}>
                        <title>{ title }</title>{ rect }{ text }
                    </g>
                }
            }
            None => html! { <g {class}><title>{ title }</title>{ rect }{ text }</g> },
        }
    });

    let s = *scale.borrow();
    html! {
        <div class="graph-view">
            <div class="graph-toolbar" role="toolbar" aria-label="Zoom">
                { button("−", "Zoom out", 0.8) }
                <span class="graph-zoom-level" aria-live="polite">{ format!("{:.0}%", s * 100.0) }</span>
                { button("+", "Zoom in", 1.25) }
                { button("Fit", "Fit the width (never below a readable size: a wide graph shows its target)", 0.0) }
                { button("100%", "Actual size", 1.0 / s) }
            </div>
            <div class="graph-viewport" ref={viewport} tabindex="0" role="group"
                style={format!("height: clamp(120px, {}px, 60vh)", (height * s).ceil() + 20.0)}
                aria-label="Stage graph: arrow keys pan, + and - zoom, 0 fits (or shows the target); Tab reaches the stages"
                {onwheel} {onkeydown} {onpointerdown} {onpointermove}
                onpointerup={end_drag.clone()} onpointerleave={end_drag}>
                <svg class="stage-graph" xmlns="http://www.w3.org/2000/svg"
                    width={num(width * s)} height={num(height * s)}
                    viewBox={format!("0 0 {} {}", num(width), num(height))}>
                    <defs>
                        <marker id="sgv-arrow" viewBox="0 0 10 10" refX="10" refY="5"
                            markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path class="arrow-head" d="M0 0L10 5L0 10z" />
                        </marker>
                        <marker id="sgv-arrow-skipped" viewBox="0 0 10 10" refX="10" refY="5"
                            markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path class="arrow-head skipped" d="M0 0L10 5L0 10z" />
                        </marker>
                    </defs>
                    <g class="edges">{ for edges }</g>
                    <g class="nodes">{ for nodes }</g>
                </svg>
            </div>
            <p class="graph-hover" aria-live="polite">
                { hover.as_deref().unwrap_or("Hover an edge to see its instruction and line; click a stage to jump to its FROM line.") }
            </p>
            <Legend />
        </div>
    }
}

/// The key to node and edge styles, drawn with the same classes as the graph.
#[component(Legend)]
fn legend() -> Html {
    let edge = |class: &'static str, label: &'static str| {
        html! {
            <li>
                <svg width="34" height="12" aria-hidden="true" class="stage-graph">
                    <g class={classes!("edge", class, "needed")}><path class="edge-line" d="M1 6 L33 6" /></g>
                </svg>
                { label }
            </li>
        }
    };
    let node = |class: &'static str, label: &'static str| {
        html! {
            <li>
                <svg width="26" height="16" aria-hidden="true" class="stage-graph">
                    <g class={classes!("node", class, "needed")}><rect x="1" y="1" width="24" height="14" rx="4" /></g>
                </svg>
                { label }
            </li>
        }
    };
    html! {
        <ul class="graph-legend" aria-label="Legend">
            { node("node-stage", "stage") }
            { node("node-image", "external image") }
            { node("node-scratch", "scratch") }
            { node("node-context", "build context") }
            { edge("edge-from", "FROM") }
            { edge("edge-copy", "COPY --from") }
            { edge("edge-mount", "RUN --mount from=") }
            <li><svg width="26" height="16" aria-hidden="true" class="stage-graph"><g class="node node-stage needed target"><rect x="2" y="2" width="22" height="12" rx="4" /></g></svg>{ "target" }</li>
            <li><svg width="26" height="16" aria-hidden="true" class="stage-graph"><g class="node node-stage skipped"><rect x="1" y="1" width="24" height="14" rx="4" /></g></svg>{ "skipped" }</li>
            <li><svg width="26" height="16" aria-hidden="true" class="stage-graph"><g class="node node-stage needed current"><rect x="2" y="2" width="22" height="12" rx="4" /></g></svg>{ "at the cursor" }</li>
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stageplay::analysis::{analyze, AnalysisOptions};
    use stageplay::model::layout::layout;

    const MONOREPO: &str = include_str!("../../../tests/e2e/data/monorepo-33.Dockerfile");

    fn graph(text: &str, target: Option<&str>) -> GraphLayout {
        let options = AnalysisOptions {
            target: target.map(str::to_string),
            ..AnalysisOptions::default()
        };
        layout(&analyze(text, &options).model)
    }

    /// The node's rectangle on screen, relative to the viewport scrolled to `scroll`.
    fn on_screen(g: &GraphLayout, i: usize, s: f64, scroll: (f64, f64)) -> Rect {
        let r = rect_of(&g.nodes[i]);
        (
            r.0 * s - scroll.0,
            r.1 * s - scroll.1,
            r.2 * s - scroll.0,
            r.3 * s - scroll.1,
        )
    }

    fn inside(r: Rect, vw: f64, vh: f64) -> bool {
        r.0 >= 0.0 && r.1 >= 0.0 && r.2 <= vw && r.3 <= vh
    }

    #[test]
    fn fit_never_goes_below_readable_nor_above_actual_size() {
        assert_eq!(fit_scale(0.0, 600.0), None);
        assert_eq!(fit_scale(300.0, 0.0), None);
        assert_eq!(fit_scale(1200.0, 600.0), Some(1.0));
        assert_eq!(fit_scale(540.0, 600.0), Some(0.9));
        assert_eq!(fit_scale(100.0, 3000.0), Some(READABLE));
    }

    #[test]
    fn on_a_33_stage_file_the_default_view_shows_the_target_and_its_dependencies() {
        let g = graph(MONOREPO, None);
        assert_eq!(g.nodes.iter().filter(|n| n.stage.is_some()).count(), 33);
        let focus = focus_node(&g).expect("a target");
        assert_eq!(g.nodes[focus].label, "release");
        // A wide pane and a phone's pane: far too narrow for the whole graph at a readable size.
        for (vw, vh) in [(680.0, 540.0), (354.0, 500.0)] {
            let s = fit_scale(vw - 4.0, f64::from(g.width)).unwrap();
            assert_eq!(s, READABLE, "{vw}: the graph is {} wide", g.width);
            let scroll = focus_scroll(&g, focus, s, vw, vh);
            assert!(
                inside(on_screen(&g, focus, s, scroll), vw, vh),
                "{vw}×{vh}: the target is in view"
            );
            let deps: Vec<usize> = g
                .edges
                .iter()
                .filter(|e| e.to == focus)
                .map(|e| e.from)
                .collect();
            assert!(
                deps.len() >= 8,
                "release copies from 8 stages and is FROM base"
            );
            let seen = deps
                .iter()
                .filter(|&&d| {
                    let r = on_screen(&g, d, s, scroll);
                    r.2 > 0.0 && r.0 < vw && r.3 > 0.0 && r.1 < vh
                })
                .count();
            assert!(seen >= 2, "{vw}×{vh}: {seen} dependencies in view");
        }
    }

    #[test]
    fn a_chosen_target_is_the_focus_and_a_small_graph_is_centred_whole() {
        let g = graph(MONOREPO, Some("gateway-build"));
        let focus = focus_node(&g).unwrap();
        assert_eq!(g.nodes[focus].label, "gateway-build");
        let small = graph(
            "FROM alpine AS a\nRUN true\nFROM a\nCOPY --from=a /x /x\n",
            None,
        );
        let focus = focus_node(&small).unwrap();
        assert_eq!(small.nodes[focus].stage, Some(1));
        let (vw, vh) = (
            f64::from(small.width) + 200.0,
            f64::from(small.height) + 200.0,
        );
        let scroll = focus_scroll(&small, focus, 1.0, vw, vh);
        for i in 0..small.nodes.len() {
            assert!(inside(on_screen(&small, i, 1.0, scroll), vw, vh));
        }
    }
}
