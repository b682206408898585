use super::super::context::Ctx;
use crate::estimate::bases;
use crate::model::Base;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Notes a final image that sets no `USER` (neither in the target stage nor in the stages
    /// it is built `FROM`) on a base image that runs as root, according to Stageplay's
    /// knowledge base of base images. Builder stages are not checked: only the target's image
    /// runs in production; nor is a `FROM scratch` image without ENTRYPOINT or CMD, which only
    /// exports files.
    ///
    /// ## Why is this bad?
    /// A process running as root in the container is root on the container's filesystem, and
    /// one kernel or runtime flaw away from root on the host. The founding guide's production
    /// pattern creates a user and switches to it.
    ///
    /// An explicit `USER root` is hadolint's DL3002; an image that is not in the knowledge
    /// base is not reported, since its default user is unknown here. Images whose default user
    /// is not root (`node` in Chainguard's node, distroless `:nonroot` tags) pass.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN useradd --create-home --uid 1000 appuser
    /// COPY --chown=appuser app.py /app/
    /// USER appuser
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ## Fix safety
    /// No quick fix: the Suggestions pane's "Run as the non-root user" refactor adds the user,
    /// the ownership of the copied files and the `USER` line, for review.
    ///
    /// ## References
    /// - [Dockerfile best practices: USER](https://docs.docker.com/build/building/best-practices/#user)
    /// - Founding guide: "Production Multi-Stage with Security"
    pub struct FinalImageRunsAsRoot {
        code: "SP1009",
        name: "final-image-runs-as-root",
        sources: [],
        severity: Info,
        status: Stable,
        fix: None,
        stage_aware: true,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let chain: Vec<usize> = (0..ctx.stages.len())
        .filter(|&i| ctx.stages[i].in_final_image)
        .collect();
    let Some(&target) = chain.iter().find(|&&i| ctx.stages[i].is_target) else {
        return;
    };
    let sets_user = chain.iter().any(|&i| {
        let s = &ctx.stages[i];
        (s.start + 1..s.end).any(|k| doc.instructions[k].keyword == Keyword::User)
    });
    if sets_user {
        return;
    }
    // Stages are built FROM earlier stages only, so the chain's first stage is the one built
    // FROM an image (the model's base is read only when it describes the same stage).
    let Some(&root) = chain.first() else {
        return;
    };
    let base = match ctx
        .model
        .stages
        .get(root)
        .filter(|m| m.from_instruction == ctx.stages[root].from)
        .map(|m| &m.base)
    {
        Some(Base::Image(image)) => image.as_str(),
        Some(Base::Scratch) => "scratch",
        _ => return,
    };
    // A scratch image without ENTRYPOINT or CMD runs nothing (a stage that only exports files,
    // `docker build --output`): no process, no user.
    let runs_something = chain.iter().any(|&i| {
        let s = &ctx.stages[i];
        (s.start + 1..s.end).any(|k| {
            matches!(
                doc.instructions[k].keyword,
                Keyword::Entrypoint | Keyword::Cmd
            )
        })
    });
    if base == "scratch" && !runs_something {
        return;
    }
    let resolved = bases::resolve(base);
    let Some(user) = resolved.default_user() else {
        return;
    };
    if user != "root" && user != "0" {
        return;
    }
    let help = if base == "scratch" {
        "add `USER 65532:65532` (a numeric user needs no /etc/passwd) before CMD"
    } else {
        "create a user and switch to it with `USER` in the final stage (the Suggestions pane offers this where the image allows it)"
    };
    let finding = ctx.report(
        doc.instructions[ctx.stages[target].from].span,
        format!("The final image runs as root: no USER is set and {base} runs as root"),
    );
    finding.help = Some(help.to_string());
}
