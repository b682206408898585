use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

rule_doc! {
    /// ## What it does
    /// Finds `yum install` without `yum clean all` in the same `RUN`, in a stage that ends up in the final image.
    ///
    /// ## Why is this bad?
    /// The package cache stays in the layer of the final image. Builder stages do not reach it, so Stageplay does not report them.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN yum install -y httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yum install -y httpd && yum clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: yum fetches metadata again when it needs it.
    ///
    /// ## References
    /// - [hadolint DL3032](https://github.com/hadolint/hadolint/wiki/DL3032)
    pub struct Dl3032;
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
        let names = ["yum", "microdnf"];
        let installs = script
            .commands
            .iter()
            .any(|c| names[..1].contains(&c.name.as_str()) && c.has_any_arg(&["install", "in"]));
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
                .and_then(|c| append_command(script, c, "yum clean all", Applicability::Safe));
            hits.push((anchor.map_or(inst.span, |c| c.span), fix));
        }
    }
    for (span, fix) in hits {
        ctx.report("DL3032", span, "`yum clean all` missing after yum command.")
            .fix(fix);
    }
}
