use super::super::context::Ctx;
#[allow(unused_imports)]
use super::helpers::*;
#[allow(unused_imports)]
use crate::diagnostic::Applicability;
use crate::syntax::Keyword;

declare_rule! {
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
    pub struct PinDnfVersions {
        code: "DL3041",
        name: "pin-dnf-versions",
        sources: ["hadolint:DL3041"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    // ENV/ARG values before the current RUN, collected once in document order (and only when
    // a RUN has a dnf install), so the rule stays linear in the number of instructions.
    let mut vars = Vec::new();
    let mut seen = 0;
    for (i, _, script) in ctx.runs() {
        let mut installs = script.commands().filter(|c| {
            (c.name() == "dnf" || c.name() == "microdnf") && c.has_any_arg(&["install", "in"])
        });
        let Some(first) = installs.next() else {
            continue;
        };
        extend_defined(ctx, &mut vars, &mut seen, i);
        for c in std::iter::once(first).chain(installs) {
            if has_unpinned_rpm(c, false, &|v| resolve(v, &vars).to_string()) {
                hits.push(c.span);
            }
        }
    }
    for span in hits {
        ctx.report(
            span,
            "Specify version with `dnf install -y <package>-<version>`.",
        );
    }
}

/// Extends `vars` (which holds `NAME=value` of every ENV and ARG with a default among the
/// first `*seen` instructions) to the instructions before `before`.
fn extend_defined(ctx: &Ctx, vars: &mut Vec<(String, String)>, seen: &mut usize, before: usize) {
    let end = before.min(ctx.doc.instructions.len());
    if *seen >= end {
        return;
    }
    vars.extend(
        ctx.doc.instructions[*seen..end]
            .iter()
            .filter(|i| matches!(i.keyword, Keyword::Env | Keyword::Arg))
            .flat_map(|i| i.key_values())
            .filter_map(|kv| Some((kv.key, kv.value?))),
    );
    *seen = end;
}

/// A version written as a variable (`$V`, `${V}`) takes the value an earlier ENV or ARG gives
/// it, as hadolint does: `mysql-server-$MYSQL_VERSION` is pinned when `ENV MYSQL_VERSION
/// 8.4.1` precedes it.
fn resolve<'v>(v: &'v str, vars: &'v [(String, String)]) -> &'v str {
    let v = v.trim_matches(['"', '\'']);
    let Some(name) = v.strip_prefix('$') else {
        return v;
    };
    let name = name.trim_start_matches('{');
    let len = name
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    let name = &name[..len];
    vars.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or(v, |(_, value)| value.trim_matches(['"', '\'']))
}
