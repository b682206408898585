//! The Problems pane: every diagnostic (syntax, stage model, lint) with its position, its
//! rule's documentation, and its quick fix (applicability and a preview of the change);
//! "Fix all safe" applies every safe fix at once. The "Rules" button opens the Rules reference.

#[path = "rules_reference.rs"]
mod rules_reference;

use super::PaneProps;
use crate::hooks::{use_jump, use_replace_text};
use rules_reference::{fix_label, render_doc, RulesReference};
use stageplay::diagnostic::{apply_edits, Applicability, Fix, TextEdit};
use stageplay::estimate::size::human;
use stageplay::lint;
use stageplay::span::Span;
use yew::prelude::*;

/// The Rules reference is open: with this search text and this rule expanded.
#[derive(Clone, PartialEq)]
struct RulesView {
    query: String,
    open: Option<String>,
}

#[component(ProblemsPane)]
pub fn problems_pane(props: &PaneProps) -> Html {
    let jump = use_jump();
    let replace = use_replace_text();
    let rules_view = use_state(|| None::<RulesView>);
    // The finding whose rule doc is shown inline: (code, start offset).
    let doc_open = use_state(|| None::<(String, u32)>);
    let analysis = &props.analysis;
    let text: &str = &props.text;

    if let Some(view) = (*rules_view).clone() {
        let on_close = {
            let rules_view = rules_view.clone();
            Callback::from(move |_| rules_view.set(None))
        };
        return html! {
            <div class="problems">
                <RulesReference query={view.query} open={view.open.map(AttrValue::from)} {on_close} />
            </div>
        };
    }
    let open_rules = {
        let rules_view = rules_view.clone();
        Callback::from(move |_| {
            rules_view.set(Some(RulesView {
                query: String::new(),
                open: None,
            }))
        })
    };
    let rules_button = html! {
        <button class="button rules-button" onclick={open_rules} title="Every lint rule with its documentation">
            { format!("Rules ({})", lint::rules().len()) }
        </button>
    };
    if let Some(bytes) = analysis.too_large {
        return html! {
            <div class="problems">
                <div class="pane-head"><h2 class="pane-title">{ "Problems" }</h2>{ rules_button }</div>
                <p class="notice" role="alert">{ format!(
                    "This text is {}, over the {} limit: it is not analysed, so the page stays responsive.",
                    human(bytes as u64), human(stageplay::analysis::MAX_INPUT_BYTES as u64)) }</p>
            </div>
        };
    }
    if analysis.problems.is_empty() {
        return html! {
            <div class="problems">
                <div class="pane-head"><h2 class="pane-title">{ "Problems" }</h2>{ rules_button }</div>
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
    let items = analysis.problems.iter().enumerate().map(|(i, p)| {
        let d = &p.diagnostic;
        let offset = d.span.start;
        let pos = analysis.line_index.line_col(text, offset);
        let onclick = {
            let jump = jump.clone();
            Callback::from(move |_| jump.emit(offset))
        };
        let rule = (p.layer == "lint").then(|| lint::rule(&d.code)).flatten();
        let key = (d.code.clone(), offset);
        let doc_shown = rule.is_some() && doc_open.as_ref() == Some(&key);
        let doc_id = format!("problem-doc-{i}");
        let doc_toggle = rule.map(|r| {
            let doc_open = doc_open.clone();
            let key = key.clone();
            let toggle = Callback::from(move |_| {
                doc_open.set((doc_open.as_ref() != Some(&key)).then(|| key.clone()))
            });
            html! {
                <button class="link problem-doc-toggle" onclick={toggle}
                    aria-expanded={doc_shown.to_string()} aria-controls={doc_id.clone()}
                    title={format!("Documentation of {}", r.code)}>
                    { if doc_shown { format!("Hide {} doc", r.code) } else { format!("{} doc", r.code) } }
                </button>
            }
        });
        let doc = rule.filter(|_| doc_shown).map(|r| {
            let rules_view = rules_view.clone();
            let code = r.code.to_string();
            let open_in_reference = Callback::from(move |_| {
                rules_view.set(Some(RulesView {
                    query: code.clone(),
                    open: Some(code.clone()),
                }))
            });
            html! {
                <div class="problem-doc" id={doc_id.clone()} role="region" aria-label={format!("{} documentation", r.code)}>
                    <div class="problem-doc-head">
                        <strong>{ format!("{} · {}", r.code, r.name) }</strong>
                        <button class="link" onclick={open_in_reference}>{ "Open in Rules reference" }</button>
                    </div>
                    { render_doc(&r.doc_markdown()) }
                </div>
            }
        });
        let fix = p.fix.as_ref().map(|fix| fix_view(text, fix, &replace));
        let sources = (!p.sources.is_empty()).then(|| p.sources.join(", "));
        html! {
            <li class={classes!("problem", format!("problem-{}", d.severity.as_str()))} data-code={d.code.clone()}>
                <button class="link problem-link" {onclick}>
                    <span class="problem-severity">{ d.severity.as_str() }</span>
                    <span class="problem-pos">{ format!("{}:{}", pos.line, pos.column) }</span>
                    <span class="problem-message">{ d.message.clone() }</span>
                    <span class="problem-code">{ d.code.clone() }</span>
                </button>
                if let Some(help) = &d.help { <div class="problem-help muted">{ help.clone() }</div> }
                <div class="problem-actions">
                    { for doc_toggle }
                    if let Some(sources) = sources { <span class="problem-sources muted">{ format!("mirrors {sources}") }</span> }
                </div>
                { for fix }
                { for doc }
            </li>
        }
    });
    html! {
        <div class="problems">
            <div class="pane-head">
                <h2 class="pane-title">{ format!("Problems ({})", analysis.problems.len()) }</h2>
                <div class="pane-actions">
                    { rules_button }
                    if safe_fixes > 0 {
                        <button class="button button-primary fix-all" onclick={fix_all}
                            title="Apply every safe fix (unsafe fixes are never applied in bulk)">
                            { format!("Fix all safe ({safe_fixes})") }
                        </button>
                    }
                </div>
            </div>
            <ul class="problem-list">{ for items }</ul>
        </div>
    }
}

/// A fix button with its applicability, and the change it makes (on hover and expandable).
fn fix_view(text: &str, fix: &Fix, replace: &Callback<String>) -> Html {
    let safe = fix.applicability == Applicability::Safe;
    let label = fix_label(Some(fix.applicability)).unwrap_or("fix");
    let (old, new) = preview(text, &fix.edits).unwrap_or_default();
    let hover = old
        .iter()
        .map(|l| format!("- {l}"))
        .chain(new.iter().map(|l| format!("+ {l}")))
        .collect::<Vec<_>>()
        .join("\n");
    let onclick = {
        // The whole text is rewritten only when the fix is applied.
        let replace = replace.clone();
        let text = text.to_string();
        let edits = fix.edits.clone();
        Callback::from(move |_| replace.emit(apply_edits(&text, &edits)))
    };
    let lines = old
        .iter()
        .map(|l| html! { <span class="diff-del">{ format!("- {l}\n") }</span> })
        .chain(
            new.iter()
                .map(|l| html! { <span class="diff-ins">{ format!("+ {l}\n") }</span> }),
        );
    html! {
        <div class={classes!("problem-fix", if safe { "fix-safe" } else { "fix-unsafe" })}>
            <button class="button fix-button" title={format!("{}\n{}", fix.title, hover)} {onclick}>
                { format!("Fix: {}", fix.title) }
            </button>
            <span class={classes!("badge", "fix-applicability")}
                title={if safe { "Keeps the build's meaning; applied by Fix all safe" } else { "Changes behaviour: review before applying" }}>
                { label }
            </span>
            <details class="fix-preview">
                <summary>{ "Preview" }</summary>
                <pre class="fix-diff">{ for lines }</pre>
            </details>
        </div>
    }
}

/// Before and after of the lines a fix touches (at most 12 lines each), computed on those lines
/// only: the whole text is not rewritten to show a preview.
fn preview(text: &str, edits: &[TextEdit]) -> Option<(Vec<String>, Vec<String>)> {
    let start = edits.iter().map(|e| e.span.start as usize).min()?;
    let end = edits.iter().map(|e| e.span.end as usize).max()?;
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text.get(end..)?.find('\n').map_or(text.len(), |i| end + i);
    let region = text.get(line_start..line_end)?;
    let shift = line_start as u32;
    let local: Vec<TextEdit> = edits
        .iter()
        .map(|e| TextEdit {
            span: Span {
                start: e.span.start - shift,
                end: e.span.end - shift,
            },
            insert: e.insert.clone(),
        })
        .collect();
    let after = apply_edits(region, &local);
    let cap = |s: &str| s.lines().take(12).map(str::to_string).collect::<Vec<_>>();
    Some((cap(region), cap(&after)))
}
