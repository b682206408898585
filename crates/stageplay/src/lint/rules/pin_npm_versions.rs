use super::super::context::Ctx;

declare_rule! {
    /// ## What it does
    /// Finds `npm install <package>` without a version (`pkg@1.2.3`).
    ///
    /// ## Why is this bad?
    /// Unpinned packages make builds unrepeatable. `npm ci` with a lockfile, or a pinned
    /// version, installs the same thing every time.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN npm install -g typescript
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN npm install -g typescript@5.5.3
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the version is not known offline.
    ///
    /// ## References
    /// - [hadolint DL3016](https://github.com/hadolint/hadolint/wiki/DL3016)
    pub struct PinNpmVersions {
        code: "DL3016",
        name: "pin-npm-versions",
        sources: ["hadolint:DL3016"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

fn pinned(p: &str) -> bool {
    if ["git://", "git+ssh://", "git+http://", "git+https://"]
        .iter()
        .any(|g| p.starts_with(g))
    {
        return p.contains('#');
    }
    if [".tar", ".tar.gz", ".tgz"].iter().any(|t| p.ends_with(t))
        || ["/", "./", "../", "~/"].iter().any(|d| p.starts_with(d))
    {
        return true;
    }
    let unscoped = if p.starts_with('@') {
        p.split_once('/').map_or("", |(_, r)| r)
    } else {
        p
    };
    unscoped.contains('@')
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script
            .commands()
            .filter(|c| c.is("npm", &["install", "i", "add"]))
        {
            let ops = c.operands(&[]);
            if !ops
                .first()
                .is_some_and(|w| ["install", "i", "add"].contains(&w.text.as_str()))
            {
                continue;
            }
            if ops.iter().skip(1).any(|p| !pinned(&p.text)) {
                hits.push(c.span);
            }
        }
    }
    for span in hits {
        ctx.report(span, "Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`");
    }
}
