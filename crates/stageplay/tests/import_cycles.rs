//! No import cycle between the engine's files (issue 16, acceptance 3), and dependencies that
//! point one way between its layers (ARCHITECTURE.md's invariant).
//!
//! Reads every file under `src/`, builds the file-level graph of `use crate::…`, `super::…` and
//! `self::…` paths (in `use` trees and in code), and fails on any cycle, printing it with the
//! line that makes each edge.
//!
//! What counts as an edge:
//! - a path resolves to the file that defines the item it names: a name a `mod.rs` only
//!   re-exports (`pub use ast::*`, `pub use build::build`) resolves to the file that defines it;
//! - a folder's `mod.rs` (and `lib.rs`) is the folder's façade: its edges to its own submodules
//!   (declaring them, re-exporting from them, listing their checks) are not dependencies, while a
//!   submodule's use of its `mod.rs` (`super::Context`) is;
//! - `#[cfg(test)]` modules are left out: tests do not shape the layering.
//!
//! `IMPORT_GRAPH=1 cargo test -p stageplay --test import_cycles -- --nocapture` prints every edge.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::Path;

/// One source file: its module path (`["estimate", "run"]`) and text.
struct File {
    module: Vec<String>,
    /// True for `mod.rs` and `lib.rs`: the file's module owns a folder.
    owns_folder: bool,
    text: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
}

/// Tokens with their 1-based line; comments, strings, chars and lifetimes are dropped.
fn tokenize(text: &str) -> Vec<(Tok, u32)> {
    let c: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0usize, 1u32);
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if c[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if ch == 'r' && (at(i + 1) == '#' || at(i + 1) == '"') && raw_string_at(&c, i) {
            // r"…", r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            loop {
                if j >= c.len() {
                    break;
                }
                if c[j] == '"' && (0..hashes).all(|k| at(j + 1 + k) == '#') {
                    j += 1 + hashes;
                    break;
                }
                if c[j] == '\n' {
                    line += 1;
                }
                j += 1;
            }
            i = j;
        } else if ch == '"' || (ch == 'b' && at(i + 1) == '"') {
            let mut j = if ch == 'b' { i + 2 } else { i + 1 };
            while j < c.len() && c[j] != '"' {
                if c[j] == '\\' {
                    j += 1;
                }
                if at(j) == '\n' {
                    line += 1;
                }
                j += 1;
            }
            i = j + 1;
        } else if ch == '\'' {
            // A char literal ('a', '\n', '\u{1F}') or a lifetime ('a).
            if at(i + 1) == '\\' {
                let mut j = i + 2;
                while j < c.len() && c[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
            }
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            out.push((Tok::Ident(c[start..i].iter().collect()), line));
        } else if ch == ':' && at(i + 1) == ':' {
            out.push((Tok::PathSep, line));
            i += 2;
        } else {
            out.push((Tok::Punct(ch), line));
            i += 1;
        }
    }
    out
}

fn raw_string_at(c: &[char], i: usize) -> bool {
    if i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_') {
        return false;
    }
    let mut j = i + 1;
    while c.get(j) == Some(&'#') {
        j += 1;
    }
    c.get(j) == Some(&'"')
}

/// One path a file names: its segments as written and the line.
#[derive(Debug, Clone)]
struct PathRef {
    /// The module the path is written in (file module plus inline modules).
    scope: Vec<String>,
    segments: Vec<String>,
    line: u32,
}

/// What one file defines and names.
#[derive(Default)]
struct Items {
    /// Names defined at the top level (fn, struct, enum, const, static, type, trait, mod…).
    defined: BTreeSet<String>,
    /// Top-level `use` bindings: name → segments (a glob has `*` as its last segment).
    uses: Vec<(String, Vec<String>)>,
    /// Modules declared with a body inside the file (`mod tests { … }`), by path.
    inline_modules: BTreeSet<Vec<String>>,
    paths: Vec<PathRef>,
}

