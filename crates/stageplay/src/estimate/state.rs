//! The simulated image of one stage: a virtual filesystem of entries with provenance, the layers
//! made so far, installed packages, and the image config (user, env, entrypoint, …).

use super::bases::Resolved;
use super::size::Size;
use super::{CacheFact, Layer, SecretFact};
use std::collections::BTreeSet;
use std::sync::Arc;

/// What made an entry; used for facts (build tools, caches) and for removals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Base,
    Deb(String),
    DpkgState,
    AptLists,
    Apk(String, Option<String>),
    ApkIndex,
    Python(String),
    Node(String),
    /// A package-manager or compiler cache (`pip`, `npm`, `go-build`, …).
    Cache(String),
    Context,
    Download,
    BuildOutput(String),
    Toolchain(String),
    Other,
}

/// One file or aggregate of files in the virtual filesystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub size: Size,
    pub stage: usize,
    pub line: u32,
    pub what: String,
    pub kind: Kind,
    /// Index of the layer that wrote it (into `State::layers`).
    pub layer: usize,
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub entries: Vec<Entry>,
    pub layers: Vec<Layer>,
    pub wasted: Size,
    /// Installed packages, shared with the base image's set until a layer changes them.
    pub debs: Arc<BTreeSet<String>>,
    pub apks: Arc<BTreeSet<String>>,
    pub env: Vec<(String, String)>,
    pub args: Vec<(String, Option<String>)>,
    pub workdir: String,
    pub user: Option<(String, Option<u32>)>,
    pub entrypoint: Option<(Vec<String>, Option<u32>)>,
    pub cmd: Option<(Vec<String>, Option<u32>)>,
    pub ports: Vec<String>,
    pub healthcheck: Option<(String, u32)>,
    pub users: Vec<String>,
    pub venvs: Vec<String>,
    /// Tool settings a RUN wrote into the image's config files (`poetry config
    /// virtualenvs.create false`), by the name of their environment variable.
    pub settings: Vec<(String, String)>,
    /// The layer whose RUN marked every package automatically installed (`apt-mark auto '.*'`,
    /// the docker-library pattern before `apt-get purge --auto-remove`).
    pub apt_all_auto: Option<usize>,
    /// The layer whose RUN marked the libraries its build links manual again (`… ldd … |
    /// xargs -r apt-mark manual`): those survive the purge.
    pub apt_linked_libs_kept: Option<usize>,
    pub secrets: Vec<SecretFact>,
    pub cache_mounts: Vec<CacheFact>,
    pub base: Option<Resolved>,
    pub base_image: String,
    pub notes: Vec<String>,
    /// The layer being written.
    pub current: usize,
    /// Set on the empty state left where a stage's state was dropped because no later stage
    /// reads it (checked in debug builds where states are read).
    pub dropped: bool,
}

impl State {
    /// The empty state left in place of one no later stage reads.
    pub fn dropped() -> State {
        State {
            dropped: true,
            ..State::default()
        }
    }

