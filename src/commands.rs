//! The commands that every button, menu and keyboard shortcut goes through, the keys that send
//! them, and [`run`], which carries one out: a state transition (the reducer), a dialog, or a
//! browser call (download, clipboard, file picker).

use crate::share::Shared;
use crate::state::{Action, HistoryOp, Pane, StateHandle};
use crate::{browser, export, storage, tables};
use stageplay::analysis::{Analysis, AnalysisOptions};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Which dialog is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    Help,
    Gallery,
    Snippets,
    Share,
    Embed,
    Export,
    Guide,
}

impl Dialog {
    pub fn title(self) -> &'static str {
        match self {
            Dialog::Help => "Keyboard shortcuts and help",
            Dialog::Gallery => "Examples",
            Dialog::Snippets => "Snippets",
            Dialog::Share => "Share a link",
            Dialog::Embed => "Embed in a page",
            Dialog::Export => "Export",
            Dialog::Guide => crate::guide::TITLE,
        }
    }
}

/// What can be downloaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Dockerfile,
    Json,
    Sarif,
    Markdown,
}

/// Everything the user can ask for; buttons and shortcuts both send these.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Open(Dialog),
    Close,
    SelectPane(Pane),
    ToggleTheme,
    SaveNow,
    /// Save without a notice (the page is being hidden or reloaded).
    Flush,
    NewSnippet,
    SwitchSnippet(u32),
    RenameSnippet(u32, String),
    DuplicateSnippet(u32),
    DeleteSnippet(u32),
    /// Open an example as a new snippet, or (`replace`) reset the current one to it.
    OpenExample {
        id: &'static str,
        replace: bool,
    },
    OpenShared(Shared),
    /// Ask for a file to open (the file picker).
    PickFile,
    /// A file the user picked or dropped, read in the browser: opened as a new snippet.
    OpenFile {
        name: String,
        text: String,
    },
    /// Format the Dockerfile (one undoable step).
    Format,
    /// Undo or redo in the editor (from anywhere but a text field).
    Undo,
    Redo,
    Download(ExportKind),
    Copy(String),
}

/// The keyboard shortcuts, as the help dialog lists them (the editor's own keys are
/// CodeMirror's, set in `static/editor/bridge.js`).
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("? or F1", "This help (outside the editor)"),
    (
        "Alt+1 … Alt+4",
        "Graph, Image, Suggestions, Problems pane (on a phone, shows the analysis)",
    ),
    (
        "← → Home End",
        "Move between pane tabs when a tab has focus (on a phone, also between Editor and Analysis)",
    ),
    (
        "← →, Shift+← →",
        "On the splitter between editor and analysis: resize (Shift: bigger steps); Home or double-click resets",
    ),
    (
        "← ↑ → ↓, + −, 0",
        "In the stage graph: pan, zoom; 0 fits the width, never below a readable size (a wide graph shows its target)",
    ),
    (
        "Ctrl+S",
        "Save the snippet now (it also autosaves as you type)",
    ),
    (
        "Ctrl+O",
        "Open a Dockerfile from your disk (or drop it on the page)",
    ),
    (
        "Shift+Alt+F",
        "Format the Dockerfile (also the Format button); Ctrl+Z undoes it",
    ),
    ("Alt+N", "New snippet"),
    ("Alt+O", "Snippets: open, rename, duplicate, delete"),
    ("Alt+E", "Examples gallery"),
    ("Alt+L", "Share link"),
    ("Alt+T", "Switch theme (system, dark, light)"),
    ("Esc", "Close a dialog"),
];

/// The editor's keys (CodeMirror's, with Stageplay's choices), as the help dialog lists them.
pub const EDITOR_KEYS: &[(&str, &str)] = &[
    (
        "Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y",
        "Undo, redo; also right after a quick fix, Fix all safe or Apply, wherever the focus is",
    ),
    (
        "Tab, Shift+Tab",
        "Indent, dedent the line; press Esc, then Tab, to move focus out (Ctrl+M switches Tab to moving focus)",
    ),
    ("Enter", "New line; after a line ending in \\ it is indented"),
    (
        "Ctrl+Space",
        "Complete: instructions, flags, mount options, stage names, variables, images and tags (also while typing)",
    ),
    ("F12", "Go to the definition of the stage or ARG under the cursor"),
    ("F2", "Rename the stage or ARG under the cursor everywhere it is used"),
    ("Ctrl+F", "Find and replace (Enter: next, Shift+Enter: previous, Esc: close)"),
    ("F3, Shift+F3", "Next, previous match"),
    ("Ctrl+D", "Select the next occurrence too (multiple cursors)"),
    ("Ctrl+click, Ctrl+Alt+↑ ↓, Alt+drag", "Add a cursor, add one above or below, select a rectangle"),
    ("Ctrl+/", "Comment or uncomment the lines (#)"),
    ("Ctrl+Shift+[ ]", "Fold, unfold the stage (or click the gutter's arrow)"),
    ("Alt+↑ ↓, Shift+Alt+↑ ↓", "Move, copy the line up or down"),
    ("Ctrl+Alt+G", "Go to line"),
    ("F8, Ctrl+Shift+M", "Next diagnostic, list of diagnostics"),
    ("[ ( { \" '", "Closing bracket or quote is added; typing it steps over"),
];

