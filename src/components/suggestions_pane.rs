//! The Suggestions pane: the multi-stage refactors for the current text, each with why, its
//! applicability, its sources, a diff preview (unified or side by side), and the estimated image
//! size and layer count before → after. "Apply" replaces the text as one undoable edit (and
//! "Undo" restores the text it replaced, through the editor's history); "Apply all" runs
//! [`refactor::apply_all`] with a preview
//! of the whole refactored file, which "Download" saves as `Dockerfile`.

#[path = "suggestions/diff_view.rs"]
mod diff_view;

use super::PaneProps;
use crate::diff::{diff_lines, stats};
use crate::guide;
use crate::hooks::{use_replace_text, use_revert_text};
use diff_view::Layout;
use stageplay::analysis::{declined, suggestions, Declined};
use stageplay::diagnostic::{apply_edits, Applicability};
use stageplay::estimate::size::human;
use stageplay::refactor::{self, size, Suggestion};
use yew::prelude::*;

/// Unchanged lines shown around each change of a suggestion's diff.
const CONTEXT: usize = 3;

/// The last text the pane replaced, so "Undo" can put it back.
#[derive(Debug, Clone, PartialEq)]
struct Applied {
    title: String,
    before: String,
    after: String,
}

/// Everything the pane shows for one text, computed once per text and options.
struct Plan {
    items: Vec<(Suggestion, String)>,
    /// The text after every suggestion (`apply_all`), with its estimated size and layers.
    all: String,
    all_size: Option<size::Measure>,
    /// The refactors that could apply but are not offered, with why.
    declined: Vec<Declined>,
}

/// Before → after with the change in percent: `1.09 GB → 172 MB (−84%)`.
fn change(before: u64, after: u64, show: fn(u64) -> String) -> String {
    let pct = if before == 0 {
        0.0
    } else {
        (after as f64 - before as f64) / before as f64 * 100.0
    };
    let pct = if pct.abs() < 0.05 {
        "±0%".to_string()
    } else if pct < 0.0 {
        format!("−{:.1}%", -pct)
    } else {
        format!("+{pct:.1}%")
    };
    format!("{} → {} ({pct})", show(before), show(after))
}

fn impact(
    size: (Option<u64>, Option<u64>),
    layers: (Option<usize>, Option<usize>),
    testid: &str,
) -> Html {
    let size = match size {
        (Some(b), Some(a)) => Some(html! {
            <span class="suggestion-size" data-before={b.to_string()} data-after={a.to_string()}>
                { "Image " }<strong>{ change(b, a, human) }</strong>
            </span>
        }),
        _ => None,
    };
    let layers = match layers {
        (Some(b), Some(a)) => Some(html! {
            <span class="suggestion-layers">
                { "Layers " }<strong>{ change(b as u64, a as u64, |n| n.to_string()) }</strong>
            </span>
        }),
        _ => None,
    };
    if size.is_none() && layers.is_none() {
        return html! {};
    }
    html! {
        <p class="suggestion-impact" data-testid={testid.to_string()}>{ for size }{ for layers }</p>
    }
}

/// The explanation with its `backquoted` spans as code (text nodes only: nothing is parsed as HTML).
fn explanation(text: &str) -> Html {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                html! { <code>{ part.to_string() }</code> }
            } else {
                html! { { part.to_string() } }
            }
        })
        .collect()
}

fn badge(applicability: Applicability) -> Html {
    let (label, class, title) = match applicability {
        Applicability::Safe => ("safe", "sg-safe", "Keeps the build's meaning"),
        Applicability::Unsafe => (
            "review",
            "sg-review",
            "Changes what the image contains or how it runs: read the diff before applying",
        ),
        Applicability::DisplayOnly => ("example", "sg-example", "Shown as an example only"),
    };
    html! { <span class={classes!("sg-badge", class)} {title}>{ label }</span> }
}

