use super::super::context::Ctx;
use super::helpers::replace;
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `wget` without `--progress`, `-q`, `-nv` or an output-log option.
    ///
    /// ## Why is this bad?
    /// wget's default progress output floods build logs with thousands of lines for large
    /// downloads.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN wget https://example.com/big.tar.gz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN wget --progress=dot:giga https://example.com/big.tar.gz
    /// ```
    ///
    /// ## Fix safety
    /// Safe: only the log output changes.
    ///
    /// ## References
    /// - [hadolint DL3047](https://github.com/hadolint/hadolint/wiki/DL3047)
    pub struct WgetProgress {
        code: "DL3047",
        name: "wget-progress",
        sources: ["hadolint:DL3047"],
        severity: Info,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script.commands().filter(|c| c.name() == "wget") {
            if c.has_flag(&[
                "--progress",
                "-q",
                "--quiet",
                "-o",
                "--output-file",
                "-a",
                "--append-output",
                "--no-verbose",
            ]) || c.has_arg("-nv")
            {
                continue;
            }
            let fix = script.editable.then(|| {
                replace(
                    c.name_span(),
                    "wget --progress=dot:giga",
                    "Add `--progress=dot:giga`",
                    Applicability::Safe,
                )
            });
            hits.push((c.span, fix));
        }
    }
    for (span, fix) in hits {
        ctx.report(span, "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`)").fix(fix);
    }
}
