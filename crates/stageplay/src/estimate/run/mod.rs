//! What RUN commands add to the layer: package managers, language installers, compilers, downloads,
//! user creation and removals. Each effect writes entries with a reason and a range; commands not
//! understood add nothing and are listed so the user sees what was not counted.

mod compiled;
mod files;
mod node;
mod python;
mod system_packages;
mod toolchains;
mod users;

use super::kb::ClosureMemo;
use super::shell::Command;
use super::size::{Size, KB};
use super::state::{Kind, State};
use super::EstimateOptions;
use crate::syntax::expand::Budget;
use crate::syntax::shell::{has_flag, operand_texts, operands, value_options};
use compiled::{cargo, dotnet, go, gradle, informational, maven};
pub use files::context_source;
use files::download;
use node::npm;
pub use python::SCRIPTS_MARK;
use python::{pip, poetry_environment, unknown_python, uv, venv, VenvMaker};
use system_packages::{apk, apt};
pub use system_packages::{is_build_tool_package, VERSION_STEP};
use users::user_add;

pub struct Ctx<'a> {
    pub stage: usize,
    pub line: u32,
    pub opts: &'a EstimateOptions,
    pub runtime_only: bool,
    pub no_package_manager: bool,
    pub reasons: Vec<String>,
    pub unknown: Vec<String>,
    /// Dependency closures already computed in this estimate run.
    pub closures: &'a ClosureMemo,
    /// The RUN's shell text, for what its commands leave in variables (a download URL set in a
    /// `case` branch).
    pub script: String,
    /// The run's `$VAR` expansion budget.
    pub budget: &'a Budget,
}

impl Ctx<'_> {
    fn add(&mut self, st: &mut State, path: &str, size: Size, what: String, kind: Kind) {
        st.add(path, size, self.stage, self.line, what, kind);
    }

    /// A directory a tool fills (package repository, build cache, target directory): `full`
    /// the first time; when an earlier layer of this stage already holds it, the tool run again
    /// adds only what it fetches or builds anew (`increment`, a typical range).
    fn fill(
        &mut self,
        st: &mut State,
        path: &str,
        (full, increment): (Size, Size),
        what: String,
        kind: Kind,
    ) {
        let more = format!("{what} (added to an earlier layer's)");
        if !st.extend(path, increment, self.stage, self.line, more, kind.clone()) {
            st.add(path, full, self.stage, self.line, what, kind);
        }
    }
}

/// The command-line option lookups of `syntax::shell` (getopt-style clusters, `--name=V`,
/// options end at `--`), owned values for the estimate's state.
fn flag_value(words: &[String], names: &[&str]) -> Option<String> {
    crate::syntax::shell::flag_value(words, names).map(str::to_string)
}

