//! The Image pane: what the final image will contain, before any build — its size with a range,
//! a dive-like layer list, fact cards with warnings, the file tree, a comparison with other targets
//! and the founding guide's alternatives, and the build-context inputs the estimate depends on.

#[path = "image/chart.rs"]
mod chart;
#[path = "image/context.rs"]
mod context;
#[path = "image/facts.rs"]
mod facts;
#[path = "image/layers.rs"]
mod layers;
#[path = "image/tree.rs"]
mod tree;

use super::PaneProps;
use crate::hooks::use_jump;
use stageplay::analysis::Analysis;
use stageplay::estimate::size::human;
use stageplay::estimate::{compare_alternatives, Estimate};
use std::rc::Rc;
use yew::prelude::*;

/// An analysis compared by identity, as a memo dependency.
struct Same(Rc<Analysis>);

impl PartialEq for Same {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// `322 MB – 701 MB`, or nothing when the figure is exact.
fn range_text(low: u64, high: u64) -> String {
    if low == high {
        String::new()
    } else {
        format!("{} – {}", human(low), human(high))
    }
}

/// `part` as a percentage of `whole`, for bar widths.
fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64 * 100.0).min(100.0)
    }
}

/// A horizontal bar: the estimate filled, its low–high range as a lighter band behind it.
fn bar(bytes: u64, low: u64, high: u64, scale: u64, title: String) -> Html {
    let (lo, hi) = (pct(low, scale), pct(high, scale));
    html! {
        <span class="img-bar" {title} aria-hidden="true">
            <span class="img-bar-range" style={format!("left:{lo:.1}%;width:{:.1}%", (hi - lo).max(0.0))}></span>
            <span class="img-bar-fill" style={format!("width:{:.1}%", pct(bytes, scale))}></span>
        </span>
    }
}

/// The instruction that starts on a 1-based line, as a byte offset for the editor.
fn line_offset(analysis: &Analysis, line: u32) -> Option<u32> {
    analysis
        .doc
        .instructions
        .iter()
        .find(|i| i.start_line == line)
        .map(|i| i.span.start)
}

/// A button that moves the editor's cursor to the instruction on `line`.
fn line_button(analysis: &Analysis, jump: &Callback<u32>, line: u32) -> Html {
    match line_offset(analysis, line) {
        Some(offset) => {
            let jump = jump.clone();
            let onclick = Callback::from(move |_| jump.emit(offset));
            html! {
                <button class="img-line" title={format!("Go to line {line}")} {onclick}>
                    { format!("L{line}") }
                </button>
            }
        }
        None if line == 0 => html! { <span class="img-line muted">{ "base" }</span> },
        None => html! { <span class="img-line muted">{ format!("L{line}") }</span> },
    }
}

/// Props of the pane's stateful parts: the analysis (compared by identity) and the jump callback.
#[derive(Properties)]
struct PartProps {
    analysis: Rc<Analysis>,
    jump: Callback<u32>,
}

impl PartialEq for PartProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis) && self.jump == other.jump
    }
}

fn stage_name(e: &Estimate, stage: usize) -> String {
    e.stages
        .get(stage)
        .map_or_else(|| format!("stage {stage}"), |s| s.name.clone())
}

#[component(ImagePane)]
pub fn image_pane(props: &PaneProps) -> Html {
    let jump = use_jump();
    let analysis = props.analysis.clone();
    let alternatives = {
        let options = props.options.clone();
        use_memo((Same(analysis.clone()), options), |(a, options)| {
            let a = &a.0;
            if a.too_large.is_some() || a.model.stages.is_empty() {
                return Vec::new();
            }
            compare_alternatives(&a.doc, &a.model, &options.estimate_options())
        })
    };
    if let Some(bytes) = analysis.too_large {
        return html! {
            <div class="image">
                <h2 class="pane-title">{ "Image" }</h2>
                <p class="notice" role="alert">{ format!(
                    "This text is {}, over the analysis limit: no estimate.", human(bytes as u64)) }</p>
            </div>
        };
    }
    let e = analysis.estimate();
    if analysis.model.stages.is_empty() {
        return html! {
            <div class="image">
                <h2 class="pane-title">{ "Image" }</h2>
                <p class="muted">{ "No FROM instruction yet: nothing to estimate." }</p>
            </div>
        };
    }
    let base = e.base.as_ref().map(|b| {
        let kind = b.matched.split_whitespace().next().unwrap_or("unknown");
        let resolved = b
            .resolved
            .as_ref()
            .filter(|r| **r != b.reference)
            .map(|r| format!(" → {r}"));
        html! {
            <div class="img-stat img-stat-base">
                <span class="img-stat-label">{ "Base image" }</span>
                <span class="mono">{ b.reference.clone() }{ resolved.unwrap_or_default() }</span>
                <span class={classes!("img-match", format!("img-match-{kind}"))}
                    title="exact: the tag is in the knowledge base; approximate: a close variant is used; unknown: a wide range, not a guess">
                    { b.matched.clone() }
                </span>
                <span class="img-source muted">{ format!("{} ({})", human(b.bytes), b.source) }</span>
                if let Some(why) = &b.why { <span class="img-source muted">{ format!("Approximate: {why}") }</span> }
                if let Some(history) = &b.history { <span class="img-source muted img-base-history">{ history.clone() }</span> }
            </div>
        }
    });
    let alpine = e.alpine_base;
    let notes = (!e.notes.is_empty()).then(|| {
        html! {
            <section class="img-section">
                <h3>{ "Not counted" }</h3>
                <ul class="img-notes">{ for e.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
            </section>
        }
    });
    html! {
        <div class="image" data-layers={e.layers.len().to_string()}>
            <h2 class="pane-title">
                { "Final image" }
                if let Some(t) = &e.target { <span class="muted">{ format!(" — target {t}") }</span> }
            </h2>
            <div class="img-summary">
                <div class="img-stat">
                    <span class="img-stat-label">{ "Estimated size" }</span>
                    <strong class="img-total" data-bytes={format!("{} {} {}", e.total_bytes, e.low_bytes, e.high_bytes)}>
                        { format!("≈ {}", human(e.total_bytes)) }
                    </strong>
                    <span class="muted">{ range_text(e.low_bytes, e.high_bytes) }</span>
                </div>
                <div class="img-stat">
                    <span class="img-stat-label">{ "Wasted" }</span>
                    <strong class={classes!((e.wasted_bytes > 0).then_some("img-warn-text"))}>{ human(e.wasted_bytes) }</strong>
                    <span class="muted">{ "deleted or overwritten by a later layer" }</span>
                </div>
                { base.unwrap_or_default() }
            </div>
            <p class={classes!("img-about", alpine.then_some("img-about-alpine"))}>
                { "All figures are estimates from the Dockerfile alone (uncompressed, as docker images shows them); \
                   ranges show the uncertainty. Base sizes come from docker-library/repo-info's pages or the images' build files (the base card names \
                   its source; a few are marked estimates), Debian package sizes from the bookworm and trixie indexes, pip/npm sizes from our measurements; \
                   a figure no table gives is labelled a fallback in its layer. " }
                if alpine {
                    <strong>{ "Alpine package sizes are an approximation" }</strong>
                    { " (no Alpine index is available here), so their ranges are wider." }
                }
            </p>
            { facts::cards(&analysis, &jump) }
            <layers::LayerList analysis={analysis.clone()} jump={jump.clone()} />
            <tree::FileTree analysis={analysis.clone()} jump={jump.clone()} />
            { chart::comparison(e, &alternatives) }
            <context::ContextForm options={props.options.clone()} />
            { notes.unwrap_or_default() }
        </div>
    }
}
