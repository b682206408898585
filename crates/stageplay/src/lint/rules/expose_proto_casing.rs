use super::super::context::Ctx;
use super::helpers::replace;
use crate::diagnostic::Applicability;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `EXPOSE` protocols that are not lowercase (`80/TCP`).
    ///
    /// ## Why is this bad?
    /// Protocols are `tcp`, `udp` and `sctp`; other spellings are inconsistent with the
    /// image configuration and tools that read it.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 53/UDP
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 53/udp
    /// ```
    ///
    /// ## Fix safety
    /// Safe: only the casing changes.
    ///
    /// ## References
    /// - [BuildKit: ExposeProtoCasing](https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/)
    pub struct ExposeProtoCasing {
        code: "ExposeProtoCasing",
        name: "expose-proto-casing",
        sources: ["buildkit:ExposeProtoCasing"],
        severity: Warning,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for inst in doc.instructions_with(Keyword::Expose) {
        for w in ctx.words(inst).iter() {
            let Some((_, proto)) = w.text.rsplit_once('/') else {
                continue;
            };
            if proto == proto.to_lowercase() {
                continue;
            }
            let fix = (w.span.len() as usize == w.text.len()).then(|| {
                replace(
                    w.span,
                    w.text.to_lowercase(),
                    "Lowercase the protocol",
                    Applicability::Safe,
                )
            });
            ctx.report(
                w.span,
                format!(
                    "Defined protocol '{}' in expose instruction should be lowercase",
                    w.text
                ),
            )
            .fix(fix);
        }
    }
}
