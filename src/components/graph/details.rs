//! Under the graph: the build order for the target (levels that build in parallel, the critical
//! path, stages the target skips), the build-args form and the outline (BuildKit's
//! `--call=outline` and `--call=targets`, offline).

use crate::hooks::use_jump;
use crate::state::Action;
use crate::state::StateHandle;
use stageplay::analysis::{Analysis, AnalysisOptions};
use stageplay::model::{outline, Model};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn stage_name(model: &Model, i: usize) -> String {
    model
        .stages
        .get(i)
        .map_or_else(|| format!("stage-{i}"), |s| s.display_name())
}

#[derive(Properties)]
pub struct DetailsProps {
    pub analysis: Rc<Analysis>,
    pub options: Rc<AnalysisOptions>,
}

impl PartialEq for DetailsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis) && self.options == other.options
    }
}

/// Build order: "level 1: a, b; level 2: c", the critical path and the skipped stages.
#[component(BuildOrder)]
pub fn build_order(props: &DetailsProps) -> Html {
    let model = &props.analysis.model;
    let levels = model
        .levels
        .iter()
        .enumerate()
        .map(|(i, level)| {
            let names: Vec<String> = level.iter().map(|&s| stage_name(model, s)).collect();
            format!("level {}: {}", i + 1, names.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let critical: Vec<String> = model
        .critical_path
        .iter()
        .map(|&s| stage_name(model, s))
        .collect();
    let skipped: Vec<String> = model
        .stages
        .iter()
        .filter(|s| !s.needed)
        .map(|s| s.display_name())
        .collect();
    let target = model
        .target
        .map_or_else(|| "—".to_string(), |t| stage_name(model, t));
    html! {
        <section class="graph-order" aria-label="Build order">
            <p class="build-order"><strong>{ "Build order" }</strong>{ format!(" for {target}: ") }{ levels }</p>
            if critical.len() > 1 {
                <p class="critical-path"><strong>{ "Critical path: " }</strong>{ critical.join(" → ") }</p>
            }
            if skipped.is_empty() {
                <p class="unreachable muted">{ "Every stage is built for this target." }</p>
            } else {
                <p class="unreachable"><strong>{ "Not built for this target: " }</strong>{ skipped.join(", ") }</p>
            }
        </section>
    }
}

/// One input per declared ARG; a value overrides the default like `--build-arg`.
#[component(BuildArgs)]
pub fn build_args(props: &DetailsProps) -> Html {
    let state = use_context::<StateHandle>();
    let model = &props.analysis.model;
    let mut names: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    let all = model
        .global_args
        .iter()
        .chain(model.stages.iter().flat_map(|s| s.args.iter()));
    for a in all {
        if !names.iter().any(|(n, _, _)| *n == a.name) {
            names.push((a.name.clone(), a.default.clone(), a.description.clone()));
        }
    }
    if names.is_empty() {
        return html! {};
    }
    let current = props.options.build_args.clone();
    let rows = names.into_iter().map(|(name, default, description)| {
        let value = current
            .iter()
            .rev()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let onchange = {
            let state = state.clone();
            let current = current.clone();
            let name = name.clone();
            Callback::from(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                let mut next: Vec<(String, String)> =
                    current.iter().filter(|(k, _)| *k != name).cloned().collect();
                let v = input.value();
                if !v.is_empty() {
                    next.push((name.clone(), v));
                }
                if let Some(state) = &state {
                    state.dispatch(Action::SetBuildArgs(next));
                }
            })
        };
        let id = format!("build-arg-{name}");
        html! {
            <div class="build-arg">
                <label for={id.clone()} class="mono" title={description.unwrap_or_default()}>{ name.clone() }</label>
                <input {id} class="build-arg-input mono" type="text" value={value}
                    placeholder={default.unwrap_or_else(|| "(unset)".to_string())} {onchange} />
            </div>
        }
    });
    let reset = {
        let state = state.clone();
        Callback::from(move |_| {
            if let Some(state) = &state {
                state.dispatch(Action::SetBuildArgs(Vec::new()));
            }
        })
    };
    html! {
        <details class="graph-args" open={!current.is_empty()}>
            <summary>{ "Build args" }{ if current.is_empty() { String::new() } else { format!(" ({} set)", current.len()) } }</summary>
            <p class="muted">{ "Values override the defaults, like --build-arg; the graph follows FROM lines that use them." }</p>
            { for rows }
            if !current.is_empty() {
                <button class="button" onclick={reset}>{ "Reset to defaults" }</button>
            }
        </details>
    }
}

/// Targets with their descriptions, and what the chosen target needs: args, secrets, ssh and
/// cache mounts.
#[component(OutlineView)]
pub fn outline_view(props: &DetailsProps) -> Html {
    let jump = use_jump();
    let analysis = &props.analysis;
    let o = outline(&analysis.doc, &analysis.model);
    let link = |text: String, line: u32, offset: u32| {
        let jump = jump.clone();
        let onclick = Callback::from(move |_| jump.emit(offset));
        html! {
            <button class="link outline-link" {onclick}>
                <span class="outline-line">{ line }</span>{ text }
            </button>
        }
    };
    let targets = o.targets.iter().map(|t| {
        let offset = analysis
            .model
            .stages
            .get(t.index)
            .map_or(0, |s| s.span.start);
        let mut text = t
            .name
            .clone()
            .unwrap_or_else(|| format!("stage-{}", t.index));
        if t.default {
            text.push_str(" (default)");
        }
        html! {
            <li>
                { link(text, t.line, offset) }
                if let Some(d) = &t.description {
                    <div class="outline-desc muted">{ d.clone() }</div>
                }
            </li>
        }
    });
    let args = o.args.iter().map(|a| {
        let text = match &a.value {
            Some(v) => format!("{}={v}", a.name),
            None => a.name.clone(),
        };
        html! {
            <li>
                { link(text, a.line, a.span.start) }
                if let Some(d) = &a.description {
                    <div class="outline-desc muted">{ d.clone() }</div>
                }
            </li>
        }
    });
    let secrets = o.secrets.iter().map(|s| {
        let text = format!(
            "secret {}{}",
            s.id,
            if s.required { " (required)" } else { "" }
        );
        html! { <li>{ link(text, s.line, s.span.start) }</li> }
    });
    let ssh = o.ssh.iter().map(|s| {
        let text = format!(
            "ssh {}{}",
            s.id,
            if s.required { " (required)" } else { "" }
        );
        html! { <li>{ link(text, s.line, s.span.start) }</li> }
    });
    let caches = o.caches.iter().map(|c| {
        let text = format!("cache {} → {} ({})", c.id, c.target, c.sharing);
        html! { <li>{ link(text, c.line, c.span.start) }</li> }
    });
    let needs = o.secrets.len() + o.ssh.len() + o.caches.len();
    html! {
        <section class="graph-outline" aria-label="Outline">
            <h3 class="graph-subtitle">{ "Targets" }</h3>
            <ul class="outline-list">{ for targets }</ul>
            <h3 class="graph-subtitle">{ "Build args the target uses" }</h3>
            if o.args.is_empty() {
                <p class="muted">{ "None." }</p>
            } else {
                <ul class="outline-list">{ for args }</ul>
            }
            <h3 class="graph-subtitle">{ "Secrets, SSH and cache mounts" }</h3>
            if needs == 0 {
                <p class="muted">{ "None." }</p>
            } else {
                <ul class="outline-list">{ for secrets }{ for ssh }{ for caches }</ul>
            }
        </section>
    }
}
