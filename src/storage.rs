//! The browser's storage (localStorage, through gloo): the snippet library, each snippet's
//! text and the user's settings. Only reading and writing happen here; what the data means is
//! in [`crate::state`] (the [`Library`] and its operations), and when it is written is decided
//! by the hooks ([`crate::hooks::use_autosave`]).
//!
//! Settings (theme, the editor's share of the width) are one key each.
//!
//! The library (names and the active snippet) is one JSON value; each snippet's text has its own
//! key, so saving a keystroke rewrites one text, not all of them.

use crate::state::{split, Library, Theme};
use gloo::storage::{LocalStorage, Storage};

/// The single draft of earlier versions; migrated into the first snippet.
const LEGACY_DRAFT_KEY: &str = "stageplay.draft";
const LIBRARY_KEY: &str = "stageplay.snippets";
const THEME_KEY: &str = "stageplay.theme";
const SPLIT_KEY: &str = "stageplay.split";

fn text_key(id: u32) -> String {
    format!("stageplay.snippet.{id}")
}

/// Loads the library and the active snippet's text (`None` when nothing was ever saved).
pub fn load() -> (Library, Option<String>) {
    match LocalStorage::get::<Library>(LIBRARY_KEY) {
        Ok(library) => {
            let library = library.repaired();
            let text = load_text(library.active);
            (library, text)
        }
        Err(_) => {
            let library = Library::default();
            let legacy = LocalStorage::get::<String>(LEGACY_DRAFT_KEY).ok();
            if let Some(text) = &legacy {
                save_text(library.active, text);
                save_library(&library);
                LocalStorage::delete(LEGACY_DRAFT_KEY);
            }
            (library, legacy)
        }
    }
}

pub fn save_library(library: &Library) {
    let _ = LocalStorage::set(LIBRARY_KEY, library);
}

pub fn load_text(id: u32) -> Option<String> {
    LocalStorage::get::<String>(text_key(id)).ok()
}

pub fn save_text(id: u32, text: &str) {
    let _ = LocalStorage::set(text_key(id), text);
}

pub fn delete_text(id: u32) {
    LocalStorage::delete(text_key(id));
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

/// The editor's share of the width the user set with the splitter (`None`: never set, or not a
/// number); a stored value out of bounds is brought within them.
pub fn load_split() -> Option<f64> {
    LocalStorage::get::<f64>(SPLIT_KEY).ok().map(split::clamp)
}

/// Stores the editor's share of the width (`None` forgets it: the default again).
pub fn save_split(percent: Option<f64>) {
    match percent {
        Some(p) => {
            let _ = LocalStorage::set(SPLIT_KEY, p);
        }
        None => LocalStorage::delete(SPLIT_KEY),
    }
}
