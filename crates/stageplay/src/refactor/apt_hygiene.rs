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
use super::shell::{self, Command};
use super::util::{self, arg_text, stage_instructions};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::estimate::kb::{deb_closure_in, Suite};
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
            let Some(cmds) = run_commands(ins) else {
                continue;
            };
            let installs = cmds.iter().any(is_apt_install);
            let apk = cmds
                .iter()
                .any(|c| c.is("apk", "add") && !c.has_flag("--no-cache"));
            // A lone `RUN apt-get update` followed by an install RUN: merge them.
            let lone_update = cmds.len() == 1 && is_apt_update(&cmds[0]);
            if lone_update {
                let Some((_, next)) = instrs.get(pos + 1) else {
                    continue;
                };
                let Some(next_cmds) = run_commands(next) else {
                    continue;
                };
                if !next_cmds.iter().any(is_apt_install) {
                    continue;
                }
                let mut merged = cmds.clone();
                merged.extend(next_cmds);
                let text = render(&merged, &base, &mut added);
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
                    insert: render(&cmds, &base, &mut added),
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

/// The commands of a shell-form RUN chained only by `&&` (others are left alone).
fn run_commands(ins: &Instruction) -> Option<Vec<Command>> {
    if ins.keyword != Keyword::Run || !ins.heredocs().is_empty() || util::is_exec(ins) {
        return None;
    }
    let cmds = shell::commands(&arg_text(ins));
    (!cmds.is_empty() && shell::only_and_chains(&cmds)).then_some(cmds)
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
fn clean(cmds: &[Command]) -> bool {
    let first_install = cmds.iter().position(is_apt_install);
    let update_before = cmds
        .iter()
        .position(is_apt_update)
        .is_some_and(|u| first_install.is_some_and(|i| u < i));
    let no_rec = cmds
        .iter()
        .filter(|c| is_apt_install(c))
        .all(|c| c.has_flag("--no-install-recommends"));
    let cleaned = cmds
        .iter()
        .rposition(is_list_cleanup)
        .is_some_and(|c| cmds.iter().rposition(is_apt_install).is_some_and(|i| c > i));
    update_before && no_rec && cleaned
}

/// The commands in the founding guide's layout; `added` collects the recommended packages an
/// install now names explicitly (see [`needed_recommends`]).
fn render(cmds: &[Command], base: &str, added: &mut Vec<(String, String)>) -> String {
    let mut out: Vec<String> = Vec::new();
    let has_install = cmds.iter().any(is_apt_install);
    let has_update = cmds.iter().any(is_apt_update);
    let mut update_done = false;
    for c in cmds {
        if is_apt_update(c) {
            if update_done {
                continue;
            }
            update_done = true;
            out.push(c.raw.clone());
        } else if is_apt_install(c) {
            if !has_update && !update_done {
                out.push("apt-get update".into());
                update_done = true;
            }
            out.push(install_text(c, base, added));
        } else if c.is("apk", "add") {
            let mut words = c.words.clone();
            if !c.has_flag("--no-cache") {
                if let Some(i) = words.iter().position(|w| w == "add") {
                    words.insert(i + 1, "--no-cache".into());
                }
            }
            out.push(quote_words(&words));
        } else if c.is("apk", "update")
            || (c.program() == "rm" && c.words.iter().any(|w| w.starts_with("/var/cache/apk")))
        {
            // `apk add --no-cache` fetches fresh indexes and keeps none.
        } else if is_list_cleanup(c) && has_install {
            // Re-added at the end.
        } else {
            out.push(c.raw.clone());
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

/// `apt-get install -y --no-install-recommends \` and one package per line.
fn install_text(c: &Command, base: &str, added: &mut Vec<(String, String)>) -> String {
    let program = c.program_index().unwrap_or(0);
    let mut head: Vec<String> = c.words[..=program.min(c.words.len().saturating_sub(1))].to_vec();
    let mut flags: Vec<String> = Vec::new();
    let mut pkgs: Vec<String> = Vec::new();
    let mut seen_install = false;
    let mut expect_value = false;
    for w in c.args() {
        if expect_value {
            flags.push(w.clone());
            expect_value = false;
        } else if !seen_install && w == "install" {
            seen_install = true;
        } else if w.starts_with('-') {
            expect_value = w == "-o" || w == "-t";
            flags.push(w.clone());
        } else if seen_install {
            pkgs.push(w.clone());
        } else {
            flags.push(w.clone());
        }
    }
    if !flags
        .iter()
        .any(|f| f == "-y" || f == "--yes" || f == "-qy" || f == "-yq" || f == "--assume-yes")
    {
        flags.insert(0, "-y".into());
    }
    if !flags.iter().any(|f| f == "--no-install-recommends") {
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
    head.push("install".into());
    head.extend(flags);
    let mut s = quote_words(&head);
    for p in pkgs {
        s.push_str(" \\\n    ");
        s.push_str(&quote_word(&p));
    }
    s
}

fn quote_word(w: &str) -> String {
    if w.is_empty() || w.contains(|c: char| c.is_whitespace() || "'\"`\\;&|<>()*?".contains(c)) {
        format!("'{}'", w.replace('\'', "'\\''"))
    } else {
        w.to_string()
    }
}

fn quote_words(words: &[String]) -> String {
    words
        .iter()
        .map(|w| quote_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}
