//! The app's hooks, as yew's `function_todomvc` keeps them: what components ask of the state
//! (jump, replace, revert), and the effects that tie the state to the browser (autosave, the
//! notice timer, the paused analysis of large texts, the modal dialog, global keys).

use crate::commands::{shortcut, Command, Modifiers};
use crate::share;
use crate::state::{Action, AppState, Library, StateHandle};
use crate::storage;
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDialogElement, HtmlElement};
use yew::prelude::*;

/// A callback that dispatches `make(value)` to the app's state (a no-op outside the app).
#[hook]
fn use_dispatch<T: 'static>(make: fn(T) -> Action) -> Callback<T> {
    let state = use_context::<StateHandle>();
    Callback::from(move |value: T| {
        if let Some(state) = &state {
            state.dispatch(make(value));
        }
    })
}

/// A callback that moves the editor's cursor to a byte offset.
#[hook]
pub fn use_jump() -> Callback<u32> {
    use_dispatch(Action::JumpTo)
}

/// A callback that replaces the whole text (an applied fix or refactor): the editor takes it as
/// one undoable step, so Ctrl+Z restores exactly the text before.
#[hook]
pub fn use_replace_text() -> Callback<String> {
    use_dispatch(Action::Replace)
}

/// A callback that puts back the text a pane replaced (its Undo button) through the editor's
/// undo history, so the editor's Ctrl+Shift+Z can redo it.
#[hook]
pub fn use_revert_text() -> Callback<String> {
    use_dispatch(Action::Revert)
}

/// Autosave of the open snippet's text: written 400 ms after typing stops (a burst of
/// keystrokes writes once). When another snippet opens, the one left behind gets its last
/// keystrokes written at once (unless it was deleted) and the new one's text is written too, so
/// a new snippet exists in storage before anything is typed. Returns a callback that writes what
/// is still waiting (Ctrl+S, leaving the page). Nothing is written in an embedded page.
#[hook]
pub fn use_autosave(state: &AppState) -> Callback<()> {
    let pending = use_mut_ref(|| None::<(u32, Rc<str>)>);
    let timer = use_mut_ref(|| None::<Timeout>);
    let written = use_mut_ref(|| None::<u32>);
    {
        let (pending, timer) = (pending.clone(), timer.clone());
        let enabled = !state.embedded;
        let ids: Vec<u32> = state.library.snippets.iter().map(|s| s.id).collect();
        use_effect_with(
            (state.text.clone(), state.library.active),
            move |(text, id)| {
                if !enabled {
                    return;
                }
                if *written.borrow() != Some(*id) {
                    *timer.borrow_mut() = None;
                    if let Some((left, text)) = pending.borrow_mut().take() {
                        if ids.contains(&left) {
                            storage::save_text(left, &text);
                        }
                    }
                    storage::save_text(*id, text);
                    *written.borrow_mut() = Some(*id);
                    return;
                }
                *pending.borrow_mut() = Some((*id, text.clone()));
                let pending = pending.clone();
                *timer.borrow_mut() = Some(Timeout::new(400, move || {
                    if let Some((id, text)) = pending.borrow_mut().take() {
                        storage::save_text(id, &text);
                    }
                }));
            },
        );
    }
    Callback::from(move |()| {
        *timer.borrow_mut() = None;
        if let Some((id, text)) = pending.borrow_mut().take() {
            storage::save_text(id, &text);
        }
    })
}

/// Saves the library when it changes, and removes the texts of deleted snippets.
#[hook]
pub fn use_library_storage(library: &Library, enabled: bool) {
    let known = use_mut_ref(|| None::<Vec<u32>>);
    use_effect_with(library.clone(), move |library| {
        if !enabled {
            return;
        }
        storage::save_library(library);
        let ids: Vec<u32> = library.snippets.iter().map(|s| s.id).collect();
        if let Some(before) = known.borrow().as_ref() {
            for id in before.iter().filter(|id| !ids.contains(id)) {
                storage::delete_text(*id);
            }
        }
        *known.borrow_mut() = Some(ids);
    });
}

/// Hides the notice six seconds after it appeared.
#[hook]
pub fn use_notice_timer(state: &StateHandle) {
    let timer = use_mut_ref(|| None::<Timeout>);
    let seq = state.notice.as_ref().map(|n| n.seq);
    let state = state.clone();
    use_effect_with(seq, move |seq| {
        *timer.borrow_mut() =
            seq.map(|seq| Timeout::new(6000, move || state.dispatch(Action::DismissNotice(seq))));
    });
}

/// Texts at least this large are analysed after typing pauses, not on every keystroke.
pub const DEFER_ANALYSIS_BYTES: usize = 128 * 1024;
/// The pause, in milliseconds.
const DEFER_ANALYSIS_MS: u32 = 300;