/// Reads the items and paths of one file.
fn scan(file: &File) -> Items {
    let toks = tokenize(&file.text);
    let mut items = Items::default();
    // Inline modules: (name, depth of its body, is test).
    let mut stack: Vec<(String, usize, bool)> = Vec::new();
    let mut depth = 0usize;
    let mut pending_test = false;
    let ident = |i: usize| match toks.get(i) {
        Some((Tok::Ident(s), _)) => Some(s.as_str()),
        _ => None,
    };
    let punct = |i: usize, p: char| matches!(toks.get(i), Some((Tok::Punct(q), _)) if *q == p);
    let sep = |i: usize| matches!(toks.get(i), Some((Tok::PathSep, _)));
    let mut i = 0;
    while i < toks.len() {
        let in_test = stack.iter().any(|s| s.2);
        let scope: Vec<String> = file
            .module
            .iter()
            .cloned()
            .chain(stack.iter().map(|s| s.0.clone()))
            .collect();
        // `#[cfg(test)]`
        if punct(i, '#')
            && punct(i + 1, '[')
            && ident(i + 2) == Some("cfg")
            && punct(i + 3, '(')
            && ident(i + 4) == Some("test")
            && punct(i + 5, ')')
        {
            pending_test = true;
            i += 7;
            continue;
        }
        match &toks[i].0 {
            Tok::Punct('{') => {
                depth += 1;
                i += 1;
                continue;
            }
            Tok::Punct('}') => {
                if stack.last().is_some_and(|s| s.1 == depth) {
                    stack.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
                continue;
            }
            Tok::Punct(';') => {
                pending_test = false;
            }
            _ => {}
        }
        let top = depth == 0 && stack.is_empty();
        let word = ident(i);
        if word == Some("mod") {
            if let Some(name) = ident(i + 1) {
                if punct(i + 2, '{') {
                    let mut path = scope.clone();
                    path.push(name.to_string());
                    items.inline_modules.insert(path);
                    stack.push((name.to_string(), depth + 1, pending_test || in_test));
                }
                if top {
                    items.defined.insert(name.to_string());
                }
                pending_test = false;
                i += 2;
                continue;
            }
        }
        if top {
            if let (
                Some("fn" | "struct" | "enum" | "const" | "static" | "type" | "trait" | "union"),
                Some(name),
            ) = (word, ident(i + 1))
            {
                if !sep(i.wrapping_sub(1)) {
                    items.defined.insert(name.to_string());
                }
            }
            if word == Some("macro_rules") && punct(i + 1, '!') {
                if let Some(name) = ident(i + 2) {
                    items.defined.insert(name.to_string());
                }
            }
        }
        if word == Some("use") && !sep(i.wrapping_sub(1)) {
            let line = toks[i].1;
            let mut j = i + 1;
            let mut trees = Vec::new();
            use_tree(&toks, &mut j, Vec::new(), &mut trees);
            for (segments, binding) in trees {
                if top && !pending_test {
                    items.uses.push((binding, segments.clone()));
                }
                if !(in_test || pending_test) {
                    items.paths.push(PathRef {
                        scope: scope.clone(),
                        segments,
                        line,
                    });
                }
            }
            i = j;
            continue;
        }
        // A path in code: `crate::a::b`, `super::x`, `self::y` (not after another `::`).
        if matches!(word, Some("crate" | "super" | "self")) && sep(i + 1) && !sep(i.wrapping_sub(1))
        {
            let line = toks[i].1;
            let mut segments = vec![word.unwrap_or_default().to_string()];
            let mut j = i + 1;
            while sep(j) {
                match ident(j + 1) {
                    Some(s) => segments.push(s.to_string()),
                    None => break,
                }
                j += 2;
            }
            if !(in_test || pending_test) {
                items.paths.push(PathRef {
                    scope: scope.clone(),
                    segments,
                    line,
                });
            }
            i = j;
            continue;
        }
        i += 1;
    }
    items
}

/// Expands one use tree starting at `toks[*j]` into (segments, bound name) pairs.
fn use_tree(
    toks: &[(Tok, u32)],
    j: &mut usize,
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, String)>,
) {
    let mut segments = prefix;
    loop {
        match toks.get(*j).map(|t| &t.0) {
            Some(Tok::Ident(s)) if s == "as" => {
                *j += 1;
                if let Some(Tok::Ident(alias)) = toks.get(*j).map(|t| &t.0) {
                    let alias = alias.clone();
                    *j += 1;
                    out.push((segments, alias));
                }
                return;
            }
            Some(Tok::Ident(s)) => {
                segments.push(s.clone());
                *j += 1;
            }
            Some(Tok::PathSep) => *j += 1,
            Some(Tok::Punct('*')) => {
                *j += 1;
                segments.push("*".into());
                out.push((segments, "*".into()));
                return;
            }
            Some(Tok::Punct('{')) => {
                *j += 1;
                loop {
                    match toks.get(*j).map(|t| &t.0) {
                        Some(Tok::Punct('}')) => {
                            *j += 1;
                            break;
                        }
                        Some(Tok::Punct(',')) => *j += 1,
                        None => return,
                        _ => use_tree(toks, j, segments.clone(), out),
                    }
                }
                skip_to_end(toks, j);
                return;
            }
            _ => {
                if let Some(last) = segments.last().cloned() {
                    // `self` in a group binds the module itself.
                    if last == "self" && segments.len() > 1 {
                        segments.pop();
                        let name = segments.last().cloned().unwrap_or_default();
                        out.push((segments, name));
                    } else {
                        out.push((segments, last));
                    }
                }
                skip_to_end(toks, j);
                return;
            }
        }
    }
}