pub fn apply(cmd: &Command, all: &[Command], idx: usize, st: &mut State, cx: &mut Ctx) {
    let Some(first) = cmd.words.first() else {
        for w in &cmd.writes {
            let p = st.abs(w);
            cx.add(
                st,
                &p,
                Size::new(KB, 0, 100 * KB),
                format!("{p} (written by a redirection)"),
                Kind::Other,
            );
        }
        return;
    };
    let prog = first.rsplit('/').next().unwrap_or(first).to_string();
    let args: Vec<String> = cmd.words.iter().skip(1).cloned().collect();
    // `tool --version`, `tool -h`: only flags, one of them asking for information.
    if informational(&args) && cmd.writes.is_empty() {
        return;
    }
    match prog.as_str() {
        "apt-get" | "apt" | "aptitude" => apt(&args, st, cx),
        "apk" => apk(&args, st, cx),
        "pip" | "pip3" => pip(&args, st, cx, false),
        "python" | "python3" if args.first().is_some_and(|a| a == "-m") => {
            let module = args.get(1).map(String::as_str).unwrap_or("");
            let rest: Vec<String> = args.iter().skip(2).cloned().collect();
            match module {
                "pip" => pip(&rest, st, cx, false),
                "venv" => venv(&rest, st, cx, VenvMaker::Ensurepip),
                "virtualenv" => venv(&rest, st, cx, VenvMaker::Virtualenv),
                _ => cx.unknown.push(cmd.words.join(" ")),
            }
        }
        "virtualenv" => venv(&args, st, cx, VenvMaker::Virtualenv),
        "uv" => uv(&args, st, cx),
        "poetry" if args.first().is_some_and(|a| a == "install") => {
            let env = poetry_environment(st);
            unknown_python(
                &args,
                st,
                cx,
                "poetry install",
                "/root/.cache/pypoetry",
                Some(env),
            )
        }
        "poetry" if args.first().is_some_and(|a| a == "config") => {
            // `poetry config virtualenvs.create false` persists (in the image's Poetry config)
            // like the environment variable of the same setting.
            let setting = |key: &str| {
                args.iter()
                    .position(|a| a == key)
                    .and_then(|i| args.get(i + 1))
                    .cloned()
            };
            for (key, var) in [
                ("virtualenvs.create", "POETRY_VIRTUALENVS_CREATE"),
                ("virtualenvs.in-project", "POETRY_VIRTUALENVS_IN_PROJECT"),
            ] {
                if let Some(v) = setting(key) {
                    st.settings.push((var.into(), v));
                }
            }
        }
        "npm" | "yarn" | "pnpm" => npm(&prog, &args, st, cx),
        "go" | "xx-go" => go(&args, st, cx),
        "rustup-init" => toolchains::rustup_init(&args, st, cx),
        // A rustup script downloaded first, then run: `sh rustup.sh -y --profile minimal`
        // (the piped form, `curl … | sh -s -- …`, is read with the download).
        "sh" | "bash"
            if args.first().is_some_and(|a| {
                let name = a.rsplit('/').next().unwrap_or(a);
                name.starts_with("rustup") && !a.starts_with('-')
            }) =>
        {
            toolchains::rustup_init(&args[1..], st, cx)
        }
        "rustup" => toolchains::rustup(&args, st, cx),
        "gcc" | "cc" | "g++" | "c++" | "clang" | "clang++" | "musl-gcc" => {
            toolchains::c_compiler(&prog, &args, st, cx)
        }
        "find" => find_delete(&args, st, cx),
        "cargo" => cargo(&args, st, cx),
        "mvn" | "mvnw" | "./mvnw" => maven(&args, st, cx),
        "gradle" | "gradlew" | "./gradlew" => gradle(&args, st, cx),
        "dotnet" => dotnet(&args, st, cx),
        "useradd" | "adduser" | "groupadd" | "addgroup" => user_add(&prog, &args, st, cx),
        "curl" | "wget" => download(&prog, &args, cmd, all, idx, st, cx),
        "rm" => {
            for target in operand_texts(&args, value_options("rm")) {
                let p = st.abs(target);
                let (freed, wasted) = st.remove(&p);
                if !wasted.is_zero() {
                    cx.reasons.push(format!(
                        "rm {p}: frees nothing, {} stays in an earlier layer (wasted)",
                        super::size::human(wasted.bytes)
                    ));
                } else if !freed.is_zero() {
                    cx.reasons
                        .push(format!("rm {p} in the same RUN: not in the layer"));
                }
            }
        }
        "chown" | "chmod" if has_flag(&args, &["-R", "--recursive"]) => {
            // Changing metadata of files from an earlier layer copies them into this layer.
            if let Some(target) = operand_texts(&args, value_options(&prog)).last() {
                let p = st.abs(target);
                let current = st.current;
                let copies: Vec<_> = st
                    .under(&p)
                    .into_iter()
                    .filter(|e| e.layer != current && e.kind != Kind::Base)
                    .cloned()
                    .collect();
                let mut dup = Size::ZERO;
                for e in copies {
                    dup += e.size;
                    let what = format!("{} (copied again by {prog} -R)", e.what);
                    // `add` counts the earlier copy as wasted.
                    cx.add(st, &e.path, e.size, what, e.kind.clone());
                }
                if !dup.is_zero() {
                    cx.reasons.push(format!(
                        "{prog} -R {p} duplicates {} from earlier layers",
                        super::size::human(dup.bytes)
                    ));
                }
            }
        }
        "apt-mark" => {
            if args.first().is_some_and(|a| a == "auto")
                && args
                    .iter()
                    .skip(1)
                    .any(|a| a.trim_matches(['\'', '"']) == ".*")
            {
                st.apt_all_auto = Some(st.current);
            }
        }
        "xargs" => {
            // The command xargs runs starts at its first operand (`xargs -r -n 1 apt-mark …`).
            let rest = operands(&args, value_options("xargs"))
                .first()
                .map_or(&[][..], |&i| &args[i..]);
            if rest.starts_with(&["apt-mark".to_string(), "manual".to_string()]) {
                st.apt_linked_libs_kept = Some(st.current);
            }
        }
        "cp" | "mv" => {
            let paths = operand_texts(&args, value_options(&prog));
            // `-T` (or a single source whose destination is not a known directory) renames;
            // otherwise sources go into the destination directory.
            let no_target_dir = has_flag(&args, &["-T", "--no-target-directory"]);
            if let (Some(dest), true) = (paths.last(), paths.len() >= 2) {
                let written = dest.ends_with('/');
                let dest = st.abs(dest);
                let dest_is_dir = written
                    || paths.len() > 2
                    || st.entries.iter().any(|e| {
                        e.path
                            .strip_prefix(dest.as_str())
                            .is_some_and(|r| r.starts_with('/'))
                    });
                for src in &paths[..paths.len() - 1] {
                    let src = st.abs(src);
                    let mut moved: Vec<_> = st
                        .under(&src)
                        .into_iter()
                        .filter(|e| e.kind != Kind::Base)
                        .cloned()
                        .collect();
                    // A folder inside an archive unpacked whole into its parent (`tar -C
                    // /usr/local -xzf go.tgz; mv /usr/local/go …`): the archive's contents.
                    let mut whole_archive = None;
                    if let Some(a) = st
                        .entries
                        .iter()
                        .filter(|e| {
                            e.kind == Kind::Download
                                && e.what.starts_with("unpacked")
                                && src
                                    .strip_prefix(e.path.as_str())
                                    .is_some_and(|r| r.starts_with('/'))
                        })
                        .max_by_key(|e| e.path.len())
                    {
                        whole_archive = Some(a.path.clone());
                        let mut e = a.clone();
                        e.path = src.clone();
                        moved.push(e);
                    }
                    // A destination not seen in this build may still be a directory of the
                    // base image (`cp app /usr/local/bin`).
                    let system_dir = matches!(
                        dest.rsplit('/').next().unwrap_or(""),
                        "" | "bin"
                            | "sbin"
                            | "lib"
                            | "lib64"
                            | "local"
                            | "opt"
                            | "etc"
                            | "share"
                            | "tmp"
                            | "src"
                            | "app"
                            | "srv"
                            | "var"
                            | "usr"
                            | "include"
                            | "home"
                            | "root"
                    );
                    let rename = no_target_dir || !(dest_is_dir || system_dir);
                    for e in moved {
                        let rel = e.path.strip_prefix(&src).unwrap_or("");
                        let name = src.rsplit('/').next().unwrap_or("");
                        let target = match (rel.is_empty(), rename) {
                            (true, true) => dest.clone(),
                            (true, false) => format!("{dest}/{name}"),
                            (false, true) => format!("{dest}{rel}"),
                            (false, false) => format!("{dest}/{name}{rel}"),
                        };
                        cx.add(st, &target, e.size, e.what.clone(), e.kind.clone());
                    }
                    if prog == "mv" {
                        st.remove(&src);
                        if let Some(a) = &whole_archive {
                            st.remove_where(&|e| {
                                e.path == *a
                                    && e.kind == Kind::Download
                                    && e.what.starts_with("unpacked")
                            });
                        }
                    }
                }
            }
        }
        "tar" | "unzip" => {
            // Archives downloaded earlier in this RUN are handled by `download`; others are unknown.
            let downloaded = st
                .entries
                .iter()
                .any(|e| e.kind == Kind::Download && e.layer == st.current);
            if !downloaded {
                cx.unknown.push(cmd.words.join(" "));
            }
        }
        "mkdir"
        | "ln"
        | "echo"
        | "printf"
        | "cd"
        | "set"
        | "export"
        | "true"
        | "false"
        | "test"
        | "["
        | "sed"
        | "touch"
        | "update-ca-certificates"
        | "ldconfig"
        | "groupmod"
        | "usermod"
        | "id"
        | "whoami"
        | "ls"
        | "cat"
        | "grep"
        | "sort"
        | "uniq"
        | "awk"
        | "gpg"
        | "gpgconf"
        | "sha256sum"
        | "sha512sum"
        | "md5sum"
        | "savedAptMark"
        | "dpkg-architecture"
        | "dpkg"
        | "command"
        | "which"
        | "exit"
        | "sleep"
        | "locale-gen"
        | "update-alternatives"
        | "git"
        | "chown"
        | "chmod"
        | "env"
        | "tr" => {
            for w in &cmd.writes {
                let p = st.abs(w);
                if p.starts_with("/dev/") {
                    continue;
                }
                cx.add(
                    st,
                    &p,
                    Size::new(KB, 0, 100 * KB),
                    format!("{p} (written by {prog})"),
                    Kind::Other,
                );
            }
            if prog == "git" && args.first().is_some_and(|a| a == "clone") {
                // `git clone [--depth 1] URL [DIR]`: an option's value is not the folder.
                let dest = operand_texts(&args, value_options("git"))
                    .get(2)
                    .map_or_else(|| ".".to_string(), |d| d.to_string());
                let p = st.abs(&dest);
                cx.add(
                    st,
                    &p,
                    Size::mb(20.0, 0.1, 500.0),
                    "git clone (repository size unknown)".into(),
                    Kind::Download,
                );
                cx.reasons.push("git clone: repository size unknown".into());
            }
        }
        "make" if args.iter().any(|a| a == "install") => make_install(st, cx),
        "make" | "./configure" | "configure" | "install" | "nproc" | "strip" | "mktemp"
        | "rmdir" | "getent" | "gpg-agent" | "dpkg-query" | "readlink" | "tail" | "head"
        | "cut" | "wc" | "basename" | "dirname" => {}
        _ => cx.unknown.push(cmd.words.join(" ")),
    }
}

