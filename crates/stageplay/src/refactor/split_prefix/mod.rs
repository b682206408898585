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
//! install into `/opt` (empty in the bases): the runtime then copies `/opt` too. More that the
//! runtime copies or replays:
//! - PHP's Apache module (`configure --with-apxs2` on Debian, with the `apache2` package installed
//!   by a step both stages run): Apache's module and configuration directories;
//! - a compiler's named output or a `mv`/`cp` destination directly in a system program directory
//!   or a new top-level folder (`gcc … -o /usr/bin/nnp-test`, `mv dist /webui`);
//! - files downloaded into `/usr/src` that nothing removes (PHP's source archive, which
//!   `docker-php-source` extracts in derived images);
//! - run-time package groups a build step keeps (`apk add --virtual .postgresql-rundeps $runDeps
//!   bash tzdata`), without the computed `$runDeps` that the runtime's own library list brings;
//! - steps after the last one that writes the prefix that compile nothing (nextcloud fetching
//!   its application into `/usr/src`): they run in the runtime, after the copy.
//!
//! A RUN that only installs compilers and headers, and context files copied into `/usr/src`
//! before the build, stay in the builder. PHP extension builds on the official `php` and
//! `nextcloud` images (`docker-php-ext-install`, `pecl install`) install into the prefix; those
//! images' own programs (`apache2-foreground`, `php-fpm`, `/entrypoint.sh`…) are there in both
//! stages, and a stage without a command of its own runs its base's.
//!
//! Declined when it cannot be done safely: more than one stage, ONBUILD, SHELL (Windows
//! images), an OS family other than Debian/Ubuntu or Alpine (the package names cannot be
//! found), another install prefix (`--prefix=`, `PREFIX=`, `DESTDIR=`, `CMAKE_INSTALL_PREFIX=`),
//! nothing installed (`make install`, `ninja install`, `cmake --install`, PHP's extension
//! installers, a file moved into the prefix, a named output), a build step that names a path
//! outside `/usr/local` other than scratch and read-only ones (`/tmp`, `/usr/src`,
//! `/usr/include`, the package caches, a directory the same RUN removes…), an output that may
//! not exist (`|| true` in its RUN), a build step that installs an OS package other than
//! compilers and headers without removing it in the same RUN, a non-root USER before the last
//! build step, user or group commands elsewhere in a build step, `configure --with-apxs*`
//! without a replayed Debian `apache2`, or a command whose program is not known to be in the
//! runtime — in `/usr/local` (run after the install, built by a known `configure` flag such as
//! `--enable-fpm` → `php-fpm`, or copied from the context), a named output, a program of the
//! official base image, a package a replayed step installs (`supervisor` → `supervisord`), or
//! the base's shell.
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
    "nextcloud",
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
    // A user's own Debian or Ubuntu image (`someone/ubuntu:14.04`) is still Debian.
    let last = repo.rsplit('/').next().unwrap_or(&repo);
    (DEBIAN_IMAGES.contains(&repo.as_str()) || matches!(last, "debian" | "ubuntu"))
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
    "for",
    "done",
    "fi",
    ".",
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
    /// prefix brings it), or of sources into `/usr/src`.
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
    // The image as written goes into both FROMs (a global ARG in it still applies); the family
    // comes from the image after ARG expansion.
    let base = util::from_parts(from).0;
    if resolved_base(stage).contains('$') {
        return None;
    }
    let family = family(&resolved_base(stage))?;
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