fn skip_to_end(toks: &[(Tok, u32)], j: &mut usize) {
    if matches!(toks.get(*j).map(|t| &t.0), Some(Tok::Punct(';'))) {
        *j += 1;
    }
}

/// The source tree: files by module path.
struct Tree {
    files: Vec<File>,
    items: Vec<Items>,
    by_module: HashMap<Vec<String>, usize>,
}

impl Tree {
    fn new(files: Vec<File>) -> Tree {
        let items = files.iter().map(scan).collect();
        let by_module = files
            .iter()
            .enumerate()
            .map(|(n, f)| (f.module.clone(), n))
            .collect();
        Tree {
            files,
            items,
            by_module,
        }
    }

    /// The file whose module or inline module is `module`, if any.
    fn module_file(&self, module: &[String]) -> Option<usize> {
        if let Some(&n) = self.by_module.get(module) {
            return Some(n);
        }
        let parent = module.len().checked_sub(1)?;
        let owner = self.module_file(&module[..parent])?;
        self.items[owner]
            .inline_modules
            .contains(module)
            .then_some(owner)
    }

    /// Makes `segments`, written in `scope`, absolute (`None`: an external crate or unknown).
    fn absolute(&self, scope: &[String], segments: &[String]) -> Option<Vec<String>> {
        let first = segments.first()?;
        let mut base: Vec<String> = match first.as_str() {
            "crate" => Vec::new(),
            "self" | "super" => scope.to_vec(),
            // A child module of the scope (2018 paths), or a name the scope's file imported.
            _ => {
                let mut child = scope.to_vec();
                child.push(first.clone());
                if self.module_file(&child).is_some() {
                    scope.to_vec()
                } else {
                    return None;
                }
            }
        };
        let mut rest = segments;
        if matches!(first.as_str(), "crate" | "self") {
            rest = &segments[1..];
        }
        while rest.first().is_some_and(|s| s == "super") {
            base.pop()?;
            rest = &rest[1..];
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    /// The file that defines what `path` (absolute) names: the deepest module on the path,
    /// then, for an item that module only re-exports, the file it comes from.
    fn resolve(&self, path: &[String], hops: usize) -> Option<usize> {
        let mut k = path.len();
        while k > 0 && self.module_file(&path[..k]).is_none() {
            k -= 1;
        }
        let file = self.module_file(&path[..k])?;
        let Some(name) = path.get(k).filter(|n| *n != "*") else {
            return Some(file);
        };
        if hops > 8
            || self.files[file].module != path[..k]
            || self.items[file].defined.contains(name)
        {
            return Some(file);
        }
        let scope = &self.files[file].module;
        for (binding, target) in &self.items[file].uses {
            let glob = binding == "*";
            if binding != name && !glob {
                continue;
            }
            let Some(mut abs) = self.absolute(scope, target) else {
                continue;
            };
            if glob {
                abs.pop();
                let Some(from) = self.module_file(&abs) else {
                    continue;
                };
                if self.items[from].defined.contains(name)
                    || self.items[from].uses.iter().any(|(b, _)| b == name)
                {
                    abs.push(name.clone());
                    return self.resolve(&abs, hops + 1).or(Some(from));
                }
                continue;
            }
            abs.extend(path[k + 1..].iter().cloned());
            return self.resolve(&abs, hops + 1).or(Some(file));
        }
        Some(file)
    }

    /// `descendant` is inside the folder that `owner` (a `mod.rs` or `lib.rs`) heads.
    fn heads(&self, owner: usize, descendant: usize) -> bool {
        let (o, d) = (&self.files[owner], &self.files[descendant]);
        o.owns_folder && d.module.len() > o.module.len() && d.module.starts_with(&o.module)
    }

    /// Every edge between two files, with the line that makes it (the first one).
    fn edges(&self) -> BTreeMap<(usize, usize), u32> {
        let mut edges = BTreeMap::new();
        for (from, items) in self.items.iter().enumerate() {
            for p in &items.paths {
                let Some(abs) = self.absolute(&p.scope, &p.segments) else {
                    continue;
                };
                let Some(to) = self.resolve(&abs, 0) else {
                    continue;
                };
                if to == from || self.heads(from, to) {
                    continue;
                }
                edges.entry((from, to)).or_insert(p.line);
            }
        }
        edges
    }

    fn name(&self, n: usize) -> String {
        let f = &self.files[n];
        if f.module.is_empty() {
            return "lib.rs".into();
        }
        let path = f.module.join("/");
        if f.owns_folder {
            format!("{path}/mod.rs")
        } else {
            format!("{path}.rs")
        }
    }

    /// Every cycle (one shortest cycle per strongly connected group), printed with the line of
    /// each edge.
    fn cycles(&self) -> Vec<String> {
        let edges = self.edges();
        let n = self.files.len();
        let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &(a, b) in edges.keys() {
            next[a].push(b);
        }
        let mut reported: BTreeSet<BTreeSet<usize>> = BTreeSet::new();
        let mut out = Vec::new();
        for start in 0..n {
            // Shortest path from a successor of `start` back to `start` (BFS).
            let mut prev: Vec<Option<usize>> = vec![None; n];
            let mut queue = VecDeque::new();
            for &s in &next[start] {
                if prev[s].is_none() {
                    prev[s] = Some(start);
                    queue.push_back(s);
                }
            }
            let mut found = false;
            while let Some(v) = queue.pop_front() {
                if v == start {
                    found = true;
                    break;
                }
                for &w in &next[v] {
                    if prev[w].is_none() {
                        prev[w] = Some(v);
                        queue.push_back(w);
                    }
                }
            }
            if !found {
                continue;
            }
            let mut cycle = vec![start];
            let mut v = prev[start].unwrap_or(start);
            while v != start {
                cycle.push(v);
                v = prev[v].unwrap_or(start);
            }
            cycle.reverse();
            // cycle: start … v (each an edge to the next, the last back to `start`).
            let key: BTreeSet<usize> = cycle.iter().copied().collect();
            if !reported.insert(key) {
                continue;
            }
            let mut text = String::new();
            for (k, &a) in cycle.iter().enumerate() {
                let b = cycle[(k + 1) % cycle.len()];
                let line = edges.get(&(a, b)).copied().unwrap_or(0);
                text.push_str(&format!("  {}:{line} → {}\n", self.name(a), self.name(b)));
            }
            out.push(text);
        }
        out
    }
}

fn read_tree(src: &Path) -> Vec<File> {
    fn walk(dir: &Path, module: Vec<String>, out: &mut Vec<File>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                let mut m = module.clone();
                m.push(name);
                walk(&path, m, out);
                continue;
            }
            let Some(stem) = name.strip_suffix(".rs") else {
                continue;
            };
            let text = std::fs::read_to_string(&path).unwrap();
            let root = module.is_empty() && stem == "lib";
            let (module, owns_folder) = if stem == "mod" || root {
                (module.clone(), true)
            } else {
                let mut m = module.clone();
                m.push(stem.to_string());
                (m, false)
            };
            out.push(File {
                module,
                owns_folder,
                text,
            });
        }
    }
    let mut out = Vec::new();
    walk(src, Vec::new(), &mut out);
    out
}

