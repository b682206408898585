//! apt-get update, install with `--no-install-recommends` and list cleanup in one RUN.
//!
//! ## What it does
//! Rewrites a RUN that installs Debian packages so that it runs `apt-get update` and
//! `apt-get install -y --no-install-recommends` together and ends with
//! `rm -rf /var/lib/apt/lists/*`; a lone `RUN apt-get update` directly above is merged in.
//! For Alpine, `apk add` gets `--no-cache`.
//!
//! ## Why is this better?
//! An `apt-get update` in its own layer is cached forever, so later installs use stale lists;
//! recommended packages can multiply the size (python3-pip: 69.9 MB without, 451.8 MB with, in
//! our measurements); package lists left behind add about 20 MB.
//!
//! Recommended packages a program cannot do its main job without are named explicitly: a C
//! compiler's `libc6-dev` (gcc only recommends it) and the `ca-certificates` that git, curl and
//! wget recommend, when the base image lacks them.
//!
//! ## Fix safety
//! Unsafe: a program may have relied on another recommended package.
//!
//! ## References
//! Founding guide, "Production Multi-Stage with Security"; hadolint DL3009, DL3015, DL3019;
//! Docker docs, "Best practices: apt-get".

use super::project::root_image;
use super::shell::{self, Command, Script};
use super::util::{self, arg_text, stage_instructions};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::estimate::kb::{deb_closure_in, Suite};
use crate::syntax::shell::value_options;
use crate::syntax::{Args, Instruction, Keyword};

pub const META: RefactorMeta = RefactorMeta {
    id: "apt-hygiene",
    title: "Update, install without recommends and clean up in one RUN",
    sources: &[
        (
            "Founding guide: Production Multi-Stage with Security",
            "https://docs.docker.com/build/building/best-practices/#apt-get",
        ),
        (
            "hadolint DL3009 (delete the apt lists)",
            "https://github.com/hadolint/hadolint/wiki/DL3009",
        ),
        (
            "hadolint DL3015 (--no-install-recommends)",
            "https://github.com/hadolint/hadolint/wiki/DL3015",
        ),
        (
            "hadolint DL3019 (apk add --no-cache)",
            "https://github.com/hadolint/hadolint/wiki/DL3019",
        ),
    ],
};

pub fn check(cx: &Context) -> Option<Draft> {
    let mut edits = Vec::new();
    let mut added: Vec<(String, String)> = Vec::new();
    for stage in &cx.model.stages {
        let instrs = stage_instructions(cx.doc, stage);
        let base = root_image(cx.model, stage);
        let mut merged_into: Option<usize> = None;
        for (pos, (_, ins)) in instrs.iter().enumerate() {
            if merged_into == Some(pos) {
                continue;
            }
            let Some(cmds) = run_commands(ins, &base, &mut added) else {
                continue;
            };
            let installs = cmds.iter().any(|s| is_apt_install(&s.cmd));
            let apk = cmds
                .iter()
                .any(|s| s.cmd.runs("apk", "add") && !s.cmd.has_flag(&["--no-cache"]));
            // A lone `RUN apt-get update` followed by an install RUN: merge them.
            let lone_update = cmds.len() == 1 && is_apt_update(&cmds[0].cmd);
            if lone_update {
                let Some((_, next)) = instrs.get(pos + 1) else {
                    continue;
                };
                let Some(next_cmds) = run_commands(next, &base, &mut added) else {
                    continue;
                };
                if !next_cmds.iter().any(|s| is_apt_install(&s.cmd)) {
                    continue;
                }
                let mut merged = cmds.clone();
                merged.extend(next_cmds);
                let text = render(&merged);
                let delete = util::line_span(cx.text, ins.span, false);
                edits.push(TextEdit {
                    span: delete,
                    insert: String::new(),
                });
                edits.push(TextEdit {
                    span: args_span(next),
                    insert: text,
                });
                merged_into = Some(pos + 1);
                continue;
            }
            if (installs && !clean(&cmds)) || apk {
                edits.push(TextEdit {
                    span: args_span(ins),
                    insert: render(&cmds),
                });
            }
        }
    }
    (!edits.is_empty()).then(|| draft(edits, &added))
}

fn draft(edits: Vec<TextEdit>, added: &[(String, String)]) -> Draft {
    let mut explanation = String::from(
        "Installing packages this way keeps `apt-get update` from being cached apart from the install (stale \
         lists), skips recommended packages (they can multiply a layer's size) and removes the package lists \
         (about 20 MB) in the same layer, as the founding guide's production pattern does.",
    );
    for (pkg, by) in added {
        explanation.push_str(&format!(
            " `{pkg}` is named explicitly: {by} only recommends it, and {}.",
            why_needed(pkg)
        ));
    }
    Draft {
        title: META.title.into(),
        explanation,
        applicability: Applicability::Unsafe,
        edits,
    }
}

