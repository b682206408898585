//! UI components: each takes props and emits callbacks.

pub mod editor;
pub mod panes;
