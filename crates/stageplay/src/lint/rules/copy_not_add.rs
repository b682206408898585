use super::super::context::Ctx;
use super::helpers::{replace, unquote};
use crate::diagnostic::Applicability;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `ADD` of local files or folders that are not archives.
    ///
    /// ## Why is this bad?
    /// `ADD` also fetches URLs and unpacks archives; for plain files `COPY` says exactly what
    /// happens and nothing more.
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD app.py /app/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// COPY app.py /app/
    /// ```
    ///
    /// ## Fix safety
    /// Safe: for non-archive local sources `ADD` and `COPY` do the same.
    ///
    /// ## References
    /// - [hadolint DL3020](https://github.com/hadolint/hadolint/wiki/DL3020)
    pub struct CopyNotAdd {
        code: "DL3020",
        name: "copy-not-add",
        sources: ["hadolint:DL3020"],
        severity: Error,
        status: Stable,
        fix: Safe,
        stage_aware: false,
    }
}

pub const ARCHIVES: &[&str] = &[
    ".tar", ".gz", ".bz2", ".xz", ".zip", ".tgz", ".tb2", ".tbz", ".tbz2", ".lz", ".lzma", ".tlz",
    ".txz", ".Z", ".tZ", ".zst",
];

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    for inst in doc.instructions_with(Keyword::Add) {
        if !inst.heredocs().is_empty() {
            continue;
        }
        let words = ctx.words(inst);
        let Some((_, sources)) = words.split_last() else {
            continue;
        };
        if sources.is_empty() {
            continue;
        }
        let plain = sources.iter().all(|s| {
            let p = unquote(&s.text);
            !ARCHIVES.iter().any(|a| p.ends_with(a))
                && !p.starts_with("http://")
                && !p.starts_with("https://")
                && !p.starts_with("git@")
                && !p.contains('$')
        });
        if !plain {
            continue;
        }
        // ADD-only flags (--checksum, --keep-git-dir, --unpack) keep it an ADD.
        let add_only = ["checksum", "keep-git-dir", "unpack"]
            .iter()
            .any(|f| inst.flag(f).is_some());
        let fix = (!add_only).then(|| {
            let kw = if inst.keyword_text() == inst.keyword_text().to_lowercase() {
                "copy"
            } else {
                "COPY"
            };
            replace(inst.keyword_span, kw, "Use COPY", Applicability::Safe)
        });
        ctx.report(inst.span, "Use COPY instead of ADD for files and folders")
            .fix(fix);
    }
}
