//! UI components: each takes props and emits callbacks. One pane per file.

pub mod editor;
pub mod graph_pane;
pub mod image_pane;
pub mod problems_pane;
pub mod suggestions_pane;

use crate::app::StateHandle;
use crate::state::Action;
use stageplay::analysis::{Analysis, AnalysisOptions};
use std::rc::Rc;
use yew::prelude::*;

/// Every pane gets the current analysis; equality is pointer identity (it is memoised).
#[derive(Properties)]
pub struct PaneProps {
    pub analysis: Rc<Analysis>,
    /// The text the analysis was made from.
    pub text: Rc<str>,
    /// The options the analysis was made with (target, build args, context).
    pub options: Rc<AnalysisOptions>,
}

impl PartialEq for PaneProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis)
            && Rc::ptr_eq(&self.text, &other.text)
            && self.options == other.options
    }
}

/// A callback that moves the editor's cursor to a byte offset.
#[hook]
pub fn use_jump() -> Callback<u32> {
    let state = use_context::<StateHandle>();
    Callback::from(move |offset: u32| {
        if let Some(state) = &state {
            state.dispatch(Action::JumpTo(offset));
        }
    })
}

/// A callback that replaces the whole text (an applied fix or refactor): the editor takes it as
/// one undoable step, so Ctrl+Z restores exactly the text before.
#[hook]
pub fn use_replace_text() -> Callback<String> {
    let state = use_context::<StateHandle>();
    Callback::from(move |text: String| {
        if let Some(state) = &state {
            state.dispatch(Action::Replace(text));
        }
    })
}

/// A callback that puts back the text a pane replaced (its Undo button) through the editor's
/// undo history, so the editor's Ctrl+Shift+Z can redo it.
#[hook]
pub fn use_revert_text() -> Callback<String> {
    let state = use_context::<StateHandle>();
    Callback::from(move |text: String| {
        if let Some(state) = &state {
            state.dispatch(Action::Revert(text));
        }
    })
}

/// Formats a byte count for people: `1.2 GB`, `148 MB`, `12 kB` (powers of 1000, as Docker does).
pub fn human_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.0} kB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}
