use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

rule_doc! {
    /// ## What it does
    /// Finds `dnf install` without `dnf clean all` in the same `RUN`, in a stage that ends up in the final image.
    ///
    /// ## Why is this bad?
    /// The package cache stays in the layer of the final image. Builder stages do not reach it, so Stageplay does not report them.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install -y httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: dnf fetches metadata again when it needs it.
    ///
    /// ## References
    /// - [hadolint DL3040](https://github.com/hadolint/hadolint/wiki/DL3040)
    pub struct Dl3040;
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (i, inst, script) in ctx.runs() {
        if !ctx.in_final_image(i)
            || inst.flags.iter().any(|f| {
                f.name == "mount" && f.value.as_deref().is_some_and(|v| v.contains("type=cache"))
            })
        {
            continue;
        }
        let names = ["dnf", "microdnf"];
        let installs = script
            .commands
            .iter()
            .any(|c| names.contains(&c.name.as_str()) && c.has_any_arg(&["install", "in"]));
        let cleans = script
            .commands
            .iter()
            .any(|c| names.contains(&c.name.as_str()) && c.has_arg("clean"))
            || script.commands.iter().any(|c| {
                c.name == "rm" && c.args.iter().any(|a| a.text.starts_with("/var/cache/"))
            });
        if installs && !cleans {
            let anchor = last_matching(script, |c| names.contains(&c.name.as_str()));
            let fix = anchor
                .and_then(|c| append_command(script, c, "dnf clean all", Applicability::Safe));
            hits.push((anchor.map_or(inst.span, |c| c.span), fix));
        }
    }
    for (span, fix) in hits {
        ctx.report("DL3040", span, "`dnf clean all` missing after dnf command.")
            .fix(fix);
    }
}
