use super::super::context::Ctx;
use super::helpers::key_values;
use super::secrets_used_in_arg_or_env::looks_secret;
use crate::span::Span;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds secrets that reach the final image through `ENV` (stored in the image config)
    /// or through an `ARG` that a `RUN` uses (stored in the image history), in stages that
    /// end up in the final image.
    ///
    /// ## Why is this bad?
    /// Anyone who can pull the image can read them with `docker inspect` or
    /// `docker history`. A secret mount is never written to a layer.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG GITHUB_TOKEN
    /// RUN git clone https://$GITHUB_TOKEN@github.com/acme/private.git
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN --mount=type=secret,id=github_token \
    ///     git clone https://$(cat /run/secrets/github_token)@github.com/acme/private.git
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the secret must be passed with `docker build --secret`.
    ///
    /// ## References
    /// - [Build secrets](https://docs.docker.com/build/building/secrets/)
    pub struct SecretInFinalImage {
        code: "SP1004",
        name: "secret-in-final-image",
        sources: [],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: true,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let mut hits: Vec<(Span, String, &'static str)> = Vec::new();
    for s in ctx.stages.iter().filter(|s| s.in_final_image) {
        for k in s.start + 1..s.end {
            let inst = &doc.instructions[k];
            if !matches!(inst.keyword, Keyword::Env | Keyword::Arg) {
                continue;
            }
            for (name, span, value) in key_values(&ctx.words(inst)) {
                if !looks_secret(&name) {
                    continue;
                }
                if inst.keyword == Keyword::Env && value.as_deref().is_some_and(|v| !v.is_empty()) {
                    hits.push((span, name, "environment"));
                    continue;
                }
                let used = (k + 1..s.end).any(|r| {
                    doc.instructions[r].keyword == Keyword::Run
                        && ctx.script(r).is_some_and(|sc| {
                            sc.text.contains(&format!("${name}"))
                                || sc.text.contains(&format!("${{{name}"))
                        })
                });
                if used {
                    hits.push((span, name, "history"));
                }
            }
        }
    }
    for (span, name, place) in hits {
        ctx.report(
            span,
            format!("Secret `{name}` is stored in the final image's {place}"),
        )
        .help("pass it with `docker build --secret` and read it in `RUN --mount=type=secret`");
    }
}
