//! The file-level import graph of a Rust crate, read from its sources: which file uses which
//! (through `use crate::…`, `super::…` and `self::…` paths in `use` trees and in code), the
//! cycles in that graph, and the uses that go against a stated layering.
//!
//! Tests use it to keep the engine's files (`crates/stageplay/tests/import_cycles.rs`) and the
//! web app's (`src/lib.rs`) free of import cycles. It is a reader, not a compiler: it knows
//! enough of Rust's syntax for paths and is tested on the shapes the two crates use.
//!
//! What counts as an edge:
//! - a path resolves to the file that defines the item it names: a name a `mod.rs` only
//!   re-exports (`pub use ast::*`, `pub use build::build`) resolves to the file that defines it;
//! - a folder's `mod.rs` (and `lib.rs`) is the folder's façade: its edges to its own submodules
//!   (declaring them, re-exporting from them, listing their checks) are not dependencies, while a
//!   submodule's use of its `mod.rs` (`super::Context`) is;
//! - `#[path = "…"] mod name;` makes the named file that module;
//! - `#[cfg(test)]` modules are left out: tests do not shape the layering.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::Path;

/// One source file: its path under `src/`, its module path (`["estimate", "run"]`) and text.
struct File {
    path: String,
    module: Vec<String>,
    /// True for `mod.rs` and `lib.rs`: the file's module owns a folder.
    owns_folder: bool,
    text: String,
}

