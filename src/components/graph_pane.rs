//! The Graph pane: the stage graph, drawn from the engine's layout and SVG export.

use super::{use_jump, PaneProps};
use stageplay::syntax::Keyword;
use yew::prelude::*;

/// Until the interactive graph lands: the instruction outline grouped by stage.
#[component(GraphPane)]
pub fn graph_pane(props: &PaneProps) -> Html {
    let jump = use_jump();
    let analysis = &props.analysis;
    let items = analysis.doc.instructions.iter().map(|instr| {
        let is_from = instr.keyword == Keyword::From;
        let offset = instr.span.start;
        let onclick = {
            let jump = jump.clone();
            Callback::from(move |_| jump.emit(offset))
        };
        let mut text = props.text.get(instr.span.range()).unwrap_or("").to_string();
        text = text.split(['\n', '\r']).next().unwrap_or("").to_string();
        if text.chars().count() > 90 {
            text = text.chars().take(89).collect::<String>() + "…";
        }
        html! {
            <li class={classes!("outline-item", is_from.then_some("outline-stage"))}>
                <button class="link" {onclick}>
                    <span class="outline-line">{ instr.start_line }</span>{ text }
                </button>
            </li>
        }
    });
    html! {
        <div class="outline">
            <h2 class="pane-title">{ "Outline" }</h2>
            <ol class="outline-list">{ for items }</ol>
        </div>
    }
}
