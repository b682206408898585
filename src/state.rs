//! The app state: one `Reducible` value; every transition is a pure `reduce`.

use crate::editing::normalize_newlines;
use crate::storage::Library;
use stageplay::estimate::{ContextFile, EstimateOptions};
use std::rc::Rc;
use std::sync::Arc;
use yew::Reducible;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Graph,
    Image,
    Suggestions,
    Problems,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Graph, Pane::Image, Pane::Suggestions, Pane::Problems];

    pub fn label(self) -> &'static str {
        match self {
            Pane::Graph => "Graph",
            Pane::Image => "Image",
            Pane::Suggestions => "Suggestions",
            Pane::Problems => "Problems",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Pane::Graph => "graph",
            Pane::Image => "image",
            Pane::Suggestions => "suggestions",
            Pane::Problems => "problems",
        }
    }

    pub fn from_id(id: &str) -> Option<Pane> {
        Pane::ALL.into_iter().find(|p| p.id() == id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    System,
    Light,
    Dark,
}

impl Theme {
    /// The next theme of the toggle: system → dark → light → system.
    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Dark,
            Theme::Dark => Theme::Light,
            Theme::Light => Theme::System,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "Theme: system",
            Theme::Light => "Theme: light",
            Theme::Dark => "Theme: dark",
        }
    }
}

/// How a text set from outside the editor enters the editor's undo history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A change of this document (a fix, a refactor, an example in its place): one undoable step.
    Edit,
    /// A pane's Undo button: the editor's own undo when that gives this text, else one step.
    Revert,
    /// Another document (a snippet, a file, a share link): its history starts anew.
    Open,
}

/// Undo or redo in the editor, asked from outside it (Ctrl+Z while a pane has focus).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryOp {
    Undo,
    Redo,
}

/// A request to the editor's history; `seq` makes repeated requests distinct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryRequest {
    pub op: HistoryOp,
    pub seq: u64,
}

/// A request to move the editor's cursor; `seq` makes repeated jumps to one place distinct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jump {
    pub offset: u32,
    pub seq: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// Shared, so cloning the state or passing the text to panes never copies it.
    pub text: Rc<str>,
    /// Bumped whenever the text is set from outside the editor (example, fix, refactor,
    /// snippet), so the editor knows to take it; `text_origin` says how.
    pub text_rev: u64,
    pub text_origin: Origin,
    /// The last undo/redo asked of the editor from outside it.
    pub history: Option<HistoryRequest>,
    pub pane: Pane,
    pub theme: Theme,
    /// The editor's cursor as a byte offset into `text`.
    pub cursor: u32,
    pub jump: Option<Jump>,
    pub target: Option<String>,
    pub build_args: Vec<(String, String)>,
    /// Build context size after `.dockerignore`, in bytes, as the user set it in the Image pane.
    pub context_bytes: Option<u64>,
    /// The `.dockerignore` text the user pasted in the Image pane.
    pub dockerignore: Option<String>,
    /// The project folder the user dropped or picked in the Image pane: read in the browser,
    /// never uploaded, never saved (it is gone on reload).
    pub project: Option<Project>,
    /// Dependency files the user pasted or dropped one by one (requirements.txt, package.json,
    /// lock files); a file of the same path replaces the folder's.
    pub pasted: Vec<ContextFile>,
    /// The saved snippets; `library.active` is the one being edited.
    pub library: Library,
    /// Embedded read-only: every change of the text is refused.
    pub read_only: bool,
}

/// A project folder as the Image pane read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// The folder's name.
    pub name: String,
    /// Files listed (before `.dockerignore`).
    pub files: usize,
    /// What the engine's `context::project_options` made of it.
    pub options: Arc<EstimateOptions>,
}

impl AppState {
    /// The project the estimate uses: the folder with the pasted files over it.
    pub fn project_options(&self) -> Option<Arc<EstimateOptions>> {
        stageplay::estimate::context::with_pasted(
            self.project.as_ref().map(|p| p.options.as_ref()),
            &self.pasted,
        )
        .map(Arc::new)
    }