/// Recommended packages a program cannot do its main job without: what `--no-install-recommends`
/// must name explicitly when one of the programs (named in the install) recommends it, directly
/// or through a dependency.
const NEEDED_RECOMMENDS: &[(&str, &[&str], &str)] = &[
    (
        "libc6-dev",
        &["gcc", "g++", "cc", "c++", "clang", "gfortran", "cpp"],
        "a C compiler cannot build against the C library without its headers (`stdlib.h`)",
    ),
    (
        "ca-certificates",
        &["curl", "wget", "git"],
        "HTTPS downloads fail without the CA certificates",
    ),
];

fn why_needed(pkg: &str) -> &'static str {
    NEEDED_RECOMMENDS
        .iter()
        .find(|(p, _, _)| *p == pkg)
        .map_or("", |(_, _, why)| why)
}

/// The [`NEEDED_RECOMMENDS`] that installing `pkgs` with recommends would bring and without
/// them would not (given the base image's packages), each with the package that recommends it.
fn needed_recommends(pkgs: &[String], base: &str) -> Vec<(String, String)> {
    let resolved = crate::estimate::bases::resolve(base);
    let (installed, suite) = match resolved.base {
        Some(b) if b.is_debian_like() => (
            crate::estimate::kb::base_package_sets(b).0,
            b.debian_suite().unwrap_or(Suite::Bookworm),
        ),
        Some(b) if b.is_alpine() => return Vec::new(),
        _ => (Default::default(), Suite::Bookworm),
    };
    let names: Vec<String> = pkgs
        .iter()
        .map(|p| p.split(['=', ':']).next().unwrap_or(p).to_string())
        .filter(|p| !p.starts_with('$'))
        .collect();
    let (new, _) = deb_closure_in(suite, &names, false, &installed);
    let index = crate::estimate::kb::kb().debian_index(suite);
    let have = |n: &str| installed.contains(n) || new.iter().any(|x| x == n);
    let mut out: Vec<(String, String)> = Vec::new();
    for (needed, programs, _) in NEEDED_RECOMMENDS {
        if have(needed) {
            continue;
        }
        // A program the install names (`gcc`, `gcc-12`) that recommends it, itself or through
        // a package it depends on.
        let by = names.iter().find(|n| {
            let program = n.split('-').next().unwrap_or(n);
            programs.contains(&n.as_str()) || programs.contains(&program) && n.len() > program.len()
        });
        let Some(by) = by else {
            continue;
        };
        let (closure, _) = deb_closure_in(suite, std::slice::from_ref(by), false, &installed);
        let recommends = closure.iter().chain(std::iter::once(by)).any(|p| {
            index
                .get(p)
                .is_some_and(|pkg| pkg.recommends.iter().any(|g| g.iter().any(|a| a == needed)))
        });
        if recommends {
            out.push((needed.to_string(), by.clone()));
        }
    }
    out
}

fn args_span(ins: &Instruction) -> crate::span::Span {
    match &ins.args {
        Args::Shell { span, .. } | Args::Exec { span, .. } => *span,
    }
}

/// A command of a RUN, as written and as this refactor rewrites it.
#[derive(Clone)]
struct Step {
    cmd: Command,
    written: String,
    rewritten: String,
}

/// The commands of a shell-form RUN chained only by `&&` (others are left alone).
fn run_commands(
    ins: &Instruction,
    base: &str,
    added: &mut Vec<(String, String)>,
) -> Option<Vec<Step>> {
    if ins.keyword != Keyword::Run || !ins.heredocs().is_empty() || util::is_exec(ins) {
        return None;
    }
    let script = Script::parse(&arg_text(ins));
    if !script.only_and_chains() {
        return None;
    }
    let steps: Vec<Step> = script
        .commands()
        .filter(|c| c.depth == 0)
        .map(|c| {
            let written = script.slice(c.range).trim().to_string();
            let rewritten = if is_apt_install(c) {
                install_text(&script, c, base, added)
            } else if c.runs("apk", "add") && !c.has_flag(&["--no-cache"]) {
                match c.words.iter().position(|w| w == "add") {
                    Some(at) => shell::with_inserted(&script, c, at, "--no-cache"),
                    None => written.clone(),
                }
            } else {
                written.clone()
            };
            Step {
                cmd: c.clone(),
                written,
                rewritten,
            }
        })
        .collect();
    (!steps.is_empty()).then_some(steps)
}

fn is_apt_install(c: &Command) -> bool {
    matches!(c.program(), "apt-get" | "apt") && c.subcommand() == Some("install")
}

fn is_apt_update(c: &Command) -> bool {
    matches!(c.program(), "apt-get" | "apt") && c.subcommand() == Some("update")
}

