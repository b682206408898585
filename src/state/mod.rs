//! The app state: one `Reducible` value; every transition is a pure `reduce`, tested natively.
//! The snippet library ([`Library`]) lives here with the text it belongs to; storage only reads
//! and writes it (the hooks decide when), and components reach the state through a context
//! holding its [`StateHandle`].

mod library;

pub use library::{Library, Snippet};

use crate::editing::normalize_newlines;
use crate::share::{Settings, Shared};
use stageplay::estimate::{ContextFile, EstimateOptions};
use stageplay::examples;
use stageplay::ide;
use std::rc::Rc;
use std::sync::Arc;
use yew::{Reducible, UseReducerHandle};

/// The app's state handle, shared with components through a context.
pub type StateHandle = UseReducerHandle<AppState>;

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

/// What a narrow screen (a phone) shows: the editor or the analysis, one at a time. Wide screens
/// show both, side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Editor,
    Analysis,
}

impl Shown {
    pub fn id(self) -> &'static str {
        match self {
            Shown::Editor => "editor",
            Shown::Analysis => "analysis",
        }
    }
}

/// The editor's share of the workspace's width on wide screens, in percent: the splitter's
/// default, bounds and keyboard steps.
pub mod split {
    pub const DEFAULT: f64 = 50.0;
    pub const MIN: f64 = 20.0;
    pub const MAX: f64 = 80.0;
    pub const STEP: f64 = 2.0;
    pub const BIG_STEP: f64 = 10.0;

    /// A width as the splitter may take it: within bounds, to a tenth of a percent; anything
    /// else (NaN, infinite) is the default.
    pub fn clamp(percent: f64) -> f64 {
        if percent.is_finite() {
            (percent.clamp(MIN, MAX) * 10.0).round() / 10.0
        } else {
            DEFAULT
        }
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

/// A message for the user, shown for a few seconds; `seq` makes repeated messages distinct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub seq: u64,
}

/// Reads a snippet's stored text by id (the browser's storage in the app, a fake in tests).
/// Snippet operations that open another snippet read its text through it; writing is left to
/// the autosave hook, so `reduce` changes nothing outside the state.
#[derive(Clone, Copy)]
pub struct StoredTexts(pub fn(u32) -> Option<String>);

impl StoredTexts {
    fn read(self, id: u32) -> Option<String> {
        (self.0)(id)
    }
}

impl Default for StoredTexts {
    fn default() -> StoredTexts {
        StoredTexts(|_| None)
    }
}

impl std::fmt::Debug for StoredTexts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoredTexts")
    }
}

