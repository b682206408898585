//! Secret mounts instead of tokens in ARG or ENV.
//!
//! ## What it does
//! Removes an `ARG`/`ENV` whose name says it holds a credential (`*_TOKEN`, `*_PASSWORD`,
//! `*_SECRET`, `*_API_KEY`, …) and gives each RUN that used it
//! `--mount=type=secret,id=<name>,env=<NAME>`, so the value is present only while that command runs.
//!
//! ## Why is this better?
//! ARG and ENV values are stored in the image's history and config (`docker history`,
//! `docker inspect`); anyone with the image can read the token. A secret mount never is.
//!
//! ## Fix safety
//! Unsafe: the build command must now pass the secret: `docker build --secret id=<name>,env=<NAME> .`
//!
//! ## References
//! Founding guide, "BuildKit Features: Secret Mounts"; BuildKit check SecretsUsedInArgOrEnv;
//! Docker docs, "Build secrets".

use super::shell;
use super::util::{self, arg_text, stage_instructions};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::span::Span;
use crate::syntax::{Args, Keyword};

pub const META: RefactorMeta = RefactorMeta {
    id: "secret-mounts",
    title: "Pass credentials with secret mounts, not ARG/ENV",
    sources: &[
        (
            "Founding guide: BuildKit Features (Secret Mounts)",
            "https://docs.docker.com/build/building/secrets/",
        ),
        (
            "BuildKit check SecretsUsedInArgOrEnv",
            "https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
        ),
    ],
};

/// True for names that hold credentials (BuildKit's check uses the same words).
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let words: Vec<&str> = upper.split(['_', '-']).collect();
    words.iter().enumerate().any(|(i, w)| {
        matches!(
            *w,
            "TOKEN" | "PASSWORD" | "PASSWD" | "SECRET" | "APIKEY" | "CREDENTIALS"
        ) || (*w == "KEY"
            && i > 0
            && matches!(words[i - 1], "API" | "ACCESS" | "PRIVATE" | "SECRET"))
    })
}

pub fn check(cx: &Context) -> Option<Draft> {
    for stage in &cx.model.stages {
        let instrs = stage_instructions(cx.doc, stage);
        for (pos, (_, decl)) in instrs.iter().enumerate() {
            if !matches!(decl.keyword, Keyword::Arg | Keyword::Env) {
                continue;
            }
            let kvs = util::key_values(decl);
            // Only declarations that hold nothing but one secret (the whole line can go).
            let [(name, _)] = kvs.as_slice() else {
                continue;
            };
            if !is_secret_name(name) {
                continue;
            }
            let refs = [format!("${name}"), format!("${{{name}}}")];
            let npm_like = name.contains("NPM") || name.contains("NODE_AUTH");
            let mut users = Vec::new();
            let mut runtime_use = false;
            for (_, ins) in &instrs[pos + 1..] {
                let text = arg_text(ins);
                let mentions = refs.iter().any(|r| text.contains(r.as_str()));
                match ins.keyword {
                    Keyword::Run => {
                        let uses_pm = npm_like
                            && shell::commands(&text)
                                .iter()
                                .any(|c| matches!(c.program(), "npm" | "yarn" | "pnpm"));
                        if mentions || uses_pm {
                            if matches!(ins.args, Args::Exec { .. }) {
                                runtime_use = true;
                            }
                            users.push(*ins);
                        }
                    }
                    Keyword::Cmd
                    | Keyword::Entrypoint
                    | Keyword::Healthcheck
                    | Keyword::Env
                    | Keyword::Copy
                    | Keyword::Add
                    | Keyword::Workdir
                    | Keyword::Label => runtime_use |= mentions,
                    _ => {}
                }
            }
            // A later stage or the container itself may read an ENV value: leave those alone.
            if users.is_empty() || runtime_use {
                continue;
            }
            let id = name.to_ascii_lowercase();
            let mut edits = vec![TextEdit {
                span: util::line_span(cx.text, decl.span, false),
                insert: String::new(),
            }];
            for ins in &users {
                let Args::Shell { span, .. } = &ins.args else {
                    continue;
                };
                edits.push(TextEdit {
                    span: Span::empty(span.start),
                    insert: format!("--mount=type=secret,id={id},env={name} \\\n    "),
                });
            }
            return Some(Draft {
                title: format!("Pass {name} as a build secret"),
                explanation: format!(
                    "`{} {name}` puts the credential into the image's history and config, where anyone with the image can read it. \
                     A secret mount exposes it only to the RUN that needs it (founding guide: \"Secret Mounts\"). Build with \
                     `docker build --secret id={id},env={name} .` (the `env=` option needs Dockerfile syntax 1.10 or later).",
                    decl.keyword_text()
                ),
                applicability: Applicability::Unsafe,
                edits,
            });
        }
    }
    None
}
