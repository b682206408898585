use super::super::context::Ctx;
use super::helpers::{replace, stage_range};
use crate::diagnostic::Applicability;
use crate::syntax::{Args, Keyword};

declare_rule! {
    /// ## What it does
    /// Flags `CMD` and `ENTRYPOINT` written in shell form (`CMD node server.js`) when the
    /// stage has not chosen another shell with `SHELL`.
    ///
    /// ## Why is this bad?
    /// Shell form runs the command as a child of `/bin/sh -c`. The shell becomes PID 1 and
    /// does not forward signals, so `docker stop` waits and then kills the process.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD node server.js
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: without a shell there is no variable expansion or globbing; the fix is only
    /// offered when every word is plain.
    ///
    /// ## References
    /// - [BuildKit: JSONArgsRecommended](https://docs.docker.com/go/dockerfile/rule/json-args-recommended/)
    /// - [hadolint DL3025](https://github.com/hadolint/hadolint/wiki/DL3025)
    pub struct JsonArgsRecommended {
        code: "JSONArgsRecommended",
        name: "json-args-recommended",
        sources: ["buildkit:JSONArgsRecommended", "hadolint:DL3025"],
        severity: Warning,
        status: Stable,
        fix: Unsafe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for (i, inst) in doc.instructions.iter().enumerate() {
        if !matches!(inst.keyword, Keyword::Cmd | Keyword::Entrypoint) {
            continue;
        }
        let Args::Shell { span, .. } = &inst.args else {
            continue;
        };
        let custom_shell = ctx.stage(i).is_some()
            && stage_range(ctx, i)
                .filter(|&k| k < i)
                .any(|k| doc.instructions[k].keyword == Keyword::Shell);
        if custom_shell || span.is_empty() {
            continue;
        }
        let words = ctx.words(inst);
        let plain = |w: &str| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@+%".contains(c))
        };
        let fix = if words.iter().all(|w| plain(&w.text)) && !words.is_empty() {
            let json = words
                .iter()
                .map(|w| format!("\"{}\"", w.text))
                .collect::<Vec<_>>()
                .join(", ");
            Some(replace(
                *span,
                format!("[{json}]"),
                "Convert to JSON (exec) form",
                Applicability::Unsafe,
            ))
        } else {
            None
        };
        ctx.report(inst.span, message(inst.keyword.as_str()))
            .fix(fix);
    }
}

fn message(name: &str) -> String {
    format!("JSON arguments recommended for {name} to prevent unintended behavior related to OS signals")
}
