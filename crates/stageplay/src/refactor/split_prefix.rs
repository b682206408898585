//! Split a stage that compiles a program into `/usr/local` into a builder and a runtime stage.
//!
//! ## What it does
//! For a single stage that builds a runtime or server from source and installs it under
//! `/usr/local` (`./configure && make && make install`, the docker-library recipes for Python,
//! PHP, Redis, PostgreSQL on Alpine…): the original stage becomes the `builder`, unchanged, plus
//! one step that lists the OS packages (Debian: `ldd` + `dpkg-query --search`) or shared
//! libraries (Alpine: `scanelf --needed`) the programs in `/usr/local` link. The `production`
//! stage starts `FROM` the same base and keeps, in their original order, the instructions that
//! build nothing (ENV, ARG, WORKDIR, USER, user and directory setup RUNs, package-only RUNs,
//! COPY of context files, EXPOSE, CMD, ENTRYPOINT…); the build RUNs are replaced by
//! `COPY --from=builder /usr/local /usr/local` followed by one RUN that installs the listed
//! packages (and, on Debian, runs `ldconfig`: the builder's `/etc/ld.so.cache` is not copied).
//!
//! A RUN is a build step (kept in the builder only) unless every program it runs is a plain
//! system tool (package managers, `mkdir`, `chown`, `ln`, `groupadd`, `sed`…) and it names
//! nothing under `/usr/local`. The copy goes where the last build step was. User and group
//! commands at the head of a build RUN (`addgroup … && adduser … && build`, node's Alpine
//! image) are rebuilt word for word as a RUN the runtime replays in place. A build step may also
//! install into `/opt` (empty in the bases): the runtime then copies `/opt` too.
//!
//! Declined when it cannot be done safely: more than one stage, ONBUILD, SHELL (Windows
//! images), an OS family other than Debian/Ubuntu or Alpine (the package names cannot be
//! found), another install prefix (`--prefix=`, `PREFIX=`, `DESTDIR=`, `CMAKE_INSTALL_PREFIX=`),
//! nothing installed by `make install`/`ninja install`/`cmake --install`, a build step that names
//! a path outside `/usr/local` other than scratch and read-only ones (`/tmp`, `/usr/src`,
//! `/usr/include`, the package caches…), a build step that installs an OS package other than
//! compilers and headers without removing it in the same RUN, a non-root USER before the last
//! build step, user or group commands elsewhere in a build step, `configure --with-apxs*` (PHP's
//! Apache module goes into Apache's directories), or a command whose program is not known to be
//! in `/usr/local` — run after the install, built by a known `configure` flag (`--enable-fpm` →
//! `php-fpm`), or copied from the context — or in the base's shell (an OS package such as nginx,
//! a path elsewhere, a program of the base image).
//!
//! ## Why is this better?
//! Compilers, headers, sources and the package manager's lists used by the build stay in the
//! builder; the runtime gets the installed tree and the libraries it links. When the original
//! RUN already purges its build dependencies in the same layer (docker-library does), the saving
//! is small: the estimate shows it. The split still gives a cached builder and a runtime whose
//! layers hold no trace of the build.
//!
//! ## Fix safety
//! Unsafe: files a build step wrote outside `/usr/local` (other than the ones it names and the
//! declined cases above) are not in the runtime, and packages are chosen from the libraries
//! the programs link, not from what the program opens at run time (`dlopen`, data files of
//! other packages). Review the runtime's package list.
//!
//! ## References
//! Docker docs, "Multi-stage builds"; docker-library's own idiom for runtime dependencies
//! (`ldd` + `dpkg-query --search` in python/php/redis on Debian, `scanelf --needed` on
//! Alpine); founding guide, "Why Multi-Stage?".

use super::project::{is_build_package, os_packages};
use super::shell::{self, Command};
use super::util::{self, arg_text, copy_parts, image_repo_tag, resolve, stage_instructions};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::model::Stage;
use crate::syntax::{Dockerfile, Instruction, Keyword};

pub const META: RefactorMeta = RefactorMeta {
    id: "split-prefix",
    title: "Split a compiled /usr/local into a builder and a runtime stage",
    sources: &[
        (
            "Docker docs: Multi-stage builds",
            "https://docs.docker.com/build/building/multi-stage/",
        ),
        (
            "docker-library/python: runtime dependencies from ldd and dpkg-query",
            "https://github.com/docker-library/python",
        ),
        (
            "docker-library/php: runtime dependencies from scanelf on Alpine",
            "https://github.com/docker-library/php",
        ),
        (
            "Founding guide: Why Multi-Stage?",
            "https://docs.docker.com/build/building/multi-stage/",
        ),
    ],
};

/// The install prefix the runtime copies.
pub const PREFIX: &str = "/usr/local";

/// The OS family of the base, which decides how runtime libraries are found and installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Debian,
    Alpine,
}

/// Official images built on Debian unless their tag says otherwise.
const DEBIAN_IMAGES: &[&str] = &[
    "debian",
    "ubuntu",
    "buildpack-deps",
    "python",
    "php",
    "node",
    "ruby",
    "perl",
    "golang",
    "rust",
    "httpd",
];

