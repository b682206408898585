//! The four analysis panes. Each renders what the engine knows about the current text.

use crate::app::StateHandle;
use crate::state::Action;
use stageplay::analysis::Analysis;
use stageplay::syntax::Keyword;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct PaneProps {
    pub analysis: Rc<Analysis>,
}

impl PartialEq for PaneProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis)
    }
}

/// A callback that moves the editor's cursor to a byte offset.
#[hook]
fn use_jump() -> Callback<u32> {
    let state = use_context::<StateHandle>();
    Callback::from(move |offset: u32| {
        if let Some(state) = &state {
            state.dispatch(Action::JumpTo(offset));
        }
    })
}

/// Until the stage graph is drawn: the instruction outline grouped by stage.
#[component(GraphPane)]
pub fn graph_pane(props: &PaneProps) -> Html {
    let jump = use_jump();
    let analysis = &props.analysis;
    let mut stage = 0usize;
    let items = analysis.doc.instructions.iter().map(|instr| {
        let is_from = instr.keyword == Keyword::From;
        if is_from {
            stage += 1;
        }
        let offset = instr.span.start;
        let onclick = {
            let jump = jump.clone();
            Callback::from(move |_| jump.emit(offset))
        };
        let text = outline_text(analysis, instr);
        html! {
            <li class={classes!("outline-item", is_from.then_some("outline-stage"))}>
                <button class="link" {onclick}>
                    <span class="outline-line">{ instr.start_line }</span>
                    <span class="tok-keyword">{ instr.keyword_text.clone() }</span>{ " " }{ text }
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

fn outline_text(analysis: &Analysis, instr: &stageplay::syntax::Instruction) -> String {
    let _ = analysis;
    let mut text = match &instr.args {
        stageplay::syntax::Args::Shell { text, .. } => text.clone(),
        stageplay::syntax::Args::Exec { items, .. } => items
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    };
    if text.chars().count() > 80 {
        text = text.chars().take(79).collect::<String>() + "…";
    }
    text
}

#[component(ImagePane)]
pub fn image_pane(props: &PaneProps) -> Html {
    let stages = props
        .analysis
        .doc
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::From)
        .count();
    html! {
        <div class="image">
            <h2 class="pane-title">{ "Image" }</h2>
            <p class="muted">{ format!("{stages} stage(s). The size estimate is not available in this build yet.") }</p>
        </div>
    }
}

#[component(SuggestionsPane)]
pub fn suggestions_pane(_props: &PaneProps) -> Html {
    html! {
        <div class="suggestions">
            <h2 class="pane-title">{ "Suggestions" }</h2>
            <p class="muted">{ "Refactor suggestions are not available in this build yet." }</p>
        </div>
    }
}

#[component(ProblemsPane)]
pub fn problems_pane(props: &PaneProps) -> Html {
    let jump = use_jump();
    let analysis = &props.analysis;
    if analysis.diagnostics.is_empty() {
        return html! {
            <div class="problems">
                <h2 class="pane-title">{ "Problems" }</h2>
                <p class="muted">{ "No problems found." }</p>
            </div>
        };
    }
    let text_len = analysis.line_index.line_count();
    let _ = text_len;
    let items = analysis.diagnostics.iter().map(|d| {
        let offset = d.span.start;
        let line = analysis.line_index.line_of(offset) + 1;
        let column = offset - analysis.line_index.line_start(line - 1) + 1;
        let onclick = {
            let jump = jump.clone();
            Callback::from(move |_| jump.emit(offset))
        };
        html! {
            <li class={classes!("problem", format!("problem-{}", d.severity.as_str()))}>
                <button class="link problem-link" {onclick}>
                    <span class="problem-severity">{ d.severity.as_str() }</span>
                    <span class="problem-pos">{ format!("{line}:{column}") }</span>
                    <span class="problem-message">{ d.message.clone() }</span>
                    <span class="problem-code">{ d.code.clone() }</span>
                </button>
            </li>
        }
    });
    html! {
        <div class="problems">
            <h2 class="pane-title">{ "Problems" }</h2>
            <ul class="problem-list">{ for items }</ul>
        </div>
    }
}
