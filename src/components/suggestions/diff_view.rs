//! Renders a [`crate::diff`] as a table: unified (old and new line numbers, one column of text)
//! or side by side (old on the left, new on the right).

use crate::diff::{hunks, side_by_side, Line, Op};
use yew::prelude::*;

/// How a diff is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Unified,
    SideBySide,
}

fn class(op: Op) -> &'static str {
    match op {
        Op::Equal => "sdiff-eq",
        Op::Delete => "sdiff-del",
        Op::Insert => "sdiff-ins",
    }
}

fn sign(op: Op) -> &'static str {
    match op {
        Op::Equal => " ",
        Op::Delete => "-",
        Op::Insert => "+",
    }
}

fn number(n: Option<usize>) -> Html {
    html! { <td class="sdiff-no">{ n.map(|n| n.to_string()).unwrap_or_default() }</td> }
}

fn code(line: Option<&Line>) -> Html {
    match line {
        Some(l) => html! {
            <td class={classes!("sdiff-code", class(l.op))}>
                <span class="sdiff-sign" aria-hidden="true">{ sign(l.op) }</span>{ l.text.to_string() }
            </td>
        },
        None => html! { <td class="sdiff-code sdiff-none"></td> },
    }
}

/// The diff's hunks with `context` unchanged lines around each change, in `layout`; `label`
/// names the scrollable region for assistive technology.
pub fn render(diff: &[Line], context: usize, layout: Layout, label: &str) -> Html {
    let hunks = hunks(diff, context);
    let body = hunks.iter().map(|hunk| {
        let columns = if layout == Layout::Unified { "3" } else { "4" };
        let head = html! {
            <tr class="sdiff-hunk"><td colspan={columns}>{ hunk.header() }</td></tr>
        };
        let rows: Html = match layout {
            Layout::Unified => hunk
                .lines
                .iter()
                .map(|l| {
                    html! {
                        <tr class={class(l.op)}>
                            { number(l.old) }{ number(l.new) }{ code(Some(l)) }
                        </tr>
                    }
                })
                .collect(),
            Layout::SideBySide => side_by_side(hunk)
                .iter()
                .map(|r| {
                    html! {
                        <tr>
                            { number(r.left.and_then(|l| l.old)) }{ code(r.left.as_ref()) }
                            { number(r.right.and_then(|l| l.new)) }{ code(r.right.as_ref()) }
                        </tr>
                    }
                })
                .collect(),
        };
        html! { <>{ head }{ rows }</> }
    });
    let kind = match layout {
        Layout::Unified => "sdiff-unified",
        Layout::SideBySide => "sdiff-split",
    };
    html! {
        <div class="sdiff-scroll" tabindex="0" role="region" aria-label={label.to_string()}>
            <table class={classes!("sdiff", kind)}>
                if layout == Layout::SideBySide {
                    <colgroup>
                        <col class="sdiff-col-no" /><col /><col class="sdiff-col-no" /><col />
                    </colgroup>
                }
                <tbody>{ for body }</tbody>
            </table>
        </div>
    }
}