fn family(image: &str) -> Option<Family> {
    let (repo, tag) = image_repo_tag(image);
    let lower = tag.to_ascii_lowercase();
    if ["windows", "nanoserver", "servercore", "ltsc"]
        .iter()
        .any(|w| lower.contains(w) || repo.contains(w))
    {
        return None;
    }
    if repo == "alpine" || lower.contains("alpine") {
        return Some(Family::Alpine);
    }
    DEBIAN_IMAGES
        .contains(&repo.as_str())
        .then_some(Family::Debian)
}

/// Programs that only set up the system: a RUN using only these (and naming nothing under the
/// prefix) builds nothing and is replayed in the runtime.
const SYSTEM_TOOLS: &[&str] = &[
    "",
    "set",
    "export",
    "apt-get",
    "apt",
    "apt-mark",
    "apk",
    "rm",
    "mkdir",
    "chown",
    "chmod",
    "chgrp",
    "ln",
    "groupadd",
    "useradd",
    "usermod",
    "groupmod",
    "addgroup",
    "adduser",
    "echo",
    "printf",
    "tee",
    "sed",
    "grep",
    "test",
    "[",
    "true",
    ":",
    "touch",
    "install",
    "localedef",
    "locale-gen",
    "update-ca-certificates",
    "a2enmod",
    "a2dismod",
    "a2enconf",
    "a2disconf",
    "a2ensite",
    "a2dissite",
    "dpkg-reconfigure",
    "{",
    "}",
    "cat",
    "cd",
];

/// Paths a build step may name outside the prefix: scratch space, sources, headers it reads,
/// package-manager state.
const SCRATCH: &[&str] = &[
    "/tmp",
    "/dev",
    "/proc",
    "/usr/src",
    "/usr/include",
    "/var/lib/apt/lists",
    "/var/cache/apt",
    "/var/cache/apk",
    "/root",
];

/// One instruction of the stage and what the split does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Builder only (a build step).
    Build,
    /// Builder and runtime (ENV, ARG, WORKDIR, setup RUNs, context COPY).
    Both,
    /// Runtime only (CMD, ENTRYPOINT, EXPOSE, USER, …).
    Runtime,
    /// Builder only: a context COPY into the prefix before the last build step (the copied
    /// prefix brings it).
    InPrefix,
}

struct Plan {
    text: String,
    notes: Vec<String>,
}

/// Offers the prefix split where the ecosystem split does not apply.
pub fn check(cx: &Context) -> Option<Draft> {
    if cx.model.stages.len() != 1 || super::split_stage::check(cx).is_some() {
        return None;
    }
    let stage = cx.model.stages.first()?;
    if stage.base_text.eq_ignore_ascii_case("scratch") || stage.name.is_some() {
        return None;
    }
    let from = util::ins(cx.doc, stage.from_instruction)?;
    let base = util::from_parts(from).0;
    if base.contains('$') {
        return None;
    }
    let family = family(&base)?;
    let plan = plan(cx, stage, &base, family).ok()?;
    let span = util::stage_span(cx.text, cx.doc, stage);
    let mut explanation = format!(
        "This stage compiles a program into `{PREFIX}` and runs it from there. The original stage becomes \
         the `builder`; a `production` stage from the same `{base}` keeps the instructions that build \
         nothing, in their order, and replaces the build steps by `COPY --from=builder {PREFIX} {PREFIX}` \
         plus the {} the programs link (listed in the builder from {}), so compilers, headers and sources \
         stay in the builder."
,
        match family {
            Family::Debian => "Debian packages of the shared libraries",
            Family::Alpine => "shared libraries (`so:` names for apk)",
        },
        match family {
            Family::Debian => "`ldd` and `dpkg-query --search`, docker-library's idiom",
            Family::Alpine => "`scanelf --needed`, docker-library's idiom",
        },
    );
    for note in &plan.notes {
        explanation.push(' ');
        explanation.push_str(note);
    }
    Some(Draft {
        title: format!("Split into a builder and a runtime stage that copies `{PREFIX}`"),
        explanation,
        applicability: Applicability::Unsafe,
        edits: vec![TextEdit {
            span,
            insert: plan.text,
        }],
    })
}

/// The stage's ENV values, for expanding `$VAR` in paths (last value wins, `$VAR` inside values
/// expanded with the earlier ones).
fn env_values(doc: &Dockerfile, stage: &Stage) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (_, ins) in stage_instructions(doc, stage) {
        if !matches!(ins.keyword, Keyword::Env | Keyword::Arg) {
            continue;
        }
        for (k, v) in util::key_values(ins) {
            let v = expand(&v.unwrap_or_default(), &out);
            out.retain(|(key, _)| *key != k);
            out.push((k, v));
        }
    }
    out
}

