use super::super::context::Ctx;
use super::copy_before_install::is_whole_context;

declare_rule! {
    /// ## What it does
    /// Finds `COPY .` / `ADD .` (the whole build context) when there is no `.dockerignore`.
    ///
    /// ## Why is this bad?
    /// Everything in the directory is sent and copied: `.git`, `node_modules`, local `.env`
    /// files with secrets, build output. The image grows, the cache breaks on every change,
    /// and secrets can leak into a layer.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY . /app
    /// ```
    ///
    /// Use instead: add a `.dockerignore` next to the Dockerfile:
    /// ```text
    /// .git
    /// node_modules
    /// .env
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the `.dockerignore` is a separate file.
    ///
    /// ## References
    /// - [.dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
    pub struct ContextCopyWithoutDockerignore {
        code: "SP1007",
        name: "context-copy-without-dockerignore",
        sources: [],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    if ctx.opts.dockerignore.is_some() {
        return;
    }
    let doc = ctx.doc;
    let hits: Vec<_> = doc
        .instructions
        .iter()
        .filter(|i| is_whole_context(ctx, i))
        .map(|i| i.span)
        .collect();
    for span in hits {
        ctx.report(
            span,
            "The whole build context is copied and there is no .dockerignore",
        );
    }
}