/// Modifier keys held with a key press.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Modifiers {
    pub alt: bool,
    /// Ctrl, or Cmd on a Mac.
    pub ctrl: bool,
    pub shift: bool,
}

/// Maps a key press to a command. Keys a text field (or the editor) uses itself are left to it.
pub fn shortcut(key: &str, m: Modifiers, in_text_field: bool) -> Option<Command> {
    let (alt, ctrl) = (m.alt, m.ctrl);
    if ctrl && !alt && key.eq_ignore_ascii_case("s") {
        return Some(Command::SaveNow);
    }
    if ctrl && !alt && key.eq_ignore_ascii_case("o") {
        return Some(Command::PickFile);
    }
    if ctrl && !alt && !in_text_field {
        match key.to_ascii_lowercase().as_str() {
            "z" if m.shift => return Some(Command::Redo),
            "z" => return Some(Command::Undo),
            "y" => return Some(Command::Redo),
            _ => {}
        }
    }
    if alt && !ctrl && m.shift && key.eq_ignore_ascii_case("f") {
        return Some(Command::Format);
    }
    if alt && !ctrl {
        // Alt+digit reports the digit in `key` on most layouts; `code` is not needed.
        return match key.to_ascii_lowercase().as_str() {
            "1" => Some(Command::SelectPane(Pane::Graph)),
            "2" => Some(Command::SelectPane(Pane::Image)),
            "3" => Some(Command::SelectPane(Pane::Suggestions)),
            "4" => Some(Command::SelectPane(Pane::Problems)),
            "n" => Some(Command::NewSnippet),
            "o" => Some(Command::Open(Dialog::Snippets)),
            "e" => Some(Command::Open(Dialog::Gallery)),
            "l" => Some(Command::Open(Dialog::Share)),
            "t" => Some(Command::ToggleTheme),
            _ => None,
        };
    }
    if key == "F1" || (key == "?" && !in_text_field && !ctrl) {
        return Some(Command::Open(Dialog::Help));
    }
    None
}

/// What carrying out a command needs: the state, the open dialog, the file input and the
/// current analysis (for exports).
pub struct Context {
    pub state: StateHandle,
    pub dialog: UseStateHandle<Option<Dialog>>,
    pub file_input: NodeRef,
    pub analysis: Rc<Analysis>,
    pub options: Rc<AnalysisOptions>,
    /// Writes the autosave that is still waiting.
    pub flush: Callback<()>,
}