fn is_list_cleanup(c: &Command) -> bool {
    c.program() == "rm" && c.words.iter().any(|w| w.starts_with("/var/lib/apt/lists"))
}

/// True when the RUN already follows the pattern.
fn clean(steps: &[Step]) -> bool {
    let cmds: Vec<&Command> = steps.iter().map(|s| &s.cmd).collect();
    let first_install = cmds.iter().position(|c| is_apt_install(c));
    let update_before = cmds
        .iter()
        .position(|c| is_apt_update(c))
        .is_some_and(|u| first_install.is_some_and(|i| u < i));
    let no_rec = cmds
        .iter()
        .filter(|c| is_apt_install(c))
        .all(|c| c.has_flag(&["--no-install-recommends"]));
    let cleaned = cmds
        .iter()
        .rposition(|c| is_list_cleanup(c))
        .is_some_and(|c| {
            cmds.iter()
                .rposition(|i| is_apt_install(i))
                .is_some_and(|i| c > i)
        });
    update_before && no_rec && cleaned
}

/// The commands in the founding guide's layout.
fn render(steps: &[Step]) -> String {
    let mut out: Vec<String> = Vec::new();
    let has_install = steps.iter().any(|s| is_apt_install(&s.cmd));
    let has_update = steps.iter().any(|s| is_apt_update(&s.cmd));
    let mut update_done = false;
    for step in steps {
        let c = &step.cmd;
        if is_apt_update(c) {
            if update_done {
                continue;
            }
            update_done = true;
            out.push(step.written.clone());
        } else if is_apt_install(c) {
            if !has_update && !update_done {
                out.push("apt-get update".into());
                update_done = true;
            }
            out.push(step.rewritten.clone());
        } else if c.runs("apk", "add") {
            out.push(step.rewritten.clone());
        } else if c.runs("apk", "update")
            || (c.program() == "rm" && c.words.iter().any(|w| w.starts_with("/var/cache/apk")))
        {
            // `apk add --no-cache` fetches fresh indexes and keeps none.
        } else if is_list_cleanup(c) && has_install {
            // Re-added at the end.
        } else {
            out.push(step.written.clone());
        }
    }
    if has_install {
        out.push("rm -rf /var/lib/apt/lists/*".into());
    }
    // Layout: `update && install …` on the first line, the rest continued with `&&`.
    let mut text = String::new();
    for (i, part) in out.iter().enumerate() {
        if i == 0 {
            text.push_str(part);
        } else if i == 1
            && out
                .first()
                .is_some_and(|f| f.starts_with("apt-get update") || f.starts_with("apt update"))
        {
            text.push_str(" && ");
            text.push_str(part);
        } else {
            text.push_str(" \\\n    && ");
            text.push_str(part);
        }
    }
    text
}

/// `apt-get install -y --no-install-recommends \` and one package per line: the words as
/// written (the prefix up to the program, flags, packages, redirections), the two flags added
/// when missing; with `--no-install-recommends`, the recommended packages the install needs
/// (see [`needed_recommends`], collected in `added`).
fn install_text(
    script: &Script,
    c: &Command,
    base: &str,
    added: &mut Vec<(String, String)>,
) -> String {
    let program = c.program_index().unwrap_or(0);
    let head_end = c.words.get(program).map_or(c.range.start, |w| w.raw.end);
    let head = script
        .slice(crate::span::Span::new(c.range.start, head_end))
        .to_string();
    let mut flags: Vec<String> = Vec::new();
    let mut pkgs: Vec<String> = Vec::new();
    let mut seen_install = false;
    let mut expect_value = false;
    for w in c.program_args() {
        let written = script.slice(w.raw).to_string();
        if expect_value {
            flags.push(written);
            expect_value = false;
        } else if !seen_install && w == "install" {
            seen_install = true;
        } else if w.starts_with('-') {
            expect_value = value_options("apt-get").contains(&w.text);
            flags.push(written);
        } else if seen_install {
            pkgs.push(written);
        } else {
            flags.push(written);
        }
    }
    if !c.has_flag(&["-y", "--yes", "--assume-yes"]) {
        flags.insert(0, "-y".into());
    }
    if !c.has_flag(&["--no-install-recommends"]) {
        flags.push("--no-install-recommends".into());
        for (pkg, by) in needed_recommends(&pkgs, base) {
            if !pkgs.contains(&pkg) {
                pkgs.push(pkg.clone());
            }
            if !added.iter().any(|(p, _)| *p == pkg) {
                added.push((pkg, by));
            }
        }
    }
    let mut s = head;
    s.push_str(" install");
    for f in flags {
        s.push(' ');
        s.push_str(&f);
    }
    for p in pkgs {
        s.push_str(" \\\n    ");
        s.push_str(&p);
    }
    for r in &c.redirects {
        s.push(' ');
        s.push_str(script.slice(r.raw));
    }
    s
}
