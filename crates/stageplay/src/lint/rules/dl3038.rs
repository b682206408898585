use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

rule_doc! {
    /// ## What it does
    /// Finds `dnf install` (or `microdnf`) without `-y`.
    ///
    /// ## Why is this bad?
    /// Without a terminal dnf cannot ask for confirmation and the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd
    /// ```
    ///
    /// ## Fix safety
    /// Safe: it answers the prompt the build cannot answer.
    ///
    /// ## References
    /// - [hadolint DL3038](https://github.com/hadolint/hadolint/wiki/DL3038)
    pub struct Dl3038;
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script
            .commands
            .iter()
            .filter(|c| (c.name == "dnf" || c.name == "microdnf") && c.has_arg("install"))
        {
            if c.has_any_flag(&["y", "assumeyes"]) {
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
            "DL3038",
            span,
            "Use the -y switch to avoid manual input `dnf install -y <package>`",
        )
        .fix(fix);
    }
}
