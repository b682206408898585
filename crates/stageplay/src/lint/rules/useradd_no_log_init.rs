use super::super::context::Ctx;
use super::helpers::add_flag_after;
use crate::diagnostic::Applicability;

declare_rule! {
    /// ## What it does
    /// Finds `useradd` with a high UID (`-u`, more than 5 digits) and without `-l`.
    ///
    /// ## Why is this bad?
    /// Without `-l`, useradd writes the lastlog/faillog entry at an offset proportional to
    /// the UID: a sparse file of gigabytes that the image layer stores in full.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN useradd -u 123456 app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN useradd -l -u 123456 app
    /// ```
    ///
    /// ## Fix safety
    /// Safe: only the lastlog entry is skipped.
    ///
    /// ## References
    /// - [hadolint DL3046](https://github.com/hadolint/hadolint/wiki/DL3046)
    pub struct UseraddNoLogInit {
        code: "DL3046",
        name: "useradd-no-log-init",
        sources: ["hadolint:DL3046"],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script.commands().filter(|c| c.name() == "useradd") {
            if c.has_flag(&["-l", "--no-log-init"]) {
                continue;
            }
            let Some(uid) = c.flag_value(&["-u", "--uid"]) else {
                continue;
            };
            if uid.len() > 5 && uid.chars().all(|ch| ch.is_ascii_digit()) {
                hits.push((
                    c.span,
                    add_flag_after(script, &c.words[0], "-l", Applicability::Safe),
                ));
            }
        }
    }
    for (span, fix) in hits {
        ctx.report(
            span,
            "`useradd` without flag `-l` and high UID will result in excessively large Image",
        )
        .fix(fix);
    }
}
