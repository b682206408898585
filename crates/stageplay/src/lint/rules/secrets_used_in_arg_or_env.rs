use super::super::context::Ctx;
use super::helpers::key_values;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `ARG` and `ENV` names that look like secrets (`*_PASSWORD`, `API_KEY`, `*_TOKEN`,
    /// `SECRET`, `AUTH`, `CREDENTIALS`, …).
    ///
    /// ## Why is this bad?
    /// Build args and environment variables are stored in the image metadata and history;
    /// anyone who can pull the image can read them.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NPM_TOKEN
    /// RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > ~/.npmrc && npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN --mount=type=secret,id=npm_token \
    ///     NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
    /// ```
    ///
    /// ## Fix safety
    /// No fix: secrets must be passed with `docker build --secret`.
    ///
    /// ## References
    /// - [BuildKit: SecretsUsedInArgOrEnv](https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/)
    /// - [Build secrets](https://docs.docker.com/build/building/secrets/)
    pub struct SecretsUsedInArgOrEnv {
        code: "SecretsUsedInArgOrEnv",
        name: "secrets-used-in-arg-or-env",
        sources: ["buildkit:SecretsUsedInArgOrEnv"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

const DENY: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pass",
    "pword",
    "passwd",
    "secret",
    "token",
];

/// BuildKit's test: a `_`-separated part of the name is a secret word and none is `public`.
pub fn looks_secret(name: &str) -> bool {
    let lower = name.to_lowercase();
    let parts: Vec<&str> = lower.split('_').collect();
    parts.iter().any(|p| DENY.contains(p)) && !parts.contains(&"public")
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for inst in doc
        .instructions
        .iter()
        .filter(|i| matches!(i.keyword, Keyword::Arg | Keyword::Env))
    {
        for (name, span, _) in key_values(&ctx.words(inst)) {
            if looks_secret(&name) {
                let kw = inst.keyword.as_str();
                ctx.report(
                    span,
                    format!(
                        "Do not use ARG or ENV instructions for sensitive data ({kw} \"{name}\")"
                    ),
                );
            }
        }
    }
}
