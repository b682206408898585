//! What kind of step a RUN is: a build step, a package-only step, user setup to replay; what it
//! installs, removes or keeps.

use super::paths::{env_values, expand, in_prefix, paths, Vars};
use super::{PREFIX, SYSTEM_TOOLS};
use crate::model::Stage;
use crate::refactor::project::{is_build_package, os_packages};
use crate::refactor::shell::{self, Command};
use crate::refactor::util::{arg_text, stage_instructions};
use crate::syntax::{Dockerfile, Instruction, Keyword};

/// Programs that create or change users and groups.
pub(super) const USER_TOOLS: &[&str] = &[
    "addgroup", "adduser", "groupadd", "useradd", "usermod", "groupmod",
];

/// The user and group commands at the head of a build RUN (chained by `&&`), rebuilt as a RUN
/// the runtime replays: their count and the text. `None` when there are none, or when a word
/// cannot be written back exactly (a `$` or quote the reader removed).
pub(super) fn leading_user_commands(cmds: &[Command]) -> Option<(usize, String)> {
    let n = cmds
        .iter()
        .take_while(|c| USER_TOOLS.contains(&c.program()) && c.followed_by == Some("&&"))
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
                words.push(w.text.clone());
            } else {
                words.push(format!("'{w}'"));
            }
        }
        lines.push(words.join(" "));
    }
    Some((n, format!("RUN {}", lines.join(" \\\n    && "))))
}

/// Programs a `configure` flag builds and `make install` puts on the default PATH under the
/// prefix (PHP's FPM SAPI: `--enable-fpm` installs `sbin/php-fpm`). Evidence that the command's
/// program is in the copied prefix when nothing runs it after the install.
const BUILT_BY_FLAG: &[(&str, &str)] = &[("--enable-fpm", "php-fpm")];

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
                flagged |= c.program_args().iter().any(|a| {
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
pub(super) fn build_packages_only(ins: &Instruction) -> bool {
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
pub(super) enum RunKind {
    /// System tools only, nothing named under the prefix.
    Setup,
    /// System tools only, but it names the prefix (`mkdir -p "$PHP_INI_DIR/conf.d"`).
    PrefixSetup,
    Build,
}

pub(super) fn run_kind(ins: &Instruction, vars: &Vars) -> RunKind {
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
    let args = cmd.program_args();
    match cmd.program() {
        "make" | "gmake" | "ninja" => args.iter().any(|a| a == "install"),
        "cmake" => args.iter().any(|a| a == "--install"),
        "meson" | "pecl" => cmd.subcommand() == Some("install"),
        // The official PHP image's extension installers write into `/usr/local/lib/php` and
        // `/usr/local/etc/php/conf.d`.
        "docker-php-ext-install" | "docker-php-ext-enable" => true,
        // A built file moved or copied into the prefix (`mv $GOPATH/bin/tool /usr/local/bin/tool`).
        "mv" | "cp" => cmd
            .program_operands()
            .last()
            .is_some_and(|d| in_prefix(d) && args.len() >= 2),
        _ => false,
    }
}

/// A prefix other than `/usr/local`, or a `DESTDIR` staging directory.
pub(super) fn other_prefix(cmd: &Command, vars: &Vars) -> bool {
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
pub(super) fn packages_removed(cmds: &[Command]) -> Option<Vec<String>> {
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
                        && d.program_args().iter().any(|a| a == name)
                });
                if deleted || pkgs.iter().all(|p| computed(p)) {
                    return true;
                }
                return match kept_group(name, &pkgs) {
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