/// `find DIR … -delete` or `-exec rm …`: removes what the simulation holds below `DIR`
/// (`-mindepth 1` keeps `DIR` itself), except the names a `! -name PATTERN` keeps. A pattern
/// left in a variable (`! -name "$OPENSSL_ARCH"`) keeps the amd64 entry, the architecture the
/// estimate assumes.
fn find_delete(args: &[String], st: &mut State, cx: &mut Ctx) {
    let Some(dir) = args.first().filter(|d| !d.starts_with('-')) else {
        return;
    };
    // Only the plain "delete below DIR, maybe keeping names" form (`! -name N` or `-not -name N`):
    // other tests (-name, -type,
    // -newer, -size) select files the simulation does not track one by one.
    let mut keep: Vec<&str> = Vec::new();
    let mut deletes = false;
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "-mindepth" | "-maxdepth" => i += 2,
            "!" | "-not" if args.get(i + 1).is_some_and(|a| a == "-name") => {
                keep.extend(args.get(i + 2).map(String::as_str));
                i += 3;
            }
            "-delete" => {
                deletes = true;
                i += 1;
            }
            "-exec" => {
                deletes = args
                    .get(i + 1)
                    .is_some_and(|c| c.rsplit('/').next() == Some("rm"));
                break;
            }
            _ => return,
        }
    }
    if !deletes {
        return;
    }
    let root = st.abs(dir);
    let kept = |path: &str| {
        let name = path
            .strip_prefix(root.as_str())
            .map(|r| r.trim_start_matches('/'))
            .and_then(|r| r.split('/').next())
            .unwrap_or("");
        keep.iter().any(|k| {
            if k.contains('$') || k.is_empty() {
                ["x86_64", "amd64", "x64"].iter().any(|a| name.contains(a))
            } else {
                crate::syntax::glob::matches(k, name, crate::syntax::glob::Dialect::Shell)
            }
        })
    };
    let (freed, wasted) = st.remove_where(&|e| {
        e.kind != Kind::Base
            && e.path.len() > root.len()
            && state_below(&e.path, &root)
            && !kept(&e.path)
    });
    if !freed.is_zero() || !wasted.is_zero() {
        cx.reasons.push(format!(
            "find {root} … deletes {}{}",
            super::size::human(freed.bytes + wasted.bytes),
            if wasted.is_zero() {
                String::new()
            } else {
                format!(
                    " ({} stays in an earlier layer: wasted)",
                    super::size::human(wasted.bytes)
                )
            }
        ));
    }
}

