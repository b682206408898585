//! The splitter between the editor and the analysis on wide screens: a vertical `separator`
//! (WAI-ARIA window splitter) moved by pointer drag, by the arrow keys (Shift: bigger steps), and
//! reset by double-click or Home.
//!
//! While a drag lasts, only the workspace's `--split` property and the splitter's `aria-valuenow`
//! change (no app render per pointer move); the width reaches the state, and so the browser's
//! storage, when the drag ends. CodeMirror notices its new size itself (a ResizeObserver).

use crate::state::split;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SplitterProps {
    /// The editor's share of the width, in percent.
    pub percent: f64,
    /// The `id` of the editor's section (what the splitter resizes).
    pub controls: AttrValue,
    /// A new width (`None`: the default).
    pub on_change: Callback<Option<f64>>,
}

/// The CSS value of `--split` for a width in percent.
pub fn split_style(percent: f64) -> String {
    format!("--split: {percent:.1}%")
}

fn value_text(percent: f64) -> String {
    format!("Editor {:.0}% of the width", percent)
}

/// Shows `percent` while dragging, without a render: on the workspace (the splitter's parent)
/// and on the splitter.
fn preview(splitter: &Element, percent: f64) {
    if let Some(workspace) = splitter
        .parent_element()
        .and_then(|p| p.dyn_into::<HtmlElement>().ok())
    {
        let _ = workspace
            .style()
            .set_property("--split", &format!("{percent:.1}%"));
    }
    let _ = splitter.set_attribute("aria-valuenow", &format!("{percent:.0}"));
    let _ = splitter.set_attribute("aria-valuetext", &value_text(percent));
}

/// The width under the pointer at `client_x`, as a share of the workspace's width.
fn percent_at(splitter: &Element, client_x: f64) -> Option<f64> {
    let rect = splitter.parent_element()?.get_bounding_client_rect();
    (rect.width() > 0.0).then(|| split::clamp((client_x - rect.left()) / rect.width() * 100.0))
}

#[component(Splitter)]
pub fn splitter(props: &SplitterProps) -> Html {
    let node = use_node_ref();
    // The width shown while a drag lasts.
    let dragging = use_mut_ref(|| None::<f64>);
    let percent = props.percent;

    let onpointerdown = {
        let dragging = dragging.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            e.prevent_default();
            if let Some(el) = e.target_dyn_into::<Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
                let _ = el.class_list().add_1("dragging");
            }
            *dragging.borrow_mut() = Some(percent);
        })
    };
    let onpointermove = {
        let dragging = dragging.clone();
        let node = node.clone();
        Callback::from(move |e: PointerEvent| {
            if dragging.borrow().is_none() {
                return;
            }
            let Some(el) = node.cast::<Element>() else {
                return;
            };
            if let Some(p) = percent_at(&el, f64::from(e.client_x())) {
                preview(&el, p);
                *dragging.borrow_mut() = Some(p);
            }
        })
    };
    let end = {
        let dragging = dragging.clone();
        let node = node.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |_: PointerEvent| {
            if let Some(el) = node.cast::<Element>() {
                let _ = el.class_list().remove_1("dragging");
            }
            if let Some(p) = dragging.borrow_mut().take() {
                if p != percent {
                    on_change.emit(Some(p));
                }
            }
        })
    };
    let ondblclick = props.on_change.reform(|_: MouseEvent| None);
    let onkeydown = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step = if e.shift_key() {
                split::BIG_STEP
            } else {
                split::STEP
            };
            let next = match e.key().as_str() {
                "ArrowLeft" => Some(percent - step),
                "ArrowRight" => Some(percent + step),
                "PageUp" => Some(percent - split::BIG_STEP),
                "PageDown" => Some(percent + split::BIG_STEP),
                "Home" => None,
                _ => return,
            };
            e.prevent_default();
            on_change.emit(next.map(split::clamp));
        })
    };

    html! {
        <div ref={node} class="splitter" role="separator" aria-orientation="vertical" tabindex="0"
            aria-label="Resize the editor and the analysis" aria-controls={props.controls.clone()}
            aria-valuemin={format!("{:.0}", split::MIN)} aria-valuemax={format!("{:.0}", split::MAX)}
            aria-valuenow={format!("{percent:.0}")} aria-valuetext={value_text(percent)}
            title="Drag, or focus and press ← →, to resize; double-click or Home resets"
            {onpointerdown} {onpointermove} onpointerup={end.clone()} onpointercancel={end}
            {ondblclick} {onkeydown}>
        </div>
    }
}