/// The "Not offered" list: each refactor that could apply but cannot be shown safe here, with why.
fn not_offered(declined: &[Declined]) -> Html {
    if declined.is_empty() {
        return html! {};
    }
    let items = declined.iter().map(|d| {
        html! {
            <li class="sg-declined-item" data-id={d.id.clone()}>
                <strong class="sg-declined-title">{ d.title.clone() }</strong>
                { ": " }
                <span class="sg-declined-reason">{ explanation(&d.reason) }</span>
            </li>
        }
    });
    html! {
        <section class="sg-declined" aria-label="Not offered" data-testid="sg-declined">
            <h3 class="suggestion-title">{ "Not offered" }</h3>
            <p class="muted">{ "These refactors could apply, but Stageplay cannot show that the result would still build and run:" }</p>
            <ul>{ for items }</ul>
        </section>
    }
}

#[component(SuggestionsPane)]
pub fn suggestions_pane(props: &PaneProps) -> Html {
    let replace = use_replace_text();
    let revert = use_revert_text();
    let layout = use_state(|| Layout::Unified);
    let applied = use_state(|| None::<Applied>);
    let show_all = use_state(|| false);
    // Keyed on the text and options: the analysis is derived from exactly those.
    let plan = {
        let analysis = props.analysis.clone();
        use_memo(
            (props.text.clone(), props.options.clone()),
            move |(text, options)| {
                let list = suggestions(text, &analysis, options);
                let declined = declined(text, &analysis, options);
                if list.is_empty() {
                    return Plan {
                        items: Vec::new(),
                        all: text.to_string(),
                        all_size: None,
                        declined,
                    };
                }
                let refactor_options = options.refactor_options();
                let all = refactor::apply_all(text, &refactor_options);
                // Over the engine's limit for sizing suggestions, "all together" is not sized
                // either; it is sized as each suggestion is (target, build args, the context).
                let all_size = (text.len() <= refactor::MAX_MEASURED_BYTES)
                    .then(|| {
                        size::measure(&all, &refactor_options.model, &refactor_options.estimate)
                    })
                    .flatten();
                let items = list
                    .into_iter()
                    .map(|s| {
                        let after = apply_edits(text, &s.edits);
                        (s, after)
                    })
                    .collect();
                Plan {
                    items,
                    all,
                    all_size,
                    declined,
                }
            },
        )
    };
    let text: &str = &props.text;

    // Replaces the text and remembers what it replaced.
    let apply = {
        let replace = replace.clone();
        let applied = applied.clone();
        let before = props.text.clone();
        move |title: String, after: String| {
            let replace = replace.clone();
            let applied = applied.clone();
            let before = before.clone();
            Callback::from(move |_: MouseEvent| {
                applied.set(Some(Applied {
                    title: title.clone(),
                    before: before.to_string(),
                    after: after.clone(),
                }));
                replace.emit(after.clone());
            })
        }
    };

    let undo_bar = match &*applied {
        Some(a) if a.after == text => {
            let onclick = {
                let revert = revert.clone();
                let applied = applied.clone();
                let before = a.before.clone();
                Callback::from(move |_| {
                    applied.set(None);
                    revert.emit(before.clone());
                })
            };
            html! {
                <div class="sg-undo" role="status">
                    <span>{ format!("Applied: {}.", a.title) }</span>
                    <button class="button sg-undo-button" {onclick}
                        title="Restore the text as it was before this change">{ "Undo" }</button>
                </div>
            }
        }
        _ => html! {},
    };

    let layout_toggle = {
        let option = |value: Layout, label: &'static str| {
            let layout = layout.clone();
            let pressed = *layout == value;
            let onclick = Callback::from(move |_| layout.set(value));
            html! {
                <button class={classes!("button", pressed.then_some("sg-pressed"))}
                    aria-pressed={pressed.to_string()} {onclick}>{ label }</button>
            }
        };
        html! {
            <div class="sg-layout" role="group" aria-label="Diff layout">
                { option(Layout::Unified, "Unified") }
                { option(Layout::SideBySide, "Side by side") }
            </div>
        }
    };
    let head = html! {
        <div class="pane-head">
            <h2 class="pane-title">{ "Suggestions" }</h2>
            if !plan.items.is_empty() { { layout_toggle } }
        </div>
    };

    if props.analysis.too_large.is_some() {
        return html! {
            <div class="suggestions">{ head }
                <p class="muted">{ "This text is too large to analyse." }</p></div>
        };
    }
    let not_offered = not_offered(&plan.declined);
    if plan.items.is_empty() {
        return html! {
            <div class="suggestions">{ head }{ undo_bar }
                <p class="muted sg-empty">{ "No refactor to suggest for this Dockerfile." }</p>
                { not_offered }</div>
        };
    }

    let items = plan.items.iter().map(|(s, after)| {
        let diff = diff_lines(text, after);
        let (added, removed) = stats(&diff);
        let apply_button = (s.applicability != Applicability::DisplayOnly).then(|| {
            let onclick = apply(s.title.clone(), after.clone());
            html! {
                <button class="button button-primary sg-apply" {onclick}
                    aria-label={format!("Apply: {}", s.title)}>{ "Apply" }</button>
            }
        });
        let sources = s.sources.iter().map(|src| match &src.url {
            Some(url) => html! {
                <li><a href={url.clone()} target="_blank" rel="noopener noreferrer">{ guide::source_title(&src.title) }</a></li>
            },
            None => html! { <li>{ guide::source_title(&src.title) }</li> },
        });
        html! {
            <li class="suggestion" data-id={s.id.clone()}>
                <div class="suggestion-head">
                    <h3 class="suggestion-title">{ s.title.clone() }</h3>
                    { badge(s.applicability) }
                </div>
                <p class="suggestion-why">{ explanation(&s.explanation) }</p>
                { impact((s.size_before, s.size_after), (s.layers_before, s.layers_after), "suggestion-impact") }
                if let Some(note) = &s.size_note {
                    <p class="suggestion-impact muted" data-testid="suggestion-size-note">{ format!("Size change {note}.") }</p>
                }
                <details class="suggestion-diff">
                    <summary>{ format!("Diff (+{added} −{removed})") }</summary>
                    { diff_view::render(&diff, CONTEXT, *layout, &format!("Diff of {}", s.title)) }
                </details>
                if !s.sources.is_empty() {
                    <div class="suggestion-sources">
                        <span class="muted">{ "Sources:" }</span>
                        <ul>{ for sources }</ul>
                        if s.sources.iter().any(|src| guide::is_guide_source(&src.title)) {
                            <p class="muted">{ "The multi-stage build guide is in the app: Guide, at the top." }</p>
                        }
                    </div>
                }
                <div class="suggestion-actions">{ for apply_button }</div>
            </li>
        }
    });

    let all_changed = plan.all != text;
    let all_section = all_changed.then(|| {
        let before = plan.items.first().map(|(s, _)| (s.size_before, s.layers_before));
        let (size_before, layers_before) = before.unwrap_or_default();
        let after = plan.all_size;
        let on_apply_all = apply("all suggestions".to_string(), plan.all.clone());
        let on_download = {
            let all = plan.all.clone();
            Callback::from(move |_| {
                if !crate::browser::save_text("Dockerfile", "application/octet-stream", &all) {
                    gloo::console::error!("download failed");
                }
            })
        };
        let toggle = {
            let show_all = show_all.clone();
            Callback::from(move |_| show_all.set(!*show_all))
        };
        let preview = show_all.then(|| {
            let diff = diff_lines(text, &plan.all);
            diff_view::render(&diff, usize::MAX, *layout, "The refactored Dockerfile")
        });
        html! {
            <section class="sg-all" aria-label="All suggestions">
                <h3 class="suggestion-title">{ "All suggestions together" }</h3>
                <p class="muted">{ "Applies every suggestion but examples, one after another, until none is left." }</p>
                { impact((size_before, after.map(|m| m.bytes)), (layers_before, after.map(|m| m.layers)), "apply-all-impact") }
                <div class="suggestion-actions">
                    <button class="button sg-preview" onclick={toggle} aria-expanded={show_all.to_string()}
                        aria-controls="sg-all-preview">
                        { if *show_all { "Hide the refactored file" } else { "Preview the refactored file" } }
                    </button>
                    <button class="button button-primary sg-apply-all" onclick={on_apply_all}>{ "Apply all" }</button>
                    <button class="button sg-download" onclick={on_download}
                        title="Save the refactored Dockerfile">{ "Download" }</button>
                </div>
                <div id="sg-all-preview">{ for preview }</div>
            </section>
        }
    });

    html! {
        <div class="suggestions">
            { head }
            { undo_bar }
            <ul class="suggestion-list">{ for items }</ul>
            { for all_section }
            { not_offered }
        </div>
    }
}
