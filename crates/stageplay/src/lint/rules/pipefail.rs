use super::super::context::Ctx;
use super::helpers::insert;
use crate::diagnostic::Applicability;
use crate::syntax::{Args, Keyword};

declare_rule! {
    /// ## What it does
    /// Finds `RUN` commands with a pipe (`a | b`) when no `SHELL` with `-o pipefail` is set
    /// in the stage.
    ///
    /// ## Why is this bad?
    /// `/bin/sh -c` reports only the last command's status: `curl … | tar x` succeeds even
    /// when the download failed, and the build goes on with a broken file.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSL https://example.com/install.sh | sh
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// RUN curl -fsSL https://example.com/install.sh | sh
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix needs `bash` in the image (on Alpine use `/bin/ash`).
    ///
    /// ## References
    /// - [hadolint DL4006](https://github.com/hadolint/hadolint/wiki/DL4006)
    pub struct Pipefail {
        code: "DL4006",
        name: "pipefail",
        sources: ["hadolint:DL4006"],
        severity: Warning,
        status: Stable,
        fix: Unsafe,
        stage_aware: false,
    }
}

const NON_POSIX: &[&str] = &["pwsh", "powershell", "cmd"];

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let mut hits = Vec::new();
    let mut ok = false;
    for (i, inst) in doc.instructions.iter().enumerate() {
        match inst.keyword {
            Keyword::From => ok = false,
            Keyword::Shell => {
                let items: Vec<String> = match &inst.args {
                    Args::Exec { items, .. } => items.iter().map(|w| w.text.clone()).collect(),
                    Args::Shell { text, .. } => {
                        text.split_whitespace().map(str::to_string).collect()
                    }
                };
                let first = items
                    .first()
                    .map(|s| s.rsplit(['/', '\\']).next().unwrap_or("").to_lowercase())
                    .unwrap_or_default();
                let non_posix = NON_POSIX.iter().any(|n| first.starts_with(n));
                let pipefail = ["bash", "zsh", "ash"].contains(&first.as_str())
                    && items
                        .windows(2)
                        .any(|w| w[0].starts_with('-') && w[0].contains('o') && w[1] == "pipefail");
                ok = non_posix || pipefail;
            }
            Keyword::Run if !ok && ctx.script(i).is_some_and(|s| s.has_pipe && s.editable) => {
                let at = super::helpers::line_span(ctx.text, inst.span).start;
                let fix = insert(
                    at,
                    "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n",
                    "Set `SHELL` with `-o pipefail` before this RUN",
                    Applicability::Unsafe,
                );
                hits.push((inst.span, fix));
            }
            _ => {}
        }
    }
    for (span, fix) in hits {
        ctx.report(span, "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check").fix(Some(fix));
    }
}