fn state_below(path: &str, dir: &str) -> bool {
    crate::estimate::state::is_at_or_below(path, dir) && path != dir
}

/// `make install`: a CPython source build (the RUN downloads a `Python-*.tar.xz`) installs the
/// measured `python:cpython-install`, plus pip when configured `--with-ensurepip`; what another
/// source build installs is not known (a fallback range).
fn make_install(st: &mut State, cx: &mut Ctx) {
    let script = cx.script.to_ascii_lowercase();
    let cpython = script.contains("python.tar.xz")
        || (script.contains("/ftp/python/") && script.contains(".tar.xz"));
    if let (true, Some((size, _))) = (cpython, toolchains::tool("python:cpython-install")) {
        cx.add(
            st,
            "/usr/local/[make install] CPython",
            size,
            "CPython built from source (python:cpython-install, measured)".into(),
            Kind::BuildOutput("make".into()),
        );
        let mut reason = format!(
            "make install: CPython, {} (measured build of 3.11.7 with the official images' cleanup and stripping)",
            super::size::human(size.bytes)
        );
        if script.contains("--with-ensurepip") {
            if let Some(pip) = super::kb::kb().pypi_measured().get("pip") {
                let s = Size::rel(pip.installed_nopyc, 0.1, 0.15);
                cx.add(
                    st,
                    "/usr/local/[make install] pip",
                    s,
                    format!("pip {} (ensurepip; measured, no .pyc)", pip.version),
                    Kind::Python("pip".into()),
                );
                reason.push_str(&format!("; pip {} from ensurepip", pip.version));
            }
        }
        cx.reasons.push(reason);
        return;
    }
    cx.add(
        st,
        "/usr/local/[make install]",
        Size::mb(30.0, 0.5, 500.0),
        "make install (what a source build installs is unknown: fallback size)".into(),
        Kind::BuildOutput("make".into()),
    );
    cx.reasons.push(
        "make install: size of the built software unknown (fallback 30 MB, 500 kB–500 MB)".into(),
    );
}
