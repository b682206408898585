//! The editor: a native textarea (native undo, IME, selection) over a highlighted overlay,
//! with line numbers, diagnostic underlines and hover messages.

use crate::highlight::{self, byte_to_utf16, offset_at_visual, utf16_to_byte};
use crate::instruction_docs;
use crate::state::Jump;
use stageplay::analysis::Analysis;
use stageplay::syntax::TokenKind;
use stageplay::Severity;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Must match `--editor-line-height` and the padding in `static/style.css`.
const LINE_HEIGHT: f64 = 20.0;
const PADDING: f64 = 8.0;
const TAB_SIZE: usize = 4;
/// Lines rendered above and below the visible ones, so ordinary scrolling needs no render.
const OVERSCAN: usize = 48;
/// Window bounds snap to multiples of this, so a render happens every few lines of scrolling.
const SNAP: usize = 16;

/// The lines `[first, last)` the overlay and the gutter render. The textarea holds the whole
/// text; the highlighted overlay and the line numbers exist only around the visible part, so
/// typing and pasting cost the same for a 300-line and a 300 000-line file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    first: usize,
    last: usize,
}

impl Window {
    /// The window around what a textarea scrolled to `scroll_top` and `height` pixels high shows.
    fn around(scroll_top: f64, height: f64) -> Window {
        let first_visible = ((scroll_top - PADDING).max(0.0) / LINE_HEIGHT) as usize;
        let visible = (height.max(LINE_HEIGHT) / LINE_HEIGHT).ceil() as usize + 1;
        Window {
            first: first_visible.saturating_sub(OVERSCAN) / SNAP * SNAP,
            last: (first_visible + visible + OVERSCAN).div_ceil(SNAP) * SNAP,
        }
    }
}

/// Moves the overlay's and the gutter's content to the textarea's scroll position (through
/// CSSOM, which the Content-Security-Policy allows and Yew's renders leave alone), and moves
/// the window of rendered lines when the visible lines leave it.
fn follow_scroll(
    ta: &HtmlTextAreaElement,
    overlay: &NodeRef,
    gutter: &NodeRef,
    window: &UseStateHandle<Window>,
) {
    let (x, y) = (ta.scroll_left(), ta.scroll_top());
    let next = Window::around(f64::from(y), f64::from(ta.client_height()));
    if next != **window {
        window.set(next);
    }
    if let Some(o) = overlay.cast::<HtmlElement>() {
        let _ = o
            .style()
            .set_property("transform", &format!("translate({}px,{}px)", -x, -y));
    }
    if let Some(g) = gutter.cast::<HtmlElement>() {
        let _ = g
            .style()
            .set_property("transform", &format!("translateY({}px)", -y));
    }
}

#[derive(Properties)]
pub struct EditorProps {
    pub text: Rc<str>,
    pub text_rev: u64,
    pub analysis: Rc<Analysis>,
    /// Whether `analysis` is of `text` (false while a large file waits to be analysed).
    #[prop_or(true)]
    pub analysed: bool,
    pub jump: Option<Jump>,
    pub on_edit: Callback<String>,
    pub on_cursor: Callback<u32>,
    /// Called with the size of a text over the engine's limit; the editor refuses it.
    #[prop_or_default]
    pub on_reject: Callback<usize>,
    #[prop_or_default]
    pub read_only: bool,
}

impl PartialEq for EditorProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis)
            && self.analysed == other.analysed
            && self.text == other.text
            && self.text_rev == other.text_rev
            && self.jump == other.jump
            && self.on_edit == other.on_edit
            && self.on_cursor == other.on_cursor
            && self.on_reject == other.on_reject
            && self.read_only == other.read_only
    }
}

#[derive(Clone, PartialEq)]
struct Tooltip {
    x: f64,
    y: f64,
    title: String,
    body: String,
}

