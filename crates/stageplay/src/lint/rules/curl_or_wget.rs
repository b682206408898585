use super::super::context::Ctx;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds a stage that uses both `curl` and `wget`; reports each `RUN` after both were seen.
    ///
    /// ## Why is this bad?
    /// Two download tools do the same job and both end up installed; pick one.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSLo a.tgz https://example.com/a.tgz
    /// RUN wget -q https://example.com/b.tgz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN curl -fsSLo a.tgz https://example.com/a.tgz
    /// RUN curl -fsSLO https://example.com/b.tgz
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    ///
    /// ## References
    /// - [hadolint DL4001](https://github.com/hadolint/hadolint/wiki/DL4001)
    pub struct CurlOrWget {
        code: "DL4001",
        name: "curl-or-wget",
        sources: ["hadolint:DL4001"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let mut hits = Vec::new();
    let (mut curl, mut wget) = (false, false);
    for (i, inst) in doc.instructions.iter().enumerate() {
        if inst.keyword == Keyword::From {
            (curl, wget) = (false, false);
            continue;
        }
        let Some(script) = ctx.script(i).filter(|_| inst.keyword == Keyword::Run) else {
            continue;
        };
        let c = script.commands().any(|c| c.name() == "curl");
        let w = script.commands().any(|c| c.name() == "wget");
        curl |= c;
        wget |= w;
        if (c || w) && curl && wget {
            hits.push(inst.span);
        }
    }
    for span in hits {
        ctx.report(span, "Either use Wget or Curl but not both");
    }
}
