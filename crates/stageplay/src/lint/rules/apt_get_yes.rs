use super::super::context::Ctx;
use super::helpers::report_missing_yes;

declare_rule! {
    /// ## What it does
    /// Finds `apt-get install` without `-y` (or `--yes`, `--assume-yes`, `-q`).
    ///
    /// ## Why is this bad?
    /// Without a terminal, apt-get asks for confirmation, reads no answer and aborts the build.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get install curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get install -y curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe: it answers the prompt the build cannot answer.
    ///
    /// ## References
    /// - [hadolint DL3014](https://github.com/hadolint/hadolint/wiki/DL3014)
    pub struct AptGetYes {
        code: "DL3014",
        name: "apt-get-yes",
        sources: ["hadolint:DL3014"],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    report_missing_yes(
        ctx,
        |c| c.is("apt-get", &["install"]),
        &["-y", "--yes", "-q", "--assume-yes"],
        &["install"],
        "Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
    );
}
