//! The final filesystem as an expandable tree: directories are buttons with `aria-expanded`
//! (keyboard: Tab and Enter/Space), every node shows its size and range, files show which line
//! put them there.

use super::{line_button, range_text, stage_name, PartProps};
use stageplay::analysis::Analysis;
use stageplay::estimate::size::human;
use stageplay::estimate::FileNode;
use std::collections::HashSet;
use yew::prelude::*;

/// At most this many children per directory are listed; the rest are summed in one row.
const MAX_CHILDREN: usize = 40;

struct Ctx<'a> {
    analysis: &'a Analysis,
    jump: &'a Callback<u32>,
    open: &'a UseStateHandle<HashSet<String>>,
}

fn node(ctx: &Ctx, n: &FileNode, depth: usize) -> Html {
    let dir = !n.children.is_empty();
    let expanded = ctx.open.contains(&n.path);
    let label = if depth == 0 { "/" } else { n.name.as_str() };
    let head = if dir {
        let toggle = {
            let open = ctx.open.clone();
            let path = n.path.clone();
            Callback::from(move |_| {
                let mut next = (*open).clone();
                if !next.remove(&path) {
                    next.insert(path.clone());
                }
                open.set(next);
            })
        };
        html! {
            <button class="img-node" data-path={n.path.clone()} aria-expanded={expanded.to_string()} onclick={toggle}>
                <span class="img-caret" aria-hidden="true">{ if expanded { "▾" } else { "▸" } }</span>
                { label.to_string() }
            </button>
        }
    } else {
        html! { <span class="img-node img-leaf">{ label.to_string() }</span> }
    };
    let origins = n.origins.iter().map(|o| {
        let what = format!(
            "{}: {}",
            stage_name(ctx.analysis.estimate(), o.stage),
            o.what
        );
        html! {
            <span class="img-origin" title={what.clone()}>
                { line_button(ctx.analysis, ctx.jump, o.line) }
                <span class="muted">{ what }</span>
            </span>
        }
    });
    let children = (dir && expanded).then(|| {
        let rest: Vec<&FileNode> = n.children.iter().skip(MAX_CHILDREN).collect();
        let more = (!rest.is_empty()).then(|| {
            let bytes: u64 = rest.iter().map(|c| c.bytes).sum();
            html! { <li class="muted img-more">{ format!("… {} more ({})", rest.len(), human(bytes)) }</li> }
        });
        html! {
            <ul>
                { for n.children.iter().take(MAX_CHILDREN).map(|c| node(ctx, c, depth + 1)) }
                { more.unwrap_or_default() }
            </ul>
        }
    });
    html! {
        <li class="img-tree-item">
            <div class="img-tree-row">
                { head }
                <span class="img-size">{ human(n.bytes) }</span>
                <span class="img-range muted">{ range_text(n.low_bytes, n.high_bytes) }</span>
                { for origins }
            </div>
            { children.unwrap_or_default() }
        </li>
    }
}

#[component(FileTree)]
pub(super) fn file_tree(props: &PartProps) -> Html {
    let open = use_state(|| HashSet::from(["/".to_string()]));
    let ctx = Ctx {
        analysis: &props.analysis,
        jump: &props.jump,
        open: &open,
    };
    html! {
        <section class="img-section" aria-label="Files">
            <h3>{ "Files" }</h3>
            <ul class="img-tree">{ node(&ctx, &props.analysis.estimate().files, 0) }</ul>
        </section>
    }
}
