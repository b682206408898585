use super::super::context::Ctx;

declare_rule! {
    /// ## What it does
    /// Finds `cd` in `RUN`.
    ///
    /// ## Why is this bad?
    /// `cd` only lasts for that `RUN`; `WORKDIR` states the directory once for all later
    /// instructions and is easier to follow.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN cd /app && make
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// WORKDIR /app
    /// RUN make
    /// ```
    ///
    /// ## Fix safety
    /// No fix: moving the directory change to `WORKDIR` affects later instructions.
    ///
    /// ## References
    /// - [hadolint DL3003](https://github.com/hadolint/hadolint/wiki/DL3003)
    pub struct UseWorkdirNotCd {
        code: "DL3003",
        name: "use-workdir-not-cd",
        sources: ["hadolint:DL3003"],
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
                .filter(|c| c.name() == "cd")
                .map(|c| c.span)
                .collect::<Vec<_>>()
        })
        .collect();
    for span in hits {
        ctx.report(span, "Use WORKDIR to switch to a directory");
    }
}
