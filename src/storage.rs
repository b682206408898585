//! Autosave: the draft and the theme live in localStorage (through gloo), written debounced.

use crate::state::Theme;
use gloo::storage::{LocalStorage, Storage};

const DRAFT_KEY: &str = "stageplay.draft";
const THEME_KEY: &str = "stageplay.theme";

pub fn load_draft() -> Option<String> {
    LocalStorage::get::<String>(DRAFT_KEY).ok()
}

pub fn save_draft(text: &str) {
    let _ = LocalStorage::set(DRAFT_KEY, text);
}

pub fn load_theme() -> Theme {
    match LocalStorage::get::<String>(THEME_KEY).ok().as_deref() {
        Some("light") => Theme::Light,
        Some("dark") => Theme::Dark,
        _ => Theme::System,
    }
}

pub fn save_theme(theme: Theme) {
    let value = match theme {
        Theme::System => "system",
        Theme::Light => "light",
        Theme::Dark => "dark",
    };
    let _ = LocalStorage::set(THEME_KEY, value);
}
