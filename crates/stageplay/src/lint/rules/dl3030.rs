use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

rule_doc! {
    /// ## What it does
    /// Finds `yum install` without `-y`.
    ///
    /// ## Why is this bad?
    /// Without a terminal yum cannot ask for confirmation and the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN yum install httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yum install -y httpd
    /// ```
    ///
    /// ## Fix safety
    /// Safe: it answers the prompt the build cannot answer.
    ///
    /// ## References
    /// - [hadolint DL3030](https://github.com/hadolint/hadolint/wiki/DL3030)
    pub struct Dl3030;
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script
            .commands
            .iter()
            .filter(|c| c.is("yum", &["install", "groupinstall", "localinstall"]))
        {
            if c.has_any_flag(&["y", "assumeyes"]) {
                continue;
            }
            let fix = c
                .find_arg(&["install", "groupinstall", "localinstall"])
                .and_then(|w| add_flag_after(script, w, "-y", Applicability::Safe));
            hits.push((c.span, fix));
        }
    }
    for (span, fix) in hits {
        ctx.report(
            "DL3030",
            span,
            "Use the -y switch to avoid manual input `yum install -y <package>`",
        )
        .fix(fix);
    }
}
