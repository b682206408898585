//! The Image pane: what the final image will contain, before any build.

use super::{human_bytes, PaneProps};
use yew::prelude::*;

#[component(ImagePane)]
pub fn image_pane(props: &PaneProps) -> Html {
    let e = &props.analysis.estimate;
    let layers = e.layers.iter().map(|l| {
        html! {
            <tr>
                <td class="num">{ l.line }</td>
                <td>{ l.stage_name.clone() }</td>
                <td class="mono">{ l.instruction.clone() }</td>
                <td class="num">{ human_bytes(l.bytes) }</td>
                <td class="num muted">{ format!("{} – {}", human_bytes(l.low_bytes), human_bytes(l.high_bytes)) }</td>
            </tr>
        }
    });
    html! {
        <div class="image">
            <h2 class="pane-title">
                { format!("Final image ≈ {} ", human_bytes(e.total_bytes)) }
                <span class="muted">{ format!("({} – {})", human_bytes(e.low_bytes), human_bytes(e.high_bytes)) }</span>
            </h2>
            <table class="layers">
                <thead><tr><th>{ "Line" }</th><th>{ "Stage" }</th><th>{ "Instruction" }</th><th>{ "Size" }</th><th>{ "Range" }</th></tr></thead>
                <tbody>{ for layers }</tbody>
            </table>
        </div>
    }
}