    pub fn var(&self, name: &str) -> Option<String> {
        if let Some((_, v)) = self.env.iter().rev().find(|(k, _)| k == name) {
            return Some(v.clone());
        }
        self.args
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.clone())
    }

    pub fn set_env(&mut self, key: &str, value: String) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_string(), value));
    }

    /// Makes `path` absolute against the working directory.
    pub fn abs(&self, path: &str) -> String {
        let joined = if path.starts_with('/') {
            path.to_string()
        } else {
            let wd = if self.workdir.is_empty() {
                "/"
            } else {
                self.workdir.as_str()
            };
            format!("{}/{}", wd.trim_end_matches('/'), path)
        };
        clean_path(&joined)
    }

    pub fn add(
        &mut self,
        path: &str,
        size: Size,
        stage: usize,
        line: u32,
        what: String,
        kind: Kind,
    ) {
        let path = clean_path(path);
        // Overwriting a file written by an earlier layer wastes the old copy.
        let current = self.current;
        let mut wasted = Size::ZERO;
        self.entries.retain(|e| {
            if e.path == path && e.kind == kind && e.kind != Kind::Base {
                if e.layer != current {
                    wasted += e.size;
                }
                false
            } else {
                true
            }
        });
        self.wasted += wasted;
        self.entries.push(Entry {
            path,
            size,
            stage,
            line,
            what,
            kind,
            layer: current,
        });
    }

    /// Adds to a directory that an earlier layer of this stage filled with the same kind of
    /// content (a package repository or build cache that a tool run again extends): Docker
    /// stores only what changed, so the earlier copy stays and this layer holds `increment`.
    /// Returns false, adding nothing, when no earlier layer holds `path` with this kind.
    pub fn extend(
        &mut self,
        path: &str,
        increment: Size,
        stage: usize,
        line: u32,
        what: String,
        kind: Kind,
    ) -> bool {
        let path = clean_path(path);
        let current = self.current;
        if !self
            .entries
            .iter()
            .any(|e| e.path == path && e.kind == kind && e.layer != current)
        {
            return false;
        }
        self.entries.push(Entry {
            path,
            size: increment,
            stage,
            line,
            what,
            kind,
            layer: current,
        });
        true
    }

    /// Removes entries at or below `path` (a trailing `*` removes the directory's contents).
    /// Entries written by earlier layers become wasted space; returns what was freed in this layer.
    pub fn remove(&mut self, path: &str) -> (Size, Size) {
        let prefix = clean_path(path.trim_end_matches('*').trim_end_matches('/'));
        if prefix.is_empty() || prefix == "/" {
            return (Size::ZERO, Size::ZERO);
        }
        self.remove_where(&|e| e.kind != Kind::Base && is_at_or_below(&e.path, &prefix))
    }

    /// Shrinks the entries matching `pred` to `to(size)` (a prune that deletes part of a
    /// directory): what goes is freed when the entry is this layer's, wasted when an earlier
    /// layer wrote it (that layer keeps it).
    pub fn shrink_where(
        &mut self,
        pred: &dyn Fn(&Entry) -> bool,
        to: &dyn Fn(Size) -> Size,
    ) -> (Size, Size) {
        let mut freed = Size::ZERO;
        let mut wasted = Size::ZERO;
        let current = self.current;
        for e in self.entries.iter_mut().filter(|e| pred(e)) {
            let new = to(e.size);
            let gone = Size::new(
                e.size.bytes.saturating_sub(new.bytes),
                e.size.low.saturating_sub(new.low),
                e.size.high.saturating_sub(new.high),
            );
            if e.layer == current {
                freed += gone;
            } else {
                wasted += gone;
            }
            e.size = new;
        }
        self.wasted += wasted;
        (freed, wasted)
    }

    /// Removes entries matching `pred`, with the same accounting as [`State::remove`].
    pub fn remove_where(&mut self, pred: &dyn Fn(&Entry) -> bool) -> (Size, Size) {
        let mut freed = Size::ZERO;
        let mut wasted = Size::ZERO;
        let current = self.current;
        self.entries.retain(|e| {
            if !pred(e) {
                return true;
            }
            if e.layer == current {
                freed += e.size;
            } else {
                wasted += e.size;
            }
            false
        });
        self.wasted += wasted;
        (freed, wasted)
    }

    /// Entries at or below `path`.
    pub fn under(&self, path: &str) -> Vec<&Entry> {
        let prefix = clean_path(path);
        self.entries
            .iter()
            .filter(|e| prefix == "/" || is_at_or_below(&e.path, &prefix))
            .collect()
    }

    pub fn layer_size(&self, layer: usize) -> Size {
        self.entries
            .iter()
            .filter(|e| e.layer == layer)
            .fold(Size::ZERO, |acc, e| acc + e.size)
    }

    pub fn live_size(&self) -> Size {
        self.entries.iter().fold(Size::ZERO, |acc, e| acc + e.size)
    }

    pub fn is_cache_mounted(&self, path: &str, line: u32) -> bool {
        let p = clean_path(path);
        self.cache_mounts
            .iter()
            .any(|m| m.line == line && !m.in_image && is_at_or_below(&p, &m.path))
    }
}

/// `path` is `dir` or lies below it (`dir/…`).
pub fn is_at_or_below(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Collapses `//`, `/./` and `..` without touching the filesystem.
pub fn clean_path(path: &str) -> String {
    // Already clean (absolute, no empty, `.` or `..` component): the answer is the input.
    if path == "/"
        || path.strip_prefix('/').is_some_and(|rest| {
            rest.split('/')
                .all(|p| !p.is_empty() && p != "." && p != "..")
        })
    {
        return path.to_string();
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::{clean_path, is_at_or_below};

    #[test]
    fn clean_path_collapses_and_keeps_clean_paths() {
        for (input, want) in [
            ("/", "/"),
            ("", "/"),
            ("/usr/lib", "/usr/lib"),
            ("usr/lib", "/usr/lib"),
            ("/usr//lib/", "/usr/lib"),
            ("/usr/./lib/.", "/usr/lib"),
            ("/usr/lib/../bin", "/usr/bin"),
            ("/..", "/"),
            ("/a/.../b", "/a/.../b"),
            ("/usr/[deb] gcc", "/usr/[deb] gcc"),
        ] {
            assert_eq!(clean_path(input), want, "{input:?}");
        }
    }

    #[test]
    fn at_or_below_is_a_path_prefix_not_a_string_prefix() {
        assert!(is_at_or_below("/app", "/app"));
        assert!(is_at_or_below("/app/x", "/app"));
        assert!(!is_at_or_below("/apple", "/app"));
        assert!(!is_at_or_below("/", "/app"));
    }
}
