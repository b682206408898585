//! The instruction layer: typed views of an [`Instruction`], as BuildKit's
//! `frontend/dockerfile/instructions` reads them, plus its checks as diagnostics.
//!
//! The views are lenient (they return what is there); [`Instruction::check`] reports what
//! BuildKit would refuse: unknown, duplicate or malformed flags, wrong argument counts,
//! bad stage names, a non-JSON SHELL, chained ONBUILD.

mod mount;

use super::ast::*;
use super::gocompat::split_token_space;
use super::values::parse_words;
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use mount::parse_mount;
pub use mount::{Mount, MountKind};
use serde::Serialize;

/// FROM's arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FromArgs {
    /// The image reference as written (variables not expanded).
    pub image: Word,
    /// The stage name after `AS`, as written.
    pub name: Option<Word>,
    /// The `--platform` value.
    pub platform: Option<String>,
}

impl FromArgs {
    /// The stage name lower-cased, as BuildKit stores it.
    pub fn name_lower(&self) -> Option<String> {
        self.name.as_ref().map(|w| w.text.to_lowercase())
    }
}

/// A heredoc used as a COPY/ADD source (`COPY <<EOF /dst`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeredocSource {
    /// The `<<EOF` argument.
    pub word: Word,
    /// The matching heredoc, in order of appearance.
    pub heredoc: Option<Heredoc>,
}

/// COPY and ADD arguments and flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct CopyArgs {
    /// Source paths (heredoc sources excluded), as written.
    pub sources: Vec<Word>,
    pub dest: Option<Word>,
    pub from: Option<String>,
    pub chown: Option<String>,
    pub chmod: Option<String>,
    pub link: bool,
    pub parents: bool,
    pub exclude: Vec<String>,
    /// ADD only.
    pub checksum: Option<String>,
    /// ADD only: `--keep-git-dir`.
    pub keep_git_dir: bool,
    /// ADD only: `--unpack` when given.
    pub unpack: Option<bool>,
    /// Heredoc sources (`<<EOF`), in order.
    pub heredoc_sources: Vec<HeredocSource>,
}

/// One `key=value` of ENV, LABEL or ARG.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyValue {
    pub key: String,
    /// The raw value, quotes kept as BuildKit keeps them; `None` for `ARG name`.
    pub value: Option<String>,
    pub key_span: Span,
    /// The whole `key=value` (or legacy `key value`) span.
    pub span: Span,
}

/// A RUN/CMD/ENTRYPOINT/SHELL command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CommandLine {
    /// Shell form: run through the shell (`/bin/sh -c`).
    Shell { text: String, span: Span },
    /// Exec form (JSON): the program and its arguments.
    Exec { args: Vec<Word>, span: Span },
}

/// HEALTHCHECK.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Healthcheck {
    /// `HEALTHCHECK NONE`.
    pub none: bool,
    /// The command after `CMD`.
    pub command: Option<CommandLine>,
    pub interval: Option<String>,
    pub timeout: Option<String>,
    pub start_period: Option<String>,
    pub start_interval: Option<String>,
    pub retries: Option<String>,
}

