//! The Graph pane: the stage graph laid out by the engine and drawn as interactive SVG, a target
//! selector, build order, build args, the outline and exports.

#[path = "graph/details.rs"]
mod details;
#[path = "graph/export.rs"]
mod export;
#[path = "graph/view.rs"]
mod view;

use super::PaneProps;
use crate::hooks::use_jump;
use crate::state::Action;
use crate::state::StateHandle;
use details::{BuildArgs, BuildOrder, OutlineView};
use export::ExportBar;
use stageplay::analysis::Analysis;
use stageplay::estimate::size::human;
use stageplay::model::layout::layout;
use std::rc::Rc;
use view::GraphView;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// An analysis compared by identity, as a memo dependency.
struct Same(Rc<Analysis>);

impl PartialEq for Same {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[component(GraphPane)]
pub fn graph_pane(props: &PaneProps) -> Html {
    let state = use_context::<StateHandle>();
    let jump = use_jump();
    let analysis = props.analysis.clone();
    // The layout, and how long it took (in the page as `data-layout-ms`, read by the e2e timing).
    let (graph, layout_ms) = use_memo(Same(analysis.clone()), |a| {
        let start = now_ms();
        let graph = Rc::new(layout(&a.0.model));
        (graph, now_ms() - start)
    })
    .as_ref()
    .clone();

    if let Some(bytes) = analysis.too_large {
        return html! {
            <p class="muted">{ format!("The text is too large to draw ({}).", human(bytes as u64)) }</p>
        };
    }
    let model = &analysis.model;
    if model.stages.is_empty() {
        return html! {
            <div class="graph-pane">
                <h2 class="pane-title">{ "Stage graph" }</h2>
                <p class="muted">{ "No stages yet: the graph appears with the first FROM line." }</p>
            </div>
        };
    }

    // The stage whose lines hold the editor's cursor.
    let cursor = state.as_ref().map_or(0, |s| s.cursor);
    let current = model
        .stages
        .iter()
        .rev()
        .find(|s| s.span.start <= cursor)
        .map(|s| s.index);
    let on_select = {
        let jump = jump.clone();
        let analysis = analysis.clone();
        Callback::from(move |stage: usize| {
            if let Some(s) = analysis.model.stages.get(stage) {
                jump.emit(s.span.start);
            }
        })
    };

    // Targets: the last stage by default, or any named stage (BuildKit's --target takes a name).
    let chosen = props.options.target.clone().unwrap_or_default();
    let on_target = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            if let Some(state) = &state {
                state.dispatch(Action::SetTarget((!value.is_empty()).then_some(value)));
            }
        })
    };
    let last = model
        .stages
        .last()
        .map(|s| s.display_name())
        .unwrap_or_default();
    let mut seen: Vec<String> = Vec::new();
    let named = model.stages.iter().filter_map(|s| {
        let name = s.name.clone()?;
        if seen.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            return None;
        }
        seen.push(name.clone());
        let selected = chosen.eq_ignore_ascii_case(&name);
        let label = match &s.description {
            Some(d) => format!("{name} — {}", truncate(d, 40)),
            None => name.clone(),
        };
        Some(html! { <option value={name} {selected}>{ label }</option> })
    });
    let unknown_target =
        !chosen.is_empty() && !model.stages.iter().any(|s| s.matches_name(&chosen));

    html! {
        <div class="graph-pane" data-layout-ms={format!("{layout_ms:.2}")}>
            <div class="graph-head">
                <h2 class="pane-title">{ "Stage graph" }</h2>
                <label for="graph-target">{ "Target" }</label>
                <select id="graph-target" class="graph-target" onchange={on_target}>
                    <option value="" selected={chosen.is_empty()}>{ format!("last stage ({last})") }</option>
                    { for named }
                    if unknown_target {
                        <option value={chosen.clone()} selected=true>{ format!("{chosen} (not found)") }</option>
                    }
                </select>
                <span class="muted graph-count">
                    { format!("{} stage{}", model.stages.len(), if model.stages.len() == 1 { "" } else { "s" }) }
                </span>
            </div>
            <GraphView analysis={analysis.clone()} layout={graph.clone()} {current} {on_select} />
            <ExportBar analysis={analysis.clone()} layout={graph} />
            <BuildOrder analysis={analysis.clone()} options={props.options.clone()} />
            <BuildArgs analysis={analysis.clone()} options={props.options.clone()} />
            <OutlineView analysis={analysis} options={props.options.clone()} />
        </div>
    }
}

/// `performance.now()` in milliseconds (0 where the page has no `performance`).
fn now_ms() -> f64 {
    let global = js_sys::global();
    let Ok(performance) = js_sys::Reflect::get(&global, &"performance".into()) else {
        return 0.0;
    };
    js_sys::Reflect::get(&performance, &"now".into())
        .ok()
        .and_then(|now| now.dyn_into::<js_sys::Function>().ok())
        .and_then(|now| now.call0(&performance).ok())
        .and_then(|t| t.as_f64())
        .unwrap_or(0.0)
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max - 1).collect::<String>() + "…"
    }
}
