//! What RUN commands add to the layer: package managers, language installers, compilers, downloads,
//! user creation and removals. Each effect writes entries with a reason and a range; commands not
//! understood add nothing and are listed so the user sees what was not counted.

use super::kb::{kb, ClosureMemo};
use super::shell::Command;
use super::size::{Size, KB};
use super::state::{is_at_or_below, Entry, Kind, State};
use super::EstimateOptions;

/// Apt model fitted on ../groundtruth/apt.tsv (see the accuracy test): slim images drop docs, man pages and
/// locales, so a package takes ~0.90 of its Installed-Size; Python packages compile `.pyc` at install
/// (~1.5×); every install writes ~0.9 MB of dpkg/debconf state plus ~5 kB per package.
const APT_FACTOR: f64 = 0.90;
const APT_PY_FACTOR: f64 = 1.5;
const APT_OVERHEAD: u64 = 900 * KB;
const APT_PER_PACKAGE: u64 = 5 * KB;
/// A bare `apt-get update` layer on bookworm-slim (lists kept lz4-compressed): measured 19.86 MB.
const APT_LISTS: u64 = 19_859_939;

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

/// Build tools by Debian/Alpine package name.
pub fn is_build_tool_package(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "make",
        "build-essential",
        "git",
        "cmake",
        "autoconf",
        "automake",
        "libtool",
        "pkg-config",
        "pkgconf",
        "golang-go",
        "rustc",
        "cargo",
        "build-base",
        "musl-dev",
        "linux-headers",
        "dpkg-dev",
        "bison",
        "flex",
        "ninja-build",
        "meson",
        "gfortran",
        "go",
        "rust",
        "maven",
        "gradle",
        "default-jdk",
        "default-jdk-headless",
    ];
    EXACT.contains(&name)
        || name.ends_with("-dev")
        || name.starts_with("gcc")
        || name.starts_with("g++")
        || name.starts_with("cpp-")
        || name == "cpp"
        || name.starts_with("clang")
        || name.starts_with("llvm")
        || name.starts_with("binutils")
        || (name.starts_with("openjdk-") && name.contains("-jdk"))
}

fn flag_value(words: &[String], names: &[&str]) -> Option<String> {
    let mut it = words.iter();
    while let Some(w) = it.next() {
        for n in names {
            if w == n {
                return it.next().cloned();
            }
            if let Some(v) = w.strip_prefix(&format!("{n}=")) {
                return Some(v.to_string());
            }
            // `-tDIR` short forms.
            if n.len() == 2
                && !n.starts_with("--")
                && w.starts_with(n)
                && w.len() > 2
                && !w.starts_with("--")
            {
                return Some(w[2..].to_string());
            }
        }
    }
    None
}

