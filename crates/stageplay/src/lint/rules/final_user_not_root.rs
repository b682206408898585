use super::super::context::Ctx;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds a final image that runs as root because the last `USER` that applies to it is
    /// `root` (or `0`). Stage-aware: only the chosen target and the stages it is built
    /// `FROM` count; a builder stage may stay root.
    ///
    /// ## Why is this bad?
    /// A process running as root inside the container turns any escape or file-permission
    /// bug into root on mounted volumes. hadolint reports this for every stage, including
    /// builders, which is a known source of false positives (hadolint issues #405, #619).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// USER root
    /// RUN apt-get update
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12-slim
    /// USER root
    /// RUN apt-get update
    /// USER nobody
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which user to run as is a decision.
    ///
    /// ## References
    /// - [hadolint DL3002](https://github.com/hadolint/hadolint/wiki/DL3002)
    pub struct FinalUserNotRoot {
        code: "DL3002",
        name: "final-user-not-root",
        sources: ["hadolint:DL3002"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: true,
    }
}

fn is_root(user: &str) -> bool {
    user == "root" || user == "0" || user.starts_with("root:") || user.starts_with("0:")
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    // Walk the final image's stages from the target back to its root; the last USER wins.
    // (Stage indices, in increasing order.)
    let chain: Vec<usize> = (0..ctx.stages.len())
        .filter(|&s| ctx.stages[s].in_final_image)
        .collect();
    let mut last_user: Option<usize> = None;
    for s in chain {
        let st = &ctx.stages[s];
        for k in st.start + 1..st.end {
            if doc.instructions[k].keyword == Keyword::User {
                last_user = Some(k);
            }
        }
    }
    let Some(k) = last_user else { return };
    let inst = &doc.instructions[k];
    let words = ctx.words(inst);
    let Some(user) = words.first() else { return };
    if is_root(&user.text) {
        ctx.report(inst.span, "Last USER should not be root");
    }
}