#[component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let overlay = use_node_ref();
    let gutter = use_node_ref();
    let measure = use_node_ref();
    let tooltip = use_state(|| None::<Tooltip>);
    let window = use_state(|| Window::around(0.0, 800.0));
    // Line starts of the text shown (the analysis may lag behind it for a large file).
    let lines = use_memo(props.text.clone(), |t| stageplay::LineIndex::new(t));
    // After Escape, the next Tab leaves the editor instead of inserting spaces.
    let tab_escapes = use_mut_ref(|| false);

    // Write the text into the textarea when it was replaced from outside (and on mount).
    {
        let textarea = textarea.clone();
        let text = props.text.clone();
        use_effect_with(props.text_rev, move |_| {
            if let Some(ta) = textarea.cast::<HtmlTextAreaElement>() {
                if ta.value() != *text {
                    replace_preserving_undo(&ta, &text);
                }
            }
        });
    }
    // Move the cursor when asked to (a click in the graph or the Problems pane).
    {
        let textarea = textarea.clone();
        let text = props.text.clone();
        use_effect_with(props.jump, move |jump| {
            if let (Some(jump), Some(ta)) = (jump, textarea.cast::<HtmlTextAreaElement>()) {
                let at = byte_to_utf16(&text, jump.offset);
                let _ = ta.focus();
                let _ = ta.set_selection_range(at, at);
                let line = text[..(jump.offset as usize).min(text.len())]
                    .matches('\n')
                    .count() as f64;
                let target = (line * LINE_HEIGHT - f64::from(ta.client_height()) / 3.0).max(0.0);
                ta.set_scroll_top(target as i32);
            }
        });
    }

    let oninput = {
        let on_edit = props.on_edit.clone();
        let on_reject = props.on_reject.clone();
        let text = props.text.clone();
        Callback::from(move |e: InputEvent| {
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            // Over the limit: put the previous text back before the browser lays out the new
            // one (a 12 MB textarea alone takes seconds), and say why.
            let limit = stageplay::analysis::MAX_INPUT_BYTES;
            let units = usize::try_from(ta.text_length()).unwrap_or(usize::MAX);
            let value = (units <= limit).then(|| ta.value());
            match value {
                Some(value) if value.len() <= limit => on_edit.emit(value),
                value => {
                    let bytes = value.map_or(units, |v| v.len());
                    ta.set_value(&text);
                    on_reject.emit(bytes);
                }
            }
        })
    };
    let report_cursor = {
        let on_cursor = props.on_cursor.clone();
        move |ta: &HtmlTextAreaElement| {
            let at = ta.selection_start().ok().flatten().unwrap_or(0);
            on_cursor.emit(utf16_to_byte(&ta.value(), at));
        }
    };
    let onkeydown = {
        let tab_escapes = tab_escapes.clone();
        let read_only = props.read_only;
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                *tab_escapes.borrow_mut() = true;
                return;
            }
            let escaped = std::mem::replace(&mut *tab_escapes.borrow_mut(), false);
            if e.key() == "Tab" && !e.shift_key() && !escaped && !read_only && !e.is_composing() {
                e.prevent_default();
                insert_text("    ");
            }
        })
    };
    let onkeyup = {
        let report_cursor = report_cursor.clone();
        Callback::from(move |e: KeyboardEvent| report_cursor(&e.target_unchecked_into()))
    };
    let onclick = Callback::from(move |e: MouseEvent| report_cursor(&e.target_unchecked_into()));
    let onscroll = {
        let (overlay, gutter, window) = (overlay.clone(), gutter.clone(), window.clone());
        Callback::from(move |e: Event| {
            follow_scroll(&e.target_unchecked_into(), &overlay, &gutter, &window);
        })
    };
    // When the text was replaced or the cursor jumped, the scroll position may have changed
    // without a scroll event; the window must cover what the textarea shows. (Not after every
    // render: reading the scroll position there would force a layout on each keystroke.)
    {
        let (textarea, overlay, gutter, window) = (
            textarea.clone(),
            overlay.clone(),
            gutter.clone(),
            window.clone(),
        );
        use_effect_with((props.text_rev, props.jump), move |_| {
            if let Some(ta) = textarea.cast::<HtmlTextAreaElement>() {
                follow_scroll(&ta, &overlay, &gutter, &window);
            }
        });
    }
    let onmousemove = {
        let tooltip = tooltip.clone();
        let analysis = props.analysis.clone();
        let text = props.text.clone();
        let measure = measure.clone();
        Callback::from(move |e: MouseEvent| {
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            let char_width = measure
                .cast::<HtmlElement>()
                .map(|m| m.get_bounding_client_rect().width() / 10.0)
                .filter(|w| *w > 0.0)
                .unwrap_or(7.8);
            let rect = ta.get_bounding_client_rect();
            let y = f64::from(e.client_y()) - rect.top() - PADDING + f64::from(ta.scroll_top());
            let x = f64::from(e.client_x()) - rect.left() - PADDING + f64::from(ta.scroll_left());
            let next = if x < 0.0 || y < 0.0 {
                None
            } else {
                offset_at_visual(
                    &text,
                    (y / LINE_HEIGHT) as usize,
                    (x / char_width) as usize,
                    TAB_SIZE,
                )
                .and_then(|offset| hover_at(&analysis, offset))
                .map(|(title, body)| Tooltip {
                    x: f64::from(e.client_x()) - rect.left() + 12.0,
                    y: f64::from(e.client_y()) - rect.top() + 16.0,
                    title,
                    body,
                })
            };
            if *tooltip != next {
                tooltip.set(next);
            }
        })
    };
    let onmouseleave = {
        let tooltip = tooltip.clone();
        Callback::from(move |_| tooltip.set(None))
    };

    let analysis = &props.analysis;
    let text: &str = &props.text;
    let line_count = lines.line_count();
    let first = window.first.min(line_count.saturating_sub(1));
    let last = window.last.clamp(first + 1, line_count);
    let start = lines.line_start(first);
    let end = if last >= line_count {
        text.len() as u32
    } else {
        lines.line_start(last)
    };
    // Tokens and diagnostics belong to the analysed text; when it lags behind the editor (a
    // large file analysed after a pause) the window is shown plain until it catches up.
    let current = props.analysed;
    let diags: Vec<_> = if current {
        analysis
            .diagnostics
            .iter()
            .filter(|d| d.span.end >= start && d.span.start <= end)
            .map(|d| (d.span, d.severity))
            .collect()
    } else {
        Vec::new()
    };
    let tokens: &[stageplay::syntax::Token] = if current { &analysis.doc.tokens } else { &[] };
    let segments = highlight::segments_in(text, tokens, &diags, stageplay::Span::new(start, end));
    let rendered = segments.iter().map(|seg| {
        let class = classes!(
            (!seg.class.is_empty()).then_some(seg.class),
            seg.severity.map(|s| match s {
                Severity::Error => "diag-error",
                Severity::Warning => "diag-warning",
                Severity::Info => "diag-info",
            })
        );
        let piece = text.get(seg.span.range()).unwrap_or("").to_string();
        if class.is_empty() {
            html! { { piece } }
        } else {
            html! { <span {class}>{ piece }</span> }
        }
    });
    let mut worst: Vec<Option<Severity>> = vec![None; last - first];
    if current {
        for d in &analysis.diagnostics {
            let line = lines.line_of(d.span.start);
            if let Some(slot) = line.checked_sub(first).and_then(|i| worst.get_mut(i)) {
                *slot = Some(slot.map_or(d.severity, |s| s.min(d.severity)));
            }
        }
    }
    let gutter_lines = worst.iter().enumerate().map(|(i, sev)| {
        let class = classes!("gutter-line", sev.map(|s| format!("gutter-{}", s.as_str())));
        html! { <div {class}>{ first + i + 1 }</div> }
    });
    let offset = format!("padding-top:{}px", first as f64 * LINE_HEIGHT);
    let tip = match &*tooltip {
        Some(t) => html! {
            <div class="hover-tip" role="tooltip" style={format!("left:{}px;top:{}px", t.x, t.y)}>
                <strong>{ &t.title }</strong><div>{ &t.body }</div>
            </div>
        },
        None => html! {},
    };

    html! {
        <div class="editor">
            <div class="gutter" aria-hidden="true">
                <div class="gutter-lines" ref={gutter} style={offset.clone()}>{ for gutter_lines }</div>
            </div>
            <div class="code">
                <pre class="overlay" aria-hidden="true"><code ref={overlay} style={offset}>{ for rendered }{ "\n" }</code></pre>
                <textarea ref={textarea} class="input" aria-label="Dockerfile" spellcheck="false"
                    autocomplete="off" autocapitalize="off" wrap="off" readonly={props.read_only}
                    {oninput} {onkeydown} {onkeyup} {onclick} {onscroll} {onmousemove} {onmouseleave} />
                <span class="measure" ref={measure} aria-hidden="true">{ "MMMMMMMMMM" }</span>
                { tip }
            </div>
        </div>
    }
}

