use super::super::context::Ctx;
use super::helpers::replace;
use crate::diagnostic::Applicability;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `EXPOSE` entries with an IP address or a host port (`EXPOSE 8080:80`,
    /// `EXPOSE 127.0.0.1:80`).
    ///
    /// ## Why is this bad?
    /// `EXPOSE` documents container ports only; host mappings are chosen at `docker run`.
    /// BuildKit keeps only the container port, so the rest misleads.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 8080:80
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 80
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the container port BuildKit records stays the same.
    ///
    /// ## References
    /// - [BuildKit: ExposeInvalidFormat](https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/)
    pub struct ExposeInvalidFormat {
        code: "ExposeInvalidFormat",
        name: "expose-invalid-format",
        sources: ["buildkit:ExposeInvalidFormat"],
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
            if !w.text.contains(':') || w.text.contains('$') {
                continue;
            }
            let port = w.text.rsplit(':').next().unwrap_or("").to_string();
            let fix = (w.span.len() as usize == w.text.len() && !port.is_empty()).then(|| {
                replace(
                    w.span,
                    port.clone(),
                    format!("Keep only `{port}`"),
                    Applicability::Safe,
                )
            });
            ctx.report(w.span, format!("EXPOSE instruction should not define an IP address or host-port mapping, found '{}'", w.text)).fix(fix);
        }
    }
}
