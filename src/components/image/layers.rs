//! The layer list, dive-like: one row per layer with a size bar (its range as a band), the stage,
//! the line (a button that moves the editor there) and the reason behind the figure.

use super::{bar, line_button, range_text, PartProps};
use stageplay::estimate::size::human;
use std::collections::HashSet;
use yew::prelude::*;

#[component(LayerList)]
pub(super) fn layer_list(props: &PartProps) -> Html {
    let open = use_state(HashSet::<usize>::new);
    let e = props.analysis.estimate();
    // Bars share one scale so that layers compare; ranges can reach past the estimate.
    let scale = e
        .layers
        .iter()
        .map(|l| l.high_bytes.max(l.bytes))
        .max()
        .unwrap_or(0);
    let rows = e.layers.iter().enumerate().map(|(i, l)| {
        let expanded = open.contains(&i);
        let toggle = {
            let open = open.clone();
            Callback::from(move |_| {
                let mut next = (*open).clone();
                if !next.remove(&i) {
                    next.insert(i);
                }
                open.set(next);
            })
        };
        html! {
            <li class="img-layer" data-line={l.line.to_string()}>
                <div class="img-layer-row">
                    { line_button(&props.analysis, &props.jump, l.line) }
                    <span class="img-layer-stage" title="stage">{ l.stage_name.clone() }</span>
                    { bar(l.bytes, l.low_bytes, l.high_bytes, scale, l.reason.clone()) }
                    <span class="img-size">{ human(l.bytes) }</span>
                    <span class="img-range muted">{ range_text(l.low_bytes, l.high_bytes) }</span>
                    <button class="img-why" aria-expanded={expanded.to_string()}
                        title={l.reason.clone()} onclick={toggle}>{ "why" }</button>
                </div>
                <code class="img-layer-instr">{ l.instruction.clone() }</code>
                if expanded {
                    <p class="img-layer-reason">{ l.reason.clone() }</p>
                }
            </li>
        }
    });
    html! {
        <section class="img-section" aria-label="Layers">
            <h3>{ format!("Layers ({})", e.layers.len()) }</h3>
            if e.layers.is_empty() {
                <p class="muted">{ "No layers." }</p>
            } else {
                <ol class="img-layers">{ for rows }</ol>
            }
        </section>
    }
}
