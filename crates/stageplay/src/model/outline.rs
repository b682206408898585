//! The outline of a build, offline: what `docker buildx build --call=outline` and
//! `--call=targets` print (BuildKit `dockerfile2llb/outline.go`, `ListTargets`), plus the cache
//! mounts the target uses.
//!
//! Which build args a target "uses" follows BuildKit: global ARGs referenced by the FROM lines of
//! the stages the target needs (and the global ARGs those defaults refer to), and the ARGs
//! declared inside those stages. A stage ARG without a default that re-declares a global ARG is
//! reported with the global's default and description, as BuildKit does.

use super::read::{self, MountSpec};
use super::{ArgDef, Model};
use crate::span::Span;
use crate::syntax::{Dockerfile, Keyword};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outline {
    /// The target the outline is for.
    pub target: Option<usize>,
    /// Build args the target uses, in source order.
    pub args: Vec<OutlineArg>,
    /// `RUN --mount=type=secret` ids, in source order.
    pub secrets: Vec<OutlineSecret>,
    /// `RUN --mount=type=ssh` ids, in source order.
    pub ssh: Vec<OutlineSecret>,
    /// `RUN --mount=type=cache` mounts, in source order.
    pub caches: Vec<OutlineCache>,
    /// Every stage as a target (`--call=targets`).
    pub targets: Vec<TargetInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutlineArg {
    pub name: String,
    /// The value for this build (default, expanded, or the `--build-arg` override).
    pub value: Option<String>,
    /// The comment above the ARG.
    pub description: Option<String>,
    pub line: u32,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutlineSecret {
    /// The id (for secrets without `id=`, the file name of the target, as BuildKit derives it;
    /// for ssh, `default`).
    pub id: String,
    pub required: bool,
    pub line: u32,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutlineCache {
    /// The cache id (the target path when no `id=` is given).
    pub id: String,
    pub target: String,
    /// `shared` (default), `private` or `locked`.
    pub sharing: String,
    pub stage: usize,
    pub line: u32,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetInfo {
    pub index: usize,
    pub name: Option<String>,
    pub description: Option<String>,
    /// True for the last stage (what a build without `--target` produces).
    pub default: bool,
    /// The base as written in FROM.
    pub base: String,
    pub platform: Option<String>,
    pub line: u32,
}

/// The outline for `model.target` (built with the same options as `model`).
pub fn outline(doc: &Dockerfile, model: &Model) -> Outline {
    let mut out = Outline {
        target: model.target,
        ..Outline::default()
    };
    let last = model.stages.len().saturating_sub(1);
    out.targets = model
        .stages
        .iter()
        .map(|s| TargetInfo {
            index: s.index,
            name: s.name.clone(),
            description: s.description.clone(),
            default: s.index == last,
            base: s.base_text.clone(),
            platform: s.platform.clone(),
            line: s.line,
        })
        .collect();

    let needed: Vec<_> = model.stages.iter().filter(|s| s.needed).collect();

    // Global ARGs used by FROM lines, then the globals their defaults refer to.
    let mut used_globals: Vec<String> = Vec::new();
    for stage in &needed {
        let mut text = stage.base_text.clone();
        if let Some(instr) = doc.instructions.get(stage.from_instruction) {
            if let Some(p) = instr.flag_value("platform") {
                text.push(' ');
                text.push_str(p);
            }
        }
        used_globals.extend(referenced_vars(&text));
    }
    let mut i = 0;
    while i < used_globals.len() {
        let name = used_globals[i].clone();
        if let Some(def) = last_global(model, &name) {
            for dep in referenced_vars(def.default.as_deref().unwrap_or("")) {
                if !used_globals.contains(&dep) {
                    used_globals.push(dep);
                }
            }
        }
        i += 1;
    }

    let mut args: Vec<OutlineArg> = Vec::new();
    let mut push = |def: &ArgDef, value: Option<String>, line: u32| {
        if !args.iter().any(|a| a.name == def.name) {
            args.push(OutlineArg {
                name: def.name.clone(),
                value,
                description: def.description.clone(),
                line,
                span: def.span,
            });
        }
    };
    for name in &used_globals {
        if let Some(def) = last_global(model, name) {
            push(def, def.value.clone(), line_of(doc, def.instruction));
        }
    }
    for stage in &needed {
        for def in &stage.args {
            // Re-declared predefined platform ARGs are not build args a user sets.
            if def.default.is_none()
                && is_predefined(&def.name)
                && last_global(model, &def.name).is_none()
            {
                continue;
            }
            match (def.default.is_none(), last_global(model, &def.name)) {
                (true, Some(global)) => {
                    push(global, def.value.clone(), line_of(doc, global.instruction))
                }
                _ => push(def, def.value.clone(), line_of(doc, def.instruction)),
            }
        }
    }
    crate::sort::sort_by_key(&mut args, |a| (a.line, a.span.start));
    out.args = args;

    for stage in &needed {
        for &i in &stage.instructions {
            let Some(instr) = doc.instructions.get(i) else {
                continue;
            };
            if instr.keyword != Keyword::Run {
                continue;
            }
            for flag in instr.flags.iter().filter(|f| f.name == "mount") {
                let m: MountSpec = read::parse_mount(flag.value.as_deref().unwrap_or(""));
                let line = instr.start_line;
                let span = flag.span;
                match m.kind.as_str() {
                    "secret" => {
                        let id =
                            m.id.clone()
                                .or_else(|| m.target.as_deref().map(base_name))
                                .unwrap_or_default();
                        add_secret(&mut out.secrets, id, m.required, line, span);
                    }
                    "ssh" => {
                        let id = m.id.clone().unwrap_or_else(|| "default".to_string());
                        add_secret(&mut out.ssh, id, m.required, line, span);
                    }
                    "cache" => {
                        let target = m.target.clone().unwrap_or_default();
                        out.caches.push(OutlineCache {
                            id: m.id.clone().unwrap_or_else(|| target.clone()),
                            target,
                            sharing: m.sharing.clone().unwrap_or_else(|| "shared".to_string()),
                            stage: stage.index,
                            line,
                            span,
                        });
                    }
                    _ => {}
                }
            }
        }
    }
    crate::sort::sort_by_key(&mut out.secrets, |s| (s.line, s.span.start));
    crate::sort::sort_by_key(&mut out.ssh, |s| (s.line, s.span.start));
    crate::sort::sort_by_key(&mut out.caches, |c| (c.line, c.span.start));
    out
}

fn add_secret(list: &mut Vec<OutlineSecret>, id: String, required: bool, line: u32, span: Span) {
    match list.iter_mut().find(|s| s.id == id) {
        Some(s) => s.required |= required,
        None => list.push(OutlineSecret {
            id,
            required,
            line,
            span,
        }),
    }
}

fn is_predefined(name: &str) -> bool {
    ["BUILD", "TARGET"].iter().any(|p| {
        name.strip_prefix(p)
            .is_some_and(|rest| matches!(rest, "PLATFORM" | "OS" | "ARCH" | "VARIANT"))
    }) || name == "TARGETSTAGE"
}

fn last_global<'m>(model: &'m Model, name: &str) -> Option<&'m ArgDef> {
    model.global_args.iter().rev().find(|a| a.name == name)
}

fn line_of(doc: &Dockerfile, instruction: usize) -> u32 {
    doc.instructions
        .get(instruction)
        .map_or(0, |i| i.start_line)
}

fn base_name(path: &str) -> String {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .to_string()
}

/// Names referenced as `$NAME` or `${NAME...}` in `text` (single quotes and escapes ignored).
pub(crate) fn referenced_vars(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let start = if bytes.get(i + 1) == Some(&b'{') {
                i + 2
            } else {
                i + 1
            };
            let mut end = start;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
            if end > start {
                let name = &text[start..end];
                if !out.iter().any(|n| n == name) {
                    out.push(name.to_string());
                }
                // Names inside `${A:-$B}` are found as the scan goes on.
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_referenced_vars() {
        assert_eq!(
            referenced_vars("img:${TAG:-$DEF}-$X"),
            vec!["TAG", "DEF", "X"]
        );
        assert!(referenced_vars("plain").is_empty());
    }
}
