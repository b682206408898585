use super::super::context::Ctx;
use super::helpers::apt_get_packages;
use crate::estimate::bases;
use crate::estimate::kb::{base_package_sets, deb_closure_in, BaseImage, Suite};
use crate::model::Base;
use crate::span::Span;
use std::collections::{BTreeSet, HashMap};

declare_rule! {
    /// ## What it does
    /// Finds a C compiler (`gcc`, `gcc-12`, …) installed with `--no-install-recommends` on a
    /// Debian image, in a stage that never gets the C library's headers (`libc6-dev`): neither
    /// the base image nor any package the stage installs brings them. Stageplay reads the
    /// base image's packages and the Debian dependency closure of each install from its
    /// knowledge base; an unknown base or package is not reported.
    ///
    /// ## Why is this bad?
    /// Debian's `gcc` only *recommends* `libc6-dev`, so `--no-install-recommends` leaves out
    /// `stdlib.h` and friends: the compiler is there, and every C build fails
    /// (`fatal error: stdlib.h: No such file or directory`), such as `pip install psycopg2`
    /// building its extension or node-gyp building a native module. `g++`, `build-essential`
    /// and many `-dev` packages depend on `libc6-dev`, and then the headers are there.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: it adds a package (about 10 MB with its dependencies) to the stage.
    ///
    /// ## References
    /// - [Debian package gcc (Recommends: libc6-dev)](https://packages.debian.org/bookworm/gcc)
    pub struct CompilerWithoutLibcHeaders {
        code: "SP1011",
        name: "compiler-without-libc-headers",
        sources: [],
        severity: Warning,
        status: Stable,
        fix: Unsafe,
        stage_aware: true,
    }
}

/// Debian's C compiler packages: they recommend, not depend on, `libc6-dev`.
fn is_c_compiler(pkg: &str) -> bool {
    pkg == "gcc"
        || pkg
            .strip_prefix("gcc-")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
}

pub fn check(ctx: &mut Ctx) {
    let mut hits: Vec<(Span, String, Option<crate::Fix>)> = Vec::new();
    // The verdict depends only on the base image and the stage's installs: stages that repeat
    // both (targets built from the same base with the same apt line) share one computation.
    let mut memo: HashMap<(String, Vec<Install>), Option<usize>> = HashMap::new();
    for (s, facts) in ctx.stages.iter().enumerate() {
        // Only a stage that installs a C compiler without recommends is read further (the
        // closures below are the costly part).
        let candidate = (facts.start + 1..facts.end).any(|i| {
            ctx.script(i).is_some_and(|script| {
                script.commands().any(|c| {
                    (c.is("apt-get", &["install"]) || c.is("apt", &["install"]))
                        && (c.has_flag(&["--no-install-recommends"])
                            || c.has_arg("APT::Install-Recommends=false"))
                        && apt_get_packages(c)
                            .iter()
                            .any(|w| is_c_compiler(w.text.split('=').next().unwrap_or("")))
                })
            })
        });
        if !candidate {
            continue;
        }
        // The stage's base: a known Debian image (a stage built FROM another stage is skipped:
        // what that stage installs would have to be followed too).
        let Some(stage) = ctx
            .model
            .stages
            .get(s)
            .filter(|m| m.from_instruction == facts.from)
        else {
            continue;
        };
        let Base::Image(image) = &stage.base else {
            continue;
        };
        let Some(base) = bases::resolve(image).base else {
            continue;
        };
        let Some(suite) = base
            .packages
            .as_deref()
            .and_then(|p| p.strip_prefix("@debian-"))
            .and_then(|p| p.split(['-', '+']).next())
            .and_then(Suite::from_codename)
        else {
            continue;
        };
        // The stage's apt installs, in order, with their package words.
        let mut words = Vec::new();
        for i in facts.start + 1..facts.end {
            let Some(script) = ctx.script(i) else {
                continue;
            };
            for c in script
                .commands()
                .filter(|c| c.is("apt-get", &["install"]) || c.is("apt", &["install"]))
            {
                let no_recommends = c.has_flag(&["--no-install-recommends"])
                    || c.has_arg("APT::Install-Recommends=false");
                words.push((no_recommends, apt_get_packages(c)));
            }
        }
        let installs: Vec<Install> = words
            .iter()
            .map(|(no_recommends, words)| Install {
                no_recommends: *no_recommends,
                names_compiler: words
                    .iter()
                    .any(|w| is_c_compiler(w.text.split('=').next().unwrap_or(""))),
                names: words
                    .iter()
                    .map(|w| w.text.split(['=', '/']).next().unwrap_or("").to_string())
                    .collect(),
            })
            .collect();
        let key = (base.name.clone(), installs);
        let culprit = *memo
            .entry(key)
            .or_insert_with_key(|(_, installs)| culprit(suite, base, installs));
        let Some((_, words)) = culprit.and_then(|at| words.get(at)) else {
            continue;
        };
        // The compiler word of the install that brought the compiler without headers.
        let Some(w) = words
            .iter()
            .find(|w| is_c_compiler(w.text.split('=').next().unwrap_or("")))
        else {
            continue;
        };
        let fix = Some(crate::Fix {
            title: "Install libc6-dev with the compiler".into(),
            applicability: crate::Applicability::Unsafe,
            edits: vec![crate::TextEdit {
                span: Span {
                    start: w.span.end,
                    end: w.span.end,
                },
                insert: " libc6-dev".into(),
            }],
        });
        hits.push((
            w.span,
            format!(
                "`{}` is installed with --no-install-recommends and nothing in this stage installs libc6-dev, which gcc only recommends: C builds will fail (stdlib.h: No such file or directory)",
                w.text
            ),
            fix,
        ));
    }
    for (span, message, fix) in hits {
        ctx.report(span, message)
            .help("add libc6-dev (or build-essential) to the install")
            .fix(fix);
    }
}

/// One `apt-get install` of a stage: its package names and whether it skips recommends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Install {
    no_recommends: bool,
    /// One of its words names a C compiler (the word the finding points at).
    names_compiler: bool,
    names: Vec<String>,
}

/// The install (an index into `installs`) that brought a C compiler without recommends
/// while nothing had added `libc6-dev`, when nothing later adds it either and every package
/// is known; `None` otherwise.
fn culprit(suite: Suite, base: &BaseImage, installs: &[Install]) -> Option<usize> {
    let mut installed: BTreeSet<String> = base_package_sets(base).0.as_ref().clone();
    let mut culprit: Option<usize> = None;
    let mut unknown = false;
    for (at, install) in installs.iter().enumerate() {
        let names = &install.names;
        if names
            .iter()
            .any(|n| n.contains('$') || n.is_empty() || n.ends_with(".deb"))
        {
            unknown = true;
            continue;
        }
        let (new, missing) = deb_closure_in(suite, names, !install.no_recommends, &installed);
        if !missing.is_empty() {
            unknown = true;
        }
        installed.extend(new);
        if culprit.is_none()
            && install.no_recommends
            && installed.iter().any(|p| is_c_compiler(p))
            && !installed.contains("libc6-dev")
            && install.names_compiler
        {
            culprit = Some(at);
        }
    }
    culprit.filter(|_| !unknown && !installed.contains("libc6-dev"))
}
