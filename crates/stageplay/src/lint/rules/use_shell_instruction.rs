use super::super::context::Ctx;

declare_rule! {
    /// ## What it does
    /// Finds `RUN ln … /bin/sh`, which replaces the default shell.
    ///
    /// ## Why is this bad?
    /// Relinking `/bin/sh` changes the shell for every program in the image, not just the
    /// build; `SHELL` changes it for the build only.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN ln -sf /bin/bash /bin/sh
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// SHELL ["/bin/bash", "-c"]
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    ///
    /// ## References
    /// - [hadolint DL4005](https://github.com/hadolint/hadolint/wiki/DL4005)
    pub struct UseShellInstruction {
        code: "DL4005",
        name: "use-shell-instruction",
        sources: ["hadolint:DL4005"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let hits: Vec<_> = ctx
        .runs()
        .flat_map(|(_, _, s)| {
            s.commands()
                .filter(|c| c.name() == "ln" && c.has_arg("/bin/sh"))
                .map(|c| c.span)
                .collect::<Vec<_>>()
        })
        .collect();
    for span in hits {
        ctx.report(span, "Use SHELL to change the default shell");
    }
}
