//! The editor: CodeMirror 6 behind a small JavaScript bridge ([`bridge`]). CodeMirror owns the
//! document's editing (selection, undo history, IME, scrolling, search); the app's state keeps
//! the text, which the editor reports on every change. Highlighting, diagnostics, fold ranges,
//! indentation, hovers, completions, go to definition and rename come from the engine's analysis
//! and its `ide` module ([`crate::editing`]).

#[path = "editor/bridge.rs"]
mod bridge;

use crate::editing::{self, byte_to_utf16, utf16_to_byte};
use crate::state::{HistoryOp, HistoryRequest, Jump, Origin};
use stageplay::analysis::Analysis;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[derive(Properties)]
pub struct EditorProps {
    pub text: Rc<str>,
    /// Bumped when `text` was set from outside the editor; `text_origin` says how.
    pub text_rev: u64,
    pub text_origin: Origin,
    /// The last undo/redo asked from outside the editor.
    #[prop_or_default]
    pub history: Option<HistoryRequest>,
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
            && self.text_origin == other.text_origin
            && self.history == other.history
            && self.jump == other.jump
            && self.on_edit == other.on_edit
            && self.on_cursor == other.on_cursor
            && self.on_reject == other.on_reject
            && self.read_only == other.read_only
    }
}

/// Draws Markdown into `parent` with the editor's renderer (the one hovers use): text nodes
/// only, never HTML.
pub fn render_markdown(parent: &web_sys::Element, md: &str) {
    bridge::render_markdown(parent, md);
}

/// What the editor's callbacks read: the props of the latest render.
struct Latest {
    text: Rc<str>,
    analysis: Rc<Analysis>,
    analysed: bool,
    on_edit: Callback<String>,
    on_cursor: Callback<u32>,
    on_reject: Callback<usize>,
}

impl Latest {
    fn of(props: &EditorProps) -> Latest {
        Latest {
            text: props.text.clone(),
            analysis: props.analysis.clone(),
            analysed: props.analysed,
            on_edit: props.on_edit.clone(),
            on_cursor: props.on_cursor.clone(),
            on_reject: props.on_reject.clone(),
        }
    }
}

type Shared = Rc<RefCell<Latest>>;

/// The view and the Rust closures it calls (they live as long as the view).
struct Mounted {
    view: bridge::View,
    /// The text revision, history request and read-only setting the view has taken.
    rev: u64,
    history: Option<HistoryRequest>,
    read_only: bool,
    _callbacks: Callbacks,
}

/// `ide(kind, pos, document length, arg)`: a language feature's answer as JSON, or `None` while
/// the analysis is not of the editor's document.
type IdeFn = dyn FnMut(String, u32, u32, Option<String>) -> Option<String>;

struct Callbacks {
    _change: Closure<dyn FnMut(String, u32)>,
    _cursor: Closure<dyn FnMut(u32)>,
    _reject: Closure<dyn FnMut(f64)>,
    _ide: Closure<IdeFn>,
    _indent: Closure<dyn FnMut(u32) -> Option<u32>>,
}

fn set(object: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), value);
}

/// What the view starts with.
struct Start {
    text: Rc<str>,
    rev: u64,
    history: Option<HistoryRequest>,
    read_only: bool,
}

