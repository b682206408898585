use super::super::context::Ctx;

declare_rule! {
    /// ## What it does
    /// Finds `gem install <gem>` without a version (`gem:1.2.3` or `-v`).
    ///
    /// ## Why is this bad?
    /// Unpinned gems make builds unrepeatable.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN gem install bundler
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN gem install bundler:2.5.16
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the version is not known offline.
    ///
    /// ## References
    /// - [hadolint DL3028](https://github.com/hadolint/hadolint/wiki/DL3028)
    pub struct PinGemVersions {
        code: "DL3028",
        name: "pin-gem-versions",
        sources: ["hadolint:DL3028"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script.commands().filter(|c| c.is("gem", &["install", "i"])) {
            if c.has_flag(&["-v", "--version"])
                || c.args().iter().any(|a| a.text.starts_with("--version"))
            {
                continue;
            }
            let ops = c.operands(&[
                "--source",
                "-s",
                "--install-dir",
                "-i",
                "--bindir",
                "-n",
                "--platform",
                "--document",
            ]);
            if ops.iter().skip(1).any(|p| !p.text.contains(':')) {
                hits.push(c.span);
            }
        }
    }
    for span in hits {
        ctx.report(span, "Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`");
    }
}