/// Carries out `command`.
pub fn run(command: Command, cx: &Context) {
    let state = &cx.state;
    let embedded = state.embedded;
    match command {
        Command::Open(d) => {
            if !embedded {
                cx.dialog.set(Some(d));
            }
        }
        Command::Close => cx.dialog.set(None),
        Command::SelectPane(p) => state.dispatch(Action::SelectPane(p)),
        Command::ToggleTheme => state.dispatch(Action::ToggleTheme),
        Command::SaveNow => {
            if !embedded {
                cx.flush.emit(());
                storage::save_library(&state.library);
                state.dispatch(Action::Notify(format!(
                    "Saved “{}” in this browser.",
                    state.library.active_name()
                )));
            }
        }
        Command::Flush => cx.flush.emit(()),
        Command::NewSnippet => {
            state.dispatch(Action::NewSnippet);
            cx.dialog.set(None);
        }
        Command::SwitchSnippet(id) => state.dispatch(Action::SwitchSnippet(id)),
        Command::RenameSnippet(id, name) => state.dispatch(Action::RenameSnippet(id, name)),
        Command::DuplicateSnippet(id) => state.dispatch(Action::DuplicateSnippet(id)),
        Command::DeleteSnippet(id) => {
            let name = state
                .library
                .snippets
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let sure = gloo::utils::window()
                .confirm_with_message(&format!(
                    "Delete the snippet “{name}”? This cannot be undone."
                ))
                .unwrap_or(false);
            if sure {
                state.dispatch(Action::DeleteSnippet(id));
            }
        }
        Command::OpenExample { id, replace } => {
            state.dispatch(Action::OpenExample { id, replace });
            cx.dialog.set(None);
        }
        Command::OpenShared(shared) => {
            if !embedded {
                state.dispatch(Action::OpenShared(shared));
                browser::clear_fragment();
            }
        }
        Command::PickFile => {
            if let Some(input) = cx.file_input.cast::<HtmlInputElement>() {
                input.click();
            }
        }
        Command::OpenFile { name, text } => {
            state.dispatch(Action::OpenFile { name, text });
            cx.dialog.set(None);
        }
        Command::Format => state.dispatch(Action::Format),
        Command::Undo => state.dispatch(Action::History(HistoryOp::Undo)),
        Command::Redo => state.dispatch(Action::History(HistoryOp::Redo)),
        Command::Download(kind) => {
            let (text, analysis, options) =
                (state.text.clone(), cx.analysis.clone(), cx.options.clone());
            // The JSON and Markdown exports hold the image estimate, which reads the package tables.
            if matches!(kind, ExportKind::Json | ExportKind::Markdown) && !tables::ready() {
                let state = state.clone();
                tables::load(Callback::from(
                    move |loaded: Result<(), String>| match loaded {
                        Ok(()) => download(kind, &text, &analysis, &options),
                        Err(message) => state.dispatch(Action::Notify(message)),
                    },
                ));
            } else {
                download(kind, &text, &analysis, &options);
            }
        }
        Command::Copy(text) => {
            let state = state.clone();
            browser::copy_text(
                &text,
                Callback::from(move |ok: bool| {
                    state.dispatch(Action::Notify(if ok {
                        "Copied to the clipboard.".into()
                    } else {
                        "Copying was refused by the browser: select the text and copy it by hand."
                            .into()
                    }))
                }),
            );
        }
    }
}

/// Saves one export of `text` and its analysis as a file.
fn download(kind: ExportKind, text: &str, analysis: &Analysis, options: &AnalysisOptions) {
    let (name, mime, content) = match kind {
        ExportKind::Dockerfile => ("Dockerfile", "application/octet-stream", text.to_string()),
        ExportKind::Json => (
            "stageplay-analysis.json",
            "application/json",
            export::json(text, analysis, options),
        ),
        ExportKind::Sarif => (
            "stageplay.sarif",
            "application/sarif+json",
            export::sarif(text, analysis, "Dockerfile"),
        ),
        ExportKind::Markdown => (
            "stageplay-report.md",
            "text/markdown",
            export::markdown(text, analysis, options),
        ),
    };
    browser::save_text(name, mime, &content);
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTRL: Modifiers = Modifiers {
        alt: false,
        ctrl: true,
        shift: false,
    };

    #[test]
    fn undo_and_redo_reach_the_editor_from_outside_text_fields_only() {
        let shift = Modifiers {
            shift: true,
            ..CTRL
        };
        assert_eq!(shortcut("z", CTRL, false), Some(Command::Undo));
        assert_eq!(shortcut("Z", shift, false), Some(Command::Redo));
        assert_eq!(shortcut("y", CTRL, false), Some(Command::Redo));
        // In the editor or a text field, the field's own undo.
        assert_eq!(shortcut("z", CTRL, true), None);
        assert_eq!(shortcut("Z", shift, true), None);
    }

    #[test]
    fn app_shortcuts() {
        let alt = Modifiers {
            alt: true,
            ..Modifiers::default()
        };
        assert_eq!(shortcut("s", CTRL, true), Some(Command::SaveNow));
        assert_eq!(shortcut("o", CTRL, true), Some(Command::PickFile));
        assert_eq!(shortcut("l", alt, true), Some(Command::Open(Dialog::Share)));
        let shift_alt = Modifiers { shift: true, ..alt };
        assert_eq!(shortcut("F", shift_alt, false), Some(Command::Format));
        assert_eq!(
            shortcut("2", alt, false),
            Some(Command::SelectPane(Pane::Image))
        );
        assert_eq!(
            shortcut("?", Modifiers::default(), false),
            Some(Command::Open(Dialog::Help))
        );
        assert_eq!(shortcut("?", Modifiers::default(), true), None);
    }
}
