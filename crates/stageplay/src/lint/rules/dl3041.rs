use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

rule_doc! {
    /// ## What it does
    /// Finds `dnf install` packages without a version.
    ///
    /// ## Why is this bad?
    /// Unpinned packages make builds unrepeatable.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install -y httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd-2.4.62
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the version is not known offline.
    ///
    /// ## References
    /// - [hadolint DL3041](https://github.com/hadolint/hadolint/wiki/DL3041)
    pub struct Dl3041;
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    let zypper = false;
    for (_, _, script) in ctx.runs() {
        for c in script.commands.iter().filter(|c| {
            (c.name == "dnf" || c.name == "microdnf") && c.has_any_arg(&["install", "in"])
        }) {
            for p in c.operands(&["enablerepo", "disablerepo", "setopt", "repo", "r"]) {
                let t = p.text.as_str();
                if t == "install" || t == "in" || t.ends_with(".rpm") || t.contains('/') {
                    continue;
                }
                let pinned = if zypper {
                    t.contains('=') || t.contains('>') || t.contains('<')
                } else {
                    t.contains('-')
                        && t.rsplit('-')
                            .next()
                            .is_some_and(|v| v.starts_with(|ch: char| ch.is_ascii_digit()))
                };
                if !pinned {
                    hits.push(c.span);
                    break;
                }
            }
        }
    }
    for span in hits {
        ctx.report(
            "DL3041",
            span,
            "Specify version with `dnf install -y <package>-<version>`.",
        );
    }
}
