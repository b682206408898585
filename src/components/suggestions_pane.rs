//! The Suggestions pane: multi-stage refactors with their estimated savings.

use super::{human_bytes, use_replace_text, PaneProps};
use stageplay::analysis::suggestions;
use stageplay::diagnostic::apply_edits;
use yew::prelude::*;

#[component(SuggestionsPane)]
pub fn suggestions_pane(props: &PaneProps) -> Html {
    let replace = use_replace_text();
    // Keyed on the text and options: the analysis is derived from exactly those.
    let list = {
        let analysis = props.analysis.clone();
        use_memo((props.text.clone(), props.options.clone()), move |(text, options)| {
            suggestions(text, &analysis, options)
        })
    };
    if list.is_empty() {
        return html! {
            <div class="suggestions">
                <h2 class="pane-title">{ "Suggestions" }</h2>
                <p class="muted">{ "No refactor to suggest for this Dockerfile." }</p>
            </div>
        };
    }
    let items = list.iter().map(|s| {
        let onclick = {
            let replace = replace.clone();
            let next = apply_edits(&props.text, &s.edits);
            Callback::from(move |_| replace.emit(next.clone()))
        };
        let size = match (s.size_before, s.size_after) {
            (Some(b), Some(a)) => format!("{} → {}", human_bytes(b), human_bytes(a)),
            _ => String::new(),
        };
        html! {
            <li class="suggestion">
                <div class="suggestion-head">
                    <strong>{ s.title.clone() }</strong>
                    <span class="muted">{ size }</span>
                    <button class="button button-primary" {onclick}>{ "Apply" }</button>
                </div>
                <p>{ s.explanation.clone() }</p>
            </li>
        }
    });
    html! {
        <div class="suggestions">
            <h2 class="pane-title">{ "Suggestions" }</h2>
            <ul class="suggestion-list">{ for items }</ul>
        </div>
    }
}
