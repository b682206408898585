//! The paths a build step names: `$VAR`s expanded with the stage's ENV and ARG values, and which
//! of them are the prefix, scratch or read-only places.

use super::PREFIX;
use crate::model::Stage;
use crate::refactor::shell::Command;
use crate::refactor::util::{self, stage_instructions};
use crate::syntax::{Dockerfile, Keyword};

/// The stage's ENV values, for expanding `$VAR` in paths (last value wins, `$VAR` inside values
/// expanded with the earlier ones).
pub(super) fn env_values(doc: &Dockerfile, stage: &Stage) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (_, ins) in stage_instructions(doc, stage) {
        if !matches!(ins.keyword, Keyword::Env | Keyword::Arg) {
            continue;
        }
        for (k, v) in util::key_values(ins) {
            let v = expand(&v.unwrap_or_default(), &out);
            out.retain(|(key, _)| *key != k);
            out.push((k, v));
        }
    }
    out
}

/// Expands `$NAME` and `${NAME}` (plain forms only) with `vars`; unknown names stay as written.
pub(super) fn expand(word: &str, vars: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = word;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let mut strip: Option<&str> = None;
        let (name, len) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                // `${NAME%suffix}`: the value without a literal suffix.
                Some(end) => match inner[..end].split_once('%') {
                    Some((n, suffix)) if !suffix.contains(['*', '?', '%', '[']) => {
                        strip = Some(suffix);
                        (n, end + 2)
                    }
                    _ => (&inner[..end], end + 2),
                },
                None => ("", 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        match vars.iter().rev().find(|(k, _)| k == name) {
            Some((_, v)) if !name.is_empty() => {
                out.push_str(strip.and_then(|x| v.strip_suffix(x)).unwrap_or(v));
                rest = &after[len..];
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub(super) fn in_prefix(path: &str) -> bool {
    path == PREFIX || path.starts_with(&format!("{PREFIX}/"))
}

/// The absolute paths a command names: words (and `--flag=/path` values) starting with `/`
/// followed by a letter, after expanding the stage's ENV values.
pub(super) fn paths(cmd: &Command, vars: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    // Programs that only read or set variables: their words name nothing the step writes,
    // except where their output is redirected.
    let read_only = READ_ONLY.contains(&cmd.program());
    let mut after_redirect = false;
    for w in &cmd.words {
        let w = expand(w, vars);
        let target = std::mem::take(&mut after_redirect);
        // `> /etc/x`, `>> /etc/x`, `2> /x`: the next word is written; `>/etc/x` is one word.
        let op = w.trim_start_matches(|c: char| c.is_ascii_digit());
        if matches!(op, ">" | ">>" | ">|") {
            after_redirect = true;
            continue;
        }
        let (w, redirected) = match op.strip_prefix(">>").or_else(|| op.strip_prefix('>')) {
            Some(rest) if !rest.is_empty() => (rest.to_string(), true),
            _ => (w.clone(), target),
        };
        if read_only && !redirected {
            continue;
        }
        // `--with-x=/usr` and `--with-x-dir=/usr` name where to read from; `--xxxdir=/etc`
        // where to write.
        let value = match w.split_once('=') {
            Some((k, v))
                if !k.starts_with('-') || (k.ends_with("dir") && !k.starts_with("--with")) =>
            {
                Some(v)
            }
            _ => None,
        };
        let candidates = [Some(w.as_str()), value, w.split_once(':').map(|(_, v)| v)];
        for c in candidates.into_iter().flatten() {
            let c = c.trim_matches(|ch| ch == '"' || ch == '\'');
            let mut chars = c.chars();
            if chars.next() == Some('/')
                && chars.next().is_some_and(|ch| ch.is_ascii_alphabetic())
                && !c.contains(char::is_whitespace)
            {
                out.push(c.trim_end_matches(['*', '/']).to_string());
            }
        }
    }
    out
}

/// Programs whose words name nothing they write: patterns and files they read, variables they
/// set (`grep '/var/run/postgresql' file`, `export LLVM_CONFIG=/usr/lib/llvm19/bin/llvm-config`).
const READ_ONLY: &[&str] = &[
    "grep",
    "egrep",
    "fgrep",
    "export",
    "test",
    "[",
    "ldd",
    "scanelf",
    "sha256sum",
    "sha512sum",
];

/// Paths of documentation and debugger helpers: a build step may write there; the runtime goes
/// without them (the explanation says so).
const OPTIONAL: &[&str] = &[
    "/usr/share/gdb",
    "/usr/share/doc",
    "/usr/share/man",
    "/usr/share/info",
];

pub(super) fn optional(path: &str) -> Option<&'static str> {
    OPTIONAL
        .iter()
        .find(|s| path == **s || path.starts_with(&format!("{s}/")))
        .copied()
}

/// Paths a build step may name outside the prefix: scratch space, sources, headers it reads,
/// package-manager state.
const SCRATCH: &[&str] = &[
    "/tmp",
    "/dev",
    "/proc",
    "/usr/src",
    "/usr/include",
    "/var/lib/apt/lists",
    "/var/cache/apt",
    "/var/cache/apk",
    "/root",
];

pub(super) fn scratch(path: &str) -> bool {
    path == "/"
        || SCRATCH
            .iter()
            .any(|s| path == *s || path.starts_with(&format!("{s}/")))
}