/// One storage: two readers are never told apart.
impl PartialEq for StoredTexts {
    fn eq(&self, _: &StoredTexts) -> bool {
        true
    }
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
    /// What a narrow screen shows (the editor or the analysis).
    pub shown: Shown,
    /// The editor's share of the width on wide screens, in percent (`None`: the default);
    /// stored in the browser, set with the splitter.
    pub split: Option<f64>,
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
    /// Where other snippets' texts are read from.
    pub stored: StoredTexts,
    /// Embedded read-only: every change of the text is refused.
    pub read_only: bool,
    /// Embedded in another page: no snippets (nothing is saved in the visitor's browser).
    pub embedded: bool,
    pub notice: Option<Notice>,
    /// Nothing was ever saved in this browser: the editor shows how to bring a Dockerfile in,
    /// until the text changes or the hint is dismissed.
    pub first_run: bool,
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
            shown: Shown::Editor,
            split: None,
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
            stored: StoredTexts::default(),
            read_only: false,
            embedded: false,
            notice: None,
            first_run: false,
        }
    }

    /// What a share link carries besides the text.
    pub fn settings(&self) -> Settings {
        Settings {
            target: self.target.clone(),
            build_args: self.build_args.clone(),
            context_bytes: self.context_bytes,
            dockerignore: self.dockerignore.clone(),
            pane: Some(self.pane.id().to_string()),
        }
    }

    /// Applies a share link's settings.
    pub fn apply_settings(&mut self, settings: &Settings) {
        self.target = settings.target.clone();
        self.build_args = settings.build_args.clone();
        self.context_bytes = settings.context_bytes;
        self.dockerignore = settings.dockerignore.clone();
        if let Some(pane) = settings.pane.as_deref().and_then(Pane::from_id) {
            self.pane = pane;
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
    /// Show an analysis pane (on a narrow screen, the analysis instead of the editor).
    SelectPane(Pane),
    /// On a narrow screen: show the editor or the analysis.
    Show(Shown),
    /// The editor's share of the width, in percent (`None`: back to the default).
    SetSplit(Option<f64>),
    ToggleTheme,
    SetTheme(Theme),
    Cursor(u32),
    /// Move the editor's cursor (on a narrow screen, showing the editor).
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
    /// A new empty snippet, opened.
    NewSnippet,
    /// Open another snippet (its stored text replaces the editor's).
    SwitchSnippet(u32),
    /// Rename a snippet; a blank name is refused, a taken one gets a suffix.
    RenameSnippet(u32, String),
    /// Open a copy of a snippet.
    DuplicateSnippet(u32),
    /// Delete a snippet (never the last one); deleting the open one opens its neighbour.
    DeleteSnippet(u32),
    /// Open a gallery example as a new snippet, or (`replace`) put it in place of the text as
    /// one undoable step.
    OpenExample {
        id: &'static str,
        replace: bool,
    },
    /// A share link: its text opens as a snippet (the one already holding it, or a new one)
    /// and its settings apply.
    OpenShared(Shared),
    /// A file the user picked or dropped: it opens as a snippet named after it.
    OpenFile {
        name: String,
        text: String,
    },
    /// Format the text (the engine's formatter: whitespace and keyword case only) as one
    /// undoable step; says so when it is formatted already or cannot be formatted safely.
    Format,
    /// Hide the first-run hint.
    DismissHint,
    /// Tell the user something.
    Notify(String),
    /// Hide the message `seq`, if it is still the one shown.
    DismissNotice(u64),
}

impl AppState {
    fn set_text(&mut self, text: String, origin: Origin) {
        self.text = Rc::from(normalize_newlines(text));
        self.text_rev += 1;
        self.text_origin = origin;
        self.cursor = self.cursor.min(self.text.len() as u32);
    }

    fn notify(&mut self, text: String) {
        let seq = self.notice.as_ref().map_or(0, |n| n.seq + 1);
        self.notice = Some(Notice { text, seq });
    }

    /// Makes snippet `id` (already in the library) the open one, with `text`.
    fn open_snippet(&mut self, id: u32, text: String) {
        self.library.active = id;
        self.set_text(text, Origin::Open);
        self.cursor = 0;
    }

    /// A snippet's text: the editor's for the open one, else the stored one.
    fn text_of(&self, id: u32) -> Option<String> {
        if id == self.library.active {
            Some(self.text.to_string())
        } else {
            self.stored.read(id)
        }
    }

    /// Opens a share link: its text as a snippet (the one already holding it, or a new one),
    /// and its settings.
    pub fn open_shared(&mut self, shared: Shared) {
        self.open_outside_text("the shared link", "Shared link", shared.text);
        self.apply_settings(&shared.settings);
    }

    /// Opens `text` from outside (a share link, a file) as the snippet that holds it already,
    /// or as a new snippet named `name`; says which it was, naming the source as `what`.
    fn open_outside_text(&mut self, what: &str, name: &str, text: String) {
        let text = normalize_newlines(text);
        let mut library = self.library.clone();
        let (id, new) = library.open_text(name, &text, |id| self.text_of(id));
        self.library = library;
        self.open_snippet(id, text);
        let name = self.library.active_name().to_string();
        self.notify(opened_notice(what, new, &name));
    }

    fn snippet_name(&self, id: u32) -> Option<&str> {
        self.library
            .snippets
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.as_str())
    }
}

