use super::super::context::Ctx;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Notes a final image that exposes a port (a service) but defines no `HEALTHCHECK`,
    /// neither in the target stage nor in the stages it is built `FROM`.
    ///
    /// ## Why is this bad?
    /// Without a health check, Docker and Compose only know whether the process runs, not
    /// whether it answers; restarts and `depends_on: service_healthy` cannot work. The base
    /// image may define one, which Stageplay cannot see, so this is only information.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 80
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 80
    /// HEALTHCHECK CMD curl -fs http://localhost/ || exit 1
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the right probe depends on the service.
    ///
    /// ## References
    /// - [HEALTHCHECK](https://docs.docker.com/reference/dockerfile/#healthcheck)
    pub struct MissingHealthcheck {
        code: "SP1006",
        name: "missing-healthcheck",
        sources: [],
        severity: Info,
        status: Stable,
        fix: None,
        stage_aware: true,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let chain: Vec<_> = ctx.stages.iter().filter(|s| s.in_final_image).collect();
    let Some(target) = chain.iter().find(|s| s.is_target) else {
        return;
    };
    let has = |kw: Keyword| {
        chain
            .iter()
            .any(|s| (s.start + 1..s.end).any(|k| doc.instructions[k].keyword == kw))
    };
    if has(Keyword::Expose) && !has(Keyword::Healthcheck) {
        let span = doc.instructions[target.from].span;
        ctx.report(
            span,
            "The final image exposes a port but has no HEALTHCHECK",
        );
    }
}
