//! The Problems pane: every diagnostic (syntax, stage model, lint) with its position,
//! its rule, and its quick fix; "Fix all safe" applies every safe fix at once.

use super::{use_jump, use_replace_text, PaneProps};
use stageplay::diagnostic::{apply_edits, Applicability};
use stageplay::lint;
use yew::prelude::*;

#[component(ProblemsPane)]
pub fn problems_pane(props: &PaneProps) -> Html {
    let jump = use_jump();
    let replace = use_replace_text();
    let analysis = &props.analysis;
    let text: &str = &props.text;
    if let Some(bytes) = analysis.too_large {
        return html! {
            <div class="problems">
                <h2 class="pane-title">{ "Problems" }</h2>
                <p class="notice" role="alert">{ format!(
                    "This text is {:.1} MB, over the {} MB limit: it is not analysed, so the page stays responsive.",
                    bytes as f64 / 1e6, stageplay::analysis::MAX_INPUT_BYTES / (1024 * 1024)) }</p>
            </div>
        };
    }
    if analysis.problems.is_empty() {
        return html! {
            <div class="problems">
                <h2 class="pane-title">{ "Problems" }</h2>
                <p class="muted">{ "No problems found." }</p>
            </div>
        };
    }
    let safe_fixes = analysis
        .problems
        .iter()
        .filter(|p| {
            p.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        })
        .count();
    let fix_all = {
        let replace = replace.clone();
        let text = props.text.clone();
        let options = props.options.clone();
        Callback::from(move |_| {
            let fixed =
                lint::fix_all_safe(&text, &options.lint_options(), &options.model_options());
            if fixed != *text {
                replace.emit(fixed);
            }
        })
    };
    let items = analysis.problems.iter().map(|p| {
        let d = &p.diagnostic;
        let offset = d.span.start;
        let pos = analysis.line_index.line_col(text, offset);
        let onclick = {
            let jump = jump.clone();
            Callback::from(move |_| jump.emit(offset))
        };
        let fix = p.fix.as_ref().map(|fix| {
            let next = apply_edits(text, &fix.edits);
            let replace = replace.clone();
            let onclick = Callback::from(move |_| replace.emit(next.clone()));
            let unsafe_note = (fix.applicability != Applicability::Safe).then_some(" (review)");
            html! {
                <button class="button fix-button" title={fix.title.clone()} {onclick}>
                    { format!("Fix: {}", fix.title) }{ unsafe_note.unwrap_or("") }
                </button>
            }
        });
        let sources = (!p.sources.is_empty()).then(|| p.sources.join(", "));
        html! {
            <li class={classes!("problem", format!("problem-{}", d.severity.as_str()))}>
                <button class="link problem-link" {onclick}>
                    <span class="problem-severity">{ d.severity.as_str() }</span>
                    <span class="problem-pos">{ format!("{}:{}", pos.line, pos.column) }</span>
                    <span class="problem-message">{ d.message.clone() }</span>
                    <span class="problem-code">{ d.code.clone() }</span>
                </button>
                if let Some(help) = &d.help { <div class="problem-help muted">{ help.clone() }</div> }
                if let Some(sources) = sources { <div class="problem-sources muted">{ format!("mirrors {sources}") }</div> }
                { for fix }
            </li>
        }
    });
    html! {
        <div class="problems">
            <div class="pane-head">
                <h2 class="pane-title">{ format!("Problems ({})", analysis.problems.len()) }</h2>
                if safe_fixes > 0 {
                    <button class="button button-primary fix-all" onclick={fix_all}>{ format!("Fix all safe ({safe_fixes})") }</button>
                }
            </div>
            <ul class="problem-list">{ for items }</ul>
        </div>
    }
}
