use super::super::context::Ctx;
use super::helpers::report_missing_yes;

rule_doc! {
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
    pub struct Dl3014;
}

pub fn check(ctx: &mut Ctx) {
    report_missing_yes(
        ctx,
        "DL3014",
        |c| c.is("apt-get", &["install"]),
        &["y", "yes", "q", "assume-yes"],
        &["install"],
        "Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
    );
}