#[test]
fn the_engine_has_no_import_cycle_between_files() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let tree = Tree::new(read_tree(&src));
    assert!(
        tree.files.len() > 50,
        "read only {} files",
        tree.files.len()
    );
    assert!(
        tree.edges().len() > 100,
        "found only {} edges: the reader is broken",
        tree.edges().len()
    );
    if std::env::var_os("IMPORT_GRAPH").is_some() {
        for ((a, b), line) in tree.edges() {
            println!("{}:{line} → {}", tree.name(a), tree.name(b));
        }
    }
    let cycles = tree.cycles();
    assert!(
        cycles.is_empty(),
        "{} import cycle(s) between files of crates/stageplay/src (file:line → file):\n{}",
        cycles.len(),
        cycles.join("\n")
    );
}

/// The layers of ARCHITECTURE.md, lowest first: a file may use its own layer and the layers
/// below it (lint and refactor, side by side, do not use each other).
const LAYERS: &[(&str, u32)] = &[
    ("span", 0),
    ("examples", 0),
    ("diagnostic", 1),
    ("syntax", 2),
    ("model", 3),
    ("estimate", 4),
    ("lint", 5),
    ("refactor", 5),
    ("analysis", 6),
    ("ide", 7),
];

#[test]
fn dependencies_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let tree = Tree::new(read_tree(&src));
    let layer = |n: usize| {
        let top = tree.files[n].module.first()?;
        LAYERS.iter().find(|(name, _)| name == top).copied()
    };
    let mut wrong = Vec::new();
    for ((a, b), line) in tree.edges() {
        if tree.files[a].module.is_empty() {
            continue;
        }
        let (Some((la, ra)), Some((lb, rb))) = (layer(a), layer(b)) else {
            wrong.push(format!("{}: not in a known layer", tree.name(a)));
            continue;
        };
        if la != lb && rb >= ra {
            wrong.push(format!(
                "{}:{line} ({la}) uses {} ({lb})",
                tree.name(a),
                tree.name(b)
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "uses against the layering:\n{}",
        wrong.join("\n")
    );
}

/// A small tree in memory: (`path` relative to `src/`, text).
fn tree_of(files: &[(&str, &str)]) -> Tree {
    Tree::new(
        files
            .iter()
            .map(|(path, text)| {
                let stem = path.strip_suffix(".rs").unwrap();
                let mut module: Vec<String> = stem.split('/').map(str::to_string).collect();
                let owns_folder = matches!(module.last().map(String::as_str), Some("mod" | "lib"));
                if owns_folder {
                    module.pop();
                }
                File {
                    module,
                    owns_folder,
                    text: text.to_string(),
                }
            })
            .collect(),
    )
}

#[test]
fn the_reader_finds_cycles_through_use_trees_code_paths_and_re_exports() {
    // b ↔ c through a grouped `use` and a path in code.
    let tree = tree_of(&[
        ("lib.rs", "pub mod a;\n"),
        ("a/mod.rs", "mod b;\nmod c;\npub use c::Thing;\n"),
        ("a/b.rs", "use super::{c::{self, Thing as T}};\npub fn f() {}\n"),
        (
            "a/c.rs",
            "pub struct Thing;\n/// super::b::f in a doc comment is no edge\nfn g() { let s = \"super::b::f\"; super::b::f(); }\n",
        ),
    ]);
    let cycles = tree.cycles();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert!(cycles[0].contains("a/b.rs:1 → a/c.rs"), "{}", cycles[0]);
    assert!(cycles[0].contains("a/c.rs:3 → a/b.rs"), "{}", cycles[0]);

    // Through a re-export: x uses `crate::a::Thing`, which a/mod.rs re-exports from a/c.rs;
    // a/c.rs uses x.
    let tree = tree_of(&[
        ("lib.rs", "pub mod a;\npub mod x;\n"),
        ("a/mod.rs", "mod c;\npub use c::*;\n"),
        ("a/c.rs", "use crate::x::helper;\npub struct Thing;\n"),
        ("x.rs", "use crate::a::Thing;\npub fn helper() {}\n"),
    ]);
    let cycles = tree.cycles();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert!(cycles[0].contains("x.rs:1 → a/c.rs"), "{}", cycles[0]);

    // A folder's mod.rs using its submodules is no cycle; a test module is left out.
    let tree = tree_of(&[
        ("lib.rs", "pub mod a;\npub mod x;\n"),
        (
            "a/mod.rs",
            "mod c;\npub struct Ctx;\npub fn run() { c::go() }\n",
        ),
        ("a/c.rs", "use super::Ctx;\npub fn go() {}\n"),
        (
            "x.rs",
            "pub fn x() {}\n#[cfg(test)]\nmod tests { use crate::a::run; }\n",
        ),
    ]);
    assert!(tree.cycles().is_empty(), "{:?}", tree.cycles());
    assert_eq!(tree.edges().len(), 1, "only a/c.rs → a/mod.rs");
}
