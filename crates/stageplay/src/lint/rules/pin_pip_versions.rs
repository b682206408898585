use super::super::context::Ctx;
use super::helpers::is_pip_install;

declare_rule! {
    /// ## What it does
    /// Finds `pip install <package>` without a version specifier.
    ///
    /// ## Why is this bad?
    /// Unpinned packages make builds unrepeatable. Pin (`flask==3.0.3`) or install from a
    /// requirements or constraints file.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN pip install --no-cache-dir flask
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN pip install --no-cache-dir flask==3.0.3
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the version is not known offline.
    ///
    /// ## References
    /// - [hadolint DL3013](https://github.com/hadolint/hadolint/wiki/DL3013)
    pub struct PinPipVersions {
        code: "DL3013",
        name: "pin-pip-versions",
        sources: ["hadolint:DL3013"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

const VALUE_FLAGS: &[&str] = &[
    "--abi",
    "-b",
    "--build",
    "-e",
    "--editable",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-i",
    "--index-url",
    "--implementation",
    "--no-binary",
    "--only-binary",
    "--platform",
    "--prefix",
    "--progress-bar",
    "--proxy",
    "--python-version",
    "--root",
    "--src",
    "-t",
    "--target",
    "--trusted-host",
    "--upgrade-strategy",
];
const VCS: &[&str] = &["git+", "git:", "hg+", "svn+", "svn:", "bzr+"];

fn pinned(pkg: &str) -> bool {
    let vcs = VCS.iter().any(|v| pkg.starts_with(v));
    ["==", ">=", "<=", ">", "<", "!=", "~=", "==="]
        .iter()
        .any(|s| pkg.contains(s))
        || (vcs && pkg.contains('@'))
        || pkg.ends_with(".whl")
        || pkg.ends_with(".tar.gz")
        || (!vcs && pkg.contains('/'))
}

pub fn check(ctx: &mut Ctx) {
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script.commands().filter(|c| is_pip_install(c)) {
            if c.has_flag(&["--constraint", "-c", "--requirement", "-r"]) || c.has_arg(".") {
                continue;
            }
            let ops = c.operands(VALUE_FLAGS);
            let after_install: Vec<_> = ops
                .iter()
                .skip_while(|w| w.text != "install")
                .skip(1)
                .collect();
            let unpinned: Vec<_> = after_install.iter().filter(|w| !pinned(&w.text)).collect();
            if let Some(first) = unpinned.first() {
                hits.push((c.span, first.text.clone()));
            }
        }
    }
    for (span, pkg) in hits {
        ctx.report(span, format!("Pin versions in pip. Instead of `pip install {pkg}` use `pip install {pkg}==<version>` or `pip install --requirement <requirements file>`"));
    }
}