/// Flags BuildKit knows per instruction, and whether each may repeat.
fn known_flags(keyword: Keyword) -> &'static [(&'static str, FlagKind)] {
    use FlagKind::*;
    match keyword {
        Keyword::Add => &[
            ("chown", Str),
            ("chmod", Str),
            ("link", Bool),
            ("keep-git-dir", Bool),
            ("checksum", Str),
            ("exclude", Strings),
            ("unpack", Bool),
        ],
        Keyword::Copy => &[
            ("from", Str),
            ("chown", Str),
            ("chmod", Str),
            ("link", Bool),
            ("parents", Bool),
            ("exclude", Strings),
        ],
        Keyword::Run => &[
            ("mount", Strings),
            ("network", Str),
            ("security", Str),
            ("device", Strings),
        ],
        Keyword::From => &[("platform", Str)],
        Keyword::Healthcheck => &[
            ("interval", Str),
            ("timeout", Str),
            ("start-period", Str),
            ("start-interval", Str),
            ("retries", Str),
        ],
        _ => &[],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FlagKind {
    Bool,
    Str,
    Strings,
}

/// Go's `strconv.ParseBool`.
fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// A bool flag's value as BuildKit's `BFlags` reads it (`--link`, `--link=true`).
fn flag_bool(flag: Option<&Flag>) -> Option<bool> {
    let flag = flag?;
    match flag.value.as_deref() {
        None => Some(true),
        Some(v) => match v.to_lowercase().as_str() {
            "true" | "" => Some(true),
            "false" => Some(false),
            _ => None,
        },
    }
}

impl Instruction {
    /// The first flag named `name`: the engine's one instruction-flag lookup (lint, estimate,
    /// refactors and the model all read flags through it or [`Instruction::flag_value`]).
    ///
    /// BuildKit's semantics (`instructions/bflag.go`): names are case-sensitive, without dashes
    /// (`--FROM=x` is an unknown flag, reported as `syntax/unknown-flag`, and not read as
    /// `--from`), and a repeated single-value flag fails the build (`syntax/duplicate-flag`), so
    /// the first one is what the Dockerfile's author is shown and what the engine reads.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// The value of the first flag named `name` (see [`Instruction::flag`]); `None` when there
    /// is no such flag or it has no `=value`.
    pub fn flag_value(&self, name: &str) -> Option<&str> {
        self.flag(name).and_then(|f| f.value.as_deref())
    }

    /// Every flag named `name`, for flags that may repeat (`--mount`, `--exclude`).
    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |f| f.name == name)
    }

    /// The arguments as words: shell form split at whitespace, quotes respected and kept
    /// in the text (escapes kept too); exec form gives its decoded strings.
    pub fn words(&self) -> Vec<Word> {
        match &self.args {
            Args::Exec { items, .. } => items.clone(),
            Args::Shell { .. } => parse_words(self.args_text(), '\\')
                .into_iter()
                .map(|w| Word {
                    span: self.args_map.source_span(w.start, w.end),
                    text: w.text.to_string(),
                })
                .collect(),
        }
    }

    /// The words of an instruction BuildKit splits at whitespace only (FROM, EXPOSE, the
    /// shell form of COPY/ADD/VOLUME): exactly its value list, with spans.
    pub fn value_words(&self) -> Vec<Word> {
        match &self.args {
            Args::Exec { items, .. } => items.clone(),
            Args::Shell { .. } if self.args_text().is_empty() => Vec::new(),
            Args::Shell { .. } => split_token_space(self.args_text(), 0)
                .into_iter()
                .map(|(s, e)| Word {
                    text: self.args_text()[s..e].to_string(),
                    span: self.args_map.source_span(s, e),
                })
                .collect(),
        }
    }

    /// FROM's image, stage name and platform.
    pub fn from_args(&self) -> Option<FromArgs> {
        if self.keyword != Keyword::From {
            return None;
        }
        let mut words = self.value_words().into_iter();
        let image = words.next()?;
        let name = match (words.next(), words.next()) {
            (Some(as_word), Some(name)) if as_word.text.eq_ignore_ascii_case("as") => Some(name),
            _ => None,
        };
        let platform = self.flag("platform").and_then(|f| f.value.clone());
        Some(FromArgs {
            image,
            name,
            platform,
        })
    }

    /// COPY/ADD sources, destination and flags.
    pub fn copy_args(&self) -> Option<CopyArgs> {
        if !matches!(self.keyword, Keyword::Copy | Keyword::Add) {
            return None;
        }
        let mut words = self.value_words();
        let dest = if words.len() >= 2 || (!words.is_empty() && !self.heredocs().is_empty()) {
            words.pop()
        } else {
            None
        };
        let mut heredocs = self.heredocs().iter();
        let mut sources = Vec::new();
        let mut heredoc_sources = Vec::new();
        for word in words {
            if self.json || !is_heredoc_word(&word.text) {
                sources.push(word);
            } else {
                heredoc_sources.push(HeredocSource {
                    word,
                    heredoc: heredocs.next().cloned(),
                });
            }
        }
        let value = |name: &str| self.flag(name).and_then(|f| f.value.clone());
        Some(CopyArgs {
            sources,
            dest,
            from: value("from").filter(|_| self.keyword == Keyword::Copy),
            chown: value("chown"),
            chmod: value("chmod"),
            link: flag_bool(self.flag("link")).unwrap_or(false),
            parents: self.keyword == Keyword::Copy
                && flag_bool(self.flag("parents")).unwrap_or(false),
            exclude: self
                .flags_named("exclude")
                .filter_map(|f| f.value.clone())
                .collect(),
            checksum: value("checksum").filter(|_| self.keyword == Keyword::Add),
            keep_git_dir: self.keyword == Keyword::Add
                && flag_bool(self.flag("keep-git-dir")).unwrap_or(false),
            unpack: flag_bool(self.flag("unpack")).filter(|_| self.keyword == Keyword::Add),
            heredoc_sources,
        })
    }

    /// RUN `--mount` flags, read like BuildKit's `parseMount` (CSV fields, default type bind).
    pub fn mounts(&self) -> Vec<Mount> {
        if self.keyword != Keyword::Run {
            return Vec::new();
        }
        self.flags_named("mount")
            .map(|f| parse_mount(f.value.as_deref().unwrap_or(""), f.span).0)
            .collect()
    }

    /// ENV/LABEL pairs (`k=v` or legacy `k v`) and ARG names.
    pub fn key_values(&self) -> Vec<KeyValue> {
        let escape = '\\';
        match self.keyword {
            Keyword::Env | Keyword::Label | Keyword::Arg => {}
            _ => return Vec::new(),
        }
        let words = parse_words(self.args_text(), escape);
        let map = &self.args_map;
        if self.keyword != Keyword::Arg {
            if let Some(first) = words.first().filter(|w| !w.text.contains('=')) {
                let parts = split_token_space(self.args_text(), 2);
                let (k, v) = (parts[0], parts.get(1).copied());
                return vec![KeyValue {
                    key: self.args_text()[k.0..k.1].to_string(),
                    value: v.map(|(s, e)| self.args_text()[s..e].to_string()),
                    key_span: map.source_span(k.0, k.1),
                    span: map.source_span(first.start, self.args_text().len()),
                }];
            }
        }
        words
            .into_iter()
            .map(|w| {
                let (key, value) = match w.text.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (w.text.to_string(), None),
                };
                let key_len = w.text.find('=').map_or(w.end - w.start, |_| key.len());
                KeyValue {
                    key_span: map.source_span(w.start, (w.start + key_len).min(w.end)),
                    span: map.source_span(w.start, w.end),
                    key,
                    value,
                }
            })
            .collect()
    }

    /// The command of RUN, CMD, ENTRYPOINT and SHELL.
    pub fn command(&self) -> Option<CommandLine> {
        if !matches!(
            self.keyword,
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell
        ) {
            return None;
        }
        Some(match &self.args {
            Args::Exec { items, span } => CommandLine::Exec {
                args: items.clone(),
                span: *span,
            },
            Args::Shell { text, span } => CommandLine::Shell {
                text: text.to_string(),
                span: *span,
            },
        })
    }

    /// HEALTHCHECK `NONE` or `CMD` with its options.
    pub fn healthcheck(&self) -> Option<Healthcheck> {
        if self.keyword != Keyword::Healthcheck {
            return None;
        }
        let value = |name: &str| self.flag(name).and_then(|f| f.value.clone());
        let typ = self.first_value().map(str::to_uppercase);
        let none = typ.as_deref() == Some("NONE");
        let command = if typ.as_deref() == Some("CMD") {
            let text = self.args_text();
            let sep = text
                .find(|c: char| c.is_ascii_whitespace())
                .unwrap_or(text.len());
            let next = text[sep..]
                .find(|c: char| !c.is_ascii_whitespace())
                .map_or(text.len(), |i| sep + i);
            let span = self.args_map.source_span(next, text.len());
            if self.json {
                let words = super::json::parse_array(&text[next..]);
                let args = match words {
                    super::json::JsonArray::Strings { items, .. } => items
                        .into_iter()
                        .map(|i| Word {
                            text: i.value,
                            span: self.args_map.source_span(next + i.start, next + i.end),
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                Some(CommandLine::Exec { args, span })
            } else {
                Some(CommandLine::Shell {
                    text: text[next..].to_string(),
                    span,
                })
            }
        } else {
            None
        };
        Some(Healthcheck {
            none,
            command,
            interval: value("interval"),
            timeout: value("timeout"),
            start_period: value("start-period"),
            start_interval: value("start-interval"),
            retries: value("retries"),
        })
    }

    /// BuildKit's instruction-layer errors for this instruction, as diagnostics.
    pub fn check(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if self.keyword == Keyword::Unknown {
            out.push(Diagnostic::error(
                "syntax/unknown-instruction",
                self.keyword_span,
                format!("unknown instruction: {}", self.keyword_text()),
            ));
            return out;
        }
        self.check_flags(&mut out);
        self.check_arguments(&mut out);
        if let Some(inner) = self.onbuild() {
            match inner.keyword {
                Keyword::Onbuild => out.push(Diagnostic::error(
                    "syntax/onbuild-chain",
                    inner.keyword_span,
                    "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
                )),
                Keyword::From | Keyword::Maintainer => out.push(Diagnostic::error(
                    "syntax/onbuild-trigger",
                    inner.keyword_span,
                    format!(
                        "{} isn't allowed as an ONBUILD trigger",
                        inner.keyword.as_str()
                    ),
                )),
                _ => out.extend(inner.check()),
            }
        }
        out
    }

    fn check_flags(&self, out: &mut Vec<Diagnostic>) {
        let known = known_flags(self.keyword);
        for (index, flag) in self.flags.iter().enumerate() {
            let Some(&(_, kind)) = known.iter().find(|(n, _)| *n == flag.name) else {
                out.push(Diagnostic::error(
                    "syntax/unknown-flag",
                    flag.span,
                    format!("unknown flag: {}", flag.name),
                ));
                continue;
            };
            // An earlier flag of the same (known) name: no set of seen names to allocate.
            if kind != FlagKind::Strings && self.flags[..index].iter().any(|f| f.name == flag.name)
            {
                out.push(Diagnostic::error(
                    "syntax/duplicate-flag",
                    flag.span,
                    format!("Duplicate flag specified: {}", flag.name),
                ));
            }
            match (kind, &flag.value) {
                (FlagKind::Bool, Some(v))
                    if !matches!(v.to_lowercase().as_str(), "true" | "false" | "") =>
                {
                    out.push(Diagnostic::error(
                        "syntax/invalid-flag-value",
                        flag.value_span.unwrap_or(flag.span),
                        format!("expecting boolean value for flag {}, not: {}", flag.name, v),
                    ));
                }
                (FlagKind::Str | FlagKind::Strings, None) => out.push(Diagnostic::error(
                    "syntax/missing-flag-value",
                    flag.span,
                    format!("missing a value on flag: {}", flag.name),
                )),
                _ => {}
            }
            if self.keyword == Keyword::Run && flag.name == "mount" {
                if let Some(value) = &flag.value {
                    if let Some(message) = parse_mount(value, flag.span).1 {
                        out.push(Diagnostic::error(
                            "syntax/invalid-mount",
                            flag.span,
                            message,
                        ));
                    }
                }
            }
        }
    }

    fn check_arguments(&self, out: &mut Vec<Diagnostic>) {
        let span = match &self.args {
            Args::Exec { span, .. } | Args::Shell { span, .. } => *span,
        };
        let whole = if span.is_empty() {
            self.keyword_span
        } else {
            span
        };
        let mut error =
            |code: &str, message: String| out.push(Diagnostic::error(code, whole, message));
        let name = self.keyword.as_str();
        match self.keyword {
            Keyword::From => {
                let words = self.value_words();
                if words.len() == 3 && words[1].text.eq_ignore_ascii_case("as") {
                    let stage = words[2].text.to_lowercase();
                    if !is_valid_stage_name(&stage) {
                        out.push(Diagnostic::error(
                            "syntax/invalid-stage-name",
                            words[2].span,
                            format!("invalid name for build stage: {:?}, name can't start with a number or contain symbols", words[2].text),
                        ));
                    }
                } else if words.len() != 1 {
                    error(
                        "syntax/from-arguments",
                        "FROM requires either one or three arguments".into(),
                    );
                }
            }
            Keyword::Copy | Keyword::Add
                if self.value_count() < 2 && self.heredocs().is_empty() =>
            {
                error(
                    "syntax/missing-destination",
                    format!(
                        "{name} requires at least two arguments, but only {} provided",
                        self.value_count()
                    ),
                );
            }
            Keyword::Shell if !self.json => error(
                "syntax/shell-not-json",
                "SHELL requires the arguments to be in JSON form".into(),
            ),
            Keyword::Shell if self.value_count() == 0 => error(
                "syntax/missing-arguments",
                "SHELL requires at least one argument".into(),
            ),
            Keyword::Env | Keyword::Label if self.value_count() == 0 => error(
                "syntax/missing-arguments",
                format!("{name} requires at least one argument"),
            ),
            Keyword::Arg if self.value_count() == 0 => error(
                "syntax/missing-arguments",
                "ARG requires at least one argument".into(),
            ),
            Keyword::Workdir
            | Keyword::User
            | Keyword::Stopsignal
            | Keyword::Maintainer
            | Keyword::Expose
            | Keyword::Volume
            | Keyword::Onbuild
                if self.value_count() == 0 && self.onbuild().is_none() =>
            {
                error(
                    "syntax/missing-arguments",
                    format!("{name} requires at least one argument"),
                )
            }
            Keyword::Run if self.value_count() == 0 && self.heredocs().is_empty() => error(
                "syntax/missing-arguments",
                "RUN requires at least one argument".into(),
            ),
            Keyword::Healthcheck => {
                let typ = self.first_value().map(str::to_uppercase);
                match typ.as_deref() {
                    None => error(
                        "syntax/missing-arguments",
                        "HEALTHCHECK requires an argument".into(),
                    ),
                    Some("NONE") => {
                        if self.value_count() > 1 {
                            error(
                                "syntax/healthcheck-none",
                                "HEALTHCHECK NONE takes no arguments".into(),
                            );
                        }
                        if !self.flags.is_empty() {
                            error(
                                "syntax/healthcheck-none",
                                "HEALTHCHECK NONE does not support options".into(),
                            );
                        }
                    }
                    Some("CMD") => {
                        if self.value_count() < 2 {
                            error(
                                "syntax/missing-arguments",
                                "Missing command after HEALTHCHECK CMD".into(),
                            );
                        }
                    }
                    Some(other) => error(
                        "syntax/healthcheck-type",
                        format!("Unknown type {other:?} in HEALTHCHECK (try CMD)"),
                    ),
                }
            }
            _ => {}
        }
    }
}

/// `<<EOF`-like argument (BuildKit's `MustParseHeredoc` on a COPY/ADD source).
fn is_heredoc_word(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    match text[digits..].strip_prefix("<<") {
        Some(rest) => {
            let rest = rest.strip_prefix('-').unwrap_or(rest);
            !rest.is_empty() && !rest.contains('<')
        }
        None => false,
    }
}

/// BuildKit's stage name rule: `^[a-z][a-z0-9-_.]*$` (on the lower-cased name).
pub fn is_valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_names() {
        assert!(is_valid_stage_name("build-1.x_y"));
        assert!(!is_valid_stage_name("1foo"));
        assert!(!is_valid_stage_name(""));
    }
}