/// What the user is told when a share link or a file opened as a snippet.
fn opened_notice(what: &str, new: bool, name: &str) -> String {
    if new {
        format!("Opened {what} as a new snippet, “{name}”. Your other snippets are unchanged.")
    } else {
        format!("Opened {what}: your snippet “{name}” already holds the same text.")
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
                | Action::OpenExample { replace: true, .. }
                | Action::Format
        );
        let snippets = matches!(
            action,
            Action::NewSnippet
                | Action::SwitchSnippet(_)
                | Action::RenameSnippet(..)
                | Action::DuplicateSnippet(_)
                | Action::DeleteSnippet(_)
                | Action::OpenExample { replace: false, .. }
                | Action::OpenShared(_)
                | Action::OpenFile { .. }
        );
        if (self.read_only && edits_text) || (self.embedded && snippets) {
            return self;
        }
        let mut next = (*self).clone();
        if edits_text || snippets {
            next.first_run = false;
        }
        match action {
            Action::Edited(text) => next.text = Rc::from(text),
            Action::Replace(text) => next.set_text(text, Origin::Edit),
            Action::Revert(text) => next.set_text(text, Origin::Revert),
            Action::History(op) => {
                let seq = next.history.map_or(0, |h| h.seq + 1);
                next.history = Some(HistoryRequest { op, seq });
            }
            Action::SelectPane(pane) => {
                next.pane = pane;
                next.shown = Shown::Analysis;
            }
            Action::Show(shown) => next.shown = shown,
            Action::SetSplit(split) => next.split = split.map(split::clamp),
            Action::ToggleTheme => next.theme = next.theme.next(),
            Action::SetTheme(theme) => next.theme = theme,
            Action::Cursor(offset) => next.cursor = offset,
            Action::JumpTo(offset) => {
                let seq = next.jump.map_or(0, |j| j.seq + 1);
                next.jump = Some(Jump { offset, seq });
                next.cursor = offset;
                next.shown = Shown::Editor;
            }
            Action::SetTarget(target) => next.target = target,
            Action::SetBuildArgs(args) => next.build_args = args,
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
            Action::NewSnippet => {
                let id = next.library.create("Untitled");
                next.open_snippet(id, String::new());
                next.notify(
                    "New empty snippet. Your other snippets are in Snippets (Alt+O).".into(),
                );
            }
            Action::SwitchSnippet(id) => {
                if id == self.library.active || next.snippet_name(id).is_none() {
                    return self;
                }
                let text = next.stored.read(id).unwrap_or_default();
                next.open_snippet(id, text);
            }
            Action::RenameSnippet(id, name) => {
                if !next.library.rename(id, &name) {
                    return self;
                }
            }
            Action::DuplicateSnippet(id) => {
                let Some(name) = next.snippet_name(id).map(|n| format!("{n} copy")) else {
                    return self;
                };
                let text = next.text_of(id).unwrap_or_default();
                let copy = next.library.create(&name);
                next.open_snippet(copy, text);
            }
            Action::DeleteSnippet(id) => {
                let was_open = id == next.library.active;
                if next.library.remove(id).is_none() {
                    return self;
                }
                if was_open {
                    let open = next.library.active;
                    let text = next.stored.read(open).unwrap_or_default();
                    next.open_snippet(open, text);
                }
            }
            Action::OpenExample { id, replace } => {
                let Some(example) = examples::find(id) else {
                    return self;
                };
                if replace {
                    next.set_text(example.text.to_string(), Origin::Edit);
                } else {
                    let id = next.library.create(example.title);
                    next.open_snippet(id, example.text.to_string());
                }
                next.target = None;
                next.notify(format!("{}: {}", example.title, example.hint));
            }
            Action::OpenShared(shared) => next.open_shared(shared),
            Action::OpenFile { name, text } => {
                next.open_outside_text(&format!("“{name}”"), &name, text);
            }
            Action::Format => {
                let options = ide::FormatOptions::default();
                match ide::format::try_format(&next.text, &options) {
                    Ok(text) if *text == *next.text => {
                        next.notify("The Dockerfile is formatted already.".into())
                    }
                    Ok(text) => next.set_text(text, Origin::Edit),
                    Err(e) => next.notify(format!("Not formatted: {}", e.message)),
                }
            }
            Action::DismissHint => next.first_run = false,
            Action::Notify(text) => next.notify(text),
            Action::DismissNotice(seq) => {
                if next.notice.as_ref().is_some_and(|n| n.seq == seq) {
                    next.notice = None;
                } else {
                    return self;
                }
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests;