/// Expands `$NAME` and `${NAME}` (plain forms only) with `vars`; unknown names stay as written.
fn expand(word: &str, vars: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = word;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let mut strip: Option<&str> = None;
        let (name, len) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                // `${NAME%suffix}`: the value without a literal suffix.
                Some(end) => match inner[..end].split_once('%') {
                    Some((n, suffix)) if !suffix.contains(['*', '?', '%', '[']) => {
                        strip = Some(suffix);
                        (n, end + 2)
                    }
                    _ => (&inner[..end], end + 2),
                },
                None => ("", 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        match vars.iter().rev().find(|(k, _)| k == name) {
            Some((_, v)) if !name.is_empty() => {
                out.push_str(strip.and_then(|x| v.strip_suffix(x)).unwrap_or(v));
                rest = &after[len..];
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn in_prefix(path: &str) -> bool {
    path == PREFIX || path.starts_with(&format!("{PREFIX}/"))
}

/// The absolute paths a command names: words (and `--flag=/path` values) starting with `/`
/// followed by a letter, after expanding the stage's ENV values.
fn paths(cmd: &Command, vars: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for w in &cmd.words {
        let w = expand(w, vars);
        // `--with-x=/usr` names where to read from; `--xxxdir=/etc` where to write.
        let value = match w.split_once('=') {
            Some((k, v)) if !k.starts_with('-') || k.ends_with("dir") => Some(v),
            _ => None,
        };
        let candidates = [Some(w.as_str()), value, w.split_once(':').map(|(_, v)| v)];
        for c in candidates.into_iter().flatten() {
            let c = c.trim_matches(|ch| ch == '"' || ch == '\'');
            let mut chars = c.chars();
            if chars.next() == Some('/')
                && chars.next().is_some_and(|ch| ch.is_ascii_alphabetic())
                && !c.contains(char::is_whitespace)
            {
                out.push(c.trim_end_matches(['*', '/']).to_string());
            }
        }
    }
    out
}

/// Paths of documentation and debugger helpers: a build step may write there; the runtime goes
/// without them (the explanation says so).
const OPTIONAL: &[&str] = &[
    "/usr/share/gdb",
    "/usr/share/doc",
    "/usr/share/man",
    "/usr/share/info",
];

fn optional(path: &str) -> Option<&'static str> {
    OPTIONAL
        .iter()
        .find(|s| path == **s || path.starts_with(&format!("{s}/")))
        .copied()
}

fn scratch(path: &str) -> bool {
    path == "/"
        || SCRATCH
            .iter()
            .any(|s| path == *s || path.starts_with(&format!("{s}/")))
}

/// Programs a `configure` flag builds and `make install` puts on the default PATH under the
/// prefix (PHP's FPM SAPI: `--enable-fpm` installs `sbin/php-fpm`). Evidence that the command's
/// program is in the copied prefix when nothing runs it after the install.
const BUILT_BY_FLAG: &[(&str, &str)] = &[("--enable-fpm", "php-fpm")];

/// Add-on software outside the prefix (FHS: `/opt`, empty in the Debian and Alpine bases): a build
/// step may install there; the runtime then copies it too.
const OPT: &str = "/opt";

/// Programs that create or change users and groups.
const USER_TOOLS: &[&str] = &[
    "addgroup", "adduser", "groupadd", "useradd", "usermod", "groupmod",
];

/// The user and group commands at the head of a build RUN (chained by `&&`), rebuilt as a RUN
/// the runtime replays: their count and the text. `None` when there are none, or when a word
/// cannot be written back exactly (a `$` or quote the reader removed).
fn leading_user_commands(cmds: &[Command]) -> Option<(usize, String)> {
    let n = cmds
        .iter()
        .take_while(|c| USER_TOOLS.contains(&c.program()) && c.op == Some("&&"))
        .count();
    if n == 0 {
        return None;
    }
    let mut lines = Vec::new();
    for c in &cmds[..n] {
        let mut words = Vec::new();
        for w in &c.words {
            if w.contains(['$', '`', '\\', '\'', '"']) || w.is_empty() {
                return None;
            }
            if w.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "-_./:=@%+,".contains(ch))
            {
                words.push(w.clone());
            } else {
                words.push(format!("'{w}'"));
            }
        }
        lines.push(words.join(" "));
    }
    Some((n, format!("RUN {}", lines.join(" \\\n    && "))))
}

/// True when a RUN of `stage` passes `configure` the flag that builds `name` (see
/// [`BUILT_BY_FLAG`]) and a later command installs into the prefix (`make install`).
pub(crate) fn configured(doc: &Dockerfile, stage: &Stage, name: &str) -> bool {
    let vars = env_values(doc, stage);
    let mut flagged = false;
    for (_, ins) in stage_instructions(doc, stage) {
        if ins.keyword != Keyword::Run {
            continue;
        }
        for c in shell::commands(&arg_text(ins)) {
            if c.program() == "configure" {
                flagged |= c.args().iter().any(|a| {
                    expand(a, &vars).split_whitespace().any(|w| {
                        BUILT_BY_FLAG
                            .iter()
                            .any(|(flag, prog)| *flag == w && *prog == name)
                    })
                });
            } else if flagged && installs(&c) && !other_prefix(&c, &vars) {
                return true;
            }
        }
    }
    false
}

/// How a RUN relates to the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunKind {
    /// System tools only, nothing named under the prefix.
    Setup,
    /// System tools only, but it names the prefix (`mkdir -p "$PHP_INI_DIR/conf.d"`).
    PrefixSetup,
    Build,
}

fn run_kind(ins: &Instruction, vars: &[(String, String)]) -> RunKind {
    let cmds = shell::commands(&arg_text(ins));
    if !cmds.iter().all(|c| SYSTEM_TOOLS.contains(&c.program())) {
        return RunKind::Build;
    }
    if arg_text(ins).contains(PREFIX)
        || cmds
            .iter()
            .any(|c| paths(c, vars).iter().any(|p| in_prefix(p)))
    {
        RunKind::PrefixSetup
    } else {
        RunKind::Setup
    }
}

/// Installs into the prefix (`make install`, `make -C dir install`, `ninja install`,
/// `cmake --install`, `meson install`).
pub(crate) fn installs(cmd: &Command) -> bool {
    let args = cmd.args();
    match cmd.program() {
        "make" | "gmake" | "ninja" => args.iter().any(|a| a == "install"),
        "cmake" => args.iter().any(|a| a == "--install"),
        "meson" => cmd.subcommand() == Some("install"),
        _ => false,
    }
}

/// A prefix other than `/usr/local`, or a `DESTDIR` staging directory.
fn other_prefix(cmd: &Command, vars: &[(String, String)]) -> bool {
    cmd.words.iter().any(|w| {
        let w = expand(w, vars);
        for key in [
            "--prefix=",
            "PREFIX=",
            "prefix=",
            "-DCMAKE_INSTALL_PREFIX=",
            "CMAKE_INSTALL_PREFIX=",
        ] {
            if let Some(v) = w.strip_prefix(key) {
                return v.trim_end_matches('/') != PREFIX;
            }
        }
        w.starts_with("DESTDIR=") || w == "--prefix" || w == "--destdir"
    })
}

/// True when every OS package a build step installs is removed again in the same RUN, or is a
/// compiler/header (the original image dropped them; the runtime's package list brings the
/// libraries back).
fn packages_removed(cmds: &[Command]) -> bool {
    let removes = cmds.iter().any(|c| {
        matches!(
            (c.program(), c.subcommand()),
            ("apt-get" | "apt", Some("purge" | "remove" | "autoremove")) | ("apk", Some("del"))
        )
    });
    cmds.iter().all(|c| {
        let pkgs = os_packages(c);
        if pkgs.is_empty() {
            return true;
        }
        if c.program() == "apk" {
            // `apk add --virtual NAME …` removed by `apk del NAME`.
            // A kept group of computed names (`.rundeps $runDeps`, from scanelf) is what the
            // runtime's own library list reproduces.
            if let Some(name) = c.flag_value(&["--virtual", "-t"]) {
                return pkgs.iter().all(|p| p.starts_with('$') && !p.contains('('))
                    || cmds.iter().any(|d| {
                        d.program() == "apk"
                            && d.subcommand() == Some("del")
                            && d.args().contains(&name)
                    });
            }
        }
        removes
            || pkgs
                .iter()
                .all(|p| is_build_package(p) || p.starts_with('$'))
    })
}

fn plan(cx: &Context, stage: &Stage, base: &str, family: Family) -> Result<Plan, String> {
    let instrs = stage_instructions(cx.doc, stage);
    let vars = env_values(cx.doc, stage);
    let mut places: Vec<Place> = Vec::new();
    for (_, ins) in &instrs {
        if !ins.heredocs().is_empty() {
            return Err("r1".into());
        }
        let place = match ins.keyword {
            Keyword::Onbuild | Keyword::Shell | Keyword::Unknown | Keyword::From => {
                return Err("r2".into())
            }
            Keyword::Run => {
                // A setup RUN naming the prefix is replayed only before the first build step
                // (after it, it may depend on what the build installed, which the copy brings).
                let built = places.contains(&Place::Build);
                match run_kind(ins, &vars) {
                    _ if util::flag(ins, "mount").is_some() => Place::Both,
                    RunKind::Setup => Place::Both,
                    RunKind::PrefixSetup if !built => Place::Both,
                    _ => Place::Build,
                }
            }
            Keyword::Copy | Keyword::Add => {
                if util::flag(ins, "from").is_some() {
                    return Err("r3".into());
                }
                let (sources, _) = copy_parts(ins).ok_or("copy")?;
                if sources.iter().any(|s| s.contains("://")) {
                    return Err("r4".into());
                }
                Place::Both
            }
            Keyword::Env | Keyword::Arg | Keyword::Workdir => Place::Both,
            _ => Place::Runtime,
        };
        places.push(place);
    }
    let last = places
        .iter()
        .rposition(|p| *p == Place::Build)
        .ok_or("no build")?;
    // Context copies into the prefix before the last build step come with the prefix.
    let wds = util::workdirs(cx.doc, stage);
    for (pos, (i, ins)) in instrs.iter().enumerate() {
        if pos < last && matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
            let wd = wds
                .iter()
                .find(|(j, _)| j == i)
                .map_or("/", |(_, w)| w.as_str());
            if copy_parts(ins).is_some_and(|(_, d)| in_prefix(&resolve(wd, &expand(&d, &vars)))) {
                places[pos] = Place::InPrefix;
            }
        }
    }
    // The build steps: installed into the prefix, nothing written elsewhere, packages removed.
    let mut installed = false;
    let mut left_behind: Vec<&'static str> = Vec::new();
    let mut invoked: Vec<String> = Vec::new();
    let mut users: Vec<Option<String>> = vec![None; instrs.len()];
    let mut opt = false;
    for (pos, (i, ins)) in instrs.iter().enumerate() {
        if places[pos] != Place::Build {
            continue;
        }
        if !util::is_root_at(cx.doc, stage, *i) {
            return Err("r5".into());
        }
        let cmds = shell::commands(&arg_text(ins));
        let wrong_family = cmds.iter().any(|c| match family {
            Family::Debian => c.program() == "apk",
            Family::Alpine => matches!(c.program(), "apt-get" | "apt" | "dpkg-query"),
        });
        if wrong_family || !packages_removed(&cmds) {
            return Err(format!("r6 {wrong_family}"));
        }
        // Users and groups created at the head of the RUN are replayed in the runtime; created
        // anywhere else in a build step, they would be lost.
        let lead = match leading_user_commands(&cmds) {
            Some((n, text)) => {
                users[pos] = Some(text);
                n
            }
            None => 0,
        };
        if cmds[lead..]
            .iter()
            .any(|c| USER_TOOLS.contains(&c.program()))
        {
            return Err("r12".into());
        }
        for c in &cmds {
            if c.program() == "configure" && c.args().iter().any(|a| a.starts_with("--with-apxs")) {
                return Err("r13".into());
            }
        }
        for c in &cmds[lead..] {
            if other_prefix(c, &vars) {
                return Err("r7".into());
            }
            for p in paths(c, &vars) {
                if in_prefix(&p) || scratch(&p) {
                    continue;
                }
                if p == OPT || p.starts_with(&format!("{OPT}/")) {
                    opt = true;
                    continue;
                }
                match optional(&p) {
                    Some(o) if !left_behind.contains(&o) => left_behind.push(o),
                    Some(_) => {}
                    None => return Err(format!("r8 {p}")),
                }
            }
            if installs(c) {
                installed = true;
            }
            if installed {
                invoked.push(c.program().to_string());
            }
        }
    }
    if !installed {
        return Err("r9".into());
    }
    // The command's programs must be in the prefix, a copied context file, or the base's shell.
    let os_pkgs: Vec<String> = instrs
        .iter()
        .filter(|(_, ins)| ins.keyword == Keyword::Run)
        .flat_map(|(_, ins)| shell::commands(&arg_text(ins)))
        .flat_map(|c| os_packages(&c))
        .map(|p| p.split(['=', '>', '<']).next().unwrap_or("").to_string())
        .collect();
    let programs = command_programs(cx.doc, stage);
    if programs.is_empty() {
        return Err("r10".into());
    }
    for prog in &programs {
        let name = shell::basename(prog);
        let ok = if prog.contains('/') {
            let path = resolve(
                &util::workdirs(cx.doc, stage)
                    .last()
                    .map_or("/".to_string(), |w| w.1.clone()),
                prog,
            );
            in_prefix(&path) || copied_from_context(cx.doc, stage, &path)
        } else {
            !os_pkgs.iter().any(|p| p == name)
                && (invoked.iter().any(|p| p == name)
                    || configured(cx.doc, stage, name)
                    || copied_to_path(cx.doc, stage, name)
                    || matches!(name, "sh" | "bash"))
        };
        if !ok {
            return Err("r11".into());
        }
    }
    let copied: Vec<&str> = if opt { vec![PREFIX, OPT] } else { vec![PREFIX] };
    let mut plan = render(
        cx, &instrs, &places, &users, last, base, family, &copied, &vars,
    );
    if !left_behind.is_empty() {
        plan.notes.push(format!(
            "The build also writes under {}, which the runtime does not get (documentation or debugger helpers, not needed to run).",
            left_behind.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(plan)
}

/// The programs the container starts: the ENTRYPOINT's and, when the entrypoint is a script or
/// absent, the CMD's (flags skipped).
fn command_programs(doc: &Dockerfile, stage: &Stage) -> Vec<String> {
    let mut entry: Vec<String> = Vec::new();
    let mut cmd: Vec<String> = Vec::new();
    for (_, ins) in stage_instructions(doc, stage) {
        let words = || -> Vec<String> {
            if util::is_exec(ins) {
                util::arg_words(ins)
            } else {
                shell::commands(&arg_text(ins))
                    .first()
                    .map(|c| c.words[c.program_index().unwrap_or(0)..].to_vec())
                    .unwrap_or_default()
            }
        };
        match ins.keyword {
            Keyword::Entrypoint => entry = words(),
            Keyword::Cmd => cmd = words(),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(e) = entry.first() {
        out.push(e.clone());
        if !(e.ends_with(".sh") || e.contains("entrypoint")) {
            return out;
        }
    }
    if let Some(c) = cmd.first().filter(|c| !c.starts_with('-')) {
        out.push(c.clone());
    }
    out
}

/// True when a context COPY puts a file named `name` into a directory on the default PATH.
pub fn copied_to_path(doc: &Dockerfile, stage: &Stage, name: &str) -> bool {
    const PATH: &[&str] = &[
        "/usr/local/sbin",
        "/usr/local/bin",
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
    ];
    let wds = util::workdirs(doc, stage);
    stage_instructions(doc, stage).iter().any(|(i, ins)| {
        let Some((sources, dest)) = copy_parts(ins) else {
            return false;
        };
        let wd = wds
            .iter()
            .find(|(j, _)| j == i)
            .map_or("/", |(_, w)| w.as_str());
        let dest = resolve(wd, &dest);
        if PATH.contains(&dest.as_str()) {
            return sources.iter().any(|s| {
                let b = shell::basename(s.trim_end_matches('/'));
                b == name || (b.contains('*') && glob_matches(b, name))
            });
        }
        sources.len() == 1
            && dest.rsplit_once('/').is_some_and(|(dir, file)| {
                file == name && PATH.contains(&if dir.is_empty() { "/" } else { dir })
            })
    })
}

/// `*` globs only (`docker-php-ext-*`).
fn glob_matches(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = name;
    for (k, part) in parts.iter().enumerate() {
        if k == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if k == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            let Some(at) = rest.find(part) else {
                return false;
            };
            rest = &rest[at + part.len()..];
        }
    }
    rest.is_empty()
}

fn copied_from_context(doc: &Dockerfile, stage: &Stage, path: &str) -> bool {
    let wds = util::workdirs(doc, stage);
    stage_instructions(doc, stage).iter().any(|(i, ins)| {
        let Some((sources, dest)) = copy_parts(ins) else {
            return false;
        };
        let wd = wds
            .iter()
            .find(|(j, _)| j == i)
            .map_or("/", |(_, w)| w.as_str());
        let dest = resolve(wd, &dest);
        dest == path
            || sources
                .iter()
                .any(|s| resolve(&dest, shell::basename(s)) == path)
    })
}

/// The instruction with the comment lines directly above it, without the final newline.
fn source(text: &str, ins: &Instruction) -> String {
    let span = util::line_span(text, ins.span, true);
    let end = ins.span.end.max(span.start);
    util::slice(text, crate::span::Span::new(span.start, end)).to_string()
}

fn header(title: &str) -> String {
    let rule = "# =============================================================================";
    format!("{rule}\n# {title}\n{rule}\n")
}

/// Where the builder writes the list the runtime installs from.
const LIST: &str = "/runtime-packages.txt";

fn list_step(family: Family, copied: &[&str]) -> String {
    let dirs = copied.join(" ");
    let skip: String = copied
        .iter()
        .map(|d| format!("index(so, \"{d}/\") == 1"))
        .collect::<Vec<_>>()
        .join(" || ");
    match family {
        Family::Debian => format!(
            "# The Debian packages of the shared libraries the programs in {dirs} link\n\
             RUN find {dirs} -type f -executable -exec ldd '{{}}' ';' \\\n    \
             | awk '/=> \\// {{ so = $(NF-1); if ({skip}) {{ next }}; gsub(\"^/(usr/)?\", \"\", so); printf \"*%s\\n\", so }}' \\\n    \
             | sort -u \\\n    \
             | xargs -r dpkg-query --search \\\n    \
             | cut -d: -f1 \\\n    \
             | sort -u > {LIST}"
        ),
        Family::Alpine => format!(
            "# The shared libraries the programs in {dirs} link and the builder has (outside {PREFIX})\n\
             RUN apk add --no-cache pax-utils \\\n    \
             && scanelf --needed --nobanner --format '%n#p' --recursive {dirs} \\\n    \
             | tr ',' '\\n' \\\n    \
             | sort -u \\\n    \
             | awk 'system(\"[ -e {PREFIX}/lib/\" $1 \" ]\") == 0 {{ next }} system(\"[ -e /lib/\" $1 \" ] || [ -e /usr/lib/\" $1 \" ]\") == 0 {{ print \"so:\" $1 }}' > {LIST}"
        ),
    }
}

fn install_step(family: Family) -> String {
    match family {
        Family::Debian => format!(
            "RUN --mount=type=bind,from=builder,source={LIST},target=/tmp/runtime-packages.txt \\\n    \
             apt-get update \\\n    \
             && xargs -r -a /tmp/runtime-packages.txt apt-get install -y --no-install-recommends \\\n    \
             && rm -rf /var/lib/apt/lists/* \\\n    \
             && ldconfig"
        ),
        Family::Alpine => format!(
            "RUN --mount=type=bind,from=builder,source={LIST},target=/tmp/runtime-packages.txt \\\n    \
             xargs -r apk add --no-cache < /tmp/runtime-packages.txt"
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn render(
    cx: &Context,
    instrs: &[(usize, &Instruction)],
    places: &[Place],
    users: &[Option<String>],
    last: usize,
    base: &str,
    family: Family,
    copied: &[&str],
    vars: &[(String, String)],
) -> Plan {
    let mut builder = vec![format!("FROM {base} AS builder")];
    for (pos, (_, ins)) in instrs.iter().enumerate().take(last + 1) {
        if places[pos] != Place::Runtime {
            builder.push(source(cx.text, ins));
        }
    }
    builder.push(String::new());
    builder.push(list_step(family, copied));
    let mut runtime = vec![format!("FROM {base} AS production")];
    let mut kept_build_packages: Vec<String> = Vec::new();
    for (pos, (_, ins)) in instrs.iter().enumerate() {
        if let Some(user) = &users[pos] {
            runtime.push(format!(
                "# The users and groups the build step creates\n{user}"
            ));
        }
        if pos == last {
            let mut copy =
                "# The build's result, and the packages of the libraries it links".to_string();
            for dir in copied {
                copy.push_str(&format!("\nCOPY --from=builder {dir} {dir}"));
            }
            runtime.push(copy);
            runtime.push(install_step(family));
            continue;
        }
        match places[pos] {
            Place::Build | Place::InPrefix => {}
            Place::Both | Place::Runtime => {
                if ins.keyword == Keyword::Run {
                    for c in shell::commands(&arg_text(ins)) {
                        for p in os_packages(&c) {
                            let p = if p.starts_with('$') {
                                expand(&p, vars)
                            } else {
                                p
                            };
                            for word in p.split_whitespace() {
                                if is_build_package(word)
                                    && !kept_build_packages.iter().any(|k| k == word)
                                {
                                    kept_build_packages.push(word.to_string());
                                }
                            }
                        }
                    }
                }
                runtime.push(source(cx.text, ins));
            }
        }
    }
    let mut notes = vec![
        "When the original build RUN already removes its build dependencies in the same layer, \
         the estimated saving is small; the split still keeps every build file out of the runtime's layers."
            .to_string(),
    ];
    if !kept_build_packages.is_empty() {
        notes.push(format!(
            "RUNs that only install packages are kept as they are, so the runtime still has {} as the original \
             image did (for compiling extensions in derived images); drop them from the runtime if nothing is \
             compiled there.",
            kept_build_packages
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if family == Family::Debian {
        notes.push(format!(
            "`ldconfig` runs after the copy: the builder's `/etc/ld.so.cache`, which lists the libraries in `{PREFIX}/lib`, is not copied."
        ));
    }
    let mut text = header("Stage 1: Builder (the original stage)");
    text.push_str(&builder.join("\n"));
    text.push_str("\n\n");
    text.push_str(&header("Stage 2: Production"));
    text.push_str(&runtime.join("\n"));
    text.push('\n');
    Plan { text, notes }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Option<String> {
        crate::refactor::apply_one(
            text,
            "split-prefix",
            &crate::refactor::RefactorOptions::default(),
        )
    }

    #[test]
    fn expands_env_values() {
        let vars = vec![("PHP_INI_DIR".to_string(), "/usr/local/etc/php".to_string())];
        assert_eq!(
            expand("\"$PHP_INI_DIR/conf.d\"", &vars),
            "\"/usr/local/etc/php/conf.d\""
        );
        assert_eq!(expand("${PHP_INI_DIR}/x", &vars), "/usr/local/etc/php/x");
        assert_eq!(expand("$OTHER/x", &vars), "$OTHER/x");
        assert_eq!(expand("${PHP_INI_DIR%/php}", &vars), "/usr/local/etc");
    }

    #[test]
    fn globs() {
        assert!(glob_matches("docker-php-ext-*", "docker-php-ext-enable"));
        assert!(!glob_matches("docker-php-ext-*", "docker-php-entrypoint"));
    }

    const BUILD: &str = "FROM debian:bookworm-slim\n\
        RUN groupadd -r app && useradd -r -g app app\n\
        ENV V 1.0\n\
        RUN set -eux; savedAptMark=\"$(apt-mark showmanual)\"; apt-get update; \\\n\
        \tapt-get install -y --no-install-recommends gcc make libc6-dev wget; \\\n\
        \twget -O /usr/src/t.tar.gz https://example.org/t.tar.gz; \\\n\
        \ttar -xzf /usr/src/t.tar.gz -C /usr/src; make -C /usr/src/t; make -C /usr/src/t install; \\\n\
        \trm -rf /usr/src/t; apt-mark auto '.*' > /dev/null; apt-get purge -y --auto-remove; \\\n\
        \ttool --version\n\
        RUN mkdir /data && chown app:app /data\n\
        COPY entrypoint.sh /usr/local/bin/\n\
        ENTRYPOINT [\"entrypoint.sh\"]\n\
        CMD [\"tool\"]\n";

    #[test]
    fn splits_a_make_install_into_usr_local() {
        let out = split(BUILD).expect("split");
        assert!(out.contains("FROM debian:bookworm-slim AS builder"));
        assert!(out.contains("FROM debian:bookworm-slim AS production"));
        assert!(out.contains("COPY --from=builder /usr/local /usr/local"));
        let runtime = out.split("AS production").nth(1).unwrap();
        assert!(runtime.contains("groupadd -r app"));
        assert!(runtime.contains("mkdir /data"));
        assert!(!runtime.contains("make -C"));
        assert!(runtime.contains("dpkg-query") || out.contains("dpkg-query --search"));
        assert_eq!(split(&out), None, "idempotent");
    }

    #[test]
    fn declines_what_it_cannot_do_safely() {
        // Another prefix.
        assert_eq!(
            split(&BUILD.replace("install; \\", "install PREFIX=/opt/t; \\")),
            None
        );
        // A build step that writes outside the prefix.
        assert_eq!(
            split(&BUILD.replace("rm -rf /usr/src/t;", "cp /usr/src/t/t.conf /etc/t.conf;")),
            None
        );
        // The command is an OS package.
        assert_eq!(split(&BUILD.replace("wget; \\", "wget tool; \\")), None);
        // A program the build does not show.
        assert_eq!(
            split(&BUILD.replace("CMD [\"tool\"]", "CMD [\"other\"]")),
            None
        );
        // Windows and unknown families.
        assert_eq!(
            split(&BUILD.replace("debian:bookworm-slim", "centos:7")),
            None
        );
        // A package installed by the build and kept.
        assert_eq!(
            split(&BUILD.replace("apt-get purge -y --auto-remove;", "")),
            None
        );
        // A user created in the middle of a build step (not replayable as a head).
        assert_eq!(
            split(&BUILD.replace("rm -rf /usr/src/t;", "rm -rf /usr/src/t; useradd tool;")),
            None
        );
    }

    /// PHP's FPM recipe: nothing runs `php-fpm` after the install, `--enable-fpm` shows it is built.
    const FPM: &str = "FROM debian:bookworm-slim\n\
        RUN set -eux; apt-get update; apt-get install -y --no-install-recommends gcc make libc6-dev; \\\n\
        \tcd /usr/src/php; ./configure --disable-cgi --enable-fpm; make; make install; \\\n\
        \tapt-get purge -y --auto-remove; php --version\n\
        CMD [\"php-fpm\"]\n";

    #[test]
    fn a_configure_flag_shows_the_program_is_built() {
        let out = split(FPM).expect("split");
        assert!(out.contains("COPY --from=builder /usr/local /usr/local"));
        assert_eq!(split(&out), None, "idempotent");
        // Without the flag, nothing shows that php-fpm is in the prefix.
        assert_eq!(split(&FPM.replace(" --enable-fpm", "")), None);
        // The flag on another program than configure is no evidence.
        assert_eq!(
            split(&FPM.replace(" --enable-fpm;", "; echo --enable-fpm;")),
            None
        );
        // The Apache module is installed into Apache's directories, outside the prefix.
        assert_eq!(
            split(&FPM.replace("--enable-fpm", "--enable-fpm --with-apxs2")),
            None
        );
    }

    /// node's Alpine recipe: the build RUN starts by creating the `node` user.
    const USERS: &str = "FROM alpine:3.23\n\
        RUN addgroup -g 1000 node \\\n\
        \t&& adduser -u 1000 -G node -s /bin/sh -D node \\\n\
        \t&& apk add --no-cache --virtual .build-deps gcc make \\\n\
        \t&& cd /usr/src/node && ./configure && make && make install \\\n\
        \t&& apk del .build-deps \\\n\
        \t&& node --version\n\
        RUN apk add --no-cache --virtual .yarn-deps tar \\\n\
        \t&& mkdir -p /opt && tar -xzf /tmp/yarn.tar.gz -C /opt/ \\\n\
        \t&& ln -s /opt/yarn/bin/yarn /usr/local/bin/yarn \\\n\
        \t&& apk del .yarn-deps\n\
        CMD [\"node\"]\n";

    #[test]
    fn replays_the_users_a_build_step_creates_and_copies_opt() {
        let out = split(USERS).expect("split");
        let runtime = out.split("AS production").nth(1).unwrap();
        let user = runtime
            .find(
                "RUN addgroup -g 1000 node \\\n    && adduser -u 1000 -G node -s /bin/sh -D node\n",
            )
            .expect("user RUN");
        let copy = runtime
            .find("COPY --from=builder /usr/local /usr/local\nCOPY --from=builder /opt /opt\n")
            .expect("copies");
        assert!(user < copy);
        assert!(!runtime.contains("make install"));
        assert!(out.contains("--recursive /usr/local /opt"));
        assert_eq!(split(&out), None, "idempotent");
        // A word the reader unquoted cannot be written back exactly.
        assert_eq!(split(&USERS.replace("-D node", "-D \"$USER\"")), None);
        // Not at the head of the RUN: the user would be lost.
        assert_eq!(
            split(&USERS.replace("&& node --version", "&& adduser -D other && node --version")),
            None
        );
    }

    #[test]
    fn rebuilds_leading_user_commands() {
        let cmds = shell::commands("groupadd -r 'a b' && useradd -r x && make install");
        assert_eq!(
            leading_user_commands(&cmds),
            Some((
                2,
                "RUN groupadd -r 'a b' \\\n    && useradd -r x".to_string()
            ))
        );
        assert_eq!(
            leading_user_commands(&shell::commands("useradd x; make")),
            None
        );
        assert_eq!(leading_user_commands(&shell::commands("useradd x")), None);
    }
}
