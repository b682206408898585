//! The user's snippets: names, which one is open, and the operations on them. Pure data (the
//! texts live in storage, one key per snippet; `storage.rs` reads and writes them).

use serde::{Deserialize, Serialize};

/// One named snippet (its text is stored under its own key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    pub id: u32,
    pub name: String,
}

/// The user's snippets and which one is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    pub snippets: Vec<Snippet>,
    pub active: u32,
    pub next_id: u32,
}

impl Default for Library {
    fn default() -> Library {
        Library {
            snippets: vec![Snippet {
                id: 1,
                name: "Draft".into(),
            }],
            active: 1,
            next_id: 2,
        }
    }
}

impl Library {
    pub fn active_name(&self) -> &str {
        self.snippets
            .iter()
            .find(|s| s.id == self.active)
            .map_or("", |s| s.name.as_str())
    }

    /// `base`, or `base (2)`, `base (3)`… whichever no snippet has yet.
    pub fn unique_name(&self, base: &str) -> String {
        let base = base.trim();
        let base = if base.is_empty() { "Untitled" } else { base };
        let taken = |n: &str| self.snippets.iter().any(|s| s.name == n);
        if !taken(base) {
            return base.to_string();
        }
        (2..)
            .map(|k| format!("{base} ({k})"))
            .find(|n| !taken(n))
            .unwrap_or_default()
    }

    /// Adds a snippet after the active one, makes it active and returns its id.
    pub fn create(&mut self, name: &str) -> u32 {
        let id = self
            .next_id
            .max(self.snippets.iter().map(|s| s.id).max().unwrap_or(0) + 1);
        self.next_id = id + 1;
        let name = self.unique_name(name);
        let at = self
            .snippets
            .iter()
            .position(|s| s.id == self.active)
            .map_or(self.snippets.len(), |p| p + 1);
        self.snippets.insert(at, Snippet { id, name });
        self.active = id;
        id
    }

    /// Renames a snippet; a blank name is refused, a taken one gets a suffix.
    pub fn rename(&mut self, id: u32, name: &str) -> bool {
        let name = name.trim();
        if name.is_empty() {
            return false;
        }
        let unique = if self.snippets.iter().any(|s| s.id == id && s.name == name) {
            name.to_string()
        } else {
            self.unique_name(name)
        };
        match self.snippets.iter_mut().find(|s| s.id == id) {
            Some(s) => {
                s.name = unique;
                true
            }
            None => false,
        }
    }

    /// Removes a snippet; the last one is never removed. Returns the snippet now active.
    pub fn remove(&mut self, id: u32) -> Option<u32> {
        if self.snippets.len() <= 1 {
            return None;
        }
        let at = self.snippets.iter().position(|s| s.id == id)?;
        self.snippets.remove(at);
        if self.active == id {
            self.active = self.snippets[at.min(self.snippets.len() - 1)].id;
        }
        Some(self.active)
    }

    /// Makes the snippet whose text is `text` active (the first one `text_of` says holds it), or
    /// else a new snippet named `name`. Returns the active id and whether it is new, so opening
    /// the same share link or file again does not add a snippet each time.
    pub fn open_text(
        &mut self,
        name: &str,
        text: &str,
        text_of: impl Fn(u32) -> Option<String>,
    ) -> (u32, bool) {
        let existing = self
            .snippets
            .iter()
            .map(|s| s.id)
            .find(|&id| text_of(id).is_some_and(|t| t == text));
        match existing {
            Some(id) => {
                self.active = id;
                (id, false)
            }
            None => (self.create(name), true),
        }
    }

    /// Repairs a library read from storage (another version or a hand edit may have left it odd).
    pub fn repaired(mut self) -> Library {
        let mut seen = std::collections::HashSet::new();
        self.snippets.retain(|s| seen.insert(s.id));
        if self.snippets.is_empty() {
            return Library::default();
        }
        if !self.snippets.iter().any(|s| s.id == self.active) {
            self.active = self.snippets[0].id;
        }
        let max = self.snippets.iter().map(|s| s.id).max().unwrap_or(0);
        self.next_id = self.next_id.max(max + 1);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(l: &Library) -> Vec<&str> {
        l.snippets.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn create_rename_duplicate_names_and_delete() {
        let mut l = Library::default();
        let a = l.create("Shared link");
        let b = l.create("Shared link");
        assert_eq!(names(&l), ["Draft", "Shared link", "Shared link (2)"]);
        assert_eq!(l.active, b);
        assert!(l.rename(a, "Draft"));
        assert_eq!(names(&l), ["Draft", "Draft (2)", "Shared link (2)"]);
        assert!(!l.rename(a, "   "));
        assert!(
            l.rename(a, "Draft (2)"),
            "renaming to its own name keeps it"
        );
        assert_eq!(l.active_name(), "Shared link (2)");
        assert_eq!(l.remove(b), Some(a));
        assert_eq!(l.remove(a), Some(1));
        assert_eq!(l.remove(1), None, "the last snippet stays");
        assert_eq!(l.create("x"), 4, "ids are never reused");
    }

    #[test]
    fn opening_a_text_again_reuses_its_snippet() {
        let mut l = Library::default();
        let texts = |id: u32| (id == 1).then(|| "FROM a\n".to_string());
        assert_eq!(l.open_text("Shared link", "FROM a\n", texts), (1, false));
        assert_eq!(l.snippets.len(), 1);
        let (id, new) = l.open_text("Shared link", "FROM b\n", texts);
        assert!(new);
        assert_eq!((l.active, l.active_name()), (id, "Shared link"));
        assert_eq!(l.snippets.len(), 2);
    }

    #[test]
    fn repair_fixes_a_missing_active_and_duplicate_ids() {
        let l = Library {
            snippets: vec![
                Snippet {
                    id: 5,
                    name: "a".into(),
                },
                Snippet {
                    id: 5,
                    name: "b".into(),
                },
            ],
            active: 9,
            next_id: 0,
        }
        .repaired();
        assert_eq!((l.snippets.len(), l.active, l.next_id), (1, 5, 6));
        let empty = Library {
            snippets: vec![],
            active: 0,
            next_id: 0,
        }
        .repaired();
        assert_eq!(empty, Library::default());
    }
}
