use super::super::context::Ctx;
use super::helpers::apt_get_packages;
use crate::span::Span;
use crate::syntax::shell::value_options;

declare_rule! {
    /// ## What it does
    /// Finds compilers and build tools (gcc, make, build-essential, cmake, `-dev` toolchains,
    /// …) installed in a stage that ends up in the final image, unless the same `RUN` removes
    /// them again.
    ///
    /// ## Why is this bad?
    /// Build tools add hundreds of megabytes and a larger attack surface to an image that
    /// only needs to run the result. Build in a separate stage and `COPY --from` the output.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y gcc && pip install --no-cache-dir -r requirements.txt
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim AS build
    /// RUN apt-get update && apt-get install -y gcc && pip wheel -w /wheels -r requirements.txt
    /// FROM python:3.12-slim
    /// COPY --from=build /wheels /wheels
    /// RUN pip install --no-cache-dir /wheels/*
    /// ```
    ///
    /// ## Fix safety
    /// No fix: splitting into stages is a refactor (see the Refactor panel).
    ///
    /// ## References
    /// - [Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
    pub struct BuildToolsInFinalImage {
        code: "SP1001",
        name: "build-tools-in-final-image",
        sources: [],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: true,
    }
}

pub const BUILD_TOOLS: &[&str] = &[
    "gcc",
    "g++",
    "gcc-c++",
    "make",
    "cmake",
    "build-essential",
    "build-base",
    "clang",
    "autoconf",
    "automake",
    "libtool",
    "pkg-config",
    "pkgconf",
    "golang",
    "golang-go",
    "rustc",
    "cargo",
    "musl-dev",
    "libc-dev",
    "libc6-dev",
    "linux-headers",
    "gfortran",
];

fn base_name(pkg: &str) -> &str {
    pkg.split(['=', '~', '>', '<']).next().unwrap_or(pkg)
}

pub fn check(ctx: &mut Ctx) {
    let mut hits: Vec<(Span, String)> = Vec::new();
    for (i, _, script) in ctx.runs() {
        if !ctx.in_final_image(i) {
            continue;
        }
        let removed: Vec<&str> = script
            .commands()
            .filter(|c| {
                c.is("apk", &["del"])
                    || c.is("apt-get", &["purge", "remove", "autoremove"])
                    || c.is("apt", &["purge", "remove"])
                    || c.is("yum", &["remove"])
                    || c.is("dnf", &["remove"])
            })
            .flat_map(|c| c.args().iter().map(|a| a.text.as_str()))
            .collect();
        for c in script.commands() {
            let packages: Vec<_> = if c.is("apt-get", &["install"]) || c.is("apt", &["install"]) {
                apt_get_packages(c)
            } else if c.is("apk", &["add"]) {
                let virtual_name = c
                    .args()
                    .iter()
                    .position(|a| a.text == "-t" || a.text == "--virtual")
                    .and_then(|p| c.args().get(p + 1))
                    .map(|a| a.text.as_str());
                if virtual_name.is_some_and(|v| removed.contains(&v)) {
                    continue;
                }
                c.operands(value_options("apk"))
                    .into_iter()
                    .filter(|w| w.text != "add")
                    .collect()
            } else if (c.name() == "yum" || c.name() == "dnf" || c.name() == "microdnf")
                && c.has_arg("install")
            {
                c.operands(&[])
                    .into_iter()
                    .filter(|w| w.text != "install")
                    .collect()
            } else {
                continue;
            };
            for p in packages {
                let name = base_name(&p.text);
                if BUILD_TOOLS.contains(&name) && !removed.contains(&name) {
                    hits.push((p.span, name.to_string()));
                }
            }
        }
    }
    for (span, name) in hits {
        ctx.report(
            span,
            format!("Build tool `{name}` is installed in the final image"),
        )
        .help("build in a separate stage and copy only the result with COPY --from");
    }
}
