use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

rule_doc! {
    /// ## What it does
    /// Finds `zypper install` without `-y`/`-n`.
    ///
    /// ## Why is this bad?
    /// Without a terminal zypper cannot ask for confirmation and the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper install curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN zypper install -y curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe: it answers the prompt the build cannot answer.
    ///
    /// ## References
    /// - [hadolint DL3034](https://github.com/hadolint/hadolint/wiki/DL3034)
    pub struct Dl3034;
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    let subs = [
        "install",
        "in",
        "remove",
        "rm",
        "source-install",
        "si",
        "patch",
    ];
    for (_, _, script) in ctx.runs() {
        for c in script.commands.iter().filter(|c| c.is("zypper", &subs)) {
            if c.has_any_flag(&["n", "non-interactive", "y", "no-confirm"]) {
                continue;
            }
            let fix = c
                .find_arg(&subs)
                .and_then(|w| add_flag_after(script, w, "-y", Applicability::Safe));
            hits.push((c.span, fix));
        }
    }
    for (span, fix) in hits {
        ctx.report(
            "DL3034",
            span,
            "Non-interactive switch missing from `zypper` command: `zypper install -y`",
        )
        .fix(fix);
    }
}
