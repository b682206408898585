//! The comparison chart: every stage of this Dockerfile (each a possible target) and the founding
//! guide's alternatives (full / slim / multi-stage / alpine / distroless), on one scale.

use super::{bar, range_text};
use stageplay::estimate::size::human;
use stageplay::estimate::{Alternative, Estimate};
use yew::prelude::*;

fn row(
    label: Html,
    (bytes, low, high): (u64, u64, u64),
    scale: u64,
    note: String,
    guide: Option<&str>,
) -> Html {
    html! {
        <li class="img-chart-row" title={note.clone()}>
            <span class="img-chart-label">{ label }</span>
            { bar(bytes, low, high, scale, note) }
            <span class="img-size">{ human(bytes) }</span>
            <span class="img-range muted">{ range_text(low, high) }</span>
            if let Some(g) = guide {
                <span class="img-guide muted" data-testid="guide-size">{ format!("guide: {g}") }</span>
            }
        </li>
    }
}

pub(super) fn comparison(e: &Estimate, alternatives: &[Alternative]) -> Html {
    let scale = e
        .stages
        .iter()
        .map(|s| s.high_bytes.max(s.total_bytes))
        .chain(alternatives.iter().map(|a| a.high_bytes.max(a.total_bytes)))
        .max()
        .unwrap_or(0);
    let target = e.target.as_deref();
    let stages = e.stages.iter().map(|s| {
        let is_target = Some(s.name.as_str()) == target;
        let label = html! {
            <>
            <span class={classes!(is_target.then_some("img-target"))}>{ s.name.clone() }</span>
            if is_target { <span class="muted">{ " (target)" }</span> }
            </>
        };
        let note = format!(
            "{} on {}: {} layers{}",
            s.name,
            s.base,
            s.layers,
            if s.needed {
                ""
            } else {
                ", not needed by the target"
            }
        );
        row(
            label,
            (s.total_bytes, s.low_bytes, s.high_bytes),
            scale,
            note,
            None,
        )
    });
    let alts = alternatives.iter().map(|a| {
        let label = html! {
            <>{ a.label.clone() }<span class="muted mono">{ format!(" {}", a.image) }</span></>
        };
        row(
            label,
            (a.total_bytes, a.low_bytes, a.high_bytes),
            scale,
            a.note.clone(),
            a.guide,
        )
    });
    html! {
        <section class="img-section" aria-label="Comparison">
            <h3>{ "Compare" }</h3>
            <h4 class="img-chart-title">{ "Stages (as targets)" }</h4>
            <ul class="img-chart">{ for stages }</ul>
            if !alternatives.is_empty() {
                <h4 class="img-chart-title">{ "Alternatives for this Dockerfile" }</h4>
                <ul class="img-chart img-chart-alt">{ for alts }</ul>
                if alternatives.iter().any(|a| a.guide.is_some()) {
                    <p class="muted img-guide-note">{ "“guide” figures are the typical sizes the multi-stage build guide (Guide, at the top) gives for a FastAPI app; the estimates are for this Dockerfile." }</p>
                }
            }
        </section>
    }
}