/// What to show when hovering `offset`: a diagnostic's message, else the instruction's doc.
fn hover_at(analysis: &Analysis, offset: u32) -> Option<(String, String)> {
    let diag = analysis
        .diagnostics
        .iter()
        .filter(|d| d.span.contains(offset) || (d.span.is_empty() && d.span.start == offset))
        .min_by_key(|d| d.severity);
    if let Some(d) = diag {
        return Some((
            format!("{} [{}]", d.severity.as_str(), d.code),
            d.message.clone(),
        ));
    }
    let token = analysis
        .doc
        .tokens
        .iter()
        .find(|t| t.span.contains(offset))?;
    if token.kind != TokenKind::Keyword {
        return None;
    }
    let instr = analysis
        .doc
        .instructions
        .iter()
        .find(|i| i.keyword_span.contains(offset))?;
    let doc = instruction_docs::doc(instr.keyword)?;
    Some((instr.keyword.as_str().to_string(), doc.to_string()))
}

/// Inserts text at the selection through the browser's editing commands, so native undo works.
fn insert_text(text: &str) {
    let document = gloo::utils::document();
    if let Ok(html_doc) = document.dyn_into::<web_sys::HtmlDocument>() {
        let _ = html_doc.exec_command_with_show_ui_and_value("insertText", false, text);
    }
}

/// Replaces the whole text as one undoable edit when the browser allows it.
fn replace_preserving_undo(ta: &HtmlTextAreaElement, text: &str) {
    let active = gloo::utils::document().active_element();
    let focused = active
        .as_ref()
        .is_some_and(|a| a == ta.unchecked_ref::<web_sys::Element>());
    if focused {
        ta.select();
        insert_text(text);
        if ta.value() == text {
            return;
        }
    }
    ta.set_value(text);
}
