use super::super::context::Ctx;
use super::helpers::add_flag_after;
use crate::diagnostic::Applicability;

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
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script
            .commands
            .iter()
            .filter(|c| c.is("apt-get", &["install"]))
        {
            if c.has_any_flag(&["y", "yes", "q", "assume-yes"]) {
                continue;
            }
            let fix = c
                .find_arg(&["install"])
                .and_then(|w| add_flag_after(script, w, "-y", Applicability::Safe));
            hits.push((c.span, fix));
        }
    }
    for (span, fix) in hits {
        ctx.report(
            "DL3014",
            span,
            "Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
        )
        .fix(fix);
    }
}
