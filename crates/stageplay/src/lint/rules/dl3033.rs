use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;

rule_doc! {
    /// ## What it does
    /// Finds `yum install` packages without a version.
    ///
    /// ## Why is this bad?
    /// Unpinned packages make builds unrepeatable.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN yum install -y httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yum install -y httpd-2.4.6
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the version is not known offline.
    ///
    /// ## References
    /// - [hadolint DL3033](https://github.com/hadolint/hadolint/wiki/DL3033)
    pub struct Dl3033;
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    let zypper = false;
    for (_, _, script) in ctx.runs() {
        for c in script
            .commands
            .iter()
            .filter(|c| c.name == "yum" && c.has_any_arg(&["install", "in"]))
        {
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
            "DL3033",
            span,
            "Specify version with `yum install -y <package>-<version>`.",
        );
    }
}
