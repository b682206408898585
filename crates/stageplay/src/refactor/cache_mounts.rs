//! BuildKit cache mounts for package managers.
//!
//! ## What it does
//! Adds `--mount=type=cache,target=<cache dir>` to RUN instructions that download packages
//! (pip, uv, poetry, pipenv, npm, yarn, pnpm, go, cargo, Maven, Gradle wrapper, dotnet) and
//! drops `--no-cache-dir`, which would defeat it.
//!
//! ## Why is this better?
//! The download cache survives between builds without landing in the image, so a changed
//! manifest re-downloads only what changed.
//!
//! ## Fix safety
//! Safe with BuildKit (the default builder); the legacy builder rejects `--mount`.
//!
//! ## References
//! Founding guide, "BuildKit Features: Cache Mounts" and "Multi-Stage with uv"; Docker docs,
//! "Optimize cache usage: use cache mounts"; hadolint DL3042 (pip `--no-cache-dir`, which a
//! cache mount replaces).

use super::project::{image_family, root_image, Ecosystem};
use super::shell::{self, Command};
use super::util::{self, arg_text, stage_instructions};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::span::Span;
use crate::syntax::{Args, Keyword};

pub const META: RefactorMeta = RefactorMeta {
    id: "cache-mounts",
    title: "Cache package downloads with BuildKit cache mounts",
    sources: &[
        (
            "Founding guide: BuildKit Features (Cache Mounts)",
            "https://docs.docker.com/build/cache/optimize/#use-cache-mounts",
        ),
        (
            "Founding guide: Multi-Stage with uv",
            "https://docs.astral.sh/uv/guides/integration/docker/#caching",
        ),
        (
            "hadolint DL3042",
            "https://github.com/hadolint/hadolint/wiki/DL3042",
        ),
    ],
};

/// The cache directory a command downloads into (as root in the official images).
fn cache_dirs(c: &Command, ecosystem: Ecosystem) -> Vec<&'static str> {
    let prog = c.program();
    let sub = c.subcommand();
    let args = c.program_args();
    match prog {
        "pip" | "pip3" if sub == Some("install") => vec!["/root/.cache/pip"],
        "python" | "python3"
            if args.iter().take(3).any(|a| a == "pip") && args.iter().any(|a| a == "install") =>
        {
            vec!["/root/.cache/pip"]
        }
        "uv" if matches!(sub, Some("sync") | Some("pip")) => vec!["/root/.cache/uv"],
        "poetry" if sub == Some("install") => vec!["/root/.cache/pypoetry"],
        "pipenv" if matches!(sub, Some("install") | Some("sync")) => vec!["/root/.cache/pipenv"],
        "npm" if matches!(sub, Some("ci") | Some("install") | Some("i")) => vec!["/root/.npm"],
        "yarn" if matches!(sub, None | Some("install")) && ecosystem == Ecosystem::Node => {
            vec!["/usr/local/share/.cache/yarn"]
        }
        "pnpm" if matches!(sub, Some("install") | Some("i")) => {
            vec!["/root/.local/share/pnpm/store"]
        }
        "go" if matches!(sub, Some("build") | Some("install") | Some("mod"))
            && ecosystem == Ecosystem::Go =>
        {
            vec!["/go/pkg/mod", "/root/.cache/go-build"]
        }
        "cargo"
            if matches!(sub, Some("build") | Some("install") | Some("fetch"))
                && ecosystem == Ecosystem::Rust =>
        {
            vec!["/usr/local/cargo/registry"]
        }
        "mvn" | "mvnw" => vec!["/root/.m2"],
        "gradlew" => vec!["/root/.gradle"],
        "dotnet" if matches!(sub, Some("restore") | Some("publish") | Some("build")) => {
            vec!["/root/.nuget/packages"]
        }
        _ => Vec::new(),
    }
}

pub fn check(cx: &Context) -> Option<Draft> {
    let mut edits = Vec::new();
    let mut all: Vec<&str> = Vec::new();
    for stage in &cx.model.stages {
        let ecosystem = image_family(&root_image(cx.model, stage)).unwrap_or(Ecosystem::Unknown);
        for (i, ins) in stage_instructions(cx.doc, stage) {
            if ins.keyword != Keyword::Run || !util::is_root_at(cx.doc, stage, i) {
                continue;
            }
            let Args::Shell {
                span: args_span, ..
            } = &ins.args
            else {
                continue;
            };
            let cmds = shell::commands(&arg_text(ins));
            let existing: Vec<String> = ins
                .mounts()
                .iter()
                .filter_map(|m| m.target.clone())
                .collect();
            let mut wanted: Vec<&str> = Vec::new();
            for c in &cmds {
                for d in cache_dirs(c, ecosystem) {
                    if !wanted.contains(&d)
                        && !existing.iter().any(|e| e.trim_end_matches('/') == d)
                    {
                        wanted.push(d);
                    }
                }
            }
            if wanted.is_empty() {
                continue;
            }
            let mut insert = String::new();
            for d in &wanted {
                insert.push_str(&format!("--mount=type=cache,target={d} \\\n    "));
            }
            edits.push(TextEdit {
                span: Span::empty(args_span.start),
                insert,
            });
            // `--no-cache-dir` would bypass the cache the mount provides.
            let args_text = util::slice(cx.text, *args_span);
            let mut from = 0usize;
            while let Some(at) = args_text[from..].find(" --no-cache-dir") {
                let start = args_span.start + (from + at) as u32;
                edits.push(TextEdit {
                    span: Span::new(start, start + " --no-cache-dir".len() as u32),
                    insert: String::new(),
                });
                from += at + 1;
            }
            for d in wanted {
                if !all.contains(&d) {
                    all.push(d);
                }
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    Some(Draft {
        title: format!("Cache {} with BuildKit cache mounts", all.join(", ")),
        explanation: format!(
            "These RUN instructions download packages. A cache mount at {} keeps the downloads between builds without \
             putting them in the image (founding guide: \"BuildKit Features\"), so a changed manifest fetches only what changed.",
            all.join(" and ")
        ),
        applicability: Applicability::Safe,
        edits,
    })
}