    pub fn new(text: String) -> AppState {
        AppState {
            text: Rc::from(normalize_newlines(text)),
            text_rev: 0,
            text_origin: Origin::Open,
            history: None,
            pane: Pane::Graph,
            theme: Theme::System,
            cursor: 0,
            jump: None,
            target: None,
            build_args: Vec::new(),
            context_bytes: None,
            dockerignore: None,
            project: None,
            pasted: Vec::new(),
            library: Library::default(),
            read_only: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The user typed: the editor already holds this text.
    Edited(String),
    /// Replace the text from outside the editor, as one undoable step.
    Replace(String),
    /// Put back a text a pane replaced (its Undo button), through the editor's history.
    Revert(String),
    /// Undo or redo in the editor.
    History(HistoryOp),
    SelectPane(Pane),
    ToggleTheme,
    SetTheme(Theme),
    Cursor(u32),
    JumpTo(u32),
    SetTarget(Option<String>),
    SetBuildArgs(Vec<(String, String)>),
    /// The build context the image estimate assumes (`None` = not set; blank `.dockerignore` = none).
    SetContext {
        bytes: Option<u64>,
        dockerignore: Option<String>,
    },
    /// A project folder read in the Image pane (`None` forgets it).
    SetProject(Option<Project>),
    /// A dependency file pasted or dropped; empty content removes the file of that path.
    SetPastedFile {
        path: String,
        content: String,
    },
    /// Names changed (the texts are unchanged).
    SetLibrary(Library),
    /// Another snippet is open: its text replaces the editor's.
    OpenSnippet {
        library: Library,
        text: String,
    },
}

impl AppState {
    fn set_text(&mut self, text: String, origin: Origin) {
        self.text = Rc::from(normalize_newlines(text));
        self.text_rev += 1;
        self.text_origin = origin;
        self.cursor = self.cursor.min(self.text.len() as u32);
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let edits_text = matches!(
            action,
            Action::Edited(_)
                | Action::Replace(_)
                | Action::Revert(_)
                | Action::History(_)
                | Action::OpenSnippet { .. }
        );
        if self.read_only && edits_text {
            return self;
        }
        let mut next = (*self).clone();
        match action {
            Action::Edited(text) => next.text = Rc::from(text),
            Action::Replace(text) => next.set_text(text, Origin::Edit),
            Action::Revert(text) => next.set_text(text, Origin::Revert),
            Action::History(op) => {
                let seq = next.history.map_or(0, |h| h.seq + 1);
                next.history = Some(HistoryRequest { op, seq });
            }
            Action::SelectPane(pane) => next.pane = pane,
            Action::ToggleTheme => next.theme = next.theme.next(),
            Action::SetTheme(theme) => next.theme = theme,
            Action::Cursor(offset) => next.cursor = offset,
            Action::JumpTo(offset) => {
                let seq = next.jump.map_or(0, |j| j.seq + 1);
                next.jump = Some(Jump { offset, seq });
                next.cursor = offset;
            }
            Action::SetTarget(target) => next.target = target,
            Action::SetBuildArgs(args) => next.build_args = args,
            Action::SetLibrary(library) => next.library = library,
            Action::OpenSnippet { library, text } => {
                next.library = library;
                next.set_text(text, Origin::Open);
                next.cursor = 0;
            }
            Action::SetContext {
                bytes,
                dockerignore,
            } => {
                next.context_bytes = bytes;
                next.dockerignore = dockerignore.filter(|d| !d.trim().is_empty());
            }
            Action::SetProject(project) => next.project = project,
            Action::SetPastedFile { path, content } => {
                let path = path.trim().to_string();
                next.pasted.retain(|f| f.path != path);
                if !content.trim().is_empty() && !path.is_empty() {
                    next.pasted.push(ContextFile { path, content });
                }
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reduce(state: AppState, action: Action) -> AppState {
        (*Rc::new(state).reduce(action)).clone()
    }

    #[test]
    fn replace_bumps_the_revision_but_typing_does_not() {
        let s = AppState::new("FROM a".into());
        let s = reduce(s, Action::Edited("FROM b".into()));
        assert_eq!((&*s.text, s.text_rev), ("FROM b", 0));
        let s = reduce(s, Action::Replace("FROM c".into()));
        assert_eq!((&*s.text, s.text_rev), ("FROM c", 1));
    }

    #[test]
    fn outside_texts_say_how_they_enter_the_history_and_lose_carriage_returns() {
        let s = AppState::new("FROM a\r\n".into());
        assert_eq!(&*s.text, "FROM a\n");
        let s = reduce(s, Action::Replace("FROM b\r\n".into()));
        assert_eq!((&*s.text, s.text_origin), ("FROM b\n", Origin::Edit));
        let s = reduce(s, Action::Revert("FROM a\n".into()));
        assert_eq!(
            (&*s.text, s.text_rev, s.text_origin),
            ("FROM a\n", 2, Origin::Revert)
        );
        let s = reduce(
            s,
            Action::OpenSnippet {
                library: Library::default(),
                text: "FROM c".into(),
            },
        );
        assert_eq!((s.text_rev, s.text_origin), (3, Origin::Open));
        // Typing is not from outside.
        let s = reduce(s, Action::Edited("FROM cd".into()));
        assert_eq!((s.text_rev, s.text_origin), (3, Origin::Open));
    }

    #[test]
    fn history_requests_are_distinct() {
        let s = reduce(
            AppState::new(String::new()),
            Action::History(HistoryOp::Undo),
        );
        let first = s.history;
        let s = reduce(s, Action::History(HistoryOp::Undo));
        assert_ne!(first, s.history);
        assert_eq!(s.history.map(|h| h.op), Some(HistoryOp::Undo));
    }

    #[test]
    fn read_only_refuses_every_change_of_the_text() {
        let mut s = AppState::new("FROM a".into());
        s.read_only = true;
        let s = reduce(s, Action::Replace("FROM evil".into()));
        let s = reduce(s, Action::Edited("FROM evil".into()));
        let s = reduce(s, Action::Revert("FROM evil".into()));
        let s = reduce(s, Action::History(HistoryOp::Undo));
        assert_eq!((&*s.text, s.text_rev, s.history), ("FROM a", 0, None));
        let s = reduce(s, Action::SelectPane(Pane::Image));
        assert_eq!(s.pane, Pane::Image);
    }

    #[test]
    fn repeated_jumps_are_distinct() {
        let s = reduce(AppState::new(String::new()), Action::JumpTo(3));
        let first = s.jump;
        let s = reduce(s, Action::JumpTo(3));
        assert_ne!(first, s.jump);
        assert_eq!(s.cursor, 3);
    }

    #[test]
    fn pasted_files_are_replaced_by_path_and_removed_when_empty() {
        let s = AppState::new("FROM a".into());
        assert_eq!(s.project_options(), None);
        let s = reduce(
            s,
            Action::SetPastedFile {
                path: "requirements.txt".into(),
                content: "flask\n".into(),
            },
        );
        let s = reduce(
            s,
            Action::SetPastedFile {
                path: "requirements.txt".into(),
                content: "fastapi\n".into(),
            },
        );
        assert_eq!(s.pasted.len(), 1);
        let opts = s.project_options().unwrap();
        assert_eq!(opts.context_files[0].content, "fastapi\n");
        let s = reduce(
            s,
            Action::SetPastedFile {
                path: "requirements.txt".into(),
                content: " ".into(),
            },
        );
        assert!(s.pasted.is_empty());
        let folder = Project {
            name: "app".into(),
            files: 1,
            options: Arc::new(stageplay::estimate::context::project_options(&[])),
        };
        let s = reduce(s, Action::SetProject(Some(folder.clone())));
        assert_eq!(s.project, Some(folder));
        let s = reduce(s, Action::SetProject(None));
        assert_eq!(s.project, None);
    }

    #[test]
    fn set_context_stores_size_and_dockerignore_and_clears_blank_ones() {
        let s = reduce(
            AppState::new("FROM a".into()),
            Action::SetContext {
                bytes: Some(5_000_000),
                dockerignore: Some(".git\n".into()),
            },
        );
        assert_eq!(s.context_bytes, Some(5_000_000));
        assert_eq!(s.dockerignore.as_deref(), Some(".git\n"));
        assert_eq!(&*s.text, "FROM a");
        let s = reduce(
            s,
            Action::SetContext {
                bytes: None,
                dockerignore: Some("  \n".into()),
            },
        );
        assert_eq!((s.context_bytes, s.dockerignore), (None, None));
    }

    #[test]
    fn theme_toggle_cycles() {
        let mut t = Theme::System;
        for _ in 0..3 {
            t = t.next();
        }
        assert_eq!(t, Theme::System);
    }
}