fn has(words: &[String], names: &[&str]) -> bool {
    words.iter().any(|w| {
        names
            .iter()
            .any(|n| w == n || w.starts_with(&format!("{n}=")))
    })
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
                "venv" | "virtualenv" => venv(&rest, st, cx),
                _ => cx.unknown.push(cmd.words.join(" ")),
            }
        }
        "uv" => uv(&args, st, cx),
        "poetry" if args.first().is_some_and(|a| a == "install") => {
            let env = poetry_environment(st);
            unknown_python(st, cx, "poetry install", "/root/.cache/pypoetry", Some(env))
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
        "go" => go(&args, st, cx),
        "cargo" => cargo(&args, st, cx),
        "mvn" | "mvnw" | "./mvnw" => maven(&args, st, cx),
        "gradle" | "gradlew" | "./gradlew" => gradle(&args, st, cx),
        "dotnet" => dotnet(&args, st, cx),
        "useradd" | "adduser" | "groupadd" | "addgroup" => user_add(&prog, &args, st, cx),
        "curl" | "wget" => download(&prog, &args, cmd, all, idx, st, cx),
        "rm" => {
            for target in args.iter().filter(|a| !a.starts_with('-')) {
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
        "chown" | "chmod" if has(&args, &["-R", "--recursive"]) => {
            // Changing metadata of files from an earlier layer copies them into this layer.
            if let Some(target) = args.iter().rfind(|a| !a.starts_with('-')) {
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
            let rest: Vec<&str> = args
                .iter()
                .skip_while(|a| a.starts_with('-'))
                .map(String::as_str)
                .collect();
            if rest.starts_with(&["apt-mark", "manual"]) {
                st.apt_linked_libs_kept = Some(st.current);
            }
        }
        "cp" | "mv" => {
            let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
            // `-T` (or a single source whose destination is not a known directory) renames;
            // otherwise sources go into the destination directory.
            let no_target_dir = args.iter().any(|a| {
                a == "--no-target-directory"
                    || (a.starts_with('-') && !a.starts_with("--") && a.contains('T'))
            });
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
        | "find"
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
                let dest = args
                    .iter()
                    .filter(|a| !a.starts_with('-'))
                    .nth(2)
                    .cloned()
                    .unwrap_or_else(|| ".".into());
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
        "make" if args.iter().any(|a| a == "install") => {
            cx.add(
                st,
                "/usr/local/[make install]",
                Size::mb(30.0, 0.5, 500.0),
                "make install (what a source build installs is unknown)".into(),
                Kind::BuildOutput("make".into()),
            );
            cx.reasons
                .push("make install: size of the built software unknown (wide range)".into());
        }
        "make" | "./configure" | "configure" | "install" | "nproc" | "strip" | "mktemp"
        | "rmdir" | "getent" | "gpg-agent" | "dpkg-query" | "readlink" | "tail" | "head"
        | "cut" | "wc" | "basename" | "dirname" => {}
        _ => cx.unknown.push(cmd.words.join(" ")),
    }
}

fn apt(args: &[String], st: &mut State, cx: &mut Ctx) {
    let sub = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str)
        .unwrap_or("");
    let base_alpine = st
        .base
        .as_ref()
        .and_then(|r| r.base)
        .is_some_and(|b| b.is_alpine());
    if base_alpine {
        cx.reasons
            .push("apt-get on an Alpine base: the build fails here".into());
        return;
    }
    if cx.no_package_manager {
        return;
    }
    match sub {
        "update" => {
            if !st.entries.iter().any(|e| e.kind == Kind::AptLists) {
                cx.add(
                    st,
                    "/var/lib/apt/lists",
                    Size::new(APT_LISTS, APT_LISTS * 85 / 100, APT_LISTS * 115 / 100),
                    "apt lists (apt-get update; measured 19.9 MB on bookworm-slim)".into(),
                    Kind::AptLists,
                );
            }
        }
        "install" => {
            let recommends = !has(args, &["--no-install-recommends"])
                && !args.iter().any(|a| {
                    a.contains("Install-Recommends=false") || a.contains("Install-Recommends=0")
                });
            let mut names: Vec<String> = args
                .iter()
                .skip_while(|a| *a != "install")
                .skip(1)
                .filter(|a| !a.starts_with('-') && !a.contains('$'))
                .map(|a| {
                    a.split('=')
                        .next()
                        .unwrap_or(a)
                        .trim_end_matches(":amd64")
                        .to_string()
                })
                .filter(|a| !a.is_empty() && !a.contains('/'))
                .collect();
            if cx.runtime_only {
                names.retain(|n| !is_build_tool_package(n));
            }
            unresolved_packages(args, "install", "apt", st, cx);
            if names.is_empty() {
                return;
            }
            // A versioned package bookworm does not have (`postgresql-17` from the PGDG
            // repository, `python3.12`): the same package in the version bookworm has.
            let mut substituted = Vec::new();
            for n in names.iter_mut() {
                if let Some(sibling) = versioned_sibling(n) {
                    substituted.push(format!("{sibling} for {n}"));
                    *n = sibling;
                }
            }
            let closure = cx.closures.deb_closure(&names, recommends, &st.debs);
            let (new, missing) = (&closure.0, &closure.1);
            let kb = kb();
            let mut total = Size::ZERO;
            for name in new {
                let Some(pkg) = kb.debian.get(name) else {
                    continue;
                };
                let factor = if name.starts_with("python3") || name.starts_with("libpython3") {
                    APT_PY_FACTOR
                } else {
                    APT_FACTOR
                };
                if cx.runtime_only && is_build_tool_package(name) {
                    continue;
                }
                let bytes = (pkg.installed_kib as f64 * 1024.0 * factor) as u64;
                let size = Size::rel(bytes, 0.15, 0.15);
                total += size;
                let explicit = names.contains(name);
                let what = if explicit {
                    format!("{name} (apt)")
                } else {
                    format!("{name} (apt, dependency)")
                };
                cx.add(
                    st,
                    &format!("/usr/[deb] {name}"),
                    size,
                    what,
                    Kind::Deb(name.clone()),
                );
                std::sync::Arc::make_mut(&mut st.debs).insert(name.clone());
            }
            for name in missing {
                let size = Size::mb(10.0, 0.5, 100.0);
                total += size;
                cx.add(
                    st,
                    &format!("/usr/[deb] {name}"),
                    size,
                    format!(
                        "{name} (not in Stageplay's Debian bookworm package data: unknown size)"
                    ),
                    Kind::Deb(name.clone()),
                );
            }
            let n = (new.len() + missing.len()) as u64;
            let overhead = APT_OVERHEAD + APT_PER_PACKAGE * n;
            let over = Size::new(overhead, overhead / 3, overhead + 600 * KB);
            total += over;
            cx.add(
                st,
                "/var/lib/dpkg",
                over,
                "dpkg status, debconf cache, logs".into(),
                Kind::DpkgState,
            );
            let lists_ok = st.entries.iter().any(|e| e.kind == Kind::AptLists);
            let mut reason = format!(
                "apt install {}: {} new package(s){} (Debian bookworm index, Installed-Size model ±15%)",
                names.join(" "),
                n,
                if recommends { " with Recommends" } else { "" }
            );
            if !missing.is_empty() {
                reason.push_str(&format!("; unknown: {}", missing.join(" ")));
            }
            if !substituted.is_empty() {
                reason.push_str(&format!(
                    "; not in bookworm, sized as the version it has: {}",
                    substituted.join(", ")
                ));
            }
            if !lists_ok {
                reason.push_str("; no apt lists in this RUN: needs apt-get update first");
            }
            if recommends {
                reason.push_str("; add --no-install-recommends to skip Recommends");
            }
            let base_debian = st
                .base
                .as_ref()
                .and_then(|r| r.base)
                .is_some_and(|b| b.is_debian_like());
            if !base_debian {
                reason.push_str("; base is not known to be Debian bookworm: range widened");
                let widened: Vec<usize> = (0..st.entries.len())
                    .filter(|&i| st.entries[i].layer == st.current)
                    .collect();
                for i in widened {
                    if let Some(e) = st.entries.get_mut(i) {
                        e.size =
                            Size::new(e.size.bytes, e.size.low / 2, e.size.high.saturating_mul(2));
                    }
                }
            }
            let _ = total;
            cx.reasons.push(reason);
        }
        "remove" | "purge" | "autoremove" => {
            let names: Vec<String> = args
                .iter()
                .skip(1)
                .filter(|a| !a.starts_with('-'))
                .cloned()
                .collect();
            let auto = sub == "autoremove" || has(args, &["--auto-remove"]);
            // After `apt-mark auto '.*'` in this RUN, everything it installed is automatic
            // and goes, except the libraries a `… | xargs apt-mark manual` kept (shared-library
            // packages: `lib…`, not `-dev`).
            let current = st.current;
            let all_auto = auto && st.apt_all_auto == Some(current);
            let libs_kept = st.apt_linked_libs_kept == Some(current);
            let runtime_lib = |n: &str| {
                n.starts_with("lib")
                    && !n.ends_with("-dev")
                    && !n.ends_with("-bin")
                    && !is_build_tool_package(n)
            };
            let goes_explicitly = |e: &Entry, n: &String| {
                names.contains(n)
                    || (all_auto && e.layer == current && !(libs_kept && runtime_lib(n)))
            };
            // `--auto-remove` removes dependencies nothing left needs: the closure of the
            // packages that stay (Recommends kept unless RecommendsImportant=false).
            let needed: std::collections::BTreeSet<String> = if auto {
                let staying: Vec<String> = st
                    .entries
                    .iter()
                    .filter_map(|e| match &e.kind {
                        Kind::Deb(n)
                            if !e.what.contains("dependency") && !goes_explicitly(e, n) =>
                        {
                            Some(n.clone())
                        }
                        _ => None,
                    })
                    .collect();
                let recommends_kept = !args.iter().any(|a| {
                    a.contains("RecommendsImportant=false") || a.contains("RecommendsImportant=0")
                });
                super::kb::deb_closure(&staying, recommends_kept, &Default::default())
                    .0
                    .into_iter()
                    .collect()
            } else {
                Default::default()
            };
            let (freed, wasted) = st.remove_where(&|e| match &e.kind {
                Kind::Deb(n) => {
                    goes_explicitly(e, n)
                        || (auto && e.what.contains("dependency") && !needed.contains(n))
                }
                _ => false,
            });
            for n in &names {
                std::sync::Arc::make_mut(&mut st.debs).remove(n);
            }
            if !wasted.is_zero() {
                cx.reasons.push(format!(
                    "apt-get {sub}: {} installed by an earlier layer stays in the image (wasted)",
                    super::size::human(wasted.bytes)
                ));
            } else if !freed.is_zero() {
                cx.reasons.push(format!(
                    "apt-get {sub} in the same RUN: {} not in the layer",
                    super::size::human(freed.bytes)
                ));
            }
        }
        "clean" | "autoclean" | "upgrade" | "dist-upgrade" | "-y" | "" => {
            if sub == "upgrade" || sub == "dist-upgrade" {
                cx.add(
                    st,
                    "/usr/[deb] upgrades",
                    Size::mb(2.0, 0.0, 40.0),
                    "apt upgrade (depends on the base's age)".into(),
                    Kind::Other,
                );
                cx.reasons
                    .push("apt-get upgrade: size depends on the base image's age".into());
            }
        }
        other => cx.unknown.push(format!("apt-get {other}")),
    }
}

/// For a package name ending in a version that Stageplay's Debian data lacks (`postgresql-17`,
/// `python3.12`), the same package in the highest version it has (`postgresql-15`).
fn versioned_sibling(name: &str) -> Option<String> {
    let debian = &kb().debian;
    if debian.contains_key(name) {
        return None;
    }
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    if stem.len() == name.len()
        || stem.len() < 3
        || !stem.ends_with(['-', '.']) && !stem.ends_with(|c: char| c.is_ascii_alphabetic())
    {
        return None;
    }
    let version = |n: &str| -> Vec<u32> {
        n[stem.len()..]
            .split('.')
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    debian
        .keys()
        .filter(|k| {
            k.len() > stem.len()
                && k.starts_with(stem)
                && k[stem.len()..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.')
                && k[stem.len()..].starts_with(|c: char| c.is_ascii_digit())
        })
        .max_by_key(|k| version(k))
        .cloned()
}

/// Packages named by a shell variable the estimate cannot resolve (`apt-get install
/// $nginxPackages`, `apk add $runDeps`): a wide range instead of nothing.
fn unresolved_packages(args: &[String], sub: &str, tool: &str, st: &mut State, cx: &mut Ctx) {
    // Options whose value is the next word (`apk add -X "$repo"`, `-t .deps`, `-o Opt=$x`).
    const TAKES_VALUE: &[&str] = &[
        "-X",
        "--repository",
        "-t",
        "--virtual",
        "-p",
        "--root",
        "-o",
        "--option",
        "-c",
        "--config-file",
        "--target-release",
    ];
    let mut vars: Vec<&String> = Vec::new();
    let mut words = args.iter().skip_while(|a| *a != sub).skip(1);
    while let Some(a) = words.next() {
        if TAKES_VALUE.contains(&a.as_str()) {
            words.next();
        } else if !a.starts_with('-') && a.contains('$') {
            vars.push(a);
        }
    }
    if vars.is_empty() || cx.runtime_only {
        return;
    }
    let names = vars
        .iter()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    cx.add(
        st,
        &format!("/usr/[{tool}] {names}"),
        Size::mb(10.0, 0.1, 500.0),
        format!("packages named by {names} (a shell variable: unknown)"),
        Kind::Other,
    );
    cx.reasons.push(format!(
        "{tool}: packages in {names} are not known here (wide range)"
    ));
}

fn apk(args: &[String], st: &mut State, cx: &mut Ctx) {
    if cx.no_package_manager {
        return;
    }
    let sub = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str)
        .unwrap_or("");
    let no_cache = has(args, &["--no-cache"]);
    match sub {
        "add" => {
            let virtual_name = flag_value(args, &["--virtual", "-t"]);
            let mut names: Vec<String> = args
                .iter()
                .skip_while(|a| *a != "add")
                .skip(1)
                .filter(|a| {
                    !a.starts_with('-')
                        && Some(a.as_str()) != virtual_name.as_deref()
                        && !a.contains('$')
                })
                .map(|a| {
                    a.split(['=', '<', '>', '~'])
                        .next()
                        .unwrap_or(a)
                        .to_string()
                })
                .filter(|a| !a.is_empty())
                .collect();
            if cx.runtime_only {
                names.retain(|n| {
                    !is_build_tool_package(n) && !kb().alpine.get(n).is_some_and(|p| p.build_tool)
                });
            }
            unresolved_packages(args, "add", "apk", st, cx);
            let kb = kb();
            let mut unknown = Vec::new();
            for name in &names {
                if st.apks.contains(name) {
                    continue;
                }
                let (size, what) = match kb.alpine.get(name) {
                    Some(p) => (
                        Size::new(p.bytes, p.low_bytes, p.high_bytes),
                        format!("{name} (apk, approximate)"),
                    ),
                    None => {
                        unknown.push(name.clone());
                        (
                            Size::mb(5.0, 0.2, 60.0),
                            format!("{name} (apk, unknown size)"),
                        )
                    }
                };
                cx.add(
                    st,
                    &format!("/usr/[apk] {name}"),
                    size,
                    what,
                    Kind::Apk(name.clone(), virtual_name.clone()),
                );
                std::sync::Arc::make_mut(&mut st.apks).insert(name.clone());
            }
            cx.add(
                st,
                "/lib/apk/db",
                Size::new(150 * KB, 50 * KB, 400 * KB),
                "apk database".into(),
                Kind::DpkgState,
            );
            if !no_cache
                && !st.entries.iter().any(|e| e.kind == Kind::ApkIndex)
                && !st.is_cache_mounted("/var/cache/apk", cx.line)
            {
                cx.add(
                    st,
                    "/var/cache/apk",
                    Size::mb(2.6, 1.5, 4.0),
                    "apk index cache (no --no-cache)".into(),
                    Kind::ApkIndex,
                );
            }
            let mut reason = format!(
                "apk add {}: Alpine sizes are an approximation (no Alpine index here), wide range",
                names.join(" ")
            );
            if !unknown.is_empty() {
                reason.push_str(&format!("; unknown: {}", unknown.join(" ")));
            }
            if !no_cache {
                reason.push_str("; add --no-cache to keep the index out");
            }
            cx.reasons.push(reason);
        }
        "del" => {
            let names: Vec<String> = args
                .iter()
                .skip(1)
                .filter(|a| !a.starts_with('-'))
                .cloned()
                .collect();
            st.remove_where(&|e| match &e.kind {
                Kind::Apk(n, v) => {
                    names.contains(n) || v.as_ref().is_some_and(|v| names.contains(v))
                }
                _ => false,
            });
            for n in &names {
                std::sync::Arc::make_mut(&mut st.apks).remove(n);
            }
        }
        "update" => {
            if !st.is_cache_mounted("/var/cache/apk", cx.line) {
                cx.add(
                    st,
                    "/var/cache/apk",
                    Size::mb(2.6, 1.5, 4.0),
                    "apk index (apk update)".into(),
                    Kind::ApkIndex,
                );
            }
        }
        "upgrade" => cx.add(
            st,
            "/usr/[apk] upgrades",
            Size::mb(1.0, 0.0, 20.0),
            "apk upgrade".into(),
            Kind::Other,
        ),
        _ => cx.unknown.push(format!("apk {sub}")),
    }
}

/// Python version directory from the base's env (`PYTHON_VERSION=3.12.13` → `python3.12`).
fn python_dir(st: &State) -> String {
    let v = st.var("PYTHON_VERSION").unwrap_or_else(|| "3".into());
    let mm: Vec<&str> = v.split('.').take(2).collect();
    format!("python{}", mm.join("."))
}

/// Where `pip install` puts packages: `--target`, `--prefix`, `--user`, an active venv, or the system.
fn site_packages(args: &[String], st: &State) -> String {
    let py = python_dir(st);
    if let Some(t) = flag_value(args, &["--target", "-t"]) {
        return st.abs(&t);
    }
    if let Some(p) = flag_value(args, &["--prefix"]) {
        return format!(
            "{}/lib/{py}/site-packages",
            st.abs(&p).trim_end_matches('/')
        );
    }
    if has(args, &["--user"]) {
        return format!("/root/.local/lib/{py}/site-packages");
    }
    let path = st.var("PATH").unwrap_or_default();
    for venv in st
        .venvs
        .iter()
        .chain(std::iter::once(&st.var("VIRTUAL_ENV").unwrap_or_default()))
    {
        if !venv.is_empty() && path.split(':').any(|p| p == format!("{venv}/bin")) {
            return format!("{venv}/lib/{py}/site-packages");
        }
    }
    if st.var("PYTHON_VERSION").is_some() {
        format!("/usr/local/lib/{py}/site-packages")
    } else {
        "/usr/lib/python3/dist-packages".into()
    }
}

/// Size of one pip requirement: measured where ../groundtruth/pip.tsv has it.
fn pip_requirement(req: &str, compile: bool) -> (String, Size, bool) {
    let name: String = req
        .trim()
        .split(|c: char| "=<>!~;@ ".contains(c))
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .replace('_', "-");
    let kb = kb();
    let base_name = name.split('[').next().unwrap_or(&name).to_string();
    let hit = kb.pip.get(&name).or_else(|| kb.pip.get(&base_name));
    match hit {
        Some(p) => {
            let b = if compile {
                p.installed_with_pyc
            } else {
                p.installed_nopyc
            };
            (name, Size::rel(b, 0.15, 0.2), true)
        }
        None => {
            // Unmeasured: median of the measured packages is ~15 MB with pyc; most libraries are smaller.
            let s = if compile {
                Size::mb(6.0, 0.3, 80.0)
            } else {
                Size::mb(4.5, 0.2, 60.0)
            };
            (name, s, false)
        }
    }
}

/// Requirements from a requirements file in the context, if the user gave its content.
fn requirements_from_context(path: &str, opts: &EstimateOptions) -> Option<Vec<String>> {
    let file = path.rsplit('/').next().unwrap_or(path);
    let f = opts
        .context_files
        .iter()
        .find(|f| f.path == path || f.path.rsplit('/').next() == Some(file))?;
    Some(
        f.content
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
            .filter(|l| !l.is_empty() && !l.starts_with('-'))
            .collect(),
    )
}

fn pip(args: &[String], st: &mut State, cx: &mut Ctx, from_uv: bool) {
    if args.first().map(String::as_str) != Some("install") {
        // Read-only subcommands (`pip list`, `pip freeze > reqs.txt` writes only its redirect).
        if args.first().is_some_and(|a| {
            matches!(
                a.as_str(),
                "uninstall"
                    | "list"
                    | "freeze"
                    | "show"
                    | "check"
                    | "debug"
                    | "help"
                    | "inspect"
                    | "--version"
                    | "-V"
                    | "--help"
                    | "-h"
            )
        }) {
            return;
        }
        cx.unknown.push(format!("pip {}", args.join(" ")));
        return;
    }
    let compile = if from_uv {
        has(args, &["--compile-bytecode", "--compile"])
            || st.var("UV_COMPILE_BYTECODE").is_some_and(|v| v == "1")
    } else {
        !has(args, &["--no-compile"])
    };
    let dest = site_packages(args, st);
    let mut reqs: Vec<String> = Vec::new();
    let mut unknown_files = Vec::new();
    let mut it = args.iter().skip(1).peekable();
    while let Some(a) = it.next() {
        if a == "-r" || a == "--requirement" || a == "-c" || a == "--constraint" {
            if let Some(file) = it.next() {
                if a == "-r" || a == "--requirement" {
                    match requirements_from_context(file, cx.opts) {
                        Some(r) => reqs.extend(r),
                        None => unknown_files.push(file.clone()),
                    }
                }
            }
        } else if let Some(file) = a
            .strip_prefix("--requirement=")
            .or_else(|| a.strip_prefix("-r"))
            .filter(|f| !f.is_empty() && a.starts_with("-r") || a.starts_with("--requirement="))
        {
            match requirements_from_context(file, cx.opts) {
                Some(r) => reqs.extend(r),
                None => unknown_files.push(file.to_string()),
            }
        } else if a.starts_with('-') {
            if [
                "--target",
                "-t",
                "--prefix",
                "--index-url",
                "-i",
                "--extra-index-url",
                "--root",
                "--python",
                "-f",
                "--find-links",
            ]
            .contains(&a.as_str())
            {
                it.next();
            }
        } else {
            reqs.push(a.clone());
        }
    }
    let mut total = Size::ZERO;
    let mut measured = Vec::new();
    let mut guessed = Vec::new();
    for r in &reqs {
        if r == "." || r.starts_with("./") || r.starts_with('/') || r.ends_with(".whl") {
            let s = Size::mb(1.0, 0.01, 50.0);
            total += s;
            cx.add(
                st,
                &format!("{dest}/[pip] {r}"),
                s,
                format!("pip: local project {r}"),
                Kind::Python(r.clone()),
            );
            guessed.push(r.clone());
            continue;
        }
        let (name, size, known) = pip_requirement(r, compile);
        if name == "pip" || name == "setuptools" || name == "wheel" {
            let s = Size::mb(4.0, 0.5, 15.0);
            cx.add(
                st,
                &format!("{dest}/[pip] {name}"),
                s,
                format!("pip: {name} upgrade"),
                Kind::Python(name.clone()),
            );
            total += s;
            continue;
        }
        total += size;
        let what = if known {
            format!(
                "pip: {name} with dependencies (measured, {})",
                if compile { "with .pyc" } else { "no .pyc" }
            )
        } else {
            format!("pip: {name} (not measured: typical range)")
        };
        cx.add(
            st,
            &format!("{dest}/[pip] {name}"),
            size,
            what,
            Kind::Python(name.clone()),
        );
        if known {
            measured.push(name);
        } else {
            guessed.push(name);
        }
    }
    for f in &unknown_files {
        let s = if compile {
            Size::mb(40.0, 3.0, 600.0)
        } else {
            Size::mb(30.0, 2.0, 450.0)
        };
        total += s;
        cx.add(
            st,
            &format!("{dest}/[pip] -r {f}"),
            s,
            format!("pip: requirements in {f} (content not given: wide range)"),
            Kind::Python(f.clone()),
        );
    }
    let cache_path = if from_uv {
        "/root/.cache/uv"
    } else {
        "/root/.cache/pip"
    };
    let no_cache = if from_uv {
        has(args, &["--no-cache", "-n"]) || st.var("UV_NO_CACHE").is_some()
    } else {
        has(args, &["--no-cache-dir"])
            || st
                .var("PIP_NO_CACHE_DIR")
                .is_some_and(|v| v != "0" && v != "false")
    };
    let mounted = st.is_cache_mounted(cache_path, cx.line);
    if !no_cache && !mounted && !total.is_zero() {
        // The cache holds the wheels: installed ≈ 3.3× wheel bytes without .pyc (../groundtruth/pip.tsv).
        let cache = total.scale(if compile { 1.0 / 4.2 } else { 1.0 / 3.3 });
        cx.add(
            st,
            cache_path,
            cache,
            format!(
                "{} cache (no --no-cache-dir)",
                if from_uv { "uv" } else { "pip" }
            ),
            Kind::Cache(if from_uv { "uv".into() } else { "pip".into() }),
        );
    }
    let mut reason = format!(
        "{} install → {dest}",
        if from_uv { "uv pip" } else { "pip" }
    );
    if !measured.is_empty() {
        reason.push_str(&format!("; measured: {}", measured.join(" ")));
    }
    if !guessed.is_empty() {
        reason.push_str(&format!("; not measured: {}", guessed.join(" ")));
    }
    if !unknown_files.is_empty() {
        reason.push_str(&format!(
            "; {} content unknown (paste it to narrow the range)",
            unknown_files.join(" ")
        ));
    }
    if compile {
        reason.push_str("; .pyc compiled at install (PYTHONDONTWRITEBYTECODE does not stop pip; --no-compile does)");
    }
    if !no_cache && !mounted {
        reason.push_str("; pip cache kept: add --no-cache-dir");
    }
    cx.reasons.push(reason);
}

fn venv(args: &[String], st: &mut State, cx: &mut Ctx) {
    if let Some(dir) = args.iter().find(|a| !a.starts_with('-')) {
        let p = st.abs(dir);
        let s = if has(args, &["--without-pip"]) {
            Size::mb(0.1, 0.05, 1.0)
        } else {
            Size::mb(14.0, 9.0, 20.0)
        };
        cx.add(
            st,
            &p,
            s,
            "python -m venv (with its own pip)".into(),
            Kind::Python("venv".into()),
        );
        st.venvs.push(p);
        cx.reasons.push("python venv".into());
    }
}

/// Where `poetry install` puts packages: the active or system environment when
/// `virtualenvs.create` is false, `.venv` in the project with `virtualenvs.in-project`, and
/// otherwise a virtualenv under Poetry's cache directory.
fn poetry_environment(st: &State) -> (String, bool) {
    // The environment variable wins over the config file, as in Poetry.
    let get = |name: &str| {
        st.var(name).or_else(|| {
            st.settings
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    };
    let is_false = |v: Option<String>| v.is_some_and(|v| v.eq_ignore_ascii_case("false"));
    let is_true = |v: Option<String>| v.is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if is_false(get("POETRY_VIRTUALENVS_CREATE")) {
        return (site_packages(&[], st), false);
    }
    if is_true(get("POETRY_VIRTUALENVS_IN_PROJECT")) {
        return (st.abs(".venv"), true);
    }
    let cache = st
        .var("POETRY_CACHE_DIR")
        .map(|v| st.abs(&v))
        .unwrap_or_else(|| "/root/.cache/pypoetry".into());
    (format!("{cache}/virtualenvs"), true)
}

/// `env`: where the packages go and whether it is a virtualenv Stageplay should track
/// (`None`: uv's project environment).
fn unknown_python(
    st: &mut State,
    cx: &mut Ctx,
    what: &str,
    cache: &str,
    env: Option<(String, bool)>,
) {
    let compile = st.var("UV_COMPILE_BYTECODE").is_some_and(|v| v == "1");
    let (venv, is_venv) = env.unwrap_or_else(|| {
        let venv = st
            .var("UV_PROJECT_ENVIRONMENT")
            .map(|v| st.abs(&v))
            .unwrap_or_else(|| st.abs(".venv"));
        (venv, true)
    });
    let mut reqs: Vec<String> = Vec::new();
    if let Some(f) = cx
        .opts
        .context_files
        .iter()
        .find(|f| f.path.ends_with("pyproject.toml"))
    {
        reqs = pyproject_dependencies(&f.content);
    }
    let mut total = Size::ZERO;
    if reqs.is_empty() {
        let s = if compile {
            Size::mb(40.0, 3.0, 600.0)
        } else {
            Size::mb(30.0, 2.0, 450.0)
        };
        cx.add(
            st,
            &venv,
            s,
            format!("{what}: locked dependencies (lock file not given: wide range)"),
            Kind::Python(what.into()),
        );
        total += s;
    } else {
        for r in &reqs {
            let (name, size, _) = pip_requirement(r, compile);
            total += size;
            cx.add(
                st,
                &format!("{venv}/[pip] {name}"),
                size,
                format!("{what}: {name}"),
                Kind::Python(name.clone()),
            );
        }
    }
    if is_venv {
        st.venvs.push(venv.clone());
    }
    let mounted = st.is_cache_mounted(cache, cx.line);
    if !mounted && st.var("UV_NO_CACHE").is_none() {
        cx.add(
            st,
            cache,
            total.scale(1.0 / 3.3),
            format!("{what} cache"),
            Kind::Cache(what.into()),
        );
    }
    cx.reasons.push(format!(
        "{what} → {venv}{}",
        if mounted {
            " (cache on a cache mount: not in the layer)"
        } else {
            ""
        }
    ));
}

fn pyproject_dependencies(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with("dependencies") && l.contains('[') {
            inside = true;
        }
        if inside {
            for part in l.split('"').skip(1).step_by(2) {
                out.push(part.to_string());
            }
            if l.contains(']') {
                inside = false;
            }
        }
    }
    out
}

fn uv(args: &[String], st: &mut State, cx: &mut Ctx) {
    match args.first().map(String::as_str) {
        Some("pip") => {
            let rest: Vec<String> = args.iter().skip(1).cloned().collect();
            pip(&rest, st, cx, true)
        }
        Some("sync") | Some("install") => {
            unknown_python(st, cx, "uv sync", "/root/.cache/uv", None)
        }
        Some("venv") => {
            let dir = args
                .iter()
                .skip(1)
                .find(|a| !a.starts_with('-'))
                .cloned()
                .unwrap_or_else(|| ".venv".into());
            let p = st.abs(&dir);
            cx.add(
                st,
                &p,
                Size::mb(0.1, 0.05, 1.0),
                "uv venv".into(),
                Kind::Python("venv".into()),
            );
            st.venvs.push(p);
        }
        _ => cx.unknown.push(format!("uv {}", args.join(" "))),
    }
}

fn npm(prog: &str, args: &[String], st: &mut State, cx: &mut Ctx) {
    let sub = args.first().map(String::as_str).unwrap_or("install");
    // A bare `yarn` (or `yarn --frozen-lockfile`) installs; `yarn --version` never gets here
    // (`apply` skips version and help requests).
    let install = matches!(sub, "ci" | "install" | "i" | "add")
        || (prog == "yarn" && (args.is_empty() || sub.starts_with('-')));
    if sub == "run" || sub == "build" || sub == "exec" {
        if args.get(1).is_some_and(|s| s.contains("build")) || sub == "build" {
            let out = st.abs("dist");
            cx.add(
                st,
                &out,
                Size::mb(5.0, 0.2, 100.0),
                format!("{prog} run build output (size depends on the app)"),
                Kind::BuildOutput("node".into()),
            );
            cx.reasons
                .push(format!("{prog} build output: size depends on the app"));
        }
        return;
    }
    if sub == "cache" {
        st.remove("/root/.npm");
        st.remove("/usr/local/share/.cache/yarn");
        return;
    }
    if sub == "prune" {
        prune_dev_dependencies(prog, args, st, cx);
        return;
    }
    if !install {
        cx.unknown.push(format!("{prog} {}", args.join(" ")));
        return;
    }
    let omit_dev = has(
        args,
        &["--omit=dev", "--production", "--only=production", "--prod"],
    ) || args.windows(2).any(|w| w[0] == "--omit" && w[1] == "dev")
        || st.var("NODE_ENV").is_some_and(|v| v == "production");
    let global = has(args, &["-g", "--global"]);
    let explicit: Vec<String> = args
        .iter()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .cloned()
        .collect();
    let dest = if global {
        "/usr/local/lib/node_modules".to_string()
    } else {
        st.abs("node_modules")
    };
    let kb = kb();
    let mut total = Size::ZERO;
    let mut names: Vec<(String, bool)> = Vec::new();
    if !explicit.is_empty() {
        names = explicit.iter().map(|n| (n.clone(), false)).collect();
    } else if let Some(f) = cx
        .opts
        .context_files
        .iter()
        .find(|f| f.path.ends_with("package.json"))
    {
        names = package_json_deps(&f.content, !omit_dev);
    }
    if names.is_empty() && explicit.is_empty() {
        let s = if omit_dev {
            Size::mb(120.0, 5.0, 800.0)
        } else {
            Size::mb(250.0, 10.0, 1500.0)
        };
        total += s;
        cx.add(
            st,
            &dest,
            s,
            format!(
                "{prog} {sub}: dependencies from package.json{} (not given: wide range)",
                if omit_dev {
                    " (production only)"
                } else {
                    DEV_INCLUDED
                }
            ),
            Kind::Node("deps".into()),
        );
    } else {
        for (name, dev) in &names {
            let bare = name
                .rsplit_once('@')
                .filter(|(n, _)| !n.is_empty())
                .map(|(n, _)| n)
                .unwrap_or(name);
            let size = match kb.npm.get(bare) {
                Some(p) => Size::rel(p.node_modules_bytes, 0.2, 0.3),
                None => Size::mb(3.0, 0.05, 60.0),
            };
            total += size;
            let what = format!(
                "{bare}{} ({})",
                if *dev { " [dev]" } else { "" },
                if kb.npm.contains_key(bare) {
                    "measured"
                } else {
                    "not measured: typical range"
                }
            );
            cx.add(
                st,
                &format!("{dest}/{bare}"),
                size,
                what,
                Kind::Node(bare.to_string()),
            );
        }
    }
    // pnpm hard-links the files of its store into node_modules: in the layer they are stored
    // once, so the store adds no second copy (and on a cache mount, pnpm copies the same files).
    let (cache, clean) = match prog {
        "yarn" => (
            "/usr/local/share/.cache/yarn",
            "`yarn cache clean` in the same RUN or a cache mount",
        ),
        "pnpm" => ("/root/.local/share/pnpm/store", ""),
        _ => (
            "/root/.npm",
            "`npm cache clean --force` in the same RUN or a cache mount",
        ),
    };
    let mounted = st.is_cache_mounted(cache, cx.line);
    if !mounted && prog != "pnpm" {
        // Tarballs are ~1/3.6 of node_modules (../groundtruth/npm.tsv).
        cx.add(
            st,
            cache,
            total.scale(1.0 / 3.6),
            format!("{prog} cache"),
            Kind::Cache(prog.into()),
        );
    }
    let cache_note = if prog == "pnpm" {
        "; pnpm store hard-linked into node_modules: one copy in the layer".to_string()
    } else if mounted {
        "; cache on a cache mount".to_string()
    } else {
        format!("; cache kept: {clean}")
    };
    cx.reasons.push(format!(
        "{prog} {sub} → {dest}{}{cache_note}",
        if omit_dev {
            " (production only)"
        } else {
            " (dev dependencies included: use --omit=dev)"
        },
    ));
}

/// Marks a node_modules estimate that includes development dependencies.
const DEV_INCLUDED: &str = " (dev dependencies included)";

/// `npm prune --omit=dev`, `pnpm prune --prod`, `yarn … --production`: development
/// dependencies leave node_modules. Measured packages marked `[dev]` are removed; a
/// node_modules estimated as a whole shrinks to the production-only estimate (120 of 250 MB).
fn prune_dev_dependencies(prog: &str, args: &[String], st: &mut State, cx: &mut Ctx) {
    let omit_dev = has(args, &["--omit=dev", "--production", "--prod"])
        || args.windows(2).any(|w| w[0] == "--omit" && w[1] == "dev")
        || st.var("NODE_ENV").is_some_and(|v| v == "production");
    if !omit_dev {
        cx.unknown.push(format!("{prog} {}", args.join(" ")));
        return;
    }
    let dest = st.abs("node_modules");
    let in_modules = |e: &Entry| matches!(e.kind, Kind::Node(_)) && is_at_or_below(&e.path, &dest);
    let (freed_dev, wasted_dev) =
        st.remove_where(&|e| in_modules(e) && e.what.contains(" [dev] ("));
    let (freed_all, wasted_all) = st
        .shrink_where(&|e| in_modules(e) && e.what.contains(DEV_INCLUDED), &|s| {
            Size::new(s.bytes * 120 / 250, s.low / 2, s.high * 800 / 1500)
        });
    for e in st.entries.iter_mut().filter(|e| in_modules(e)) {
        if let Some(i) = e.what.find(DEV_INCLUDED) {
            e.what
                .replace_range(i..i + DEV_INCLUDED.len(), " (pruned to production)");
        }
    }
    let (freed, wasted) = (freed_dev + freed_all, wasted_dev + wasted_all);
    cx.reasons.push(if !wasted.is_zero() {
        format!(
            "{prog} prune: development dependencies removed from {dest}; {} stays in an earlier layer (wasted)",
            super::size::human(wasted.bytes)
        )
    } else {
        format!(
            "{prog} prune: development dependencies removed from {dest} ({} not in the layer)",
            super::size::human(freed.bytes)
        )
    });
}

fn package_json_deps(text: &str, dev: bool) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (section, is_dev) in [("\"dependencies\"", false), ("\"devDependencies\"", true)] {
        if is_dev && !dev {
            continue;
        }
        let Some(start) = text.find(section) else {
            continue;
        };
        let rest = &text[start + section.len()..];
        let Some(open) = rest.find('{') else { continue };
        let Some(close) = rest[open..].find('}') else {
            continue;
        };
        let body = &rest[open + 1..open + close];
        for pair in body.split(',') {
            if let Some(name) = pair.split(':').next().map(|n| n.trim().trim_matches('"')) {
                if !name.is_empty() {
                    out.push((name.to_string(), is_dev));
                }
            }
        }
    }
    out
}

fn go(args: &[String], st: &mut State, cx: &mut Ctx) {
    let sub = args.first().map(String::as_str).unwrap_or("");
    let gopath = st.var("GOPATH").unwrap_or_else(|| "/root/go".into());
    let modcache = format!("{gopath}/pkg/mod");
    let uses_modules = matches!(
        sub,
        "build" | "install" | "mod" | "get" | "generate" | "test" | "vet"
    );
    if uses_modules
        && !st.is_cache_mounted(&modcache, cx.line)
        && !st.entries.iter().any(|e| e.path == modcache)
    {
        cx.add(
            st,
            &modcache,
            Size::mb(100.0, 5.0, 1000.0),
            "Go module cache".into(),
            Kind::Cache("go-mod".into()),
        );
    }
    if matches!(sub, "build" | "install" | "test" | "vet")
        && !st.is_cache_mounted("/root/.cache/go-build", cx.line)
    {
        cx.fill(
            st,
            "/root/.cache/go-build",
            (Size::mb(150.0, 20.0, 800.0), Size::mb(20.0, 0.0, 300.0)),
            "Go build cache".into(),
            Kind::Cache("go-build".into()),
        );
    }
    if sub == "build" || sub == "install" {
        let out = flag_value(args, &["-o"])
            .map(|o| st.abs(&o))
            .unwrap_or_else(|| {
                if sub == "install" {
                    format!("{gopath}/bin/app")
                } else {
                    st.abs("app")
                }
            });
        let stripped = args
            .iter()
            .any(|a| a.contains("-s -w") || a.contains("-w -s"));
        let size = if stripped {
            Size::mb(12.0, 2.0, 60.0)
        } else {
            Size::mb(18.0, 3.0, 90.0)
        };
        cx.add(
            st,
            &out,
            size,
            format!(
                "go {sub} binary{}",
                if stripped { " (stripped)" } else { "" }
            ),
            Kind::BuildOutput("go".into()),
        );
        cx.reasons.push(format!("go {sub} → {out}: binary size depends on the program (typical range); caches unless cache mounts"));
    } else if sub == "mod" {
        cx.reasons.push("go mod download → module cache".into());
    }
}

fn cargo(args: &[String], st: &mut State, cx: &mut Ctx) {
    let sub = args.first().map(String::as_str).unwrap_or("");
    // cargo-chef's `cargo chef cook` builds the dependencies as `cargo build` would.
    let sub = match (sub, args.get(1).map(String::as_str)) {
        ("chef", Some("cook")) => "build",
        _ => sub,
    };
    let home = st
        .var("CARGO_HOME")
        .unwrap_or_else(|| "/root/.cargo".into());
    let registry = format!("{home}/registry");
    if matches!(sub, "build" | "install" | "fetch" | "test")
        && !st.is_cache_mounted(&registry, cx.line)
    {
        cx.fill(
            st,
            &registry,
            (Size::mb(150.0, 10.0, 800.0), Size::mb(1.0, 0.0, 50.0)),
            "cargo registry".into(),
            Kind::Cache("cargo-registry".into()),
        );
    }
    match sub {
        "build" | "test" => {
            let target = st
                .var("CARGO_TARGET_DIR")
                .map(|t| st.abs(&t))
                .unwrap_or_else(|| st.abs("target"));
            if !st.is_cache_mounted(&target, cx.line) {
                cx.fill(
                    st,
                    &target,
                    (Size::mb(600.0, 80.0, 4000.0), Size::mb(30.0, 2.0, 400.0)),
                    format!("cargo {sub} target directory"),
                    Kind::Cache("cargo-target".into()),
                );
            }
            cx.reasons.push(format!(
                "cargo {sub}: target/ and registry unless cache mounts (typical range)"
            ));
        }
        "install" => {
            cx.add(
                st,
                &format!("{home}/bin"),
                Size::mb(15.0, 1.0, 100.0),
                "cargo install binary".into(),
                Kind::BuildOutput("cargo".into()),
            );
            cx.reasons.push("cargo install".into());
        }
        _ => {}
    }
}

/// True when a build tool is only asked for its version or help (`mvn -v`, `gradle --version`):
/// it fetches and builds nothing.
fn informational(args: &[String]) -> bool {
    args.iter().all(|a| a.starts_with('-'))
        && args.iter().any(|a| {
            matches!(
                a.as_str(),
                "-v" | "-V" | "--version" | "-version" | "-h" | "--help" | "--info"
            )
        })
}

fn maven(args: &[String], st: &mut State, cx: &mut Ctx) {
    if informational(args) {
        return;
    }
    let repo = "/root/.m2";
    if !st.is_cache_mounted(repo, cx.line) {
        cx.fill(
            st,
            repo,
            (Size::mb(150.0, 20.0, 800.0), Size::mb(20.0, 1.0, 200.0)),
            "Maven local repository".into(),
            Kind::Cache("maven".into()),
        );
    }
    if args
        .iter()
        .any(|a| a == "package" || a == "install" || a == "verify")
    {
        let t = st.abs("target");
        cx.add(
            st,
            &t,
            Size::mb(40.0, 2.0, 300.0),
            "Maven target/ (jar)".into(),
            Kind::BuildOutput("maven".into()),
        );
    }
    cx.reasons
        .push("mvn: local repository + target/ (typical range)".into());
}

fn gradle(args: &[String], st: &mut State, cx: &mut Ctx) {
    if informational(args) {
        return;
    }
    let home = st
        .var("GRADLE_USER_HOME")
        .unwrap_or_else(|| "/root/.gradle".into());
    if !st.is_cache_mounted(&home, cx.line) {
        cx.fill(
            st,
            &home,
            (Size::mb(350.0, 80.0, 1200.0), Size::mb(30.0, 1.0, 300.0)),
            "Gradle user home (caches, wrapper)".into(),
            Kind::Cache("gradle".into()),
        );
    }
    if args
        .iter()
        .any(|a| a.contains("build") || a.contains("assemble") || a.contains("Jar"))
    {
        let b = st.abs("build");
        cx.add(
            st,
            &b,
            Size::mb(50.0, 2.0, 400.0),
            "Gradle build/".into(),
            Kind::BuildOutput("gradle".into()),
        );
    }
    cx.reasons
        .push("gradle: caches + build/ (typical range)".into());
}

fn dotnet(args: &[String], st: &mut State, cx: &mut Ctx) {
    let sub = args.first().map(String::as_str).unwrap_or("");
    if matches!(sub, "restore" | "publish" | "build")
        && !st.is_cache_mounted("/root/.nuget/packages", cx.line)
    {
        cx.fill(
            st,
            "/root/.nuget/packages",
            (Size::mb(150.0, 10.0, 800.0), Size::mb(5.0, 0.0, 100.0)),
            "NuGet packages".into(),
            Kind::Cache("nuget".into()),
        );
    }
    if sub == "publish" || sub == "build" {
        let out = flag_value(args, &["-o", "--output"])
            .map(|o| st.abs(&o))
            .unwrap_or_else(|| st.abs("bin"));
        cx.add(
            st,
            &out,
            Size::mb(60.0, 2.0, 300.0),
            format!("dotnet {sub} output"),
            Kind::BuildOutput("dotnet".into()),
        );
    }
    if matches!(sub, "restore" | "publish" | "build") {
        cx.reasons.push(format!("dotnet {sub} (typical range)"));
    }
}

fn user_add(prog: &str, args: &[String], st: &mut State, cx: &mut Ctx) {
    let positional: Vec<&String> = {
        let mut out = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a.starts_with('-') {
                let takes_value = [
                    "-u",
                    "-g",
                    "-G",
                    "-s",
                    "-d",
                    "-c",
                    "-h",
                    "-k",
                    "-K",
                    "-e",
                    "-f",
                    "--uid",
                    "--gid",
                    "--shell",
                    "--home",
                    "--home-dir",
                    "--groups",
                    "--comment",
                    "--gecos",
                    "--ingroup",
                ];
                if takes_value.contains(&a.as_str()) {
                    it.next();
                }
                continue;
            }
            out.push(a);
        }
        out
    };
    let group_only = prog == "groupadd" || prog == "addgroup";
    if let Some(name) = positional.first() {
        if !group_only {
            st.users.push(name.to_string());
        }
    }
    cx.add(
        st,
        "/etc/[passwd, group, shadow]",
        Size::new(3 * KB, KB, 20 * KB),
        format!("{prog} (account files)"),
        Kind::Other,
    );
    let creates_home = !group_only
        && (has(args, &["-m", "--create-home"])
            || (prog == "adduser" && !has(args, &["--no-create-home", "-H"])));
    if creates_home {
        if let Some(name) = positional.first() {
            let home = flag_value(args, &["-d", "--home", "--home-dir", "-h"])
                .unwrap_or_else(|| format!("/home/{name}"));
            cx.add(
                st,
                &home,
                Size::new(4 * KB, 0, 20 * KB),
                format!("home of {name} (skeleton files)"),
                Kind::Other,
            );
        }
    }
}

fn download(
    prog: &str,
    args: &[String],
    cmd: &Command,
    all: &[Command],
    idx: usize,
    st: &mut State,
    cx: &mut Ctx,
) {
    let url = args
        .iter()
        .find(|a| a.contains("://"))
        .cloned()
        .unwrap_or_default();
    // curl's short options cluster: `-fsSLO` (remote name), `-fsSLo FILE` (output).
    let cluster = |w: &String| {
        w.len() > 2
            && w.starts_with('-')
            && !w.starts_with("--")
            && w[1..].chars().all(|c| c.is_ascii_alphabetic())
    };
    let output = if prog == "curl" {
        let clustered = args
            .iter()
            .position(|w| cluster(w) && w.ends_with('o'))
            .and_then(|i| args.get(i + 1).cloned());
        clustered.or_else(|| flag_value(args, &["-o", "--output"]))
    } else {
        flag_value(args, &["-O", "--output-document"])
    };
    let remote_name = prog == "wget"
        || has(args, &["-O", "--remote-name"])
        || (prog == "curl" && args.iter().any(|w| cluster(w) && w.contains('O')));
    let next = all.get(idx + 1);
    if cmd.piped {
        let consumer = next
            .and_then(|n| n.words.first())
            .map(|w| w.rsplit('/').next().unwrap_or(w).to_string())
            .unwrap_or_default();
        if consumer == "tar" || consumer == "unzip" || consumer == "bsdtar" {
            let dir = next
                .and_then(|n| flag_value(&n.words, &["-C", "--directory"]))
                .map(|d| st.abs(&d))
                .unwrap_or_else(|| st.abs("."));
            cx.add(
                st,
                &dir,
                Size::mb(40.0, 0.5, 600.0),
                format!("unpacked from {url} (size unknown)"),
                Kind::Download,
            );
            cx.reasons.push(format!(
                "{prog} | {consumer}: unpacked archive, size unknown (wide range)"
            ));
        } else if matches!(consumer.as_str(), "sh" | "bash" | "python" | "python3") {
            cx.add(
                st,
                "/usr/local/[installed by script]",
                Size::mb(30.0, 0.1, 800.0),
                format!("installed by a script from {url}"),
                Kind::Download,
            );
            cx.reasons.push(format!(
                "{prog} | {consumer}: what the script installs is unknown (wide range)"
            ));
        } else {
            cx.reasons
                .push(format!("{prog} piped into {consumer}: nothing stored"));
        }
        return;
    }
    let file = match output {
        Some(o) if o != "-" && o != "/dev/null" => Some(o),
        Some(_) => None,
        None if remote_name => url
            .rsplit('/')
            .next()
            .map(|s| s.split('?').next().unwrap_or(s).to_string())
            .filter(|s| !s.is_empty()),
        None => None,
    };
    let Some(file) = file else {
        cx.reasons.push(format!("{prog} {url}: output not stored"));
        return;
    };
    let path = st.abs(&file);
    let archive = [
        ".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".zip", ".tar", ".tar.zst",
    ]
    .iter()
    .any(|s| path.ends_with(s));
    let size = if archive {
        Size::mb(20.0, 0.1, 400.0)
    } else {
        Size::mb(5.0, 0.001, 200.0)
    };
    cx.add(
        st,
        &path,
        size,
        format!("downloaded {url} (size unknown)"),
        Kind::Download,
    );
    // An archive unpacked later in the same RUN.
    if archive {
        for later in all.iter().skip(idx + 1) {
            let p = later
                .words
                .first()
                .map(|w| w.rsplit('/').next().unwrap_or(w))
                .unwrap_or("");
            if (p == "tar" || p == "unzip")
                && later
                    .words
                    .iter()
                    .any(|w| st.abs(w) == path || w.ends_with(&file))
            {
                let dir = flag_value(&later.words, &["-C", "--directory", "-d"])
                    .map(|d| st.abs(&d))
                    .unwrap_or_else(|| st.abs("."));
                cx.add(
                    st,
                    &dir,
                    Size::mb(50.0, 0.3, 1200.0),
                    format!("unpacked {file} (~2.5× the archive, unknown)"),
                    Kind::Download,
                );
                break;
            }
        }
    }
    cx.reasons
        .push(format!("{prog} {url} → {path}: size unknown (wide range)"));
}

/// The size of a COPY/ADD source from the build context.
pub fn context_source(src: &str, opts: &EstimateOptions) -> (Size, String) {
    let name = src.trim_end_matches('/').rsplit('/').next().unwrap_or(src);
    if let Some(f) = opts
        .context_files
        .iter()
        .find(|f| f.path == src || f.path.rsplit('/').next() == Some(name))
    {
        return (
            Size::exact(f.content.len() as u64),
            format!("{src} (content given)"),
        );
    }
    let ctx = opts.context_bytes;
    let whole = src == "." || src == "./" || src == "*" || src == "/" || src == "./*";
    if whole {
        return match ctx {
            Some(b) => (
                Size::rel(b, 0.05, 0.05),
                format!("the whole build context ({})", super::size::human(b)),
            ),
            None => {
                let high = if opts.dockerignore.is_some() {
                    50.0
                } else {
                    300.0
                };
                (
                    Size::mb(2.0, 0.05, high),
                    format!(
                        "the whole build context (size not set{})",
                        if opts.dockerignore.is_none() {
                            "; no .dockerignore: .git and node_modules may be sent"
                        } else {
                            ""
                        }
                    ),
                )
            }
        };
    }
    let lockfiles: &[(&str, f64, f64, f64)] = &[
        ("package-lock.json", 0.3, 0.01, 3.0),
        ("yarn.lock", 0.2, 0.01, 2.0),
        ("pnpm-lock.yaml", 0.2, 0.01, 2.0),
        ("poetry.lock", 0.2, 0.01, 1.0),
        ("uv.lock", 0.2, 0.01, 1.0),
        ("go.sum", 0.05, 0.001, 0.5),
        ("Cargo.lock", 0.05, 0.001, 0.5),
    ];
    if let Some((_, m, l, h)) = lockfiles.iter().find(|(n, ..)| *n == name) {
        return (Size::mb(*m, *l, *h), format!("{src} (lock file)"));
    }
    let looks_like_file = name.contains('.') && !name.starts_with('.')
        || ["Dockerfile", "Makefile", "LICENSE", "Gemfile", "Procfile"].contains(&name);
    if looks_like_file && !src.contains('*') {
        return (
            Size::new(4 * KB, 100, 200 * KB),
            format!("{src} (one file)"),
        );
    }
    match ctx {
        Some(b) => (
            Size::new(b / 2, b / 50, b),
            format!("{src} (part of the {} context)", super::size::human(b)),
        ),
        None => (
            Size::mb(1.0, 0.01, 100.0),
            format!("{src} (directory; context size not set)"),
        ),
    }
}
