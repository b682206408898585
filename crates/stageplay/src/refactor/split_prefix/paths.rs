//! The paths a build step names: `$VAR`s expanded with the stage's ENV and ARG values, and which
//! of them are the prefix, scratch or read-only places.

use super::PREFIX;
use crate::model::Stage;
use crate::refactor::shell::Command;
use crate::refactor::util::{self, stage_instructions};
use crate::syntax::expand::{Budget, Lex, Unset};
use crate::syntax::{Dockerfile, Keyword};

/// The stage's ENV and ARG values for expanding `$VAR` in paths (last value wins, `$VAR` inside
/// values expanded with the earlier ones), and the expansion budget for the stage.
pub(super) struct Vars {
    values: Vec<(String, String)>,
    budget: Budget,
}

impl Vars {
    /// `values` in order, with a budget for `input_len` bytes of Dockerfile.
    pub(super) fn new(values: Vec<(String, String)>, input_len: usize) -> Vars {
        Vars {
            values,
            budget: Budget::for_input(input_len),
        }
    }
}

pub(super) fn env_values(doc: &Dockerfile, stage: &Stage) -> Vars {
    let instructions = stage_instructions(doc, stage);
    let size = instructions
        .iter()
        .map(|(_, ins)| ins.span.len() as usize)
        .sum();
    let mut vars = Vars::new(Vec::new(), size);
    for (_, ins) in instructions {
        if !matches!(ins.keyword, Keyword::Env | Keyword::Arg) {
            continue;
        }
        for (k, v) in util::key_values(ins) {
            let v = expand(&v.unwrap_or_default(), &vars);
            vars.values.retain(|(key, _)| *key != k);
            vars.values.push((k, v));
        }
    }
    vars
}

/// Expands `$NAME`, `${NAME}` and the `${NAME…}` forms with `vars` (the one expander, quotes
/// and escapes kept); unknown names stay as written, and so does a word that cannot be
/// expanded (an unclosed quote or brace, or a spent budget).
pub(super) fn expand(word: &str, vars: &Vars) -> String {
    let lex = Lex {
        raw_quotes: true,
        raw_escapes: true,
        unset: Unset::Keep,
        ..Lex::new('\\')
    };
    let lookup = |name: &str| {
        vars.values
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    lex.process(word, &lookup, &vars.budget)
        .map_or_else(|_| word.to_string(), |(expanded, _)| expanded)
}

pub(super) fn in_prefix(path: &str) -> bool {
    path == PREFIX || path.starts_with(&format!("{PREFIX}/"))
}

/// The absolute paths a command names: words (and `--flag=/path` values) starting with `/`
/// followed by a letter, after expanding the stage's ENV values.
pub(super) fn paths(cmd: &Command, vars: &Vars) -> Vec<String> {
    let mut out = Vec::new();
    // Programs that only read or set variables: their words name nothing the step writes,
    // except where their output is redirected.
    let read_only = READ_ONLY.contains(&cmd.program());
    // The words, then the files the redirections write (`> /etc/x`, `2>>/x`).
    let words = cmd.words.iter().map(|w| (w, false));
    let written = cmd.written_files().map(|w| (w, true));
    for (w, redirected) in words.chain(written) {
        let w = expand(w, vars);
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