impl File {
    /// The file at `path` (relative to `src/`, `/`-separated), with the module its place gives.
    fn at(path: &str, text: String) -> File {
        let stem = path.strip_suffix(".rs").unwrap_or(path);
        let mut module: Vec<String> = stem.split('/').map(str::to_string).collect();
        let last = module.last().map(String::as_str);
        let owns_folder = last == Some("mod") || (module.len() == 1 && last == Some("lib"));
        if owns_folder {
            module.pop();
        }
        File {
            path: path.to_string(),
            module,
            owns_folder,
            text,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
    /// A plain string literal's text (kept for `#[path = "…"]`).
    Str(String),
}

/// Tokens with their 1-based line; comments, raw and byte strings, chars and lifetimes are
/// dropped, plain strings kept as [`Tok::Str`].
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
            let start = if ch == 'b' { i + 2 } else { i + 1 };
            let mut j = start;
            while j < c.len() && c[j] != '"' {
                if c[j] == '\\' {
                    j += 1;
                }
                if at(j) == '\n' {
                    line += 1;
                }
                j += 1;
            }
            if ch == '"' {
                let text = c[start..j.min(c.len())].iter().collect();
                out.push((Tok::Str(text), line));
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

/// The `#[path = "p"] mod name;` declarations at the top of a file: (p, name).
fn path_attributes(text: &str) -> Vec<(String, String)> {
    let toks = tokenize(text);
    let mut out = Vec::new();
    for k in 0..toks.len() {
        let (Some(Tok::Punct('#')), Some(Tok::Punct('[')), Some(Tok::Ident(attr))) = (
            toks.get(k).map(|t| &t.0),
            toks.get(k + 1).map(|t| &t.0),
            toks.get(k + 2).map(|t| &t.0),
        ) else {
            continue;
        };
        let (Some(Tok::Punct('=')), Some(Tok::Str(path)), Some(Tok::Punct(']'))) = (
            toks.get(k + 3).map(|t| &t.0),
            toks.get(k + 4).map(|t| &t.0),
            toks.get(k + 5).map(|t| &t.0),
        ) else {
            continue;
        };
        if attr != "path" {
            continue;
        }
        // Skip a visibility (`pub`, `pub(crate)`) up to `mod name`.
        let mut j = k + 6;
        while let Some((t, _)) = toks.get(j) {
            match t {
                Tok::Ident(s) if s == "mod" => break,
                Tok::Ident(s) if s == "pub" || s == "crate" || s == "super" => j += 1,
                Tok::Punct('(' | ')') => j += 1,
                _ => break,
            }
        }
        if let (Some(Tok::Ident(m)), Some(Tok::Ident(name))) =
            (toks.get(j).map(|t| &t.0), toks.get(j + 1).map(|t| &t.0))
        {
            if m == "mod" {
                out.push((path.clone(), name.clone()));
            }
        }
    }
    out
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

/// The source tree of one crate: its files, what each names, and the edges between them.
pub struct Tree {
    files: Vec<File>,
    items: Vec<Items>,
    by_module: HashMap<Vec<String>, usize>,
}

impl Tree {
    /// Reads every `.rs` file under `src` (a crate's `src/` folder).
    pub fn read(src: &Path) -> Tree {
        Tree::new(read_tree(src))
    }

    /// A tree from files in memory: (path relative to `src/`, text).
    pub fn from_files(files: &[(&str, &str)]) -> Tree {
        Tree::new(
            files
                .iter()
                .map(|(path, text)| File::at(path, text.to_string()))
                .collect(),
        )
    }

    fn new(mut files: Vec<File>) -> Tree {
        follow_path_attributes(&mut files);
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

    /// How many files the tree holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when the tree holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The module path of file `n` (`["estimate", "run"]`; empty for `lib.rs`).
    pub fn module(&self, n: usize) -> &[String] {
        &self.files[n].module
    }

    /// Every edge between two files, with the line that makes it (the first one).
    pub fn edges(&self) -> BTreeMap<(usize, usize), u32> {
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

    /// File `n`'s path relative to `src/`.
    pub fn name(&self, n: usize) -> String {
        self.files[n].path.clone()
    }

    /// Every cycle (one shortest cycle per strongly connected group), printed with the line of
    /// each edge.
    pub fn cycles(&self) -> Vec<String> {
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
    fn walk(src: &Path, dir: &Path, out: &mut Vec<File>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(src, &path, out);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let rel = path.strip_prefix(src).unwrap_or(&path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(File::at(&rel.join("/"), text));
        }
    }
    let mut out = Vec::new();
    walk(src, src, &mut out);
    out
}

/// Gives each file a `#[path = "…"] mod name;` names the module its declaration makes
/// (`components/graph_pane.rs` declaring `#[path = "graph/view.rs"] mod view;` makes
/// `components/graph/view.rs` the module `components::graph_pane::view`). The path is relative
/// to the declaring file's folder, as rustc reads it outside inline modules.
fn follow_path_attributes(files: &mut [File]) {
    for _ in 0..8 {
        let mut moves = Vec::new();
        for f in files.iter() {
            let folder = f.path.rsplit_once('/').map_or("", |(d, _)| d);
            for (path, name) in path_attributes(&f.text) {
                let target = normalize(&format!("{folder}/{path}"));
                let mut module = f.module.clone();
                module.push(name);
                moves.push((target, module));
            }
        }
        let mut changed = false;
        for (target, module) in moves {
            if let Some(file) = files.iter_mut().find(|f| f.path == target) {
                if file.module != module || file.owns_folder {
                    file.module = module;
                    file.owns_folder = false;
                    changed = true;
                }
            }
        }
        if !changed {
            return;
        }
    }
}

/// `a/./b/../c.rs` → `a/c.rs`, without a leading `/`.
fn normalize(path: &str) -> String {
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
    parts.join("/")
}

/// The uses that go against `layers` (top-level module → rank, lowest first), one line each: a
/// file may use files of its own top-level module and of lower ranks; two modules of the same
/// rank do not use each other. `lib.rs` may use anything.
pub fn layering_violations(tree: &Tree, layers: &[(&str, u32)]) -> Vec<String> {
    let layer = |n: usize| {
        let top = tree.module(n).first()?;
        layers.iter().find(|(name, _)| name == top).copied()
    };
    let mut wrong = Vec::new();
    for ((a, b), line) in tree.edges() {
        if tree.module(a).is_empty() {
            continue;
        }
        let (Some((la, ra)), Some((lb, rb))) = (layer(a), layer(b)) else {
            wrong.push(format!(
                "{}:{line} → {}: not both in a known layer",
                tree.name(a),
                tree.name(b)
            ));
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
    wrong
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_finds_cycles_through_use_trees_code_paths_and_re_exports() {
        // b ↔ c through a grouped `use` and a path in code.
        let tree = Tree::from_files(&[
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
        let tree = Tree::from_files(&[
            ("lib.rs", "pub mod a;\npub mod x;\n"),
            ("a/mod.rs", "mod c;\npub use c::*;\n"),
            ("a/c.rs", "use crate::x::helper;\npub struct Thing;\n"),
            ("x.rs", "use crate::a::Thing;\npub fn helper() {}\n"),
        ]);
        let cycles = tree.cycles();
        assert_eq!(cycles.len(), 1, "{cycles:?}");
        assert!(cycles[0].contains("x.rs:1 → a/c.rs"), "{}", cycles[0]);

        // A folder's mod.rs using its submodules is no cycle; a test module is left out.
        let tree = Tree::from_files(&[
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

    #[test]
    fn a_path_attribute_names_the_module_of_its_file() {
        // pane.rs declares the file parts/view.rs as its module `view`; view uses its parent
        // through `super`, and the parent uses a sibling that uses the view back.
        let tree = Tree::from_files(&[
            ("lib.rs", "pub mod pane;\npub mod other;\n"),
            (
                "pane.rs",
                "#[path = \"parts/view.rs\"]\nmod view;\npub struct Props;\npub fn f() { crate::other::g() }\n",
            ),
            ("parts/view.rs", "use super::Props;\n"),
            ("other.rs", "pub fn g() {}\nfn h() { crate::pane::f() }\n"),
        ]);
        let names: Vec<(String, Vec<String>)> = (0..tree.len())
            .map(|n| (tree.name(n), tree.module(n).to_vec()))
            .collect();
        assert!(names.contains(&("parts/view.rs".into(), vec!["pane".into(), "view".into()])));
        let edges: Vec<(String, String)> = tree
            .edges()
            .keys()
            .map(|&(a, b)| (tree.name(a), tree.name(b)))
            .collect();
        assert!(
            edges.contains(&("parts/view.rs".into(), "pane.rs".into())),
            "{edges:?}"
        );
        assert_eq!(tree.cycles().len(), 1, "pane.rs ↔ other.rs");
    }

    #[test]
    fn layering_reports_uses_of_higher_or_sibling_layers() {
        let tree = Tree::from_files(&[
            ("lib.rs", "pub mod low;\npub mod high;\npub mod side;\n"),
            ("low.rs", "use crate::high::H;\npub struct L;\n"),
            ("high.rs", "use crate::low::L;\npub struct H;\n"),
            ("side.rs", "use crate::high::H;\n"),
        ]);
        let wrong = layering_violations(&tree, &[("low", 0), ("high", 1), ("side", 1)]);
        assert_eq!(
            wrong,
            vec![
                "low.rs:1 (low) uses high.rs (high)".to_string(),
                "side.rs:1 (side) uses high.rs (high)".to_string()
            ]
        );
    }
}