/// Creates the view in `parent` with the callbacks that report to the app.
fn mount(parent: &web_sys::Element, start: &Start, latest: &Shared) -> Mounted {
    let options = js_sys::Object::new();
    set(&options, "readOnly", &start.read_only.into());
    set(
        &options,
        "maxBytes",
        &(stageplay::analysis::MAX_INPUT_BYTES as f64).into(),
    );
    set(&options, "label", &"Dockerfile".into());
    let classes: js_sys::Array = editing::TOKEN_CLASSES
        .iter()
        .map(|c| JsValue::from_str(c))
        .collect();
    set(&options, "classes", &classes);

    let change = {
        let latest = latest.clone();
        Closure::<dyn FnMut(String, u32)>::new(move |text: String, head: u32| {
            let (on_edit, on_cursor) = {
                let l = latest.borrow();
                (l.on_edit.clone(), l.on_cursor.clone())
            };
            let cursor = utf16_to_byte(&text, head);
            on_edit.emit(text);
            on_cursor.emit(cursor);
        })
    };
    let cursor = {
        let latest = latest.clone();
        Closure::<dyn FnMut(u32)>::new(move |head: u32| {
            let (text, on_cursor) = {
                let l = latest.borrow();
                (l.text.clone(), l.on_cursor.clone())
            };
            on_cursor.emit(utf16_to_byte(&text, head));
        })
    };
    let reject = {
        let latest = latest.clone();
        Closure::<dyn FnMut(f64)>::new(move |bytes: f64| {
            let on_reject = latest.borrow().on_reject.clone();
            on_reject.emit(bytes as usize);
        })
    };
    // The language features (hover, completion, definition, rename), asked with the editor's
    // document length: `undefined` while the analysis is not of that document yet (the bridge
    // asks again a few frames later), else the answer as JSON (`null`: nothing there).
    let ide = {
        let latest = latest.clone();
        Closure::<IdeFn>::new(
            move |kind: String, pos: u32, length: u32, arg: Option<String>| {
                let l = latest.borrow();
                let text = &*l.text;
                if !l.analysed || byte_to_utf16(text, text.len() as u32) != length {
                    return None;
                }
                let (analysis, offset) = (&*l.analysis, utf16_to_byte(text, pos));
                let json = match kind.as_str() {
                    "hover" => serde_json::to_string(&editing::hover(text, analysis, offset)),
                    "complete" => {
                        serde_json::to_string(&editing::completions(text, analysis, offset))
                    }
                    "definition" => {
                        serde_json::to_string(&editing::definition(text, analysis, offset))
                    }
                    "rename" => serde_json::to_string(&editing::rename(
                        text,
                        analysis,
                        offset,
                        arg.as_deref(),
                    )),
                    _ => return Some("null".into()),
                };
                Some(json.unwrap_or_else(|_| "null".into()))
            },
        )
    };
    let indent = {
        let latest = latest.clone();
        Closure::<dyn FnMut(u32) -> Option<u32>>::new(move |end: u32| {
            let l = latest.borrow();
            editing::indent_after(&l.text, l.analysis.doc.escape, utf16_to_byte(&l.text, end))
        })
    };
    let callbacks = js_sys::Object::new();
    set(&callbacks, "change", change.as_ref());
    set(&callbacks, "cursor", cursor.as_ref());
    set(&callbacks, "reject", reject.as_ref());
    set(&callbacks, "ide", ide.as_ref());
    set(&callbacks, "indent", indent.as_ref());
    let view = bridge::create(parent, &start.text, &options, &callbacks);
    Mounted {
        view,
        rev: start.rev,
        history: start.history,
        read_only: start.read_only,
        _callbacks: Callbacks {
            _change: change,
            _cursor: cursor,
            _reject: reject,
            _ide: ide,
            _indent: indent,
        },
    }
}

/// Turns the editor's document into `text` with the smallest single replacement (one undo step).
fn replace_with(view: &bridge::View, text: &str) {
    let current = bridge::text(view);
    if let Some(c) = editing::minimal_change(&current, text) {
        bridge::replace(view, c.from, c.to, c.insert);
    }
}

/// Takes a text set from outside the editor into its document and history.
fn take_text(view: &bridge::View, text: &str, origin: Origin) {
    match origin {
        Origin::Open => bridge::reset(view, text),
        Origin::Edit => replace_with(view, text),
        Origin::Revert => {
            // The pane's Undo is the editor's undo when that gives the same text, so the
            // editor's history and the pane agree (and Ctrl+Shift+Z redoes it).
            if bridge::undo_edit(view) {
                if bridge::text(view) == text {
                    return;
                }
                bridge::redo_edit(view);
            }
            replace_with(view, text);
        }
    }
}

