//! The root component: header, editor, and the tabbed panes.

use crate::components::editor::Editor;
use crate::components::graph_pane::GraphPane;
use crate::components::image_pane::ImagePane;
use crate::components::problems_pane::ProblemsPane;
use crate::components::suggestions_pane::SuggestionsPane;
use crate::state::{Action, AppState, Pane, Theme};
use crate::{pwa, storage};
use gloo::timers::callback::Timeout;
use stageplay::analysis::{analyze, AnalysisOptions};
use stageplay::examples::{self, EXAMPLES};
use stageplay::Severity;
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use web_sys::ServiceWorker;
use yew::prelude::*;

/// The app's state handle, shared with components through a context.
pub type StateHandle = UseReducerHandle<AppState>;

#[component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| {
        let text = storage::load_draft().unwrap_or_else(|| {
            examples::find(examples::DEFAULT_EXAMPLE)
                .map_or("", |e| e.text)
                .to_string()
        });
        let mut state = AppState::new(text);
        state.theme = storage::load_theme();
        state
    });
    // Autosave the draft, debounced: a burst of keystrokes writes once.
    let save_timer = use_mut_ref(|| None::<Timeout>);
    {
        let save_timer = save_timer.clone();
        use_effect_with(state.text.clone(), move |text| {
            let text = text.clone();
            *save_timer.borrow_mut() = Some(Timeout::new(400, move || storage::save_draft(&text)));
        });
    }
    use_effect_with(state.theme, |theme| storage::save_theme(*theme));
    // A new deployed version waits in the service worker until the user reloads.
    let update = use_state(|| None::<ServiceWorker>);
    {
        let update = update.clone();
        use_effect_with((), move |_| {
            pwa::register(Callback::from(move |w| update.set(Some(w))))
        });
    }
    let update_banner = match &*update {
        Some(worker) => {
            let worker = worker.clone();
            let onclick = Callback::from(move |_| pwa::activate_update(&worker));
            html! {
                <div class="update-banner" role="status">
                    { "A new version of Stageplay is available. Your draft is saved." }
                    <button class="button" {onclick}>{ "Reload" }</button>
                </div>
            }
        }
        None => html! {},
    };
    let options = use_memo(
        (state.target.clone(), state.build_args.clone()),
        |(target, build_args)| {
            Rc::new(AnalysisOptions {
                target: target.clone(),
                build_args: build_args.clone(),
                ..AnalysisOptions::default()
            })
        },
    )
    .as_ref()
    .clone();
    let analysis = use_memo((state.text.clone(), options.clone()), |(text, options)| {
        analyze(text, options)
    });

    let on_edit = {
        let state = state.clone();
        Callback::from(move |text: String| state.dispatch(Action::Edited(text)))
    };
    let on_cursor = {
        let state = state.clone();
        Callback::from(move |offset: u32| state.dispatch(Action::Cursor(offset)))
    };
    let on_example = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(example) = examples::find(&select.value()) {
                state.dispatch(Action::Replace(example.text.to_string()));
            }
            select.set_value("");
        })
    };
    let on_theme = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::ToggleTheme))
    };

    let theme = match state.theme {
        Theme::System => None,
        Theme::Light => Some("light"),
        Theme::Dark => Some("dark"),
    };
    let errors = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let tabs = Pane::ALL.into_iter().map(|pane| {
        let selected = pane == state.pane;
        let onclick = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(Action::SelectPane(pane)))
        };
        let badge = match pane {
            Pane::Problems if !analysis.problems.is_empty() => {
                html! { <span class={classes!("badge", (errors > 0).then_some("badge-error"))}>{ analysis.problems.len() }</span> }
            }
            _ => html! {},
        };
        html! {
            <button role="tab" id={format!("tab-{}", pane.id())} class="tab"
                aria-selected={selected.to_string()} aria-controls={format!("pane-{}", pane.id())}
                tabindex={if selected { "0" } else { "-1" }} {onclick}>
                { pane.label() }{ badge }
            </button>
        }
    });
    let text: Rc<str> = use_memo(state.text.clone(), |t| Rc::<str>::from(t.as_str()))
        .as_ref()
        .clone();
    let pane_body = match state.pane {
        Pane::Graph => {
            html! { <GraphPane analysis={analysis.clone()} text={text.clone()} options={options.clone()} /> }
        }
        Pane::Image => {
            html! { <ImagePane analysis={analysis.clone()} text={text.clone()} options={options.clone()} /> }
        }
        Pane::Suggestions => {
            html! { <SuggestionsPane analysis={analysis.clone()} text={text.clone()} options={options.clone()} /> }
        }
        Pane::Problems => {
            html! { <ProblemsPane analysis={analysis.clone()} text={text.clone()} options={options.clone()} /> }
        }
    };

    html! {
        <ContextProvider<StateHandle> context={state.clone()}>
        <div class="app" data-theme={theme}>
            <header class="topbar">
                <h1 class="brand">{ "Stageplay" }</h1>
                <span class="tagline">{ "Dockerfile playground — runs in your browser, nothing leaves it" }</span>
                <div class="spacer"></div>
                <label class="sr-only" for="example-select">{ "Load an example" }</label>
                <select id="example-select" class="example-select" onchange={on_example}>
                    <option value="" selected=true>{ "Examples…" }</option>
                    { for EXAMPLES.iter().map(|e| html! { <option value={e.id} title={e.hint}>{ e.title }</option> }) }
                </select>
                <button class="theme-toggle" onclick={on_theme} title="Switch between system, dark and light themes">{ state.theme.label() }</button>
            </header>
            { update_banner }
            <main class="workspace">
                <section class="editor-pane" aria-label="Dockerfile editor">
                    <Editor {text} text_rev={state.text_rev} analysis={analysis.clone()} jump={state.jump}
                        {on_edit} {on_cursor} />
                </section>
                <section class="side-pane">
                    <div role="tablist" class="tabs" aria-label="Analysis panes">{ for tabs }</div>
                    <div role="tabpanel" class="pane" id={format!("pane-{}", state.pane.id())}
                        aria-labelledby={format!("tab-{}", state.pane.id())}>
                        { pane_body }
                    </div>
                </section>
            </main>
        </div>
        </ContextProvider<StateHandle>>
    }
}
