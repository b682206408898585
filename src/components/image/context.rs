//! The build-context inputs: the size of the context after `.dockerignore` and the
//! `.dockerignore` text, which `COPY . …` layers are estimated from.

use crate::state::Action;
use crate::state::StateHandle;
use stageplay::analysis::AnalysisOptions;
use stageplay::estimate::size::human;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct ContextProps {
    /// The options the shown estimate was made with.
    pub options: Rc<AnalysisOptions>,
}

/// Megabytes as typed (`12`, `0.5`) to bytes; blank or invalid means "not set".
fn parse_mb(text: &str) -> Option<u64> {
    let mb: f64 = text.trim().parse().ok()?;
    (mb.is_finite() && mb >= 0.0).then(|| (mb * 1e6).round() as u64)
}

#[component(ContextForm)]
pub(super) fn context_form(props: &ContextProps) -> Html {
    let state = use_context::<StateHandle>();
    let size = use_node_ref();
    let ignore = use_node_ref();
    let (bytes, dockerignore) = state
        .as_ref()
        .map(|s| (s.context_bytes, s.dockerignore.clone()))
        .unwrap_or_default();
    let onsubmit = {
        let (state, size, ignore) = (state.clone(), size.clone(), ignore.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let bytes = size
                .cast::<HtmlInputElement>()
                .and_then(|i| parse_mb(&i.value()));
            let dockerignore = ignore.cast::<HtmlTextAreaElement>().map(|t| t.value());
            if let Some(state) = &state {
                state.dispatch(Action::SetContext {
                    bytes,
                    dockerignore,
                });
            }
        })
    };
    let applied = match props.options.context_bytes {
        Some(b) => format!("The estimate assumes a {} build context.", human(b)),
        None => "Not set: COPY/ADD from the context use a wide range.".into(),
    };
    html! {
        <section class="img-section" aria-label="Build context">
            <h3>{ "Build context" }</h3>
            <form class="img-context" {onsubmit}>
                <label for="img-context-size">{ "Context size after .dockerignore (MB)" }</label>
                <input id="img-context-size" ref={size} type="number" min="0" step="any" inputmode="decimal"
                    placeholder="not set" value={bytes.map(|b| format!("{}", b as f64 / 1e6)).unwrap_or_default()} />
                <label for="img-context-ignore">{ ".dockerignore" }</label>
                <textarea id="img-context-ignore" ref={ignore} rows="3" spellcheck="false"
                    placeholder=".git\nnode_modules" value={dockerignore.unwrap_or_default()} />
                <button class="button" type="submit">{ "Apply" }</button>
            </form>
            <p class="muted img-context-applied">{ applied }</p>
        </section>
    }
}
