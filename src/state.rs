//! The app state: one `Reducible` value; every transition is a pure `reduce`.

use std::rc::Rc;
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

/// A request to move the editor's cursor; `seq` makes repeated jumps to one place distinct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jump {
    pub offset: u32,
    pub seq: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub text: String,
    /// Bumped whenever the text is replaced from outside the editor (example, fix, refactor),
    /// so the editor knows to write it into the textarea.
    pub text_rev: u64,
    pub pane: Pane,
    pub theme: Theme,
    /// The editor's cursor as a byte offset into `text`.
    pub cursor: u32,
    pub jump: Option<Jump>,
    pub target: Option<String>,
    pub build_args: Vec<(String, String)>,
}

impl AppState {
    pub fn new(text: String) -> AppState {
        AppState {
            text,
            text_rev: 0,
            pane: Pane::Graph,
            theme: Theme::System,
            cursor: 0,
            jump: None,
            target: None,
            build_args: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The user typed: the textarea already holds this text.
    Edited(String),
    /// Replace the text from outside the editor.
    Replace(String),
    SelectPane(Pane),
    ToggleTheme,
    SetTheme(Theme),
    Cursor(u32),
    JumpTo(u32),
    SetTarget(Option<String>),
    SetBuildArgs(Vec<(String, String)>),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edited(text) => next.text = text,
            Action::Replace(text) => {
                next.text = text;
                next.text_rev += 1;
                next.cursor = next.cursor.min(next.text.len() as u32);
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
        assert_eq!((s.text.as_str(), s.text_rev), ("FROM b", 0));
        let s = reduce(s, Action::Replace("FROM c".into()));
        assert_eq!((s.text.as_str(), s.text_rev), ("FROM c", 1));
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
    fn theme_toggle_cycles() {
        let mut t = Theme::System;
        for _ in 0..3 {
            t = t.next();
        }
        assert_eq!(t, Theme::System);
    }
}