#[component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let host = use_node_ref();
    let mounted = use_mut_ref(|| None::<Mounted>);
    let latest: Shared = use_mut_ref(|| Latest::of(props));
    *latest.borrow_mut() = Latest::of(props);

    // Create the view once; destroy it with the component.
    {
        let (host, mounted, latest) = (host.clone(), mounted.clone(), latest.clone());
        let start = Start {
            text: props.text.clone(),
            rev: props.text_rev,
            history: props.history,
            read_only: props.read_only,
        };
        use_effect_with((), move |_| {
            if let Some(parent) = host.cast::<web_sys::Element>() {
                *mounted.borrow_mut() = Some(mount(&parent, &start, &latest));
            }
            move || {
                if let Some(m) = mounted.borrow_mut().take() {
                    bridge::destroy(&m.view);
                }
            }
        });
    }
    // A text set from outside (a fix, a refactor, another snippet) enters the editor.
    {
        let mounted = mounted.clone();
        let (text, origin) = (props.text.clone(), props.text_origin);
        use_effect_with(props.text_rev, move |rev| {
            let mut m = mounted.borrow_mut();
            if let Some(m) = m.as_mut().filter(|m| m.rev != *rev) {
                m.rev = *rev;
                take_text(&m.view, &text, origin);
            }
        });
    }
    // Undo or redo asked from outside the editor (Ctrl+Z while a pane has focus).
    {
        let mounted = mounted.clone();
        use_effect_with(props.history, move |request| {
            let mut m = mounted.borrow_mut();
            if let Some(m) = m.as_mut().filter(|m| m.history != *request) {
                m.history = *request;
                match request.map(|r| r.op) {
                    Some(HistoryOp::Undo) => {
                        bridge::undo_edit(&m.view);
                    }
                    Some(HistoryOp::Redo) => {
                        bridge::redo_edit(&m.view);
                    }
                    None => {}
                }
            }
        });
    }
    // The analysis of the current text: highlighting, diagnostics, fold ranges. While a large
    // text waits for its analysis, the editor maps the previous one through the edits.
    {
        let mounted = mounted.clone();
        let (text, analysis) = (props.text.clone(), props.analysis.clone());
        let key = (
            Rc::as_ptr(&props.analysis) as usize,
            props.analysed,
            props.text_rev,
        );
        use_effect_with(key, move |&(_, analysed, _)| {
            if let (true, Some(m)) = (analysed, mounted.borrow().as_ref()) {
                let runs = editing::highlight_runs(&text, &analysis.doc.tokens);
                let diagnostics = editing::editor_diagnostics(&text, &analysis.diagnostics);
                let json = serde_json::to_string(&diagnostics).unwrap_or_else(|_| "[]".into());
                let folds = editing::fold_ranges(&text, &analysis);
                let length = byte_to_utf16(&text, text.len() as u32);
                bridge::set_analysis(&m.view, length, &runs, &json, &folds);
            }
        });
    }
    // Move the cursor when asked to (a click in the graph or the Problems pane).
    {
        let mounted = mounted.clone();
        let text = props.text.clone();
        use_effect_with(props.jump, move |jump| {
            if let (Some(jump), Some(m)) = (jump, mounted.borrow().as_ref()) {
                bridge::set_cursor(&m.view, byte_to_utf16(&text, jump.offset));
            }
        });
    }
    {
        let mounted = mounted.clone();
        use_effect_with(props.read_only, move |on| {
            // The view was created with the setting; only a change reconfigures it.
            let mut m = mounted.borrow_mut();
            if let Some(m) = m.as_mut().filter(|m| m.read_only != *on) {
                m.read_only = *on;
                bridge::set_read_only(&m.view, *on);
            }
        });
    }

    html! { <div class="editor" ref={host}></div> }
}