/// Calls `f` once the browser has painted the current frame: from a task queued in the next
/// animation frame, so what the current task changed (the typed character) is on screen first.
fn after_paint(f: impl FnOnce() + 'static) {
    let frame = wasm_bindgen::closure::Closure::once_into_js(move || Timeout::new(0, f).forget());
    // Without animation frames at all (never in a browser window), a plain task.
    let window = gloo::utils::window();
    if window
        .request_animation_frame(frame.unchecked_ref())
        .is_err()
    {
        let _ = window.set_timeout_with_callback(frame.unchecked_ref());
    }
}

/// The text to analyse, `None` until the first analysis. The analysis never runs in the task
/// that changed the text: the editor paints the keystroke first, and the analysis (and the
/// panes it redraws) follows in a task of its own after that frame, for the newest text only
/// (a burst of keystrokes between two frames is analysed once). A large text (its analysis
/// takes longer than a frame) waits for a pause in typing instead; until its analysis, the
/// panes show the previous one and the editor maps the previous highlighting through the edits.
/// The page's first analysis also waits for the first paint of the editor.
#[hook]
pub fn use_analysed_text(text: &Rc<str>) -> Option<Rc<str>> {
    let analysed = use_state(|| None::<Rc<str>>);
    let timer = use_mut_ref(|| None::<Timeout>);
    // The newest text, which a scheduled analysis takes when it runs.
    let wanted = use_mut_ref(|| None::<Rc<str>>);
    let scheduled = use_mut_ref(|| false);
    {
        let analysed = analysed.clone();
        use_effect_with(text.clone(), move |text| {
            *timer.borrow_mut() = None;
            *wanted.borrow_mut() = Some(text.clone());
            if analysed.as_ref().is_some_and(|a| Rc::ptr_eq(a, text)) {
                return;
            }
            if text.len() >= DEFER_ANALYSIS_BYTES && analysed.is_some() {
                let text = text.clone();
                *timer.borrow_mut() = Some(Timeout::new(DEFER_ANALYSIS_MS, move || {
                    analysed.set(Some(text))
                }));
            } else if !*scheduled.borrow() {
                *scheduled.borrow_mut() = true;
                after_paint(move || {
                    *scheduled.borrow_mut() = false;
                    if let Some(text) = wanted.borrow().clone() {
                        analysed.set(Some(text));
                    }
                });
            }
        });
    }
    (*analysed).clone()
}

/// Shows the `<dialog>` as a modal while `open` holds a value (focus moves in, Esc closes) and
/// clears `open` when the browser closes it.
#[hook]
pub fn use_modal<T: Clone + PartialEq + 'static>(
    dialog: &NodeRef,
    open: &UseStateHandle<Option<T>>,
) {
    let dialog = dialog.clone();
    let handle = open.clone();
    use_effect_with(open.is_some(), move |open| {
        let listener = dialog.cast::<HtmlDialogElement>().map(|el| {
            if *open && !el.open() {
                let _ = el.show_modal();
            } else if !*open && el.open() {
                el.close();
            }
            EventListener::new(&el, "close", move |_| handle.set(None))
        });
        move || drop(listener)
    });
}

/// The page-wide listeners: keyboard shortcuts, share links pasted into the address bar of an
/// open app, and leaving the page (which writes the autosave that is still waiting). `commands`
/// always holds the latest command handler.
#[hook]
pub fn use_global_listeners(commands: Rc<RefCell<Callback<Command>>>) {
    use_effect_with((), move |_| {
        let document = gloo::utils::document();
        let keys = {
            let commands = commands.clone();
            EventListener::new(&document, "keydown", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                // The editor is a contenteditable element.
                let in_text_field = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlElement>().ok())
                    .is_some_and(|el| {
                        el.is_content_editable()
                            || matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
                    });
                let modifiers = Modifiers {
                    alt: e.alt_key(),
                    ctrl: e.ctrl_key() || e.meta_key(),
                    shift: e.shift_key(),
                };
                if let Some(command) = shortcut(&e.key(), modifiers, in_text_field) {
                    e.prevent_default();
                    commands.borrow().emit(command);
                }
            })
        };
        // Leaving or reloading the page (the update banner too) never loses typing that the
        // debounced autosave has not written yet.
        let hide = {
            let commands = commands.clone();
            EventListener::new(&gloo::utils::window(), "pagehide", move |_| {
                commands.borrow().emit(Command::Flush)
            })
        };
        let hash = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
            let hash = gloo::utils::window().location().hash().unwrap_or_default();
            if let Some(value) = share::fragment_value(&hash) {
                match share::decode(value) {
                    Ok(shared) => commands.borrow().emit(Command::OpenShared(shared)),
                    Err(e) => gloo::console::warn!(format!("share link: {e}")),
                }
            }
        });
        move || drop((keys, hash, hide))
    });
}