/// The stage's base image after ARG expansion (as written when it is not an image).
pub(crate) fn resolved_base(stage: &Stage) -> String {
    match &stage.base {
        crate::model::Base::Image(image) => image.clone(),
        _ => stage.base_text.clone(),
    }
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
    // Programs that only read or set variables: their words name nothing the step writes,
    // except where their output is redirected.
    let read_only = READ_ONLY.contains(&cmd.program());
    let mut after_redirect = false;
    for w in &cmd.words {
        let w = expand(w, vars);
        let target = std::mem::take(&mut after_redirect);
        // `> /etc/x`, `>> /etc/x`, `2> /x`: the next word is written; `>/etc/x` is one word.
        let op = w.trim_start_matches(|c: char| c.is_ascii_digit());
        if matches!(op, ">" | ">>" | ">|") {
            after_redirect = true;
            continue;
        }
        let (w, redirected) = match op.strip_prefix(">>").or_else(|| op.strip_prefix('>')) {
            Some(rest) if !rest.is_empty() => (rest.to_string(), true),
            _ => (w.clone(), target),
        };
        if read_only && !redirected {
            continue;
        }
        // `--with-x=/usr` and `--with-x-dir=/usr` name where to read from; `--xxxdir=/etc`
        // where to write.
        let value = match w.split_once('=') {
            Some((k, v))
                if !k.starts_with('-') || (k.ends_with("dir") && !k.starts_with("--with")) =>
            {
                Some(v)
            }
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

/// Programs whose words name nothing they write: patterns and files they read, variables they
/// set (`grep '/var/run/postgresql' file`, `export LLVM_CONFIG=/usr/lib/llvm19/bin/llvm-config`).
const READ_ONLY: &[&str] = &[
    "grep",
    "egrep",
    "fgrep",
    "export",
    "test",
    "[",
    "ldd",
    "scanelf",
    "sha256sum",
    "sha512sum",
];

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

/// A RUN that only installs compilers and headers (`apt-get update && apt-get install -y gcc
/// libc6-dev`): the builder's, not the runtime's.
fn build_packages_only(ins: &Instruction) -> bool {
    let cmds = shell::commands(&arg_text(ins));
    let pkgs: Vec<String> = cmds.iter().flat_map(os_packages).collect();
    !pkgs.is_empty()
        && pkgs.iter().all(|p| is_build_package(p))
        && cmds
            .iter()
            .all(|c| matches!(c.program(), "apt-get" | "apt" | "apk" | "rm" | "set" | ""))
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
        "meson" | "pecl" => cmd.subcommand() == Some("install"),
        // The official PHP image's extension installers write into `/usr/local/lib/php` and
        // `/usr/local/etc/php/conf.d`.
        "docker-php-ext-install" | "docker-php-ext-enable" => true,
        // A built file moved or copied into the prefix (`mv $GOPATH/bin/tool /usr/local/bin/tool`).
        "mv" | "cp" => args
            .last()
            .is_some_and(|d| !d.starts_with('-') && in_prefix(d) && args.len() >= 2),
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

/// `Some(kept)` when every OS package a build step installs is removed again in the same RUN, is
/// a compiler/header (the original image dropped them; the runtime's package list brings the
/// libraries back), or belongs to a named run-time group the step keeps (`apk add --virtual
/// .postgresql-rundeps $runDeps bash tzdata`): `kept` holds those groups rebuilt as commands the
/// runtime replays (computed `$runDeps` words left out: the runtime's own library list brings
/// them). `None` when a package would be lost.
fn packages_removed(cmds: &[Command]) -> Option<Vec<String>> {
    let mut kept = Vec::new();
    let removes = cmds.iter().any(|c| {
        matches!(
            (c.program(), c.subcommand()),
            ("apt-get" | "apt", Some("purge" | "remove" | "autoremove")) | ("apk", Some("del"))
        )
    });
    let all = cmds.iter().all(|c| {
        let pkgs = os_packages(c);
        if pkgs.is_empty() {
            return true;
        }
        if c.program() == "apk" {
            // `apk add --virtual NAME …` removed by `apk del NAME`.
            // A kept group of computed names (`.rundeps $runDeps`, from scanelf) is what the
            // runtime's own library list reproduces; named packages in it are replayed.
            if let Some(name) = c.flag_value(&["--virtual", "-t"]) {
                let deleted = cmds.iter().any(|d| {
                    d.program() == "apk"
                        && d.subcommand() == Some("del")
                        && d.args().contains(&name)
                });
                if deleted || pkgs.iter().all(|p| computed(p)) {
                    return true;
                }
                return match kept_group(&name, &pkgs) {
                    Some(text) => {
                        kept.push(text);
                        true
                    }
                    None => false,
                };
            }
        }
        removes
            || pkgs
                .iter()
                .all(|p| is_build_package(p) || p.starts_with('$'))
    });
    all.then_some(kept)
}

/// A `$NAME` or `${NAME}` word: a list computed in the RUN.
fn computed(word: &str) -> bool {
    let name = word
        .strip_prefix("${")
        .and_then(|w| w.strip_suffix('}'))
        .or_else(|| word.strip_prefix('$'));
    name.is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// `apk add --no-cache --virtual NAME PKGS` for a kept run-time group, without its computed
/// words; `None` when a word cannot be written back (a quote or `$` outside a `$(…)`).
fn kept_group(name: &str, pkgs: &[String]) -> Option<String> {
    let mut words = vec![
        "apk".to_string(),
        "add".into(),
        "--no-cache".into(),
        "--virtual".into(),
        name.to_string(),
    ];
    for p in pkgs {
        if computed(p) {
            continue;
        }
        let substitution = p.starts_with("$(") && p.ends_with(')');
        if !substitution
            && !p
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.+:=~".contains(c))
        {
            return None;
        }
        words.push(p.clone());
    }
    (words.len() > 5 && !name.contains(['$', '\'', '"'])).then(|| words.join(" "))
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
                    // Installing only compilers and headers is part of the build.
                    RunKind::Setup if build_packages_only(ins) => Place::Build,
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
    // Steps after the last one that writes the prefix and only fetch (fetching the application,
    // as nextcloud's image does into `/usr/src`) are replayed in the runtime after the copy
    // instead of being left in the builder.
    // Any other step there would leave its work in the builder, where the runtime cannot see it.
    let touches = |ins: &Instruction| {
        arg_text(ins).contains(PREFIX)
            || shell::commands(&arg_text(ins)).iter().any(|c| {
                installs(c)
                    || paths(c, &vars)
                        .iter()
                        .any(|p| in_prefix(p) || artifact(c, p, &vars))
            })
    };
    if let Some(last_prefix) = (0..places.len())
        .rev()
        .find(|&pos| places[pos] == Place::Build && touches(instrs[pos].1))
    {
        for pos in last_prefix + 1..places.len() {
            if places[pos] == Place::Build {
                if !only_fetches(instrs[pos].1) {
                    return Err("r14".into());
                }
                places[pos] = Place::Both;
            }
        }
    }
    let last = places
        .iter()
        .rposition(|p| *p == Place::Build)
        .ok_or("no build")?;
    // Context copies into the prefix before the last build step come with the prefix.
    let wds = util::workdirs(cx.doc, stage);
    let wd_at = |i: usize| {
        wds.iter()
            .find(|(j, _)| *j == i)
            .map_or("/".to_string(), |(_, w)| w.clone())
    };
    for (pos, (i, ins)) in instrs.iter().enumerate() {
        if pos < last && matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
            // Sources copied into `/usr/src` before the build are the build's input too.
            let builder_only =
                |d: &str| in_prefix(d) || d == "/usr/src" || d.starts_with("/usr/src/");
            if copy_parts(ins)
                .is_some_and(|(_, d)| builder_only(&resolve(&wd_at(*i), &expand(&d, &vars))))
            {
                places[pos] = Place::InPrefix;
            }
        }
    }
    // OS packages a step both stages run installs (`supervisor` for `supervisord`).
    let replayed_pkgs: Vec<String> = instrs
        .iter()
        .zip(&places)
        .filter(|((_, ins), p)| **p == Place::Both && ins.keyword == Keyword::Run)
        .flat_map(|((_, ins), _)| shell::commands(&arg_text(ins)))
        .flat_map(|c| os_packages(&c))
        .collect();
    // The build steps: installed into the prefix, nothing written elsewhere, packages removed.
    let mut installed = false;
    let mut kept_groups: Vec<String> = Vec::new();
    let mut apache = false;
    let mut downloads: Vec<String> = Vec::new();
    let mut left_behind: Vec<&'static str> = Vec::new();
    let mut invoked: Vec<String> = Vec::new();
    let mut users: Vec<Option<String>> = vec![None; instrs.len()];
    let mut opt = false;
    let mut artifacts: Vec<String> = Vec::new();
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
        match packages_removed(&cmds) {
            Some(kept) if !wrong_family => kept_groups.extend(kept),
            _ => return Err(format!("r6 {wrong_family}")),
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
                // PHP's Apache module: `make install` puts it into Apache's module directory and
                // enables it in Apache's configuration. Copied when Debian's apache2 package is
                // installed by a step both stages run.
                if family != Family::Debian || !replayed_pkgs.iter().any(|p| p == "apache2") {
                    return Err("r13".into());
                }
                apache = true;
            }
        }
        track_downloads(&cmds, &wd_at(*i), &vars, &mut downloads);
        for (k, c) in cmds.iter().enumerate().skip(lead) {
            if other_prefix(c, &vars) {
                return Err("r7".into());
            }
            for p in paths(c, &vars) {
                if in_prefix(&p)
                    || scratch(&p)
                    || removed_later(&cmds[k + 1..], &p, &vars)
                    || (c.program() == "rm" && named_before(&cmds[lead..k], &p, &vars))
                {
                    continue;
                }
                if p == OPT || p.starts_with(&format!("{OPT}/")) {
                    opt = true;
                    continue;
                }
                let conditional = cmds.iter().any(|c| c.op == Some("||"));
                if !conditional && artifact(c, &p, &vars) {
                    if !artifacts.contains(&p) {
                        artifacts.push(p);
                    }
                    installed = true;
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
    // No command of its own: the base image's command runs in both, as it did in the original
    // (the runtime starts FROM the same base).
    let programs = command_programs(cx.doc, stage);
    let packaged = |name: &str| {
        replayed_pkgs
            .iter()
            .any(|p| p == name || name.strip_suffix('d') == Some(p.as_str()))
    };
    for prog in &programs {
        let name = shell::basename(prog);
        let ok = if base_provides(&resolved_base(stage), prog)
            || ((in_system_bin(prog) || !prog.contains('/')) && packaged(name))
        {
            true
        } else if prog.contains('/') {
            let path = resolve(
                &util::workdirs(cx.doc, stage)
                    .last()
                    .map_or("/".to_string(), |w| w.1.clone()),
                prog,
            );
            in_prefix(&path)
                || artifacts.contains(&path)
                || copied_from_context(cx.doc, stage, &path)
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
    let mut copied: Vec<&str> = vec![PREFIX];
    if opt {
        copied.push(OPT);
    }
    if apache {
        copied.extend(APACHE);
    }
    copied.extend(artifacts.iter().map(String::as_str));
    let mut plan = render(
        cx, &instrs, &places, &users, last, base, family, &copied, &vars,
    );
    plan.extra(&kept_groups, &downloads, family);
    if apache {
        plan.notes.push(format!(
            "`configure --with-apxs2` installs PHP's Apache module into Apache's directories: the runtime also copies {}.",
            APACHE.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(" and ")
        ));
    }
    if !downloads.is_empty() {
        plan.notes.push(format!(
            "The build leaves {} under `/usr/src` (a source archive kept for building extensions in derived images, as `docker-php-source` does): the runtime copies it.",
            downloads.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    if !kept_groups.is_empty() {
        plan.notes.push(
            "Packages the build step installs for run time and keeps are installed again in the runtime (computed library lists come from the runtime's own list)."
                .to_string(),
        );
    }
    if !left_behind.is_empty() {
        plan.notes.push(format!(
            "The build also writes under {}, which the runtime does not get (documentation or debugger helpers, not needed to run).",
            left_behind.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(plan)
}

/// Programs that download, verify and unpack, besides the system tools.
const FETCH_TOOLS: &[&str] = &[
    "curl",
    "wget",
    "gpg",
    "gpgv",
    "gpgconf",
    "tar",
    "unzip",
    "bzip2",
    "gzip",
    "xz",
    "mktemp",
    "sha256sum",
    "sha512sum",
    "mv",
];

/// A RUN whose programs only fetch and set up (no compiler, no tool a builder-only package
/// brings): it runs the same in the runtime.
fn only_fetches(ins: &Instruction) -> bool {
    shell::commands(&arg_text(ins))
        .iter()
        .all(|c| SYSTEM_TOOLS.contains(&c.program()) || FETCH_TOOLS.contains(&c.program()))
}

/// Programs that compile: their `-o` output is a build artifact.
const COMPILERS: &[&str] = &[
    "configure",
    "make",
    "gmake",
    "cmake",
    "ninja",
    "meson",
    "gcc",
    "cc",
    "g++",
    "c++",
    "clang",
    "go",
    "cargo",
    "rustc",
    "mvn",
    "gradle",
    "dotnet",
    "javac",
    "phpize",
    "pecl",
    "docker-php-ext-install",
    "docker-php-ext-configure",
];

/// True when a later command of the same RUN removes `path` or a directory above it (a GOPATH
/// the step deletes at its end is scratch space).
fn removed_later(later: &[Command], path: &str, vars: &[(String, String)]) -> bool {
    later.iter().any(|c| {
        c.program() == "rm"
            && paths(c, vars)
                .iter()
                .any(|r| r != "/" && (path == r || path.starts_with(&format!("{r}/"))))
    })
}

/// True when `cmd` puts a built file or folder at `path` outside the prefix by name: the output
/// of a compiler (`gcc … -o /usr/bin/nnp-test`) or the destination of `mv`/`cp`/`install`
/// (`mv $GOPATH/bin/consul /usr/bin/consul`, `mv dist /webui`). Only a file directly in a
/// system program directory or a new top-level folder: the runtime copies exactly that path.
fn artifact(cmd: &Command, path: &str, vars: &[(String, String)]) -> bool {
    const FHS: &[&str] = &[
        "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "media", "mnt",
        "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var",
    ];
    let named = match cmd.program() {
        "mv" | "cp" | "install" => cmd
            .args()
            .last()
            .filter(|d| !d.starts_with('-') && !d.ends_with('/') && cmd.args().len() >= 2)
            .map(|d| expand(d, vars)),
        p if COMPILERS.contains(&p) => cmd.flag_value(&["-o"]).map(|d| expand(&d, vars)),
        _ => None,
    };
    if named.as_deref().map(|d| d.trim_end_matches('/')) != Some(path) {
        return false;
    }
    let top = path
        .strip_prefix('/')
        .is_some_and(|n| !n.is_empty() && !n.contains('/') && !FHS.contains(&n));
    in_system_bin(path) || top
}

/// A file directly in a system program directory (`/usr/bin/consul`).
fn in_system_bin(path: &str) -> bool {
    ["/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/"]
        .iter()
        .any(|d| {
            path.strip_prefix(d)
                .is_some_and(|n| !n.is_empty() && !n.contains('/'))
        })
}

/// True when an earlier command of the RUN names `path` or something under it (an `rm` of what
/// the step itself made).
fn named_before(earlier: &[Command], path: &str, vars: &[(String, String)]) -> bool {
    earlier.iter().any(|c| {
        paths(c, vars)
            .iter()
            .any(|p| p == path || p.starts_with(&format!("{path}/")))
    })
}

/// Files a build step downloads into `/usr/src` (`cd /usr/src; curl -o php.tar.xz …`) and no
/// later command removes: PHP's image keeps its source archive there for `docker-php-source`.
fn track_downloads(cmds: &[Command], wd: &str, vars: &[(String, String)], out: &mut Vec<String>) {
    let mut cwd = wd.to_string();
    for c in cmds {
        let arg = |v: &str| resolve(&cwd, &expand(v, vars));
        match c.program() {
            "cd" => match c.args().first() {
                Some(d) if !expand(d, vars).contains(['$', '`']) => cwd = arg(d),
                // An unknown directory: nothing after it is tracked.
                _ => cwd = String::new(),
            },
            "curl" | "wget" if !cwd.is_empty() => {
                let names: &[&str] = if c.program() == "curl" {
                    &["-o", "--output"]
                } else {
                    &["-O", "--output-document"]
                };
                if let Some(file) = c.flag_value(names) {
                    let file = arg(&file);
                    if file.starts_with("/usr/src/")
                        && !file.contains(['$', '`'])
                        && !out.contains(&file)
                    {
                        out.push(file);
                    }
                }
            }
            "rm" => {
                for a in c.args().iter().filter(|a| !a.starts_with('-')) {
                    if cwd.is_empty() && !a.starts_with('/') {
                        continue;
                    }
                    let r = arg(a);
                    let r = r.trim_end_matches('/');
                    out.retain(|d| !(d == r || d.starts_with(&format!("{r}/"))));
                }
            }
            _ => {}
        }
    }
}

/// Official images that keep their runtime under `/usr/local` and the programs they provide:
/// the runtime starts `FROM` the same image, so these are there (and a stage without a command
/// of its own runs the image's).
const BASE_PROGRAMS: &[(&str, &[&str])] = &[
    ("php", PHP_PROGRAMS),
    ("nextcloud", NEXTCLOUD_PROGRAMS),
    ("python", &["python", "python3", "pip", "pip3"]),
    (
        "node",
        &[
            "node",
            "npm",
            "npx",
            "corepack",
            "yarn",
            "docker-entrypoint.sh",
        ],
    ),
    ("ruby", &["ruby", "gem", "bundle", "bundler", "irb"]),
];

const PHP_PROGRAMS: &[&str] = &[
    "php",
    "php-fpm",
    "apache2-foreground",
    "docker-php-entrypoint",
    "docker-php-ext-install",
    "docker-php-ext-enable",
    "docker-php-ext-configure",
    "docker-php-source",
    "pecl",
    "pear",
    "phpize",
];

const NEXTCLOUD_PROGRAMS: &[&str] = &[
    "php",
    "php-fpm",
    "apache2-foreground",
    "docker-php-entrypoint",
    "/entrypoint.sh",
    "/cron.sh",
];

/// True when `base` is one of [`BASE_PROGRAMS`] and provides `prog` (a name, or for the
/// image's own scripts the absolute path).
pub(crate) fn base_provides(base: &str, prog: &str) -> bool {
    let repo = image_repo_tag(base).0;
    BASE_PROGRAMS.iter().any(|(image, progs)| {
        *image == repo
            && progs.iter().any(|p| {
                if p.starts_with('/') {
                    *p == prog
                } else {
                    !prog.contains('/') && *p == prog
                }
            })
    })
}

/// Apache's module and configuration directories on Debian, where `apxs` installs and enables
/// PHP's module.
const APACHE: [&str; 2] = ["/usr/lib/apache2/modules", "/etc/apache2"];

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
            || sources.iter().any(|s| {
                let b = shell::basename(s.trim_end_matches('/'));
                resolve(&dest, b) == path
                    || (b.contains('*')
                        && path.rsplit_once('/').is_some_and(|(dir, file)| {
                            (if dir.is_empty() { "/" } else { dir })
                                == dest.trim_end_matches('/').max("/")
                                && glob_matches(b, file)
                        }))
            })
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

impl Plan {
    /// Adds, after the runtime's package install, the run-time package groups a build step kept
    /// and the files it left in `/usr/src`.
    fn extra(&mut self, kept_groups: &[String], downloads: &[String], family: Family) {
        let mut add = String::new();
        if !kept_groups.is_empty() {
            add.push_str("\n# The run-time packages the build step installs and keeps\nRUN ");
            add.push_str(&kept_groups.join(" \\\n    && "));
        }
        if !downloads.is_empty() {
            add.push_str("\n# Files the build leaves in /usr/src\nCOPY --from=builder ");
            add.push_str(&downloads.join(" "));
            add.push_str(" /usr/src/");
        }
        let step = install_step(family);
        if let Some(at) = self.text.find(&step) {
            self.text.insert_str(at + step.len(), &add);
        }
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
    fn redirect_targets_are_written_paths() {
        let p = |t: &str| paths(&shell::commands(t)[0], &[]);
        assert_eq!(p("grep x /etc/a > /etc/b"), ["/etc/b"]);
        assert_eq!(p("grep x /etc/a >>/etc/b"), ["/etc/b"]);
        assert!(p("grep '/var/run/postgresql' /usr/src/x.h").is_empty());
        assert_eq!(p("echo hi 2> /tmp/err"), ["/tmp/err"]);
        assert_eq!(p("cp /a/x /b/y"), ["/a/x", "/b/y"]);
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

    /// PHP's Apache recipe: Debian's apache2 installed by a setup step, the module built by
    /// `--with-apxs2`, the source archive kept in /usr/src for docker-php-source.
    const APACHE_PHP: &str = "FROM debian:trixie-slim\n\
        RUN set -eux; apt-get update; apt-get install -y --no-install-recommends apache2; \\\n\
        \tfor dir in /var/run/apache2 /var/lock/apache2; do rm -rvf \"$dir\"; mkdir -p \"$dir\"; done\n\
        RUN set -eux; mkdir -p /usr/src; cd /usr/src; curl -fsSL -o php.tar.xz \"$PHP_URL\"; \\\n\
        \tcurl -fsSL -o php.tar.xz.asc \"$PHP_ASC_URL\"; curl -fsSL -o junk.tgz \"$X\"; rm junk.tgz\n\
        COPY docker-php-source /usr/local/bin/\n\
        RUN set -eux; apt-get update; apt-get install -y --no-install-recommends apache2-dev gcc make; \\\n\
        \tdocker-php-source extract; cd /usr/src/php; ./configure --with-apxs2 --with-pdo-sqlite=/usr --with-openssl-dir=/usr; \\\n\
        \tmake; make install; docker-php-source delete; apt-get purge -y --auto-remove; php --version\n\
        COPY apache2-foreground /usr/local/bin/\n\
        CMD [\"apache2-foreground\"]\n";

    #[test]
    fn copies_the_apache_module_and_the_kept_source_archive() {
        let out = split(APACHE_PHP).expect("split");
        let runtime = out.split("AS production").nth(1).unwrap();
        for copy in [
            "COPY --from=builder /usr/lib/apache2/modules /usr/lib/apache2/modules",
            "COPY --from=builder /etc/apache2 /etc/apache2",
            "COPY --from=builder /usr/src/php.tar.xz /usr/src/php.tar.xz.asc /usr/src/",
        ] {
            assert!(runtime.contains(copy), "{copy}\n{runtime}");
        }
        assert!(
            !runtime.contains("junk.tgz"),
            "removed downloads are not copied"
        );
        assert!(runtime.contains("install -y --no-install-recommends apache2;"));
        assert!(!runtime.contains("make install"));
        assert_eq!(split(&out), None, "idempotent");
        // Without a replayed apache2 package the module has nowhere to go.
        assert_eq!(
            split(&APACHE_PHP.replace(
                "install -y --no-install-recommends apache2;",
                "install -y tzdata;"
            )),
            None
        );
    }

    /// PostgreSQL's Alpine recipe keeps a named run-time group with computed and literal names.
    const KEPT: &str = "FROM alpine:3.23\n\
        RUN set -eux; apk add --no-cache --virtual .build-deps gcc make; \\\n\
        \tcd /usr/src/pg; ./configure --with-system-tzdata=/usr/share/zoneinfo; make; make install; \\\n\
        \trunDeps=\"$(scanelf --needed --nobanner --recursive /usr/local | awk '{ print \"so:\" $1 }')\"; \\\n\
        \tapk add --no-cache --virtual .pg-rundeps $runDeps bash tzdata \
        $([ \"$(apk --print-arch)\" != 'ppc64le' ] && echo 'nss_wrapper'); \\\n\
        \tapk del --no-network .build-deps; grep '/var/run/postgresql' /usr/src/pg/x.h; postgres --version\n\
        CMD [\"postgres\"]\n";

    #[test]
    fn replays_the_run_time_packages_a_build_step_keeps() {
        let out = split(KEPT).expect("split");
        let runtime = out.split("AS production").nth(1).unwrap();
        assert!(
            runtime.contains(
                "RUN apk add --no-cache --virtual .pg-rundeps bash tzdata $([ \"$(apk --print-arch)\" != 'ppc64le' ] && echo 'nss_wrapper')"
            ),
            "{runtime}"
        );
        assert!(!runtime.contains("$runDeps"));
        assert_eq!(split(&out), None, "idempotent");
        // A kept package that cannot be written back exactly.
        assert_eq!(
            split(&KEPT.replace(" bash tzdata", " 'bash' \"tz data\"")),
            None
        );
    }

    /// nextcloud: PHP extensions built on the official image, the application fetched after.
    const EXTENSIONS: &str = "FROM php:8.4-apache-trixie\n\
        RUN set -ex; apt-get update; apt-get install -y --no-install-recommends supervisor rsync; apt-get dist-clean\n\
        RUN set -ex; savedAptMark=\"$(apt-mark showmanual)\"; apt-get update; \\\n\
        \tapt-get install -y --no-install-recommends libzip-dev; \\\n\
        \tdocker-php-ext-configure ftp --with-openssl-dir=/usr; docker-php-ext-install zip ftp; pecl install redis; \\\n\
        \tdocker-php-ext-enable redis; apt-mark auto '.*' > /dev/null; apt-get purge -y --auto-remove\n\
        RUN set -ex; apt-get update; apt-get install -y --no-install-recommends gnupg; \\\n\
        \tcurl -fsSL -o app.tar.bz2 \"$URL\"; tar -xjf app.tar.bz2 -C /usr/src/; rm app.tar.bz2; \\\n\
        \tapt-get purge -y --auto-remove gnupg\n\
        COPY *.sh /\n\
        ENTRYPOINT [\"/entrypoint.sh\"]\n\
        CMD [\"apache2-foreground\"]\n";

    #[test]
    fn extensions_on_the_official_php_image() {
        let out = split(EXTENSIONS).expect("split");
        let (builder, runtime) = out.split_once("AS production").unwrap();
        assert!(builder.contains("docker-php-ext-install zip ftp"));
        assert!(!runtime.contains("docker-php-ext-install"));
        // The fetch after the last build step runs in the runtime, after the copy.
        let copy = runtime
            .find("COPY --from=builder /usr/local /usr/local")
            .unwrap();
        let fetch = runtime
            .find("tar -xjf app.tar.bz2 -C /usr/src/")
            .expect("fetch replayed");
        assert!(copy < fetch);
        assert!(!builder.contains("tar -xjf"));
        assert_eq!(split(&out), None, "idempotent");
        // The image's own program, or one from a package a replayed step installs.
        assert!(split(&EXTENSIONS.replace("apache2-foreground", "php-fpm")).is_some());
        assert!(split(&EXTENSIONS.replace(
            "CMD [\"apache2-foreground\"]",
            "CMD [\"/usr/bin/supervisord\", \"-c\", \"/s.conf\"]"
        ))
        .is_some());
        // No command of its own: the image's command, in both stages.
        assert!(split(&EXTENSIONS.replace("CMD [\"apache2-foreground\"]\n", "")).is_some());
        // A program nothing shows.
        assert_eq!(
            split(&EXTENSIONS.replace("apache2-foreground", "unknownd")),
            None
        );
        // A step after the build that needs more than fetching cannot be replayed, and in the
        // builder its result would be lost.
        assert_eq!(
            split(&EXTENSIONS.replace("tar -xjf", "git lfs pull; tar -xjf")),
            None
        );
    }

    /// moby's contrib test images: a compiler's named output in /usr/bin.
    const OUTPUT: &str = "FROM debian:trixie-slim\n\
        RUN apt-get update && apt-get install -y gcc libc6-dev --no-install-recommends\n\
        COPY . /usr/src/\n\
        WORKDIR /usr/src/\n\
        RUN gcc -g -Wall -static nnp-test.c -o /usr/bin/nnp-test\n\
        RUN chmod +s /usr/bin/nnp-test\n";

    #[test]
    fn copies_a_compilers_named_output() {
        let out = split(OUTPUT).expect("split");
        let runtime = out.split("AS production").nth(1).unwrap();
        assert!(runtime.contains("COPY --from=builder /usr/bin/nnp-test /usr/bin/nnp-test"));
        // Compilers-only package RUNs and the sources stay in the builder.
        assert!(!runtime.contains("gcc"), "{runtime}");
        assert!(!runtime.contains("COPY . /usr/src/"));
        let copy = runtime.find("/usr/bin/nnp-test /usr/bin/nnp-test").unwrap();
        assert!(copy < runtime.find("chmod +s").unwrap());
        assert_eq!(split(&out), None, "idempotent");
        // An output that may not exist (`|| true`) cannot be copied by name.
        assert_eq!(
            split(&OUTPUT.replace("-o /usr/bin/nnp-test\n", "-o /usr/bin/nnp-test || true\n")),
            None
        );
        // Into a system directory as a whole, or a system folder: declined.
        assert_eq!(
            split(&OUTPUT.replace("-o /usr/bin/nnp-test\n", "-o /etc/nnp\n")),
            None
        );
    }

    /// A Go program fetched into a GOPATH the step removes, moved into the prefix.
    const GOPATH: &str = "FROM someone/ubuntu:14.04\n\
        ENV GOPATH /go\n\
        ENTRYPOINT [\"/usr/local/bin/tool\"]\n\
        RUN apt-get update && apt-get install -y git golang \\\n\
        \t&& go get -v example.org/tool && mv $GOPATH/bin/tool /usr/local/bin/tool \\\n\
        \t&& apt-get remove --purge -y git golang && rm -rf $GOPATH\n";

    #[test]
    fn a_gopath_the_step_removes_is_scratch() {
        let out = split(GOPATH).expect("split");
        assert!(out.contains("FROM someone/ubuntu:14.04 AS production"));
        assert_eq!(split(&out), None, "idempotent");
        // Kept, the GOPATH would be lost in the runtime.
        assert_eq!(split(&GOPATH.replace(" && rm -rf $GOPATH", "")), None);
    }
}
