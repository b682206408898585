use super::super::context::Ctx;

declare_rule! {
    /// ## What it does
    /// Finds commands that make no sense in an image build: `ssh`, `vim`, `shutdown`,
    /// `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`.
    ///
    /// ## Why is this bad?
    /// A build step has no services, no terminal and no running processes to inspect; such
    /// commands do nothing useful or fail.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN service nginx start
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// CMD ["nginx", "-g", "daemon off;"]
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    ///
    /// ## References
    /// - [hadolint DL3001](https://github.com/hadolint/hadolint/wiki/DL3001)
    pub struct NoInteractiveCommands {
        code: "DL3001",
        name: "no-interactive-commands",
        sources: ["hadolint:DL3001"],
        severity: Info,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

const INVALID: &[&str] = &[
    "free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim", "ifconfig",
];

pub fn check(ctx: &mut Ctx) {
    let hits: Vec<_> = ctx
        .runs()
        .flat_map(|(_, _, s)| {
            s.commands()
                .filter(|c| INVALID.contains(&c.name()))
                .map(|c| (c.span, c.name().to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    for (span, name) in hits {
        ctx.report(span, format!("For some bash commands it makes no sense running them in a Docker container like `{name}`"));
    }
}
