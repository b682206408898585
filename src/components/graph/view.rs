//! The interactive stage graph: the engine's layout drawn as Yew SVG elements, with zoom
//! (buttons, wheel, `+`/`-`/`0`) and pan (drag, arrow keys, scrollbars).
//!
//! The SVG sits in a scrolling viewport at `scale` times its layout size, so panning is plain
//! scrolling and zooming keeps the point under the pointer in place.

use stageplay::analysis::Analysis;
use stageplay::model::export::edge_title;
use stageplay::model::layout::{GraphLayout, LayoutNode, NodeKind};
use stageplay::model::EdgeKind;
use std::rc::Rc;
use web_sys::HtmlElement;
use yew::prelude::*;

const MIN_SCALE: f64 = 0.2;
const MAX_SCALE: f64 = 3.0;
/// Auto-fit never shrinks below this: text stays readable and the viewport scrolls instead.
const MIN_FIT: f64 = 0.7;
const PAN_STEP: i32 = 48;

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
    let rerender = use_force_update();
    // Graph units under a viewport point, to keep in place after the next render.
    let anchor = use_mut_ref(|| None::<(f64, f64, f64, f64)>);
    let drag = use_mut_ref(|| None::<(i32, i32, i32, i32)>);
    let dragged = use_mut_ref(|| false);
    let hover = use_state(|| None::<String>);
    let layout = props.layout.clone();
    let (width, height) = (f64::from(layout.width), f64::from(layout.height));

    // Fit the width when the graph first appears and whenever its node count changes.
    {
        let viewport = viewport.clone();
        let scale = scale.clone();
        let rerender = rerender.clone();
        use_effect_with(layout.nodes.len(), move |_| {
            if let Some(vp) = viewport.cast::<HtmlElement>() {
                let avail = f64::from(vp.client_width()) - 4.0;
                if avail > 0.0 && width > 0.0 {
                    *scale.borrow_mut() = (avail / width).clamp(MIN_FIT, 1.0);
                    rerender.force_update();
                }
            }
        });
    }
    // After a zoom, scroll so the anchored point stays under the pointer.
    {
        let viewport = viewport.clone();
        let anchor = anchor.clone();
        let scale = scale.clone();
        use_effect(move || {
            if let (Some((px, py, ux, uy)), Some(vp)) =
                (anchor.borrow_mut().take(), viewport.cast::<HtmlElement>())
            {
                let s = *scale.borrow();
                vp.set_scroll_left((ux * s - px).round() as i32);
                vp.set_scroll_top((uy * s - py).round() as i32);
            }
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

    // Zoom by `factor` around a viewport point (`None`: the viewport's centre).
    let zoom = {
        let viewport = viewport.clone();
        let scale = scale.clone();
        let anchor = anchor.clone();
        let rerender = rerender.clone();
        Rc::new(move |factor: f64, at: Option<(f64, f64)>| {
            let Some(vp) = viewport.cast::<HtmlElement>() else {
                return;
            };
            let (px, py) = at.unwrap_or((
                f64::from(vp.client_width()) / 2.0,
                f64::from(vp.client_height()) / 2.0,
            ));
            let old = *scale.borrow();
            let new = if factor == 0.0 {
                (f64::from(vp.client_width()) - 4.0) / width.max(1.0)
            } else {
                old * factor
            };
            let new = clamp_scale(new);
            let ux = (f64::from(vp.scroll_left()) + px) / old;
            let uy = (f64::from(vp.scroll_top()) + py) / old;
            *anchor.borrow_mut() = Some((px, py, ux, uy));
            *scale.borrow_mut() = new;
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
                { button("Fit", "Fit the width", 0.0) }
                { button("100%", "Actual size", 1.0 / s) }
            </div>
            <div class="graph-viewport" ref={viewport} tabindex="0" role="group"
                style={format!("height: clamp(120px, {}px, 60vh)", (height * s).ceil() + 20.0)}
                aria-label="Stage graph: arrow keys pan, + and - zoom, 0 fits; Tab reaches the stages"
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
